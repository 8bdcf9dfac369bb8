package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/cgip/cgip/internal/api"
	"github.com/cgip/cgip/internal/courier"
	"github.com/cgip/cgip/internal/iamapi"
	"github.com/cgip/cgip/internal/principals"
	"github.com/cgip/cgip/internal/seal"
	"github.com/cgip/cgip/internal/store"
	"github.com/cgip/cgip/internal/store/sqlstore"
	"github.com/cgip/cgip/internal/tokens"
	"github.com/cgip/cgip/internal/userpool"
)

// shutdownGrace bounds how long in-flight requests may finish after a stop signal.
const shutdownGrace = 10 * time.Second

// Server is a configured, listening cgip.
type Server struct {
	cfg      Config
	store    store.Store
	api      *api.API
	inbox    *api.Inbox
	courier  *courier.Courier
	tokens   *tokens.Issuer
	iam      *iamapi.Handler
	accounts http.Handler
	listener net.Listener
	http     *http.Server
	fresh    freshConns
	log      *slog.Logger
}

// New opens the store and prepares everything; it listens but does not serve yet. Messages for
// the operator (the dev-mode warning, a newly generated root credential) go to announce.
func New(ctx context.Context, cfg Config, announce io.Writer) (*Server, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dsn, keyFile := storageLocation(&cfg)
	key, err := seal.LoadKey(cfg.MasterKey, keyFile)
	if err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	sealer, err := seal.New(key)
	if err != nil {
		return nil, err
	}
	st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Logger: log})
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	fail := func(err error) (*Server, error) { st.Close(); return nil, err }
	root, err := loadRootCredential(ctx, &cfg, st, sealer, announce)
	if err != nil {
		return fail(err)
	}
	if cfg.Dev {
		fmt.Fprintln(announce, "cgip: WARNING: --dev is on: any AWS credentials are accepted and signatures are NOT checked. Never expose this server.")
	}
	cour, err := newCourier(ctx, &cfg, st, sealer, log)
	if err != nil {
		return fail(err)
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fail(err)
	}
	if cfg.PublicURL == "" {
		cfg.PublicURL = "http://" + ln.Addr().String()
	}
	issuerBase := cfg.IssuerBase
	switch issuerBase {
	case "":
		issuerBase = cfg.PublicURL
	case "cognito":
		issuerBase = tokens.CognitoIssuerBase
	}
	tok := tokens.New(tokens.Config{Keys: st, Sealer: sealer, IssuerBase: issuerBase, PublicURL: cfg.PublicURL})
	trig, err := newTriggers(ctx, &cfg, log)
	if err != nil {
		return fail(err)
	}
	princ := principals.New(principals.Config{Store: st, Sealer: sealer, AccountID: cfg.AccountID, Now: cfg.Now,
		Root: principals.RootKey{AccessKeyID: root.AccessKeyID, SecretAccessKey: root.SecretAccessKey}})
	var smsRoles userpool.SMSRoles = princ
	if cfg.Dev {
		smsRoles = nil // --dev accepts anything, SMS roles included
	}
	poolTTL := cfg.PoolCacheTTL
	if poolTTL == 0 && st.Dialect() == "postgres" {
		poolTTL = -1 // several nodes: each must see the others' changes at once
	}
	pools := userpool.New(userpool.Config{SMSRoles: smsRoles, Store: st, Sealer: sealer, PasswordHash: cfg.PasswordHash, Courier: cour, Tokens: tok,
		Triggers: trig, RecoveryRate: cfg.RecoveryRate, PoolCacheTTL: poolTTL})
	apiCfg := api.Config{
		Dev: cfg.Dev, DevAccountID: cfg.AccountID, DefaultRegion: cfg.Region,
		Authenticator: princ, Authorizer: princ.Authorizer(), Tags: pools,
		Logger: log, CORSOrigin: cfg.CORSOrigin,
	}
	a := api.New(apiCfg, pools)
	s := &Server{cfg: cfg, store: st, api: a, inbox: api.NewInbox(apiCfg, cour), courier: cour, tokens: tok, listener: ln, log: log,
		iam:      iamapi.New(iamapi.Config{Principals: princ, Dev: cfg.Dev, DevAccountID: cfg.AccountID, Logger: log}),
		accounts: iamapi.NewAccounts(princ, cfg.Dev)}
	s.http = &http.Server{
		Handler:           s.routes(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ConnState:         s.fresh.track,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	s.http.RegisterOnShutdown(s.fresh.closeAll)
	return s, nil
}

// storageLocation maps the storage flags to a store DSN and the master key file.
func storageLocation(cfg *Config) (dsn, keyFile string) {
	switch {
	case cfg.Memory:
		return ":memory:", ""
	case cfg.Database != "":
		return cfg.Database, filepath.Join(cfg.DataDir, "master.key")
	default:
		return filepath.Join(cfg.DataDir, "cgip.db"), filepath.Join(cfg.DataDir, "master.key")
	}
}

// Addr is the address the server listens on (useful with port 0).
func (s *Server) Addr() string { return s.listener.Addr().String() }

// API exposes the registry (for the operations table).
func (s *Server) API() *api.API { return s.api }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", s.health)
	mux.Handle("/_cgip/messages", s.inbox)
	mux.HandleFunc("GET /{poolId}/.well-known/jwks.json", s.jwks)
	mux.HandleFunc("GET /{poolId}/.well-known/openid-configuration", s.discovery)
	mux.Handle("/_cgip/accounts", s.accounts)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if iamapi.Accepts(r) {
			s.iam.ServeHTTP(w, r)
			return
		}
		s.api.ServeHTTP(w, r)
	})
	return mux
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, `{"status":"unavailable"}`)
		return
	}
	_, _ = io.WriteString(w, `{"status":"ok"}`)
}

