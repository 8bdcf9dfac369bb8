package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cgip/cgip/internal/store"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

func TestParseDSN(t *testing.T) {
	for _, tc := range []struct {
		dsn, dialect, base string
		single, read       bool
	}{
		{"postgres://u@h/db?sslmode=disable", "postgres", "postgres://u@h/db?sslmode=disable", false, false},
		{"postgresql://u@h/db", "postgres", "postgresql://u@h/db", false, false},
		{":memory:", "sqlite", ":memory:", true, false},
		{"file::memory:", "sqlite", "file::memory:", true, false},
		{"file:/x/y.db?mode=memory&cache=shared", "sqlite", "file:/x/y.db", true, false},
		{"/var/lib/cgip/cgip.db", "sqlite", "file:///var/lib/cgip/cgip.db", false, true},
		{"data/a?b#c%d.db", "sqlite", "file:data/a%3fb%23c%25d.db", false, true},
		{"file:/var/lib/cgip.db?_pragma=cache_size(-4000)&_pragma=synchronous(OFF)&_txlock=deferred", "sqlite", "file:/var/lib/cgip.db", false, true},
	} {
		got, err := parseDSN(tc.dsn)
		if err != nil {
			t.Errorf("parseDSN(%q): %v", tc.dsn, err)
			continue
		}
		if got.d.name != tc.dialect || !strings.HasPrefix(got.write, tc.base) || got.single != tc.single || (got.read != "") != tc.read {
			t.Errorf("parseDSN(%q) = %+v", tc.dsn, got)
		}
		if got.d == postgresDialect {
			if got.write != tc.dsn {
				t.Errorf("parseDSN(%q) changed a PostgreSQL URL to %q", tc.dsn, got.write)
			}
			continue
		}
		// File databases: SQLite does not sync the log on commit; the group commit does.
		sync := "synchronous%28NORMAL%29"
		if tc.single {
			sync = "synchronous%28FULL%29"
		}
		for _, want := range []string{"_txlock=immediate", sync, "foreign_keys%281%29", "busy_timeout%285000%29", "_time_integer_format=unix_micro"} {
			if !strings.Contains(got.write, want) {
				t.Errorf("parseDSN(%q).write = %q, missing %s", tc.dsn, got.write, want)
			}
		}
		if strings.Contains(got.write, "OFF") || strings.Contains(got.write, "deferred") {
			t.Errorf("parseDSN(%q).write = %q keeps a setting it must override", tc.dsn, got.write)
		}
		if tc.read && (!strings.Contains(got.read, "query_only%281%29") || strings.Contains(got.read, "_txlock")) {
			t.Errorf("parseDSN(%q).read = %q", tc.dsn, got.read)
		}
		if strings.Contains(tc.dsn, "cache_size") == strings.Contains(got.write, "cache_size%28-65536%29") {
			t.Errorf("parseDSN(%q).write = %q: the DSN's cache_size must win over ours, ours must be there without one", tc.dsn, got.write)
		}
		if strings.Contains(tc.dsn, "cache_size") && !strings.Contains(got.write, "cache_size") {
			t.Errorf("parseDSN(%q) dropped the caller's pragma: %q", tc.dsn, got.write)
		}
	}
	if _, err := parseDSN(""); err == nil {
		t.Error("parseDSN(\"\") succeeded")
	}
}

func openTest(t testing.TB, dsn string, log *slog.Logger) *Store {
	t.Helper()
	s, err := Open(t.Context(), dsn, Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func pragma(t *testing.T, c *sql.Conn, name string) string {
	t.Helper()
	var v string
	if err := c.QueryRowContext(t.Context(), "PRAGMA "+name).Scan(&v); err != nil {
		t.Fatalf("PRAGMA %s: %v", name, err)
	}
	return v
}

// checkPragmas takes n connections of db at once (so that they are distinct) and checks
// the settings on each.
func checkPragmas(t *testing.T, db *sql.DB, n int, want map[string]string) {
	t.Helper()
	var conns []*sql.Conn
	for range n {
		c, err := db.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for i, c := range conns {
		for name, w := range want {
			if got := pragma(t, c, name); got != w {
				t.Errorf("connection %d: PRAGMA %s = %s, want %s", i, name, got, w)
			}
		}
	}
	for _, c := range conns {
		c.Close()
	}
}

func TestSQLitePragmas(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "p.db"), nil)
	if s.r == s.w {
		t.Fatal("file SQLite store has no separate read pool")
	}
	checkPragmas(t, s.w, 1, map[string]string{
		"journal_mode": "wal", "synchronous": "1", "foreign_keys": "1", "busy_timeout": "5000", "query_only": "0",
		"cache_size": "-65536",
	})
	checkPragmas(t, s.r, 3, map[string]string{
		"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "5000", "query_only": "1",
		"cache_size": "-16384",
	})

	m := openTest(t, ":memory:", nil)
	if m.r != m.w {
		t.Fatal(":memory: store has two pools")
	}
	checkPragmas(t, m.w, 1, map[string]string{"journal_mode": "memory", "foreign_keys": "1", "synchronous": "2"})
	if got := m.w.Stats().MaxOpenConnections; got != 1 {
		t.Errorf(":memory: pool allows %d connections, want 1", got)
	}
}

// A transaction holds SQLite's write lock from BEGIN, even before it writes: another writer
// waits for it (here: until its context ends).
func TestSQLiteTxLocksAtBegin(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lock.db")
	a, b := openTest(t, path, nil), openTest(t, path, nil)
	ctx := t.Context()
	started, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		err := a.InTx(ctx, func(tx store.Tx) error {
			if _, err := tx.GetSecret(ctx, "x"); !errors.Is(err, store.ErrNotFound) {
				return err
			}
			close(started)
			<-release
			return nil
		})
		if err != nil {
			t.Errorf("InTx: %v", err)
		}
	})
	<-started
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	_, err := b.PutSecretIfAbsent(short, "x", []byte("b"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("write during another store's read-only transaction: %v, want it to wait (DeadlineExceeded)", err)
	}
	close(release)
	wg.Wait()
	if _, err := b.PutSecretIfAbsent(ctx, "x", []byte("b")); err != nil {
		t.Errorf("write after the transaction ended: %v", err)
	}
}

