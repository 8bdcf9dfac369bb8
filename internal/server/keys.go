package server

import (
	"crypto/rand"
	"encoding/base64"

	"github.com/cgip/cgip/internal/randid"
)

// newAccessKeyID looks like an AWS long-term key id: AKIA and 16 upper-case letters/digits.
func newAccessKeyID() string { return "AKIA" + randid.String(randid.Base32Upper, 16) }

// newSecretAccessKey is 40 characters of base64, as AWS secret keys are.
func newSecretAccessKey() string {
	b := make([]byte, 30)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}
