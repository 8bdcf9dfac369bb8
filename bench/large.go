package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// largeResult is what the large-pool mode measured.
type largeResult struct {
	Users        int     `json:"users"`
	SeedConns    int     `json:"seedConnections"`
	SeedSeconds  float64 `json:"seedSeconds"`
	SeedRate     float64 `json:"seedPerSecond"`
	SeedErrors   int64   `json:"seedErrors"`
	SeedError    string  `json:"seedError,omitempty"`
	RSSSeedKiB   int64   `json:"rssAfterSeedKiB,omitempty"`
	RestartMs    float64 `json:"restartMs,omitempty"`
	RSSRestart   int64   `json:"rssAfterRestartKiB,omitempty"`
	DataBytes    int64   `json:"dataBytes,omitempty"`
	BytesPerUser float64 `json:"bytesPerUser,omitempty"`
}

// largeBodies makes request bodies on the fly (a million prepared bodies would be the biggest
// thing in the harness's memory).
func largeBodies(n int, f func(i int) []byte) func(uint64) ([]byte, bool) {
	stride := 7919
	for gcd(stride, n) != 1 {
		stride++
	}
	return func(i uint64) ([]byte, bool) { return f(int((i * uint64(stride)) % uint64(n))), true }
}

// runLarge seeds -users users through the API (AdminCreateUser with a verified email, the
// message suppressed) and reports seeding time, ListUsers and AdminGetUser latency on the full
// pool, the server's memory, start-up time on the full database and the database size per user.
func runLarge(ctx context.Context, c *config, srv *server, endpoint string, r *runResult, logf func(string, ...any)) error {
	seedConns := c.seedConns
	if seedConns == 0 {
		seedConns = c.concurrency
	}
	lr := &largeResult{Users: c.users, SeedConns: seedConns}
	r.Large = lr
	httpClient := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: seedConns}, Timeout: 60 * time.Second}
	defer httpClient.CloseIdleConnections()
	poolID, _, err := createPool(ctx, sdkClient(c, endpoint, httpClient))
	if err != nil {
		return err
	}
	l, err := newLoader(c, endpoint)
	if err != nil {
		return err
	}
	defer l.close()

	logf("large pool: creating %d users in %s (AdminCreateUser, %d connections)", c.users, poolID, seedConns)
	t0 := time.Now()
	var next, done, failed atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	step := int64(max(c.users/20, 1))
	target := targetPrefix + "AdminCreateUser"
	for range seedConns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sg := newSigner(c.accessKey, c.secretKey, c.region, "cognito-idp")
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= c.users {
					return
				}
				body := mustJSON(map[string]any{"UserPoolId": poolID, "Username": username(i), "MessageAction": "SUPPRESS",
					"UserAttributes": []map[string]string{{"Name": "email", "Value": email(i)}, {"Name": "email_verified", "Value": "true"}}})
				var o outcome
				for try := 0; try < 5; try++ {
					if o = l.do(ctx, sg, target, true, body); o.ok || !retryable(o.errType) {
						break
					}
					time.Sleep(time.Duration(50<<try) * time.Millisecond)
				}
				if !o.ok {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, o.errType+": "+o.message)
					if d := done.Load(); d > 100 && failed.Load() > d/10 || d <= 100 && failed.Load() > 50 {
						return // mostly failing: give up
					}
				}
				if n := done.Add(1); n%step == 0 {
					el := time.Since(t0).Seconds()
					logf("  %d/%d users, %.0f/s, %.0f s", n, c.users, float64(n)/el, el)
				}
			}
		}()
	}
	wg.Wait()
	seed := time.Since(t0)
	lr.SeedSeconds, lr.SeedRate, lr.SeedErrors = seed.Seconds(), float64(done.Load()-failed.Load())/seed.Seconds(), failed.Load()
	if v := firstErr.Load(); v != nil {
		lr.SeedError = v.(string)
	}
	r.Seed = seedInfo{Seconds: lr.SeedSeconds, Calls: done.Load() + 2}
	if err := ctx.Err(); err != nil {
		return err
	}
	if done.Load() < int64(c.users) {
		return fmt.Errorf("seeding stopped after %d users: %s", done.Load(), lr.SeedError)
	}
	logf("seeded %d users in %.1f s (%.0f/s, %d errors)", c.users, lr.SeedSeconds, lr.SeedRate, lr.SeedErrors)
	if srv != nil {
		lr.RSSSeedKiB = srv.rssKiB()
		if srv.persistent {
			if err := srv.restart(ctx); err != nil {
				return fmt.Errorf("restart: %w", err)
			}
			lr.RestartMs = ms(srv.startup)
			lr.RSSRestart = srv.rssKiB()
			logf("restarted on the full database in %.0f ms, resident %s", lr.RestartMs, mib(lr.RSSRestart))
		}
	}

	n := c.users
	list := plan{op: "ListUsers", signed: true, body: largeBodies((n+9)/10, func(i int) []byte {
		return mustJSON(map[string]string{"UserPoolId": poolID, "Filter": prefixFilter(i * 10)})
	})}
	get := plan{op: "AdminGetUser", signed: true, body: largeBodies(n, func(i int) []byte {
		return mustJSON(map[string]string{"UserPoolId": poolID, "Username": username(i)})
	})}
	describe := plan{op: "DescribeUserPool", signed: true, body: rotate([][]byte{mustJSON(map[string]string{"UserPoolId": poolID})})}
	for _, p := range []plan{list, get, describe} {
		if !c.wants(p.op) {
			continue
		}
		logf("%s on %d users for %v", p.op, n, c.duration)
		res := l.run(ctx, p, srv)
		r.Ops = append(r.Ops, res)
		logf("  %s", summary(&res))
	}
	if c.wants(list.op) && c.concurrency > 1 {
		// The latency of one page on its own, without the queueing of -c connections.
		one := *c
		one.concurrency = 1
		alone := &loader{url: l.url, client: l.client, c: &one}
		logf("%s on %d users for %v, one connection", list.op, n, c.duration)
		res := alone.run(ctx, list, srv)
		res.Connections = 1
		r.Ops = append(r.Ops, res)
		logf("  %s", summary(&res))
	}
	if srv != nil {
		r.RSSEndKiB = srv.rssKiB()
		lr.DataBytes = srv.dataBytes()
		lr.BytesPerUser = float64(lr.DataBytes) / float64(n)
	}
	return nil
}

