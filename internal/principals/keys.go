package principals

import (
	"crypto/rand"
	"encoding/base64"

	"github.com/cgip/cgip/internal/randid"
)

// ID prefixes IAM uses (IAM User Guide, "Unique identifiers").
const (
	prefixAccessKey = "AKIA"
	prefixTempKey   = "ASIA"
	prefixUser      = "AIDA"
	prefixRole      = "AROA"
	prefixPolicy    = "ANPA"
)

// NewAccessKeyID looks like an AWS long-term key id: AKIA and 16 upper-case letters/digits.
func NewAccessKeyID() string { return prefixAccessKey + randid.String(randid.Base32Upper, 16) }

func newTempKeyID() string { return prefixTempKey + randid.String(randid.Base32Upper, 16) }

// uniqueID is a user, role or policy id: its prefix and 17 upper-case letters/digits.
func uniqueID(prefix string) string { return prefix + randid.String(randid.Base32Upper, 17) }

// NewSecretAccessKey is 40 characters of base64, as AWS secret keys are.
func NewSecretAccessKey() string {
	b := make([]byte, 30)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// newAccountID is 12 random digits.
func newAccountID() string { return randid.String("0123456789", 12) }
