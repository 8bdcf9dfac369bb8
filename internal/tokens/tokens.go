package tokens

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/cgip/cgip/internal/seal"
	"github.com/cgip/cgip/internal/store"
)

// Verify's errors. Both are returned wrapped; compare with errors.Is. Any other error from
// Verify (a store failure) is not the token's fault.
var (
	// ErrExpired: the token is genuine (signature, issuer and times check) but its exp has passed.
	ErrExpired = errors.New("tokens: token expired")
	// ErrInvalid: malformed, not RS256, unknown kid, bad signature, another pool's or issuer's
	// token, missing or impossible times.
	ErrInvalid = errors.New("tokens: invalid token")
)

// KeyStore is the part of the store the tokens package uses (store.Tx satisfies it).
type KeyStore interface {
	// ListSigningKeys lists a pool's keys, oldest first.
	ListSigningKeys(ctx context.Context, poolID string) ([]store.SigningKey, error)
	// AddSigningKey: store.ErrConflict when the kid exists, store.ErrNotFound without the pool.
	AddSigningKey(ctx context.Context, k *store.SigningKey) error
	DeleteSigningKey(ctx context.Context, poolID, kid string) error
}

var _ KeyStore = store.Tx(nil)

// CognitoIssuerBase is Cognito's own issuer base; "{region}" is replaced by the pool's region.
const CognitoIssuerBase = "https://cognito-idp.{region}.amazonaws.com"

const (
	defaultKeyBits     = 2048
	defaultKeyCacheTTL = 30 * time.Second
	// maxClockSkew is how far in the future iat (and nbf) may be: nodes' clocks differ a little.
	maxClockSkew = time.Minute
	algRS256     = "RS256"
)

type Config struct {
	Keys   KeyStore
	Sealer *seal.Sealer
	// IssuerBase is the part of iss before "/<poolId>": the server's public URL, or
	// CognitoIssuerBase so that verifiers with Cognito's issuer hard-coded accept the tokens.
	// A literal "{region}" is replaced by the pool's region. Empty means CognitoIssuerBase.
	IssuerBase string
	// PublicURL is where this server is reached, for the discovery document's jwks_uri and
	// endpoints ("<PublicURL>/<poolId>/.well-known/jwks.json", ".../token", ...); "{region}" is
	// replaced too. Empty means the issuer, which is what Cognito publishes.
	PublicURL string
	Now       func() time.Time
	// KeyBits is the RSA modulus size of new keys: 2048 (Cognito's) by default and at least.
	KeyBits int
	// KeyCacheTTL is how long a node uses a pool's keys before reading them again (30 s by
	// default): another node's rotation is used for signing here within this time, and a key
	// retired elsewhere stops verifying here within it. Keys this node has not seen are looked
	// up at once.
	KeyCacheTTL time.Duration
}

// Issuer signs and verifies the tokens of every pool. It is safe for concurrent use.
type Issuer struct {
	keys       KeyStore
	sealer     *seal.Sealer
	issuerBase string
	publicURL  string
	now        func() time.Time
	bits       int
	ttl        time.Duration
	parser     *jwt.Parser

	mu    sync.Mutex
	pools map[string]*poolCache
}

func New(cfg Config) *Issuer {
	if cfg.Keys == nil || cfg.Sealer == nil {
		panic("tokens: Config.Keys and Config.Sealer are required")
	}
	i := &Issuer{
		keys:       cfg.Keys,
		sealer:     cfg.Sealer,
		issuerBase: strings.TrimRight(cfg.IssuerBase, "/"),
		publicURL:  strings.TrimRight(cfg.PublicURL, "/"),
		now:        cfg.Now,
		bits:       max(cfg.KeyBits, defaultKeyBits),
		ttl:        cfg.KeyCacheTTL,
		pools:      map[string]*poolCache{},
	}
	if i.issuerBase == "" {
		i.issuerBase = CognitoIssuerBase
	}
	if i.now == nil {
		i.now = time.Now
	}
	if i.ttl <= 0 {
		i.ttl = defaultKeyCacheTTL
	}
	// Claims are checked by Verify itself, so that the order of the checks (and so the error)
	// is ours: an expired token is ErrExpired only when nothing else is wrong with it.
	i.parser = jwt.NewParser(jwt.WithValidMethods([]string{algRS256}), jwt.WithStrictDecoding(),
		jwt.WithoutClaimsValidation())
	return i
}

// IssuerURL is the iss of the pool's tokens: "<IssuerBase>/<poolId>".
func (i *Issuer) IssuerURL(region, poolID string) string {
	return strings.ReplaceAll(i.issuerBase, "{region}", region) + "/" + poolID
}

