package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/store"
)

// User statuses (model.UserStatusType).
const (
	statusUnconfirmed         = model.UserStatusTypeUnconfirmed
	statusConfirmed           = model.UserStatusTypeConfirmed
	statusForceChangePassword = model.UserStatusTypeForceChangePassword
	statusResetRequired       = model.UserStatusTypeResetRequired
	statusExternalProvider    = model.UserStatusTypeExternalProvider
)

// userExtra is what the store keeps in User.Extra.
type userExtra struct {
	// TemporaryPasswordIssuedAt is when the current temporary password was set (for
	// TemporaryPasswordValidityDays); zero when the password is permanent.
	TemporaryPasswordIssuedAt time.Time `json:",omitzero"`
	// Codes are the outstanding one-time codes by purpose (reset, signup, verify:<attr>);
	// a new code of a purpose replaces the old one (latest wins).
	Codes map[string]*pendingCode `json:",omitempty"`
	// WrongCodes and ResetRequests are recent failures and ForgotPassword requests, for the
	// attempt limits.
	WrongCodes    []time.Time `json:",omitempty"`
	ResetRequests []time.Time `json:",omitempty"`
	// FailedSignIns are recent wrong passwords, for "Password attempts exceeded".
	FailedSignIns []time.Time `json:",omitempty"`
}

func decodeExtra(u *store.User) (userExtra, error) {
	var x userExtra
	if len(u.Extra) == 0 {
		return x, nil
	}
	if err := json.Unmarshal(u.Extra, &x); err != nil {
		return x, fmt.Errorf("userpool: user %s: corrupt extra: %w", u.Sub, err)
	}
	return x, nil
}

func setExtra(u *store.User, x userExtra) {
	u.Extra, _ = json.Marshal(x)
}

// caseSensitive reports whether the pool matches usernames (and aliases) exactly. The API
// default, when UsernameConfiguration is absent, is case-sensitive.
func (p *pool) caseSensitive() bool {
	uc := p.doc.Pool.UsernameConfiguration
	return uc == nil || uc.CaseSensitive == nil || *uc.CaseSensitive
}

// fold is the lookup key of a username or alias value in this pool.
func (p *pool) fold(v string) string {
	if p.caseSensitive() {
		return v
	}
	return strings.ToLower(v)
}

func (p *pool) hasAlias(kind string) bool { return slices.Contains(p.doc.Pool.AliasAttributes, kind) }

func (p *pool) usernameAttr(kind string) bool {
	return slices.Contains(p.doc.Pool.UsernameAttributes, kind)
}

// searchable are the attributes ListUsers can filter on, kept in the user's index.
var searchable = []string{"username", "email", "phone_number", "name", "given_name", "family_name",
	"preferred_username", "cognito:user_status", "status", "sub"}

// reindex recomputes what the store indexes for u: the ListUsers index and the aliases it owns.
// Email and phone aliases count only once verified; preferred_username always (SPEC section 6).
// In UsernameAttributes pools the email or phone number is the sign-in name, so it is an alias too.
func (p *pool) reindex(u *store.User) {
	u.Index = map[string]string{
		"username":            p.fold(u.Username),
		"cognito:user_status": u.Status,
		"status":              enabledWord(u.Enabled),
		"sub":                 u.Sub,
	}
	for _, name := range searchable {
		if v, ok := u.Attributes[name]; ok {
			u.Index[name] = p.foldAttr(name, v)
		}
	}
	u.Aliases = map[string]string{}
	for _, kind := range []string{"email", "phone_number"} {
		v, ok := u.Attributes[kind]
		if !ok {
			continue
		}
		if p.usernameAttr(kind) || (p.hasAlias(kind) && u.Attributes[kind+"_verified"] == "true") {
			u.Aliases[kind] = p.foldAttr(kind, v)
		}
	}
	if v, ok := u.Attributes["preferred_username"]; ok && p.hasAlias("preferred_username") {
		u.Aliases["preferred_username"] = p.fold(v)
	}
}

// foldAttr folds the attributes a case-insensitive pool matches without case (email and
// preferred_username); other values are kept as they are.
func (p *pool) foldAttr(name, v string) string {
	if name == "email" || name == "preferred_username" || name == "username" {
		return p.fold(v)
	}
	return v
}

func enabledWord(enabled bool) string {
	if enabled {
		return "Enabled"
	}
	return "Disabled"
}

// findUser resolves a Username as SPEC section 6 says: the exact username (folded in
// case-insensitive pools), then a verified alias, then the email or phone number of a
// UsernameAttributes pool, then the sub.
func (s *Service) findUser(ctx context.Context, tx store.Tx, poolID, username string) (*pool, *store.User, error) {
	p, err := s.getPool(ctx, tx, poolID)
	if err != nil {
		return nil, nil, err
	}
	u, err := p.lookup(ctx, tx, username)
	return p, u, err
}

// peek is lookup for callers that only show the user: by username it reads the user's row
// alone (store.Tx.PeekUser), without the index rows and aliases a write needs.
func (p *pool) peek(ctx context.Context, tx store.Tx, username string) (*store.User, error) {
	return p.find(ctx, tx, username, tx.PeekUser)
}

func (p *pool) lookup(ctx context.Context, tx store.Tx, username string) (*store.User, error) {
	return p.find(ctx, tx, username, tx.GetUser)
}

// find looks username up as a username key (read with byKey), then as an alias, then as a sub.
func (p *pool) find(ctx context.Context, tx store.Tx, username string, byKey func(ctx context.Context, poolID, usernameKey string) (*store.User, error)) (*store.User, error) {
	u, err := byKey(ctx, p.rec.ID, p.fold(username))
	if !errors.Is(err, store.ErrNotFound) {
		return u, err
	}
	for _, kind := range []string{"email", "phone_number", "preferred_username"} {
		if !p.hasAlias(kind) && !p.usernameAttr(kind) {
			continue
		}
		u, err = tx.FindUserByAlias(ctx, p.rec.ID, kind, p.foldAttr(kind, username))
		if !errors.Is(err, store.ErrNotFound) {
			return u, err
		}
	}
	u, err = tx.FindUserByIndex(ctx, p.rec.ID, "sub", username)
	if errors.Is(err, store.ErrNotFound) {
		return nil, apierr.UserNotFound()
	}
	return u, err
}

// attributeList is a user's attributes as Cognito lists them: sub first, then the others by
// name. With keep, only the named attributes are listed.
func attributeList(u *store.User, keep []string) []model.AttributeType {
	names := make([]string, 0, len(u.Attributes))
	for n := range u.Attributes {
		names = append(names, n)
	}
	sort.Strings(names)
	out := []model.AttributeType{}
	want := func(n string) bool { return keep == nil || slices.Contains(keep, n) }
	if want("sub") {
		out = append(out, model.AttributeType{Name: ptr("sub"), Value: ptr(u.Sub)})
	}
	for _, n := range names {
		if want(n) {
			out = append(out, model.AttributeType{Name: ptr(n), Value: ptr(u.Attributes[n])})
		}
	}
	return out
}

// userView is a user as ListUsers, AdminCreateUser and ListUsersInGroup show it.
func userView(u *store.User, keep []string) *model.UserType {
	return &model.UserType{
		Username:             ptr(u.Username),
		Attributes:           attributeList(u, keep),
		UserCreateDate:       model.NewTime(u.CreatedAt),
		UserLastModifiedDate: model.NewTime(u.UpdatedAt),
		Enabled:              ptr(u.Enabled),
		UserStatus:           ptr(u.Status),
	}
}
