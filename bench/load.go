package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const (
	jsonContentType = "application/x-amz-json-1.1"
	targetPrefix    = "AWSCognitoIdentityProviderService."
)

// plan is one operation's load: body(i) is the i-th request's body (false: no more, for
// operations whose requests can be sent once only, such as codes).
type plan struct {
	op     string
	signed bool
	body   func(i uint64) ([]byte, bool)
	// check, if set, looks at the first successful answer and returns a note for the report.
	check func(answer []byte) string
	// once: each request can be sent once only (reset codes); such a plan has no warm-up, so
	// that none is spent before the clock starts (earlier operations warmed the connections).
	once bool
}

// loader sends raw cognito-idp requests over one keep-alive HTTP client sized to the
// concurrency, signing each request itself (see signer).
type loader struct {
	url    *url.URL
	client *http.Client
	c      *config
}

func newLoader(c *config, endpoint string) (*loader, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, err
	}
	if u.Path == "" {
		u.Path = "/"
	}
	conns := max(c.concurrency, c.seedConns)
	tr := &http.Transport{
		MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns,
		IdleConnTimeout: 90 * time.Second, DisableCompression: true,
	}
	return &loader{url: u, client: &http.Client{Transport: tr, Timeout: 60 * time.Second}, c: c}, nil
}

func (l *loader) close() { l.client.CloseIdleConnections() }

// outcome of one request: ok, or the error type (the AWS __type, "HTTP 5xx" or a transport error).
type outcome struct {
	ok      bool
	errType string
	message string
}

// do sends one request.
func (l *loader) do(ctx context.Context, sg *signer, target string, signed bool, body []byte) outcome {
	o, _ := l.send(ctx, sg, target, signed, body, false)
	return o
}

