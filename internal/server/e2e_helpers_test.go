package server_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cgip/cgip/internal/server"
	"github.com/cgip/cgip/internal/store/storetest"
)

const (
	testAccessKey = "AKIAEXAMPLEROOTKEY01"
	testSecretKey = "testSecretAccessKey/for/cgip/e2e/tests000"
)

// testServer is a real cgip server on a loopback port, served over HTTP.
type testServer struct {
	URL  string
	Logs *logBuffer
	srv  *server.Server
	stop func()
}

// startServer runs a server with cfg (zero fields get test defaults) until the test ends.
func startServer(t testing.TB, cfg server.Config) *testServer {
	t.Helper()
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	if cfg.DataDir == "" {
		cfg.DataDir = filepath.Join(t.TempDir(), "data")
	}
	if cfg.Region == "" {
		cfg.Region = server.DefaultRegion
	}
	if cfg.AccountID == "" {
		cfg.AccountID = server.DefaultAccountID
	}
	if cfg.RootAccessKeyID == "" && !cfg.Dev {
		cfg.RootAccessKeyID, cfg.RootSecretAccessKey = testAccessKey, testSecretKey
	}
	logs := &logBuffer{}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	}
	srv, err := server.New(context.Background(), cfg, io.Discard)
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	ts := &testServer{URL: "http://" + srv.Addr(), Logs: logs, srv: srv}
	ts.stop = func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("server did not stop")
		}
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			ts.stop()
		}
	})
	orig := ts.stop
	ts.stop = func() { stopped = true; orig() }
	return ts
}

// client is the AWS SDK for Go v2 Cognito client pointed at the server.
func (ts *testServer) client(region, accessKey, secretKey string) *cip.Client {
	return cip.New(cip.Options{
		Region:       region,
		BaseEndpoint: aws.String(ts.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(accessKey, secretKey, ""),
		// The SDK's default retries stay on: on loopback the server answers so fast that Go's
		// transport now and then closes a connection under a response, and the SDK retries that
		// (net.ErrClosed, aws-sdk-go-v2 #2737); cgip's 4xx errors are never retried.
	})
}

func (ts *testServer) rootClient() *cip.Client {
	return ts.client("us-east-1", testAccessKey, testSecretKey)
}

// post sends a raw AWS JSON 1.1 request (unsigned unless headers carry a signature).
func (ts *testServer) post(t *testing.T, target string, body string, headers map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/", bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if target != "" {
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+target)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// wantAPIError checks that err is the Cognito error code with exactly message.
func wantAPIError(t *testing.T, err error, code, message string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want %s %q, got %v", code, message, err)
	}
	if ae.ErrorCode() != code || ae.ErrorMessage() != message {
		t.Fatalf("want %s %q,\n got %s %q", code, message, ae.ErrorCode(), ae.ErrorMessage())
	}
}

// logBuffer collects the server's log safely while it runs.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func containsBytes(b []byte, s string) bool { return bytes.Contains(b, []byte(s)) }

// afterLine returns what follows marker in text, up to the end of that line.
func afterLine(text, marker string) string {
	_, rest, ok := strings.Cut(text, marker)
	if !ok {
		return ""
	}
	line, _, _ := strings.Cut(rest, "\n")
	return line
}

// eachBackend runs test on an in-memory SQLite server and, when CGIP_TEST_POSTGRES_URL is
// set, on a PostgreSQL one (a fresh schema), so end-to-end behaviour is checked on both.
func eachBackend(t *testing.T, cfg server.Config, test func(t *testing.T, ts *testServer)) {
	t.Run("sqlite", func(t *testing.T) {
		c := cfg
		c.Memory = true
		test(t, startServer(t, c))
	})
	t.Run("postgres", func(t *testing.T) {
		c := cfg
		c.Database = storetest.PostgresSchema(t, storetest.PostgresURL(t))
		test(t, startServer(t, c))
	})
}
