package cli

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cgip/cgip/internal/passhash"
	"github.com/cgip/cgip/internal/server"
)

// startServer runs an in-process server for the client commands to talk to.
func startServer(t *testing.T, dev bool) string {
	t.Helper()
	cfg := server.Config{Listen: "127.0.0.1:0", Memory: true, Dev: dev, Region: "us-east-1", AccountID: "000000000000",
		DataDir: filepath.Join(t.TempDir(), "d"), RootAccessKeyID: "AKIACLITEST000000001", RootSecretAccessKey: "cli-test-secret",
		PasswordHash: passhash.Params{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: 16}}
	srv, err := server.New(context.Background(), cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.Serve(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return "http://" + srv.Addr()
}

func TestMessagesCodePrintsTheLatestCode(t *testing.T) {
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	url := startServer(t, true)
	c := cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), Credentials: credentials.NewStaticCredentialsProvider("any", "thing", "")})
	ctx := context.Background()
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("cli")})
	if err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Run(ctx, append([]string{"messages"}, append(args, "--endpoint-url", url)...), nil, &out, &errb)
		return code, out.String(), errb.String()
	}
	if code, _, stderr := run("code", "--to", "ola@example.com"); code != 1 || !strings.Contains(stderr, "no code sent to ola@example.com") {
		t.Fatalf("no message yet: exit %d, %q", code, stderr)
	}
	// The invitation is created while `code --wait` is already waiting.
	go func() {
		time.Sleep(300 * time.Millisecond)
		c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool.UserPool.Id, Username: aws.String("ola"),
			TemporaryPassword: aws.String("Wait-For-Me-1"), UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("ola@example.com")}},
			DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}})
	}()
	code, stdout, stderr := run("code", "--to", "ola@example.com", "--wait", "10s")
	if code != 0 || stdout != "Wait-For-Me-1\n" {
		t.Fatalf("messages code: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, _ = run("list", "--user-pool-id", aws.ToString(pool.UserPool.Id))
	if code != 0 || !strings.Contains(stdout, `"Kind":"AdminCreateUser"`) {
		t.Fatalf("messages list: exit %d, %s", code, stdout)
	}
	if code, _, stderr := run("clear"); code != 0 {
		t.Fatalf("messages clear: %s", stderr)
	}
	if code, stdout, _ := run("list"); code != 0 || !strings.Contains(stdout, `"Messages":[]`) {
		t.Fatalf("after clear: %s", stdout)
	}
}

func TestMessagesSignedOutsideDev(t *testing.T) {
	url := startServer(t, false)
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIACLITEST000000001")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "cli-test-secret")
	var out, errb bytes.Buffer
	if code := Run(context.Background(), []string{"messages", "list", "--endpoint-url", url}, nil, &out, &errb); code != 0 {
		t.Fatalf("signed listing refused: %s", errb.String())
	}
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong")
	errb.Reset()
	if code := Run(context.Background(), []string{"messages", "list", "--endpoint-url", url}, nil, &out, &errb); code != 1 || !strings.Contains(errb.String(), "InvalidSignatureException") {
		t.Fatalf("wrong secret: exit %d, %q", code, errb.String())
	}
}
