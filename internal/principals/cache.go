package principals

import (
	"sync"

	"github.com/cgip/cgip/internal/iam"
)

// maxCachedPolicies bounds the cache; when full it starts over (documents are few and small).
const maxCachedPolicies = 4096

// policyCache keeps parsed policy documents: the same few documents are evaluated on every
// request, and a parsed iam.Policy is immutable.
type policyCache struct {
	mu sync.RWMutex
	m  map[cacheKey]*iam.Policy
}

type cacheKey struct {
	doc   string
	trust bool
}

// get parses (or recalls) a stored document; one that no longer parses (it was validated
// when stored) grants nothing and is nil.
func (c *policyCache) get(doc string, trust bool) *iam.Policy {
	k := cacheKey{doc, trust}
	c.mu.RLock()
	p, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return p
	}
	parse := iam.ParsePolicy
	if trust {
		parse = iam.ParseTrustPolicy
	}
	p, _ = parse(doc)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedPolicies {
		c.m = make(map[cacheKey]*iam.Policy)
	}
	c.m[k] = p
	c.mu.Unlock()
	return p
}
