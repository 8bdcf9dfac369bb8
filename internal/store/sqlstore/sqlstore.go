package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime"
	"time"

	"github.com/cgip/cgip/internal/store"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"
)

// Options tune a Store. The zero value is valid.
type Options struct {
	// Logger receives the driver's detail of failures that callers only see as opaque
	// errors, and of migrations. nil discards it.
	Logger *slog.Logger
}

// Store is a store.Store backed by SQLite or PostgreSQL through database/sql.
type Store struct {
	d   *dialect
	w   *sql.DB // writes, transactions, migrations
	r   *sql.DB // reads outside transactions; the same pool as w except for file SQLite
	log *slog.Logger
	// Prepared-statement caches of w and r (SQLite only; nil for PostgreSQL).
	wc, rc *stmtCache
	// group batches SQLite's writers into shared transactions (groupcommit.go); nil for
	// PostgreSQL, whose transactions run side by side.
	group *groupCommitter
	// walPath is file SQLite's write-ahead log, which group leaders sync (groupcommit.go).
	walPath string
}

var _ store.Store = (*Store)(nil)

// Open connects to the database named by dsn, applies pending migrations and returns the
// store. dsn is one of
//
//	postgres://... or postgresql://...  PostgreSQL (pgx); the URL is passed on unchanged, so
//	                                    pgx parameters such as sslmode or search_path work
//	file:<path>[?<params>]              SQLite in that file (SQLite URI syntax; other
//	                                    modernc/SQLite parameters are kept)
//	<path>                              SQLite in that file
//	:memory:                            a private in-memory SQLite database, gone on Close
//
// File-backed SQLite runs in WAL mode with synchronous=FULL (a commit is on disk before it
// returns), foreign keys on and a busy timeout, on every connection. Writes and transactions
// go through one connection that begins with BEGIN IMMEDIATE, where writers that arrive
// together share one transaction and one commit (groupcommit.go), reads outside transactions
// through a pool of read-only connections. In-memory SQLite lives in a single connection that
// the pool never closes; everything, reads included, queues for it.
//
// Errors from Open carry the driver's message: they are meant for the operator.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	t, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Store{d: t.d, log: log}

	s.w, err = sql.Open(t.d.driver, t.write)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open %s database: %v", t.d.name, err)
	}
	switch {
	case t.d == postgresDialect:
		s.w.SetMaxOpenConns(20)
		s.w.SetMaxIdleConns(10)
		s.w.SetConnMaxIdleTime(5 * time.Minute)
		s.w.SetConnMaxLifetime(30 * time.Minute)
	default:
		// SQLite has one writer at a time anyway; queueing writers here (instead of in
		// SQLite's busy handler) is fair and fast. For :memory: this one connection IS the
		// database, so it must never be closed: no idle or lifetime limits.
		s.w.SetMaxOpenConns(1)
		s.w.SetMaxIdleConns(1)
		s.w.SetConnMaxIdleTime(0)
		s.w.SetConnMaxLifetime(0)
	}
	s.r = s.w
	if err := s.init(ctx, t); err != nil {
		_ = s.Close()
		return nil, err
	}
	if s.d == sqliteDialect && !t.single {
		var file string
		if err := s.w.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file); err != nil || file == "" {
			_ = s.Close()
			return nil, fmt.Errorf("sqlstore: locate the SQLite database file: %v", err)
		}
		s.walPath = file + "-wal"
	}
	if s.d == sqliteDialect {
		s.wc = newStmtCache(s.w)
		s.rc = s.wc
		s.group = &groupCommitter{}
		if s.r != s.w {
			s.rc = newStmtCache(s.r)
		}
	}
	return s, nil
}

