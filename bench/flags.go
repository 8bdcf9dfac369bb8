package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/cgip/cgip/internal/passhash"
)

// Operations the load generator drives, in the order it runs them.
var allOps = []string{
	"DescribeUserPool", "AdminGetUser", "ListUsers", "InitiateAuth", "AdminResetUserPassword", "ConfirmForgotPassword",
}

// Targets -start knows.
var allTargets = []string{"cgip", "moto", "cognito-local", "reference", "bare"}

// The root credential the harness gives the servers it starts (cgip, reference).
const (
	benchAccessKey = "AKIABENCHMARK0000001"
	benchSecretKey = "bench-secret-key-not-a-secret"
)

// config is the command line.
type config struct {
	endpoint    string
	start       string
	label       string
	concurrency int
	duration    time.Duration
	warmup      time.Duration
	ops         []string
	users       int
	authUsers   int
	resetUsers  int
	codes       int
	region      string
	accessKey   string
	secretKey   string
	hash        passhash.Params
	cgipFlags   []string
	cgipBin     string
	peersDir    string
	codesFrom   string
	large       bool
	seedConns   int // -large: connections for seeding (0: -c)
	argon       string
	jsonOut     string
	quiet       bool
	keep        bool

	// -table: merge result files into the peers table.
	table   bool
	command string
	files   []string

	// -serve: run a reference endpoint (used by -start reference|bare, which re-executes the
	// harness).
	serve  string
	listen string
	db     string
}

const usage = `go run ./bench [flags]

Drive a Cognito-compatible endpoint and report requests/s, latency percentiles and errors per
operation. Either -endpoint URL (a running server) or -start TARGET (the harness starts it on a
free port, seeds it, measures it and stops it). Targets: cgip, moto, cognito-local, reference
(the ceiling: SigV4 + JSON + one SQLite read or durable write), bare (answers {}).

  go run ./bench -start cgip                     # all operations, 16 connections, 10 s each
  go run ./bench -start moto -ops AdminGetUser,ListUsers -d 5s
  go run ./bench -endpoint http://127.0.0.1:9229 -access-key ... -secret-key ...
  go run ./bench -start cgip -large -users 1000000 # large-pool mode
  go run ./bench -table a.json b.json ...        # merge -json results into one Markdown table
  bench/peers.sh                                 # cgip, moto, cognito-local and the ceiling

Flags:
`

// parseFlags parses the command line; getenv supplies defaults for credentials.
func parseFlags(args []string, getenv func(string) string, out io.Writer) (*config, error) {
	c := &config{hash: passhash.Default}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprint(out, usage)
		fs.PrintDefaults()
	}
	fs.StringVar(&c.endpoint, "endpoint", "", "URL of a running Cognito-compatible endpoint")
	fs.StringVar(&c.start, "start", "", "start a server as a child process: "+strings.Join(allTargets, ", "))
	fs.StringVar(&c.label, "label", "", "name of the target in reports (default: the -start target, or \"endpoint\")")
	fs.IntVar(&c.concurrency, "c", 16, "concurrent connections")
	fs.DurationVar(&c.duration, "d", 10*time.Second, "measured time per operation")
	fs.DurationVar(&c.warmup, "warmup", time.Second, "unmeasured warm-up per operation")
	ops := fs.String("ops", strings.Join(allOps, ","), "operations to measure, comma-separated")
	fs.IntVar(&c.users, "users", 1000, "users to seed (with -large: the pool size)")
	fs.IntVar(&c.authUsers, "auth-users", 32, "users InitiateAuth rotates over")
	fs.IntVar(&c.resetUsers, "reset-users", 200, "users AdminResetUserPassword rotates over")
	fs.IntVar(&c.codes, "codes", 700, "reset codes to prepare for ConfirmForgotPassword (one user each; each code is used once)")
	fs.StringVar(&c.region, "region", "us-east-1", "region to sign for")
	fs.StringVar(&c.accessKey, "access-key", "", "access key id (default $AWS_ACCESS_KEY_ID; fixed for servers the harness starts)")
	fs.StringVar(&c.secretKey, "secret-key", "", "secret access key (default $AWS_SECRET_ACCESS_KEY)")
	fs.Func("hash-time", fmt.Sprintf("argon2id passes for cgip and the reference (default %d)", c.hash.Time), uint32Flag(&c.hash.Time))
	fs.Func("hash-memory", fmt.Sprintf("argon2id memory in KiB for cgip and the reference (default %d)", c.hash.MemoryKiB), uint32Flag(&c.hash.MemoryKiB))
	cgipFlags := fs.String("cgip-flags", "", "extra flags for `cgip serve`, space-separated (e.g. \"--memory --dev\")")
	fs.StringVar(&c.cgipBin, "cgip-bin", "", "prebuilt cgip binary (default: go build ./cmd/cgip into a temporary directory)")
	fs.StringVar(&c.peersDir, "peers-dir", "bench/.peers", "directory where cognito-local is installed (npm install --prefix DIR cognito-local)")
	fs.StringVar(&c.codesFrom, "codes-from", "auto", "how to learn reset codes: auto, inbox (cgip's /_cgip/messages), header (moto), fixed:CODE, none")
	fs.IntVar(&c.seedConns, "seed-c", 0, "with -large: concurrent connections for seeding (default: -c)")
	fs.BoolVar(&c.large, "large", false, "large-pool mode: seed -users users through the API, then report seeding time, ListUsers p50, memory, start-up time and database size")
	fs.StringVar(&c.argon, "argon", "auto", "measure argon2id alone: auto (for cgip and reference), on, off")
	fs.StringVar(&c.jsonOut, "json", "", "also write the results as JSON to this file (for -table)")
	fs.BoolVar(&c.quiet, "q", false, "no progress lines on stderr")
	fs.BoolVar(&c.keep, "keep", false, "keep the started server's temporary directory (its data and log)")
	fs.BoolVar(&c.table, "table", false, "merge the JSON result files given as arguments into the peers table")
	fs.StringVar(&c.command, "command", "", "with -table: the command to print under the table")
	fs.StringVar(&c.serve, "serve", "", "internal: serve a reference endpoint (reference or bare)")
	fs.StringVar(&c.listen, "listen", "127.0.0.1:0", "internal: with -serve, the address")
	fs.StringVar(&c.db, "db", "", "internal: with -serve reference, the SQLite file")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	c.files = fs.Args()
	c.ops = splitList(*ops)
	c.cgipFlags = strings.Fields(*cgipFlags)
	if c.accessKey == "" {
		c.accessKey = getenv("AWS_ACCESS_KEY_ID")
	}
	if c.secretKey == "" {
		c.secretKey = getenv("AWS_SECRET_ACCESS_KEY")
	}
	return c, c.validate()
}

