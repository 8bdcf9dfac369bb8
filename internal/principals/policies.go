package principals

import (
	"context"
	"errors"
	"strings"
	"unicode"

	"github.com/cgip/cgip/internal/iam"
	"github.com/cgip/cgip/internal/store"
)

// IAM's policy size quotas, counted without white space (IAM User Guide, "IAM and AWS STS
// quotas").
const (
	maxUserInlineSize = 2048
	maxRoleInlineSize = 10240
	maxManagedSize    = 6144
)

func nonSpaceLen(doc string) int {
	n := 0
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// parseDocument validates an identity or trust policy, answering MalformedPolicyDocument.
func parseDocument(doc string, trust bool) error {
	if err := validate(required("policyDocument", doc), length("policyDocument", doc, 1, 131072)); err != nil {
		return err
	}
	parse := iam.ParsePolicy
	if trust {
		parse = iam.ParseTrustPolicy
	}
	_, err := parse(doc)
	var pe *iam.PolicyError
	if errors.As(err, &pe) {
		return &Error{Code: pe.Code, Status: 400, Message: pe.Message}
	}
	return err
}

func kindWord(k store.PrincipalKind) string {
	if k == store.PrincipalRole {
		return "role"
	}
	return "user"
}

func principalARN(account string, k store.PrincipalKind, name string) string {
	if k == store.PrincipalRole {
		return roleARN(account, "/", name)
	}
	return userARN(account, "/", name)
}

// action is an IAM action name for a user or a role: action("Put", k, "Policy") is
// iam:PutUserPolicy or iam:PutRolePolicy.
func action(verb string, k store.PrincipalKind, noun string) string {
	w := "User"
	if k == store.PrincipalRole {
		w = "Role"
	}
	return "iam:" + verb + w + noun
}

// principalRef checks that the user or role exists and returns its reference.
func (s *Service) principalRef(ctx context.Context, tx store.Tx, account string, k store.PrincipalKind, name string) (store.PrincipalRef, error) {
	r := store.PrincipalRef{AccountID: account, Kind: k, Name: name}
	var err error
	if k == store.PrincipalRole {
		_, err = tx.GetRole(ctx, account, name)
	} else {
		_, err = tx.GetIAMUser(ctx, account, name)
	}
	if errors.Is(err, store.ErrNotFound) {
		return r, noSuchEntity("The %s with name %s cannot be found.", kindWord(k), name)
	}
	return r, err
}

func checkPolicyName(name string) error { return checkName("policyName", name, 128) }

// PutInlinePolicy creates or replaces a user's or role's inline policy.
func (s *Service) PutInlinePolicy(ctx context.Context, p *iam.Principal, k store.PrincipalKind, owner, name, doc string) error {
	if err := checkName(kindWord(k)+"Name", owner, 128); err != nil {
		return err
	}
	if err := checkPolicyName(name); err != nil {
		return err
	}
	if err := parseDocument(doc, false); err != nil {
		return err
	}
	max := maxUserInlineSize
	if k == store.PrincipalRole {
		max = maxRoleInlineSize
	}
	if nonSpaceLen(doc) > max {
		return limitExceeded("Maximum policy size of %d bytes exceeded for %s %s", max, kindWord(k), owner)
	}
	if err := s.allow(ctx, p, action("Put", k, "Policy"), principalARN(p.AccountID, k, owner)); err != nil {
		return err
	}
	return s.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		r, err := s.principalRef(ctx, tx, p.AccountID, k, owner)
		if err != nil {
			return err
		}
		return tx.PutInlinePolicy(ctx, &store.InlinePolicy{Principal: r, Name: name, Document: doc})
	})
}

// GetInlinePolicy returns an inline policy.
func (s *Service) GetInlinePolicy(ctx context.Context, p *iam.Principal, k store.PrincipalKind, owner, name string) (*store.InlinePolicy, error) {
	if err := checkName(kindWord(k)+"Name", owner, 128); err != nil {
		return nil, err
	}
	if err := checkPolicyName(name); err != nil {
		return nil, err
	}
	if err := s.allow(ctx, p, action("Get", k, "Policy"), principalARN(p.AccountID, k, owner)); err != nil {
		return nil, err
	}
	var pol *store.InlinePolicy
	err := s.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		r, err := s.principalRef(ctx, tx, p.AccountID, k, owner)
		if err != nil {
			return err
		}
		pol, err = tx.GetInlinePolicy(ctx, r, name)
		if errors.Is(err, store.ErrNotFound) {
			return noSuchEntity("The %s policy with name %s cannot be found.", kindWord(k), name)
		}
		return err
	})
	return pol, err
}

