package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/store"
)

// Code lifetimes and limits (SPEC section 3).
const (
	resetCodeTTL    = time.Hour
	attemptWindow   = time.Hour
	maxCodeAttempts = 5 // wrong codes per user per window
	maxCodeRequests = 5 // ForgotPassword requests per user per window
)

// pendingCode is an outstanding one-time code, kept only as an HMAC.
type pendingCode struct {
	MAC       string
	ExpiresAt time.Time
}

const codeKeyName = "code-hmac-key"

// codeKey returns the server-wide HMAC key for codes, created (sealed in the store) on first
// use; every node agrees on the one stored first.
func (s *Service) codeKey(ctx context.Context) ([]byte, error) {
	s.codeKeyMu.Lock()
	defer s.codeKeyMu.Unlock()
	if s.codeKeyVal != nil {
		return s.codeKeyVal, nil
	}
	sealed, err := s.st.GetSecret(ctx, codeKeyName)
	if errors.Is(err, store.ErrNotFound) {
		fresh := make([]byte, 32)
		if _, err := rand.Read(fresh); err != nil {
			return nil, err
		}
		sealed, err = s.st.PutSecretIfAbsent(ctx, codeKeyName, s.sealer.Seal(fresh, codeKeyName))
	}
	if err != nil {
		return nil, err
	}
	key, err := s.sealer.Open(sealed, codeKeyName)
	if err != nil {
		return nil, fmt.Errorf("code key: %w", err)
	}
	s.codeKeyVal = key
	return key, nil
}

// newCode draws a 6-digit code (leading zeros allowed).
func newCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err)
	}
	return fmt.Sprintf("%06d", n.Int64())
}

// codeMAC binds a code to its purpose, pool and user, so a code stored for one cannot be
// replayed for another.
func codeMAC(key []byte, purpose, poolID, usernameKey, code string) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "%s\x00%s\x00%s\x00%s", purpose, poolID, usernameKey, code)
	return hex.EncodeToString(m.Sum(nil))
}

// checkCode compares a submitted code with the pending one in constant time.
func checkCode(key []byte, pending *pendingCode, purpose, poolID, usernameKey, code string, now time.Time) (ok, expired bool) {
	if pending == nil || !now.Before(pending.ExpiresAt) {
		return false, true
	}
	want, _ := hex.DecodeString(pending.MAC)
	got, _ := hex.DecodeString(codeMAC(key, purpose, poolID, usernameKey, code))
	return hmac.Equal(want, got), false
}

// issueCode gives u a new code for purpose, valid for ttl (an earlier one stops working), and
// queues its message through r. key is the code key, loaded before the transaction.
func (s *Service) issueCode(ctx context.Context, tx store.Tx, key []byte, p *pool, u *store.User, purpose string, ttl time.Duration, r recovery, kind string, t template) error {
	code := newCode()
	x, err := decodeExtra(u)
	if err != nil {
		return err
	}
	if x.Codes == nil {
		x.Codes = map[string]*pendingCode{}
	}
	x.Codes[purpose] = &pendingCode{MAC: codeMAC(key, purpose, p.rec.ID, u.UsernameKey, code), ExpiresAt: s.now().Add(ttl)}
	setExtra(u, x)
	return s.send(ctx, tx, p, u, kind, r.channel, t, code)
}

// redeemCode checks a code for purpose under the attempt limit. A wrong code is recorded in
// u (the caller commits it) and reported as CodeMismatchException after the commit through
// *refusal; a right one is consumed.
func (s *Service) redeemCode(key []byte, p *pool, u *store.User, purpose, code string, refusal *error) error {
	x, err := decodeExtra(u)
	if err != nil {
		return err
	}
	now := s.now()
	if x.WrongCodes = recent(x.WrongCodes, now); len(x.WrongCodes) >= maxCodeAttempts {
		return apierr.LimitExceeded(msgAttemptLimit)
	}
	ok, expired := checkCode(key, x.Codes[purpose], purpose, p.rec.ID, u.UsernameKey, code, now)
	switch {
	case expired:
		return apierr.ExpiredCode()
	case !ok:
		x.WrongCodes = append(x.WrongCodes, now)
		*refusal = apierr.CodeMismatch()
	default:
		delete(x.Codes, purpose)
		x.WrongCodes = nil
	}
	setExtra(u, x)
	return nil
}

// recent keeps the times within the window ending now.
func recent(times []time.Time, now time.Time) []time.Time {
	out := times[:0:0]
	for _, t := range times {
		if now.Sub(t) < attemptWindow {
			out = append(out, t)
		}
	}
	return out
}
