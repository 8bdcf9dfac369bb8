package userpool

import (
	"encoding/base64"

	"github.com/cgip/cgip/internal/randid"
)

// newPoolID: "<region>_" and 9 letters or digits, like us-east-1_AbC123xYz.
func newPoolID(region string) string { return region + "_" + randid.String(randid.Alnum, 9) }

// newClientID: 26 lower-case letters and digits.
func newClientID() string { return randid.String(randid.LowerDigits, 26) }

// newClientSecret: 52 lower-case letters and digits, the length of the secret in the
// CreateUserPoolClient API reference example (13ka4h7u28d9oo44tqpq9djqsfvhvu8rk4d2ighvpu0k8fj1c2r9).
func newClientSecret() string { return randid.String(randid.LowerDigits, 52) }

// Pagination tokens are opaque to clients: the last key of the page, base64url-encoded.
func encodePageToken(lastKey string) *string {
	s := base64.RawURLEncoding.EncodeToString([]byte(lastKey))
	return &s
}

func decodePageToken(tok *string) (string, bool) {
	if tok == nil {
		return "", true
	}
	b, err := base64.RawURLEncoding.DecodeString(*tok)
	if err != nil || len(b) == 0 {
		return "", false
	}
	return string(b), true
}