// DeleteInlinePolicy deletes an inline policy.
func (s *Service) DeleteInlinePolicy(ctx context.Context, p *iam.Principal, k store.PrincipalKind, owner, name string) error {
	if err := checkName(kindWord(k)+"Name", owner, 128); err != nil {
		return err
	}
	if err := checkPolicyName(name); err != nil {
		return err
	}
	if err := s.allow(ctx, p, action("Delete", k, "Policy"), principalARN(p.AccountID, k, owner)); err != nil {
		return err
	}
	return s.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		r, err := s.principalRef(ctx, tx, p.AccountID, k, owner)
		if err != nil {
			return err
		}
		err = tx.DeleteInlinePolicy(ctx, r, name)
		if errors.Is(err, store.ErrNotFound) {
			return noSuchEntity("The %s policy with name %s cannot be found.", kindWord(k), name)
		}
		return err
	})
}

// ListInlinePolicies lists the names of a user's or role's inline policies.
func (s *Service) ListInlinePolicies(ctx context.Context, p *iam.Principal, k store.PrincipalKind, owner string) ([]string, error) {
	if err := checkName(kindWord(k)+"Name", owner, 128); err != nil {
		return nil, err
	}
	if err := s.allow(ctx, p, action("List", k, "Policies"), principalARN(p.AccountID, k, owner)); err != nil {
		return nil, err
	}
	var names []string
	err := s.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		r, err := s.principalRef(ctx, tx, p.AccountID, k, owner)
		if err != nil {
			return err
		}
		list, err := tx.ListInlinePolicies(ctx, r)
		names = names[:0]
		for _, ip := range list {
			names = append(names, ip.Name)
		}
		return err
	})
	return names, err
}

// CreatePolicy creates a customer managed policy.
func (s *Service) CreatePolicy(ctx context.Context, p *iam.Principal, name, path, description, doc string) (*store.ManagedPolicy, error) {
	path = orRoot(path)
	if err := checkPolicyName(name); err != nil {
		return nil, err
	}
	if err := validate(checkPath("path", path), length("description", description, 0, 1000)); err != nil {
		return nil, err
	}
	if err := parseDocument(doc, false); err != nil {
		return nil, err
	}
	if nonSpaceLen(doc) > maxManagedSize {
		return nil, limitExceeded("Cannot exceed quota for PolicySize: %d", maxManagedSize)
	}
	arn := policyARN(p.AccountID, path, name)
	if err := s.allow(ctx, p, "iam:CreatePolicy", arn); err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	mp := &store.ManagedPolicy{ARN: arn, AccountID: p.AccountID, Name: name, ID: uniqueID(prefixPolicy), Path: path,
		Description: description, Document: doc, CreatedAt: now, UpdatedAt: now}
	// Names are unique in an account whatever the path (the store keeps them so).
	err := s.cfg.Store.CreateManagedPolicy(ctx, mp)
	if errors.Is(err, store.ErrConflict) {
		return nil, alreadyExists("A policy called %s already exists. Duplicate names are not allowed.", name)
	}
	return mp, err
}

// managedPolicy finds a policy of the caller's account by ARN.
func (s *Service) managedPolicy(ctx context.Context, tx store.Tx, p *iam.Principal, arn string) (*store.ManagedPolicy, error) {
	mp, err := tx.GetManagedPolicy(ctx, arn)
	if errors.Is(err, store.ErrNotFound) || (err == nil && mp.AccountID != p.AccountID) {
		return nil, noSuchEntity("Policy %s was not found.", arn)
	}
	return mp, err
}

func checkPolicyARN(arn string) error {
	return validate(required("policyArn", arn), length("policyArn", arn, 20, 2048))
}

// GetPolicy returns a managed policy (its document is in the store record).
func (s *Service) GetPolicy(ctx context.Context, p *iam.Principal, arn string) (*store.ManagedPolicy, error) {
	if err := checkPolicyARN(arn); err != nil {
		return nil, err
	}
	if err := s.allow(ctx, p, "iam:GetPolicy", arn); err != nil {
		return nil, err
	}
	return s.managedPolicy(ctx, s.cfg.Store, p, arn)
}

