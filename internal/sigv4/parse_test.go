package sigv4

import (
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"
)

func request(authorization, rawQuery string, headers map[string]string) *http.Request {
	r := &http.Request{
		Method: http.MethodPost,
		URL:    &url.URL{Path: "/", RawQuery: rawQuery},
		Host:   "cognito-idp.us-east-1.amazonaws.com",
		Header: http.Header{},
	}
	if authorization != "" {
		r.Header.Set("Authorization", authorization)
	}
	for k, v := range headers {
		r.Header.Set(k, v)
	}
	return r
}

var withDate = map[string]string{"X-Amz-Date": "20240517T123456Z"}

func TestParseMalformed(t *testing.T) {
	const goodCred = "AKIDEXAMPLE/20240517/us-east-1/cognito-idp/aws4_request"
	tests := []struct {
		name, auth, query string
		headers           map[string]string
		code, msg         string
	}{
		{
			name: "not SigV4",
			auth: "Bearer eyJraWQiOiJ.abc",
			code: "MissingAuthenticationTokenException", msg: "Request is missing Authentication Token",
		},
		{
			// aws/chalice#828 quotes this sequence of texts.
			name: "algorithm only, no date",
			auth: "AWS4-HMAC-SHA256",
			code: "IncompleteSignatureException",
			msg:  "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256",
		},
		{
			// brendanhay/amazonka#316, verbatim.
			name: "credential only", auth: "AWS4-HMAC-SHA256 Credential=ABCDEF", headers: withDate,
			code: "IncompleteSignatureException",
			msg:  "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=ABCDEF",
		},
		{
			name: "empty signature", auth: "AWS4-HMAC-SHA256 Credential=" + goodCred + ", SignedHeaders=host, Signature=", headers: withDate,
			code: "IncompleteSignatureException",
			msg:  "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 Credential=" + goodCred + ", SignedHeaders=host, Signature=",
		},
		{
			// aws/aws-sdk-go#289, verbatim: a space inside the credential.
			name:    "missing equal sign",
			auth:    "AWS4-HMAC-SHA256 Credential=AKIAXXXXXXXXXX /20150620/us-east-1/cloudformation/aws4_request, SignedHeaders=host;x-amz-date, Signature=240c93ba3610c73bde4e52dd5a93dd61a80b3ba2871208d7365c9cc7032d5c6f",
			headers: withDate,
			code:    "IncompleteSignatureException",
			msg:     "'/20150620/us-east-1/cloudformation/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential=AKIAXXXXXXXXXX /20150620/us-east-1/cloudformation/aws4_request, SignedHeaders=host;x-amz-date, Signature=240c93ba3610c73bde4e52dd5a93dd61a80b3ba2871208d7365c9cc7032d5c6f'.",
		},
		{
			// mhart/dynalite index.js.
			name: "bare key", auth: "AWS4-HMAC-SHA256 Signature=b,    Credential,    SignedHeaders", headers: withDate,
			code: "IncompleteSignatureException",
			msg:  "'Credential' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Signature=b,    Credential,    SignedHeaders'.",
		},
		{
			name: "wrong algorithm", auth: "AWS4-HMAC-SHA25 Credential=" + goodCred + ", SignedHeaders=host, Signature=ab", headers: withDate,
			code: "IncompleteSignatureException", msg: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA25' (only AWS4-HMAC-SHA256 for now). ",
		},
		{
			name: "short credential", auth: "AWS4-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host, Signature=ab", headers: withDate,
			code: "IncompleteSignatureException", msg: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/c/d'",
		},
		{
			name: "trailing slashes do not count", auth: "AWS4-HMAC-SHA256 Credential=a/b/c/d//, SignedHeaders=host, Signature=ab", headers: withDate,
			code: "IncompleteSignatureException", msg: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/c/d//'",
		},
		{
			name: "long credential", auth: "AWS4-HMAC-SHA256 Credential=a/b/c/d/e/f, SignedHeaders=host, Signature=ab", headers: withDate,
			code: "IncompleteSignatureException", msg: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/c/d/e/f'",
		},
		{
			// mhart/dynalite index.js: "Got '201'".
			name: "bad X-Amz-Date", auth: "AWS4-HMAC-SHA256 Credential=" + goodCred + ", SignedHeaders=host, Signature=ab",
			headers: map[string]string{"X-Amz-Date": "201"},
			code:    "IncompleteSignatureException", msg: "Date must be in ISO-8601 'basic format'. Got '201'. See http://en.wikipedia.org/wiki/ISO_8601",
		},
		{
			name: "both forms", auth: "AWS4-HMAC-SHA256 Credential=" + goodCred + ", SignedHeaders=host, Signature=ab", headers: withDate,
			query: "X-Amz-Algorithm=AWS4-HMAC-SHA256",
			code:  "InvalidSignatureException", msg: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
		},
		{
			name: "query with algorithm only", query: "X-Amz-Algorithm=AWS4-HMAC-SHA256",
			code: "IncompleteSignatureException",
			msg:  "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.",
		},
		{
			name: "query with credential only", query: "X-Amz-Credential=" + url.QueryEscape(goodCred),
			code: "IncompleteSignatureException",
			msg:  "AWS query-string parameters must include 'X-Amz-Algorithm'. AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.",
		},
		{
			name:  "query with a bad algorithm",
			query: "X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&X-Amz-Credential=" + url.QueryEscape(goodCred) + "&X-Amz-Date=20240517T123456Z&X-Amz-SignedHeaders=host&X-Amz-Signature=ab",
			code:  "IncompleteSignatureException", msg: "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256' (only AWS4-HMAC-SHA256 for now). ",
		},
		{
			name:  "expires not a number",
			query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + url.QueryEscape(goodCred) + "&X-Amz-Date=20240517T123456Z&X-Amz-SignedHeaders=host&X-Amz-Signature=ab&X-Amz-Expires=soon",
			code:  "IncompleteSignatureException", msg: "X-Amz-Expires should be a number",
		},
		{
			name:  "expires over a week",
			query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + url.QueryEscape(goodCred) + "&X-Amz-Date=20240517T123456Z&X-Amz-SignedHeaders=host&X-Amz-Signature=ab&X-Amz-Expires=604801",
			code:  "IncompleteSignatureException", msg: "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse(request(tc.auth, tc.query, tc.headers))
			if a != nil {
				t.Fatalf("parsed %+v from a malformed request", a)
			}
			wantErr(t, err, tc.code, tc.msg)
		})
	}
}

