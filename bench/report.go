package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// runResult is one target's run, as -json writes it and -table reads it.
type runResult struct {
	Label       string       `json:"label"`
	Target      string       `json:"target"` // the -start target, or "" for -endpoint
	Endpoint    string       `json:"endpoint"`
	Concurrency int          `json:"concurrency"`
	Seconds     float64      `json:"seconds"`
	Warmup      float64      `json:"warmupSeconds"`
	Users       int          `json:"users"`
	Hash        string       `json:"hash"`
	CgipFlags   []string     `json:"cgipFlags,omitempty"`
	Machine     machine      `json:"machine"`
	Seed        seedInfo     `json:"seed"`
	StartupMs   float64      `json:"startupMs,omitempty"`
	RSSStartKiB int64        `json:"rssStartKiB,omitempty"`
	RSSEndKiB   int64        `json:"rssEndKiB,omitempty"`
	DataBytes   int64        `json:"dataBytes,omitempty"`
	Ops         []opResult   `json:"ops"`
	Argon       *argonResult `json:"argon,omitempty"`
	Large       *largeResult `json:"large,omitempty"`
	Notes       []string     `json:"notes,omitempty"`
}

type seedInfo struct {
	Seconds    float64 `json:"seconds"`
	Calls      int64   `json:"calls"`
	AuthUsers  int     `json:"authUsers"`
	ResetUsers int     `json:"resetUsers"`
	Codes      int     `json:"codes"`
	CodeSource string  `json:"codeSource,omitempty"`
	CodeNote   string  `json:"codeNote,omitempty"`
}

type machine struct {
	CPU       string  `json:"cpu"`
	Cores     int     `json:"cores"`
	MemoryGiB float64 `json:"memoryGiB"`
	Kernel    string  `json:"kernel"`
	Go        string  `json:"go"`
}

func (m machine) String() string {
	return fmt.Sprintf("%s, %d cores, %.0f GiB memory, Linux %s, %s; the load generator runs on the same cores",
		m.CPU, m.Cores, m.MemoryGiB, m.Kernel, m.Go)
}