// DeletePolicy deletes a managed policy that is attached to nothing.
func (s *Service) DeletePolicy(ctx context.Context, p *iam.Principal, arn string) error {
	if err := checkPolicyARN(arn); err != nil {
		return err
	}
	if err := s.allow(ctx, p, "iam:DeletePolicy", arn); err != nil {
		return err
	}
	return s.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		mp, err := s.managedPolicy(ctx, tx, p, arn)
		if err != nil {
			return err
		}
		if mp.AttachmentCount > 0 {
			return deleteConflict("Cannot delete a policy attached to entities.")
		}
		return tx.DeleteManagedPolicy(ctx, arn)
	})
}

// ListPolicies lists the account's managed policies by name. Scope AWS lists none (cgip has
// no AWS managed policies); OnlyAttached keeps the attached ones.
func (s *Service) ListPolicies(ctx context.Context, p *iam.Principal, scope string, onlyAttached bool, pathPrefix string, pg Page) ([]store.ManagedPolicy, string, error) {
	limit, err := pg.limit()
	if err != nil {
		return nil, "", err
	}
	switch scope {
	case "", "All", "Local", "AWS":
	default:
		return nil, "", validationError("scope", scope, "Member must satisfy enum value set: [All, AWS, Local]")
	}
	if err := s.allow(ctx, p, "iam:ListPolicies", policyARN(p.AccountID, "/", "*")); err != nil {
		return nil, "", err
	}
	if scope == "AWS" {
		return nil, "", nil
	}
	return collectPage(pg.Marker, limit,
		func(after string, n int) ([]store.ManagedPolicy, error) {
			return s.cfg.Store.ListManagedPolicies(ctx, p.AccountID, store.Page{After: after, Limit: n})
		},
		func(mp store.ManagedPolicy) bool {
			return (!onlyAttached || mp.AttachmentCount > 0) && strings.HasPrefix(mp.Path, orRoot(pathPrefix))
		},
		func(mp store.ManagedPolicy) string { return mp.Name })
}

// AttachPolicy attaches a managed policy to a user or role.
func (s *Service) AttachPolicy(ctx context.Context, p *iam.Principal, k store.PrincipalKind, owner, arn string) error {
	if err := checkName(kindWord(k)+"Name", owner, 128); err != nil {
		return err
	}
	if err := checkPolicyARN(arn); err != nil {
		return err
	}
	if err := s.allow(ctx, p, action("Attach", k, "Policy"), principalARN(p.AccountID, k, owner)); err != nil {
		return err
	}
	return s.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		r, err := s.principalRef(ctx, tx, p.AccountID, k, owner)
		if err != nil {
			return err
		}
		if _, err := s.managedPolicy(ctx, tx, p, arn); err != nil {
			var e *Error
			if errors.As(err, &e) {
				return noSuchEntity("Policy %s does not exist or is not attachable.", arn)
			}
			return err
		}
		return tx.AttachPolicy(ctx, r, arn)
	})
}

// DetachPolicy detaches a managed policy from a user or role.
func (s *Service) DetachPolicy(ctx context.Context, p *iam.Principal, k store.PrincipalKind, owner, arn string) error {
	if err := checkName(kindWord(k)+"Name", owner, 128); err != nil {
		return err
	}
	if err := checkPolicyARN(arn); err != nil {
		return err
	}
	if err := s.allow(ctx, p, action("Detach", k, "Policy"), principalARN(p.AccountID, k, owner)); err != nil {
		return err
	}
	return s.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		r, err := s.principalRef(ctx, tx, p.AccountID, k, owner)
		if err != nil {
			return err
		}
		err = tx.DetachPolicy(ctx, r, arn)
		if errors.Is(err, store.ErrNotFound) {
			return noSuchEntity("Policy %s was not found.", arn)
		}
		return err
	})
}

// ListAttachedPolicies lists the managed policies attached to a user or role.
func (s *Service) ListAttachedPolicies(ctx context.Context, p *iam.Principal, k store.PrincipalKind, owner string) ([]store.ManagedPolicy, error) {
	if err := checkName(kindWord(k)+"Name", owner, 128); err != nil {
		return nil, err
	}
	if err := s.allow(ctx, p, action("ListAttached", k, "Policies"), principalARN(p.AccountID, k, owner)); err != nil {
		return nil, err
	}
	var out []store.ManagedPolicy
	err := s.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		r, err := s.principalRef(ctx, tx, p.AccountID, k, owner)
		if err != nil {
			return err
		}
		out, err = tx.ListAttachedPolicies(ctx, r)
		return err
	})
	return out, err
}
