package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// PostgresURL returns CGIP_TEST_POSTGRES_URL, or skips the test (visibly) when it is unset.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("CGIP_TEST_POSTGRES_URL")
	if u == "" {
		t.Skip("CGIP_TEST_POSTGRES_URL not set; PostgreSQL backend not tested")
	}
	return u
}

// PostgresSchema creates an empty schema, drops it when the test ends and returns a DSN whose
// connections use it (pgx passes search_path on as a run-time parameter), so every test gets
// an isolated database on one server.
func PostgresSchema(t testing.TB, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var b [8]byte
	rand.Read(b[:])
	schema := "cgip_test_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
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
