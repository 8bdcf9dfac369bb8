package server_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// syncBuffer collects a child process's output safely.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// startBinary runs the real cgip binary and waits until it is healthy.
func startBinary(t *testing.T, bin string, args ...string) (*exec.Cmd, *syncBuffer, string) {
	t.Helper()
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, append([]string{"serve", "--listen", addr, "--password-hash-memory", "64", "--password-hash-time", "1"}, args...)...)
	cmd.Env = append(os.Environ(), "CGIP_ROOT_ACCESS_KEY_ID="+testAccessKey, "CGIP_ROOT_SECRET_ACCESS_KEY="+testSecretKey)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	ts := &testServer{URL: "http://" + addr}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return cmd, out, ts.URL
		}
		if time.Now().After(deadline) {
			t.Fatalf("cgip did not start:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestQueuedMessageSurvivesACrash: the invitation is committed with the user; the process is
// killed (SIGKILL) before the message could be delivered; after a restart it is delivered.
func TestQueuedMessageSurvivesACrash(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "cgip")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/cgip/cgip/cmd/cgip").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// An SMTP port where nothing listens yet: the first attempt fails and the message waits.
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	smtpAddr := l.Addr().String()
	l.Close()
	data := filepath.Join(t.TempDir(), "data")
	args := []string{"--data", data, "--smtp-url", "smtp://" + smtpAddr + "?tls=none"}

	cmd, out, url := startBinary(t, bin, args...)
	c := (&testServer{URL: url}).rootClient()
	ctx := context.Background()
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("crash")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool.UserPool.Id, Username: aws.String("nia"),
		TemporaryPassword: aws.String("Crash-Pass-1"), UserAttributes: attrs("email", "nia@example.com"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}}); err != nil {
		t.Fatal(err)
	}
	// Wait for the failed first attempt, so the message is queued for a retry, then crash.
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "attempt=1") {
		if time.Now().After(deadline) {
			t.Fatalf("no delivery attempt:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	sink := startSMTPSinkAt(t, smtpAddr)
	startBinary(t, bin, args...)
	raw := sink.wait(t, 1)[0]
	if !strings.Contains(raw, "Crash-Pass-1") || !strings.Contains(raw, "nia@example.com") {
		t.Fatalf("delivered after the restart:\n%s", raw)
	}
}
