package sigv4

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Auth is what a request claims: parsed from the Authorization header or the presigned query.
type Auth struct {
	AccessKeyID   string
	Date          string // credential scope date, yyyymmdd
	Region        string
	Service       string
	SignedHeaders []string  // lower-case, as listed
	Signature     string    // hex
	Time          time.Time // X-Amz-Date (header or query), or the Date header
	SecurityToken string    // X-Amz-Security-Token, if any
	Presigned     bool
	// Expires is X-Amz-Expires (presigned only): the URL's life, as in S3.
	// Zero means none was given (or 0), and the ±5 minute window of the
	// header form applies instead, which is what AWS's non-S3 services do
	// with every presigned request (aws/aws-sdk-go#2167).
	Expires time.Duration

	// Terminator is the credential scope's last element; AWS accepts only
	// "aws4_request" (Verify and CheckScope check it).
	Terminator string
}

// Error is an AWS authentication error: Code is the JSON __type, Message its text.
type Error struct{ Code, Message string }

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Error codes, as the AWS JSON protocol spells them.
const (
	CodeIncompleteSignature        = "IncompleteSignatureException"
	CodeInvalidSignature           = "InvalidSignatureException"
	CodeMissingAuthenticationToken = "MissingAuthenticationTokenException"
	CodeAccessDenied               = "AccessDeniedException"
)

const (
	algorithm  = "AWS4-HMAC-SHA256"
	terminator = "aws4_request"
	timeFormat = "20060102T150405Z"
	dateFormat = "20060102"

	// maxExpires is S3's (and the signing key's) seven-day limit on X-Amz-Expires.
	maxExpires = 604800
)

// Messages not built by a helper below. Texts are AWS's, as captured in:
//   - mhart/dynalite (now architect/dynalite) index.js, whose comments record
//     real DynamoDB (Coral) responses,
//   - dacut/scratchstack-aws-signature src/constants.rs and src/auth.rs,
//   - GitHub issues quoted next to each message.
const (
	// "Request is missing Authentication Token" (mhart/dynalite index.js).
	msgMissingToken = "Request is missing Authentication Token"
	// mhart/dynalite index.js, for a request with both forms.
	msgFoundBoth = "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."
	// aws/chalice#828, brendanhay/amazonka#316, mhart/dynalite index.js; each
	// requirement ends ". " and the header follows as "Authorization=<value>".
	msgRequiresDate = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
	// "AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters."
	// (scratchstack-aws-signature src/constants.rs; dynalite answers the same).
	msgReexamineQuery = "Re-examine the query-string parameters."
	// scratchstack-aws-signature src/constants.rs (MSG_HOST_AUTHORITY_MUST_BE_SIGNED);
	// older AWS said "'Host' must be a 'SignedHeader' in the AWS Authorization." (dynalite).
	msgHostNotSigned = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
	// Cognito's own answer, e.g. ArranJacques/laravel-aws-cognito-auth#18 and
	// ellaisys/aws-cognito#24 (AdminInitiateAuth/AdminCreateUser on cognito-idp).
	msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	// S3's text for an expired presigned URL (code AccessDenied, HTTP 403):
	// lukejacksonn/react-slack-clone#27, aws/aws-sdk-js#3493; Amazon Transcribe's
	// presigned websocket URLs say the same (amazon-transcribe-websocket-static#15).
	msgRequestExpired = "Request has expired"
	// S3's texts for a bad X-Amz-Expires (minio/minio-js#1312, bryanjos/aws_auth#31).
	msgExpiresNumber = "X-Amz-Expires should be a number"
	msgExpiresWeek   = "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds"
)

func incomplete(msg string) *Error { return &Error{CodeIncompleteSignature, msg} }
func invalid(msg string) *Error    { return &Error{CodeInvalidSignature, msg} }