// send sends one request and, with keep, returns the answer's body too.
func (l *loader) send(ctx context.Context, sg *signer, target string, signed bool, body []byte, keep bool) (outcome, []byte) {
	req := &http.Request{
		Method: http.MethodPost, URL: l.url, Host: l.url.Host, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {jsonContentType}, "X-Amz-Target": {target}},
		Body:   io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
	}
	req = req.WithContext(ctx)
	if signed {
		sg.sign(req.Header, l.url.Host, jsonContentType, target, body, time.Now())
	}
	resp, err := l.client.Do(req)
	if err != nil {
		msg := err.Error()
		if i := strings.LastIndex(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		return outcome{errType: "transport", message: msg}, nil
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		if keep {
			b, _ := io.ReadAll(resp.Body)
			return outcome{ok: true}, b
		}
		io.Copy(io.Discard, resp.Body)
		return outcome{ok: true}, nil
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	io.Copy(io.Discard, resp.Body)
	return outcome{errType: errorType(resp, b), message: errorMessage(b)}, b
}

// errorType is the AWS JSON error code of an answer: x-amzn-ErrorType or __type, without a
// namespace ("com.amazonaws...#Code") or a trailing ":url".
func errorType(resp *http.Response, body []byte) string {
	t := resp.Header.Get("X-Amzn-Errortype")
	if t == "" {
		var e struct {
			Type string `json:"__type"`
			Code string `json:"code"`
		}
		if json.Unmarshal(body, &e) == nil {
			t = e.Type
			if t == "" {
				t = e.Code
			}
		}
	}
	if i := strings.LastIndexByte(t, '#'); i >= 0 {
		t = t[i+1:]
	}
	if i := strings.IndexByte(t, ':'); i >= 0 {
		t = t[:i]
	}
	if t == "" {
		t = "HTTP " + resp.Status
	}
	return t
}

func errorMessage(body []byte) string {
	var e struct {
		Message  string `json:"message"`
		Message2 string `json:"Message"`
	}
	if json.Unmarshal(body, &e) == nil {
		if e.Message == "" {
			e.Message = e.Message2
		}
		return e.Message
	}
	if len(body) > 120 {
		body = body[:120]
	}
	return string(body)
}

// unsupportedTypes are the answers of an endpoint that lacks an operation.
var unsupportedTypes = []string{"NotImplementedException", "UnknownOperationException", "UnsupportedError",
	"UnsupportedOperationException", "InvalidAction", "HTTP 501 Not Implemented", "HTTP 404 Not Found"}

func isUnsupported(t string) bool {
	for _, u := range unsupportedTypes {
		if t == u {
			return true
		}
	}
	return strings.Contains(t, "NotImplemented") || strings.Contains(t, "Unsupported")
}

// opResult is what one operation measured.
type opResult struct {
	Op          string           `json:"op"`
	Connections int              `json:"connections,omitempty"` // when not the run's -c
	Unsupported bool             `json:"unsupported,omitempty"`
	Reason      string           `json:"reason,omitempty"`
	OK          int64            `json:"ok"`
	Errors      int64            `json:"errors"`
	ErrorTypes  map[string]int64 `json:"errorTypes,omitempty"`
	ErrorSample string           `json:"errorSample,omitempty"`
	Seconds     float64          `json:"seconds"`
	RPS         float64          `json:"rps"`
	P50         float64          `json:"p50ms"`
	P90         float64          `json:"p90ms"`
	P99         float64          `json:"p99ms"`
	Max         float64          `json:"maxms"`
	Mean        float64          `json:"meanms"`
	Exhausted   bool             `json:"exhausted,omitempty"`
	// ClientCPU is the load generator's own CPU time per request (µs), signing included.
	ClientCPU float64 `json:"clientCpuUs"`
	// ServerCPU is the server's CPU time per request (µs), when the harness started it.
	ServerCPU float64 `json:"serverCpuUs,omitempty"`
	ServerRSS int64   `json:"serverRssKiB,omitempty"`
	Work      string  `json:"work,omitempty"`
	// OtherCores is how many cores' worth of CPU the rest of the machine used while measuring.
	OtherCores float64 `json:"otherCores"`
	// Check is what the probe's answer showed (e.g. how many users ListUsers returned).
	Check string `json:"check,omitempty"`
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// machineBusy is the CPU time all cores spent running processes (the "cpu" line of
// /proc/stat: user, nice, system and steal; not idle, iowait, nor interrupts, where the
// kernel's loopback networking for the benchmark itself is counted).
func machineBusy() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return 0
	}
	var ticks int64
	for i, v := range f[1:] {
		if i == 3 || i == 4 || i == 5 || i == 6 || i >= 8 { // idle, iowait, irq, softirq; guest is in user
			continue
		}
		n, _ := strconv.ParseInt(v, 10, 64)
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks
}

// processCPU is this process's CPU time (user + system).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// run drives p at the configured concurrency: a probe, the warm-up, then the measured time.
func (l *loader) run(ctx context.Context, p plan, srv *server) opResult {
	c := l.c
	res := opResult{Op: p.op, ErrorTypes: map[string]int64{}}
	target := targetPrefix + p.op
	var next atomic.Uint64

	// Probe: an endpoint that answers "not implemented" three times in a row lacks the operation.
	sg := newSigner(c.accessKey, c.secretKey, c.region, "cognito-idp")
	for try := 0; try < 3; try++ {
		b, ok := p.body(next.Add(1) - 1)
		if !ok {
			res.Unsupported, res.Reason = true, "no requests to send"
			return res
		}
		o, answer := l.send(ctx, sg, target, p.signed, b, p.check != nil)
		if o.ok {
			if p.check != nil {
				res.Check = p.check(answer)
			}
			break
		}
		if !isUnsupported(o.errType) && try == 0 {
			break // some other error: measure, and report n/a only if every call fails
		}
		if try == 2 {
			res.Unsupported, res.Reason = true, strings.TrimSpace(o.errType+" "+o.message)
			return res
		}
	}

	start := time.Now()
	warmup := c.warmup
	if p.once {
		warmup = 0
	}
	measureFrom := start.Add(warmup)
	end := measureFrom.Add(c.duration)
	type worker struct {
		h       histogram
		ok, bad int64
		errs    map[string]int64
		sample  string
		last    time.Time
	}
	workers := make([]*worker, c.concurrency)
	var exhausted atomic.Bool
	var cpu0, srvCPU0, busy0 time.Duration
	var snap sync.Once
	snapshot := func() {
		snap.Do(func() {
			cpu0, busy0 = processCPU(), machineBusy()
			if srv != nil {
				srvCPU0 = srv.cpuTime()
			}
		})
	}
	timer := time.AfterFunc(time.Until(measureFrom), snapshot)
	defer timer.Stop()
	var wg sync.WaitGroup
	for w := range workers {
		wk := &worker{errs: map[string]int64{}}
		workers[w] = wk
		wg.Add(1)
		go func() {
			defer wg.Done()
			sg := newSigner(c.accessKey, c.secretKey, c.region, "cognito-idp")
			for ctx.Err() == nil {
				t0 := time.Now()
				if !t0.Before(end) {
					return
				}
				b, ok := p.body(next.Add(1) - 1)
				if !ok {
					exhausted.Store(true)
					return
				}
				o := l.do(ctx, sg, target, p.signed, b)
				t1 := time.Now()
				if t0.Before(measureFrom) || t1.After(end) {
					continue
				}
				wk.last = t1
				if o.ok {
					wk.ok++
					wk.h.record(t1.Sub(t0))
				} else {
					wk.bad++
					wk.errs[o.errType]++
					if wk.sample == "" {
						wk.sample = strings.TrimSpace(o.errType + ": " + o.message)
					}
				}
			}
		}()
	}
	wg.Wait()
	stopAt := time.Now()
	snapshot() // if everything ended within the warm-up
	cpu1, busy1 := processCPU(), machineBusy()
	var srvCPU1 time.Duration
	if srv != nil {
		srvCPU1 = srv.cpuTime()
		res.ServerRSS = srv.rssKiB()
	}

	var h histogram
	var last time.Time
	for _, wk := range workers {
		h.merge(&wk.h)
		res.OK += wk.ok
		res.Errors += wk.bad
		for t, n := range wk.errs {
			res.ErrorTypes[t] += n
		}
		if res.ErrorSample == "" {
			res.ErrorSample = wk.sample
		}
		if wk.last.After(last) {
			last = wk.last
		}
	}
	elapsed := c.duration
	if exhausted.Load() {
		res.Exhausted = true
		elapsed = max(last.Sub(measureFrom), time.Millisecond)
	}
	if stopAt.Before(end) && !exhausted.Load() {
		elapsed = max(stopAt.Sub(measureFrom), time.Millisecond)
	}
	res.Seconds = elapsed.Seconds()
	res.RPS = float64(res.OK) / elapsed.Seconds()
	res.P50, res.P90, res.P99 = ms(h.percentile(0.50)), ms(h.percentile(0.90)), ms(h.percentile(0.99))
	res.Max, res.Mean = ms(time.Duration(h.max)), ms(h.mean())
	// CPU the rest of the machine used meanwhile (other processes share these cores); only
	// meaningful when the harness started the server (else the server counts as "other").
	if wall := stopAt.Sub(measureFrom); wall > 0 && busy1 > busy0 {
		other := (busy1 - busy0) - (cpu1 - cpu0) - (srvCPU1 - srvCPU0)
		res.OtherCores = max(float64(other)/float64(wall), 0)
	}
	if n := res.OK + res.Errors; n > 0 {
		res.ClientCPU = float64(cpu1-cpu0) / float64(time.Microsecond) / float64(n)
		if srv != nil && res.OK > 0 {
			res.ServerCPU = float64(srvCPU1-srvCPU0) / float64(time.Microsecond) / float64(n)
		}
	}
	switch {
	case res.OK == 0 && res.Errors == 0:
		res.Unsupported, res.Reason = true, "no request completed in the measured time"
	case res.OK == 0:
		res.Unsupported = true
		res.Reason = "every call failed: " + firstNonEmpty(res.ErrorSample, topError(res.ErrorTypes))
	}
	return res
}

// topError lists error types by count.
func topError(m map[string]int64) string {
	type kv struct {
		k string
		n int64
	}
	var list []kv
	for k, n := range m {
		list = append(list, kv{k, n})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].n > list[j].n || (list[i].n == list[j].n && list[i].k < list[j].k) })
	var parts []string
	for _, e := range list {
		parts = append(parts, e.k+" ×"+itoa(e.n))
	}
	return strings.Join(parts, ", ")
}
