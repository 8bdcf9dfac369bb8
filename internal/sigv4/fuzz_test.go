package sigv4

import (
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// FuzzParseAuthorization feeds arbitrary Authorization headers and query
// strings to Parse, and to Verify whenever Parse succeeds: neither may panic,
// and every failure must be an *Error with a code.
func FuzzParseAuthorization(f *testing.F) {
	seeds := []struct{ auth, query, path string }{
		{"AWS4-HMAC-SHA256 Credential=AKID/20240517/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd", "", "/"},
		{"AWS4-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=, Signature=", "", "/"},
		{"AWS4-HMAC-SHA256 Signature=b,    Credential,    SignedHeaders", "", "/"},
		{"AWS4-", "a=%zz&b", "/a/../b//c"},
		{"Bearer x", "", "/"},
		{"", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240517%2Fus-east-1%2Fcognito-idp%2Faws4_request&X-Amz-Date=20240517T123456Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=ab", "/%2e%2E/x"},
		{"", "X-Amz-Credential=////////", "/"},
		{"AWS4-HMAC-SHA256 Credential=AKID/20240517/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd", "X-Amz-Algorithm=x", "/"},
	}
	for _, s := range seeds {
		f.Add(s.auth, s.query, s.path, "20240517T123456Z")
	}
	f.Fuzz(func(t *testing.T, auth, query, path, amzDate string) {
		r := &http.Request{
			Method: http.MethodPost,
			URL:    &url.URL{Path: path, RawQuery: query},
			Host:   "cognito-idp.us-east-1.amazonaws.com",
			Header: http.Header{"Authorization": {auth}, "X-Amz-Date": {amzDate}, "X-Custom": {" a\t b  "}},
		}
		a, err := Parse(r)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code == "" || a != nil {
				t.Fatalf("Parse returned %v, %v", a, err)
			}
			return
		}
		if a == nil {
			return
		}
		for _, now := range []time.Time{a.Time, time.Date(2024, 5, 17, 12, 0, 0, 0, time.UTC)} {
			if err := Verify(r, []byte(query), a, "secret", now); err != nil {
				var e *Error
				if !errors.As(err, &e) || e.Code == "" {
					t.Fatalf("Verify returned %v", err)
				}
			}
		}
		_ = CheckScope(a, "cognito-idp")
		_ = CheckRegion(a, "us-east-1")
	})
}
