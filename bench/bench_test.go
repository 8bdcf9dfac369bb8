package main

import (
	"bytes"
	"context"
	"io"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cgip/cgip/bench/reference"
	"github.com/cgip/cgip/internal/passhash"
	"github.com/cgip/cgip/internal/sigv4"
)

func TestHistogramBuckets(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 100000; i++ {
		v := r.Int63n(1 << uint(r.Intn(62)+1))
		b := bucketOf(v)
		if b < 0 || b >= histBuckets {
			t.Fatalf("bucketOf(%d) = %d, outside [0, %d)", v, b, histBuckets)
		}
		lo, hi := bucketRange(b)
		if v < lo || v > hi {
			t.Fatalf("bucketOf(%d) = %d, whose range is [%d, %d]", v, b, lo, hi)
		}
		if width := hi - lo + 1; v >= subCount && width*64 > v {
			t.Fatalf("bucket of %d is %d wide: more than 1/64 of the value", v, width)
		}
	}
	for _, v := range []int64{0, 1, 127, 128, 129, 255, 256, 1<<62 + 12345, 1<<63 - 1} {
		lo, hi := bucketRange(bucketOf(v))
		if v < lo || v > hi {
			t.Errorf("bucketOf(%d): range [%d, %d]", v, lo, hi)
		}
	}
}

func TestHistogramPercentiles(t *testing.T) {
	var h histogram
	if h.percentile(0.5) != 0 {
		t.Fatal("empty histogram: want 0")
	}
	// 1 ms .. 1000 ms, each once, split over two histograms merged.
	var other histogram
	for i := 1; i <= 1000; i++ {
		if i%2 == 0 {
			h.record(time.Duration(i) * time.Millisecond)
		} else {
			other.record(time.Duration(i) * time.Millisecond)
		}
	}
	h.merge(&other)
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 500 * time.Millisecond}, {0.9, 900 * time.Millisecond}, {0.99, 990 * time.Millisecond}, {1, 1000 * time.Millisecond}, {0.001, time.Millisecond}} {
		got := h.percentile(tc.q)
		if got < tc.want || float64(got) > float64(tc.want)*1.016 {
			t.Errorf("p%g = %v, want %v to %v", tc.q*100, got, tc.want, time.Duration(float64(tc.want)*1.016))
		}
	}
	if h.total != 1000 || time.Duration(h.max) != time.Second || time.Duration(h.min) != time.Millisecond {
		t.Errorf("total %d min %v max %v", h.total, time.Duration(h.min), time.Duration(h.max))
	}
	if m := h.mean(); m < 500*time.Millisecond || m > 501*time.Millisecond {
		t.Errorf("mean = %v, want 500.5ms", m)
	}
	// A single value: every percentile is that value.
	var one histogram
	one.record(1234567 * time.Nanosecond)
	if one.percentile(0.5) != 1234567 || one.percentile(0.99) != 1234567 {
		t.Errorf("single value: p50 %v p99 %v", one.percentile(0.5), one.percentile(0.99))
	}
}

// The load loop's signer must produce what cgip's verifier accepts, and nothing else.
func TestSignerVerifies(t *testing.T) {
	body := []byte(`{"UserPoolId":"us-east-1_abc","Username":"u0000001"}`)
	target := targetPrefix + "AdminGetUser"
	newReq := func(b []byte) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:9229/", bytes.NewReader(b))
		r.Header.Set("Content-Type", jsonContentType)
		r.Header.Set("X-Amz-Target", target)
		return r
	}
	sg := newSigner("AKIATEST", "secret", "eu-west-1", "cognito-idp")
	now := time.Now()
	for i := 0; i < 3; i++ { // the cached key and date must keep working
		r := newReq(body)
		sg.sign(r.Header, "127.0.0.1:9229", jsonContentType, target, body, now.Add(time.Duration(i)*time.Second))
		a, err := sigv4.Parse(r)
		if err != nil || a == nil {
			t.Fatalf("Parse: %v %v", a, err)
		}
		if a.Region != "eu-west-1" || a.Service != "cognito-idp" || a.AccessKeyID != "AKIATEST" {
			t.Fatalf("scope: %+v", a)
		}
		if err := sigv4.Verify(r, body, a, "secret", now); err != nil {
			t.Fatalf("Verify: %v", err)
		}
		if err := sigv4.Verify(r, body, a, "other-secret", now); err == nil {
			t.Fatal("Verify with another secret passed")
		}
		tampered := []byte(strings.Replace(string(body), "u0000001", "u0000002", 1))
		if err := sigv4.Verify(newReqWithHeaders(r, tampered), tampered, a, "secret", now); err == nil {
			t.Fatal("Verify of a changed body passed")
		}
	}
}