func (s *Store) init(ctx context.Context, t target) error {
	if err := s.connect(ctx, s.w); err != nil {
		return err
	}
	if s.d == sqliteDialect && !t.single {
		// journal_mode=WAL silently keeps the old mode when it cannot switch; insist.
		var mode string
		if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			return fmt.Errorf("sqlstore: read SQLite journal mode: %v", err)
		}
		if mode != "wal" {
			return fmt.Errorf("sqlstore: SQLite database is in journal mode %q, want wal", mode)
		}
	}
	if err := s.migrate(ctx); err != nil {
		return err
	}
	if t.read != "" {
		r, err := sql.Open(s.d.driver, t.read)
		if err != nil {
			return fmt.Errorf("sqlstore: open %s database: %v", s.d.name, err)
		}
		n := max(4, runtime.GOMAXPROCS(0))
		r.SetMaxOpenConns(n)
		r.SetMaxIdleConns(n)
		r.SetConnMaxIdleTime(5 * time.Minute)
		s.r = r
		if err := s.connect(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// connect opens a first connection of db. When several processes open a new SQLite file at
// once, the switch to WAL mode can fail with SQLITE_BUSY without consulting the busy timeout;
// such failures are retried for as long as the busy timeout.
func (s *Store) connect(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(sqliteBusyTimeout)
	for n := 1; ; n++ {
		err := db.PingContext(ctx)
		if err == nil {
			return nil
		}
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if classify(err) != failRetry || time.Now().After(deadline) {
			return fmt.Errorf("sqlstore: connect to %s database: %v", s.d.name, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff(n)):
		}
	}
}

// Dialect reports the backend: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	for _, db := range s.pools() {
		if err := db.PingContext(ctx); err != nil {
			return s.fail(ctx, "ping", err)
		}
	}
	return nil
}

// Close closes the connection pools. On file SQLite the last connection to close checkpoints
// the WAL into the database file.
func (s *Store) Close() error {
	var first error
	for _, c := range []*stmtCache{s.rc, s.wc} {
		if c != nil {
			c.close()
		}
	}
	// The read pool first, so that the write connection is the last one and checkpoints.
	pools := s.pools()
	for i := len(pools) - 1; i >= 0; i-- {
		if err := pools[i].Close(); err != nil && first == nil {
			first = s.fail(context.Background(), "close", err)
		}
	}
	return first
}

func (s *Store) pools() []*sql.DB {
	switch {
	case s.w == nil:
		return nil
	case s.r == nil || s.r == s.w:
		return []*sql.DB{s.w}
	}
	return []*sql.DB{s.w, s.r}
}

// Retry policy for serialization failures, deadlocks and busy databases: up to maxAttempts
// runs, sleeping a jittered, doubling delay (1-2ms, 2-4ms, ... capped at 100-200ms) between
// them. After the last attempt the error wraps store.ErrConflict: the caller lost a race.
const (
	maxAttempts  = 10
	backoffBase  = 2 * time.Millisecond
	backoffLimit = 200 * time.Millisecond
)

func backoff(attempt int) time.Duration {
	d := backoffBase << min(attempt-1, 16)
	d = min(d, backoffLimit)
	return d/2 + rand.N(d/2+1)
}

// retry runs attempt until it succeeds, fails in a way that retrying cannot fix, or has run
// maxAttempts times.
func (s *Store) retry(ctx context.Context, op string, attempt func() error) error {
	for n := 1; ; n++ {
		err := attempt()
		if err == nil || !retryable(err) {
			return err
		}
		if n == maxAttempts {
			s.log.LogAttrs(ctx, slog.LevelWarn, "store operation kept conflicting; giving up",
				slog.String("op", op), slog.Int("attempts", n))
			return fmt.Errorf("store: %s still conflicting after %d attempts: %w", op, n, store.ErrConflict)
		}
		timer := time.NewTimer(backoff(n))
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
	}
}

// InTx runs fn in one transaction and commits it if fn returns nil. If fn returns an error,
// the transaction is rolled back and the error returned unchanged. On a serialization failure
// or deadlock (PostgreSQL) or a busy database (SQLite) the transaction is rolled back and fn
// runs again, up to 10 times; then the error wraps store.ErrConflict. fn must use only tx (on
// SQLite a non-transactional write from inside fn would wait for the transaction itself).
//
// PostgreSQL transactions are SERIALIZABLE; SQLite ones hold the write lock from BEGIN. Either
// way fn sees and produces the same results as if it ran alone.
func (s *Store) InTx(ctx context.Context, fn func(tx store.Tx) error) error {
	return s.retry(ctx, "transaction", func() error {
		return s.writeTx(ctx, &txState{}, func(o ops) error { return fn(o) })
	})
}

// writeTx runs fn in a write transaction: on SQLite a member of a group commit, on PostgreSQL
// a transaction of its own.
func (s *Store) writeTx(ctx context.Context, st *txState, fn func(o ops) error) error {
	if s.group != nil {
		return s.groupTx(ctx, st, fn)
	}
	return s.runTx(ctx, s.w, writeTx, st, fn)
}

var (
	writeTx = &sql.TxOptions{Isolation: sql.LevelSerializable}
	// readTx gives a read one snapshot: REPEATABLE READ on PostgreSQL; on SQLite a deferred
	// BEGIN (the driver ignores the isolation level), whose first read fixes the snapshot.
	readTx = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
)

