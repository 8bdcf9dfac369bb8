package userpool

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cgip/cgip/internal/store"
)

// maxCachedPools bounds the cache; past it an arbitrary entry makes room.
const maxCachedPools = 4096

// defaultPoolTTL is how long a pool's record, once read, serves reads outside transactions.
const defaultPoolTTL = time.Second

// poolCache keeps pools' records and decoded settings documents. Every operation reads its
// pool; the read and the JSON decoding of the settings were most of a cheap operation's cost
// after the user's own read.
//
//   - A record read less than ttl ago serves reads outside transactions (getPool with the
//     store). A change written through this node drops the entry at once (forget); one
//     written through another node sharing the database is seen within ttl.
//   - Decoded documents are reused by (id, created, version), so a record read afresh is
//     decoded only when it changed.
//
// Records and documents are shared between requests: read them, never write into them.
type poolCache struct {
	ttl time.Duration // <= 0: records are read every time
	// forgets counts forget calls: a record read before one may be older than the change
	// that was forgotten, so it is not kept (see generation).
	forgets atomic.Uint64
	mu      sync.RWMutex
	m       map[string]cachedPool
}

type cachedPool struct {
	rec  *store.UserPool
	doc  poolDoc
	read time.Time // when rec was read (monotonic clock)
}

// recent returns the pool id if its record was read less than ttl ago.
func (c *poolCache) recent(id string) (*pool, bool) {
	if c.ttl <= 0 {
		return nil, false
	}
	c.mu.RLock()
	e, ok := c.m[id]
	c.mu.RUnlock()
	if !ok || time.Since(e.read) >= c.ttl {
		return nil, false
	}
	return &pool{rec: e.rec, doc: e.doc}, true
}

// generation is taken before reading a record and given to decode with it.
func (c *poolCache) generation() uint64 { return c.forgets.Load() }

// decode returns the pool of rec, read after generation() returned gen, decoding its settings
// only when they changed. The record is kept for recent only if nothing was forgotten since gen.
func (c *poolCache) decode(rec *store.UserPool, gen uint64) (*pool, error) {
	read := time.Now()
	c.mu.RLock()
	e, ok := c.m[rec.ID]
	c.mu.RUnlock()
	p := &pool{rec: rec, doc: e.doc}
	if !ok || e.rec.Version != rec.Version || !e.rec.CreatedAt.Equal(rec.CreatedAt) {
		var err error
		if p, err = decodePool(rec); err != nil {
			return nil, err
		}
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[string]cachedPool)
	}
	if _, ok := c.m[rec.ID]; !ok && len(c.m) >= maxCachedPools {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	if old, ok := c.m[rec.ID]; (!ok || !old.read.After(read)) && c.forgets.Load() == gen {
		c.m[rec.ID] = cachedPool{rec: rec, doc: p.doc, read: read}
	}
	c.mu.Unlock()
	return p, nil
}

// forget drops pool id after a change written through this node has committed.
func (c *poolCache) forget(id string) {
	c.mu.Lock()
	c.forgets.Add(1)
	delete(c.m, id)
	c.mu.Unlock()
}

// Counting a pool's users reads its whole index: exact and cheap for small pools, about 180 ms
// at 1,000,000 users, and still most of a DescribeUserPool at a thousand. So a count is reused:
// a small pool's for the pool cache's ttl, unless a user was created or deleted through this
// node since (forget); a large pool's for countReuse, as EstimatedNumberOfUsers is an estimate
// in Cognito too, and only one request at a time recounts it.
const (
	exactCountBelow = 10_000
	countReuse      = 30 * time.Second
)

type userCounts struct {
	ttl time.Duration // reuse of small pools' counts (<= 0: none)
	mu  sync.Mutex
	m   map[string]*poolCount
}

type poolCount struct {
	n        int64
	at       time.Time
	valid    bool   // n may be reused
	counting bool   // a request is counting
	gen      uint64 // forgets so far: a count that began before one is not kept
}

// count returns the pool's user count: the recent one, or one counted now. While another
// request recounts a large pool, its previous count.
func (c *userCounts) count(ctx context.Context, poolID string, now time.Time, countUsers func(context.Context, string) (int64, error)) (int64, error) {
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]*poolCount{}
	}
	e := c.m[poolID]
	if e != nil && e.valid {
		reuse := c.ttl
		if e.n >= exactCountBelow {
			reuse = countReuse
		}
		if now.Sub(e.at) < reuse || (e.counting && e.n >= exactCountBelow) {
			n := e.n
			c.mu.Unlock()
			return n, nil
		}
	}
	if e == nil {
		if len(c.m) >= maxCachedPools {
			clear(c.m)
		}
		e = &poolCount{}
		c.m[poolID] = e
	}
	e.counting = true
	gen := e.gen
	c.mu.Unlock()
	n, err := countUsers(ctx, poolID)
	c.mu.Lock()
	e.counting = false
	if err == nil && e.gen == gen {
		e.n, e.at, e.valid = n, now, true
	}
	c.mu.Unlock()
	return n, err
}

// forget makes a small pool's next count exact, after a user was created or deleted through
// this node. (A large pool's count stays an estimate.)
func (c *userCounts) forget(poolID string) {
	c.mu.Lock()
	if e := c.m[poolID]; e != nil && e.n < exactCountBelow {
		e.gen++
		e.valid = false
	}
	c.mu.Unlock()
}
