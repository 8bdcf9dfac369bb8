package principals

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is an IAM or STS error: its code, HTTP status and text, as the Query protocol sends
// them (IAM API reference, "Common Errors" and each action's Errors section).
type Error struct {
	Code    string
	Message string
	Status  int
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// errNoUserName is IAM's answer to GetUser / the access-key actions without UserName from a
// caller that is not an IAM user (an assumed role).
var errNoUserName = &Error{Code: "ValidationError", Status: 400, Message: "Must specify userName when calling with non-User credentials"}

func noSuchEntity(format string, a ...any) *Error {
	return &Error{Code: "NoSuchEntity", Status: 404, Message: fmt.Sprintf(format, a...)}
}

func alreadyExists(format string, a ...any) *Error {
	return &Error{Code: "EntityAlreadyExists", Status: 409, Message: fmt.Sprintf(format, a...)}
}

func deleteConflict(msg string) *Error {
	return &Error{Code: "DeleteConflict", Status: 409, Message: msg}
}

func limitExceeded(format string, a ...any) *Error {
	return &Error{Code: "LimitExceeded", Status: 409, Message: fmt.Sprintf(format, a...)}
}

// Patterns of the IAM and STS API models.
var (
	namePattern        = regexp.MustCompile(`^[\w+=,.@-]+$`)
	pathPattern        = regexp.MustCompile(`^((/)|(/[\x21-\x7E]+/))$`)
	sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]*$`)
	externalIDPattern  = regexp.MustCompile(`^[\w+=,.@:/-]*$`)
	accessKeyIDPattern = regexp.MustCompile(`^[\w]+$`)
)

// check is one constraint on one parameter; "" when it holds.
type check string

// validate reports the failed constraints the way AWS's Coral validation does:
// "1 validation error detected: Value 'x' at 'userName' failed to satisfy constraint: ...".
func validate(checks ...check) error {
	var failed []string
	for _, c := range checks {
		if c != "" {
			failed = append(failed, string(c))
		}
	}
	if len(failed) == 0 {
		return nil
	}
	noun := "errors"
	if len(failed) == 1 {
		noun = "error"
	}
	return &Error{Code: "ValidationError", Status: 400,
		Message: strconv.Itoa(len(failed)) + " validation " + noun + " detected: " + strings.Join(failed, "; ")}
}

func validationError(field, value, constraint string) *Error {
	return validate(constraintFailed(field, value, constraint)).(*Error)
}

func constraintFailed(field, value, constraint string) check {
	return check("Value '" + value + "' at '" + field + "' failed to satisfy constraint: " + constraint)
}

func length(field, value string, min, max int) check {
	n := utf8.RuneCountInString(value)
	switch {
	case n < min:
		return constraintFailed(field, value, "Member must have length greater than or equal to "+strconv.Itoa(min))
	case n > max:
		return constraintFailed(field, value, "Member must have length less than or equal to "+strconv.Itoa(max))
	}
	return ""
}

func pattern(field, value string, re *regexp.Regexp, text string) check {
	if value == "" || re.MatchString(value) {
		return ""
	}
	return constraintFailed(field, value, "Member must satisfy regular expression pattern: "+text)
}

func required(field, value string) check {
	if value != "" {
		return ""
	}
	return check("Value null at '" + field + "' failed to satisfy constraint: Member must not be null")
}

func itoa(n int) string { return strconv.Itoa(n) }

// parseRoleARN splits arn:aws:iam::<account>:role<path><name>.
func parseRoleARN(arn string) (account, path, name string, ok bool) {
	return parseIAMARN(arn, "role")
}

func parseIAMARN(arn, kind string) (account, path, name string, ok bool) {
	rest, ok := strings.CutPrefix(arn, "arn:aws:iam::")
	if !ok {
		return "", "", "", false
	}
	account, res, ok := strings.Cut(rest, ":")
	if !ok {
		return "", "", "", false
	}
	res, ok = strings.CutPrefix(res, kind+"/")
	if !ok || res == "" {
		return "", "", "", false
	}
	i := strings.LastIndexByte(res, '/')
	return account, "/" + res[:i+1], res[i+1:], res[i+1:] != ""
}