// runTx runs fn in one transaction of db, sharing st among fn's ops.
func (s *Store) runTx(ctx context.Context, db *sql.DB, opts *sql.TxOptions, st *txState, fn func(o ops) error) error {
	c := s.cacheOf(db)
	if c != nil {
		// Queries first met inside the transaction are prepared once it has ended (the
		// deferred Rollback below runs before this).
		defer c.preparePending(context.WithoutCancel(ctx))
	}
	tx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return s.fail(ctx, "begin transaction", err)
	}
	done := false
	defer func() {
		if !done { // fn failed or panicked
			_ = tx.Rollback()
		}
	}()
	var q querier = tx
	if c != nil {
		q = cachedTx{tx, c}
	}
	if err := fn(ops{q: q, s: s, tx: st}); err != nil {
		return err
	}
	done = true
	if err := tx.Commit(); err != nil {
		err = s.fail(ctx, "commit transaction", err)
		if oe, ok := err.(*opError); ok && st.retry {
			oe.retry = true
		}
		return err
	}
	return nil
}

// Outside a transaction reads go to the read pool and writes to the write pool; writes retry
// like InTx (each is one statement, or statements that are safe to run unbundled). Reads and
// writes that take several statements which belong together run in a transaction of their own
// (readAll, writeAll).

func (s *Store) reader() ops { return ops{q: s.querier(s.r, s.rc), s: s} }

func (s *Store) write(ctx context.Context, op string, fn func(o ops) error) error {
	if s.group != nil {
		// On SQLite a single statement joins the next group commit too.
		return s.writeAll(ctx, op, fn)
	}
	return s.retry(ctx, op, func() error { return fn(ops{q: s.w, s: s}) })
}

// querier runs queries on db through its statement cache, if it has one.
func (s *Store) querier(db *sql.DB, c *stmtCache) querier {
	if c == nil {
		return db
	}
	return cachedDB{db, c}
}

// cacheOf is the statement cache of one of the store's pools.
func (s *Store) cacheOf(db *sql.DB) *stmtCache {
	switch {
	case s.wc != nil && db == s.w:
		return s.wc
	case s.rc != nil && db == s.r:
		return s.rc
	}
	return nil
}

// writeAll runs a write that takes several statements in a transaction of its own, retried like
// InTx.
func (s *Store) writeAll(ctx context.Context, op string, fn func(o ops) error) error {
	return s.retry(ctx, op, func() error { return s.writeTx(ctx, &txState{own: true}, fn) })
}

// readAll runs a read that takes several statements in a read-only transaction of the read
// pool, so that all of them see one snapshot, and returns what fn returns.
func readAll[T any](ctx context.Context, s *Store, op string, fn func(o ops) (T, error)) (T, error) {
	var v T
	err := s.retry(ctx, op, func() error {
		return s.runTx(ctx, s.r, readTx, &txState{own: true}, func(o ops) error {
			var err error
			v, err = fn(o)
			return err
		})
	})
	return v, err
}

func (s *Store) CreateUserPool(ctx context.Context, p *store.UserPool) error {
	return s.write(ctx, "create user pool", func(o ops) error { return o.CreateUserPool(ctx, p) })
}

func (s *Store) GetUserPool(ctx context.Context, region, id string) (*store.UserPool, error) {
	return s.reader().GetUserPool(ctx, region, id)
}

func (s *Store) UpdateUserPool(ctx context.Context, p *store.UserPool) error {
	return s.write(ctx, "update user pool", func(o ops) error { return o.UpdateUserPool(ctx, p) })
}

func (s *Store) DeleteUserPool(ctx context.Context, region, id string) error {
	return s.write(ctx, "delete user pool", func(o ops) error { return o.DeleteUserPool(ctx, region, id) })
}

func (s *Store) ListUserPools(ctx context.Context, region, accountID string, page store.Page) ([]store.UserPool, error) {
	return s.reader().ListUserPools(ctx, region, accountID, page)
}

func (s *Store) CreateClient(ctx context.Context, c *store.Client) error {
	return s.write(ctx, "create client", func(o ops) error { return o.CreateClient(ctx, c) })
}

func (s *Store) GetClient(ctx context.Context, poolID, clientID string) (*store.Client, error) {
	return s.reader().GetClient(ctx, poolID, clientID)
}

func (s *Store) FindClient(ctx context.Context, clientID string) (*store.Client, error) {
	return s.reader().FindClient(ctx, clientID)
}

func (s *Store) UpdateClient(ctx context.Context, c *store.Client) error {
	return s.write(ctx, "update client", func(o ops) error { return o.UpdateClient(ctx, c) })
}

