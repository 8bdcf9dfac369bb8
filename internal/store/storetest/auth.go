package storetest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cgip/cgip/internal/store"
)

// authTests are the subtests of Run for signing keys and refresh tokens.
var authTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"SigningKey/AddList", testSigningKeyAddList},
	{"SigningKey/Errors", testSigningKeyErrors},
	{"SigningKey/Delete", testSigningKeyDelete},
	{"SigningKey/InTx", testSigningKeyInTx},
	{"RefreshToken/CreateGet", testRefreshTokenCreateGet},
	{"RefreshToken/Errors", testRefreshTokenErrors},
	{"RefreshToken/FindByOrigin", testRefreshTokenFindByOrigin},
	{"RefreshToken/Revoke", testRefreshTokenRevoke},
	{"RefreshToken/ConcurrentRevoke", testRefreshTokenConcurrentRevoke},
	{"RefreshToken/RevokeUser", testRefreshTokenRevokeUser},
	{"RefreshToken/InTx", testRefreshTokenInTx},
	{"RefreshToken/DeletedWithUser", testRefreshTokenDeletedWithUser},
	{"Auth/DeletedWithPool", testAuthDeletedWithPool},
}

func newSigningKey(poolID, kid string, created time.Time) *store.SigningKey {
	return &store.SigningKey{
		PoolID:    poolID,
		KID:       kid,
		Private:   []byte("sealed PKCS#8 \x00\x01\xfe\xff " + randString(16)),
		CreatedAt: created,
	}
}

func mustAddSigningKey(t *testing.T, tx store.Tx, k *store.SigningKey) *store.SigningKey {
	t.Helper()
	if err := tx.AddSigningKey(t.Context(), k); err != nil {
		t.Fatalf("AddSigningKey(%s, %s): %v", k.PoolID, k.KID, err)
	}
	return k
}

func listSigningKeys(t *testing.T, tx store.Tx, poolID string) []store.SigningKey {
	t.Helper()
	ks, err := tx.ListSigningKeys(t.Context(), poolID)
	if err != nil {
		t.Fatalf("ListSigningKeys(%s): %v", poolID, err)
	}
	return ks
}

// checkSigningKeys compares a listing with the keys it should hold, in order.
func checkSigningKeys(t *testing.T, got []store.SigningKey, want ...*store.SigningKey) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("signing keys = %v, want %v", kids(got), wantKIDs(want))
	}
	for i := range got {
		g, w := &got[i], want[i]
		if g.PoolID != w.PoolID || g.KID != w.KID {
			t.Fatalf("signing keys = %v, want %v", kids(got), wantKIDs(want))
		}
		if !bytes.Equal(g.Private, w.Private) {
			t.Errorf("signing key %s Private = %q, want %q", w.KID, g.Private, w.Private)
		}
		checkTime(t, "signing key "+w.KID+" CreatedAt", g.CreatedAt, w.CreatedAt)
	}
}

func kids(ks []store.SigningKey) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.PoolID + "/" + k.KID
	}
	return out
}

func wantKIDs(ks []*store.SigningKey) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.PoolID + "/" + k.KID
	}
	return out
}

// newRefreshToken returns a valid token of the user with every other field set.
func newRefreshToken(poolID, usernameKey string) *store.RefreshToken {
	sum := sha256.Sum256([]byte(randString(40)))
	now := time.Now().Truncate(time.Millisecond)
	return &store.RefreshToken{
		Hash:        hex.EncodeToString(sum[:]),
		PoolID:      poolID,
		UsernameKey: usernameKey,
		ClientID:    randString(26),
		OriginJTI:   newSub(),
		AuthTime:    now.Add(-time.Hour),
		CreatedAt:   now,
		ExpiresAt:   now.Add(30 * 24 * time.Hour),
	}
}

func mustCreateRefreshToken(t *testing.T, tx store.Tx, rt *store.RefreshToken) *store.RefreshToken {
	t.Helper()
	if err := tx.CreateRefreshToken(t.Context(), rt); err != nil {
		t.Fatalf("CreateRefreshToken(%s/%s): %v", rt.PoolID, rt.UsernameKey, err)
	}
	return rt
}

func mustGetRefreshToken(t *testing.T, tx store.Tx, hash string) *store.RefreshToken {
	t.Helper()
	rt, err := tx.GetRefreshToken(t.Context(), hash)
	if err != nil {
		t.Fatalf("GetRefreshToken(%s): %v", hash, err)
	}
	return rt
}