func (c *config) validate() error {
	if c.table {
		if len(c.files) == 0 {
			return errors.New("-table needs result files")
		}
		return nil
	}
	if len(c.files) > 0 {
		return fmt.Errorf("unexpected argument %q", c.files[0])
	}
	if c.serve != "" {
		if c.serve != "reference" && c.serve != "bare" {
			return fmt.Errorf("-serve: want reference or bare, got %q", c.serve)
		}
		if c.serve == "reference" && c.db == "" {
			return errors.New("-serve reference needs -db")
		}
		return nil
	}
	switch {
	case c.endpoint == "" && c.start == "":
		return errors.New("give -endpoint URL or -start TARGET")
	case c.endpoint != "" && c.start != "":
		return errors.New("give -endpoint or -start, not both")
	case c.start != "" && !slices.Contains(allTargets, c.start):
		return fmt.Errorf("-start: unknown target %q (want one of %s)", c.start, strings.Join(allTargets, ", "))
	case c.endpoint != "" && !strings.HasPrefix(c.endpoint, "http://") && !strings.HasPrefix(c.endpoint, "https://"):
		return fmt.Errorf("-endpoint: want an http:// or https:// URL, got %q", c.endpoint)
	case c.concurrency < 1:
		return fmt.Errorf("-c: want at least 1, got %d", c.concurrency)
	case c.seedConns < 0:
		return fmt.Errorf("-seed-c: want at least 0, got %d", c.seedConns)
	case c.duration <= 0:
		return fmt.Errorf("-d: want a positive duration, got %v", c.duration)
	case c.warmup < 0:
		return fmt.Errorf("-warmup: want a duration of at least 0, got %v", c.warmup)
	case c.users < 1:
		return fmt.Errorf("-users: want at least 1, got %d", c.users)
	case c.authUsers < 1 || c.resetUsers < 1 || c.codes < 0:
		return errors.New("-auth-users and -reset-users want at least 1, -codes at least 0")
	case c.argon != "auto" && c.argon != "on" && c.argon != "off":
		return fmt.Errorf("-argon: want auto, on or off, got %q", c.argon)
	}
	if len(c.ops) == 0 {
		return errors.New("-ops: no operations")
	}
	for _, op := range c.ops {
		if !slices.Contains(allOps, op) {
			return fmt.Errorf("-ops: unknown operation %q (want some of %s)", op, strings.Join(allOps, ","))
		}
	}
	switch mode, _, _ := strings.Cut(c.codesFrom, ":"); mode {
	case "auto", "inbox", "header", "none":
	case "fixed":
		if !strings.Contains(c.codesFrom, ":") || strings.TrimPrefix(c.codesFrom, "fixed:") == "" {
			return errors.New("-codes-from fixed:CODE needs the code")
		}
	default:
		return fmt.Errorf("-codes-from: want auto, inbox, header, fixed:CODE or none, got %q", c.codesFrom)
	}
	// Servers the harness starts get a known credential; moto and cognito-local take any.
	if c.start != "" && (c.accessKey == "" || c.start == "cgip" || c.start == "reference") {
		c.accessKey, c.secretKey = benchAccessKey, benchSecretKey
	}
	if c.accessKey == "" || c.secretKey == "" {
		return errors.New("credentials: give -access-key and -secret-key (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)")
	}
	if c.label == "" {
		c.label = c.start
		if c.label == "" {
			c.label = "endpoint"
		}
	}
	return nil
}

// wants reports whether op is among the operations to measure.
func (c *config) wants(op string) bool { return slices.Contains(c.ops, op) }

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func uint32Flag(dst *uint32) func(string) error {
	return func(s string) error {
		var v uint32
		if _, err := fmt.Sscan(s, &v); err != nil || v == 0 {
			return fmt.Errorf("want a positive number, got %q", s)
		}
		*dst = v
		return nil
	}
}
