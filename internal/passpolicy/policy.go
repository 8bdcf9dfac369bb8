package passpolicy

import (
	"crypto/rand"
	"encoding/binary"
	"strings"
	"unicode/utf16"
)

// Policy is a user pool's PasswordPolicyType. The zero value requires nothing.
type Policy struct {
	MinimumLength    int
	RequireUppercase bool
	RequireLowercase bool
	RequireNumbers   bool
	RequireSymbols   bool
}

// Symbols are the characters Cognito counts as special, space included ("The space character
// is also treated as a special character"), from the developer guide's "Adding user pool
// password requirements"
// (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html):
// ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + -
// Older versions of the page listed the set without = and +; we follow the current one.
const Symbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "

// Cognito's reasons, one per rule. Captured in SignUp responses, e.g.
// https://github.com/aws-amplify/amplify-js/issues/2416 (not long enough),
// https://github.com/maxgala/aspire/issues/26 (symbol),
// https://github.com/data-dot-all/dataall/issues/690 (numeric).
const (
	NotLongEnough    = "Password not long enough"
	MissingLowercase = "Password must have lowercase characters"
	MissingUppercase = "Password must have uppercase characters"
	MissingNumbers   = "Password must have numeric characters"
	MissingSymbols   = "Password must have symbol characters"
)

// The prefix in front of the reason differs by operation, so callers that need another
// operation's wording combine it with Reason themselves:
//   - Prefix ("does not conform to policy") is what ConfirmForgotPassword and the
//     NEW_PASSWORD_REQUIRED challenge (RespondToAuthChallenge) return, per captured Amplify
//     error messages; AdminSetUserPassword is assumed to match (not captured).
//   - PrefixSignUp ("did not conform with policy") is SignUp's
//     (https://github.com/aws-amplify/amplify-js/issues/2416,
//     https://github.com/maxgala/aspire/issues/26); app code handling ChangePassword errors
//     matches on it too, which suggests ChangePassword uses it as well (unconfirmed).
//   - PrefixAdminCreateUser ("did not conform with password policy") is AdminCreateUser's
//     for a TemporaryPassword (https://github.com/data-dot-all/dataall/issues/690).
const (
	Prefix                = "Password does not conform to policy: "
	PrefixSignUp          = "Password did not conform with policy: "
	PrefixAdminCreateUser = "Password did not conform with password policy: "
)

// Check returns "" when password satisfies p, else Prefix plus the reason for the first rule
// it breaks, e.g. "Password does not conform to policy: Password not long enough".
func (p Policy) Check(password string) string {
	if r := p.Reason(password); r != "" {
		return Prefix + r
	}
	return ""
}

// Reason returns "" when password satisfies p, else the bare reason (NotLongEnough, ...) for
// the first rule it breaks, in Cognito's order: length, lowercase, uppercase, numbers,
// symbols. The order is inferred from SignUp responses captured by public test suites run
// against a Cognito-backed site with every rule on: "12341234" gave lowercase (so lowercase
// before uppercase), "buggycars!" gave uppercase (uppercase before numbers), "TestTest" gave
// numeric (numbers before symbols), and "Test!2" gave not long enough; dataall#690's
// "da@"+upper+digits gave numeric.
func (p Policy) Reason(password string) string {
	var lower, upper, number, symbol bool
	n := 0
	for _, r := range password {
		// Length counts UTF-16 code units, as Java's String.length() does in Cognito's
		// service; it differs from a rune count only above U+FFFF (e.g. emoji count 2).
		n += utf16.RuneLen(r)
		switch {
		case 'a' <= r && r <= 'z':
			lower = true
		case 'A' <= r && r <= 'Z':
			upper = true
		case '0' <= r && r <= '9':
			number = true
		case r < 0x80 && strings.ContainsRune(Symbols, r):
			symbol = true
		}
	}
	switch {
	case n < p.MinimumLength:
		return NotLongEnough
	case p.RequireLowercase && !lower:
		return MissingLowercase
	case p.RequireUppercase && !upper:
		return MissingUppercase
	case p.RequireNumbers && !number:
		return MissingNumbers
	case p.RequireSymbols && !symbol:
		return MissingSymbols
	}
	return ""
}

// The alphabets Generate draws from. They leave out look-alikes (0 O o, 1 l I, |) because
// temporary passwords are read from an email or SMS and typed by hand, and the symbols that
// HTML templates or shells would mangle (" ' < > & \ ` and space); every symbol kept is in
// Symbols.
const (
	genLower  = "abcdefghijkmnpqrstuvwxyz"
	genUpper  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	genDigits = "23456789"
	genSymbol = "^$*.[]{}()?!@#%/,:;_~=+-"
	genAll    = genLower + genUpper + genDigits + genSymbol
)

// GenerateMinLength is the length Generate uses unless the policy asks for more.
const GenerateMinLength = 12

// Generate returns a random temporary password that satisfies p: max(p.MinimumLength, 12)
// characters with at least one lowercase letter, uppercase letter, digit and symbol whatever
// p requires (so it also survives a later, stricter policy), drawn with crypto/rand and
// shuffled uniformly.
func (p Policy) Generate() string {
	n := max(p.MinimumLength, GenerateMinLength)
	b := make([]byte, 0, n)
	for _, class := range []string{genLower, genUpper, genDigits, genSymbol} {
		b = append(b, class[randIntn(len(class))])
	}
	for len(b) < n {
		b = append(b, genAll[randIntn(len(genAll))])
	}
	// Fisher-Yates, so the guaranteed characters are not always at the front.
	for i := len(b) - 1; i > 0; i-- {
		j := randIntn(i + 1)
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// randIntn returns a uniform integer in [0, n) from crypto/rand, rejecting the top of the
// 32-bit range that would bias the modulo.
func randIntn(n int) int {
	// In 64 bits: for n dividing 2^32 the limit is 2^32 itself, which uint32 cannot hold.
	limit := uint64(1<<32) - uint64(1<<32)%uint64(n)
	var buf [4]byte
	for {
		rand.Read(buf[:]) // never fails since Go 1.24; it crashes the program instead
		if v := uint64(binary.LittleEndian.Uint32(buf[:])); v < limit {
			return int(v % uint64(n))
		}
	}
}