// Parse returns (nil, nil) when the request carries no SigV4 authentication at all
// (no Authorization header and no X-Amz-Algorithm / X-Amz-Credential query), and an *Error when it carries a malformed one.
// A blank Authorization header counts as none. It checks the form only; Verify checks the clock, scope and signature.
func Parse(r *http.Request) (*Auth, error) {
	header := strings.TrimSpace(r.Header.Get("Authorization"))
	query := parseQuery(rawQuery(r))
	_, hasAlg := query.get("X-Amz-Algorithm")
	_, hasCred := query.get("X-Amz-Credential")

	switch {
	case header != "" && hasAlg:
		return nil, invalid(msgFoundBoth)
	case header != "":
		a, err := parseHeader(r, header)
		if err != nil {
			return nil, err
		}
		return a, nil
	case hasAlg || hasCred:
		a, err := parsePresigned(r, query)
		if err != nil {
			return nil, err
		}
		return a, nil
	}
	return nil, nil
}

// parseHeader reads "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
// The checks run in the order AWS runs them (mhart/dynalite index.js): key=value
// syntax, required parameters, date format, algorithm, credential shape.
func parseHeader(r *http.Request, header string) (*Auth, error) {
	// Anything but AWS4-* is not SigV4 at all; AWS calls that a missing token.
	if !strings.HasPrefix(header, "AWS4-") {
		return nil, &Error{CodeMissingAuthenticationToken, msgMissingToken}
	}
	// AWS separates the parts with commas, whitespace or both (scylladb's
	// test_authorization_no_whitespace reproduces commas alone working).
	fields := strings.FieldsFunc(header, func(c rune) bool { return c == ',' || c == ' ' || c == '\t' })
	alg := fields[0]
	params := map[string]string{}
	for _, f := range fields[1:] {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			// iann0036/cloud9-sync#10, aws/aws-sdk-go#289, awslabs/fhir-works-on-aws-deployment#379.
			return nil, incomplete("'" + f + "' not a valid key=value pair (missing equal-sign) in Authorization header: '" + header + "'.")
		}
		if _, dup := params[k]; !dup {
			params[k] = v
		}
	}

	amzDate := r.Header.Get("X-Amz-Date")
	date := amzDate
	if date == "" {
		date = r.Header.Get("Date")
	}
	var msg strings.Builder
	for _, p := range []string{"Credential", "Signature", "SignedHeaders"} {
		// SignedHeaders may be empty here (dynalite notes it); the host check catches it later.
		if v, ok := params[p]; !ok || (v == "" && p != "SignedHeaders") {
			msg.WriteString("Authorization header requires '" + p + "' parameter. ")
		}
	}
	if date == "" {
		msg.WriteString(msgRequiresDate)
	}
	if msg.Len() > 0 {
		return nil, incomplete(msg.String() + "Authorization=" + header)
	}

	t, err := parseTime(date, amzDate == "")
	if err != nil {
		return nil, err
	}
	a := &Auth{
		Signature:     params["Signature"],
		SignedHeaders: splitSignedHeaders(params["SignedHeaders"]),
		Time:          t,
		SecurityToken: r.Header.Get("X-Amz-Security-Token"),
	}
	if err := checkAlgorithm(alg); err != nil {
		return nil, err
	}
	if err := a.setCredential(params["Credential"]); err != nil {
		return nil, err
	}
	return a, nil
}

// parsePresigned reads the X-Amz-* query parameters of a presigned URL.
func parsePresigned(r *http.Request, q queryParams) (*Auth, error) {
	var msg strings.Builder
	for _, p := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"} {
		if v, _ := q.get(p); v == "" {
			msg.WriteString("AWS query-string parameters must include '" + p + "'. ")
		}
	}
	if msg.Len() > 0 {
		return nil, incomplete(msg.String() + msgReexamineQuery)
	}
	alg, _ := q.get("X-Amz-Algorithm")
	cred, _ := q.get("X-Amz-Credential")
	sig, _ := q.get("X-Amz-Signature")
	signed, _ := q.get("X-Amz-SignedHeaders")
	date, _ := q.get("X-Amz-Date")

	t, err := parseTime(date, false)
	if err != nil {
		return nil, err
	}
	token, ok := q.get("X-Amz-Security-Token")
	if !ok {
		token = r.Header.Get("X-Amz-Security-Token")
	}
	a := &Auth{
		Signature:     sig,
		SignedHeaders: splitSignedHeaders(signed),
		Time:          t,
		SecurityToken: token,
		Presigned:     true,
	}
	if err := checkAlgorithm(alg); err != nil {
		return nil, err
	}
	if err := a.setCredential(cred); err != nil {
		return nil, err
	}
	if v, ok := q.get("X-Amz-Expires"); ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return nil, incomplete(msgExpiresNumber)
		}
		if n > maxExpires {
			return nil, incomplete(msgExpiresWeek)
		}
		a.Expires = time.Duration(n) * time.Second
	}
	return a, nil
}

