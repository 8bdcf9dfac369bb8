package store

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors. Backends wrap driver errors into these (or return an opaque error for
// failures that are not the caller's fault); callers compare with errors.Is.
var (
	// ErrNotFound: no record with that key.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a record with that key already exists, or an optimistic update lost a race
	// (the record's Version changed since it was read).
	ErrConflict = errors.New("store: conflict")
)

// UserPool is one user pool. Config holds the pool's settings as an opaque JSON document owned
// by the domain (internal/userpool); the store only keys, orders and versions it.
type UserPool struct {
	Region    string
	AccountID string
	ID        string // "<region>_<9 chars>", unique across the store
	Name      string
	Config    []byte // JSON
	Tags      map[string]string
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64 // set by the store; UpdateUserPool requires the value that was read
}

// Client is one app client of a pool. Secret holds the client secret as the domain sealed it
// (encrypted), or nil when the client has none.
type Client struct {
	PoolID    string
	ID        string // 26 chars, unique across the store
	Name      string
	Secret    []byte
	Config    []byte // JSON
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// Page asks for at most Limit records whose key sorts after After ("" = from the start);
// a Limit of 0 or less means no limit.
type Page struct {
	After string
	Limit int
}

// Tx is everything the domain can do with stored records. The same methods are available
// outside a transaction (each call is then its own transaction) and inside Store.InTx.
//
// Common rules: deleting a missing record is ErrNotFound; a successful write updates the
// caller's record with what was stored (Version, times in UTC); zero CreatedAt/UpdatedAt become
// now; Tags come back as a non-nil map; a Tx stays usable after ErrConflict or ErrNotFound.
type Tx interface {
	CreateUserPool(ctx context.Context, p *UserPool) error // ErrConflict if the id exists
	// GetUserPool finds a pool by region and id; a pool in another region is ErrNotFound.
	GetUserPool(ctx context.Context, region, id string) (*UserPool, error)
	// UpdateUserPool writes Name, Config, Tags and UpdatedAt when p.Version still matches;
	// ErrConflict when it does not, ErrNotFound when the pool is gone. It bumps p.Version.
	UpdateUserPool(ctx context.Context, p *UserPool) error
	// DeleteUserPool deletes the pool and everything that belongs to it (clients, users,
	// groups, memberships, messages, signing keys, refresh tokens) in one transaction.
	DeleteUserPool(ctx context.Context, region, id string) error
	// ListUserPools lists the pools of one account in one region, ordered by id.
	ListUserPools(ctx context.Context, region, accountID string, page Page) ([]UserPool, error)

	CreateClient(ctx context.Context, c *Client) error // ErrConflict if the id exists, ErrNotFound without the pool
	// GetClient finds a client of a pool; a client of another pool is ErrNotFound.
	GetClient(ctx context.Context, poolID, clientID string) (*Client, error)
	// FindClient finds a client by its id alone (public operations name only the client).
	FindClient(ctx context.Context, clientID string) (*Client, error)
	UpdateClient(ctx context.Context, c *Client) error // as UpdateUserPool; writes Name, Secret, Config, UpdatedAt
	DeleteClient(ctx context.Context, poolID, clientID string) error
	// ListClients lists a pool's clients ordered by id.
	ListClients(ctx context.Context, poolID string, page Page) ([]Client, error)

	// GetSecret and PutSecretIfAbsent keep small server-wide values (the root credential,
	// the sealing key's check value, HMAC keys). PutSecretIfAbsent returns the value that is
	// stored after the call: the given one, or the one another node stored first.
	GetSecret(ctx context.Context, name string) ([]byte, error)
	PutSecretIfAbsent(ctx context.Context, name string, value []byte) ([]byte, error)

	UserTx
	OutboxTx
	AuthTx
	IAMTx
}

// Store is a backend. InTx runs fn in one transaction, retrying it on serialization
// failures, so fn may run more than once and must have no effects outside the database. fn must
// use only the Tx it is given (on SQLite a write outside it would wait for fn's own transaction)
// and must not keep it after it returns.
type Store interface {
	Tx
	InTx(ctx context.Context, fn func(tx Tx) error) error
	Ping(ctx context.Context) error
	Close() error
}
