package store

import (
	"context"
	"time"
)

// User is one user of a pool. The domain decides every folded key (case-insensitive pools
// lower-case UsernameKey, alias and index values); the store only keeps and indexes them.
type User struct {
	PoolID      string
	Username    string // as created, shown to clients
	UsernameKey string // the lookup key, unique per pool
	Sub         string // UUID, unique per pool
	Enabled     bool
	Status      string            // UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED, ...
	Attributes  map[string]string // every attribute but sub, as clients see them
	// Index holds what ListUsers can filter on: name -> value (e.g. "email", "cognito:user_status").
	// The store keeps one indexed row per entry, so a filtered page reads only the matching rows,
	// but for IndexUsername and IndexSub: those are the user's own keys, which the store reads back
	// into Index["username"] (UsernameKey) and Index["sub"] (Sub) and ignores on writes.
	Index map[string]string
	// Aliases holds the sign-in aliases the user owns: kind ("email", "phone_number",
	// "preferred_username") -> value. A value is unique per pool and kind: a second owner is
	// ErrConflict.
	Aliases         map[string]string
	PasswordHash    string   // "" when the user has no password
	PasswordHistory []string // earlier hashes, newest first
	// Extra is a JSON document the domain owns (MFA settings, temporary-password issue time, ...).
	Extra     []byte
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
	// Stored is what the store last read or wrote of the user's entries. The store sets it;
	// UpdateUser then writes only the index rows and aliases that changed. Nil (a User built
	// by hand) makes UpdateUser replace all of them.
	Stored *StoredEntries
}

// The index names that are a user's own keys: Index["username"] is UsernameKey and
// Index["sub"] is Sub. Users are kept in the order of both already, so a filter on them
// (and FindUserByIndex) reads the user rows themselves, and a user costs two index rows less.
const (
	IndexUsername = "username"
	IndexSub      = "sub"
)

// StoredEntries is a user's index rows and aliases as stored, and the Sub of the user they
// belong to (a user deleted and created again under the same key has another Sub).
type StoredEntries struct {
	Sub            string
	Index, Aliases map[string]string
}

// UserQuery selects a page of a pool's users. Without Attr, users come in UsernameKey order
// and After is the last UsernameKey seen. With Attr, only users whose Index[Attr] equals Value
// (or starts with it, with Prefix) come, in (value, UsernameKey) order, and the page starts
// after (AfterValue, After), where AfterValue is the last listed user's Index[Attr] (also for
// exact matches). Keys, index values and aliases are valid UTF-8; usernames are not empty.
type UserQuery struct {
	PoolID     string
	Attr       string
	Value      string
	Prefix     bool
	AfterValue string
	After      string
	Limit      int
	// SkipEntries leaves Index, Aliases and Stored of the users nil, for callers that only
	// show them: the page is then one statement, without reading index rows and aliases.
	SkipEntries bool
}

// Group is one group of a pool; Config is a JSON document the domain owns (description,
// role ARN, precedence).
type Group struct {
	PoolID    string
	Name      string
	Config    []byte
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// UserTx is the users and groups part of Tx.
type UserTx interface {
	// CreateUser: ErrConflict when the UsernameKey, the Sub or an alias is taken; ErrNotFound
	// when the pool is missing.
	CreateUser(ctx context.Context, u *User) error
	GetUser(ctx context.Context, poolID, usernameKey string) (*User, error)
	// PeekUser is GetUser without Index, Aliases and Stored (left nil), for callers that only
	// show the user: one row, without its index rows and aliases.
	PeekUser(ctx context.Context, poolID, usernameKey string) (*User, error)
	// FindUserByAlias finds the owner of an alias value.
	FindUserByAlias(ctx context.Context, poolID, kind, value string) (*User, error)
	// FindUserByIndex finds one user whose Index[name] equals value (for unique values like sub).
	FindUserByIndex(ctx context.Context, poolID, name, value string) (*User, error)
	// UpdateUser writes everything but the keys (PoolID, UsernameKey, Sub, CreatedAt) when
	// u.Version still matches, replacing the user's index rows and aliases; ErrConflict on a
	// lost race or a taken alias, ErrNotFound when the user is gone.
	UpdateUser(ctx context.Context, u *User) error
	// DeleteUser removes the user, its index rows, aliases, group memberships and refresh tokens.
	DeleteUser(ctx context.Context, poolID, usernameKey string) error
	ListUsers(ctx context.Context, q UserQuery) ([]User, error)
	CountUsers(ctx context.Context, poolID string) (int64, error)

	CreateGroup(ctx context.Context, g *Group) error // ErrConflict if the name exists, ErrNotFound without the pool
	GetGroup(ctx context.Context, poolID, name string) (*Group, error)
	UpdateGroup(ctx context.Context, g *Group) error // optimistic, as UpdateUserPool
	// DeleteGroup removes the group and its memberships.
	DeleteGroup(ctx context.Context, poolID, name string) error
	ListGroups(ctx context.Context, poolID string, page Page) ([]Group, error) // by name
	// AddUserToGroup is idempotent; ErrNotFound when the group or the user is missing.
	AddUserToGroup(ctx context.Context, poolID, group, usernameKey string) error
	// RemoveUserFromGroup is idempotent.
	RemoveUserFromGroup(ctx context.Context, poolID, group, usernameKey string) error
	// ListGroupsForUser pages a user's groups by name; ListUsersInGroup pages members by
	// UsernameKey. A missing user or group gives an empty list, not ErrNotFound.
	ListGroupsForUser(ctx context.Context, poolID, usernameKey string, page Page) ([]Group, error)
	ListUsersInGroup(ctx context.Context, poolID, group string, page Page) ([]User, error)
}