func (s *Store) DeleteClient(ctx context.Context, poolID, clientID string) error {
	return s.write(ctx, "delete client", func(o ops) error { return o.DeleteClient(ctx, poolID, clientID) })
}

func (s *Store) ListClients(ctx context.Context, poolID string, page store.Page) ([]store.Client, error) {
	return s.reader().ListClients(ctx, poolID, page)
}

func (s *Store) GetSecret(ctx context.Context, name string) ([]byte, error) {
	return s.reader().GetSecret(ctx, name)
}

func (s *Store) PutSecretIfAbsent(ctx context.Context, name string, value []byte) ([]byte, error) {
	var stored []byte
	err := s.write(ctx, "put secret", func(o ops) error {
		var err error
		stored, err = o.PutSecretIfAbsent(ctx, name, value)
		return err
	})
	return stored, err
}

func (s *Store) CreateUser(ctx context.Context, u *store.User) error {
	return s.writeAll(ctx, "create user", func(o ops) error { return o.CreateUser(ctx, u) })
}

// GetUser, FindUserByAlias and FindUserByIndex are one statement each (wholeUser): no
// transaction needed.
func (s *Store) GetUser(ctx context.Context, poolID, usernameKey string) (*store.User, error) {
	return s.reader().GetUser(ctx, poolID, usernameKey)
}

func (s *Store) PeekUser(ctx context.Context, poolID, usernameKey string) (*store.User, error) {
	return s.reader().PeekUser(ctx, poolID, usernameKey)
}

func (s *Store) FindUserByAlias(ctx context.Context, poolID, kind, value string) (*store.User, error) {
	return s.reader().FindUserByAlias(ctx, poolID, kind, value)
}

func (s *Store) FindUserByIndex(ctx context.Context, poolID, name, value string) (*store.User, error) {
	return s.reader().FindUserByIndex(ctx, poolID, name, value)
}

func (s *Store) UpdateUser(ctx context.Context, u *store.User) error {
	return s.writeAll(ctx, "update user", func(o ops) error { return o.UpdateUser(ctx, u) })
}

func (s *Store) DeleteUser(ctx context.Context, poolID, usernameKey string) error {
	return s.write(ctx, "delete user", func(o ops) error { return o.DeleteUser(ctx, poolID, usernameKey) })
}

func (s *Store) ListUsers(ctx context.Context, q store.UserQuery) ([]store.User, error) {
	if q.SkipEntries { // one statement: no transaction needed for one snapshot
		return s.reader().ListUsers(ctx, q)
	}
	return readAll(ctx, s, "list users", func(o ops) ([]store.User, error) { return o.ListUsers(ctx, q) })
}

func (s *Store) CountUsers(ctx context.Context, poolID string) (int64, error) {
	return s.reader().CountUsers(ctx, poolID)
}

func (s *Store) CreateGroup(ctx context.Context, g *store.Group) error {
	return s.write(ctx, "create group", func(o ops) error { return o.CreateGroup(ctx, g) })
}

func (s *Store) GetGroup(ctx context.Context, poolID, name string) (*store.Group, error) {
	return s.reader().GetGroup(ctx, poolID, name)
}

func (s *Store) UpdateGroup(ctx context.Context, g *store.Group) error {
	return s.write(ctx, "update group", func(o ops) error { return o.UpdateGroup(ctx, g) })
}

func (s *Store) DeleteGroup(ctx context.Context, poolID, name string) error {
	return s.write(ctx, "delete group", func(o ops) error { return o.DeleteGroup(ctx, poolID, name) })
}

func (s *Store) ListGroups(ctx context.Context, poolID string, page store.Page) ([]store.Group, error) {
	return s.reader().ListGroups(ctx, poolID, page)
}

func (s *Store) AddUserToGroup(ctx context.Context, poolID, group, usernameKey string) error {
	return s.write(ctx, "add user to group", func(o ops) error { return o.AddUserToGroup(ctx, poolID, group, usernameKey) })
}

func (s *Store) RemoveUserFromGroup(ctx context.Context, poolID, group, usernameKey string) error {
	return s.write(ctx, "remove user from group", func(o ops) error {
		return o.RemoveUserFromGroup(ctx, poolID, group, usernameKey)
	})
}

func (s *Store) ListGroupsForUser(ctx context.Context, poolID, usernameKey string, page store.Page) ([]store.Group, error) {
	return s.reader().ListGroupsForUser(ctx, poolID, usernameKey, page)
}

