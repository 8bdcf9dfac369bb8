package passpolicy

import (
	"math/rand/v2"
	"strings"
	"testing"
)

var all = Policy{MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true}

func TestMessages(t *testing.T) {
	for _, tc := range []struct {
		name     string
		p        Policy
		password string
		want     string
	}{
		{"conforms", all, "Passw0rd!", ""},
		{"zero policy accepts anything", Policy{}, "a", ""},
		// https://github.com/aws-amplify/amplify-js/issues/2416: a password of 6+ characters
		// below MinimumLength.
		{"not long enough (amplify-js#2416)", all, "Test!2", "Password does not conform to policy: Password not long enough"},
		{"exactly minimum length", Policy{MinimumLength: 8}, "abcdefgh", ""},
		{"lowercase", Policy{RequireLowercase: true}, "PASSWORD1!", "Password does not conform to policy: Password must have lowercase characters"},
		{"uppercase", Policy{RequireUppercase: true}, "password1!", "Password does not conform to policy: Password must have uppercase characters"},
		// https://github.com/data-dot-all/dataall/issues/690: "da@" + 13 of [A-Z0-9] that
		// happened to hold no digit.
		{"numeric (dataall#690)", all, "da@QWERTYUIOPASD", "Password does not conform to policy: Password must have numeric characters"},
		// https://github.com/maxgala/aspire/issues/26
		{"symbol (aspire#26)", all, "BuggyCars1", "Password does not conform to policy: Password must have symbol characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.Check(tc.password); got != tc.want {
				t.Errorf("Check(%q) = %q, want %q", tc.password, got, tc.want)
			}
		})
	}
}

// TestOrder pins Cognito's order: length, lowercase, uppercase, numbers, symbols. Each case
// is a SignUp response captured by public test suites against a Cognito pool with every rule
// on (MinimumLength 8); see Reason.
func TestOrder(t *testing.T) {
	for _, tc := range []struct {
		password, want string
	}{
		{"a", NotLongEnough},             // breaks every rule: length wins
		{"Test!2", NotLongEnough},        // captured: length checked first
		{"12341234", MissingLowercase},   // captured: lowercase before uppercase and symbols
		{"BUGGYCARS!", MissingLowercase}, // captured
		{"buggycars!", MissingUppercase}, // captured: uppercase before numbers
		{"test1234!", MissingUppercase},  // captured
		{"TestTest", MissingNumbers},     // captured: numbers before symbols
		{"BuggyCars1", MissingSymbols},   // captured
		{"!!!!!!!!", MissingLowercase},
		{"abcdefgh", MissingUppercase},
		{"ABCDEFGh", MissingNumbers},
		{"Tester@123", ""}, // captured as a successful registration
	} {
		if got := all.Reason(tc.password); got != tc.want {
			t.Errorf("Reason(%q) = %q, want %q", tc.password, got, tc.want)
		}
	}
}