// checkRefreshToken compares every field; a zero RevokedAt must come back zero.
func checkRefreshToken(t *testing.T, got, want *store.RefreshToken) {
	t.Helper()
	if got.Hash != want.Hash || got.PoolID != want.PoolID || got.UsernameKey != want.UsernameKey ||
		got.ClientID != want.ClientID || got.OriginJTI != want.OriginJTI {
		t.Errorf("refresh token = %+v\nwant            %+v", *got, *want)
	}
	what := "refresh token " + want.Hash[:8]
	checkTime(t, what+" AuthTime", got.AuthTime, want.AuthTime)
	checkTime(t, what+" CreatedAt", got.CreatedAt, want.CreatedAt)
	checkTime(t, what+" ExpiresAt", got.ExpiresAt, want.ExpiresAt)
	if want.RevokedAt.IsZero() {
		if !got.RevokedAt.IsZero() {
			t.Errorf("%s RevokedAt = %v, want zero", what, got.RevokedAt)
		}
	} else {
		checkTime(t, what+" RevokedAt", got.RevokedAt, want.RevokedAt)
	}
}

// --- signing keys ---

// Keys list oldest first, keys created in the same instant by kid; each pool lists its own keys
// only, and the same kid may exist in two pools.
func testSigningKeyAddList(t *testing.T, s store.Store) {
	p := mustCreatePool(t, s, newPool(region1, account1))
	q := mustCreatePool(t, s, newPool(region1, account1))
	base := time.Now().UTC().Truncate(time.Millisecond).Add(-time.Hour)
	if ks := listSigningKeys(t, s, p.ID); len(ks) != 0 {
		t.Errorf("keys of a new pool: %v", kids(ks))
	}
	later := mustAddSigningKey(t, s, newSigningKey(p.ID, "b", base.Add(2*time.Second)))
	oldest := mustAddSigningKey(t, s, newSigningKey(p.ID, "z", base))
	sameTime := mustAddSigningKey(t, s, newSigningKey(p.ID, "a", base.Add(2*time.Second)))
	precise := mustAddSigningKey(t, s, newSigningKey(p.ID, "m", base.Add(3*time.Second+123456789)))
	other := mustAddSigningKey(t, s, newSigningKey(q.ID, "b", base.Add(-time.Minute)))

	if want := base.Add(3*time.Second + 123456000); !precise.CreatedAt.Equal(want) || precise.CreatedAt.Location() != time.UTC {
		t.Errorf("AddSigningKey stored CreatedAt %v, want %v (UTC, microseconds)", precise.CreatedAt, want)
	}
	checkSigningKeys(t, listSigningKeys(t, s, p.ID), oldest, sameTime, later, precise)
	checkSigningKeys(t, listSigningKeys(t, s, q.ID), other)
	if ks := listSigningKeys(t, s, poolID(region1)); len(ks) != 0 {
		t.Errorf("keys of a missing pool: %v", kids(ks))
	}

	// A zero CreatedAt becomes now, and the newest key lists last.
	before := time.Now()
	now := newSigningKey(p.ID, "0", time.Time{})
	mustAddSigningKey(t, s, now)
	if now.CreatedAt.Before(before.Add(-time.Millisecond)) || now.CreatedAt.After(time.Now().Add(time.Millisecond)) ||
		now.CreatedAt.Location() != time.UTC {
		t.Errorf("zero CreatedAt stored as %v, want now (UTC)", now.CreatedAt)
	}
	checkSigningKeys(t, listSigningKeys(t, s, p.ID), oldest, sameTime, later, precise, now)
}

func testSigningKeyErrors(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	base := time.Now().UTC().Truncate(time.Millisecond)
	k := mustAddSigningKey(t, s, newSigningKey(p.ID, "kid-1", base))

	dup := newSigningKey(p.ID, "kid-1", base.Add(time.Second))
	wantErr(t, "AddSigningKey with a taken kid", s.AddSigningKey(ctx, dup), store.ErrConflict)
	wantErr(t, "AddSigningKey in a missing pool",
		s.AddSigningKey(ctx, newSigningKey(poolID(region1), "kid-2", base)), store.ErrNotFound)
	checkSigningKeys(t, listSigningKeys(t, s, p.ID), k)
	// The kid compares exactly.
	upper := mustAddSigningKey(t, s, newSigningKey(p.ID, "KID-1", base.Add(time.Second)))
	checkSigningKeys(t, listSigningKeys(t, s, p.ID), k, upper)
}

func testSigningKeyDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	q := mustCreatePool(t, s, newPool(region1, account1))
	base := time.Now().UTC().Truncate(time.Millisecond)
	k1 := mustAddSigningKey(t, s, newSigningKey(p.ID, "k1", base))
	k2 := mustAddSigningKey(t, s, newSigningKey(p.ID, "k2", base.Add(time.Second)))
	k3 := mustAddSigningKey(t, s, newSigningKey(p.ID, "k3", base.Add(2*time.Second)))
	qk := mustAddSigningKey(t, s, newSigningKey(q.ID, "k1", base))

	wantErr(t, "DeleteSigningKey through another pool", s.DeleteSigningKey(ctx, q.ID, "k2"), store.ErrNotFound)
	wantErr(t, "DeleteSigningKey of a missing kid", s.DeleteSigningKey(ctx, p.ID, "nope"), store.ErrNotFound)
	wantErr(t, "DeleteSigningKey in a missing pool", s.DeleteSigningKey(ctx, poolID(region1), "k1"), store.ErrNotFound)
	noErr(t, "DeleteSigningKey", s.DeleteSigningKey(ctx, p.ID, "k1"))
	wantErr(t, "DeleteSigningKey twice", s.DeleteSigningKey(ctx, p.ID, "k1"), store.ErrNotFound)
	checkSigningKeys(t, listSigningKeys(t, s, p.ID), k2, k3)
	checkSigningKeys(t, listSigningKeys(t, s, q.ID), qk)

	// The kid is free again; the re-added key sorts by its own CreatedAt.
	again := *k1
	again.Private = []byte("new key")
	again.CreatedAt = base.Add(3 * time.Second)
	mustAddSigningKey(t, s, &again)
	checkSigningKeys(t, listSigningKeys(t, s, p.ID), k2, k3, &again)
}

func testSigningKeyInTx(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	base := time.Now().UTC().Truncate(time.Millisecond)
	k1 := mustAddSigningKey(t, s, newSigningKey(p.ID, "k1", base))

	// Rotation in one transaction: add the new key, drop the old one. A rolled back rotation
	// leaves nothing behind.
	k2 := newSigningKey(p.ID, "k2", base.Add(time.Second))
	rollback(t, s, func(tx store.Tx) {
		mustAddSigningKey(t, tx, k2)
		noErr(t, "DeleteSigningKey in tx", tx.DeleteSigningKey(ctx, p.ID, "k1"))
		checkSigningKeys(t, listSigningKeys(t, tx, p.ID), k2)
	})
	checkSigningKeys(t, listSigningKeys(t, s, p.ID), k1)

	err := s.InTx(ctx, func(tx store.Tx) error {
		wantErr(t, "AddSigningKey with a taken kid in tx", tx.AddSigningKey(ctx, newSigningKey(p.ID, "k1", base)), store.ErrConflict)
		wantErr(t, "AddSigningKey in a missing pool in tx",
			tx.AddSigningKey(ctx, newSigningKey(poolID(region1), "k1", base)), store.ErrNotFound)
		wantErr(t, "DeleteSigningKey of a missing kid in tx", tx.DeleteSigningKey(ctx, p.ID, "nope"), store.ErrNotFound)
		// The transaction goes on.
		mustAddSigningKey(t, tx, k2)
		checkSigningKeys(t, listSigningKeys(t, tx, p.ID), k1, k2)
		return tx.DeleteSigningKey(ctx, p.ID, "k1")
	})
	noErr(t, "InTx", err)
	checkSigningKeys(t, listSigningKeys(t, s, p.ID), k2)
}

// --- refresh tokens ---

func testRefreshTokenCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	mustCreateUser(t, s, newUser(p.ID, "alice"))

	rt := newRefreshToken(p.ID, "alice")
	rt.AuthTime = rt.AuthTime.Add(123456789) // sub-millisecond parts are kept to the microsecond
	rt.ExpiresAt = rt.ExpiresAt.In(time.FixedZone("UTC+5", 5*3600))
	want := *rt
	mustCreateRefreshToken(t, s, rt)
	if !rt.RevokedAt.IsZero() {
		t.Errorf("CreateRefreshToken set RevokedAt to %v", rt.RevokedAt)
	}
	for what, tm := range map[string]time.Time{"AuthTime": rt.AuthTime, "CreatedAt": rt.CreatedAt, "ExpiresAt": rt.ExpiresAt} {
		if tm.Location() != time.UTC || !tm.Equal(tm.Truncate(time.Microsecond)) {
			t.Errorf("CreateRefreshToken left %s = %v, want UTC in microseconds", what, tm)
		}
	}
	got := mustGetRefreshToken(t, s, rt.Hash)
	checkRefreshToken(t, got, &want)
	checkRefreshToken(t, got, rt)
	if !got.RevokedAt.IsZero() || got.RevokedAt != (time.Time{}) {
		t.Errorf("valid token RevokedAt = %#v, want the zero time", got.RevokedAt)
	}

	// A zero CreatedAt becomes now; a RevokedAt given at creation is kept.
	before := time.Now()
	now := newRefreshToken(p.ID, "alice")
	now.CreatedAt = time.Time{}
	now.RevokedAt = now.AuthTime.Add(time.Minute)
	mustCreateRefreshToken(t, s, now)
	if now.CreatedAt.Before(before.Add(-time.Millisecond)) || now.CreatedAt.After(time.Now().Add(time.Millisecond)) {
		t.Errorf("zero CreatedAt stored as %v, want now", now.CreatedAt)
	}
	checkRefreshToken(t, mustGetRefreshToken(t, s, now.Hash), now)

	_, err := s.GetRefreshToken(ctx, newRefreshToken(p.ID, "alice").Hash)
	wantErr(t, "GetRefreshToken of a missing hash", err, store.ErrNotFound)
}

// CreateRefreshToken: ErrConflict for a taken hash (in any pool), ErrNotFound for a missing
// pool or user; nothing is stored either way.
func testRefreshTokenErrors(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	q := mustCreatePool(t, s, newPool(region1, account1))
	mustCreateUser(t, s, newUser(p.ID, "alice"))
	mustCreateUser(t, s, newUser(q.ID, "bob"))
	rt := mustCreateRefreshToken(t, s, newRefreshToken(p.ID, "alice"))

	dup := newRefreshToken(q.ID, "bob")
	dup.Hash = rt.Hash
	wantErr(t, "CreateRefreshToken with a taken hash", s.CreateRefreshToken(ctx, dup), store.ErrConflict)
	wantErr(t, "CreateRefreshToken in a missing pool",
		s.CreateRefreshToken(ctx, newRefreshToken(poolID(region1), "alice")), store.ErrNotFound)
	missing := newRefreshToken(p.ID, "nobody")
	wantErr(t, "CreateRefreshToken of a missing user", s.CreateRefreshToken(ctx, missing), store.ErrNotFound)
	wantErr(t, "CreateRefreshToken of a user of another pool",
		s.CreateRefreshToken(ctx, newRefreshToken(p.ID, "bob")), store.ErrNotFound)
	_, err := s.GetRefreshToken(ctx, missing.Hash)
	wantErr(t, "GetRefreshToken of a token refused", err, store.ErrNotFound)
	checkRefreshToken(t, mustGetRefreshToken(t, s, rt.Hash), rt)
}

func mustFindByOrigin(t *testing.T, tx store.Tx, poolID, origin string) *store.RefreshToken {
	t.Helper()
	rt, err := tx.FindRefreshTokenByOrigin(t.Context(), poolID, origin)
	if err != nil {
		t.Fatalf("FindRefreshTokenByOrigin(%s, %s): %v", poolID, origin, err)
	}
	return rt
}

