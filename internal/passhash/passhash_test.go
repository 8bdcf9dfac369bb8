package passhash

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// cheap keeps the argon2 work in most tests to well under a millisecond; Default is exercised
// separately so its format and cost are still covered.
var cheap = Params{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: 16}

// The Argon2id v1.3 vector from the reference implementation's src/test.c
// (github.com/P-H-C/phc-winner-argon2): password "password", salt "somesalt", t=2, m=2^16, p=1.
// Verifying it shows our strings interoperate with every library that speaks the PHC format.
const referenceVector = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"

func TestDefaultIsOWASPMinimum(t *testing.T) {
	// https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html
	want := Params{Time: 2, MemoryKiB: 19456, Threads: 1, KeyLen: 32, SaltLen: 16}
	if Default != want {
		t.Fatalf("Default = %+v, want %+v", Default, want)
	}
}

func TestHashFormatDefault(t *testing.T) {
	h, err := Hash("correct horse", Default)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !re.MatchString(h) {
		t.Fatalf("hash %q does not have the PHC shape", h)
	}
	ok, err := Verify("correct horse", h)
	if !ok || err != nil {
		t.Fatalf("Verify(own Default hash) = %v, %v", ok, err)
	}
}

func TestReferenceVector(t *testing.T) {
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"password", true}, {"Password", false}, {"password ", false}, {"", false}} {
		ok, err := Verify(tc.pw, referenceVector)
		if err != nil || ok != tc.want {
			t.Errorf("Verify(%q, reference) = %v, %v; want %v, nil", tc.pw, ok, err, tc.want)
		}
	}
	if !NeedsRehash(referenceVector, Default) {
		t.Error("reference vector (m=65536) should need rehash under Default")
	}
}

func TestRoundTrip(t *testing.T) {
	for _, pw := range []string{"", "a", "P@ssw0rd!", "pässwörd 密码 🔑", strings.Repeat("x", 256), "with\x00nul"} {
		h, err := Hash(pw, cheap)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := Verify(pw, h); !ok || err != nil {
			t.Errorf("Verify(%q, own hash) = %v, %v", pw, ok, err)
		}
		if ok, err := Verify(pw+"x", h); ok || err != nil {
			t.Errorf("Verify(%q+x, hash of %q) = %v, %v; want false, nil", pw, pw, ok, err)
		}
	}
}

func TestSaltsDiffer(t *testing.T) {
	a, _ := Hash("same", cheap)
	b, _ := Hash("same", cheap)
	if a == b {
		t.Fatal("two hashes of the same password are identical: salt is not random")
	}
}

func TestHashRejectsBadParams(t *testing.T) {
	for name, p := range map[string]Params{
		"zero":         {},
		"time0":        {Time: 0, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: 16},
		"time>max":     {Time: MaxTime + 1, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: 16},
		"threads0":     {Time: 1, MemoryKiB: 64, Threads: 0, KeyLen: 32, SaltLen: 16},
		"threads>max":  {Time: 1, MemoryKiB: 8 * 65, Threads: MaxThreads + 1, KeyLen: 32, SaltLen: 16},
		"memory<8p":    {Time: 1, MemoryKiB: 15, Threads: 2, KeyLen: 32, SaltLen: 16},
		"memory>1GiB":  {Time: 1, MemoryKiB: MaxMemoryKiB + 1, Threads: 1, KeyLen: 32, SaltLen: 16},
		"keyTooShort":  {Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: MinKeyLen - 1, SaltLen: 16},
		"keyTooLong":   {Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: MaxKeyLen + 1, SaltLen: 16},
		"saltTooShort": {Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: MinSaltLen - 1},
		"saltTooLong":  {Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: MaxSaltLen + 1},
	} {
		if _, err := Hash("pw", p); !errors.Is(err, ErrParams) {
			t.Errorf("%s: Hash err = %v, want ErrParams", name, err)
		}
	}
}

// A hash whose parameters, salt or key were altered must not verify; changing the salt or
// key gives false, changing the header to something we do not accept gives an error.
func TestTampered(t *testing.T) {
	h, err := Hash("secret", cheap)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(h, "$")
	flip := func(s string) string { // change the first character to another base64 letter
		b := []byte(s)
		if b[0] == 'A' {
			b[0] = 'B'
		} else {
			b[0] = 'A'
		}
		return string(b)
	}
	k, _ := b64.DecodeString(parts[5])
	truncated := b64.EncodeToString(k[:len(k)-3]) // a shorter key, still a valid encoding
	join := func(p []string) string { return strings.Join(p, "$") }
	with := func(i int, v string) string {
		q := append([]string(nil), parts...)
		q[i] = v
		return join(q)
	}
	for _, tc := range []struct {
		name    string
		encoded string
		err     error
	}{
		{"salt", with(4, flip(parts[4])), nil},
		{"key", with(5, flip(parts[5])), nil},
		{"memory", with(3, "m=72,t=1,p=1"), nil},
		{"time", with(3, "m=64,t=2,p=1"), nil},
		{"key truncated", with(5, truncated), nil},
		{"variant argon2i", with(1, "argon2i"), ErrMalformed},
		{"version 16", with(2, "v=16"), ErrMalformed},
	} {
		ok, err := Verify("secret", tc.encoded)
		if ok || !errors.Is(err, tc.err) || (tc.err == nil && err != nil) {
			t.Errorf("%s: Verify = %v, %v; want false, %v", tc.name, ok, err, tc.err)
		}
	}
}

