package iam

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Policy versions (IAM User Guide, "IAM JSON policy elements: Version"). Policy variables are
// only substituted under 2012-10-17; under 2008-10-17, or with no Version, `${...}` is literal.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Effect is a statement's Effect.
type Effect string

const (
	EffectAllow Effect = "Allow"
	EffectDeny  Effect = "Deny"
)

// PolicyError is IAM's MalformedPolicyDocument error.
type PolicyError struct {
	Code    string // always "MalformedPolicyDocument"
	Message string // IAM's text, e.g. "Syntax errors in policy."
}

func (e *PolicyError) Error() string { return e.Code + ": " + e.Message }

func malformed(format string, a ...any) *PolicyError {
	return &PolicyError{Code: "MalformedPolicyDocument", Message: fmt.Sprintf(format, a...)}
}

// IAM's texts.
const (
	msgSyntax      = "Syntax errors in policy."
	msgLegacy      = "The policy failed legacy parsing"
	msgPrincipal   = "Policy document should not specify a principal."
	msgNoActions   = "Policy statement must contain actions."
	msgNoResources = "Policy statement must contain resources."
	msgVendor      = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	msgSidUnique   = "Statement IDs (SID) in a single policy must be unique."
	msgSidAlnum    = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"
)

// Policy is a parsed identity-based policy document, its patterns compiled for evaluation.
// A Policy is immutable and safe for concurrent use.
type Policy struct {
	Version    string // "" when the document has none (legacy semantics)
	ID         string
	Statements []Statement
}

// Statement is one statement of a policy.
type Statement struct {
	Sid    string
	Effect Effect

	notAction   bool
	actions     []pattern
	notResource bool
	resources   []pattern
	conditions  []condition

	// Trust policies only: principal identifiers ("*", "AWS:<arn>", "Service:<name>").
	notPrincipal bool
	principals   []string
}

// ParsePolicy parses an identity-based policy document. Errors are *PolicyError.
func ParsePolicy(document string) (*Policy, error) {
	return parse(document, false)
}

// ParseTrustPolicy parses a role's trust policy (AssumeRolePolicyDocument): every statement
// names a Principal (or NotPrincipal) and none a Resource. Errors are *PolicyError.
func ParseTrustPolicy(document string) (*Policy, error) {
	return parse(document, true)
}

func parse(document string, trust bool) (*Policy, error) {
	top, err := decodeObject([]byte(document))
	if err != nil {
		return nil, malformed(msgSyntax)
	}
	p := &Policy{}
	for k := range top {
		switch k {
		case "Version", "Id", "Statement":
		default:
			return nil, malformed(msgSyntax)
		}
	}
	if raw, ok := top["Version"]; ok {
		if json.Unmarshal(raw, &p.Version) != nil {
			return nil, malformed(msgSyntax)
		}
		if p.Version != Version2012 && p.Version != Version2008 {
			return nil, malformed(msgLegacy)
		}
	}
	if raw, ok := top["Id"]; ok && json.Unmarshal(raw, &p.ID) != nil {
		return nil, malformed(msgSyntax)
	}
	raw, ok := top["Statement"]
	if !ok {
		return nil, malformed("Missing required field Statement")
	}
	var stmts []json.RawMessage
	switch firstByte(raw) {
	case '{':
		stmts = []json.RawMessage{raw}
	case '[':
		if json.Unmarshal(raw, &stmts) != nil {
			return nil, malformed(msgSyntax)
		}
	default:
		return nil, malformed(msgSyntax)
	}
	if len(stmts) == 0 {
		return nil, malformed(msgSyntax)
	}
	vars := p.Version == Version2012
	sids := map[string]bool{}
	for _, raw := range stmts {
		s, err := parseStatement(raw, vars, trust)
		if err != nil {
			return nil, err
		}
		if s.Sid != "" {
			if sids[s.Sid] {
				return nil, malformed(msgSidUnique)
			}
			sids[s.Sid] = true
		}
		p.Statements = append(p.Statements, s)
	}
	return p, nil
}

// MustParsePolicy is ParsePolicy for documents known to be valid; it panics on error.
func MustParsePolicy(document string) *Policy {
	p, err := ParsePolicy(document)
	if err != nil {
		panic(err)
	}
	return p
}