// retryable reports whether a seeding error is worth another try.
func retryable(t string) bool {
	switch t {
	case "transport", "TooManyRequestsException", "ThrottlingException", "Throttling", "LimitExceededException", "InternalErrorException":
		return true
	}
	return false
}

// writeLarge prints the large-pool report.
func writeLarge(w io.Writer, r *runResult) {
	lr := r.Large
	fmt.Fprintf(w, "### Large pool: %s, %d users\n\n", r.Label, lr.Users)
	fmt.Fprintln(w, "| measure | value |")
	fmt.Fprintln(w, "|---|---:|")
	fmt.Fprintf(w, "| seeding through the API (AdminCreateUser, %d connections, argon2id %s) | %.0f s, %.0f users/s, %d errors |\n",
		cmp.Or(lr.SeedConns, r.Concurrency), r.Hash, lr.SeedSeconds, lr.SeedRate, lr.SeedErrors)
	for i := range r.Ops {
		o := &r.Ops[i]
		if o.Unsupported {
			fmt.Fprintf(w, "| %s | n/a: %s |\n", o.Op, mdEscape(o.Reason))
			continue
		}
		what := o.Op
		if o.Op == "ListUsers" {
			what = `ListUsers, filter email ^= "u00NNNN" (10 matches)`
		}
		conns := cmp.Or(o.Connections, r.Concurrency)
		what += fmt.Sprintf(", %d connection%s,", conns, map[bool]string{true: "s"}[conns > 1])
		fmt.Fprintf(w, "| %s p50 / p99 | %s / %s ms (%s req/s; other processes %.2f cores) |\n", what, lat(o.P50), lat(o.P99), num(o.RPS), o.OtherCores)
	}
	if r.StartupMs > 0 {
		fmt.Fprintf(w, "| start-up, empty database | %.0f ms |\n", r.StartupMs)
	}
	if lr.RestartMs > 0 {
		fmt.Fprintf(w, "| start-up, full database | %.0f ms |\n", lr.RestartMs)
	}
	if lr.RSSSeedKiB > 0 {
		fmt.Fprintf(w, "| resident memory after seeding | %s |\n", mib(lr.RSSSeedKiB))
	}
	if lr.RSSRestart > 0 {
		fmt.Fprintf(w, "| resident memory after a restart | %s |\n", mib(lr.RSSRestart))
	}
	if r.RSSEndKiB > 0 {
		fmt.Fprintf(w, "| resident memory after the reads | %s |\n", mib(r.RSSEndKiB))
	}
	if lr.DataBytes > 0 {
		fmt.Fprintf(w, "| database size | %.1f MiB, %.0f bytes per user |\n", float64(lr.DataBytes)/(1<<20), lr.BytesPerUser)
	}
	fmt.Fprintf(w, "\nMachine: %s.\n", r.Machine)
}