func newReqWithHeaders(r *http.Request, body []byte) *http.Request {
	n := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:9229/", bytes.NewReader(body))
	n.Header = r.Header.Clone()
	return n
}

func TestParseFlags(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	none := env(nil)
	c, err := parseFlags([]string{"-start", "cgip"}, none, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.concurrency != 16 || c.duration != 10*time.Second || len(c.ops) != len(allOps) || c.users != 1000 || c.label != "cgip" {
		t.Errorf("defaults: %+v", c)
	}
	if c.accessKey != benchAccessKey || c.hash != passhash.Default {
		t.Errorf("cgip started by the harness: key %q hash %+v", c.accessKey, c.hash)
	}
	c, err = parseFlags([]string{"-endpoint", "http://127.0.0.1:9229", "-c", "4", "-d", "2s", "-ops", "AdminGetUser, ListUsers", "-hash-memory", "64", "-cgip-flags", "--memory --dev"},
		env(map[string]string{"AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.concurrency != 4 || c.duration != 2*time.Second || strings.Join(c.ops, ",") != "AdminGetUser,ListUsers" ||
		c.accessKey != "AK" || c.secretKey != "SK" || c.hash.MemoryKiB != 64 || strings.Join(c.cgipFlags, " ") != "--memory --dev" || c.label != "endpoint" {
		t.Errorf("parsed: %+v", c)
	}
	for _, args := range [][]string{
		{},
		{"-start", "cgip", "-endpoint", "http://x"},
		{"-start", "nginx"},
		{"-endpoint", "127.0.0.1:9229"},
		{"-endpoint", "http://x"}, // no credentials
		{"-start", "cgip", "-c", "0"},
		{"-start", "cgip", "-d", "0s"},
		{"-start", "cgip", "-ops", "AdminGetUser,SignUp"},
		{"-start", "cgip", "-codes-from", "fixed:"},
		{"-start", "cgip", "-codes-from", "email"},
		{"-start", "cgip", "-hash-time", "0"},
		{"-start", "cgip", "extra"},
		{"-table"},
		{"-serve", "nginx"},
		{"-serve", "reference"},
	} {
		if _, err := parseFlags(args, none, io.Discard); err == nil {
			t.Errorf("%q: want an error", args)
		}
	}
	if c, err := parseFlags([]string{"-table", "a.json", "b.json"}, none, io.Discard); err != nil || len(c.files) != 2 {
		t.Errorf("-table: %v %v", c, err)
	}
}

// The whole loop against an in-process reference endpoint: seeding through the SDK, codes,
// every operation, and the use-once codes running out.
func TestLoadAgainstReference(t *testing.T) {
	cheap := passhash.Params{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: 16}
	ref, err := reference.New(reference.Config{AccessKeyID: benchAccessKey, Secret: benchSecretKey, DBPath: filepath.Join(t.TempDir(), "r.db"), Hash: cheap, Code: "424242"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(ref)
	defer ref.Close()
	defer ts.Close()
	c, err := parseFlags([]string{"-endpoint", ts.URL, "-access-key", benchAccessKey, "-secret-key", benchSecretKey,
		"-c", "4", "-d", "300ms", "-warmup", "50ms", "-users", "60", "-auth-users", "5", "-reset-users", "10", "-codes", "20", "-codes-from", "fixed:424242"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	f, err := seed(ctx, c, nil, ts.URL, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.auth) != 5 || len(f.reset) != 10 || len(f.codes) != 20 {
		t.Fatalf("fixture: %d auth, %d reset, %d codes", len(f.auth), len(f.reset), len(f.codes))
	}
	l, err := newLoader(c, ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer l.close()
	ps := plans(f, true)
	for _, op := range allOps {
		res := l.run(ctx, ps[op], nil)
		if res.Unsupported || res.OK == 0 || res.Errors != 0 {
			t.Errorf("%s: %+v", op, res)
		}
		if res.P50 <= 0 || res.P99 < res.P50 || res.RPS <= 0 {
			t.Errorf("%s: p50 %v p99 %v rps %v", op, res.P50, res.P99, res.RPS)
		}
		if op == "ConfirmForgotPassword" && (!res.Exhausted || res.OK > 20) {
			t.Errorf("ConfirmForgotPassword: %d ok, exhausted %v; want at most 20 codes used, then exhausted", res.OK, res.Exhausted)
		}
		if op == "ListUsers" && res.Check != "" {
			t.Errorf("ListUsers check: %q", res.Check)
		}
	}
}

// An endpoint that lacks an operation is reported n/a after the probe, without a timed run.
func TestUnsupportedOperation(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", jsonContentType)
		w.WriteHeader(http.StatusNotImplemented)
		io.WriteString(w, `{"__type":"NotImplementedException","message":"cgip does not implement AdminGetUser yet"}`)
	}))
	defer ts.Close()
	c, err := parseFlags([]string{"-endpoint", ts.URL, "-access-key", "a", "-secret-key", "b", "-d", "10s"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := newLoader(c, ts.URL)
	defer l.close()
	t0 := time.Now()
	res := l.run(context.Background(), plan{op: "AdminGetUser", signed: true, body: rotate([][]byte{[]byte(`{}`)})}, nil)
	if !res.Unsupported || !strings.Contains(res.Reason, "NotImplementedException") {
		t.Fatalf("result: %+v", res)
	}
	if time.Since(t0) > 5*time.Second {
		t.Fatal("an unsupported operation was measured for its whole duration")
	}
}

func TestErrorType(t *testing.T) {
	for _, tc := range []struct {
		header, body, want string
	}{
		{"", `{"__type":"com.amazonaws.cognito#UserNotFoundException","message":"x"}`, "UserNotFoundException"},
		{"ResourceNotFoundException:http://internal.amazon.com/", `{}`, "ResourceNotFoundException"},
		{"", `{"code":"UnsupportedError","message":"Cognito Local unsupported feature"}`, "UnsupportedError"},
		{"", `not json`, "HTTP 502 Bad Gateway"},
	} {
		resp := &http.Response{Status: "502 Bad Gateway", Header: http.Header{}}
		if tc.header != "" {
			resp.Header.Set("X-Amzn-ErrorType", tc.header)
		}
		if got := errorType(resp, []byte(tc.body)); got != tc.want {
			t.Errorf("errorType(%q, %q) = %q, want %q", tc.header, tc.body, got, tc.want)
		}
	}
}

func TestTable(t *testing.T) {
	op := func(name string, rps float64) opResult {
		return opResult{Op: name, OK: int64(rps * 10), RPS: rps, P50: 1, P99: 5}
	}
	runs := []*runResult{
		{Label: "cgip", Target: "cgip", Concurrency: 16, Seconds: 10, Ops: []opResult{op("AdminGetUser", 2400), op("AdminResetUserPassword", 600)},
			Argon: &argonResult{Params: "m=19456 KiB, t=2, p=1", MsPerHash: 40, PerSecond: 50, Cores: 2}},
		{Label: "moto", Target: "moto", Ops: []opResult{op("AdminGetUser", 240), op("AdminResetUserPassword", 300)}},
		{Label: "cognito-local", Target: "cognito-local", Ops: []opResult{op("AdminGetUser", 1200), {Op: "AdminResetUserPassword", Unsupported: true, Reason: "UnsupportedError"}}},
		{Label: "reference", Target: "reference", Ops: []opResult{op("AdminGetUser", 12000), op("AdminResetUserPassword", 6000)}},
	}
	var b strings.Builder
	writeTable(&b, runs, "bench/peers.sh")
	out := b.String()
	for _, want := range []string{
		"| AdminGetUser | 2400 | 1.00 / 5.00 | 240 | 1200 | 10.0× | 12000 | 20% |",
		"| AdminResetUserPassword | 600 | 1.00 / 5.00 | 300 | n/a | 2.0× | 6000 | 10% |",
		"Command: `bench/peers.sh`",
		"| hashes/s on 2 cores (the hash alone) | 50.0 |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
