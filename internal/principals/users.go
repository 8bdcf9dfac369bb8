package principals

import (
	"context"
	"errors"
	"strings"

	"github.com/cgip/cgip/internal/iam"
	"github.com/cgip/cgip/internal/store"
)

// allow asks the caller's policies for an iam: or sts: action; root may do anything.
func (s *Service) allow(ctx context.Context, p *iam.Principal, action, resource string) error {
	d, err := s.authz.Authorize(ctx, p, action, resource)
	if err != nil {
		return err
	}
	if d == iam.Allow {
		return nil
	}
	return &Error{Code: "AccessDenied", Status: 403, Message: iam.DenialMessage(p.ARN, action, resource, d)}
}

// Page is a Marker/MaxItems request; Next is the marker of the following page ("" at the end).
type Page struct {
	Marker   string
	MaxItems int // 0: 100
}

func (pg Page) limit() (int, error) {
	switch {
	case pg.MaxItems == 0:
		return 100, nil
	case pg.MaxItems < 1 || pg.MaxItems > 1000:
		return 0, validationError("maxItems", itoa(pg.MaxItems), "Member must have value between 1 and 1000")
	}
	return pg.MaxItems, nil
}

func checkPath(field, path string) check {
	if c := length(field, path, 1, 512); c != "" {
		return c
	}
	return pattern(field, path, pathPattern, `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`)
}

func checkName(field, name string, max int) error {
	if c := required(field, name); c != "" {
		return validate(c)
	}
	return validate(length(field, name, 1, max), pattern(field, name, namePattern, `[\w+=,.@-]+`))
}

func orRoot(path string) string {
	if path == "" {
		return "/"
	}
	return path
}

// CreateUser creates an IAM user in the caller's account.
func (s *Service) CreateUser(ctx context.Context, p *iam.Principal, name, path string) (*store.IAMUser, error) {
	path = orRoot(path)
	if err := checkName("userName", name, 64); err != nil {
		return nil, err
	}
	if err := validate(checkPath("path", path)); err != nil {
		return nil, err
	}
	if err := s.allow(ctx, p, "iam:CreateUser", userARN(p.AccountID, path, name)); err != nil {
		return nil, err
	}
	u := &store.IAMUser{AccountID: p.AccountID, Name: name, ID: uniqueID(prefixUser), Path: path, CreatedAt: s.cfg.Now()}
	err := s.cfg.Store.CreateIAMUser(ctx, u)
	if errors.Is(err, store.ErrConflict) {
		return nil, alreadyExists("User with name %s already exists.", name)
	}
	return u, err
}

// user finds a user of the caller's account, or NoSuchEntity.
func (s *Service) user(ctx context.Context, tx store.Tx, account, name string) (*store.IAMUser, error) {
	u, err := tx.GetIAMUser(ctx, account, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noSuchEntity("The user with name %s cannot be found.", name)
	}
	return u, err
}

// GetUser returns the named user, or the caller itself when name is empty (root included:
// then only UserId, Arn and CreateDate are meaningful).
func (s *Service) GetUser(ctx context.Context, p *iam.Principal, name string) (*store.IAMUser, string, error) {
	if name == "" {
		switch {
		case p.Root:
			return &store.IAMUser{AccountID: p.AccountID, ID: p.AccountID, Path: "/"}, p.ARN, nil
		case p.Kind == iam.KindUser:
			name = p.Name
		default:
			return nil, "", errNoUserName
		}
	}
	if err := checkName("userName", name, 128); err != nil {
		return nil, "", err
	}
	if err := s.allow(ctx, p, "iam:GetUser", userARN(p.AccountID, "/", name)); err != nil {
		return nil, "", err
	}
	u, err := s.user(ctx, s.cfg.Store, p.AccountID, name)
	if err != nil {
		return nil, "", err
	}
	return u, userARN(u.AccountID, u.Path, u.Name), nil
}

// UserARN is a user's ARN.
func UserARN(u *store.IAMUser) string { return userARN(u.AccountID, u.Path, u.Name) }

// DeleteUser deletes a user that has no access keys and no policies (IAM's DeleteConflict).
func (s *Service) DeleteUser(ctx context.Context, p *iam.Principal, name string) error {
	if err := checkName("userName", name, 64); err != nil {
		return err
	}
	if err := s.allow(ctx, p, "iam:DeleteUser", userARN(p.AccountID, "/", name)); err != nil {
		return err
	}
	return s.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		u, err := s.user(ctx, tx, p.AccountID, name)
		if err != nil {
			return err
		}
		r := store.PrincipalRef{AccountID: p.AccountID, Kind: store.PrincipalUser, Name: u.Name}
		if keys, err := tx.ListAccessKeys(ctx, p.AccountID, u.Name); err != nil || len(keys) > 0 {
			return orConflict(err, "Cannot delete entity, must delete access keys first.")
		}
		if err := checkNoPolicies(ctx, tx, r); err != nil {
			return err
		}
		return tx.DeleteIAMUser(ctx, p.AccountID, u.Name)
	})
}

func orConflict(err error, msg string) error {
	if err != nil {
		return err
	}
	return deleteConflict(msg)
}

// checkNoPolicies is IAM's precondition for deleting a user or role.
func checkNoPolicies(ctx context.Context, tx store.Tx, r store.PrincipalRef) error {
	if inline, err := tx.ListInlinePolicies(ctx, r); err != nil || len(inline) > 0 {
		return orConflict(err, "Cannot delete entity, must delete policies first.")
	}
	if attached, err := tx.ListAttachedPolicies(ctx, r); err != nil || len(attached) > 0 {
		return orConflict(err, "Cannot delete entity, must detach all policies first.")
	}
	return nil
}

// ListUsers lists the account's users by name.
func (s *Service) ListUsers(ctx context.Context, p *iam.Principal, pathPrefix string, pg Page) ([]store.IAMUser, string, error) {
	limit, err := pg.limit()
	if err != nil {
		return nil, "", err
	}
	if err := s.allow(ctx, p, "iam:ListUsers", userARN(p.AccountID, "/", "*")); err != nil {
		return nil, "", err
	}
	return collectPage(pg.Marker, limit,
		func(after string, n int) ([]store.IAMUser, error) {
			return s.cfg.Store.ListIAMUsers(ctx, p.AccountID, store.Page{After: after, Limit: n})
		},
		func(u store.IAMUser) bool { return strings.HasPrefix(u.Path, orRoot(pathPrefix)) },
		func(u store.IAMUser) string { return strings.ToLower(u.Name) })
}

// collectPage gathers up to limit records that keep accepts, reading the store in batches from
// marker on, and returns the marker of the next page ("" when there is none). key is a record's
// store order key, which is also the marker.
func collectPage[T any](marker string, limit int, fetch func(after string, n int) ([]T, error), keep func(T) bool, key func(T) string) ([]T, string, error) {
	var out []T
	after := marker
	for {
		batch, err := fetch(after, limit+1)
		if err != nil {
			return nil, "", err
		}
		for _, r := range batch {
			if !keep(r) {
				continue
			}
			if len(out) == limit {
				return out, key(out[len(out)-1]), nil
			}
			out = append(out, r)
		}
		if len(batch) < limit+1 {
			return out, "", nil
		}
		after = key(batch[len(batch)-1])
	}
}