// jwks serves a pool's public signing keys, as Cognito does at the same path.
func (s *Server) jwks(w http.ResponseWriter, r *http.Request) {
	poolID := r.PathValue("poolId")
	if _, err := s.store.GetUserPool(r.Context(), regionOf(poolID), poolID); err != nil {
		http.NotFound(w, r)
		return
	}
	b, err := s.tokens.JWKS(r.Context(), poolID)
	if err != nil {
		s.log.Error("jwks failed", "pool", poolID, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, _ = w.Write(b)
}

func (s *Server) discovery(w http.ResponseWriter, r *http.Request) {
	poolID := r.PathValue("poolId")
	if _, err := s.store.GetUserPool(r.Context(), regionOf(poolID), poolID); err != nil {
		http.NotFound(w, r)
		return
	}
	b, err := s.tokens.Discovery(regionOf(poolID), poolID)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, _ = w.Write(b)
}

// regionOf is the region part of a pool id ("eu-west-1_AbC123xYz").
func regionOf(poolID string) string {
	region, _, _ := strings.Cut(poolID, "_")
	return region
}

// Serve serves until ctx is cancelled, then stops accepting, lets in-flight requests finish
// (10 s at most; connections that have sent no request are closed at once) and closes the
// store.
func (s *Server) Serve(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(s.listener) }()
	workerCtx, stopWorker := context.WithCancel(context.Background())
	workerDone := make(chan struct{})
	janitorDone := make(chan struct{})
	go func() { s.courier.Run(workerCtx); close(workerDone) }()
	go func() { janitor(workerCtx, s.store, s.log); close(janitorDone) }()
	s.log.Info("cgip listening", "addr", s.Addr(), "region", s.cfg.Region, "account", s.cfg.AccountID, "dev", s.cfg.Dev)
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		err = s.http.Shutdown(shutdownCtx)
		cancel()
		<-errc
	}
	// In-flight deliveries finish their attempt; what is left stays queued for the next start.
	stopWorker()
	<-workerDone
	<-janitorDone
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	if cerr := s.store.Close(); err == nil {
		err = cerr
	}
	s.log.Info("cgip stopped")
	return err
}