func TestPrefixes(t *testing.T) {
	// The three wordings seen in captured responses; only the reason after the colon varies.
	r := all.Reason("short")
	for _, tc := range []struct{ got, want string }{
		{Prefix + r, "Password does not conform to policy: Password not long enough"},
		{PrefixSignUp + r, "Password did not conform with policy: Password not long enough"},
		{PrefixAdminCreateUser + r, "Password did not conform with password policy: Password not long enough"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestSymbols(t *testing.T) {
	p := Policy{RequireSymbols: true}
	// Every documented symbol counts, space included
	// (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html).
	for _, r := range "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- " {
		if got := p.Reason("abc" + string(r) + "def"); got != "" {
			t.Errorf("symbol %q refused: %q", r, got)
		}
	}
	if len(Symbols) != 33 {
		t.Errorf("len(Symbols) = %d, want 33 (32 printable + space)", len(Symbols))
	}
	// Characters outside the list, including non-ASCII punctuation and other whitespace,
	// do not count as symbols.
	for _, s := range []string{"abc€def", "abc§def", "abc£def", "abc¡def", "abc\tdef", "abc\u00a0def", "abc\u3000def", "abcdef", "abc😀def"} {
		if got := p.Reason(s); got != MissingSymbols {
			t.Errorf("Reason(%q) = %q, want %q", s, got, MissingSymbols)
		}
	}
}

// Only Basic Latin letters and digits count ("Uppercase Basic Latin letter", developer guide).
func TestBasicLatinOnly(t *testing.T) {
	for _, tc := range []struct {
		p        Policy
		password string
		want     string
	}{
		{Policy{RequireUppercase: true}, "ÉÀÑÇ", MissingUppercase},
		{Policy{RequireUppercase: true}, "ΑΒΓ", MissingUppercase},
		{Policy{RequireUppercase: true}, "ＡＢＣ", MissingUppercase}, // fullwidth
		{Policy{RequireLowercase: true}, "éçàñß", MissingLowercase},
		{Policy{RequireLowercase: true}, "ａｂｃ", MissingLowercase},
		{Policy{RequireNumbers: true}, "١٢٣", MissingNumbers}, // Arabic-Indic digits
		{Policy{RequireNumbers: true}, "１２３", MissingNumbers}, // fullwidth
		{Policy{RequireNumbers: true}, "²³", MissingNumbers},
		{Policy{RequireUppercase: true, RequireLowercase: true, RequireNumbers: true}, "éÉ1aA", ""},
	} {
		if got := tc.p.Reason(tc.password); got != tc.want {
			t.Errorf("Reason(%q) = %q, want %q", tc.password, got, tc.want)
		}
	}
}

func TestLengthCountsUTF16Units(t *testing.T) {
	p := Policy{MinimumLength: 4}
	for _, tc := range []struct {
		password string
		want     string
	}{
		{"ééé", NotLongEnough}, // 3 characters, 6 bytes: bytes must not count
		{"éééé", ""},
		{"😀😀", ""},            // 2 runes, 4 UTF-16 units (Java's String.length)
		{"😀a", NotLongEnough}, // 3 units
	} {
		if got := p.Reason(tc.password); got != tc.want {
			t.Errorf("Reason(%q) = %q, want %q", tc.password, got, tc.want)
		}
	}
}

// Generate must satisfy any policy Cognito allows (MinimumLength 6..99).
func TestGenerateSatisfiesRandomPolicies(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 5000; i++ {
		p := Policy{
			MinimumLength:    6 + r.IntN(94),
			RequireUppercase: r.IntN(2) == 0,
			RequireLowercase: r.IntN(2) == 0,
			RequireNumbers:   r.IntN(2) == 0,
			RequireSymbols:   r.IntN(2) == 0,
		}
		pw := p.Generate()
		if got := p.Check(pw); got != "" {
			t.Fatalf("Generate() = %q under %+v: %s", pw, p, got)
		}
		if got := all.Reason(pw); got != "" && got != NotLongEnough {
			t.Fatalf("Generate() = %q misses a class: %s", pw, got)
		}
		if want := max(p.MinimumLength, GenerateMinLength); len(pw) != want {
			t.Fatalf("len(Generate()) = %d, want %d", len(pw), want)
		}
		if strings.Trim(pw, genAll) != "" {
			t.Fatalf("Generate() = %q has characters outside its alphabet", pw)
		}
	}
	if pw := (Policy{}).Generate(); len(pw) != GenerateMinLength {
		t.Errorf("zero policy: len = %d, want %d", len(pw), GenerateMinLength)
	}
}

func TestGenerateAlphabetIsSafe(t *testing.T) {
	for _, r := range genSymbol {
		if !strings.ContainsRune(Symbols, r) {
			t.Errorf("generator symbol %q is not a Cognito symbol", r)
		}
	}
	for _, r := range "0Oo1lI|\"'<>&\\` " {
		if strings.ContainsRune(genAll, r) {
			t.Errorf("generator alphabet contains ambiguous or unsafe %q", r)
		}
	}
}

// The shuffle must move the guaranteed characters: over many draws each class should appear
// in the first position roughly in proportion to its share of the alphabet.
func TestGenerateShuffles(t *testing.T) {
	counts := map[string]int{}
	const draws = 4000
	for i := 0; i < draws; i++ {
		c := Policy{}.Generate()[0]
		for _, class := range []string{genLower, genUpper, genDigits, genSymbol} {
			if strings.IndexByte(class, c) >= 0 {
				counts[class]++
			}
		}
	}
	for _, class := range []string{genLower, genUpper, genDigits, genSymbol} {
		if counts[class] < draws/40 {
			t.Errorf("class %q led only %d of %d passwords", class, counts[class], draws)
		}
	}
}

func TestRandIntn(t *testing.T) {
	// Powers of two divide 2^32; a 32-bit limit would overflow to 0 and loop forever.
	for _, n := range []int{1, 2, 4, 3, 7, 1 << 20} {
		for i := 0; i < 100; i++ {
			if v := randIntn(n); v < 0 || v >= n {
				t.Fatalf("randIntn(%d) = %d", n, v)
			}
		}
	}
}
