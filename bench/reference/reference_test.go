package reference

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cgip/cgip/internal/passhash"
)

const (
	testKey    = "AKIATESTREFERENCE001"
	testSecret = "reference-test-secret"
)

// cheap keeps argon2id fast in tests.
var cheap = passhash.Params{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: 16}

func newTestServer(t *testing.T, bare bool) *httptest.Server {
	t.Helper()
	ref, err := New(Config{AccessKeyID: testKey, Secret: testSecret, DBPath: filepath.Join(t.TempDir(), "ref.db"), Hash: cheap, Code: "111222", Bare: bare})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(ref)
	t.Cleanup(func() { ts.Close(); ref.Close() })
	return ts
}

// call sends one cognito-idp request, signed with secret when it is not empty.
func call(t *testing.T, url, op, secret string, in any) (int, map[string]any) {
	t.Helper()
	body, _ := json.Marshal(in)
	req, _ := http.NewRequest(http.MethodPost, url+"/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	if secret != "" {
		sum := sha256.Sum256(body)
		creds := aws.Credentials{AccessKeyID: testKey, SecretAccessKey: secret}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "cognito-idp", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: answer %q is not JSON: %v", op, b, err)
	}
	return resp.StatusCode, out
}

func TestSignatureIsChecked(t *testing.T) {
	ts := newTestServer(t, false)
	status, out := call(t, ts.URL, "CreateUserPool", testSecret, map[string]any{"PoolName": "p"})
	if status != 200 {
		t.Fatalf("signed CreateUserPool = %d %v", status, out)
	}
	pool := out["UserPool"].(map[string]any)["Id"].(string)

	status, out = call(t, ts.URL, "DescribeUserPool", testSecret, map[string]any{"UserPoolId": pool})
	if status != 200 || out["UserPool"].(map[string]any)["Id"] != pool {
		t.Fatalf("signed DescribeUserPool = %d %v", status, out)
	}
	status, out = call(t, ts.URL, "DescribeUserPool", "wrong-secret", map[string]any{"UserPoolId": pool})
	if status == 200 || out["__type"] != "InvalidSignatureException" {
		t.Fatalf("badly signed DescribeUserPool = %d %v, want InvalidSignatureException", status, out)
	}
	status, out = call(t, ts.URL, "DescribeUserPool", "", map[string]any{"UserPoolId": pool})
	if status == 200 || out["__type"] != "MissingAuthenticationTokenException" {
		t.Fatalf("unsigned DescribeUserPool = %d %v, want MissingAuthenticationTokenException", status, out)
	}
	status, out = call(t, ts.URL, "NoSuchOperation", testSecret, map[string]any{})
	if status == 200 || out["__type"] != "UnknownOperationException" {
		t.Fatalf("unknown operation = %d %v", status, out)
	}
}

