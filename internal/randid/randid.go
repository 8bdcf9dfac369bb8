// Package randid draws identifiers and secrets from crypto/rand: pool and client ids, client
// secrets, access keys. One place, so every id is unpredictable and uniformly drawn.
package randid

import (
	"crypto/rand"
	"math/big"
)

const (
	LowerDigits = "abcdefghijklmnopqrstuvwxyz0123456789"
	Alnum       = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	// Base32Upper is the alphabet of AWS access key ids.
	Base32Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
)

// String draws n characters uniformly from alphabet.
func String(alphabet string, n int) string {
	max := big.NewInt(int64(len(alphabet)))
	b := make([]byte, n)
	for i := range b {
		k, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(err) // crypto/rand does not fail on supported platforms
		}
		b[i] = alphabet[k.Int64()]
	}
	return string(b)
}
