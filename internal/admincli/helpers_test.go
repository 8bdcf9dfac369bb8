//go:build unix

package admincli_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cgip/cgip/internal/passhash"
	"github.com/cgip/cgip/internal/server"
)

const (
	rootKey    = "AKIAEXAMPLEROOTKEY01"
	rootSecret = "adminCliTestSecretAccessKey/0000000000000"
	region     = "us-east-1"
)

var (
	cgipBin   string // the real binary, built once
	serverURL string // a cgip server shared by the package's tests
)

// TestMain builds cgip once and starts one in-memory server; every test makes its own pool,
// so tests do not see each other's users.
func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "admincli-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	cgipBin = filepath.Join(dir, "cgip")
	build := exec.Command("go", "build", "-o", cgipBin, "github.com/cgip/cgip/cmd/cgip")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		return 1
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := server.New(ctx, server.Config{
		Listen: "127.0.0.1:0", Memory: true, Region: region, AccountID: "000000000000",
		RootAccessKeyID: rootKey, RootSecretAccessKey: rootSecret,
		PasswordHash: passhash.Params{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: 16},
		RecoveryRate: -1, // the bulk tests reset thousands of users a second
		Messages:     server.Messages{DailyEmailLimit: 1 << 30},
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, io.Discard)
	if err != nil {
		fmt.Fprintln(os.Stderr, "server.New:", err)
		cancel()
		return 1
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	serverURL = "http://" + srv.Addr()
	code := m.Run()
	cancel()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		fmt.Fprintln(os.Stderr, "the test server did not stop")
	}
	return code
}

// admin is the SDK client the tests use to set up and inspect the server.
func admin() *cip.Client {
	return cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(serverURL),
		Credentials: credentials.NewStaticCredentialsProvider(rootKey, rootSecret, ""),
		// A server that stops answering fails the test instead of stalling the package.
		HTTPClient: &http.Client{Timeout: 30 * time.Second}})
}

// fixture is a pool whose users are CONFIRMED with a verified email, so they can be reset.
type fixture struct {
	t    *testing.T
	pool string
}

func newFixture(t *testing.T, users ...string) *fixture {
	t.Helper()
	out, err := admin().CreateUserPool(context.Background(), &cip.CreateUserPoolInput{PoolName: aws.String(strings.ReplaceAll(t.Name(), "/", "-"))})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, pool: *out.UserPool.Id}
	f.addUsers(users...)
	return f
}

func (f *fixture) addUsers(users ...string) {
	f.t.Helper()
	ctx := context.Background()
	c := admin()
	for _, u := range users {
		if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &f.pool, Username: aws.String(u),
			MessageAction: types.MessageActionTypeSuppress,
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(u + "@example.com")},
				{Name: aws.String("email_verified"), Value: aws.String("true")}}}); err != nil {
			f.t.Fatal(err)
		}
		if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &f.pool, Username: aws.String(u),
			Password: aws.String("Original-Pw-1"), Permanent: true}); err != nil {
			f.t.Fatal(err)
		}
	}
}

// status is the user's status as the server sees it.
func (f *fixture) status(user string) types.UserStatusType {
	f.t.Helper()
	out, err := admin().AdminGetUser(context.Background(), &cip.AdminGetUserInput{UserPoolId: &f.pool, Username: aws.String(user)})
	if err != nil {
		f.t.Fatalf("AdminGetUser %s: %v", user, err)
	}
	return out.UserStatus
}

func (f *fixture) wantStatus(user string, want types.UserStatusType) {
	f.t.Helper()
	if got := f.status(user); got != want {
		f.t.Errorf("user %s is %s, want %s", user, got, want)
	}
}

// env is a clean environment for the child: no AWS_* from the machine, HOME and the config
// directory in a temp dir, and no EC2 metadata lookups (which would make "no credentials"
// tests wait for timeouts).
type env struct {
	dir  string
	vars map[string]string
}

func newEnv(t *testing.T) *env {
	dir := t.TempDir()
	return &env{dir: dir, vars: map[string]string{
		"PATH":                        os.Getenv("PATH"),
		"HOME":                        dir,
		"XDG_CONFIG_HOME":             filepath.Join(dir, "xdg"),
		"AWS_CONFIG_FILE":             filepath.Join(dir, "aws-config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "aws-credentials"),
		"AWS_EC2_METADATA_DISABLED":   "true",
		"CGIP_HISTORY_FILE":           filepath.Join(dir, "history"),
	}}
}

// withRootEnv adds the root credential and region as environment variables.
func (e *env) withRootEnv() *env {
	e.vars["AWS_ACCESS_KEY_ID"] = rootKey
	e.vars["AWS_SECRET_ACCESS_KEY"] = rootSecret
	e.vars["AWS_REGION"] = region
	return e
}

func (e *env) set(kv ...string) *env {
	for i := 0; i+1 < len(kv); i += 2 {
		e.vars[kv[i]] = kv[i+1]
	}
	return e
}

func (e *env) write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(e.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func (e *env) environ() []string {
	var out []string
	for k, v := range e.vars {
		out = append(out, k+"="+v)
	}
	return out
}

type result struct {
	stdout, stderr string
	code           int
	rusage         *syscall.Rusage
}

// run executes the cgip binary with stdin and waits for it. The child gets a new session, so
// it has no controlling terminal even when the tests run in one.
func (e *env) run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	// A hung child fails its test in a minute instead of stalling the package for ten.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cgipBin, args...)
	cmd.Env = e.environ()
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("running cgip: %v", err)
	}
	if ctx.Err() != nil {
		t.Fatalf("cgip %s did not finish within a minute; stderr:\n%s", strings.Join(args, " "), stderr.String())
	}
	r := result{stdout: stdout.String(), stderr: stderr.String(), code: cmd.ProcessState.ExitCode()}
	r.rusage, _ = cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return r
}

// want checks the exit code and, when given, exact stdout and stderr.
func (r result) want(t *testing.T, code int, stdout, stderr string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit code %d, want %d\nstdout: %q\nstderr: %q", r.code, code, r.stdout, r.stderr)
	}
	if r.stdout != stdout {
		t.Errorf("stdout:\n got %q\nwant %q", r.stdout, stdout)
	}
	if r.stderr != stderr {
		t.Errorf("stderr:\n got %q\nwant %q", r.stderr, stderr)
	}
}

// lockedBuffer collects a pseudo-terminal's output while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor polls buf until it contains s n times in all.
func waitFor(t *testing.T, buf *lockedBuffer, s string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(buf.String(), s) < n {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %q (x%d); terminal shows:\n%s", s, n, buf.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// parallelSetup creates many resettable users at once (the SDK client is safe for concurrent
// use), failing the test on the first error.
func parallelSetup(t *testing.T, f *fixture, users []string) {
	t.Helper()
	ctx := context.Background()
	c := admin()
	jobs := make(chan string)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range jobs {
				_, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &f.pool, Username: aws.String(u),
					MessageAction: types.MessageActionTypeSuppress,
					UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(u + "@example.com")},
						{Name: aws.String("email_verified"), Value: aws.String("true")}}})
				if err == nil {
					_, err = c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &f.pool, Username: aws.String(u),
						Password: aws.String("Original-Pw-1"), Permanent: true})
				}
				if err != nil {
					select {
					case errs <- fmt.Errorf("%s: %w", u, err):
					default:
					}
				}
			}
		}()
	}
	for _, u := range users {
		jobs <- u
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
}
