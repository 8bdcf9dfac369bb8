package tokens

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/cgip/cgip/internal/seal"
	"github.com/cgip/cgip/internal/store"
)

const (
	region = "us-east-1"
	poolA  = "us-east-1_AAAAAAAAA"
	poolB  = "us-east-1_BBBBBBBBB"
)

var ctx = context.Background()

type fixture struct {
	keys   *memKeys
	sealer *seal.Sealer
	clock  *clock
	iss    *Issuer
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{keys: newMemKeys(), sealer: testSealer(t), clock: newClock()}
	f.iss = f.node()
	return f
}

// node is another server sharing the store, master key and clock.
func (f *fixture) node() *Issuer {
	return New(Config{Keys: f.keys, Sealer: f.sealer, Now: f.clock.Now})
}

// accessClaims are the claims of a Cognito access token (API sign-in) issued now.
func (f *fixture) accessClaims(iss *Issuer, poolID string) map[string]any {
	now := f.clock.Now().Unix()
	return map[string]any{
		"sub":            "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
		"cognito:groups": []string{"admins"},
		"iss":            iss.IssuerURL(region, poolID),
		"client_id":      "57cbishk4j24pabc1234567890",
		"origin_jti":     "11111111-2222-3333-4444-555555555555",
		"event_id":       "66666666-7777-8888-9999-000000000000",
		"token_use":      "access",
		"scope":          "aws.cognito.signin.user.admin",
		"auth_time":      now,
		"iat":            now,
		"exp":            now + 3600,
		"jti":            "aaaaaaaa-0000-cccc-dddd-eeeeeeeeeeee",
		"username":       "janedoe",
	}
}

func (f *fixture) sign(t testing.TB, iss *Issuer, poolID string) string {
	t.Helper()
	tok, err := iss.Sign(ctx, region, poolID, f.accessClaims(iss, poolID))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// newestKey opens the pool's newest stored key, as only a test may.
func (f *fixture) newestKey(t testing.TB, poolID string) (string, *rsa.PrivateKey) {
	t.Helper()
	recs := f.keys.records(poolID)
	if len(recs) == 0 {
		t.Fatalf("pool %s has no key", poolID)
	}
	r := recs[len(recs)-1]
	der, err := f.sealer.Open(r.Private, keyLabel(poolID, r.KID))
	if err != nil {
		t.Fatal(err)
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		t.Fatal(err)
	}
	return r.KID, k.(*rsa.PrivateKey)
}

// rawToken signs any header and claims with any method, as an attacker or another issuer would.
func rawToken(t testing.TB, method jwt.SigningMethod, key any, header map[string]any, claims map[string]any) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, jwt.MapClaims(claims))
	tok.Header = header
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func segment(t testing.TB, tok string, n int) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[n])
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSignVerifyRoundTrip(t *testing.T) {
	f := newFixture(t)
	if err := f.iss.EnsureKey(ctx, poolA); err != nil {
		t.Fatal(err)
	}
	claims := f.accessClaims(f.iss, poolA)
	claims["custom:tier"] = "<gold & silver>"
	tok, err := f.iss.Sign(ctx, region, poolA, claims)
	if err != nil {
		t.Fatal(err)
	}
	kid, priv := f.newestKey(t, poolA)
	if len(kid) != 44 || !strings.HasSuffix(kid, "=") {
		t.Errorf("kid %q: want 44 characters of standard base64", kid)
	}
	if want, _ := KeyID(&priv.PublicKey); kid != want {
		t.Errorf("kid %q is not the SHA-256 of the public key (%q)", kid, want)
	}
	if got, want := string(segment(t, tok, 0)), `{"kid":"`+kid+`","alg":"RS256"}`; got != want {
		t.Errorf("header %s, want %s (Cognito's: kid then alg, nothing else)", got, want)
	}
	if !bytes.Contains(segment(t, tok, 1), []byte(`"custom:tier":"<gold & silver>"`)) {
		t.Errorf("payload escapes HTML characters: %s", segment(t, tok, 1))
	}
	got, err := f.iss.Verify(ctx, region, poolA, tok)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON, _ := json.Marshal(claims)
	gotJSON, _ := json.Marshal(got)
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("claims\n got %s\nwant %s", gotJSON, wantJSON)
	}
	if _, ok := got["auth_time"].(float64); !ok {
		t.Errorf("auth_time is %T, want a JSON number (float64)", got["auth_time"])
	}

	// An independent verifier that knows only the JWKS document accepts the token.
	doc, err := f.iss.JWKS(ctx, poolA)
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		Keys []struct{ Kid, N, E, Alg, Kty, Use string }
	}
	if err := json.Unmarshal(doc, &set); err != nil {
		t.Fatal(err)
	}
	_, err = jwt.Parse(tok, func(t *jwt.Token) (any, error) {
		for _, k := range set.Keys {
			if k.Kid == t.Header["kid"] {
				n, _ := base64.RawURLEncoding.DecodeString(k.N)
				e, _ := base64.RawURLEncoding.DecodeString(k.E)
				return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, nil
			}
		}
		return nil, errors.New("kid not in JWKS")
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(f.iss.IssuerURL(region, poolA)),
		jwt.WithTimeFunc(f.clock.Now), jwt.WithExpirationRequired(), jwt.WithIssuedAt())
	if err != nil {
		t.Errorf("a standard verifier with the JWKS refuses the token: %v", err)
	}
}

