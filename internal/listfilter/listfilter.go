package listfilter

import (
	"slices"
	"strings"
)

// Filter is one parsed ListUsers filter.
type Filter struct {
	Attr   string // one of Attributes
	Value  string // unescaped
	Prefix bool   // ^= (starts with) rather than = (exact)
}

// Attributes are the names ListUsers can search, from the API reference. How values compare
// is the caller's business, but the reference notes: username is case-sensitive,
// cognito:user_status (the console's "Status", values like CONFIRMED) is case-insensitive, and
// status (the console's "Enabled", values Enabled and Disabled) is case-sensitive. Names
// themselves must match exactly (our choice; the reference spells them only in lower case).
var Attributes = []string{
	"username",
	"email",
	"phone_number",
	"name",
	"given_name",
	"family_name",
	"preferred_username",
	"cognito:user_status",
	"status",
	"sub",
}

// Error is a filter Cognito would refuse; its message is the InvalidParameterException message.
type Error struct{ msg string }

func (e *Error) Error() string { return e.msg }

// MsgParse is Cognito's message for a filter it cannot parse, period included, as captured
// in https://github.com/aws/aws-sdk-php/issues/1088 ({"__type":"InvalidParameterException",
// "message":"Error while parsing filter."}) and
// https://github.com/aws/aws-aspnet-cognito-identity-provider/issues/235.
const MsgParse = "Error while parsing filter."

// MsgAttributePrefix starts the message for a well-formed filter on an attribute that is not
// searchable, e.g. "Invalid search attribute: custom:foo". (our wording) No Cognito response
// for this case has been captured; the text is moto's
// (https://github.com/getmoto/moto/pull/4407, an emulator, not a capture).
const MsgAttributePrefix = "Invalid search attribute: "

var errParse = &Error{msg: MsgParse}

// Parse parses a ListUsers Filter. It returns nil, nil for an empty filter (all users). A
// syntax error gives MsgParse; a well-formed filter on an attribute outside Attributes gives
// MsgAttributePrefix + the name. Syntax is checked first, so `custom:x = bar` (unquoted) is a
// parse error, as in moto.
//
// Our choices where Cognito's behaviour is not documented: a filter of only whitespace is
// treated as empty; space, tab, CR and LF may surround the name, the operator and the value;
// a backslash before any character other than " or \ is kept literally.
func Parse(s string) (*Filter, error) {
	s = strings.Trim(s, ws)
	if s == "" {
		return nil, nil
	}
	// The name runs to the first space, operator or quote.
	i := strings.IndexAny(s, ws+"=^\"")
	if i <= 0 {
		return nil, errParse
	}
	f := &Filter{Attr: s[:i]}
	rest := strings.TrimLeft(s[i:], ws)
	switch {
	case strings.HasPrefix(rest, "^="):
		f.Prefix = true
		rest = rest[2:]
	case strings.HasPrefix(rest, "="):
		rest = rest[1:]
	default:
		return nil, errParse
	}
	rest = strings.TrimLeft(rest, ws)
	value, tail, ok := unquote(rest)
	if !ok || tail != "" {
		return nil, errParse
	}
	f.Value = value
	if !slices.Contains(Attributes, f.Attr) {
		return nil, &Error{msg: MsgAttributePrefix + f.Attr}
	}
	return f, nil
}

const ws = " \t\r\n"

// unquote reads a double-quoted value at the start of s and returns it unescaped along with
// what follows the closing quote.
func unquote(s string) (value, tail string, ok bool) {
	if !strings.HasPrefix(s, `"`) {
		return "", "", false
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			return b.String(), s[i+1:], true
		case '\\':
			if i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
				i++
				b.WriteByte(s[i])
			} else {
				b.WriteByte(c)
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", "", false // no closing quote
}

// String renders f in the canonical form `attr = "value"` or `attr ^= "value"`, escaping
// quotes and backslashes, so Parse(f.String()) gives f back.
func (f Filter) String() string {
	op := " = "
	if f.Prefix {
		op = " ^= "
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return f.Attr + op + `"` + r.Replace(f.Value) + `"`
}
