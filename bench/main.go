package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cgip/cgip/bench/reference"
)

func main() {
	c, err := parseFlags(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch {
	case c.serve != "":
		err = serveReference(ctx, c)
	case c.table:
		var runs []*runResult
		if runs, err = loadRuns(c.files); err == nil {
			writeTable(os.Stdout, runs, c.command)
		}
	default:
		err = runBench(ctx, c)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		stop()
		os.Exit(1)
	}
}

// serveReference runs the reference (or bare) endpoint until ctx ends.
func serveReference(ctx context.Context, c *config) error {
	ref, err := reference.New(reference.Config{AccessKeyID: c.accessKey, Secret: c.secretKey, DBPath: c.db,
		Hash: c.hash, Code: referenceCode, Region: c.region, Bare: c.serve == "bare"})
	if err != nil {
		return err
	}
	defer ref.Close()
	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: ref, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// runBench measures one target and prints its report (and writes -json).
func runBench(ctx context.Context, c *config) error {
	logf := func(format string, args ...any) {
		if !c.quiet {
			fmt.Fprintf(os.Stderr, "[%s %s] %s\n", time.Now().Format("15:04:05"), c.label, fmt.Sprintf(format, args...))
		}
	}
	r := &runResult{Label: c.label, Target: c.start, Concurrency: c.concurrency, Seconds: c.duration.Seconds(),
		Warmup: c.warmup.Seconds(), Users: c.users, Hash: hashParams(c.hash), Machine: thisMachine()}
	endpoint := strings.TrimRight(c.endpoint, "/")
	var srv *server
	if c.start != "" {
		var err error
		logf("starting %s", c.start)
		if srv, err = startServer(ctx, c, logf); err != nil {
			return err
		}
		if c.keep {
			defer logf("kept %s (server log: %s)", srv.dir, srv.logPath)
		} else {
			defer srv.remove()
		}
		defer srv.stop()
		endpoint = srv.endpoint
		r.StartupMs, r.RSSStartKiB = ms(srv.startup), srv.rssKiB()
		logf("%s ready at %s in %.0f ms (resident %s)", c.start, endpoint, r.StartupMs, mib(r.RSSStartKiB))
		if c.start == "cgip" {
			r.CgipFlags = srv.args[1:]
			r.Notes = append(r.Notes, "cgip started with --account-recovery-rate=-1 --email-daily-limit=-1 (Cognito's quotas off: this measures throughput)"+
				extraFlags(c.cgipFlags)+"; access log at the default level, to a file")
		}
	}
	r.Endpoint = endpoint

	if c.large {
		if err := runLarge(ctx, c, srv, endpoint, r, logf); err != nil {
			return err
		}
		writeLarge(os.Stdout, r)
		return writeJSON(c.jsonOut, r)
	}

	var f *fixture
	if c.start == "bare" {
		f = bareFixture(c)
	} else {
		var err error
		if f, err = seed(ctx, c, srv, endpoint, logf); err != nil {
			return fmt.Errorf("seeding: %w", err)
		}
	}
	r.Seed = seedInfo{Seconds: f.seedTime.Seconds(), Calls: f.seedCalls, AuthUsers: len(f.auth), ResetUsers: len(f.reset),
		Codes: len(f.codes), CodeSource: f.codeSource, CodeNote: f.codeNote}

	l, err := newLoader(c, endpoint)
	if err != nil {
		return err
	}
	defer l.close()
	ps := plans(f, c.start != "bare")
	for _, op := range allOps {
		if !c.wants(op) {
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var res opResult
		if op == "ConfirmForgotPassword" && len(f.codes) == 0 {
			res = opResult{Op: op, Unsupported: true, Reason: firstNonEmpty(f.codeNote, "no reset codes")}
		} else {
			logf("%s for %v (+%v warm-up), %d connections", op, c.duration, c.warmup, c.concurrency)
			res = l.run(ctx, ps[op], srv)
		}
		if c.start == "reference" {
			res.Work = reference.Work(op)
		}
		r.Ops = append(r.Ops, res)
		logf("  %s", summary(&res))
		if res.Check != "" {
			r.Notes = append(r.Notes, res.Check)
		}
	}
	if srv != nil {
		r.RSSEndKiB = srv.rssKiB()
		r.DataBytes = srv.dataBytes()
	}
	if c.argon == "on" || c.argon == "auto" && (c.start == "cgip" || c.start == "reference") {
		logf("argon2id %s alone", hashParams(c.hash))
		if r.Argon, err = measureArgon(c.hash, 2*time.Second); err != nil {
			return err
		}
	}
	writeRun(os.Stdout, r)
	return writeJSON(c.jsonOut, r)
}

func extraFlags(flags []string) string {
	if len(flags) == 0 {
		return ""
	}
	return " " + strings.Join(flags, " ")
}

func summary(o *opResult) string {
	if o.Unsupported {
		return o.Op + ": n/a (" + o.Reason + ")"
	}
	s := fmt.Sprintf("%s: %s req/s, p50 %s ms, p90 %s ms, p99 %s ms, %d errors, generator %.0f µs/req, other processes %.2f cores", o.Op, num(o.RPS),
		lat(o.P50), lat(o.P90), lat(o.P99), o.Errors, o.ClientCPU, o.OtherCores)
	if o.ServerCPU > 0 {
		s += fmt.Sprintf(", server %.0f µs/req", o.ServerCPU)
	}
	if o.Errors > 0 {
		s += " [" + topError(o.ErrorTypes) + "; " + o.ErrorSample + "]"
	}
	if o.Exhausted {
		s += fmt.Sprintf(" (codes used up after %.1f s)", o.Seconds)
	}
	return s
}

func writeJSON(path string, r *runResult) error {
	if path == "" {
		return nil
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