func TestSignCreatesTheFirstKey(t *testing.T) {
	f := newFixture(t)
	tok := f.sign(t, f.iss, poolA)
	if n := len(f.keys.records(poolA)); n != 1 {
		t.Fatalf("%d keys after the first Sign, want 1", n)
	}
	if _, err := f.iss.Verify(ctx, region, poolA, tok); err != nil {
		t.Fatal(err)
	}
	f.keys.missing[poolB] = true
	if _, err := f.iss.Sign(ctx, region, poolB, f.accessClaims(f.iss, poolB)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Sign for a pool that does not exist: %v, want store.ErrNotFound", err)
	}
}

func TestSignRefusesClaimsItCannotVouchFor(t *testing.T) {
	f := newFixture(t)
	for name, edit := range map[string]func(map[string]any){
		"no iss":         func(c map[string]any) { delete(c, "iss") },
		"other pool iss": func(c map[string]any) { c["iss"] = f.iss.IssuerURL(region, poolB) },
		"other region":   func(c map[string]any) { c["iss"] = f.iss.IssuerURL("eu-west-1", poolA) },
		"no exp":         func(c map[string]any) { delete(c, "exp") },
		"string iat":     func(c map[string]any) { c["iat"] = "1700000000" },
	} {
		t.Run(name, func(t *testing.T) {
			c := f.accessClaims(f.iss, poolA)
			edit(c)
			if tok, err := f.iss.Sign(ctx, region, poolA, c); err == nil {
				t.Fatalf("signed %s", tok)
			}
		})
	}
}