// Sign signs claims with the pool's newest key (creating the pool's first key if it has none).
// The caller sets every claim, Cognito's included; iss must be IssuerURL(region, poolID), and
// exp and iat must be numbers (Unix seconds), or Sign refuses. The header is exactly
// {"kid":"<kid>","alg":"RS256"}, in that order, as Cognito's.
func (i *Issuer) Sign(ctx context.Context, region, poolID string, claims map[string]any) (string, error) {
	if iss, _ := claims["iss"].(string); iss != i.IssuerURL(region, poolID) {
		return "", fmt.Errorf("tokens: the iss claim must be %q", i.IssuerURL(region, poolID))
	}
	for _, name := range []string{"exp", "iat"} {
		if _, ok := numericDate(claims[name]); !ok {
			return "", fmt.Errorf("tokens: the %s claim must be a number of seconds", name)
		}
	}
	payload, err := marshal(claims)
	if err != nil {
		return "", fmt.Errorf("tokens: encoding claims: %w", err)
	}
	ks, err := i.keySet(ctx, poolID, nil)
	if err != nil {
		return "", err
	}
	if ks.signer == nil {
		if err := i.EnsureKey(ctx, poolID); err != nil {
			return "", err
		}
		if ks, err = i.keySet(ctx, poolID, nil); err != nil {
			return "", err
		}
		if ks.signer == nil {
			return "", fmt.Errorf("tokens: pool %s has no signing key", poolID)
		}
	}
	header, err := marshal(struct {
		KID string `json:"kid"`
		Alg string `json:"alg"`
	}{ks.signerKID, algRS256})
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	var b strings.Builder
	b.Grow(enc.EncodedLen(len(header)) + enc.EncodedLen(len(payload)) + 2 + enc.EncodedLen(ks.signer.Size()))
	b.WriteString(enc.EncodeToString(header))
	b.WriteByte('.')
	b.WriteString(enc.EncodeToString(payload))
	sig, err := jwt.SigningMethodRS256.Sign(b.String(), ks.signer)
	if err != nil {
		return "", fmt.Errorf("tokens: signing: %w", err)
	}
	b.WriteByte('.')
	b.WriteString(enc.EncodeToString(sig))
	return b.String(), nil
}

// Verify checks a token of the pool and returns its claims (JSON numbers as float64). It
// accepts RS256 only, signed by any published key of the pool (found by kid), with iss
// IssuerURL(region, poolID), a numeric iat not in the future, a numeric exp (ErrExpired once it
// has passed) and, when present, an nbf that has been reached. Verify does not look at
// token_use, aud or client_id: that is the caller's business.
func (i *Issuer) Verify(ctx context.Context, region, poolID, token string) (map[string]any, error) {
	var storeErr error
	claims := jwt.MapClaims{}
	_, err := i.parser.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		if t.Method != jwt.SigningMethodRS256 { // WithValidMethods already says so
			return nil, errors.New("alg is not RS256")
		}
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, errors.New("no kid")
		}
		pub, err := i.publicKey(ctx, poolID, kid)
		if err != nil {
			storeErr = err
			return nil, err
		}
		if pub == nil {
			return nil, errors.New("unknown kid")
		}
		return pub, nil
	})
	if storeErr != nil {
		return nil, storeErr
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err := i.checkClaims(region, poolID, claims); err != nil {
		return nil, err
	}
	return claims, nil
}

func (i *Issuer) checkClaims(region, poolID string, claims jwt.MapClaims) error {
	if iss, _ := claims["iss"].(string); iss != i.IssuerURL(region, poolID) {
		return fmt.Errorf("%w: wrong issuer", ErrInvalid)
	}
	now := i.now()
	iat, ok := numericDate(claims["iat"])
	if !ok {
		return fmt.Errorf("%w: no iat", ErrInvalid)
	}
	if iat.After(now.Add(maxClockSkew)) {
		return fmt.Errorf("%w: issued in the future", ErrInvalid)
	}
	if v, present := claims["nbf"]; present {
		nbf, ok := numericDate(v)
		if !ok || nbf.After(now.Add(maxClockSkew)) {
			return fmt.Errorf("%w: not valid yet", ErrInvalid)
		}
	}
	exp, ok := numericDate(claims["exp"])
	if !ok {
		return fmt.Errorf("%w: no exp", ErrInvalid)
	}
	if !now.Before(exp) {
		return ErrExpired
	}
	return nil
}

// numericDate reads a JWT NumericDate (seconds since the epoch, possibly fractional).
func numericDate(v any) (time.Time, bool) {
	var f float64
	switch n := v.(type) {
	case float64:
		f = n
	case float32:
		f = float64(n)
	case int:
		return time.Unix(int64(n), 0), true
	case int32:
		return time.Unix(int64(n), 0), true
	case int64:
		return time.Unix(n, 0), true
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return time.Unix(i, 0), true
		}
		var err error
		if f, err = n.Float64(); err != nil {
			return time.Time{}, false
		}
	default:
		return time.Time{}, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e15 {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true
}

// marshal is json.Marshal without HTML escaping (Cognito writes "<" and "&" as they are).
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	e := json.NewEncoder(&buf)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// publicKey finds a published key of the pool by kid; nil (and no error) when there is none.
// A kid missing from the cache forces one reload, unless the set was just read or the kid
// cannot be one of ours.
func (i *Issuer) publicKey(ctx context.Context, poolID, kid string) (*rsa.PublicKey, error) {
	ks, read, err := i.keySetRead(ctx, poolID, nil)
	if err != nil {
		return nil, err
	}
	if pub := ks.byKID[kid]; pub != nil {
		return pub, nil
	}
	if read || !plausibleKID(kid) {
		return nil, nil
	}
	if ks, err = i.keySet(ctx, poolID, ks); err != nil {
		return nil, err
	}
	return ks.byKID[kid], nil
}
