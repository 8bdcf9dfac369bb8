package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStatements bounds a cache; queries beyond it (dynamically built ones, were there
// ever many) run unprepared as before.
const maxCachedStatements = 512

// stmtCache keeps one prepared statement per query text for a database handle. The SQLite
// driver parses and plans every query afresh otherwise, which was half the cost of a point read
// (BenchmarkAuthorizeIAMUser, BenchmarkSQLiteGetUserPool); database/sql prepares a cached
// statement once per connection and reuses it inside transactions (Tx.StmtContext).
// PostgreSQL needs none: pgx caches statements per connection itself.
type stmtCache struct {
	db *sql.DB
	mu sync.RWMutex
	m  map[string]*sql.Stmt
	// pending are queries first seen inside a transaction: preparing needs a connection of
	// db, and the transaction may hold the only one, so they are prepared after it ends.
	pending map[string]bool
}

func newStmtCache(db *sql.DB) *stmtCache { return &stmtCache{db: db, m: map[string]*sql.Stmt{}} }

// get returns the prepared statement for query, preparing it on a miss, or nil when it
// cannot be cached.
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	if st := c.lookup(query); st != nil {
		return st
	}
	return c.prepare(ctx, query)
}

func (c *stmtCache) lookup(query string) *sql.Stmt {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[query]
}

// prepare prepares query and caches it. The lock is not held while preparing: that waits for
// a connection, which a transaction using the cache may hold.
func (c *stmtCache) prepare(ctx context.Context, query string) *sql.Stmt {
	c.mu.RLock()
	full := len(c.m) >= maxCachedStatements
	c.mu.RUnlock()
	if full {
		return nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil // the unprepared call reports the error
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev := c.m[query]; prev != nil { // prepared concurrently
		_ = st.Close()
		return prev
	}
	c.m[query] = st
	return st
}

// inTx returns the prepared statement for a query run inside a transaction, or nil and notes
// the query for preparePending.
func (c *stmtCache) inTx(query string) *sql.Stmt {
	if st := c.lookup(query); st != nil {
		return st
	}
	c.mu.Lock()
	if c.pending == nil {
		c.pending = map[string]bool{}
	}
	if len(c.pending) < maxCachedStatements {
		c.pending[query] = true
	}
	c.mu.Unlock()
	return nil
}

// preparePending prepares the queries transactions met uncached; call it with no transaction
// of db open in this goroutine.
func (c *stmtCache) preparePending(ctx context.Context) {
	c.mu.Lock()
	queries := make([]string, 0, len(c.pending))
	for q := range c.pending {
		queries = append(queries, q)
	}
	clear(c.pending)
	c.mu.Unlock()
	for _, q := range queries {
		c.prepare(ctx, q)
	}
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		_ = st.Close()
		delete(c.m, q)
	}
}

// cachedDB is a querier over a database handle that runs cached statements.
type cachedDB struct {
	*sql.DB
	c *stmtCache
}

func (q cachedDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := q.c.get(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return q.DB.ExecContext(ctx, query, args...)
}

func (q cachedDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := q.c.get(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return q.DB.QueryContext(ctx, query, args...)
}

func (q cachedDB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := q.c.get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return q.DB.QueryRowContext(ctx, query, args...)
}

// cachedTx is a querier over a transaction of the cache's database handle.
type cachedTx struct {
	*sql.Tx
	c *stmtCache
}

func (q cachedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := q.c.inTx(query); st != nil {
		return q.Tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return q.Tx.ExecContext(ctx, query, args...)
}

func (q cachedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := q.c.inTx(query); st != nil {
		return q.Tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return q.Tx.QueryContext(ctx, query, args...)
}

func (q cachedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := q.c.inTx(query); st != nil {
		return q.Tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return q.Tx.QueryRowContext(ctx, query, args...)
}
