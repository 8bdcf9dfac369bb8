package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cgip/cgip/internal/server"
)

// readError decodes an AWS JSON 1.1 error response.
func readError(t *testing.T, resp *http.Response) (status int, typ, msg string) {
	t.Helper()
	var body struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatalf("error body %q is not JSON: %v", b, err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		t.Errorf("Content-Type = %q", ct)
	}
	if got := resp.Header.Get("x-amzn-ErrorType"); got != body.Type+":" {
		t.Errorf("x-amzn-ErrorType = %q, want %q", got, body.Type+":")
	}
	if resp.Header.Get("x-amzn-RequestId") == "" {
		t.Error("x-amzn-RequestId missing")
	}
	return resp.StatusCode, body.Type, body.Message
}

func TestWireProtocolErrors(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true, Dev: true})
	cases := []struct {
		name, target, body string
		status             int
		typ, msg           string
	}{
		{"not a cognito target", "", "{}", 400, "UnknownOperationException", ""},
		{"unknown operation", "FlyToTheMoon", "{}", 400, "UnknownOperationException", ""},
		{"not implemented yet", "AdminListDevices", `{"UserPoolId":"us-east-1_abc","Username":"u"}`, 501, "NotImplementedException", "cgip does not implement AdminListDevices yet"},
		{"malformed JSON", "DescribeUserPool", `{"UserPoolId":`, 400, "SerializationException", ""},
		{"wrong member type", "ListUserPools", `{"MaxResults":"ten"}`, 400, "SerializationException", ""},
		{"validation", "DescribeUserPool", `{"UserPoolId":"bad pool"}`, 400, "InvalidParameterException",
			"1 validation error detected: Value 'bad pool' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"},
		{"missing required", "DescribeUserPool", `{}`, 400, "InvalidParameterException",
			"1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"},
		{"missing pool", "DescribeUserPool", `{"UserPoolId":"us-east-1_missing1"}`, 400, "ResourceNotFoundException", "User pool us-east-1_missing1 does not exist."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, typ, msg := readError(t, ts.post(t, tc.target, tc.body, nil))
			if status != tc.status || typ != tc.typ || (tc.msg != "" && msg != tc.msg) {
				t.Fatalf("got %d %s %q, want %d %s %q", status, typ, msg, tc.status, tc.typ, tc.msg)
			}
		})
	}
	t.Run("body over 1 MiB", func(t *testing.T) {
		big := `{"PoolName":"` + strings.Repeat("a", 1<<20) + `"}`
		status, typ, _ := readError(t, ts.post(t, "CreateUserPool", big, nil))
		if status != http.StatusRequestEntityTooLarge || typ != "SerializationException" {
			t.Fatalf("got %d %s", status, typ)
		}
	})
}

func TestCORSPreflightAndHealth(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true, Dev: true})
	req, _ := http.NewRequest(http.MethodOptions, ts.URL+"/", nil)
	req.Header.Set("Origin", "http://localhost:3000")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type,x-amz-target,x-amz-user-agent")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "x-amz-target") ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Fatalf("preflight answered %d %v", resp.StatusCode, resp.Header)
	}
	r2 := ts.post(t, "ListUserPools", `{"MaxResults":1}`, map[string]string{"Origin": "http://localhost:3000"})
	if r2.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(r2.Header.Get("Access-Control-Expose-Headers"), "x-amzn-RequestId") {
		t.Fatalf("CORS headers on POST: %v", r2.Header)
	}

	h, err := http.Get(ts.URL + "/health")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(h.Body)
	h.Body.Close()
	if h.StatusCode != 200 || string(b) != `{"status":"ok"}` {
		t.Fatalf("health = %d %s", h.StatusCode, b)
	}
}

