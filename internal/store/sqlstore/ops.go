package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/cgip/cgip/internal/store"
)

// querier is what ops needs from a connection pool or a transaction: *sql.DB and *sql.Tx both
// satisfy it, so the methods below serve Store (outside transactions) and InTx alike.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ops implements store.Tx against one querier.
type ops struct {
	q  querier
	s  *Store
	tx *txState // nil outside a transaction
}

var _ store.Tx = ops{}

// txState is shared by the ops of one InTx attempt.
type txState struct {
	// retry: a statement failed in a way that asks for the transaction to be rerun, even if
	// fn swallowed the error (PostgreSQL then refuses the commit).
	retry bool
	// own: the transaction exists for one call of a Store method, so a failed call rolls all
	// of it back (see ops.atomic).
	own bool
}

func (o ops) fail(ctx context.Context, op string, err error) error {
	err = o.s.fail(ctx, op, err)
	if o.tx != nil && retryable(err) {
		o.tx.retry = true
	}
	return err
}

// The statements are shared by both dialects. Times are bound as time.Time (SQLite stores
// INTEGER microseconds, PostgreSQL TIMESTAMPTZ) and read back through dbTime.
const (
	poolColumns = `region, account_id, id, name, config, tags, created_at, updated_at, version`

	sqlInsertPool = `INSERT INTO user_pools (` + poolColumns + `)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`
	sqlGetPool    = `SELECT ` + poolColumns + ` FROM user_pools WHERE id = $1 AND region = $2`
	sqlPoolExists = `SELECT 1 FROM user_pools WHERE id = $1 AND region = $2`
	sqlUpdatePool = `UPDATE user_pools SET name = $1, config = $2, tags = $3, updated_at = $4, version = version + 1
WHERE id = $5 AND region = $6 AND version = $7`
	// Everything of the pool (clients, users, groups, messages, signing keys, refresh tokens)
	// goes with it through ON DELETE CASCADE, in the same statement.
	sqlDeletePool = `DELETE FROM user_pools WHERE id = $1 AND region = $2`
	sqlListPools  = `SELECT ` + poolColumns + ` FROM user_pools
WHERE account_id = $1 AND region = $2 AND id > $3 ORDER BY id LIMIT $4`

	clientColumns = `pool_id, id, name, secret, config, created_at, updated_at, version`

	// The EXISTS check turns a missing pool into "no row inserted" instead of a foreign-key
	// error, which on PostgreSQL would abort the surrounding transaction.
	sqlInsertClient = `INSERT INTO clients (` + clientColumns + `)
SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE EXISTS (SELECT 1 FROM user_pools WHERE id = $1)
ON CONFLICT (id) DO NOTHING`
	sqlClientIDExists = `SELECT 1 FROM clients WHERE id = $1`
	sqlGetClient      = `SELECT ` + clientColumns + ` FROM clients WHERE pool_id = $1 AND id = $2`
	sqlFindClient     = `SELECT ` + clientColumns + ` FROM clients WHERE id = $1`
	sqlClientExists   = `SELECT 1 FROM clients WHERE pool_id = $1 AND id = $2`
	sqlUpdateClient   = `UPDATE clients SET name = $1, secret = $2, config = $3, updated_at = $4, version = version + 1
WHERE pool_id = $5 AND id = $6 AND version = $7`
	sqlDeleteClient = `DELETE FROM clients WHERE pool_id = $1 AND id = $2`
	sqlListClients  = `SELECT ` + clientColumns + ` FROM clients WHERE pool_id = $1 AND id > $2 ORDER BY id LIMIT $3`

	sqlGetSecret    = `SELECT value FROM secrets WHERE name = $1`
	sqlInsertSecret = `INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`
)

