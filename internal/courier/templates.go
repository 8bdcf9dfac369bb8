package courier

import "strings"

// Cognito's defaults (SPEC section 7; Cognito API reference).
const (
	DefaultVerificationMessage = "Your verification code is {####}. "
	DefaultVerificationSubject = "Your verification code"
	DefaultInviteMessage       = "Your username is {username} and temporary password is {####}."
	DefaultInviteSubject       = "Your temporary password"
	// BuiltInSender is the From address of COGNITO_DEFAULT email.
	BuiltInSender = "no-reply@verificationemail.com"
)

// Placeholders Cognito templates use.
const (
	CodePlaceholder     = "{####}"
	UsernamePlaceholder = "{username}"
)

// Render fills a template's placeholders. Values are inserted as they are: a template may be
// HTML, and the values (a username, a code) come from cgip, not from the message's reader.
func Render(template, username, code string) string {
	return strings.NewReplacer(CodePlaceholder, code, UsernamePlaceholder, username).Replace(template)
}

// LooksLikeHTML reports whether an email body should go out as HTML: Cognito accepts HTML tags
// in email templates and sends such messages as HTML.
func LooksLikeHTML(body string) bool {
	b := strings.ToLower(body)
	for _, tag := range []string{"<html", "<body", "<p>", "<p ", "<br", "<div", "<a ", "<b>", "<strong", "<table", "<span"} {
		if strings.Contains(b, tag) {
			return true
		}
	}
	return false
}