func TestVerifyRefuses(t *testing.T) {
	f := newFixture(t)
	good := f.sign(t, f.iss, poolA)
	kid, priv := f.newestKey(t, poolA)
	otherPool := f.sign(t, f.iss, poolB)
	header := map[string]any{"kid": kid, "alg": "RS256"}
	parts := strings.Split(good, ".")
	now := f.clock.Now().Unix()
	with := func(edit func(map[string]any)) map[string]any {
		c := f.accessClaims(f.iss, poolA)
		edit(c)
		return c
	}
	pubDER, _ := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	hs := func(secret []byte) string {
		return rawToken(t, jwt.SigningMethodHS256, secret, map[string]any{"kid": kid, "alg": "HS256"}, f.accessClaims(f.iss, poolA))
	}
	tamperedPayload := func() string {
		c := f.accessClaims(f.iss, poolA)
		c["username"] = "admin"
		b, _ := json.Marshal(c)
		return parts[0] + "." + base64.RawURLEncoding.EncodeToString(b) + "." + parts[2]
	}()
	sig := []byte(parts[2])
	sig[10] ^= 1
	tamperedSig := parts[0] + "." + parts[1] + "." + string(sig)
	noneTok := rawToken(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, map[string]any{"kid": kid, "alg": "none"}, f.accessClaims(f.iss, poolA))
	randomKID := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, sha256.Size))

	for name, tok := range map[string]string{
		"empty":              "",
		"garbage":            "not a token",
		"two segments":       parts[0] + "." + parts[1],
		"four segments":      good + ".x",
		"bad base64":         parts[0] + ".!!!." + parts[2],
		"tampered payload":   tamperedPayload,
		"tampered signature": tamperedSig,
		"no signature":       parts[0] + "." + parts[1] + ".",
		"other pool":         otherPool,
		"alg none":           noneTok,
		"alg none unsigned":  strings.TrimSuffix(noneTok, ".") + ".",
		"HS256 public PEM":   hs(pubPEM),
		"HS256 public DER":   hs(pubDER),
		"HS256 modulus":      hs(priv.N.Bytes()),
		"RS512 same key":     rawToken(t, jwt.SigningMethodRS512, priv, map[string]any{"kid": kid, "alg": "RS512"}, f.accessClaims(f.iss, poolA)),
		"PS256 same key":     rawToken(t, jwt.SigningMethodPS256, priv, map[string]any{"kid": kid, "alg": "PS256"}, f.accessClaims(f.iss, poolA)),
		"no kid":             rawToken(t, jwt.SigningMethodRS256, priv, map[string]any{"alg": "RS256"}, f.accessClaims(f.iss, poolA)),
		"unknown kid":        rawToken(t, jwt.SigningMethodRS256, priv, map[string]any{"kid": randomKID, "alg": "RS256"}, f.accessClaims(f.iss, poolA)),
		"wrong issuer base": rawToken(t, jwt.SigningMethodRS256, priv, header, with(func(c map[string]any) {
			c["iss"] = "https://evil.example.com/" + poolA
		})),
		"issuer of another pool": rawToken(t, jwt.SigningMethodRS256, priv, header, with(func(c map[string]any) {
			c["iss"] = f.iss.IssuerURL(region, poolB)
		})),
		"no iss":        rawToken(t, jwt.SigningMethodRS256, priv, header, with(func(c map[string]any) { delete(c, "iss") })),
		"no exp":        rawToken(t, jwt.SigningMethodRS256, priv, header, with(func(c map[string]any) { delete(c, "exp") })),
		"string exp":    rawToken(t, jwt.SigningMethodRS256, priv, header, with(func(c map[string]any) { c["exp"] = "9999999999" })),
		"no iat":        rawToken(t, jwt.SigningMethodRS256, priv, header, with(func(c map[string]any) { delete(c, "iat") })),
		"future iat":    rawToken(t, jwt.SigningMethodRS256, priv, header, with(func(c map[string]any) { c["iat"] = now + 3600 })),
		"future nbf":    rawToken(t, jwt.SigningMethodRS256, priv, header, with(func(c map[string]any) { c["nbf"] = now + 3600 })),
		"expired+wrong": rawToken(t, jwt.SigningMethodRS256, priv, header, with(func(c map[string]any) { c["exp"] = now - 10; c["iss"] = "x" })),
	} {
		t.Run(name, func(t *testing.T) {
			claims, err := f.iss.Verify(ctx, region, poolA, tok)
			if !errors.Is(err, ErrInvalid) || errors.Is(err, ErrExpired) || claims != nil {
				t.Fatalf("Verify = %v, %v; want ErrInvalid", claims, err)
			}
		})
	}
	// The right pool in the wrong region is another issuer.
	if _, err := f.iss.Verify(ctx, "eu-west-1", poolA, good); !errors.Is(err, ErrInvalid) {
		t.Fatalf("a token checked for another region: %v, want ErrInvalid", err)
	}
	if _, err := f.iss.Verify(ctx, region, poolA, good); err != nil {
		t.Fatalf("the untouched token: %v", err)
	}
}