func TestParseAccepted(t *testing.T) {
	at := time.Date(2024, 5, 17, 12, 34, 56, 0, time.UTC)
	tests := []struct {
		name, auth, query string
		headers           map[string]string
		want              *Auth
	}{
		{name: "no authentication", want: nil},
		{name: "blank header", auth: "   ", want: nil},
		{
			name:    "commas without spaces, upper-case signed headers",
			auth:    "AWS4-HMAC-SHA256 Credential=AKID/20240517/us-east-1/cognito-idp/aws4_request,SignedHeaders=Host;X-Amz-Date,Signature=abcd",
			headers: map[string]string{"X-Amz-Date": "20240517T123456Z", "X-Amz-Security-Token": "tok"},
			want: &Auth{AccessKeyID: "AKID", Date: "20240517", Region: "us-east-1", Service: "cognito-idp", Terminator: "aws4_request",
				SignedHeaders: []string{"host", "x-amz-date"}, Signature: "abcd", Time: at, SecurityToken: "tok"},
		},
		{
			name:    "Date header instead of X-Amz-Date, trailing slash, odd terminator",
			auth:    "AWS4-HMAC-SHA256 Credential=AKID/20240517/eu-west-1/svc/term/, SignedHeaders=date;host, Signature=ab",
			headers: map[string]string{"Date": "Fri, 17 May 2024 12:34:56 GMT"},
			want: &Auth{AccessKeyID: "AKID", Date: "20240517", Region: "eu-west-1", Service: "svc", Terminator: "term",
				SignedHeaders: []string{"date", "host"}, Signature: "ab", Time: at},
		},
		{
			name:  "presigned",
			query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240517%2Fus-east-1%2Fcognito-idp%2Faws4_request&X-Amz-Date=20240517T123456Z&X-Amz-Expires=300&X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Security-Token=a%2Bb&X-Amz-Signature=ab",
			want: &Auth{AccessKeyID: "AKID", Date: "20240517", Region: "us-east-1", Service: "cognito-idp", Terminator: "aws4_request",
				SignedHeaders: []string{"content-type", "host"}, Signature: "ab", Time: at, SecurityToken: "a+b", Presigned: true, Expires: 5 * time.Minute},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse(request(tc.auth, tc.query, tc.headers))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, tc.want) {
				t.Fatalf("got  %+v\nwant %+v", a, tc.want)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	var err error = &Error{Code: "InvalidSignatureException", Message: "nope"}
	if err.Error() != "InvalidSignatureException: nope" {
		t.Fatal(err.Error())
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatal("not an *Error")
	}
}