func (s *Store) ListUsersInGroup(ctx context.Context, poolID, group string, page store.Page) ([]store.User, error) {
	return readAll(ctx, s, "list users in group", func(o ops) ([]store.User, error) {
		return o.ListUsersInGroup(ctx, poolID, group, page)
	})
}

func (s *Store) EnqueueMessage(ctx context.Context, m *store.Message) error {
	return s.write(ctx, "enqueue message", func(o ops) error { return o.EnqueueMessage(ctx, m) })
}

func (s *Store) ListMessages(ctx context.Context, q store.MessageQuery) ([]store.Message, error) {
	return s.reader().ListMessages(ctx, q)
}

func (s *Store) CountMessages(ctx context.Context, quotaKey string, since time.Time, atMost int64) (int64, error) {
	return s.reader().CountMessages(ctx, quotaKey, since, atMost)
}

// ClaimMessages is one statement on the write pool: on PostgreSQL it runs at READ COMMITTED,
// where FOR UPDATE SKIP LOCKED lets concurrent claims pass one another.
func (s *Store) ClaimMessages(ctx context.Context, now time.Time, n int, lease time.Duration) ([]store.Message, error) {
	var ms []store.Message
	err := s.write(ctx, "claim messages", func(o ops) error {
		var err error
		ms, err = o.ClaimMessages(ctx, now, n, lease)
		return err
	})
	return ms, err
}

func (s *Store) FinishMessage(ctx context.Context, m *store.Message) error {
	return s.write(ctx, "finish message", func(o ops) error { return o.FinishMessage(ctx, m) })
}

func (s *Store) ClearInbox(ctx context.Context) error {
	return s.write(ctx, "clear inbox", func(o ops) error { return o.ClearInbox(ctx) })
}

func (s *Store) PurgeMessages(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.write(ctx, "purge messages", func(o ops) error {
		var err error
		n, err = o.PurgeMessages(ctx, before)
		return err
	})
	return n, err
}

func (s *Store) DeleteMessages(ctx context.Context, before time.Time) (int64, error) {
	return s.writeCount(ctx, "delete messages", func(o ops) (int64, error) { return o.DeleteMessages(ctx, before) })
}

func (s *Store) DeleteExpiredRefreshTokens(ctx context.Context, before time.Time) (int64, error) {
	return s.writeCount(ctx, "delete expired refresh tokens", func(o ops) (int64, error) { return o.DeleteExpiredRefreshTokens(ctx, before) })
}

// writeCount runs a counting write in its own transaction.
func (s *Store) writeCount(ctx context.Context, op string, fn func(o ops) (int64, error)) (int64, error) {
	var n int64
	err := s.write(ctx, op, func(o ops) error {
		var err error
		n, err = fn(o)
		return err
	})
	return n, err
}

func (s *Store) ListSigningKeys(ctx context.Context, poolID string) ([]store.SigningKey, error) {
	return s.reader().ListSigningKeys(ctx, poolID)
}

func (s *Store) AddSigningKey(ctx context.Context, k *store.SigningKey) error {
	return s.write(ctx, "add signing key", func(o ops) error { return o.AddSigningKey(ctx, k) })
}

func (s *Store) DeleteSigningKey(ctx context.Context, poolID, kid string) error {
	return s.write(ctx, "delete signing key", func(o ops) error { return o.DeleteSigningKey(ctx, poolID, kid) })
}

func (s *Store) CreateRefreshToken(ctx context.Context, t *store.RefreshToken) error {
	return s.write(ctx, "create refresh token", func(o ops) error { return o.CreateRefreshToken(ctx, t) })
}

func (s *Store) GetRefreshToken(ctx context.Context, hash string) (*store.RefreshToken, error) {
	return s.reader().GetRefreshToken(ctx, hash)
}

func (s *Store) FindRefreshTokenByOrigin(ctx context.Context, poolID, originJTI string) (*store.RefreshToken, error) {
	return s.reader().FindRefreshTokenByOrigin(ctx, poolID, originJTI)
}

func (s *Store) RevokeRefreshToken(ctx context.Context, hash string, at time.Time) error {
	return s.write(ctx, "revoke refresh token", func(o ops) error { return o.RevokeRefreshToken(ctx, hash, at) })
}

func (s *Store) RevokeUserRefreshTokens(ctx context.Context, poolID, usernameKey string, at time.Time) (int64, error) {
	var n int64
	err := s.write(ctx, "revoke user refresh tokens", func(o ops) error {
		var err error
		n, err = o.RevokeUserRefreshTokens(ctx, poolID, usernameKey, at)
		return err
	})
	return n, err
}