func TestOperations(t *testing.T) {
	ts := newTestServer(t, false)
	_, out := call(t, ts.URL, "CreateUserPool", testSecret, map[string]any{"PoolName": "p"})
	pool := out["UserPool"].(map[string]any)["Id"].(string)
	_, out = call(t, ts.URL, "CreateUserPoolClient", testSecret, map[string]any{"UserPoolId": pool, "ClientName": "c"})
	client := out["UserPoolClient"].(map[string]any)["ClientId"].(string)
	for _, u := range []string{"u0000120", "u0000121", "u0000130"} {
		if status, out := call(t, ts.URL, "AdminCreateUser", testSecret, map[string]any{"UserPoolId": pool, "Username": u,
			"UserAttributes": []map[string]string{{"Name": "email", "Value": u + "@example.com"}}}); status != 200 {
			t.Fatalf("AdminCreateUser = %d %v", status, out)
		}
	}
	if status, out := call(t, ts.URL, "AdminCreateUser", testSecret, map[string]any{"UserPoolId": pool, "Username": "u0000120"}); out["__type"] != "UsernameExistsException" {
		t.Fatalf("duplicate AdminCreateUser = %d %v", status, out)
	}
	if status, out := call(t, ts.URL, "AdminGetUser", testSecret, map[string]any{"UserPoolId": pool, "Username": "u0000121"}); status != 200 || out["UserStatus"] != "FORCE_CHANGE_PASSWORD" {
		t.Fatalf("AdminGetUser = %d %v", status, out)
	}
	if _, out := call(t, ts.URL, "AdminGetUser", testSecret, map[string]any{"UserPoolId": pool, "Username": "nobody"}); out["__type"] != "UserNotFoundException" {
		t.Fatalf("AdminGetUser of nobody = %v", out)
	}
	_, out = call(t, ts.URL, "ListUsers", testSecret, map[string]any{"UserPoolId": pool, "Filter": `email ^= "u000012"`})
	if users := out["Users"].([]any); len(users) != 2 {
		t.Fatalf("ListUsers prefix = %v, want 2 users", out)
	}

	if status, out := call(t, ts.URL, "AdminSetUserPassword", testSecret, map[string]any{"UserPoolId": pool, "Username": "u0000120", "Password": "Old-Passw0rd!", "Permanent": true}); status != 200 {
		t.Fatalf("AdminSetUserPassword = %d %v", status, out)
	}
	auth := func(password string) (int, map[string]any) {
		return call(t, ts.URL, "InitiateAuth", "", map[string]any{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client,
			"AuthParameters": map[string]string{"USERNAME": "u0000120", "PASSWORD": password}})
	}
	if status, out := auth("Old-Passw0rd!"); status != 200 || out["AuthenticationResult"] == nil {
		t.Fatalf("InitiateAuth = %d %v", status, out)
	}
	if _, out := auth("wrong"); out["__type"] != "NotAuthorizedException" {
		t.Fatalf("InitiateAuth with a wrong password = %v", out)
	}
	if status, out := call(t, ts.URL, "AdminResetUserPassword", testSecret, map[string]any{"UserPoolId": pool, "Username": "u0000120"}); status != 200 {
		t.Fatalf("AdminResetUserPassword = %d %v", status, out)
	}
	if _, out := auth("Old-Passw0rd!"); out["__type"] != "PasswordResetRequiredException" {
		t.Fatalf("InitiateAuth after reset = %v", out)
	}
	confirm := func(code string) (int, map[string]any) {
		return call(t, ts.URL, "ConfirmForgotPassword", "", map[string]any{"ClientId": client, "Username": "u0000120",
			"ConfirmationCode": code, "Password": "New-Passw0rd!"})
	}
	if _, out := confirm("999999"); out["__type"] != "CodeMismatchException" {
		t.Fatalf("ConfirmForgotPassword with a wrong code = %v", out)
	}
	if status, out := confirm("111222"); status != 200 {
		t.Fatalf("ConfirmForgotPassword = %d %v", status, out)
	}
	if _, out := confirm("111222"); out["__type"] != "CodeMismatchException" {
		t.Fatalf("second ConfirmForgotPassword with the same code = %v, want a refusal", out)
	}
	if status, out := auth("New-Passw0rd!"); status != 200 {
		t.Fatalf("InitiateAuth with the new password = %d %v", status, out)
	}
	if status, out := call(t, ts.URL, "ForgotPassword", "", map[string]any{"ClientId": client, "Username": "u0000121"}); status != 200 || out["CodeDeliveryDetails"] == nil {
		t.Fatalf("ForgotPassword = %d %v", status, out)
	}
}

func TestBare(t *testing.T) {
	ts := newTestServer(t, true)
	status, out := call(t, ts.URL, "AdminGetUser", "", map[string]any{"UserPoolId": "x", "Username": "y"})
	if status != 200 || len(out) != 0 {
		t.Fatalf("bare = %d %v, want 200 {}", status, out)
	}
}