// CreateUserPool inserts p with Version 1. A zero CreatedAt becomes now and a zero UpdatedAt
// becomes CreatedAt; on success p holds the stored values (UTC, microsecond precision).
func (o ops) CreateUserPool(ctx context.Context, p *store.UserPool) error {
	const op = "create user pool"
	created, updated := createTimes(p.CreatedAt, p.UpdatedAt)
	tags, err := encodeStrings("tags", p.Tags)
	if err != nil {
		return err
	}
	res, err := o.q.ExecContext(ctx, sqlInsertPool,
		p.Region, p.AccountID, p.ID, p.Name, text(p.Config), tags, created, updated, int64(1))
	if err != nil {
		return o.insertFailed(ctx, op, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return o.fail(ctx, op, err)
	} else if n == 0 {
		return store.ErrConflict
	}
	p.CreatedAt, p.UpdatedAt, p.Version = created, updated, 1
	return nil
}

func (o ops) GetUserPool(ctx context.Context, region, id string) (*store.UserPool, error) {
	return getOne(ctx, o, "get user pool", scanPool, sqlGetPool, id, region)
}

// UpdateUserPool writes Name, Config, Tags and UpdatedAt (now, if zero) when the stored
// Version is p.Version, and then increments p.Version.
func (o ops) UpdateUserPool(ctx context.Context, p *store.UserPool) error {
	const op = "update user pool"
	updated := nowIfZero(p.UpdatedAt)
	tags, err := encodeStrings("tags", p.Tags)
	if err != nil {
		return err
	}
	res, err := o.q.ExecContext(ctx, sqlUpdatePool,
		p.Name, text(p.Config), tags, updated, p.ID, p.Region, p.Version)
	if err != nil {
		return o.fail(ctx, op, err)
	}
	if err := o.updated(ctx, op, res, sqlPoolExists, p.ID, p.Region); err != nil {
		return err
	}
	p.UpdatedAt = updated
	p.Version++
	return nil
}

func (o ops) DeleteUserPool(ctx context.Context, region, id string) error {
	res, err := o.q.ExecContext(ctx, sqlDeletePool, id, region)
	return o.deleted(ctx, "delete user pool", res, err)
}

// ListUserPools returns at most page.Limit pools (all of them if Limit <= 0).
func (o ops) ListUserPools(ctx context.Context, region, accountID string, page store.Page) ([]store.UserPool, error) {
	return queryAll(ctx, o, "list user pools", scanPool, sqlListPools, accountID, region, page.After, limit(page))
}

// CreateClient inserts c with Version 1 (timestamps as for CreateUserPool). ErrConflict if
// the client id exists, ErrNotFound if the pool does not.
func (o ops) CreateClient(ctx context.Context, c *store.Client) error {
	const op = "create client"
	created, updated := createTimes(c.CreatedAt, c.UpdatedAt)
	res, err := o.q.ExecContext(ctx, sqlInsertClient,
		c.PoolID, c.ID, c.Name, blob(c.Secret), text(c.Config), created, updated, int64(1))
	if err != nil {
		return o.insertFailed(ctx, op, err)
	}
	// No row: either the id is taken or the pool is missing.
	if err := o.inserted(ctx, op, res, sqlClientIDExists, c.ID); err != nil {
		return err
	}
	c.CreatedAt, c.UpdatedAt, c.Version = created, updated, 1
	return nil
}

func (o ops) GetClient(ctx context.Context, poolID, clientID string) (*store.Client, error) {
	return o.getClient(ctx, sqlGetClient, poolID, clientID)
}

func (o ops) FindClient(ctx context.Context, clientID string) (*store.Client, error) {
	return o.getClient(ctx, sqlFindClient, clientID)
}

func (o ops) getClient(ctx context.Context, query string, args ...any) (*store.Client, error) {
	return getOne(ctx, o, "get client", scanClient, query, args...)
}

// UpdateClient writes Name, Secret, Config and UpdatedAt (now, if zero) when the stored
// Version is c.Version, and then increments c.Version.
func (o ops) UpdateClient(ctx context.Context, c *store.Client) error {
	const op = "update client"
	updated := nowIfZero(c.UpdatedAt)
	res, err := o.q.ExecContext(ctx, sqlUpdateClient,
		c.Name, blob(c.Secret), text(c.Config), updated, c.PoolID, c.ID, c.Version)
	if err != nil {
		return o.fail(ctx, op, err)
	}
	if err := o.updated(ctx, op, res, sqlClientExists, c.PoolID, c.ID); err != nil {
		return err
	}
	c.UpdatedAt = updated
	c.Version++
	return nil
}

func (o ops) DeleteClient(ctx context.Context, poolID, clientID string) error {
	res, err := o.q.ExecContext(ctx, sqlDeleteClient, poolID, clientID)
	return o.deleted(ctx, "delete client", res, err)
}

// ListClients returns at most page.Limit clients (all of them if Limit <= 0).
func (o ops) ListClients(ctx context.Context, poolID string, page store.Page) ([]store.Client, error) {
	return queryAll(ctx, o, "list clients", scanClient, sqlListClients, poolID, page.After, limit(page))
}

func (o ops) GetSecret(ctx context.Context, name string) ([]byte, error) {
	var v []byte
	if err := o.q.QueryRowContext(ctx, sqlGetSecret, name).Scan(&v); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, store.ErrNotFound
		}
		return nil, o.fail(ctx, "get secret", err)
	}
	if v == nil {
		v = []byte{}
	}
	return v, nil
}

