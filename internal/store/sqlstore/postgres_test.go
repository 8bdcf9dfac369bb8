package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/cgip/cgip/internal/store"
	"github.com/cgip/cgip/internal/store/sqlstore"
	"github.com/cgip/cgip/internal/store/storetest"
)

// postgresURL is the server to test against, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable
func postgresURL(t *testing.T) string {
	u := os.Getenv("CGIP_TEST_POSTGRES_URL")
	if u == "" {
		t.Skip("CGIP_TEST_POSTGRES_URL not set; PostgreSQL backend not tested")
	}
	return u
}

// newSchema creates an empty schema, drops it when the test ends and returns a DSN whose
// connections use it (pgx passes search_path on as a run-time parameter).
func newSchema(t *testing.T, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var b [8]byte
	rand.Read(b[:])
	schema := "cgip_test_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Error(err)
			return
		}
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func TestPostgres(t *testing.T) {
	base := postgresURL(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		s := openStore(t, newSchema(t, base))
		if d := s.Dialect(); d != "postgres" {
			t.Fatalf("Dialect() = %q, want postgres", d)
		}
		return s
	})
}

// Several stores (as several cgip processes would) open one fresh schema at the same time:
// the migrations must not fail or run twice, and every store sees the others' writes at once.
func TestPostgresSharedSchema(t *testing.T) {
	dsn := newSchema(t, postgresURL(t))
	stores := make([]*sqlstore.Store, 4)
	var wg sync.WaitGroup
	for i := range stores {
		wg.Go(func() {
			s, err := sqlstore.Open(t.Context(), dsn, sqlstore.Options{Logger: testLogger(t)})
			if err != nil {
				t.Errorf("concurrent Open %d: %v", i, err)
				return
			}
			t.Cleanup(func() { s.Close() })
			stores[i] = s
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}

	check, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	var rows, distinct int
	if err := check.QueryRowContext(t.Context(),
		"SELECT count(*), count(DISTINCT version) FROM schema_migrations").Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows == 0 || rows != distinct {
		t.Errorf("schema_migrations has %d rows for %d versions", rows, distinct)
	}

	testSharedDatabase(t, stores)
}