func TestSignatureVerification(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true})
	ctx := context.Background()
	in := &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)}

	if _, err := ts.rootClient().ListUserPools(ctx, in); err != nil {
		t.Fatalf("correctly signed request refused: %v", err)
	}
	_, err := ts.client("us-east-1", testAccessKey, "wrong-secret").ListUserPools(ctx, in)
	wantAPIError(t, err, "InvalidSignatureException",
		"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	_, err = ts.client("us-east-1", "AKIAUNKNOWNKEY000000", testSecretKey).ListUserPools(ctx, in)
	wantAPIError(t, err, "UnrecognizedClientException", "The security token included in the request is invalid.")

	status, typ, msg := readError(t, ts.post(t, "ListUserPools", `{"MaxResults":1}`, nil))
	if status != 400 || typ != "MissingAuthenticationTokenException" || msg != "Missing Authentication Token" {
		t.Fatalf("unsigned IAM request: %d %s %q", status, typ, msg)
	}

	// A signature made ten minutes ago is refused with AWS's "Signature expired" text.
	body := []byte(`{"MaxResults":1}`)
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.ListUserPools")
	sum := sha256.Sum256(body)
	signedAt := time.Now().UTC().Add(-10 * time.Minute)
	if err := v4.NewSigner().SignHTTP(ctx, aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey},
		req, hex.EncodeToString(sum[:]), "cognito-idp", "us-east-1", signedAt); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	status, typ, msg = readError(t, resp)
	re := regexp.MustCompile(`^Signature expired: ` + signedAt.Format("20060102T150405Z") + ` is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$`)
	if status != 400 || typ != "InvalidSignatureException" || !re.MatchString(msg) {
		t.Fatalf("stale signature: %d %s %q", status, typ, msg)
	}
}

func TestDevModeAcceptsAnyCredentials(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true, Dev: true})
	c := ts.client("ap-south-1", "anything", "at-all")
	out, err := c.CreateUserPool(context.Background(), &cip.CreateUserPoolInput{PoolName: aws.String("dev")})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(aws.ToString(out.UserPool.Id), "ap-south-1_") {
		t.Fatalf("dev-mode pool id %q should carry the signing region", aws.ToString(out.UserPool.Id))
	}
}

func TestAccessLogHasNoSecrets(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true})
	ctx := context.Background()
	c := ts.rootClient()
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("logs")})
	if err != nil {
		t.Fatal(err)
	}
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: aws.String("c"), GenerateSecret: true})
	if err != nil {
		t.Fatal(err)
	}
	logs := ts.Logs.String()
	for _, secret := range []string{testSecretKey, aws.ToString(cl.UserPoolClient.ClientSecret)} {
		if strings.Contains(logs, secret) {
			t.Fatalf("log contains a secret:\n%s", logs)
		}
	}
	if !strings.Contains(logs, "operation=CreateUserPoolClient") || !strings.Contains(logs, "status=200") || !strings.Contains(logs, "request_id=") {
		t.Fatalf("access log lacks the request line:\n%s", logs)
	}
}

// TestPresignedRequest: the SigV4 query form is accepted too (the Go SDK's presigner moves
// X-Amz-Target into the query string).
func TestPresignedRequest(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true})
	ctx := context.Background()
	body := []byte(`{"MaxResults":5}`)
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.ListUserPools")
	sum := sha256.Sum256(body)
	presign := func(secret string) *http.Response {
		u, hdr, err := v4.NewSigner().PresignHTTP(ctx, aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: secret},
			req, hex.EncodeToString(sum[:]), "cognito-idp", "us-east-1", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		preq, _ := http.NewRequest(http.MethodPost, u, bytes.NewReader(body))
		for k, v := range hdr {
			preq.Header[k] = v
		}
		preq.Header.Set("Content-Type", "application/x-amz-json-1.1")
		resp, err := http.DefaultTransport.RoundTrip(preq)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	if resp := presign(testSecretKey); resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("presigned request: %d %s", resp.StatusCode, b)
	}
	status, typ, _ := readError(t, presign("wrong"))
	if status != 400 || typ != "InvalidSignatureException" {
		t.Fatalf("presigned with a wrong secret: %d %s", status, typ)
	}
}

// A client that opened a connection and sent nothing on it (SDKs open connections ahead of
// need) does not hold up a stop: net/http's Shutdown alone would wait until the connection is
// 5 s old.
func TestStopClosesConnectionsWithoutARequest(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true})
	conn, err := net.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	time.Sleep(50 * time.Millisecond) // the server has accepted it
	start := time.Now()
	ts.stop()
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("stopping with an unused connection open took %v", took)
	}
}