func parseStatement(raw json.RawMessage, vars, trust bool) (Statement, error) {
	var s Statement
	obj, err := decodeObject(raw)
	if err != nil {
		return s, malformed(msgSyntax)
	}
	for k := range obj {
		switch k {
		case "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition":
		case "Principal", "NotPrincipal":
			if !trust {
				return s, malformed(msgPrincipal)
			}
		default:
			return s, malformed(msgSyntax)
		}
	}
	if raw, ok := obj["Sid"]; ok {
		if json.Unmarshal(raw, &s.Sid) != nil {
			return s, malformed(msgSyntax)
		}
		for _, c := range s.Sid {
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
				return s, malformed(msgSidAlnum)
			}
		}
	}

	rawEffect, ok := obj["Effect"]
	if !ok {
		return s, malformed("Missing required field Effect")
	}
	var effect string
	if json.Unmarshal(rawEffect, &effect) != nil {
		return s, malformed(msgSyntax)
	}
	switch Effect(effect) {
	case EffectAllow, EffectDeny: // case-sensitive: "allow" fails
		s.Effect = Effect(effect)
	default:
		return s, malformed(msgLegacy)
	}

	// Action / NotAction: exactly one.
	actions, notActions := obj["Action"], obj["NotAction"]
	if actions != nil && notActions != nil {
		return s, malformed(msgSyntax)
	}
	if notActions != nil {
		actions, s.notAction = notActions, true
	}
	if actions == nil {
		return s, malformed(msgNoActions)
	}
	list, err := stringOrList(actions)
	if err != nil {
		return s, err
	}
	if len(list) == 0 {
		return s, malformed(msgNoActions)
	}
	for _, a := range list {
		if a != "*" {
			vendor, name, ok := strings.Cut(a, ":")
			if !ok || vendor == "" || name == "" {
				return s, malformed(msgVendor)
			}
			if strings.ContainsAny(vendor, "*?") {
				return s, malformed("Vendor %s is not valid", vendor)
			}
		}
		// Action names match case-insensitively and take no variables.
		s.actions = append(s.actions, compilePattern(a, true, false, true))
	}

	if trust {
		if err := s.parsePrincipals(obj); err != nil {
			return s, err
		}
	} else if err := s.parseResources(obj, vars); err != nil {
		return s, err
	}

	if raw, ok := obj["Condition"]; ok {
		if s.conditions, err = parseConditions(raw, vars); err != nil {
			return s, err
		}
	}
	return s, nil
}

func (s *Statement) parseResources(obj map[string]json.RawMessage, vars bool) error {
	// Resource / NotResource: exactly one.
	resources, notResources := obj["Resource"], obj["NotResource"]
	if resources != nil && notResources != nil {
		return malformed(msgSyntax)
	}
	if notResources != nil {
		resources, s.notResource = notResources, true
	}
	if resources == nil {
		return malformed(msgNoResources)
	}
	list, err := stringOrList(resources)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return malformed(msgNoResources)
	}
	for _, r := range list {
		if err := checkResource(r); err != nil {
			return err
		}
		// Resource ARNs match case-sensitively.
		s.resources = append(s.resources, compilePattern(r, true, vars, false))
	}
	return nil
}

// checkResource accepts `*`, ARNs and wildcarded ARN prefixes ("arn:aws:cognito-idp:*").
func checkResource(r string) error {
	if r == "*" || strings.HasPrefix(r, "${") {
		return nil
	}
	if !strings.HasPrefix(r, "arn:") {
		return malformed("Resource %s must be in ARN format or \"*\".", r)
	}
	if strings.Count(r, ":") < 5 && !strings.Contains(r, "*") {
		return malformed(msgLegacy)
	}
	return nil
}

// decodeObject decodes one JSON object with nothing after it. Element names are
// case-sensitive, unlike encoding/json's struct fields, so the object is read as a map.
func decodeObject(data []byte) (map[string]json.RawMessage, error) {
	if firstByte(data) != '{' {
		return nil, fmt.Errorf("not an object")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var m map[string]json.RawMessage
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data")
	}
	return m, nil
}

func firstByte(b []byte) byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// stringOrList reads an element that is a string or an array of strings.
func stringOrList(raw json.RawMessage) ([]string, error) {
	var one string
	if firstByte(raw) == '"' && json.Unmarshal(raw, &one) == nil {
		return []string{one}, nil
	}
	var list []string
	if firstByte(raw) != '[' || json.Unmarshal(raw, &list) != nil {
		return nil, malformed(msgSyntax)
	}
	return list, nil
}

// scalarOrList reads a condition value: a string, number or boolean, or an array of them
// (IAM accepts `"aws:SecureTransport": false` as well as `"false"`).
func scalarOrList(raw json.RawMessage) ([]string, error) {
	var items []json.RawMessage
	if firstByte(raw) == '[' {
		if json.Unmarshal(raw, &items) != nil {
			return nil, malformed(msgSyntax)
		}
	} else {
		items = []json.RawMessage{raw}
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		switch firstByte(it) {
		case '"':
			var s string
			if json.Unmarshal(it, &s) != nil {
				return nil, malformed(msgSyntax)
			}
			out = append(out, s)
		case '{', '[', 'n', 0:
			return nil, malformed(msgSyntax)
		default: // number, true, false
			out = append(out, string(bytes.TrimSpace(it)))
		}
	}
	return out, nil
}
