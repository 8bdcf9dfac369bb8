package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	testKeyID  = "AKIDEXAMPLE"
	testSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	testToken  = "FQoGZXIvYXdzEXAMPLETOKEN//////////wEaDEXAMPLE="
	service    = "cognito-idp"
)

var signedAt = time.Date(2024, 5, 17, 12, 34, 56, 0, time.UTC)

func creds(token string) aws.Credentials {
	return aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret, SessionToken: token}
}

func hashHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// cognitoRequest builds what the Cognito client sends: a JSON POST to "/".
func cognitoRequest(t testing.TB, region, target string, body []byte) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, "https://cognito-idp."+region+".amazonaws.com/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+target)
	r.Header.Set("User-Agent", "aws-sdk-go-v2/1.48.0 os/linux lang/go#1.26")
	return r
}

func signHeader(t testing.TB, r *http.Request, body []byte, c aws.Credentials, svc, region string, at time.Time) {
	t.Helper()
	if err := v4.NewSigner().SignHTTP(context.Background(), c, r, hashHex(body), svc, region, at); err != nil {
		t.Fatal(err)
	}
}

// presign returns the request a holder of the presigned URL would send.
func presign(t testing.TB, r *http.Request, body []byte, payloadHash string, c aws.Credentials, region string, at time.Time) *http.Request {
	t.Helper()
	uri, hdr, err := v4.NewSigner().PresignHTTP(context.Background(), c, r, payloadHash, service, region, at)
	if err != nil {
		t.Fatal(err)
	}
	out, err := http.NewRequest(r.Method, uri, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		if k != "Host" {
			out.Header[k] = v
		}
	}
	return out
}

func parseVerify(r *http.Request, body []byte, secret string, now time.Time) (*Auth, error) {
	a, err := Parse(r)
	if err != nil {
		return nil, err
	}
	if a == nil {
		return nil, errors.New("no authentication parsed")
	}
	return a, Verify(r, body, a, secret, now)
}

func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v, want %s: %s", err, code, msg)
	}
	if e.Code != code || e.Message != msg {
		t.Fatalf("got\n  %s: %q\nwant\n  %s: %q", e.Code, e.Message, code, msg)
	}
}