type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Unexpected database errors reach the caller as "store: <op> failed", wrapping nothing;
// the driver's message goes to the log.
func TestOpaqueErrors(t *testing.T) {
	var logs logBuffer
	s := openTest(t, filepath.Join(t.TempDir(), "e.db"), slog.New(slog.NewTextHandler(&logs, nil)))
	ctx := t.Context()
	if _, err := s.w.ExecContext(ctx, "DROP TABLE clients"); err != nil {
		t.Fatal(err)
	}
	err := s.CreateClient(ctx, &store.Client{PoolID: "p", ID: "c"})
	if err == nil || err.Error() != "store: create client failed" {
		t.Fatalf("CreateClient on a broken database: %v", err)
	}
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict) || errors.Unwrap(err) != nil {
		t.Errorf("opaque error matches or wraps something: %v", err)
	}
	if _, err := s.ListClients(ctx, "p", store.Page{}); err == nil || err.Error() != "store: list clients failed" {
		t.Errorf("ListClients on a broken database: %v", err)
	}
	err = s.InTx(ctx, func(tx store.Tx) error { _, err := tx.FindClient(ctx, "c"); return err })
	if err == nil || err.Error() != "store: get client failed" {
		t.Errorf("FindClient in tx on a broken database: %v", err)
	}
	if l := logs.String(); !strings.Contains(l, "no such table: clients") || !strings.Contains(l, "op=\"create client\"") {
		t.Errorf("log does not carry the driver detail:\n%s", l)
	}

	s.Close()
	if _, err := s.GetUserPool(ctx, "r", "id"); err == nil || err.Error() != "store: get user pool failed" {
		t.Errorf("GetUserPool on a closed store: %v", err)
	}
}

func TestClassify(t *testing.T) {
	for code, want := range map[string]failure{
		"23505": failUnique, "23503": failForeignKey, "40001": failRetry, "40P01": failRetry, "42P01": failOther,
	} {
		err := fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: code})
		if got := classify(err); got != want {
			t.Errorf("classify(SQLSTATE %s) = %v, want %v", code, got, want)
		}
	}
	// Real SQLite errors.
	s := openTest(t, ":memory:", nil)
	ctx := t.Context()
	exec := func(q string, args ...any) error { _, err := s.w.ExecContext(ctx, q, args...); return err }
	if err := exec(`INSERT INTO secrets (name, value) VALUES ('a', x'00')`); err != nil {
		t.Fatal(err)
	}
	err := exec(`INSERT INTO secrets (name, value) VALUES ('a', x'00')`)
	if got := classify(err); got != failUnique {
		t.Errorf("classify(%v) = %v, want unique", err, got)
	}
	err = exec(`INSERT INTO clients (pool_id, id, name, created_at, updated_at, version) VALUES ('nope', 'c', 'n', 0, 0, 1)`)
	if got := classify(err); got != failForeignKey {
		t.Errorf("classify(%v) = %v, want foreign key", err, got)
	}
	if _, ok := errors.AsType[*sqlite.Error](err); !ok {
		t.Errorf("not a *sqlite.Error: %T", err)
	}
}

func TestRetryPolicy(t *testing.T) {
	s := openTest(t, ":memory:", nil)
	ctx := t.Context()
	calls := 0
	err := s.InTx(ctx, func(tx store.Tx) error {
		calls++
		if calls < 3 {
			return fmt.Errorf("domain: %w", &opError{op: "x", retry: true})
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Errorf("InTx after two retryable failures: %v after %d calls", err, calls)
	}

	calls = 0
	err = s.InTx(ctx, func(tx store.Tx) error { calls++; return &opError{op: "x", retry: true} })
	if !errors.Is(err, store.ErrConflict) || calls != maxAttempts {
		t.Errorf("InTx always failing retryably: %v after %d calls, want ErrConflict after %d", err, calls, maxAttempts)
	}

	calls = 0
	final := &opError{op: "x"}
	err = s.InTx(ctx, func(tx store.Tx) error { calls++; return final })
	if err != final || calls != 1 {
		t.Errorf("InTx with a non-retryable failure: %v after %d calls", err, calls)
	}

	for n := 1; n <= 20; n++ {
		d := backoff(n)
		if d < backoffBase/2 || d > backoffLimit {
			t.Errorf("backoff(%d) = %v", n, d)
		}
	}
}

func TestMigrations(t *testing.T) {
	names := func(d *dialect) []string {
		ms, err := loadMigrations(d)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range ms {
			out = append(out, m.name)
		}
		return out
	}
	sq, pg := names(sqliteDialect), names(postgresDialect)
	if len(sq) == 0 || !slices.Equal(sq, pg) {
		t.Errorf("migrations differ between dialects: sqlite %v, postgres %v", sq, pg)
	}

	// A database migrated by a newer build is refused rather than misused.
	path := filepath.Join(t.TempDir(), "m.db")
	s, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(t.Context(),
		`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := Open(t.Context(), path, Options{}); err == nil || !strings.Contains(err.Error(), "newer") {
		if s != nil {
			s.Close()
		}
		t.Errorf("Open of a database from a newer build: %v", err)
	}
}