func thisMachine() machine {
	m := machine{Cores: runtime.NumCPU(), Go: runtime.Version(), CPU: "unknown CPU"}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
				m.MemoryGiB = kb / (1 << 20)
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// num formats a rate: no decimals from 100 up, one below, two below 10.
func num(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// lat formats a latency in ms.
func lat(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

func mib(kib int64) string { return fmt.Sprintf("%.0f MiB", float64(kib)/1024) }

func (r *runResult) op(name string) *opResult {
	if r == nil {
		return nil
	}
	for i := range r.Ops {
		if r.Ops[i].Op == name {
			return &r.Ops[i]
		}
	}
	return nil
}

// rate is an operation's req/s as a table cell: "n/a" when the target lacks it, "–" when it
// was not measured.
func rate(o *opResult) string {
	switch {
	case o == nil:
		return "–"
	case o.Unsupported:
		return "n/a"
	}
	s := num(o.RPS)
	if o.Errors > 0 {
		s += fmt.Sprintf(" (%d err)", o.Errors)
	}
	return s
}

func latencies(o *opResult) string {
	if o == nil || o.Unsupported {
		return "–"
	}
	return lat(o.P50) + " / " + lat(o.P99)
}

func ok(o *opResult) bool { return o != nil && !o.Unsupported && o.RPS > 0 }

// writeRun prints one run as Markdown.
func writeRun(w io.Writer, r *runResult) {
	fmt.Fprintf(w, "### %s (%s)\n\n", r.Label, orDash(r.Endpoint))
	fmt.Fprintf(w, "%d connections, %g s per operation after %g s warm-up; %d users; argon2id %s.\n", r.Concurrency, r.Seconds, r.Warmup, r.Users, r.Hash)
	fmt.Fprintf(w, "Machine: %s.\n\n", r.Machine)
	fmt.Fprintln(w, "| operation | req/s | p50 ms | p90 ms | p99 ms | errors | server CPU µs/req | generator CPU µs/req | other processes, cores |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---|---:|---:|---:|")
	for i := range r.Ops {
		o := &r.Ops[i]
		if o.Unsupported {
			fmt.Fprintf(w, "| %s | n/a | | | | %s | | | |\n", o.Op, mdEscape(o.Reason))
			continue
		}
		errs := "0"
		if o.Errors > 0 {
			errs = topError(o.ErrorTypes)
		}
		ex := ""
		if o.Exhausted {
			ex = fmt.Sprintf(" (%d codes in %.1f s)", o.OK+o.Errors, o.Seconds)
		}
		fmt.Fprintf(w, "| %s | %s%s | %s | %s | %s | %s | %s | %.0f | %.2f |\n", o.Op, num(o.RPS), ex, lat(o.P50), lat(o.P90), lat(o.P99),
			mdEscape(errs), cpuCell(o.ServerCPU), o.ClientCPU, o.OtherCores)
	}
	fmt.Fprintln(w)
	s := r.Seed
	fmt.Fprintf(w, "Seeding through the API: %.1f s, %d calls; %d users sign in, %d are reset, %d reset codes (%s).\n",
		s.Seconds, s.Calls, s.AuthUsers, s.ResetUsers, s.Codes, orDash(firstNonEmpty(s.CodeSource, s.CodeNote)))
	if r.StartupMs > 0 {
		fmt.Fprintf(w, "Server start-up %.0f ms; resident memory %s after start, %s at the end.\n", r.StartupMs, mib(r.RSSStartKiB), mib(r.RSSEndKiB))
	}
	if a := r.Argon; a != nil {
		fmt.Fprintf(w, "argon2id %s alone: %.1f ms per hash on one core, %.1f hashes/s on %d cores.\n", a.Params, a.MsPerHash, a.PerSecond, a.Cores)
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, "- "+n)
	}
	fmt.Fprintln(w)
}

func cpuCell(v float64) string {
	if v == 0 {
		return "–"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func mdEscape(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return s
}

// loadRuns reads -json files.
func loadRuns(files []string) ([]*runResult, error) {
	var runs []*runResult
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var r runResult
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		runs = append(runs, &r)
	}
	return runs, nil
}

func findRun(runs []*runResult, target string) *runResult {
	for _, r := range runs {
		if r.Target == target || (r.Target == "" && r.Label == target) {
			return r
		}
	}
	return nil
}

// writeTable prints the peers table: cgip against moto and cognito-local, as a ratio to moto and
// as a percentage of the reference ceiling, then the ceiling rows, argon2id, and every run's
// details.
func writeTable(w io.Writer, runs []*runResult, command string) {
	cg, moto, cl := findRun(runs, "cgip"), findRun(runs, "moto"), findRun(runs, "cognito-local")
	ref, bare := findRun(runs, "reference"), findRun(runs, "bare")
	var any *runResult
	for _, r := range runs {
		any = r
		break
	}
	if any == nil {
		return
	}
	fmt.Fprintf(w, "#### Throughput: %d connections, %g s per operation per target\n\n", any.Concurrency, any.Seconds)
	fmt.Fprintln(w, "| operation | cgip req/s | cgip p50 / p99 ms | moto req/s | cognito-local req/s | cgip/moto | ceiling req/s | cgip % of ceiling |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, op := range allOps {
		c, m, l, rf := cg.op(op), moto.op(op), cl.op(op), ref.op(op)
		if c == nil && m == nil && l == nil && rf == nil {
			continue
		}
		ratio, pct := "–", "–"
		if ok(c) && ok(m) {
			ratio = ratioCell(c.RPS / m.RPS)
		} else if ok(c) && m != nil && m.Unsupported {
			ratio = "moto n/a"
		}
		if ok(c) && ok(rf) {
			pct = fmt.Sprintf("%.0f%%", 100*c.RPS/rf.RPS)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", op, rate(c), latencies(c), rate(m), rate(l), ratio, rate(rf), pct)
	}
	fmt.Fprintln(w)

	if ref != nil || bare != nil {
		fmt.Fprintln(w, "#### The ceiling: the reference endpoint (net/http, JSON, SigV4, SQLite WAL synchronous=FULL) and a bare `{}` endpoint")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| operation | reference does | reference req/s | reference p50 / p99 ms | bare `{}` req/s | bare p50 / p99 ms |")
		fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|")
		for _, op := range allOps {
			rf, b := ref.op(op), bare.op(op)
			if rf == nil && b == nil {
				continue
			}
			work := ""
			if rf != nil {
				work = rf.Work
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", op, work, rate(rf), latencies(rf), rate(b), latencies(b))
		}
		fmt.Fprintln(w)
	}

	if cg != nil {
		a := cg.Argon
		if a == nil && ref != nil {
			a = ref.Argon
		}
		if a != nil {
			fmt.Fprintf(w, "#### argon2id (%s, cgip's internal/passhash)\n\n", a.Params)
			fmt.Fprintln(w, "| measure | value |")
			fmt.Fprintln(w, "|---|---:|")
			fmt.Fprintf(w, "| one hash on one core | %.1f ms |\n", a.MsPerHash)
			fmt.Fprintf(w, "| hashes/s on %d cores (the hash alone) | %.1f |\n", a.Cores, a.PerSecond)
			for _, r := range []*runResult{cg, ref} {
				if r == nil {
					continue
				}
				for _, op := range []string{"InitiateAuth", "ConfirmForgotPassword"} {
					if o := r.op(op); ok(o) {
						fmt.Fprintf(w, "| %s %s req/s (one argon2id each) | %s = %.0f%% of the hash-alone rate |\n", r.Label, op, num(o.RPS), 100*o.RPS/a.PerSecond)
					}
				}
			}
			fmt.Fprintln(w)
		}
	}

	fmt.Fprintln(w, "#### Every run")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| target | operation | req/s | p50 ms | p90 ms | p99 ms | errors | server CPU µs/req | generator CPU µs/req | other processes, cores |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---|---:|---:|---:|")
	otherMax := 0.0
	for _, r := range runs {
		for i := range r.Ops {
			o := &r.Ops[i]
			if o.Unsupported {
				fmt.Fprintf(w, "| %s | %s | n/a | | | | %s | | | |\n", r.Label, o.Op, mdEscape(o.Reason))
				continue
			}
			otherMax = max(otherMax, o.OtherCores)
			errs := "0"
			if o.Errors > 0 {
				errs = topError(o.ErrorTypes)
			}
			rps := num(o.RPS)
			if o.Exhausted {
				rps += fmt.Sprintf(" (all %d codes used in %.1f s)", o.OK+o.Errors, o.Seconds)
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %.0f | %.2f |\n", r.Label, o.Op, rps, lat(o.P50), lat(o.P90), lat(o.P99),
				mdEscape(errs), cpuCell(o.ServerCPU), o.ClientCPU, o.OtherCores)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| target | seeding through the API | start-up | resident memory (start → end) |")
	fmt.Fprintln(w, "|---|---|---:|---|")
	for _, r := range runs {
		s := r.Seed
		seedCell := fmt.Sprintf("%.1f s, %d calls, %d reset codes", s.Seconds, s.Calls, s.Codes)
		switch {
		case r.Target == "bare":
			seedCell = "none (it answers {} to anything)"
		case s.CodeNote != "":
			seedCell += " (" + s.CodeNote + ")"
		case s.CodeSource != "":
			seedCell += " from " + s.CodeSource
		}
		rss := "–"
		if r.RSSStartKiB > 0 {
			rss = mib(r.RSSStartKiB) + " → " + mib(r.RSSEndKiB)
		}
		start := "–"
		if r.StartupMs > 0 {
			start = fmt.Sprintf("%.0f ms", r.StartupMs)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", r.Label, seedCell, start, rss)
	}
	fmt.Fprintln(w)
	var notes []string
	for _, r := range runs {
		for _, n := range r.Notes {
			notes = append(notes, r.Label+": "+n)
		}
	}
	for _, n := range notes {
		fmt.Fprintln(w, "- "+n)
	}
	if len(notes) > 0 {
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Other processes on the machine used up to %.2f cores while an operation was measured (\"other processes\" above).\n", otherMax)
	fmt.Fprintf(w, "Machine: %s. %d users per pool (%d sign in, %d are reset, up to %d reset codes); argon2id %s.\n",
		any.Machine, any.Users, any.Seed.AuthUsers, any.Seed.ResetUsers, maxCodes(runs), any.Hash)
	if command != "" {
		fmt.Fprintf(w, "Command: `%s`.\n", command)
	}
}

// ratioCell formats cgip/moto: one decimal from 1 up, two significant digits below.
func ratioCell(v float64) string {
	if v >= 1 {
		return fmt.Sprintf("%.1f×", v)
	}
	return strconv.FormatFloat(v, 'g', 2, 64) + "×"
}

func maxCodes(runs []*runResult) int {
	n := 0
	for _, r := range runs {
		n = max(n, r.Seed.Codes)
	}
	return n
}