// parseTime reads X-Amz-Date (ISO 8601 basic) or, when httpDate, the Date header (RFC 1123).
func parseTime(v string, httpDate bool) (time.Time, error) {
	var t time.Time
	var err error
	if httpDate {
		t, err = http.ParseTime(v)
	} else {
		t, err = time.Parse(timeFormat, v)
	}
	if err != nil {
		// mhart/dynalite index.js: "Date must be in ISO-8601 'basic format'. Got '201'. See http://en.wikipedia.org/wiki/ISO_8601"
		return time.Time{}, incomplete("Date must be in ISO-8601 'basic format'. Got '" + v + "'. See http://en.wikipedia.org/wiki/ISO_8601")
	}
	return t.UTC(), nil
}

func checkAlgorithm(alg string) error {
	if alg != algorithm {
		// mhart/dynalite index.js; note the trailing space, as AWS sends it.
		return incomplete("Unsupported AWS 'algorithm': '" + alg + "' (only AWS4-HMAC-SHA256 for now). ")
	}
	return nil
}

// setCredential splits keyid/date/region/service/term.
func (a *Auth) setCredential(cred string) error {
	parts := strings.Split(cred, "/")
	// AWS ignores trailing slashes (dynalite), as Java's String.split drops trailing empty strings.
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	if len(parts) != 5 {
		// mhart/aws4#97 and mhart/dynalite index.js.
		return incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" + cred + "'")
	}
	a.AccessKeyID, a.Date, a.Region, a.Service, a.Terminator = parts[0], parts[1], parts[2], parts[3], parts[4]
	return nil
}

func splitSignedHeaders(s string) []string {
	if s == "" {
		return nil
	}
	names := strings.Split(s, ";")
	for i, n := range names {
		names[i] = strings.ToLower(n)
	}
	return names
}

// CheckScope returns AWS's error when the credential is scoped to another
// service than the one serving the request, or has a terminator other than
// "aws4_request". Texts from mhart/dynalite index.js, aws/aws-sdk-ruby#431
// (whose Content-Length confirms the trailing space) and arnemolland/sigv4#15.
func CheckScope(a *Auth, service string) error {
	var msg string
	if a.Service != service {
		msg += "Credential should be scoped to correct service: '" + service + "'. "
	}
	msg += terminatorMessage(a)
	if msg != "" {
		return invalid(msg)
	}
	return nil
}

// CheckRegion returns AWS's error when the credential is scoped to another region
// (aws/aws-sdk-ruby#508, joona/aws-es-curl#15, mhart/dynalite index.js).
func CheckRegion(a *Auth, region string) error {
	if a.Region != region {
		return invalid("Credential should be scoped to a valid region, not '" + a.Region + "'. ")
	}
	return nil
}

func terminatorMessage(a *Auth) string {
	if a.Terminator != terminator {
		return "Credential should be scoped with a valid terminator: 'aws4_request', not '" + a.Terminator + "'. "
	}
	return ""
}

// queryParams keeps a raw query's pairs, decoded, in order and with duplicates.
type queryParams []struct{ key, value string }

func (q queryParams) get(key string) (string, bool) {
	for _, p := range q {
		if p.key == key {
			return p.value, true
		}
	}
	return "", false
}

// parseQuery splits like url.ParseQuery but keeps going past bad escapes
// (keeping the raw text, which then fails the signature) and accepts ';'.
func parseQuery(raw string) queryParams {
	var q queryParams
	for pair := range strings.SplitSeq(raw, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		q = append(q, struct{ key, value string }{unescape(k), unescape(v)})
	}
	return q
}

func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

func rawQuery(r *http.Request) string {
	if r.URL == nil {
		return ""
	}
	return r.URL.RawQuery
}