// PutSecretIfAbsent inserts the value unless the name is taken and returns what is stored.
// Secrets are never updated or deleted, so the read after the insert needs no transaction.
func (o ops) PutSecretIfAbsent(ctx context.Context, name string, value []byte) ([]byte, error) {
	const op = "put secret"
	if value == nil {
		value = []byte{}
	}
	if _, err := o.q.ExecContext(ctx, sqlInsertSecret, name, value); err != nil {
		return nil, o.fail(ctx, op, err)
	}
	v, err := o.GetSecret(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, o.fail(ctx, op, errors.New("secret missing right after insert"))
	}
	return v, err
}

// insertFailed maps the error of an INSERT ... ON CONFLICT DO NOTHING. Constraint violations
// are not expected there (the conflict is reported as zero rows), but a race with a concurrent
// delete can still break a foreign key.
func (o ops) insertFailed(ctx context.Context, op string, err error) error {
	switch classify(err) {
	case failUnique:
		return store.ErrConflict
	case failForeignKey:
		return store.ErrNotFound
	}
	return o.fail(ctx, op, err)
}

// execCount runs a statement and returns the rows it affected.
func (o ops) execCount(ctx context.Context, op, query string, args ...any) (int64, error) {
	res, err := o.q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, o.fail(ctx, op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, o.fail(ctx, op, err)
	}
	return n, nil
}

// inserted finishes an INSERT ... SELECT ... WHERE EXISTS (parent) ON CONFLICT DO NOTHING: no
// row inserted means ErrConflict when parentQuery finds a row (the key is taken) and
// ErrNotFound when it does not.
func (o ops) inserted(ctx context.Context, op string, res sql.Result, parentQuery string, args ...any) error {
	n, err := res.RowsAffected()
	if err != nil {
		return o.fail(ctx, op, err)
	}
	if n > 0 {
		return nil
	}
	found, err := o.exists(ctx, parentQuery, args...)
	switch {
	case err != nil:
		return o.fail(ctx, op, err)
	case found:
		return store.ErrConflict
	default:
		return store.ErrNotFound
	}
}

// atomic runs fn, statements that must take effect together or not at all. In a transaction of
// its own (Store runs multi-statement writes in one) a failure rolls the whole transaction back;
// inside InTx fn runs under a savepoint that a failure rolls back to, so the caller's
// transaction goes on without any of fn's writes (on PostgreSQL also after a failed statement,
// which would otherwise abort it).
func (o ops) atomic(ctx context.Context, op string, fn func() error) error {
	if o.tx == nil || o.tx.own {
		return fn()
	}
	if _, err := o.q.ExecContext(ctx, "SAVEPOINT cgip_write"); err != nil {
		return o.fail(ctx, op, err)
	}
	err := fn()
	if err != nil {
		if _, rerr := o.q.ExecContext(ctx, "ROLLBACK TO SAVEPOINT cgip_write"); rerr != nil {
			return o.fail(ctx, op, rerr)
		}
	}
	if _, rerr := o.q.ExecContext(ctx, "RELEASE SAVEPOINT cgip_write"); rerr != nil && err == nil {
		return o.fail(ctx, op, rerr)
	}
	return err
}

// updated finishes an optimistic UPDATE: no row changed means ErrConflict when the record
// still exists (its version moved on) and ErrNotFound when it does not.
func (o ops) updated(ctx context.Context, op string, res sql.Result, existsQuery string, args ...any) error {
	return o.inserted(ctx, op, res, existsQuery, args...)
}

