package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"sync"
	"sync/atomic"
)

// Group commit (SQLite). SQLite runs one writer at a time, and on a file a commit costs a WAL
// sync that dwarfs a small transaction's statements. So writers that arrive while another
// group is running queue up, and the next group runs all of them, one after the other, inside
// one SQLite transaction, each in a savepoint of its own, and commits once: one sync for the
// group instead of one per writer. Nothing runs less concurrently than before (the writes were
// serial anyway); each caller still returns only after the commit that holds its changes is on
// disk; a caller whose fn fails is rolled back to its savepoint alone, and sees exactly what it
// would have seen alone (the earlier members' changes, which commit with it or not at all).
//
// There is no goroutine of its own: the first writer to find no group running leads, runs one
// group (the queue's head, which includes itself), hands the lead to the next queued writer,
// syncs the log (see syncWAL), wakes its group's members and returns.

// maxGroup bounds one group, so that a long queue is committed in steps.
const maxGroup = 64

type groupCommitter struct {
	mu      sync.Mutex
	queue   []*groupMember
	leading bool // a member is running a group or about to
}

type groupMember struct {
	ctx context.Context
	st  *txState
	fn  func(o ops) error
	// wake is closed when the member is done (err and panic are set, by the leader) or has been
	// made the leader (lead is set, under the committer's lock).
	wake    chan struct{}
	lead    bool
	started bool // taken into a group: the member can no longer withdraw
	err     error
	panic   any
}

// groupTx runs fn as a member of a group transaction on the write connection and returns
// once the group has committed or fn has failed. A panic in fn is re-raised here, on the
// caller's goroutine.
func (s *Store) groupTx(ctx context.Context, st *txState, fn func(o ops) error) error {
	g := s.group
	m := &groupMember{ctx: ctx, st: st, fn: fn, wake: make(chan struct{})}
	g.mu.Lock()
	g.queue = append(g.queue, m)
	lead := !g.leading
	if lead {
		g.leading, m.lead = true, true
	}
	g.mu.Unlock()
	if !lead {
		if !m.waitTurn(g) {
			return ctx.Err()
		}
		lead = m.lead // set before wake was closed
	}
	if lead {
		s.leadGroup(m)
	}
	if m.panic != nil {
		panic(m.panic)
	}
	return m.err
}

// waitTurn waits until m is done or leads. It reports false if m withdrew from the queue
// because its context ended before a group took it.
func (m *groupMember) waitTurn(g *groupCommitter) bool {
	select {
	case <-m.wake:
		return true
	case <-m.ctx.Done():
	}
	g.mu.Lock()
	if !m.started && !m.lead {
		for i, q := range g.queue {
			if q == m {
				g.queue = append(g.queue[:i], g.queue[i+1:]...)
				break
			}
		}
		g.mu.Unlock()
		return false
	}
	g.mu.Unlock()
	// A group is running m's fn (it must not outlive this call), or m must lead.
	<-m.wake
	return true
}

// leadGroup runs one group, which starts with leader, passes the lead on, makes the group's
// commit durable and wakes its members.
func (s *Store) leadGroup(leader *groupMember) {
	g := s.group
	g.mu.Lock()
	n := min(len(g.queue), maxGroup)
	batch := make([]*groupMember, n)
	copy(batch, g.queue)
	g.queue = append(g.queue[:0:0], g.queue[n:]...)
	for _, m := range batch {
		m.started = true
	}
	g.mu.Unlock()

	committed := s.runGroup(batch)

	// The next group may run while this one's commit is synced: the sync covers every frame
	// written so far, and no member hears of its commit before the sync has returned.
	g.mu.Lock()
	if len(g.queue) > 0 {
		next := g.queue[0]
		next.lead = true
		close(next.wake)
	} else {
		g.leading = false
	}
	g.mu.Unlock()
	if committed && s.walPath != "" {
		if err := s.syncWAL(); err != nil {
			err = s.fail(context.WithoutCancel(leader.ctx), "sync write-ahead log", err)
			for _, m := range batch {
				if m.err == nil && m.panic == nil {
					m.err = err
				}
			}
		}
	}
	for _, m := range batch {
		if m != leader {
			close(m.wake)
		}
	}
}

