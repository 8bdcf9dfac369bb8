package userpool

import (
	"testing"
	"time"

	"github.com/cgip/cgip/internal/store"
)

// A cached document is used only for the very record version it was decoded from: a change
// written by any node bumps Version and is decoded afresh.
func TestPoolCacheFollowsVersion(t *testing.T) {
	var c poolCache
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rec := func(version int64, config string) *store.UserPool {
		return &store.UserPool{ID: "us-east-1_abc", CreatedAt: created, Version: version, Config: []byte(config)}
	}
	p, err := c.decode(rec(1, `{"Pool":{"MfaConfiguration":"OFF"}}`), c.generation())
	if err != nil || *p.doc.Pool.MfaConfiguration != "OFF" {
		t.Fatalf("first decode: %v, %v", p, err)
	}
	// Same version: served from the cache (the stale bytes prove it is not decoded again).
	if p, _ := c.decode(rec(1, `not json`), c.generation()); p == nil || *p.doc.Pool.MfaConfiguration != "OFF" {
		t.Fatal("same version was decoded again")
	}
	if p, err := c.decode(rec(2, `{"Pool":{"MfaConfiguration":"OPTIONAL"}}`), c.generation()); err != nil || *p.doc.Pool.MfaConfiguration != "OPTIONAL" {
		t.Fatalf("a new version was not decoded: %v, %v", p, err)
	}
	// A pool deleted and created again under the same id is another pool.
	r := rec(2, `{"Pool":{"MfaConfiguration":"ON"}}`)
	r.CreatedAt = created.Add(time.Hour)
	if p, err := c.decode(r, c.generation()); err != nil || *p.doc.Pool.MfaConfiguration != "ON" {
		t.Fatalf("a recreated pool was served stale: %v, %v", p, err)
	}
}

// A record serves later reads for the cache's ttl, until a change through this node forgets it.
func TestPoolCacheRecent(t *testing.T) {
	rec := &store.UserPool{ID: "us-east-1_abc", Version: 1, Config: []byte(`{"Pool":{"MfaConfiguration":"OFF"}}`)}
	for _, tc := range []struct {
		ttl  time.Duration
		want bool
	}{{time.Hour, true}, {time.Nanosecond, false}, {-1, false}} {
		c := poolCache{ttl: tc.ttl}
		if _, ok := c.recent(rec.ID); ok {
			t.Fatalf("ttl %v: an empty cache served a pool", tc.ttl)
		}
		if _, err := c.decode(rec, c.generation()); err != nil {
			t.Fatal(err)
		}
		if tc.ttl == time.Nanosecond {
			time.Sleep(time.Microsecond)
		}
		p, ok := c.recent(rec.ID)
		if ok != tc.want || (ok && p.rec != rec) {
			t.Errorf("ttl %v: recent = %v, %v; want %v", tc.ttl, p, ok, tc.want)
		}
		c.forget(rec.ID)
		if _, ok := c.recent(rec.ID); ok {
			t.Errorf("ttl %v: a forgotten pool was served", tc.ttl)
		}
	}
}

// A record read before a change through this node was forgotten may predate the change: it
// serves its own request but is not kept for the next ones.
func TestPoolCacheKeepsNoReadOlderThanAForget(t *testing.T) {
	c := poolCache{ttl: time.Hour}
	rec := &store.UserPool{ID: "us-east-1_abc", Version: 1, Config: []byte(`{"Pool":{}}`)}
	gen := c.generation() // a request starts reading the pool
	c.forget("us-east-1_other")
	if _, err := c.decode(rec, gen); err != nil { // its (possibly stale) record arrives
		t.Fatal(err)
	}
	if _, ok := c.recent(rec.ID); ok {
		t.Error("a record read before a forget was kept")
	}
	if _, err := c.decode(rec, c.generation()); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.recent(rec.ID); !ok {
		t.Error("a record read after the forget was not kept")
	}
}
