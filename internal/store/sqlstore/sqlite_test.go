package sqlstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cgip/cgip/internal/store"
	"github.com/cgip/cgip/internal/store/sqlstore"
	"github.com/cgip/cgip/internal/store/storetest"
)

func TestSQLiteFile(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s := openStore(t, filepath.Join(t.TempDir(), "cgip.db"))
		if d := s.Dialect(); d != "sqlite" {
			t.Fatalf("Dialect() = %q, want sqlite", d)
		}
		return s
	})
}

func TestSQLiteMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openStore(t, ":memory:") })
}

func testPool(region, id string) *store.UserPool {
	return &store.UserPool{
		Region: region, AccountID: "123456789012", ID: id, Name: "durable",
		Config: []byte(`{"n":0}`), Tags: map[string]string{"k": "v"},
		CreatedAt: time.Date(2025, 5, 6, 7, 8, 9, 10_000_000, time.UTC),
		UpdatedAt: time.Date(2025, 5, 6, 7, 8, 9, 10_000_000, time.UTC),
	}
}

// Every :memory: store is its own database, and it is one database for all its callers.
func TestSQLiteMemoryIsolated(t *testing.T) {
	ctx := t.Context()
	a, b := openStore(t, ":memory:"), openStore(t, ":memory:")
	if err := a.CreateUserPool(ctx, testPool("us-east-1", "us-east-1_memory001")); err != nil {
		t.Fatal(err)
	}
	if _, err := b.GetUserPool(ctx, "us-east-1", "us-east-1_memory001"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second :memory: store sees the first one's pool: %v", err)
	}
	// Concurrent readers and a writer all see the same database.
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				if _, err := a.GetUserPool(ctx, "us-east-1", "us-east-1_memory001"); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// A committed write survives Close and reopening the file.
func TestSQLiteDurable(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "dir with space?#%", "cgip.db")
	if err := mkdirAll(filepath.Dir(path)); err != nil {
		t.Fatal(err)
	}
	s, err := sqlstore.Open(ctx, path, sqlstore.Options{Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	p := testPool("us-east-1", "us-east-1_durable01")
	if err := s.CreateUserPool(ctx, p); err != nil {
		t.Fatal(err)
	}
	c := &store.Client{PoolID: p.ID, ID: "durableclient0000000000001", Name: "c", Secret: []byte{1, 2, 3}, Config: []byte(`{}`)}
	if err := s.CreateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutSecretIfAbsent(ctx, "root", []byte("s3cr3t")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// Plain path first, file: URI now: both name the same file.
	s2 := openStore(t, "file:"+uriPath(path))
	got, err := s2.GetUserPool(ctx, "us-east-1", p.ID)
	if err != nil {
		t.Fatalf("GetUserPool after reopen: %v", err)
	}
	if got.Name != p.Name || !bytes.Equal(got.Config, p.Config) || got.Version != 1 || !got.CreatedAt.Equal(p.CreatedAt) {
		t.Errorf("pool after reopen = %+v, want %+v", got, p)
	}
	gc, err := s2.FindClient(ctx, c.ID)
	if err != nil || !bytes.Equal(gc.Secret, c.Secret) {
		t.Errorf("client after reopen = %+v, %v", gc, err)
	}
	v, err := s2.GetSecret(ctx, "root")
	if err != nil || string(v) != "s3cr3t" {
		t.Errorf("secret after reopen = %q, %v", v, err)
	}
}

// Two stores on one file behave like two processes: migrations at the same time, each sees the
// other's commits at once, and their transactions serialize through SQLite's write lock.
func TestSQLiteTwoStoresOneFile(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "shared.db")
	stores := make([]*sqlstore.Store, 4)
	var wg sync.WaitGroup
	for i := range stores {
		wg.Go(func() {
			s, err := sqlstore.Open(ctx, path, sqlstore.Options{Logger: testLogger(t)})
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
	testSharedDatabase(t, stores)
}

// testSharedDatabase checks that stores opened on one database see one another's writes
// immediately and that a read-modify-write across them loses nothing.
func testSharedDatabase(t *testing.T, stores []*sqlstore.Store) {
	ctx := t.Context()
	a, b := stores[0], stores[1]
	p := testPool("us-east-1", "us-east-1_shared001")
	if err := a.CreateUserPool(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := b.GetUserPool(ctx, "us-east-1", p.ID)
	if err != nil {
		t.Fatalf("second store does not see the first one's pool: %v", err)
	}
	got.Name = "renamed by b"
	if err := b.UpdateUserPool(ctx, got); err != nil {
		t.Fatal(err)
	}
	if again, err := a.GetUserPool(ctx, "us-east-1", p.ID); err != nil || again.Name != "renamed by b" {
		t.Fatalf("first store does not see the second one's update: %+v, %v", again, err)
	}
	if err := a.UpdateUserPool(ctx, p); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale update through the other store: %v, want ErrConflict", err)
	}

	const each = 10
	var wg sync.WaitGroup
	for i, s := range stores {
		for w := range 2 {
			wg.Go(func() {
				for range each {
					for {
						err := s.InTx(ctx, func(tx store.Tx) error {
							p, err := tx.GetUserPool(ctx, "us-east-1", p.ID)
							if err != nil {
								return err
							}
							var n int
							fmt.Sscanf(string(p.Config), `{"n":%d}`, &n)
							p.Config = fmt.Appendf(nil, `{"n":%d}`, n+1)
							return tx.UpdateUserPool(ctx, p)
						})
						if errors.Is(err, store.ErrConflict) {
							continue
						}
						if err != nil {
							t.Errorf("store %d worker %d: %v", i, w, err)
							return
						}
						break
					}
				}
			})
		}
	}
	wg.Wait()
	final, err := b.GetUserPool(ctx, "us-east-1", p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf(`{"n":%d}`, len(stores)*2*each); string(final.Config) != want {
		t.Errorf("counter = %s, want %s", final.Config, want)
	}
}

func mkdirAll(dir string) error { return os.MkdirAll(dir, 0o755) }

// uriPath escapes a file system path for an SQLite file: URI.
func uriPath(p string) string {
	return "//" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

func BenchmarkSQLiteGetUserPool(b *testing.B) {
	s := openStore(b, filepath.Join(b.TempDir(), "bench.db"))
	ctx := context.Background()
	p := testPool("us-east-1", "us-east-1_bench0001")
	if err := s.CreateUserPool(ctx, p); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.GetUserPool(ctx, "us-east-1", p.ID); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkSQLiteCreateUserPool(b *testing.B) {
	s := openStore(b, filepath.Join(b.TempDir(), "bench.db"))
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		p := testPool("us-east-1", fmt.Sprintf("us-east-1_b%08d", i))
		if err := s.CreateUserPool(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSQLiteGetUser: a whole user (row, index rows and aliases in one statement) against
// the row alone (PeekUser), among 1,000 users of a file database.
func BenchmarkSQLiteGetUser(b *testing.B) {
	s := openStore(b, filepath.Join(b.TempDir(), "bench.db"))
	ctx := context.Background()
	p := testPool("us-east-1", "us-east-1_bench0002")
	if err := s.CreateUserPool(ctx, p); err != nil {
		b.Fatal(err)
	}
	const n = 1000
	for i := range n {
		k := fmt.Sprintf("user%04d", i)
		sub := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		u := &store.User{PoolID: p.ID, Username: k, UsernameKey: k, Sub: sub, Enabled: true, Status: "CONFIRMED",
			Attributes: map[string]string{"email": k + "@example.com", "email_verified": "true", "name": "N"},
			Index: map[string]string{"username": k, "email": k + "@example.com", "cognito:user_status": "CONFIRMED",
				"status": "Enabled", "sub": sub, "name": "N"},
			Aliases: map[string]string{"email": k + "@example.com"}}
		if err := s.CreateUser(ctx, u); err != nil {
			b.Fatal(err)
		}
	}
	for _, read := range []struct {
		name string
		fn   func(ctx context.Context, poolID, key string) (*store.User, error)
	}{{"whole", s.GetUser}, {"peek", s.PeekUser}} {
		b.Run(read.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				if _, err := read.fn(ctx, p.ID, fmt.Sprintf("user%04d", i%n)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