// FindRefreshTokenByOrigin finds a sign-in's token within its pool; of several tokens of one
// sign-in the newest, revoked or not. The empty origin finds nothing.
func testRefreshTokenFindByOrigin(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	q := mustCreatePool(t, s, newPool(region1, account1))
	mustCreateUser(t, s, newUser(p.ID, "alice"))
	mustCreateUser(t, s, newUser(p.ID, "bob"))
	mustCreateUser(t, s, newUser(q.ID, "alice"))
	base := time.Now().UTC().Truncate(time.Millisecond).Add(-time.Hour)

	a := mustCreateRefreshToken(t, s, newRefreshToken(p.ID, "alice"))
	b := mustCreateRefreshToken(t, s, newRefreshToken(p.ID, "bob"))
	namesake := newRefreshToken(q.ID, "alice")
	namesake.OriginJTI = a.OriginJTI
	mustCreateRefreshToken(t, s, namesake)
	checkRefreshToken(t, mustFindByOrigin(t, s, p.ID, a.OriginJTI), a)
	checkRefreshToken(t, mustFindByOrigin(t, s, p.ID, b.OriginJTI), b)
	checkRefreshToken(t, mustFindByOrigin(t, s, q.ID, a.OriginJTI), namesake)

	_, err := s.FindRefreshTokenByOrigin(ctx, p.ID, newSub())
	wantErr(t, "FindRefreshTokenByOrigin of a missing origin", err, store.ErrNotFound)
	_, err = s.FindRefreshTokenByOrigin(ctx, poolID(region1), a.OriginJTI)
	wantErr(t, "FindRefreshTokenByOrigin in a missing pool", err, store.ErrNotFound)
	_, err = s.FindRefreshTokenByOrigin(ctx, q.ID, b.OriginJTI)
	wantErr(t, "FindRefreshTokenByOrigin through another pool", err, store.ErrNotFound)
	noOrigin := newRefreshToken(p.ID, "alice")
	noOrigin.OriginJTI = ""
	mustCreateRefreshToken(t, s, noOrigin)
	_, err = s.FindRefreshTokenByOrigin(ctx, p.ID, "")
	wantErr(t, "FindRefreshTokenByOrigin of the empty origin", err, store.ErrNotFound)

	// Several tokens of one sign-in: the newest counts, also once it is revoked.
	origin := newSub()
	var session []*store.RefreshToken
	for _, d := range []time.Duration{time.Second, 3 * time.Second, 2 * time.Second} {
		rt := newRefreshToken(p.ID, "alice")
		rt.OriginJTI, rt.CreatedAt = origin, base.Add(d)
		session = append(session, mustCreateRefreshToken(t, s, rt))
	}
	newest := session[1]
	checkRefreshToken(t, mustFindByOrigin(t, s, p.ID, origin), newest)
	noErr(t, "RevokeRefreshToken", s.RevokeRefreshToken(ctx, newest.Hash, base.Add(time.Minute)))
	want := *newest
	want.RevokedAt = base.Add(time.Minute)
	checkRefreshToken(t, mustFindByOrigin(t, s, p.ID, origin), &want)

	// Inside a transaction, it sees the transaction's writes.
	noErr(t, "InTx", s.InTx(ctx, func(tx store.Tx) error {
		rt := newRefreshToken(p.ID, "bob")
		mustCreateRefreshToken(t, tx, rt)
		checkRefreshToken(t, mustFindByOrigin(t, tx, p.ID, rt.OriginJTI), rt)
		_, err := tx.FindRefreshTokenByOrigin(ctx, p.ID, newSub())
		wantErr(t, "FindRefreshTokenByOrigin of a missing origin in tx", err, store.ErrNotFound)
		return nil
	}))
}

func testRefreshTokenRevoke(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	mustCreateUser(t, s, newUser(p.ID, "alice"))
	rt := mustCreateRefreshToken(t, s, newRefreshToken(p.ID, "alice"))
	sibling := mustCreateRefreshToken(t, s, newRefreshToken(p.ID, "alice"))

	first := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
	noErr(t, "RevokeRefreshToken", s.RevokeRefreshToken(ctx, rt.Hash, first))
	want := *rt
	want.RevokedAt = first
	checkRefreshToken(t, mustGetRefreshToken(t, s, rt.Hash), &want)
	// Revoking again succeeds and keeps the first time.
	noErr(t, "RevokeRefreshToken twice", s.RevokeRefreshToken(ctx, rt.Hash, first.Add(time.Minute)))
	checkRefreshToken(t, mustGetRefreshToken(t, s, rt.Hash), &want)
	checkRefreshToken(t, mustGetRefreshToken(t, s, sibling.Hash), sibling)

	// A zero time is now.
	before := time.Now()
	noErr(t, "RevokeRefreshToken at zero time", s.RevokeRefreshToken(ctx, sibling.Hash, time.Time{}))
	got := mustGetRefreshToken(t, s, sibling.Hash)
	if got.RevokedAt.Before(before.Add(-time.Millisecond)) || got.RevokedAt.After(time.Now().Add(time.Millisecond)) ||
		got.RevokedAt.Location() != time.UTC {
		t.Errorf("RevokeRefreshToken at the zero time stored %v, want now (UTC)", got.RevokedAt)
	}

	wantErr(t, "RevokeRefreshToken of a missing hash",
		s.RevokeRefreshToken(ctx, newRefreshToken(p.ID, "alice").Hash, first), store.ErrNotFound)
}