// deleted finishes a DELETE: ErrNotFound when nothing was deleted.
func (o ops) deleted(ctx context.Context, op string, res sql.Result, err error) error {
	if err != nil {
		return o.fail(ctx, op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return o.fail(ctx, op, err)
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (o ops) exists(ctx context.Context, query string, args ...any) (bool, error) {
	var one int64
	err := o.q.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

type scanner interface{ Scan(dest ...any) error }

// queryAll runs a query and scans each of its rows.
// getOne runs a query for one row: ErrNotFound when there is none.
func getOne[T any](ctx context.Context, o ops, op string, scan func(scanner) (*T, error), query string, args ...any) (*T, error) {
	v, err := scan(o.q.QueryRowContext(ctx, query, args...))
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, store.ErrNotFound
		}
		return nil, o.fail(ctx, op, err)
	}
	return v, nil
}

func queryAll[T any](ctx context.Context, o ops, op string, scan func(scanner) (*T, error), query string, args ...any) ([]T, error) {
	rows, err := o.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, o.fail(ctx, op, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, o.fail(ctx, op, err)
		}
		out = append(out, *v)
	}
	if err := rows.Err(); err != nil {
		return nil, o.fail(ctx, op, err)
	}
	return out, nil
}

func scanPool(row scanner) (*store.UserPool, error) {
	var (
		p                store.UserPool
		tags             string
		created, updated timeScanner
	)
	if err := row.Scan(&p.Region, &p.AccountID, &p.ID, &p.Name, &p.Config, &tags,
		&created, &updated, &p.Version); err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = created.t, updated.t
	var err error
	if p.Tags, err = decodeStrings(tags); err != nil {
		return nil, fmt.Errorf("decoding tags of pool %s: %w", p.ID, err)
	}
	return &p, nil
}

func scanClient(row scanner) (*store.Client, error) {
	var (
		c                store.Client
		created, updated timeScanner
	)
	if err := row.Scan(&c.PoolID, &c.ID, &c.Name, &c.Secret, &c.Config,
		&created, &updated, &c.Version); err != nil {
		return nil, err
	}
	c.CreatedAt, c.UpdatedAt = created.t, updated.t
	return &c, nil
}

// encodeStrings stores a map (tags, attributes) as a JSON object; nil and empty maps are both
// "{}" and are read back by decodeStrings as an empty, non-nil map.
func encodeStrings(what string, m map[string]string) (string, error) {
	if len(m) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("store: encoding %s: %w", what, err)
	}
	return string(b), nil
}

func decodeStrings(doc string) (map[string]string, error) {
	m := map[string]string{}
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		return nil, err
	}
	if m == nil { // the column held "null"
		m = map[string]string{}
	}
	return m, nil
}

// text binds a JSON document to a TEXT column: nil is NULL, anything else its exact bytes.
func text(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// blob binds bytes to a BLOB/BYTEA column: nil is NULL.
func blob(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}

// createTimes are the times a new record is stored with: a zero created becomes now and a zero
// updated becomes created.
func createTimes(created, updated time.Time) (time.Time, time.Time) {
	if created.IsZero() {
		created = time.Now()
	}
	created = dbTime(created)
	if updated.IsZero() {
		return created, created
	}
	return created, dbTime(updated)
}

// updateTime is the UpdatedAt an update stores: t, or now if t is zero.
func nowIfZero(t time.Time) time.Time {
	if t.IsZero() {
		t = time.Now()
	}
	return dbTime(t)
}

// dbTime is t as the store keeps it: UTC, truncated to microseconds (what both SQLite's
// INTEGER column and PostgreSQL's TIMESTAMPTZ hold).
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// timeScanner reads a timestamp column of either dialect.
type timeScanner struct{ t time.Time }

func (s *timeScanner) Scan(src any) error {
	switch v := src.(type) {
	case time.Time: // PostgreSQL TIMESTAMPTZ
		s.t = v.UTC()
	case int64: // SQLite INTEGER microseconds
		s.t = time.UnixMicro(v).UTC()
	default:
		return fmt.Errorf("unexpected timestamp value of type %T", src)
	}
	return nil
}

func limit(p store.Page) int64 {
	if p.Limit <= 0 {
		return math.MaxInt64
	}
	return int64(p.Limit)
}
