package principals

import (
	"context"
	"errors"
	"strings"

	"github.com/cgip/cgip/internal/iam"
	"github.com/cgip/cgip/internal/store"
)

// CreateRoleInput is IAM CreateRole's parameters.
type CreateRoleInput struct {
	Name, Path, TrustPolicy, Description string
	MaxSessionDuration                   int // 0: an hour
}

// RoleARN is a role's ARN.
func RoleARN(r *store.Role) string { return roleARN(r.AccountID, r.Path, r.Name) }

// CreateRole creates a role with its trust policy.
func (s *Service) CreateRole(ctx context.Context, p *iam.Principal, in CreateRoleInput) (*store.Role, error) {
	in.Path = orRoot(in.Path)
	if in.MaxSessionDuration == 0 {
		in.MaxSessionDuration = 3600
	}
	if err := checkName("roleName", in.Name, 64); err != nil {
		return nil, err
	}
	if err := validate(checkPath("path", in.Path), length("description", in.Description, 0, 1000)); err != nil {
		return nil, err
	}
	if in.MaxSessionDuration < 3600 || in.MaxSessionDuration > 43200 {
		return nil, validationError("maxSessionDuration", itoa(in.MaxSessionDuration), "Member must have value between 3600 and 43200")
	}
	if err := parseDocument(in.TrustPolicy, true); err != nil {
		return nil, err
	}
	if err := s.allow(ctx, p, "iam:CreateRole", roleARN(p.AccountID, in.Path, in.Name)); err != nil {
		return nil, err
	}
	r := &store.Role{AccountID: p.AccountID, Name: in.Name, ID: uniqueID(prefixRole), Path: in.Path,
		Description: in.Description, TrustPolicy: in.TrustPolicy, MaxSessionDuration: in.MaxSessionDuration,
		CreatedAt: s.cfg.Now()}
	err := s.cfg.Store.CreateRole(ctx, r)
	if errors.Is(err, store.ErrConflict) {
		return nil, alreadyExists("Role with name %s already exists.", in.Name)
	}
	return r, err
}

func (s *Service) role(ctx context.Context, tx store.Tx, account, name string) (*store.Role, error) {
	r, err := tx.GetRole(ctx, account, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noSuchEntity("The role with name %s cannot be found.", name)
	}
	return r, err
}

// GetRole returns a role.
func (s *Service) GetRole(ctx context.Context, p *iam.Principal, name string) (*store.Role, error) {
	if err := checkName("roleName", name, 64); err != nil {
		return nil, err
	}
	if err := s.allow(ctx, p, "iam:GetRole", roleARN(p.AccountID, "/", name)); err != nil {
		return nil, err
	}
	return s.role(ctx, s.cfg.Store, p.AccountID, name)
}

// DeleteRole deletes a role without policies.
func (s *Service) DeleteRole(ctx context.Context, p *iam.Principal, name string) error {
	if err := checkName("roleName", name, 64); err != nil {
		return err
	}
	if err := s.allow(ctx, p, "iam:DeleteRole", roleARN(p.AccountID, "/", name)); err != nil {
		return err
	}
	return s.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		r, err := s.role(ctx, tx, p.AccountID, name)
		if err != nil {
			return err
		}
		if err := checkNoPolicies(ctx, tx, store.PrincipalRef{AccountID: p.AccountID, Kind: store.PrincipalRole, Name: r.Name}); err != nil {
			return err
		}
		return tx.DeleteRole(ctx, p.AccountID, r.Name)
	})
}

// UpdateAssumeRolePolicy replaces a role's trust policy.
func (s *Service) UpdateAssumeRolePolicy(ctx context.Context, p *iam.Principal, name, doc string) error {
	if err := checkName("roleName", name, 64); err != nil {
		return err
	}
	if err := parseDocument(doc, true); err != nil {
		return err
	}
	if err := s.allow(ctx, p, "iam:UpdateAssumeRolePolicy", roleARN(p.AccountID, "/", name)); err != nil {
		return err
	}
	return s.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		r, err := s.role(ctx, tx, p.AccountID, name)
		if err != nil {
			return err
		}
		return tx.UpdateRoleTrustPolicy(ctx, p.AccountID, r.Name, doc)
	})
}

// ListRoles lists the account's roles by name.
func (s *Service) ListRoles(ctx context.Context, p *iam.Principal, pathPrefix string, pg Page) ([]store.Role, string, error) {
	limit, err := pg.limit()
	if err != nil {
		return nil, "", err
	}
	if err := s.allow(ctx, p, "iam:ListRoles", roleARN(p.AccountID, "/", "*")); err != nil {
		return nil, "", err
	}
	return collectPage(pg.Marker, limit,
		func(after string, n int) ([]store.Role, error) {
			return s.cfg.Store.ListRoles(ctx, p.AccountID, store.Page{After: after, Limit: n})
		},
		func(r store.Role) bool { return strings.HasPrefix(r.Path, orRoot(pathPrefix)) },
		func(r store.Role) string { return strings.ToLower(r.Name) })
}