// Concurrent revocations of one token all succeed, and exactly one of their times sticks.
func testRefreshTokenConcurrentRevoke(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	mustCreateUser(t, s, newUser(p.ID, "alice"))
	rt := mustCreateRefreshToken(t, s, newRefreshToken(p.ID, "alice"))
	base := time.Now().UTC().Truncate(time.Millisecond)
	const n = 8
	var times []time.Time
	var wg sync.WaitGroup
	for i := range n {
		at := base.Add(time.Duration(i) * time.Second)
		times = append(times, at)
		wg.Go(func() {
			var err error
			if i%2 == 0 {
				err = s.RevokeRefreshToken(ctx, rt.Hash, at)
			} else {
				err = s.InTx(ctx, func(tx store.Tx) error { return tx.RevokeRefreshToken(ctx, rt.Hash, at) })
			}
			if err != nil {
				t.Errorf("RevokeRefreshToken %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	got := mustGetRefreshToken(t, s, rt.Hash).RevokedAt
	if !slices.ContainsFunc(times, got.Equal) {
		t.Errorf("RevokedAt after concurrent revocations = %v, want one of %v", got, times)
	}
}

// RevokeUserRefreshTokens revokes the user's valid tokens only (a revoked token keeps its time)
// and counts them; other users' tokens, also a namesake's in another pool, stay valid.
func testRefreshTokenRevokeUser(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	q := mustCreatePool(t, s, newPool(region1, account1))
	mustCreateUser(t, s, newUser(p.ID, "alice"))
	mustCreateUser(t, s, newUser(p.ID, "bob"))
	mustCreateUser(t, s, newUser(q.ID, "alice"))
	at := time.Now().UTC().Truncate(time.Millisecond)

	var alice []*store.RefreshToken
	for range 3 {
		alice = append(alice, mustCreateRefreshToken(t, s, newRefreshToken(p.ID, "alice")))
	}
	expired := newRefreshToken(p.ID, "alice")
	expired.ExpiresAt = at.Add(-time.Hour)
	alice = append(alice, mustCreateRefreshToken(t, s, expired))
	revoked := newRefreshToken(p.ID, "alice")
	revoked.RevokedAt = at.Add(-2 * time.Hour)
	mustCreateRefreshToken(t, s, revoked)
	bob := mustCreateRefreshToken(t, s, newRefreshToken(p.ID, "bob"))
	namesake := mustCreateRefreshToken(t, s, newRefreshToken(q.ID, "alice"))

	n, err := s.RevokeUserRefreshTokens(ctx, p.ID, "alice", at)
	noErr(t, "RevokeUserRefreshTokens", err)
	if n != int64(len(alice)) {
		t.Errorf("RevokeUserRefreshTokens = %d, want %d", n, len(alice))
	}
	for _, rt := range alice {
		want := *rt
		want.RevokedAt = at
		checkRefreshToken(t, mustGetRefreshToken(t, s, rt.Hash), &want)
	}
	checkRefreshToken(t, mustGetRefreshToken(t, s, revoked.Hash), revoked)
	checkRefreshToken(t, mustGetRefreshToken(t, s, bob.Hash), bob)
	checkRefreshToken(t, mustGetRefreshToken(t, s, namesake.Hash), namesake)

	// Again: nothing left to revoke, and the times stay.
	n, err = s.RevokeUserRefreshTokens(ctx, p.ID, "alice", at.Add(time.Hour))
	noErr(t, "RevokeUserRefreshTokens again", err)
	if n != 0 {
		t.Errorf("RevokeUserRefreshTokens again = %d, want 0", n)
	}
	want := *alice[0]
	want.RevokedAt = at
	checkRefreshToken(t, mustGetRefreshToken(t, s, alice[0].Hash), &want)

	// A user without tokens, or without a record, has none to revoke.
	for _, key := range []string{"carol", ""} {
		n, err = s.RevokeUserRefreshTokens(ctx, p.ID, key, at)
		noErr(t, "RevokeUserRefreshTokens of "+key, err)
		if n != 0 {
			t.Errorf("RevokeUserRefreshTokens of %q = %d, want 0", key, n)
		}
	}
	n, err = s.RevokeUserRefreshTokens(ctx, poolID(region1), "alice", at)
	noErr(t, "RevokeUserRefreshTokens in a missing pool", err)
	if n != 0 {
		t.Errorf("RevokeUserRefreshTokens in a missing pool = %d, want 0", n)
	}
	checkRefreshToken(t, mustGetRefreshToken(t, s, bob.Hash), bob)
	checkRefreshToken(t, mustGetRefreshToken(t, s, namesake.Hash), namesake)
}

func testRefreshTokenInTx(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	mustCreateUser(t, s, newUser(p.ID, "alice"))
	old := mustCreateRefreshToken(t, s, newRefreshToken(p.ID, "alice"))
	at := time.Now().UTC().Truncate(time.Millisecond)

	// Rotation rolled back: the new token is gone and the old one is valid.
	rotated := newRefreshToken(p.ID, "alice")
	rollback(t, s, func(tx store.Tx) {
		mustCreateRefreshToken(t, tx, rotated)
		noErr(t, "RevokeRefreshToken in tx", tx.RevokeRefreshToken(ctx, old.Hash, at))
		want := *old
		want.RevokedAt = at
		checkRefreshToken(t, mustGetRefreshToken(t, tx, old.Hash), &want)
		n, err := tx.RevokeUserRefreshTokens(ctx, p.ID, "alice", at)
		noErr(t, "RevokeUserRefreshTokens in tx", err)
		if n != 1 {
			t.Errorf("RevokeUserRefreshTokens in tx = %d, want 1 (the rotated token)", n)
		}
	})
	_, err := s.GetRefreshToken(ctx, rotated.Hash)
	wantErr(t, "GetRefreshToken of a rolled back token", err, store.ErrNotFound)
	checkRefreshToken(t, mustGetRefreshToken(t, s, old.Hash), old)

	// Errors leave the transaction usable.
	rotated = newRefreshToken(p.ID, "alice")
	err = s.InTx(ctx, func(tx store.Tx) error {
		dup := newRefreshToken(p.ID, "alice")
		dup.Hash = old.Hash
		wantErr(t, "CreateRefreshToken with a taken hash in tx", tx.CreateRefreshToken(ctx, dup), store.ErrConflict)
		wantErr(t, "CreateRefreshToken of a missing user in tx",
			tx.CreateRefreshToken(ctx, newRefreshToken(p.ID, "nobody")), store.ErrNotFound)
		wantErr(t, "CreateRefreshToken in a missing pool in tx",
			tx.CreateRefreshToken(ctx, newRefreshToken(poolID(region1), "alice")), store.ErrNotFound)
		_, err := tx.GetRefreshToken(ctx, rotated.Hash)
		wantErr(t, "GetRefreshToken of a missing hash in tx", err, store.ErrNotFound)
		wantErr(t, "RevokeRefreshToken of a missing hash in tx",
			tx.RevokeRefreshToken(ctx, rotated.Hash, at), store.ErrNotFound)
		mustCreateRefreshToken(t, tx, rotated)
		return tx.RevokeRefreshToken(ctx, old.Hash, at)
	})
	noErr(t, "InTx", err)
	want := *old
	want.RevokedAt = at
	checkRefreshToken(t, mustGetRefreshToken(t, s, old.Hash), &want)
	checkRefreshToken(t, mustGetRefreshToken(t, s, rotated.Hash), rotated)
}

// Deleting a user deletes its refresh tokens, also inside a transaction; a user created again
// under the same key has none of them, and the hashes are free again.
func testRefreshTokenDeletedWithUser(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	q := mustCreatePool(t, s, newPool(region1, account1))
	mustCreateUser(t, s, newUser(p.ID, "alice"))
	mustCreateUser(t, s, newUser(p.ID, "bob"))
	mustCreateUser(t, s, newUser(q.ID, "alice"))
	gone := []*store.RefreshToken{
		mustCreateRefreshToken(t, s, newRefreshToken(p.ID, "alice")),
		mustCreateRefreshToken(t, s, newRefreshToken(p.ID, "alice")),
	}
	bob := mustCreateRefreshToken(t, s, newRefreshToken(p.ID, "bob"))
	namesake := mustCreateRefreshToken(t, s, newRefreshToken(q.ID, "alice"))

	noErr(t, "DeleteUser", s.DeleteUser(ctx, p.ID, "alice"))
	for _, rt := range gone {
		_, err := s.GetRefreshToken(ctx, rt.Hash)
		wantErr(t, "GetRefreshToken of a deleted user's token", err, store.ErrNotFound)
		wantErr(t, "RevokeRefreshToken of a deleted user's token",
			s.RevokeRefreshToken(ctx, rt.Hash, time.Now()), store.ErrNotFound)
		_, err = s.FindRefreshTokenByOrigin(ctx, p.ID, rt.OriginJTI)
		wantErr(t, "FindRefreshTokenByOrigin of a deleted user's token", err, store.ErrNotFound)
	}
	checkRefreshToken(t, mustGetRefreshToken(t, s, bob.Hash), bob)
	checkRefreshToken(t, mustGetRefreshToken(t, s, namesake.Hash), namesake)

	mustCreateUser(t, s, newUser(p.ID, "alice"))
	n, err := s.RevokeUserRefreshTokens(ctx, p.ID, "alice", time.Now())
	noErr(t, "RevokeUserRefreshTokens", err)
	if n != 0 {
		t.Errorf("a re-created user has %d refresh tokens of its predecessor", n)
	}
	again := *gone[0]
	mustCreateRefreshToken(t, s, &again)

	// Inside a transaction, too.
	noErr(t, "InTx", s.InTx(ctx, func(tx store.Tx) error {
		if err := tx.DeleteUser(ctx, p.ID, "bob"); err != nil {
			return err
		}
		_, err := tx.GetRefreshToken(ctx, bob.Hash)
		wantErr(t, "GetRefreshToken of a user deleted in tx", err, store.ErrNotFound)
		return nil
	}))
	_, err = s.GetRefreshToken(ctx, bob.Hash)
	wantErr(t, "GetRefreshToken of a user deleted in tx", err, store.ErrNotFound)
	checkRefreshToken(t, mustGetRefreshToken(t, s, again.Hash), &again)
}

// Deleting a pool deletes its signing keys and refresh tokens; a pool created again with the
// same id starts without them, and other pools keep theirs.
func testAuthDeletedWithPool(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	keep := mustCreatePool(t, s, newPool(region1, account1))
	base := time.Now().UTC().Truncate(time.Millisecond)
	var tokens, kept []*store.RefreshToken
	var keptKeys []*store.SigningKey
	for i, pool := range []string{p.ID, keep.ID} {
		mustCreateUser(t, s, newUser(pool, "alice"))
		mustCreateUser(t, s, newUser(pool, "bob"))
		k1 := mustAddSigningKey(t, s, newSigningKey(pool, "k1", base))
		k2 := mustAddSigningKey(t, s, newSigningKey(pool, "k2", base.Add(time.Second)))
		for _, user := range []string{"alice", "alice", "bob"} {
			rt := mustCreateRefreshToken(t, s, newRefreshToken(pool, user))
			if i == 0 {
				tokens = append(tokens, rt)
			} else {
				kept = append(kept, rt)
			}
		}
		if i == 1 {
			keptKeys = []*store.SigningKey{k1, k2}
		}
	}

	noErr(t, "DeleteUserPool", s.DeleteUserPool(ctx, region1, p.ID))
	if ks := listSigningKeys(t, s, p.ID); len(ks) != 0 {
		t.Errorf("keys of a deleted pool: %v", kids(ks))
	}
	for _, rt := range tokens {
		_, err := s.GetRefreshToken(ctx, rt.Hash)
		wantErr(t, "GetRefreshToken of a deleted pool's token", err, store.ErrNotFound)
		_, err = s.FindRefreshTokenByOrigin(ctx, p.ID, rt.OriginJTI)
		wantErr(t, "FindRefreshTokenByOrigin of a deleted pool's token", err, store.ErrNotFound)
	}
	wantErr(t, "AddSigningKey in a deleted pool",
		s.AddSigningKey(ctx, newSigningKey(p.ID, "k3", base)), store.ErrNotFound)

	p2 := newPool(region1, account1)
	p2.ID = p.ID
	mustCreatePool(t, s, p2)
	if ks := listSigningKeys(t, s, p.ID); len(ks) != 0 {
		t.Errorf("keys of a re-created pool: %v", kids(ks))
	}
	mustCreateUser(t, s, newUser(p.ID, "alice"))
	n, err := s.RevokeUserRefreshTokens(ctx, p.ID, "alice", base)
	noErr(t, "RevokeUserRefreshTokens", err)
	if n != 0 {
		t.Errorf("a re-created pool's user has %d refresh tokens", n)
	}
	// The same kids and hashes can be used again.
	mustAddSigningKey(t, s, newSigningKey(p.ID, "k1", base))
	again := *tokens[0]
	mustCreateRefreshToken(t, s, &again)

	// The other pool is untouched.
	checkSigningKeys(t, listSigningKeys(t, s, keep.ID), keptKeys...)
	for _, rt := range kept {
		checkRefreshToken(t, mustGetRefreshToken(t, s, rt.Hash), rt)
	}
}
