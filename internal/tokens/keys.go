package tokens

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/cgip/cgip/internal/store"
)

// keySet is what a node knows of one pool's keys at one time.
type keySet struct {
	loadedAt  time.Time
	kids      []string // oldest first, as stored
	byKID     map[string]*rsa.PublicKey
	signerKID string          // the newest key; "" when the pool has none
	signer    *rsa.PrivateKey // kept in memory only
	stale     bool            // a placeholder left by invalidate
}

// poolCache holds a pool's current keySet. Loads are one at a time per pool (sem), so that many
// requests with an unknown kid cause one store read, not one each.
type poolCache struct {
	sem   chan struct{}
	state atomic.Pointer[keySet]
}

func (i *Issuer) cache(poolID string) *poolCache {
	i.mu.Lock()
	defer i.mu.Unlock()
	pc := i.pools[poolID]
	if pc == nil {
		pc = &poolCache{sem: make(chan struct{}, 1)}
		i.pools[poolID] = pc
	}
	return pc
}

// invalidate makes the next use of the pool's keys on this node read the store.
func (i *Issuer) invalidate(poolID string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if pc := i.pools[poolID]; pc != nil {
		// A new placeholder (not nil) so that a load already under way, which read the store
		// before the change, does not install its result (see keySet's CompareAndSwap).
		pc.state.Store(&keySet{stale: true})
	}
}

// Forget drops what this node caches of a pool (call it when the pool is deleted).
func (i *Issuer) Forget(poolID string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	delete(i.pools, poolID)
}

// keySet returns the pool's keys: the cached set while it is fresh, else a new read. With
// missed set (a set that lacked a kid), it returns a set loaded after missed: one that another
// caller loaded meanwhile, or a new read.
func (i *Issuer) keySet(ctx context.Context, poolID string, missed *keySet) (*keySet, error) {
	ks, _, err := i.keySetRead(ctx, poolID, missed)
	return ks, err
}

// keySetRead is keySet, also saying whether the set was read from the store by this call.
func (i *Issuer) keySetRead(ctx context.Context, poolID string, missed *keySet) (*keySet, bool, error) {
	pc := i.cache(poolID)
	usable := func(ks *keySet) bool {
		if ks == nil || ks.stale {
			return false
		}
		if missed != nil {
			return ks != missed
		}
		return i.now().Before(ks.loadedAt.Add(i.ttl))
	}
	if ks := pc.state.Load(); usable(ks) {
		return ks, false, nil
	}
	select {
	case pc.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
	defer func() { <-pc.sem }()
	cur := pc.state.Load()
	if usable(cur) {
		return cur, false, nil
	}
	ks, err := i.load(ctx, poolID)
	if err != nil {
		return nil, false, err
	}
	if len(ks.kids) == 0 {
		// Not cached: requests naming pools that do not exist must not grow the cache.
		i.mu.Lock()
		if i.pools[poolID] == pc {
			delete(i.pools, poolID)
		}
		i.mu.Unlock()
		return ks, true, nil
	}
	pc.state.CompareAndSwap(cur, ks)
	return ks, true, nil
}

func (i *Issuer) load(ctx context.Context, poolID string) (*keySet, error) {
	recs, err := i.keys.ListSigningKeys(ctx, poolID)
	if err != nil {
		return nil, fmt.Errorf("tokens: listing signing keys of pool %s: %w", poolID, err)
	}
	ks := &keySet{loadedAt: i.now(), byKID: make(map[string]*rsa.PublicKey, len(recs))}
	for _, r := range recs {
		priv, err := i.openKey(r)
		if err != nil {
			return nil, err
		}
		ks.kids = append(ks.kids, r.KID)
		ks.byKID[r.KID] = &priv.PublicKey
		ks.signerKID, ks.signer = r.KID, priv
	}
	return ks, nil
}

func keyLabel(poolID, kid string) string { return "signing-key:" + poolID + ":" + kid }

// openKey decrypts and parses a stored key; the error never contains key material.
func (i *Issuer) openKey(r store.SigningKey) (*rsa.PrivateKey, error) {
	der, err := i.sealer.Open(r.Private, keyLabel(r.PoolID, r.KID))
	if err != nil {
		return nil, fmt.Errorf("tokens: signing key %s of pool %s: %w", r.KID, r.PoolID, err)
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	clear(der)
	if err != nil {
		return nil, fmt.Errorf("tokens: signing key %s of pool %s is not a PKCS#8 key", r.KID, r.PoolID)
	}
	priv, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("tokens: signing key %s of pool %s is not an RSA key", r.KID, r.PoolID)
	}
	return priv, nil
}

// KeyID is the kid of a public key: the standard base64 of the SHA-256 of its PKIX DER form.
func KeyID(pub *rsa.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(der)
	return base64.StdEncoding.EncodeToString(sum[:]), nil
}

// plausibleKID says whether kid has the shape of KeyID's output: only such a kid is worth a
// store read when it is not in the cache.
func plausibleKID(kid string) bool {
	if len(kid) != base64.StdEncoding.EncodedLen(sha256.Size) {
		return false
	}
	b, err := base64.StdEncoding.DecodeString(kid)
	return err == nil && len(b) == sha256.Size
}

// newKey generates a key and returns it sealed as the store keeps it.
func (i *Issuer) newKey(poolID string, created time.Time) (*store.SigningKey, error) {
	priv, err := rsa.GenerateKey(rand.Reader, i.bits)
	if err != nil {
		return nil, fmt.Errorf("tokens: generating a key: %w", err)
	}
	kid, err := KeyID(&priv.PublicKey)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("tokens: encoding a key: %w", err)
	}
	sealed := i.sealer.Seal(der, keyLabel(poolID, kid))
	clear(der)
	return &store.SigningKey{PoolID: poolID, KID: kid, Private: sealed, CreatedAt: created}, nil
}

