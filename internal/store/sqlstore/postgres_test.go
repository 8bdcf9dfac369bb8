package sqlstore_test

import (
	"database/sql"
	"sync"
	"testing"

	"github.com/cgip/cgip/internal/store"
	"github.com/cgip/cgip/internal/store/sqlstore"
	"github.com/cgip/cgip/internal/store/storetest"
)

func TestPostgres(t *testing.T) {
	base := storetest.PostgresURL(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		s := openStore(t, storetest.PostgresSchema(t, base))
		if d := s.Dialect(); d != "postgres" {
			t.Fatalf("Dialect() = %q, want postgres", d)
		}
		return s
	})
}

// Several stores (as several cgip processes would) open one fresh schema at the same time:
// the migrations must not fail or run twice, and every store sees the others' writes at once.
func TestPostgresSharedSchema(t *testing.T) {
	dsn := storetest.PostgresSchema(t, storetest.PostgresURL(t))
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
