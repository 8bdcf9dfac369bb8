package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/cgip/cgip/internal/passhash"
	"github.com/cgip/cgip/internal/server"
	"github.com/cgip/cgip/internal/triggers"
)

// runServe parses the serve flags (each also settable as CGIP_<FLAG>; a flag on the command
// line wins) and runs the server until ctx ends.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cgip serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := server.Config{}
	fs.StringVar(&cfg.Listen, "listen", server.DefaultListen, "address to listen on")
	fs.StringVar(&cfg.DataDir, "data", server.DefaultDataDir, "data directory (SQLite database and master key)")
	fs.BoolVar(&cfg.Memory, "memory", false, "keep everything in an in-memory SQLite database")
	fs.StringVar(&cfg.Database, "database", "", "PostgreSQL URL (postgres://...) for several nodes sharing one database")
	fs.StringVar(&cfg.Region, "region", server.DefaultRegion, "default region (signed requests use their own)")
	fs.StringVar(&cfg.AccountID, "account-id", server.DefaultAccountID, "the account id pools belong to")
	fs.BoolVar(&cfg.Dev, "dev", false, "accept any AWS credentials without checking signatures (tests only)")
	fs.StringVar(&cfg.CORSOrigin, "cors-origin", "*", "Access-Control-Allow-Origin for browser clients")
	hash := passhash.Default
	fs.Func("password-hash-time", fmt.Sprintf("argon2id passes for new password hashes (default %d)", hash.Time), uintFlag(&hash.Time))
	fs.Func("password-hash-memory", fmt.Sprintf("argon2id memory in KiB for new password hashes (default %d)", hash.MemoryKiB), uintFlag(&hash.MemoryKiB))
	fs.StringVar(&cfg.LambdaEndpoint, "lambda-endpoint", "", "Lambda Invoke API endpoint for triggers (default: AWS)")
	fs.Func("lambda-override", "ARN=URL: POST this function's events to URL instead (repeatable)", func(s string) error {
		arn, u, err := triggers.ParseOverride(s)
		if err != nil {
			return err
		}
		if cfg.LambdaOverrides == nil {
			cfg.LambdaOverrides = map[string]string{}
		}
		cfg.LambdaOverrides[arn] = u
		return nil
	})
	fs.Float64Var(&cfg.RecoveryRate, "account-recovery-rate", 30, "password-reset requests a second per account and node (TooManyRequestsException above it)")
	fs.DurationVar(&cfg.PoolCacheTTL, "pool-cache-ttl", 0, "how long the server reuses a pool's settings and user count once read; its own changes show at once (default: 1s with SQLite; with PostgreSQL 0, read every time, so that nodes see each other's changes at once)")
	fs.StringVar(&cfg.PublicURL, "public-url", "", "URL clients reach this server at (default http://<listen address>)")
	fs.StringVar(&cfg.IssuerBase, "issuer-base", "", `token issuer before "/<poolId>": default the public URL; "cognito" for https://cognito-idp.<region>.amazonaws.com`)
	m := &cfg.Messages
	fs.StringVar(&m.SMTPURL, "smtp-url", "", "send email over SMTP: smtp://user:pass@host:587 (STARTTLS), smtps://... (TLS), ?tls=none")
	fs.BoolVar(&m.SES, "ses", false, "send the email of EmailSendingAccount=DEVELOPER pools with Amazon SES v2")
	fs.StringVar(&m.SESEndpoint, "ses-endpoint", "", "SES endpoint URL (default: AWS)")
	fs.StringVar(&m.SMSChannel, "sms-channel", "inbox", "SMS delivery: inbox, sns or webhook")
	fs.StringVar(&m.SNSEndpoint, "sns-endpoint", "", "SNS endpoint URL (default: AWS)")
	fs.StringVar(&m.WebhookURL, "sms-webhook-url", "", "URL that receives SMS as JSON POSTs (--sms-channel webhook)")
	fs.BoolVar(&m.Inbox, "inbox", false, "also keep every message readable through the inbox API")
	fs.BoolVar(&m.SMSSandbox, "sms-sandbox", false, "SMS sandbox: only --sms-verified-destinations receive SMS")
	fs.Func("sms-verified-destinations", "comma-separated E.164 numbers that receive SMS in the sandbox", func(s string) error {
		m.SMSVerifiedNumbers = splitList(s)
		return nil
	})
	fs.StringVar(&m.SMSOriginationNumber, "sms-origination-number", "", "origination identity; US numbers (+1) receive no SMS without one")
	fs.IntVar(&m.DailyEmailLimit, "email-daily-limit", 50, "messages a day per account from the built-in sender (COGNITO_DEFAULT); negative: no limit")
	fs.IntVar(&m.MaxAttempts, "message-max-attempts", 5, "delivery attempts before a message fails")
	fs.DurationVar(&m.Retention, "message-retention", 24*time.Hour, "how long delivered message bodies are kept (the inbox keeps its own)")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	pprofAddr := fs.String("pprof", "", "serve Go's profiler (net/http/pprof) on this address, e.g. 127.0.0.1:6060 (never expose it)")
	if err := parseWithEnv(fs, args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "cgip serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	logger, err := newLogger(stderr, *logFormat, *logLevel)
	if err != nil {
		fmt.Fprintln(stderr, "cgip serve:", err)
		return 2
	}
	cfg.Logger = logger
	cfg.PasswordHash = hash
	if flagSet(fs, "pool-cache-ttl") && cfg.PoolCacheTTL <= 0 {
		cfg.PoolCacheTTL = -1 // a given 0 is "read every time"; the Config's 0 is the default
	}
	cfg.MasterKey = os.Getenv("CGIP_MASTER_KEY")
	cfg.RootAccessKeyID = os.Getenv("CGIP_ROOT_ACCESS_KEY_ID")
	cfg.RootSecretAccessKey = os.Getenv("CGIP_ROOT_SECRET_ACCESS_KEY")
	cfg.Messages.WebhookSecret = os.Getenv("CGIP_SMS_WEBHOOK_SECRET")
	srv, err := server.New(ctx, cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "cgip serve:", err)
		return 1
	}
	if *pprofAddr != "" {
		go servePprof(*pprofAddr, logger)
	}
	if err := srv.Serve(ctx); err != nil {
		fmt.Fprintln(stderr, "cgip serve:", err)
		return 1
	}
	return 0
}

// parseWithEnv parses args, then fills every flag the command line did not set from its
// environment variable CGIP_<NAME> (dashes become underscores).
func parseWithEnv(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		env := "CGIP_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s=%q: %w", env, v, e)
				fmt.Fprintln(fs.Output(), "cgip serve:", err)
			}
		}
	})
	return err
}

// flagSet reports whether the command line or the environment set the flag.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// uintFlag parses a positive 32-bit number into dst.
func uintFlag(dst *uint32) func(string) error {
	return func(s string) error {
		n, err := strconv.ParseUint(s, 10, 32)
		if err != nil || n == 0 {
			return fmt.Errorf("want a positive number, got %q", s)
		}
		*dst = uint32(n)
		return nil
	}
}

func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	default:
		return nil, fmt.Errorf("--log-format %q: want text or json", format)
	}
}

// servePprof serves the profiler on its own listener, apart from the API: profiles are how the
// performance work finds where time goes (go tool pprof http://ADDR/debug/pprof/profile).
func servePprof(addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		log.Error("pprof listener failed", "addr", addr, "error", err)
	}
}
