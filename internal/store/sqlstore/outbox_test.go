package sqlstore_test

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/cgip/cgip/internal/store"
	"github.com/cgip/cgip/internal/store/sqlstore"
	"github.com/cgip/cgip/internal/store/storetest"
)

// Two processes deliver from one outbox: 1,000 messages, 2 stores opened separately on one
// database, 2 workers each claiming batches of 25. No message is claimed twice while its lease
// holds (leases outlast the test) and every message ends sent.
func TestPostgresConcurrentClaims(t *testing.T) {
	testConcurrentClaims(t, storetest.PostgresSchema(t, storetest.PostgresURL(t)))
}

func TestSQLiteConcurrentClaims(t *testing.T) {
	testConcurrentClaims(t, filepath.Join(t.TempDir(), "outbox.db"))
}

func testConcurrentClaims(t *testing.T, dsn string) {
	stores := make([]store.Store, 2)
	var wg sync.WaitGroup
	for i := range stores {
		wg.Go(func() {
			s, err := sqlstore.Open(t.Context(), dsn, sqlstore.Options{Logger: testLogger(t)})
			if err != nil {
				t.Errorf("Open %d: %v", i, err)
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
	storetest.ClaimRace(t, stores, 1000, 2, 25)
}
