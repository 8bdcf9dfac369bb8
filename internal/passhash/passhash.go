package passhash

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters plus the salt and key sizes.
type Params struct {
	Time      uint32 // passes over memory (t)
	MemoryKiB uint32 // memory in KiB (m)
	Threads   uint8  // lanes (p)
	KeyLen    uint32 // bytes of derived key stored in the hash
	SaltLen   uint32 // bytes of random salt
}

// Default is the OWASP minimum for argon2id: m=19 MiB, t=2, p=1, with a 16-byte salt and a
// 32-byte key (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html).
var Default = Params{Time: 2, MemoryKiB: 19 * 1024, Threads: 1, KeyLen: 32, SaltLen: 16}

// These limits bound every parameter Hash accepts and every parameter read back from a stored hash.
// The upper bounds are far above anything we configure but stop a corrupted row from turning
// one sign-in into a denial of service; the lower bounds are the PHC/RFC 9106 minimums (salt
// at least 8 bytes, m at least 8*p KiB) and keep a truncated hash from verifying trivially.
const (
	MaxMemoryKiB = 1 << 20 // 1 GiB
	MaxTime      = 100
	MaxThreads   = 64
	MinKeyLen    = 16
	MaxKeyLen    = 128
	MinSaltLen   = 8
	MaxSaltLen   = 64
)

var (
	// ErrMalformed is returned for an encoded string that is not an argon2id PHC string.
	ErrMalformed = errors.New("passhash: malformed argon2id hash")
	// ErrParams is returned for parameters outside the limits, whether passed to Hash or read
	// from a stored hash.
	ErrParams = errors.New("passhash: argon2id parameters out of range")
)

// b64 is the PHC encoding: standard alphabet, no padding. Strict rejects non-zero trailing
// bits, so each salt and hash has exactly one accepted spelling and a tampered last
// character cannot decode to the same bytes.
var b64 = base64.RawStdEncoding.Strict()

func (p Params) valid() bool {
	return p.Time >= 1 && p.Time <= MaxTime &&
		p.Threads >= 1 && p.Threads <= MaxThreads &&
		p.MemoryKiB >= 8*uint32(p.Threads) && p.MemoryKiB <= MaxMemoryKiB &&
		p.KeyLen >= MinKeyLen && p.KeyLen <= MaxKeyLen &&
		p.SaltLen >= MinSaltLen && p.SaltLen <= MaxSaltLen
}

// Hash derives an argon2id key for password under a fresh random salt and returns the PHC
// string, e.g. $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func Hash(password string, p Params) (string, error) {
	if !p.valid() {
		return "", ErrParams
	}
	salt := make([]byte, p.SaltLen)
	rand.Read(salt) // never fails since Go 1.24; it crashes the program instead
	key := idKey([]byte(password), salt, p)
	return encode(p, salt, key), nil
}

func encode(p Params, salt, key []byte) string {
	var b strings.Builder
	b.WriteString("$argon2id$v=")
	b.WriteString(strconv.Itoa(argon2.Version))
	b.WriteString("$m=")
	b.WriteString(strconv.FormatUint(uint64(p.MemoryKiB), 10))
	b.WriteString(",t=")
	b.WriteString(strconv.FormatUint(uint64(p.Time), 10))
	b.WriteString(",p=")
	b.WriteString(strconv.FormatUint(uint64(p.Threads), 10))
	b.WriteByte('$')
	b.WriteString(b64.EncodeToString(salt))
	b.WriteByte('$')
	b.WriteString(b64.EncodeToString(key))
	return b.String()
}

// Verify reports whether password matches the PHC string encoded. The comparison is constant
// time. err is non-nil only when encoded cannot be used (ErrMalformed or ErrParams); a wrong
// password is (false, nil).
func Verify(password, encoded string) (ok bool, err error) {
	p, salt, want, err := decode(encoded)
	if err != nil {
		return false, err
	}
	got := idKey([]byte(password), salt, p)
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// NeedsRehash reports whether encoded was made with parameters other than p, so the caller
// should store a fresh Hash(password, p) after a successful Verify. A string that does not
// decode also needs rehashing: a new hash is the only repair either way.
func NeedsRehash(encoded string, p Params) bool {
	got, _, _, err := decode(encoded)
	return err != nil || got != p
}

// DummyVerify does the work of a failed Verify under p, for a sign-in naming a user that does
// not exist, so response time does not tell an attacker which usernames are taken. Pass the
// parameters real hashes use (normally Default); invalid p falls back to Default so the work
// is never skipped.
func DummyVerify(password string, p Params) {
	if !p.valid() {
		p = Default
	}
	salt := make([]byte, p.SaltLen)
	want := make([]byte, p.KeyLen)
	got := idKey([]byte(password), salt, p)
	subtle.ConstantTimeCompare(got, want)
}

// slots admits one argon2id derivation per core at a time. The work is pure CPU, so running
// more at once only adds memory (m KiB each: 16 concurrent sign-ins took the server from 28 to
// 380 MiB) and scheduling overhead (bench: sign-ins reached 70% of the hash-alone rate
// unbounded); queued callers wait their turn instead.
var slots = make(chan struct{}, runtime.GOMAXPROCS(0))

func idKey(password, salt []byte, p Params) []byte {
	slots <- struct{}{}
	defer func() { <-slots }()
	return argon2.IDKey(password, salt, p.Time, p.MemoryKiB, p.Threads, p.KeyLen)
}

// decode parses $argon2id$v=19$m=<m>,t=<t>,p=<p>$<salt>$<hash> strictly: the field order of
// the reference implementation, canonical decimal numbers, version 19 only, and parameters
// within the limits, checked before any key is derived.
func decode(s string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, ErrMalformed
	}
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return p, nil, nil, ErrMalformed
	}
	m, ok1 := field(kv[0], "m=")
	t, ok2 := field(kv[1], "t=")
	th, ok3 := field(kv[2], "p=")
	if !ok1 || !ok2 || !ok3 {
		return p, nil, nil, ErrMalformed
	}
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return p, nil, nil, ErrMalformed
	}
	if th > MaxThreads { // before the uint8 conversion, so p=300 cannot wrap to 44
		return p, nil, nil, ErrParams
	}
	p = Params{Time: t, MemoryKiB: m, Threads: uint8(th), KeyLen: uint32(len(key)), SaltLen: uint32(len(salt))}
	if !p.valid() {
		return Params{}, nil, nil, ErrParams
	}
	return p, salt, key, nil
}

// field parses "<name><decimal>" where the decimal is canonical (no sign, no leading zeros)
// and fits in 32 bits.
func field(s, name string) (uint32, bool) {
	digits, ok := strings.CutPrefix(s, name)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, 10, 32)
	if err != nil || strconv.FormatUint(n, 10) != digits {
		return 0, false
	}
	return uint32(n), true
}
