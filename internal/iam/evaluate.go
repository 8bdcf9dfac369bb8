package iam

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Request is what a policy is evaluated against.
type Request struct {
	Action   string // e.g. cognito-idp:AdminCreateUser
	Resource string // an ARN or `*`
	// Context holds the condition keys (aws:SourceIp, aws:CurrentTime, aws:TagKeys, ...) and
	// their values; keys are matched case-insensitively.
	Context map[string][]string
}

// Evaluate applies the identity-based policy logic of the IAM User Guide ("Policy evaluation
// logic", "Determining whether a request is allowed or denied within an account"): an
// explicit Deny in any statement wins; otherwise an Allow is needed; otherwise the request is
// implicitly denied.
func Evaluate(policies []*Policy, req Request) Decision {
	d := ImplicitDeny
	for _, p := range policies {
		if p == nil {
			continue
		}
		if d = d.combine(decide(p.Statements, func(s *Statement) bool { return s.applies(&req) })); d == ExplicitDeny {
			return d
		}
	}
	return d
}

// decide applies the deny-wins rule to the statements that match.
func decide(stmts []Statement, matches func(*Statement) bool) Decision {
	d := ImplicitDeny
	for i := range stmts {
		s := &stmts[i]
		if !matches(s) {
			continue
		}
		if s.Effect == EffectDeny {
			return ExplicitDeny
		}
		d = Allow
	}
	return d
}

// combine is the decision over two sets of statements: a deny anywhere wins, then an allow.
func (d Decision) combine(o Decision) Decision {
	if d == ExplicitDeny || o == ExplicitDeny {
		return ExplicitDeny
	}
	if d == Allow || o == Allow {
		return Allow
	}
	return ImplicitDeny
}

// applies reports whether the statement's Action, Resource and Condition all match.
func (s *Statement) applies(req *Request) bool {
	if matchAnyPattern(s.actions, req.Action, nil) == s.notAction {
		return false
	}
	if matchAnyPattern(s.resources, req.Resource, req.Context) == s.notResource {
		return false
	}
	return s.conditionsHold(req.Context)
}

func (s *Statement) conditionsHold(ctx map[string][]string) bool {
	for i := range s.conditions {
		if !s.conditions[i].eval(ctx) {
			return false
		}
	}
	return true
}

func matchAnyPattern(pats []pattern, s string, ctx map[string][]string) bool {
	for i := range pats {
		if pats[i].match(s, ctx) {
			return true
		}
	}
	return false
}

// PolicyAuthorizer is an Authorizer that evaluates the policies attached to a principal.
// The root identity is always allowed; a nil principal is implicitly denied.
type PolicyAuthorizer struct {
	// Policies returns the identity-based policies that apply to p (its own, its groups').
	Policies func(ctx context.Context, p *Principal) ([]*Policy, error)
	// Now is the clock behind aws:CurrentTime and aws:EpochTime; time.Now when nil.
	Now func() time.Time
}

var _ Authorizer = (*PolicyAuthorizer)(nil)

func (a *PolicyAuthorizer) Authorize(ctx context.Context, p *Principal, action, resource string) (Decision, error) {
	if p == nil {
		return ImplicitDeny, nil
	}
	if p.Root {
		return Allow, nil
	}
	if a.Policies == nil {
		return ImplicitDeny, nil
	}
	policies, err := a.Policies(ctx, p)
	if err != nil {
		return ImplicitDeny, err
	}
	return a.Decide(ctx, p, policies, action, resource), nil
}

// Decide evaluates policies the caller read itself (inside its own transaction, say) for p,
// with the same condition keys as Authorize.
func (a *PolicyAuthorizer) Decide(ctx context.Context, p *Principal, policies []*Policy, action, resource string) Decision {
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	return Evaluate(policies, Request{Action: action, Resource: resource, Context: requestContext(ctx, p, now())})
}

// requestContext is the global condition keys the server knows of the principal and the time,
// plus whatever the caller attached with WithConditionContext (aws:SourceIp,
// aws:SecureTransport, aws:RequestTag/..., ...), which take precedence.
func requestContext(ctx context.Context, p *Principal, now time.Time) map[string][]string {
	extra, _ := ctx.Value(conditionContextKey{}).(map[string][]string)
	m := make(map[string][]string, len(extra)+6)
	now = now.UTC()
	m["aws:CurrentTime"] = []string{now.Format(time.RFC3339)}
	m["aws:EpochTime"] = []string{strconv.FormatInt(now.Unix(), 10)}
	m["aws:PrincipalAccount"] = []string{p.AccountID}
	m["aws:PrincipalArn"] = []string{p.ARN}
	if p.UserID != "" {
		m["aws:userid"] = []string{p.UserID}
	}
	switch {
	case p.Root:
		m["aws:PrincipalType"] = []string{"Account"}
	case p.Kind == KindUser:
		m["aws:username"] = []string{p.Name}
		m["aws:PrincipalType"] = []string{"User"}
	case p.Kind == KindRole:
		m["aws:PrincipalType"] = []string{"AssumedRole"}
	}
	for k, v := range extra {
		for mk := range m { // keys are case-insensitive: the caller's spelling replaces ours
			if strings.EqualFold(mk, k) {
				delete(m, mk)
			}
		}
		m[k] = v
	}
	return m
}

type conditionContextKey struct{}

// WithConditionContext attaches request condition keys (aws:SourceIp, aws:SecureTransport,
// aws:RequestTag/<key>, aws:ResourceTag/<key>, aws:TagKeys, ...) for PolicyAuthorizer to
// evaluate policies' Condition elements against.
func WithConditionContext(ctx context.Context, keys map[string][]string) context.Context {
	return context.WithValue(ctx, conditionContextKey{}, keys)
}