func TestMalformed(t *testing.T) {
	const salt, key = "c29tZXNhbHQ", "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
	for _, tc := range []struct {
		name, encoded string
		err           error
	}{
		{"empty", "", ErrMalformed},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", ErrMalformed},
		{"no version", "$argon2id$m=64,t=1,p=1$" + salt + "$" + key, ErrMalformed},
		{"upper-case variant", "$ARGON2ID$v=19$m=64,t=1,p=1$" + salt + "$" + key, ErrMalformed},
		{"params reordered", "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key, ErrMalformed},
		{"param missing", "$argon2id$v=19$m=64,t=1$" + salt + "$" + key, ErrMalformed},
		{"extra param", "$argon2id$v=19$m=64,t=1,p=1,keyid=x$" + salt + "$" + key, ErrMalformed},
		{"leading zero", "$argon2id$v=19$m=064,t=1,p=1$" + salt + "$" + key, ErrMalformed},
		{"plus sign", "$argon2id$v=19$m=+64,t=1,p=1$" + salt + "$" + key, ErrMalformed},
		{"negative", "$argon2id$v=19$m=-64,t=1,p=1$" + salt + "$" + key, ErrMalformed},
		{"overflow", "$argon2id$v=19$m=4294967296,t=1,p=1$" + salt + "$" + key, ErrMalformed},
		{"space", "$argon2id$v=19$m=64, t=1,p=1$" + salt + "$" + key, ErrMalformed},
		{"padded salt", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "=$" + key, ErrMalformed},
		{"url alphabet", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + strings.ReplaceAll(key, "O", "_"), ErrMalformed},
		{"trailing bits", "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHR$" + key, ErrMalformed},
		{"missing key", "$argon2id$v=19$m=64,t=1,p=1$" + salt, ErrMalformed},
		{"trailing dollar", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key + "$", ErrMalformed},
		{"no leading dollar", "argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key, ErrMalformed},
		// Absurd parameters are refused before any work is done, so a corrupted row cannot
		// make one sign-in allocate 4 GiB or run for minutes.
		{"memory 4GiB", "$argon2id$v=19$m=4194304,t=1,p=1$" + salt + "$" + key, ErrParams},
		{"time 1000", "$argon2id$v=19$m=64,t=1000,p=1$" + salt + "$" + key, ErrParams},
		{"time 0", "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key, ErrParams},
		{"threads 0", "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key, ErrParams},
		{"threads 300 (would wrap in uint8)", "$argon2id$v=19$m=4096,t=1,p=300$" + salt + "$" + key, ErrParams},
		{"memory < 8p", "$argon2id$v=19$m=8,t=1,p=2$" + salt + "$" + key, ErrParams},
		{"empty salt", "$argon2id$v=19$m=64,t=1,p=1$$" + key, ErrParams},
		{"short salt", "$argon2id$v=19$m=64,t=1,p=1$YWJj$" + key, ErrParams},
		{"short key", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$YWJjZA", ErrParams},
		{"empty key", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$", ErrParams},
	} {
		ok, err := Verify("password", tc.encoded)
		if ok || !errors.Is(err, tc.err) {
			t.Errorf("%s: Verify = %v, %v; want false, %v", tc.name, ok, err, tc.err)
		}
		if !NeedsRehash(tc.encoded, cheap) {
			t.Errorf("%s: NeedsRehash = false for an unusable hash", tc.name)
		}
	}
}

func TestNeedsRehash(t *testing.T) {
	h, err := Hash("pw", cheap)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		p    Params
		want bool
	}{
		{"same", cheap, false},
		{"more time", Params{Time: 2, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: 16}, true},
		{"more memory", Params{Time: 1, MemoryKiB: 128, Threads: 1, KeyLen: 32, SaltLen: 16}, true},
		{"more threads", Params{Time: 1, MemoryKiB: 64, Threads: 2, KeyLen: 32, SaltLen: 16}, true},
		{"longer key", Params{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 64, SaltLen: 16}, true},
		{"longer salt", Params{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: 32}, true},
		{"default", Default, true},
	} {
		if got := NeedsRehash(h, tc.p); got != tc.want {
			t.Errorf("%s: NeedsRehash = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestDummyVerifyDoesNotPanic(t *testing.T) {
	DummyVerify("pw", cheap)
	DummyVerify("pw", Params{}) // invalid params fall back to Default rather than doing nothing
}

// FuzzVerify feeds arbitrary encoded strings: Verify must never panic, must only fail with
// our two errors, and must agree with NeedsRehash about what decodes.
func FuzzVerify(f *testing.F) {
	h, _ := Hash("pw", cheap)
	f.Add(h)
	f.Add(referenceVector)
	f.Add("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")
	f.Add("$argon2id$v=19$m=8,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("")
	f.Add("$$$$$")
	f.Fuzz(func(t *testing.T, encoded string) {
		p, _, _, err := decode(encoded)
		if err == nil && uint64(p.MemoryKiB)*uint64(p.Time) > 1<<12 {
			t.Skip("valid but costly parameters: decode accepted them, skip the key derivation")
		}
		ok, err := Verify("pw", encoded)
		if err != nil && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrParams) {
			t.Fatalf("unexpected error %v", err)
		}
		if err != nil && ok {
			t.Fatal("ok with an error")
		}
		if err == nil && NeedsRehash(encoded, p) {
			t.Fatal("a hash that verifies must not need rehash under its own parameters")
		}
	})
}

// BenchmarkHashDefault reports the per-hash cost at Default (ns/op); Verify costs the same.
func BenchmarkHashDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Hash("correct horse battery staple", Default); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDummyVerifyDefault(b *testing.B) {
	for b.Loop() {
		DummyVerify("correct horse battery staple", Default)
	}
}
