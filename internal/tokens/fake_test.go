package tokens

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cgip/cgip/internal/seal"
	"github.com/cgip/cgip/internal/store"
)

// memKeys is an in-memory KeyStore that orders keys as sqlstore does (CreatedAt, then kid).
type memKeys struct {
	mu      sync.Mutex
	keys    map[string][]store.SigningKey
	missing map[string]bool // pools that do not exist
	lists   int
	listErr error
	// onList, when set, runs (outside the lock) before each ListSigningKeys answers.
	onList func()
}

func newMemKeys() *memKeys {
	return &memKeys{keys: map[string][]store.SigningKey{}, missing: map[string]bool{}}
}

func (m *memKeys) ListSigningKeys(ctx context.Context, poolID string) ([]store.SigningKey, error) {
	m.mu.Lock()
	m.lists++
	hook, err := m.onList, m.listErr
	out := make([]store.SigningKey, 0, len(m.keys[poolID]))
	for _, k := range m.keys[poolID] {
		k.Private = bytes.Clone(k.Private)
		out = append(out, k)
	}
	m.mu.Unlock()
	if hook != nil {
		hook()
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (m *memKeys) AddSigningKey(ctx context.Context, k *store.SigningKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.missing[k.PoolID] {
		return store.ErrNotFound
	}
	for _, e := range m.keys[k.PoolID] {
		if e.KID == k.KID {
			return store.ErrConflict
		}
	}
	if k.CreatedAt.IsZero() {
		k.CreatedAt = time.Now()
	}
	k.CreatedAt = k.CreatedAt.UTC().Truncate(time.Microsecond)
	c := *k
	c.Private = bytes.Clone(k.Private)
	ks := append(m.keys[k.PoolID], c)
	slices.SortStableFunc(ks, func(a, b store.SigningKey) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.KID, b.KID)
	})
	m.keys[k.PoolID] = ks
	return nil
}

func (m *memKeys) DeleteSigningKey(ctx context.Context, poolID, kid string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	ks := m.keys[poolID]
	for n, k := range ks {
		if k.KID == kid {
			m.keys[poolID] = slices.Delete(ks, n, n+1)
			return nil
		}
	}
	return store.ErrNotFound
}

func (m *memKeys) records(poolID string) []store.SigningKey {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.keys[poolID])
}

func (m *memKeys) listCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lists
}

// clock is a settable Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Unix(1_700_000_000, 0)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var errBoom = errors.New("store is down")

func testSealer(t testing.TB) *seal.Sealer {
	t.Helper()
	s, err := seal.New(bytes.Repeat([]byte{42}, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
