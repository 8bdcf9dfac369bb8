package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cgip/cgip/internal/store"
)

var errRefused = errors.New("refused by fn")

// Writers that share a group commit: each one's outcome is its own. A failing or panicking
// member leaves nothing behind and the others commit.
func TestGroupCommitMembersAreIndependent(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "g.db"), nil)
	ctx := t.Context()
	const n = 48
	errs := make([]error, n)
	panics := make([]any, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			defer func() { panics[i] = recover() }()
			errs[i] = s.InTx(ctx, func(tx store.Tx) error {
				name := fmt.Sprintf("k%02d", i)
				if _, err := tx.PutSecretIfAbsent(ctx, name, []byte(name)); err != nil {
					return err
				}
				switch i % 3 {
				case 1:
					return errRefused
				case 2:
					if i == 2 {
						panic("member panicked")
					}
				}
				return nil
			})
		})
	}
	wg.Wait()
	for i := range n {
		name := fmt.Sprintf("k%02d", i)
		_, err := s.GetSecret(ctx, name)
		switch {
		case i == 2:
			if panics[i] != "member panicked" {
				t.Errorf("member %d: recovered %v, want its own panic on its own goroutine", i, panics[i])
			}
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("member %d panicked but its write is there (%v)", i, err)
			}
		case i%3 == 1:
			if !errors.Is(errs[i], errRefused) {
				t.Errorf("member %d: InTx = %v, want fn's error", i, errs[i])
			}
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("member %d failed but its write is there (%v)", i, err)
			}
		default:
			if errs[i] != nil || panics[i] != nil {
				t.Errorf("member %d: InTx = %v, panic %v", i, errs[i], panics[i])
			}
			if err != nil {
				t.Errorf("member %d committed but GetSecret = %v", i, err)
			}
		}
	}
}

// A writer whose context ends while it waits for its group leaves the queue: its fn never runs
// and the group goes on without it. A later member sees what earlier members of its group wrote.
func TestGroupCommitQueue(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "q.db"), nil)
	ctx := t.Context()
	started, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		err := s.InTx(ctx, func(tx store.Tx) error {
			close(started)
			<-release
			_, err := tx.PutSecretIfAbsent(ctx, "first", []byte("1"))
			return err
		})
		if err != nil {
			t.Errorf("leader: %v", err)
		}
	})
	<-started

	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	ran := false
	err := s.InTx(short, func(tx store.Tx) error { ran = true; return nil })
	if !errors.Is(err, context.DeadlineExceeded) || ran {
		t.Errorf("a queued writer whose context ended: InTx = %v, fn ran %v; want DeadlineExceeded, not run", err, ran)
	}

	// Queue two writers behind the leader; the second reads what the first wrote.
	var seen []byte
	wg.Go(func() {
		if _, err := s.PutSecretIfAbsent(ctx, "second", []byte("2")); err != nil {
			t.Errorf("second: %v", err)
		}
	})
	waitQueued(t, s, 1)
	wg.Go(func() {
		err := s.InTx(ctx, func(tx store.Tx) error {
			var err error
			seen, err = tx.GetSecret(ctx, "second")
			return err
		})
		if err != nil {
			t.Errorf("third: %v", err)
		}
	})
	waitQueued(t, s, 2)
	close(release)
	wg.Wait()
	if string(seen) != "2" {
		t.Errorf("a later member read %q of an earlier member's write, want 2", seen)
	}
}

// waitQueued waits until n writers queue for the next group.
func waitQueued(t *testing.T, s *Store, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		s.group.mu.Lock()
		queued := len(s.group.queue)
		s.group.mu.Unlock()
		if queued >= n {
			return
		}
	}
	t.Fatalf("fewer than %d writers queued", n)
}

// The group commit syncs the database's own write-ahead log (a wrong path would make every
// commit undurable without a visible error), and an in-memory database has none.
func TestGroupCommitSyncsTheLog(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, filepath.Join(dir, "w.db"), nil)
	if want := filepath.Join(dir, "w.db-wal"); s.walPath != want {
		t.Fatalf("walPath = %q, want %q", s.walPath, want)
	}
	if _, err := s.PutSecretIfAbsent(t.Context(), "k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.walPath); err != nil {
		t.Fatalf("after a commit: %v", err)
	}
	if err := s.syncWAL(); err != nil {
		t.Fatal(err)
	}
	if m := openTest(t, ":memory:", nil); m.walPath != "" {
		t.Errorf(":memory: walPath = %q", m.walPath)
	}
}

// BenchmarkGroupCommit: concurrent small durable writes (one row each) on a file database,
// with group commit and with a transaction and a log sync per write.
func BenchmarkGroupCommit(b *testing.B) {
	for _, grouped := range []bool{true, false} {
		b.Run(fmt.Sprintf("grouped=%v", grouped), func(b *testing.B) {
			s := openTest(b, filepath.Join(b.TempDir(), "b.db"), nil)
			if !grouped {
				s.group = nil
			}
			ctx := b.Context()
			var mu sync.Mutex
			next := 0
			b.SetParallelism(8)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					mu.Lock()
					next++
					name := fmt.Sprintf("k%d", next)
					mu.Unlock()
					err := s.InTx(ctx, func(tx store.Tx) error {
						_, err := tx.PutSecretIfAbsent(ctx, name, []byte(name))
						return err
					})
					if err == nil && !grouped {
						err = s.syncWAL()
					}
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
