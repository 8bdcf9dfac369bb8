package iam

import (
	"encoding/json"
	"regexp"
	"sort"
)

var accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)

// parsePrincipals reads a trust statement's Principal or NotPrincipal ("*", or an object
// mapping "AWS", "Service", "Federated" or "CanonicalUser" to a string or a list) and refuses a
// Resource, as IAM does for an AssumeRolePolicyDocument.
func (s *Statement) parsePrincipals(obj map[string]json.RawMessage) error {
	if _, ok := obj["Resource"]; ok {
		return malformed("Has prohibited field Resource")
	}
	if _, ok := obj["NotResource"]; ok {
		return malformed("Has prohibited field NotResource")
	}
	raw, not := obj["Principal"], obj["NotPrincipal"]
	if raw != nil && not != nil {
		return malformed(msgSyntax)
	}
	if not != nil {
		raw, s.notPrincipal = not, true
	}
	if raw == nil {
		return malformed("Missing required field Principal")
	}
	var star string
	if json.Unmarshal(raw, &star) == nil {
		if star != "*" {
			return malformed("Invalid principal in policy: %s", star)
		}
		s.principals = []string{"*"}
		return nil
	}
	byType, err := decodeObject(raw)
	if err != nil {
		return malformed(msgSyntax)
	}
	types := make([]string, 0, len(byType))
	for t := range byType {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		switch t {
		case "AWS", "Service", "Federated", "CanonicalUser":
		default:
			return malformed("Invalid principal in policy: %q", t)
		}
		ids, err := stringOrList(byType[t])
		if err != nil {
			return err
		}
		for _, id := range ids {
			if t == "AWS" && accountIDPattern.MatchString(id) {
				id = "arn:aws:iam::" + id + ":root" // IAM stores an account id as its root ARN
			}
			s.principals = append(s.principals, t+":"+id)
		}
	}
	if len(s.principals) == 0 {
		return malformed("Invalid principal in policy")
	}
	return nil
}

// EvaluateTrust evaluates a trust policy for a caller known by the identifiers who
// ("AWS:<arn>", "Service:<name>"): a statement applies when its Principal names one of them
// (or is "*"), and its Action and Condition match req. Resources are not part of trust
// policies and req.Resource is ignored. An explicit Deny wins, as in Evaluate.
func EvaluateTrust(p *Policy, who []string, req Request) Decision {
	return decide(p.Statements, func(s *Statement) bool {
		return s.principals != nil && s.namesAny(who) != s.notPrincipal &&
			matchAnyPattern(s.actions, req.Action, nil) != s.notAction && s.conditionsHold(req.Context)
	})
}

func (s *Statement) namesAny(who []string) bool {
	for _, p := range s.principals {
		if p == "*" || p == "AWS:*" {
			return true
		}
		for _, w := range who {
			if p == w {
				return true
			}
		}
	}
	return false
}