func TestSDKSignedHeaderRequests(t *testing.T) {
	body := []byte(`{"UserPoolId":"us-east-1_EXAMPLE","Username":"alice"}`)
	for _, region := range []string{"us-east-1", "eu-west-1", "ap-southeast-2"} {
		for _, token := range []string{"", testToken} {
			t.Run(region+"/token="+boolStr(token != ""), func(t *testing.T) {
				r := cognitoRequest(t, region, "AdminGetUser", body)
				signHeader(t, r, body, creds(token), service, region, signedAt)

				a, err := parseVerify(r, body, testSecret, signedAt.Add(4*time.Minute))
				if err != nil {
					t.Fatal(err)
				}
				if a.AccessKeyID != testKeyID || a.Region != region || a.Service != service ||
					a.Date != "20240517" || !a.Time.Equal(signedAt) || a.SecurityToken != token || a.Presigned {
					t.Fatalf("parsed %+v", a)
				}
				if err := CheckScope(a, service); err != nil {
					t.Fatal(err)
				}
				if err := CheckRegion(a, region); err != nil {
					t.Fatal(err)
				}
				for _, h := range a.SignedHeaders {
					if h == "user-agent" {
						t.Fatal("the SDK does not sign User-Agent")
					}
				}

				// An unsigned header may change.
				r.Header.Set("User-Agent", "something else")
				if err := Verify(r, body, a, testSecret, signedAt); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

func boolStr(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func TestTamperedHeaderRequests(t *testing.T) {
	body := []byte(`{"UserPoolId":"eu-west-1_EXAMPLE","Username":"alice"}`)
	const region = "eu-west-1"
	fresh := func() *http.Request {
		r := cognitoRequest(t, region, "AdminGetUser", body)
		signHeader(t, r, body, creds(testToken), service, region, signedAt)
		return r
	}
	mismatch := func(t *testing.T, err error) {
		t.Helper()
		wantErr(t, err, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	}

	t.Run("body", func(t *testing.T) {
		_, err := parseVerify(fresh(), []byte(`{"UserPoolId":"eu-west-1_EXAMPLE","Username":"mallory"}`), testSecret, signedAt)
		mismatch(t, err)
	})
	t.Run("target", func(t *testing.T) {
		r := fresh()
		r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminDeleteUser")
		_, err := parseVerify(r, body, testSecret, signedAt)
		mismatch(t, err)
	})
	t.Run("secret", func(t *testing.T) {
		_, err := parseVerify(fresh(), body, "not-the-secret", signedAt)
		mismatch(t, err)
	})
	t.Run("session token", func(t *testing.T) {
		r := fresh()
		r.Header.Set("X-Amz-Security-Token", "another-token")
		_, err := parseVerify(r, body, testSecret, signedAt)
		mismatch(t, err)
	})
	t.Run("region in credential", func(t *testing.T) {
		r := fresh()
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/eu-west-1/", "/us-west-2/", 1))
		a, err := parseVerify(r, body, testSecret, signedAt)
		mismatch(t, err)
		a, _ = Parse(r)
		wantErr(t, CheckRegion(a, region), "InvalidSignatureException", "Credential should be scoped to a valid region, not 'us-west-2'. ")
	})
	t.Run("date +6 min", func(t *testing.T) {
		_, err := parseVerify(fresh(), body, testSecret, signedAt.Add(6*time.Minute))
		wantErr(t, err, "InvalidSignatureException", "Signature expired: 20240517T123456Z is now earlier than 20240517T123556Z (20240517T124056Z - 5 min.)")
	})
	t.Run("date -6 min", func(t *testing.T) {
		_, err := parseVerify(fresh(), body, testSecret, signedAt.Add(-6*time.Minute))
		wantErr(t, err, "InvalidSignatureException", "Signature not yet current: 20240517T123456Z is still later than 20240517T123356Z (20240517T122856Z + 5 min.)")
	})
	t.Run("date edited", func(t *testing.T) {
		r := fresh()
		r.Header.Set("X-Amz-Date", "20240517T123457Z")
		_, err := parseVerify(r, body, testSecret, signedAt)
		mismatch(t, err)
	})
	t.Run("date moved past the scope day", func(t *testing.T) {
		r := fresh()
		r.Header.Set("X-Amz-Date", "20240518T123456Z")
		_, err := parseVerify(r, body, testSecret, signedAt.Add(24*time.Hour))
		wantErr(t, err, "InvalidSignatureException", "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240517' != '20240518', from '20240518T123456Z'.")
	})
	t.Run("body hash header that lies", func(t *testing.T) {
		r := cognitoRequest(t, region, "AdminGetUser", body)
		r.Header.Set("X-Amz-Content-Sha256", hashHex(body))
		signHeader(t, r, body, creds(""), service, region, signedAt)
		if _, err := parseVerify(r, body, testSecret, signedAt); err != nil {
			t.Fatal(err)
		}
		_, err := parseVerify(r, []byte(`{}`), testSecret, signedAt)
		mismatch(t, err)
	})
}

func TestScopeChecks(t *testing.T) {
	body := []byte(`{}`)
	r := cognitoRequest(t, "us-east-1", "ListUserPools", body)
	signHeader(t, r, body, creds(""), "cognito-identity", "us-east-1", signedAt)
	a, err := parseVerify(r, body, testSecret, signedAt)
	if err != nil {
		t.Fatal(err) // correctly signed, just for another service
	}
	wantErr(t, CheckScope(a, service), "InvalidSignatureException", "Credential should be scoped to correct service: 'cognito-idp'. ")

	a.Terminator = "aws5_request"
	wantErr(t, CheckScope(a, service), "InvalidSignatureException",
		"Credential should be scoped to correct service: 'cognito-idp'. Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ")
	a.Date = "20240516"
	wantErr(t, Verify(r, body, a, testSecret, signedAt), "InvalidSignatureException",
		"Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240516' != '20240517', from '20240517T123456Z'.")

	a, _ = Parse(r)
	a.SignedHeaders = []string{"content-type", "x-amz-date"}
	wantErr(t, Verify(r, body, a, testSecret, signedAt), "InvalidSignatureException",
		"'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")

	wantErr(t, Verify(r, body, nil, testSecret, signedAt), "MissingAuthenticationTokenException", "Request is missing Authentication Token")
}

func TestSDKPresigned(t *testing.T) {
	body := []byte(`{"ClientId":"example","AuthFlow":"USER_PASSWORD_AUTH"}`)
	for _, region := range []string{"us-east-1", "eu-central-1"} {
		for _, token := range []string{"", testToken} {
			t.Run(region+"/token="+boolStr(token != ""), func(t *testing.T) {
				r := cognitoRequest(t, region, "AdminInitiateAuth", body)
				r.URL.RawQuery = "X-Amz-Expires=900"
				p := presign(t, r, body, hashHex(body), creds(token), region, signedAt)

				a, err := parseVerify(p, body, testSecret, signedAt.Add(14*time.Minute))
				if err != nil {
					t.Fatal(err)
				}
				if !a.Presigned || a.Expires != 15*time.Minute || a.SecurityToken != token || a.Region != region {
					t.Fatalf("parsed %+v", a)
				}
				if p.Header.Get("Authorization") != "" {
					t.Fatal("a presigned request carries no Authorization header")
				}

				_, err = parseVerify(p, body, testSecret, signedAt.Add(15*time.Minute+time.Second))
				wantErr(t, err, "AccessDeniedException", "Request has expired")
				_, err = parseVerify(p, body, testSecret, signedAt.Add(-6*time.Minute))
				wantErr(t, err, "InvalidSignatureException", "Signature not yet current: 20240517T123456Z is still later than 20240517T123356Z (20240517T122856Z + 5 min.)")
				_, err = parseVerify(p, []byte(`{"tampered":true}`), testSecret, signedAt)
				wantErr(t, err, "InvalidSignatureException", msgSignatureMismatch)
				_, err = parseVerify(p, body, "wrong", signedAt)
				wantErr(t, err, "InvalidSignatureException", msgSignatureMismatch)

				// The expiry is signed: stretching it breaks the signature.
				p.URL.RawQuery = strings.Replace(p.URL.RawQuery, "X-Amz-Expires=900", "X-Amz-Expires=9000", 1)
				_, err = parseVerify(p, body, testSecret, signedAt)
				wantErr(t, err, "InvalidSignatureException", msgSignatureMismatch)
			})
		}
	}

	t.Run("unsigned payload", func(t *testing.T) {
		r := cognitoRequest(t, "us-east-1", "AdminInitiateAuth", body)
		p := presign(t, r, body, unsignedPayload, creds(""), "us-east-1", signedAt)
		if _, err := parseVerify(p, []byte("any body at all"), testSecret, signedAt); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("no X-Amz-Expires gets the 5 minute window", func(t *testing.T) {
		r := cognitoRequest(t, "us-east-1", "AdminInitiateAuth", body)
		p := presign(t, r, body, hashHex(body), creds(""), "us-east-1", signedAt)
		if _, err := parseVerify(p, body, testSecret, signedAt.Add(5*time.Minute)); err != nil {
			t.Fatal(err)
		}
		_, err := parseVerify(p, body, testSecret, signedAt.Add(6*time.Minute))
		wantErr(t, err, "InvalidSignatureException", "Signature expired: 20240517T123456Z is now earlier than 20240517T123556Z (20240517T124056Z - 5 min.)")
	})
}

// TestOverTheWire sends SDK-signed requests through a real net/http server,
// which moves Host to r.Host and keeps Content-Length in the header map.
func TestOverTheWire(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		a, err := Parse(r)
		if err == nil && a == nil {
			err = errors.New("no auth")
		}
		if err == nil {
			err = Verify(r, body, a, testSecret, signedAt.Add(time.Minute))
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
		}
	}))
	defer srv.Close()

	send := func(t *testing.T, r *http.Request) {
		t.Helper()
		resp, err := srv.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("server said %d: %s", resp.StatusCode, msg)
		}
	}
	body := []byte(`{"UserPoolId":"us-east-1_EXAMPLE"}`)
	newReq := func() *http.Request {
		r, _ := http.NewRequest(http.MethodPost, srv.URL+"/", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-amz-json-1.1")
		r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.DescribeUserPool")
		return r
	}

	t.Run("header", func(t *testing.T) {
		r := newReq()
		signHeader(t, r, body, creds(testToken), service, "us-east-1", signedAt)
		send(t, r)
	})
	t.Run("presigned", func(t *testing.T) {
		r := newReq()
		r.URL.RawQuery = "X-Amz-Expires=60"
		send(t, presign(t, r, body, hashHex(body), creds(testToken), "us-east-1", signedAt))
	})
}

// TestCanonicalForms covers what Cognito's "/" never exercises.
func TestCanonicalForms(t *testing.T) {
	body := []byte("x")
	t.Run("query", func(t *testing.T) {
		r, _ := http.NewRequest(http.MethodGet, "https://example.amazonaws.com/p?b=2&a=1&a=0&c=x%2Fy&d=a+b&e=%7E&f", nil)
		signHeader(t, r, nil, creds(""), service, "us-east-1", signedAt)
		if _, err := parseVerify(r, nil, testSecret, signedAt); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("escaped path, Go SDK form", func(t *testing.T) {
		r, _ := http.NewRequest(http.MethodPost, "https://example.amazonaws.com/a/./b//c/../d%20e/%C3%A9", bytes.NewReader(body))
		signHeader(t, r, body, creds(""), service, "us-east-1", signedAt)
		if _, err := parseVerify(r, body, testSecret, signedAt); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("normalised path, botocore and JavaScript form", func(t *testing.T) {
		r, _ := http.NewRequest(http.MethodPost, "https://example.amazonaws.com/a/b/d%20e/", bytes.NewReader(body))
		signHeader(t, r, body, creds(""), service, "us-east-1", signedAt)
		r.URL, _ = url.Parse("https://example.amazonaws.com/a/./b//c/../d%20e/")
		if _, err := parseVerify(r, body, testSecret, signedAt); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("header whitespace, Go SDK form", func(t *testing.T) {
		r, _ := http.NewRequest(http.MethodPost, "https://example.amazonaws.com/", bytes.NewReader(body))
		r.Header.Set("X-Custom", "  a\t\tb   c  ")
		r.Header.Add("X-Custom", "second")
		signHeader(t, r, body, creds(""), service, "us-east-1", signedAt)
		if _, err := parseVerify(r, body, testSecret, signedAt); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("header whitespace, botocore and JavaScript form", func(t *testing.T) {
		r, _ := http.NewRequest(http.MethodPost, "https://example.amazonaws.com/", bytes.NewReader(body))
		r.Header.Set("X-Custom", "a b")
		signHeader(t, r, body, creds(""), service, "us-east-1", signedAt)
		r.Header.Set("X-Custom", "a \t b")
		if _, err := parseVerify(r, body, testSecret, signedAt); err != nil {
			t.Fatal(err)
		}
	})
}

// TestAWSTestSuiteVanilla checks the "get-vanilla" case of AWS's SigV4 test
// suite without the SDK, so a bug shared with the SDK's helpers cannot hide.
func TestAWSTestSuiteVanilla(t *testing.T) {
	r, _ := http.NewRequest(http.MethodGet, "https://example.amazonaws.com/", nil)
	r.Header.Set("X-Amz-Date", "20150830T123600Z")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
	if _, err := parseVerify(r, nil, testSecret, time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkVerify(b *testing.B) {
	body := []byte(`{"UserPoolId":"us-east-1_EXAMPLE","Username":"alice"}`)
	r := cognitoRequest(b, "us-east-1", "AdminGetUser", body)
	signHeader(b, r, body, creds(testToken), service, "us-east-1", signedAt)
	a, err := Parse(r)
	if err != nil {
		b.Fatal(err)
	}
	if err := Verify(r, body, a, testSecret, signedAt); err != nil { // warms the key cache
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := Verify(r, body, a, testSecret, signedAt); err != nil {
			b.Fatal(err)
		}
	}
}
