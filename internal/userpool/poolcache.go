package userpool

import (
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
