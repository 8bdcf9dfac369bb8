package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"sync"
)

// signingKeys caches derived signing keys: a key depends only on the secret and
// the scope, so one derivation (four HMACs) serves every request of a day.
var signingKeys = newKeyCache(1024)

// cacheKey holds a hash of the secret, never the secret itself, so a rotated
// secret misses instead of reusing a stale key.
type cacheKey struct {
	secret                [sha256.Size]byte
	date, region, service string
}

// keyCache is a bounded, concurrency-safe map; when full it drops an arbitrary
// entry, which is enough for a working set of a few keys per day.
type keyCache struct {
	mu           sync.Mutex
	max          int
	keys         map[cacheKey][]byte
	hits, misses int
}

func newKeyCache(max int) *keyCache {
	return &keyCache{max: max, keys: make(map[cacheKey][]byte)}
}

// get returns the signing key for the scope, deriving it on a miss. Callers must not modify it.
func (c *keyCache) get(secret, date, region, service string) []byte {
	k := cacheKey{sha256.Sum256([]byte(secret)), date, region, service}
	c.mu.Lock()
	if key, ok := c.keys[k]; ok {
		c.hits++
		c.mu.Unlock()
		return key
	}
	c.misses++
	c.mu.Unlock()

	key := deriveKey(secret, date, region, service)

	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.keys) >= c.max {
		for old := range c.keys {
			delete(c.keys, old)
			break
		}
	}
	c.keys[k] = key
	return key
}

// deriveKey is the SigV4 HMAC chain: secret → date → region → service → "aws4_request".
func deriveKey(secret, date, region, service string) []byte {
	key := hmacSHA256([]byte("AWS4"+secret), date)
	key = hmacSHA256(key, region)
	key = hmacSHA256(key, service)
	return hmacSHA256(key, terminator)
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}
