package userpool

import (
	"context"
	"sync"
	"time"

	"github.com/cgip/cgip/internal/store"
)

// maxCachedPools bounds the decoded-settings cache; past it an arbitrary entry makes room.
const maxCachedPools = 4096

// poolCache keeps pools' decoded settings documents by (id, created, version): every
// operation reads its pool, and decoding the JSON document was a large part of a cheap read.
// The record is still read each time, so a change on any node (it bumps Version) is seen at
// once. Cached documents are shared: only read paths use them; modifyPool decodes its own.
type poolCache struct {
	mu sync.RWMutex
	m  map[string]cachedPool
}

type cachedPool struct {
	created time.Time
	version int64
	doc     poolDoc
}

// decode returns the pool of rec, decoding its settings only when they changed.
func (c *poolCache) decode(rec *store.UserPool) (*pool, error) {
	c.mu.RLock()
	e, ok := c.m[rec.ID]
	c.mu.RUnlock()
	if ok && e.version == rec.Version && e.created.Equal(rec.CreatedAt) {
		return &pool{rec: rec, doc: e.doc}, nil
	}
	p, err := decodePool(rec)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[string]cachedPool)
	}
	if len(c.m) >= maxCachedPools {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[rec.ID] = cachedPool{created: rec.CreatedAt, version: rec.Version, doc: p.doc}
	c.mu.Unlock()
	return p, nil
}

// Counting a pool's users reads its whole index: exact and cheap for small pools, about 180 ms
// at 1,000,000 users. EstimatedNumberOfUsers is an estimate in Cognito too, so a large pool's
// count is reused for a while, and only one request at a time recounts it.
const (
	exactCountBelow = 10_000
	countReuse      = 30 * time.Second
)

type userCounts struct {
	mu sync.Mutex
	m  map[string]*poolCount
}

type poolCount struct {
	n        int64
	at       time.Time
	counting bool
}

// count returns the pool's user count: recounted when small or stale; while another request
// recounts a large pool, its previous count.
func (c *userCounts) count(ctx context.Context, poolID string, now time.Time, countUsers func(context.Context, string) (int64, error)) (int64, error) {
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]*poolCount{}
	}
	e := c.m[poolID]
	if e != nil && e.n >= exactCountBelow && (now.Sub(e.at) < countReuse || e.counting) {
		n := e.n
		c.mu.Unlock()
		return n, nil
	}
	if e == nil {
		if len(c.m) >= maxCachedPools {
			clear(c.m)
		}
		e = &poolCount{}
		c.m[poolID] = e
	}
	e.counting = true
	c.mu.Unlock()
	n, err := countUsers(ctx, poolID)
	c.mu.Lock()
	e.counting = false
	if err == nil {
		e.n, e.at = n, now
	}
	c.mu.Unlock()
	return n, err
}