func TestVerifyExpired(t *testing.T) {
	f := newFixture(t)
	tok := f.sign(t, f.iss, poolA) // exp = now + 1 h
	f.clock.Advance(time.Hour - time.Second)
	if _, err := f.iss.Verify(ctx, region, poolA, tok); err != nil {
		t.Fatalf("a second before exp: %v", err)
	}
	f.clock.Advance(time.Second)
	claims, err := f.iss.Verify(ctx, region, poolA, tok)
	if !errors.Is(err, ErrExpired) || errors.Is(err, ErrInvalid) || claims != nil {
		t.Fatalf("at exp: %v, %v; want ErrExpired", claims, err)
	}
}

func TestVerifyReportsStoreFailures(t *testing.T) {
	f := newFixture(t)
	tok := f.sign(t, f.iss, poolA)
	other := f.node()
	f.keys.listErr = errBoom
	_, err := other.Verify(ctx, region, poolA, tok)
	if !errors.Is(err, errBoom) || errors.Is(err, ErrInvalid) {
		t.Fatalf("Verify with the store down: %v; want the store's error, not ErrInvalid", err)
	}
}

func TestRotation(t *testing.T) {
	f := newFixture(t)
	before := f.sign(t, f.iss, poolA)
	oldKID, _ := f.newestKey(t, poolA)

	newKID, err := f.iss.Rotate(ctx, poolA) // same clock instant: the new key must still sort newest
	if err != nil {
		t.Fatal(err)
	}
	if newKID == oldKID {
		t.Fatal("Rotate returned the old kid")
	}
	if kid, _ := f.newestKey(t, poolA); kid != newKID {
		t.Fatalf("newest stored key %s, want %s", kid, newKID)
	}
	after := f.sign(t, f.iss, poolA)
	if !bytes.Contains(segment(t, after, 0), []byte(newKID)) {
		t.Fatalf("a token signed after Rotate has header %s, want kid %s", segment(t, after, 0), newKID)
	}
	for _, tok := range []string{before, after} {
		if _, err := f.iss.Verify(ctx, region, poolA, tok); err != nil {
			t.Fatalf("after rotation: %v", err)
		}
	}
	if kids := jwksKIDs(t, f.iss, poolA); strings.Join(kids, " ") != oldKID+" "+newKID {
		t.Fatalf("JWKS kids %v, want [%s %s]", kids, oldKID, newKID)
	}

	if err := f.iss.RetireOldKeys(ctx, poolA, 0); err == nil {
		t.Fatal("RetireOldKeys(0) would delete every key")
	}
	if err := f.iss.RetireOldKeys(ctx, poolA, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := f.iss.Verify(ctx, region, poolA, before); !errors.Is(err, ErrInvalid) {
		t.Fatalf("a token of a retired key: %v, want ErrInvalid", err)
	}
	if _, err := f.iss.Verify(ctx, region, poolA, after); err != nil {
		t.Fatal(err)
	}
	if kids := jwksKIDs(t, f.iss, poolA); len(kids) != 1 || kids[0] != newKID {
		t.Fatalf("JWKS kids %v after retiring, want [%s]", kids, newKID)
	}
	if err := f.iss.RetireOldKeys(ctx, poolA, 1); err != nil {
		t.Fatalf("retiring again: %v", err)
	}
}

func jwksKIDs(t testing.TB, iss *Issuer, poolID string) []string {
	t.Helper()
	doc, err := iss.JWKS(ctx, poolID)
	if err != nil {
		t.Fatal(err)
	}
	var set struct{ Keys []struct{ Kid string } }
	if err := json.Unmarshal(doc, &set); err != nil {
		t.Fatal(err)
	}
	var kids []string
	for _, k := range set.Keys {
		kids = append(kids, k.Kid)
	}
	return kids
}

func TestAnotherNodeSeesRotationAtOnce(t *testing.T) {
	f := newFixture(t)
	node2 := f.node()
	first := f.sign(t, f.iss, poolA)
	if _, err := node2.Verify(ctx, region, poolA, first); err != nil { // node2 caches the first key
		t.Fatal(err)
	}
	newKID, err := f.iss.Rotate(ctx, poolA)
	if err != nil {
		t.Fatal(err)
	}
	rotated := f.sign(t, f.iss, poolA)
	lists := f.keys.listCount()
	for range 2 {
		if _, err := node2.Verify(ctx, region, poolA, rotated); err != nil {
			t.Fatalf("node 2 refuses a token of a key node 1 just added: %v", err)
		}
	}
	if got := f.keys.listCount() - lists; got != 1 {
		t.Fatalf("node 2 read the store %d times for the new key, want 1", got)
	}

	// node 2 signs with its cached (older, still published) key until its cache expires.
	if _, err := node2.Verify(ctx, region, poolA, f.sign(t, node2, poolA)); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(defaultKeyCacheTTL)
	if tok := f.sign(t, node2, poolA); !bytes.Contains(segment(t, tok, 0), []byte(newKID)) {
		t.Fatalf("node 2 still signs with the old key after the cache TTL: %s", segment(t, tok, 0))
	}

	// A key retired on node 1 stops verifying on node 2 within the TTL.
	if err := f.iss.RetireOldKeys(ctx, poolA, 1); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(defaultKeyCacheTTL)
	if _, err := node2.Verify(ctx, region, poolA, first); !errors.Is(err, ErrInvalid) {
		t.Fatalf("node 2 after the TTL, token of a retired key: %v, want ErrInvalid", err)
	}
}

func TestKeyCache(t *testing.T) {
	f := newFixture(t)
	f.sign(t, f.iss, poolA) // EnsureKey's list, its add, the reload
	n := f.keys.listCount()
	tok := f.sign(t, f.iss, poolA)
	for range 5 {
		if _, err := f.iss.Verify(ctx, region, poolA, tok); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.keys.listCount(); got != n {
		t.Fatalf("%d store reads within the TTL, want 0", got-n)
	}
	f.clock.Advance(defaultKeyCacheTTL)
	if _, err := f.iss.Verify(ctx, region, poolA, tok); err != nil {
		t.Fatal(err)
	}
	if got := f.keys.listCount(); got != n+1 {
		t.Fatalf("%d store reads after the TTL, want 1", got-n)
	}

	// An unknown kid costs one read; one that cannot be ours costs none.
	_, priv := f.newestKey(t, poolA)
	n = f.keys.listCount()
	for _, kid := range []string{"nope", base64.StdEncoding.EncodeToString(make([]byte, sha256.Size))} {
		tok := rawToken(t, jwt.SigningMethodRS256, priv, map[string]any{"kid": kid, "alg": "RS256"}, f.accessClaims(f.iss, poolA))
		if _, err := f.iss.Verify(ctx, region, poolA, tok); !errors.Is(err, ErrInvalid) {
			t.Fatalf("kid %q: %v", kid, err)
		}
	}
	if got := f.keys.listCount(); got != n+1 {
		t.Fatalf("%d store reads for two unknown kids, want 1", got-n)
	}

	// Pools without keys (or that do not exist) are not cached, and cost one read a token.
	n = f.keys.listCount()
	for range 3 {
		if _, err := f.iss.Verify(ctx, region, "us-east-1_nothere00", tok); !errors.Is(err, ErrInvalid) {
			t.Fatal(err)
		}
	}
	f.iss.mu.Lock()
	_, cached := f.iss.pools["us-east-1_nothere00"]
	f.iss.mu.Unlock()
	if cached {
		t.Fatal("a pool without keys stays in the cache")
	}
	if got := f.keys.listCount() - n; got != 3 {
		t.Fatalf("%d store reads for 3 tokens of a pool without keys, want 3", got)
	}
}

func TestConcurrentUnknownKIDsShareOneRead(t *testing.T) {
	f := newFixture(t)
	f.sign(t, f.iss, poolA)
	node2 := f.node()
	if _, err := node2.JWKS(ctx, poolA); err != nil { // node2 caches the first key
		t.Fatal(err)
	}
	if _, err := f.iss.Rotate(ctx, poolA); err != nil {
		t.Fatal(err)
	}
	tok := f.sign(t, f.iss, poolA)
	n := f.keys.listCount()
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			_, err := node2.Verify(ctx, region, poolA, tok)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := f.keys.listCount() - n; got != 1 {
		t.Fatalf("%d store reads for 20 concurrent tokens of a new key, want 1", got)
	}
}

func TestEnsureKeyRace(t *testing.T) {
	f := newFixture(t)
	node2 := f.node()
	// Both nodes list before either adds: each creates a first key.
	var barrier sync.WaitGroup
	barrier.Add(2)
	f.keys.onList = func() { barrier.Done(); barrier.Wait() }
	var wg sync.WaitGroup
	for _, n := range []*Issuer{f.iss, node2} {
		wg.Go(func() {
			if err := n.EnsureKey(ctx, poolA); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	f.keys.mu.Lock()
	f.keys.onList = nil
	f.keys.mu.Unlock()
	if n := len(f.keys.records(poolA)); n != 2 {
		t.Fatalf("%d keys after the race, want 2", n)
	}
	newest, _ := f.newestKey(t, poolA)
	t1, t2 := f.sign(t, f.iss, poolA), f.sign(t, node2, poolA)
	for _, tok := range []string{t1, t2} {
		if !bytes.Contains(segment(t, tok, 0), []byte(newest)) {
			t.Errorf("signed with %s, want the newest key %s", segment(t, tok, 0), newest)
		}
		for _, n := range []*Issuer{f.iss, node2} {
			if _, err := n.Verify(ctx, region, poolA, tok); err != nil {
				t.Error(err)
			}
		}
	}
	if err := f.iss.EnsureKey(ctx, poolA); err != nil || len(f.keys.records(poolA)) != 2 {
		t.Fatalf("EnsureKey with keys present: %v, %d keys", err, len(f.keys.records(poolA)))
	}
}

func TestPrivateKeysAreSealed(t *testing.T) {
	f := newFixture(t)
	f.sign(t, f.iss, poolA)
	recs := f.keys.records(poolA)
	r := recs[0]
	if _, err := x509.ParsePKCS8PrivateKey(r.Private); err == nil {
		t.Fatal("the stored key is a plain PKCS#8 key")
	}
	_, priv := f.newestKey(t, poolA) // opens with the pool's label
	der, _ := x509.MarshalPKCS8PrivateKey(priv)
	if bytes.Contains(r.Private, der[len(der)-64:]) || bytes.Contains(r.Private, priv.D.Bytes()[:32]) {
		t.Fatal("private key material is visible in the stored value")
	}
	if _, err := f.sealer.Open(r.Private, keyLabel(poolB, r.KID)); err == nil {
		t.Fatal("the sealed key opens under another pool's label")
	}

	// A key row copied into another pool does not open there: that pool fails, loudly.
	r.PoolID = poolB
	if err := f.keys.AddSigningKey(ctx, &r); err != nil {
		t.Fatal(err)
	}
	_, err := f.iss.Sign(ctx, region, poolB, f.accessClaims(f.iss, poolB))
	if err == nil || errors.Is(err, ErrInvalid) {
		t.Fatalf("Sign with a key sealed for another pool: %v", err)
	}
	if strings.Contains(err.Error(), string(r.Private)) {
		t.Fatal("the error shows the sealed key")
	}

	// A node with another master key cannot use the keys.
	other, _ := seal.New(bytes.Repeat([]byte{9}, seal.KeySize))
	n := New(Config{Keys: f.keys, Sealer: other, Now: f.clock.Now})
	if _, err := n.JWKS(ctx, poolA); !errors.Is(err, seal.ErrOpen) {
		t.Fatalf("JWKS with the wrong master key: %v, want seal.ErrOpen", err)
	}
}

func TestKeyBits(t *testing.T) {
	f := newFixture(t)
	n := New(Config{Keys: f.keys, Sealer: f.sealer, Now: f.clock.Now, KeyBits: 1024})
	if err := n.EnsureKey(ctx, poolA); err != nil {
		t.Fatal(err)
	}
	if _, priv := f.newestKey(t, poolA); priv.N.BitLen() != 2048 {
		t.Fatalf("a %d-bit key, want at least 2048", priv.N.BitLen())
	}
}

func TestJWKSShape(t *testing.T) {
	f := newFixture(t)
	if err := f.iss.EnsureKey(ctx, poolA); err != nil {
		t.Fatal(err)
	}
	kid, priv := f.newestKey(t, poolA)
	doc, err := f.iss.JWKS(ctx, poolA)
	if err != nil {
		t.Fatal(err)
	}
	n := base64.RawURLEncoding.EncodeToString(priv.N.Bytes())
	want := `{"keys":[{"alg":"RS256","e":"AQAB","kid":"` + kid + `","kty":"RSA","n":"` + n + `","use":"sig"}]}`
	if string(doc) != want {
		t.Fatalf("JWKS\n got %s\nwant %s", doc, want)
	}
	if len(n) != 342 { // 256 bytes, unpadded base64url
		t.Fatalf("n has %d characters, want 342", len(n))
	}
	if bytes.Contains(doc, []byte(`"d"`)) || bytes.Contains(doc, []byte(`"p"`)) {
		t.Fatal("the JWKS shows private members")
	}
	empty, err := f.iss.JWKS(ctx, poolB)
	if err != nil || string(empty) != `{"keys":[]}` {
		t.Fatalf("JWKS of a pool without keys: %s, %v", empty, err)
	}
}

func TestIssuerURL(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct{ base, want string }{
		{"", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X"},
		{CognitoIssuerBase, "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X"},
		{"https://idp.example.com/", "https://idp.example.com/eu-west-1_X"},
		{"http://localhost:9229/{region}", "http://localhost:9229/eu-west-1/eu-west-1_X"},
	} {
		n := New(Config{Keys: f.keys, Sealer: f.sealer, IssuerBase: c.base})
		if got := n.IssuerURL("eu-west-1", "eu-west-1_X"); got != c.want {
			t.Errorf("IssuerBase %q: %q, want %q", c.base, got, c.want)
		}
	}
}

func TestDiscovery(t *testing.T) {
	f := newFixture(t)
	// Cognito's document for a pool without a domain (keys sorted, compact).
	const cognito = `{"authorization_endpoint":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_FDyGrrjP6/authorize",` +
		`"end_session_endpoint":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_FDyGrrjP6/logout",` +
		`"id_token_signing_alg_values_supported":["RS256"],` +
		`"issuer":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_FDyGrrjP6",` +
		`"jwks_uri":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_FDyGrrjP6/.well-known/jwks.json",` +
		`"response_types_supported":["code","token"],` +
		`"revocation_endpoint":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_FDyGrrjP6/revoke",` +
		`"scopes_supported":["openid","email","phone","profile"],` +
		`"subject_types_supported":["public"],` +
		`"token_endpoint":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_FDyGrrjP6/token",` +
		`"token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post"],` +
		`"userinfo_endpoint":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_FDyGrrjP6/userInfo"}`
	got, err := f.iss.Discovery(region, "us-east-1_FDyGrrjP6")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != cognito {
		t.Fatalf("discovery\n got %s\nwant %s", got, cognito)
	}

	n := New(Config{Keys: f.keys, Sealer: f.sealer, PublicURL: "https://idp.example.com/"})
	got, err = n.Discovery(region, poolA)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(got, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["issuer"] != "https://cognito-idp.us-east-1.amazonaws.com/"+poolA ||
		doc["jwks_uri"] != "https://idp.example.com/"+poolA+"/.well-known/jwks.json" ||
		doc["token_endpoint"] != "https://idp.example.com/"+poolA+"/token" {
		t.Fatalf("with PublicURL: %s", got)
	}
}

func BenchmarkSign(b *testing.B) {
	f := newFixture(b)
	claims := f.accessClaims(f.iss, poolA)
	if _, err := f.iss.Sign(ctx, region, poolA, claims); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.iss.Sign(ctx, region, poolA, claims); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	f := newFixture(b)
	tok := f.sign(b, f.iss, poolA)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.iss.Verify(ctx, region, poolA, tok); err != nil {
			b.Fatal(err)
		}
	}
}
