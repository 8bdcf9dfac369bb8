package main

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary compiles cgip once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "cgip")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestServeFromEnvironmentAndStopOnSIGTERM runs the real binary configured only through
// CGIP_* variables, checks /health and the dev-mode warning, and stops it with SIGTERM.
func TestServeFromEnvironmentAndStopOnSIGTERM(t *testing.T) {
	bin := buildBinary(t)
	addr := freePort(t)
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "CGIP_LISTEN="+addr, "CGIP_MEMORY=true", "CGIP_DEV=true", "CGIP_LOG_FORMAT=json")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	healthy := false
	for i := 0; i < 100 && !healthy; i++ {
		resp, err := http.Get("http://" + addr + "/health")
		if err == nil {
			healthy = resp.StatusCode == 200
			resp.Body.Close()
		}
		if !healthy {
			time.Sleep(50 * time.Millisecond)
		}
	}
	if !healthy {
		t.Fatalf("server never became healthy on %s:\n%s", addr, stderr.String())
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(12 * time.Second):
		t.Fatal("server did not stop within the 10 s grace period")
	}
	logs := stderr.String()
	for _, want := range []string{"WARNING: --dev is on", `"msg":"cgip listening"`, `"msg":"cgip stopped"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, logs)
		}
	}
}

func TestVersionAndBadFlags(t *testing.T) {
	bin := buildBinary(t)
	out, err := exec.Command(bin, "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "cgip ") {
		t.Fatalf("cgip version = %q, %v", out, err)
	}
	cmd := exec.Command(bin, "serve", "--memory", "--database", "postgres://x")
	b, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(b), "choose one storage") {
		t.Fatalf("conflicting storage flags: %v %s", err, b)
	}
	cmd = exec.Command(bin, "serve", "--no-such-flag")
	if err := cmd.Run(); err == nil {
		t.Fatal("an unknown flag was accepted")
	} else if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Fatalf("unknown flag: %v, want exit 2", err)
	}
}