// EnsureKey creates the pool's first key when it has none (call it when a pool is created).
// Two nodes racing may both create one; both are published and the newer signs everywhere.
func (i *Issuer) EnsureKey(ctx context.Context, poolID string) error {
	recs, err := i.keys.ListSigningKeys(ctx, poolID)
	if err != nil {
		return fmt.Errorf("tokens: listing signing keys of pool %s: %w", poolID, err)
	}
	if len(recs) > 0 {
		return nil
	}
	_, err = i.add(ctx, poolID, nil)
	return err
}

// Rotate adds a new key to the pool, which signs from now on (on other nodes within
// KeyCacheTTL); older keys stay published, so tokens they signed keep verifying.
func (i *Issuer) Rotate(ctx context.Context, poolID string) (string, error) {
	recs, err := i.keys.ListSigningKeys(ctx, poolID)
	if err != nil {
		return "", fmt.Errorf("tokens: listing signing keys of pool %s: %w", poolID, err)
	}
	return i.add(ctx, poolID, recs)
}

// add stores a new key dated after every existing one, so that it sorts newest even when this
// node's clock is behind the node that added the previous key.
func (i *Issuer) add(ctx context.Context, poolID string, existing []store.SigningKey) (string, error) {
	created := i.now().UTC().Truncate(time.Microsecond)
	for _, r := range existing {
		if !created.After(r.CreatedAt) {
			created = r.CreatedAt.UTC().Truncate(time.Microsecond).Add(time.Microsecond)
		}
	}
	k, err := i.newKey(poolID, created)
	if err != nil {
		return "", err
	}
	if err := i.keys.AddSigningKey(ctx, k); err != nil {
		return "", fmt.Errorf("tokens: adding a signing key to pool %s: %w", poolID, err)
	}
	i.invalidate(poolID)
	return k.KID, nil
}

// RetireOldKeys deletes all but the newest keep keys (keep >= 1) of the pool; tokens they signed
// stop verifying (on other nodes within KeyCacheTTL). Retire a key only after every token it
// signed has expired and KeyCacheTTL has passed since the rotation that replaced it, since other
// nodes may sign with it until then.
func (i *Issuer) RetireOldKeys(ctx context.Context, poolID string, keep int) error {
	if keep < 1 {
		return errors.New("tokens: a pool must keep at least one signing key")
	}
	recs, err := i.keys.ListSigningKeys(ctx, poolID)
	if err != nil {
		return fmt.Errorf("tokens: listing signing keys of pool %s: %w", poolID, err)
	}
	defer i.invalidate(poolID)
	for n := 0; n < len(recs)-keep; n++ {
		err := i.keys.DeleteSigningKey(ctx, poolID, recs[n].KID)
		if err != nil && !errors.Is(err, store.ErrNotFound) { // another node retired it first
			return fmt.Errorf("tokens: deleting signing key %s of pool %s: %w", recs[n].KID, poolID, err)
		}
	}
	return nil
}