// syncWAL makes every commit so far durable. The write connection runs with
// synchronous=NORMAL, so SQLite appends a commit to the write-ahead log without syncing it;
// the group leader syncs the log itself, outside the writer's critical section (an fsync
// through any descriptor of the file flushes all of it). No log file means the last connection
// checkpointed it into the database, which SQLite syncs.
func (s *Store) syncWAL() error {
	f, err := os.OpenFile(s.walPath, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// runGroup runs the members in one transaction and sets each one's outcome. The transaction
// belongs to no single caller, so no one caller's cancellation may end it (on SQLite an
// interrupted write inside a transaction rolls the whole transaction back): it ends early only
// when every member's context has ended.
func (s *Store) runGroup(batch []*groupMember) (committed bool) {
	ctx, stop := whileAnyWaits(batch)
	defer stop()
	err := s.runTx(ctx, s.w, writeTx, &txState{}, func(o ops) error {
		for _, m := range batch {
			if err := m.ctx.Err(); err != nil {
				m.err = err
				continue
			}
			if err := s.runMember(ctx, o, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		return true
	}
	// Nothing of the group was committed: every member that had not failed by itself fails
	// with the group's error (a busy database asks each of them to retry).
	for _, m := range batch {
		switch {
		case m.err != nil || m.panic != nil:
		case m.ctx.Err() != nil:
			m.err = m.ctx.Err()
		default:
			m.err = err
		}
	}
	return false
}

// whileAnyWaits is a context with the first member's values that ends when every member's
// context has ended; stop releases it.
func whileAnyWaits(batch []*groupMember) (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(batch[0].ctx))
	var waiting atomic.Int64
	waiting.Store(int64(len(batch)))
	stops := make([]func() bool, len(batch))
	for i, m := range batch {
		stops[i] = context.AfterFunc(m.ctx, func() {
			if waiting.Add(-1) == 0 {
				cancel()
			}
		})
	}
	return ctx, func() {
		for _, stop := range stops {
			stop()
		}
		cancel()
	}
}

// runMember runs m's fn inside a savepoint of the group transaction and rolls it back if fn
// fails, panics or had a statement fail that asks for a rerun. The error returned is the
// group's: a savepoint statement itself failed, so the transaction is in doubt.
func (s *Store) runMember(ctx context.Context, o ops, m *groupMember) error {
	if _, err := o.q.ExecContext(ctx, "SAVEPOINT cgip_member"); err != nil {
		return s.fail(ctx, "group transaction", err)
	}
	func() {
		defer func() {
			if p := recover(); p != nil {
				m.panic = p
			}
		}()
		m.err = m.fn(ops{q: uncancelable{o.q}, s: s, tx: m.st})
	}()
	if m.err == nil && m.panic == nil && m.st.retry {
		m.err = &opError{op: "transaction", retry: true}
	}
	if m.err != nil || m.panic != nil {
		if _, err := o.q.ExecContext(ctx, "ROLLBACK TO SAVEPOINT cgip_member"); err != nil {
			return s.fail(ctx, "group transaction", err)
		}
	}
	if _, err := o.q.ExecContext(ctx, "RELEASE SAVEPOINT cgip_member"); err != nil {
		return s.fail(ctx, "group transaction", err)
	}
	return nil
}

// uncancelable runs a member's statements without its context's cancellation (see runGroup);
// the context's values are kept.
type uncancelable struct{ q querier }

func (u uncancelable) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return u.q.ExecContext(context.WithoutCancel(ctx), query, args...)
}

func (u uncancelable) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return u.q.QueryContext(context.WithoutCancel(ctx), query, args...)
}

func (u uncancelable) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return u.q.QueryRowContext(context.WithoutCancel(ctx), query, args...)
}
