package reference

import (
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/cgip/cgip/internal/passhash"
	"github.com/cgip/cgip/internal/sigv4"
)

// Config configures a reference endpoint.
type Config struct {
	// AccessKeyID and Secret are the one credential signed requests must use.
	AccessKeyID, Secret string
	// DBPath is the SQLite database file (created if missing). Ignored when Bare.
	DBPath string
	// Hash is the argon2id cost of password hashes (zero: passhash.Default).
	Hash passhash.Params
	// Code is the code every reset "message" carries (default 123456).
	Code string
	// Region is the region pool ids are made in (default us-east-1).
	Region string
	// Bare answers {} to every request and does nothing else.
	Bare bool
}

// Server is the reference endpoint; it is an http.Handler.
type Server struct {
	cfg     Config
	rdb     *sql.DB // readers: WAL lets them run beside the writer
	wdb     *sql.DB // the single writer connection
	stmts   map[string]*sql.Stmt
	codeKey []byte
	signKey *rsa.PrivateKey

	mu      sync.RWMutex
	clients map[string]string // client id -> pool id

	// hashing admits one argon2id computation per core at a time: more only share the cores
	// and thrash 19 MiB each through the caches.
	hashing chan struct{}
}

const jsonType = "application/x-amz-json-1.1"

// New opens (or creates) the database and returns the endpoint.
func New(cfg Config) (*Server, error) {
	if cfg.Code == "" {
		cfg.Code = "123456"
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Hash == (passhash.Params{}) {
		cfg.Hash = passhash.Default
	}
	s := &Server{cfg: cfg, clients: map[string]string{}, hashing: make(chan struct{}, runtime.GOMAXPROCS(0))}
	if cfg.Bare {
		return s, nil
	}
	s.codeKey = make([]byte, 32)
	if _, err := rand.Read(s.codeKey); err != nil {
		return nil, err
	}
	var err error
	if s.signKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		return nil, err
	}
	dsn := "file:" + cfg.DBPath + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)"
	if s.wdb, err = sql.Open("sqlite", dsn); err != nil {
		return nil, err
	}
	s.wdb.SetMaxOpenConns(1)
	if s.rdb, err = sql.Open("sqlite", dsn); err != nil {
		s.wdb.Close()
		return nil, err
	}
	s.rdb.SetMaxOpenConns(4 * runtime.GOMAXPROCS(0))
	s.rdb.SetMaxIdleConns(4 * runtime.GOMAXPROCS(0))
	if err := s.init(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

const schema = `
CREATE TABLE IF NOT EXISTS pools (id TEXT PRIMARY KEY, body BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS clients (id TEXT PRIMARY KEY, pool TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS users (
	pool TEXT NOT NULL, username TEXT NOT NULL, email TEXT NOT NULL, status TEXT NOT NULL,
	hash TEXT NOT NULL DEFAULT '', code TEXT NOT NULL DEFAULT '', attrs BLOB NOT NULL,
	created REAL NOT NULL, modified REAL NOT NULL,
	PRIMARY KEY (pool, username)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS users_email ON users (pool, email);
`

var queries = map[string]string{
	"pool":       `SELECT body FROM pools WHERE id = ?`,
	"user":       `SELECT email, status, hash, code, attrs, created, modified FROM users WHERE pool = ? AND username = ?`,
	"list":       `SELECT username, status, attrs, created, modified FROM users WHERE pool = ? AND email >= ? AND email < ? ORDER BY email LIMIT ?`,
	"insertPool": `INSERT INTO pools (id, body) VALUES (?, ?)`,
	"insertCli":  `INSERT INTO clients (id, pool) VALUES (?, ?)`,
	"insertUser": `INSERT INTO users (pool, username, email, status, attrs, created, modified) VALUES (?, ?, ?, ?, ?, ?, ?)`,
	"setPass":    `UPDATE users SET hash = ?, status = ?, modified = ? WHERE pool = ? AND username = ?`,
	"reset":      `UPDATE users SET status = 'RESET_REQUIRED', code = ?, modified = ? WHERE pool = ? AND username = ?`,
	"forgot":     `UPDATE users SET code = ?, modified = ? WHERE pool = ? AND username = ?`,
	"confirm":    `UPDATE users SET hash = ?, status = 'CONFIRMED', code = '', modified = ? WHERE pool = ? AND username = ? AND code = ?`,
}

var readQueries = map[string]bool{"pool": true, "user": true, "list": true}

func (s *Server) init() error {
	if _, err := s.wdb.Exec(schema); err != nil {
		return fmt.Errorf("reference: schema: %w", err)
	}
	s.stmts = map[string]*sql.Stmt{}
	for name, q := range queries {
		db := s.wdb
		if readQueries[name] {
			db = s.rdb
		}
		st, err := db.Prepare(q)
		if err != nil {
			return fmt.Errorf("reference: prepare %s: %w", name, err)
		}
		s.stmts[name] = st
	}
	rows, err := s.rdb.Query(`SELECT id, pool FROM clients`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, pool string
		if err := rows.Scan(&id, &pool); err != nil {
			return err
		}
		s.clients[id] = pool
	}
	return rows.Err()
}

// Close closes the database.
func (s *Server) Close() error {
	for _, st := range s.stmts {
		st.Close()
	}
	var errs []error
	if s.rdb != nil {
		errs = append(errs, s.rdb.Close())
	}
	if s.wdb != nil {
		errs = append(errs, s.wdb.Close())
	}
	return errors.Join(errs...)
}

// apiError is an AWS JSON 1.1 error.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{status, code, fmt.Sprintf(format, args...)}
}

// unsigned are the operations Cognito accepts without SigV4 (public client operations).
var unsigned = map[string]bool{"InitiateAuth": true, "ForgotPassword": true, "ConfirmForgotPassword": true}

// ServeHTTP answers POST / with X-Amz-Target AWSCognitoIdentityProviderService.<Op>, and
// GET /health.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.URL.Path == "/health" {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"ok"}`)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return
	}
	if s.cfg.Bare {
		w.Header().Set("Content-Type", jsonType)
		io.WriteString(w, "{}")
		return
	}
	w.Header().Set("x-amzn-RequestId", requestID())
	out, err := s.serve(r, body)
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			ae = &apiError{500, "InternalErrorException", err.Error()}
		}
		w.Header().Set("Content-Type", jsonType)
		w.Header().Set("x-amzn-ErrorType", ae.code)
		w.WriteHeader(ae.status)
		json.NewEncoder(w).Encode(map[string]string{"__type": ae.code, "message": ae.message})
		return
	}
	b, err := json.Marshal(out)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	w.Header().Set("Content-Type", jsonType)
	w.Write(b)
}

func requestID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

const targetPrefix = "AWSCognitoIdentityProviderService."

func (s *Server) serve(r *http.Request, body []byte) (any, error) {
	target := r.Header.Get("X-Amz-Target")
	op, ok := strings.CutPrefix(target, targetPrefix)
	if r.Method != http.MethodPost || !ok {
		return nil, errorf(400, "UnknownOperationException", "")
	}
	if !unsigned[op] {
		if err := s.authenticate(r, body); err != nil {
			return nil, err
		}
	}
	var in request
	if len(body) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			return nil, errorf(400, "SerializationException", "%v", err)
		}
	}
	ctx := r.Context()
	switch op {
	case "DescribeUserPool":
		return s.describeUserPool(ctx, &in)
	case "AdminGetUser":
		return s.adminGetUser(ctx, &in)
	case "ListUsers":
		return s.listUsers(ctx, &in)
	case "AdminResetUserPassword":
		return s.adminResetUserPassword(ctx, &in)
	case "InitiateAuth":
		return s.initiateAuth(ctx, &in)
	case "ConfirmForgotPassword":
		return s.confirmForgotPassword(ctx, &in)
	case "ForgotPassword":
		return s.forgotPassword(ctx, &in)
	case "CreateUserPool":
		return s.createUserPool(ctx, &in)
	case "CreateUserPoolClient":
		return s.createUserPoolClient(ctx, &in)
	case "AdminCreateUser":
		return s.adminCreateUser(ctx, &in)
	case "AdminSetUserPassword":
		return s.adminSetUserPassword(ctx, &in)
	}
	return nil, errorf(400, "UnknownOperationException", "")
}

func (s *Server) authenticate(r *http.Request, body []byte) error {
	a, err := sigv4.Parse(r)
	if err == nil && a == nil {
		err = &sigv4.Error{Code: sigv4.CodeMissingAuthenticationToken, Message: "Request is missing Authentication Token"}
	}
	if err == nil && a.AccessKeyID != s.cfg.AccessKeyID {
		return errorf(400, "UnrecognizedClientException", "The security token included in the request is invalid.")
	}
	if err == nil {
		err = sigv4.Verify(r, body, a, s.cfg.Secret, time.Now())
	}
	if err != nil {
		var se *sigv4.Error
		if errors.As(err, &se) {
			return errorf(400, se.Code, "%s", se.Message)
		}
		return err
	}
	return nil
}

// request holds every input field the reference reads.
type request struct {
	UserPoolId        string
	ClientId          string
	ClientName        string
	PoolName          string
	Username          string
	Password          string
	Permanent         bool
	ConfirmationCode  string
	Filter            string
	Limit             int
	AuthFlow          string
	AuthParameters    map[string]string
	UserAttributes    []attribute
	ExplicitAuthFlows []string
	MessageAction     string
}

type attribute struct {
	Name  string
	Value string
}

func (in *request) need(fields ...string) error {
	for i := 0; i+1 < len(fields); i += 2 {
		if fields[i+1] == "" {
			return errorf(400, "InvalidParameterException", "Missing required parameter %s", fields[i])
		}
	}
	return nil
}

func now() float64 { return float64(time.Now().UnixMilli()) / 1000 }

func (s *Server) codeHMAC(code string) string {
	m := hmac.New(sha256.New, s.codeKey)
	m.Write([]byte(code))
	return hex.EncodeToString(m.Sum(nil))
}

func (s *Server) poolOf(clientID string) (string, error) {
	s.mu.RLock()
	pool, ok := s.clients[clientID]
	s.mu.RUnlock()
	if !ok {
		return "", errorf(400, "ResourceNotFoundException", "User pool client %s does not exist.", clientID)
	}
	return pool, nil
}

func (s *Server) describeUserPool(ctx context.Context, in *request) (any, error) {
	if err := in.need("UserPoolId", in.UserPoolId); err != nil {
		return nil, err
	}
	var body json.RawMessage
	err := s.stmts["pool"].QueryRowContext(ctx, in.UserPoolId).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errorf(400, "ResourceNotFoundException", "User pool %s does not exist.", in.UserPoolId)
	}
	if err != nil {
		return nil, err
	}
	return struct{ UserPool json.RawMessage }{body}, nil
}

type userRow struct {
	email, status, hash, code string
	attrs                     json.RawMessage
	created, modified         float64
}

func (s *Server) readUser(ctx context.Context, pool, username string) (*userRow, error) {
	var u userRow
	err := s.stmts["user"].QueryRowContext(ctx, pool, username).Scan(&u.email, &u.status, &u.hash, &u.code, &u.attrs, &u.created, &u.modified)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errorf(400, "UserNotFoundException", "User does not exist.")
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}

func (s *Server) adminGetUser(ctx context.Context, in *request) (any, error) {
	if err := in.need("UserPoolId", in.UserPoolId, "Username", in.Username); err != nil {
		return nil, err
	}
	u, err := s.readUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"Username": in.Username, "UserAttributes": u.attrs, "UserStatus": u.status, "Enabled": true,
		"UserCreateDate": u.created, "UserLastModifiedDate": u.modified,
	}, nil
}

// prefixFilter is the ListUsers filter the reference serves: email ^= "prefix" (or = "value").
var prefixFilter = regexp.MustCompile(`^\s*email\s*(\^?=)\s*"([^"]*)"\s*$`)

func (s *Server) listUsers(ctx context.Context, in *request) (any, error) {
	if err := in.need("UserPoolId", in.UserPoolId); err != nil {
		return nil, err
	}
	m := prefixFilter.FindStringSubmatch(in.Filter)
	if m == nil {
		return nil, errorf(400, "InvalidParameterException", "the reference serves only email filters")
	}
	lo, hi := m[2], m[2]+"\x00"
	if m[1] == "^=" {
		hi = m[2] + "\U0010FFFF"
	}
	limit := in.Limit
	if limit <= 0 || limit > 60 {
		limit = 60
	}
	rows, err := s.stmts["list"].QueryContext(ctx, in.UserPoolId, lo, hi, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type user struct {
		Username             string
		Attributes           json.RawMessage
		UserStatus           string
		Enabled              bool
		UserCreateDate       float64
		UserLastModifiedDate float64
	}
	users := []user{}
	for rows.Next() {
		u := user{Enabled: true}
		if err := rows.Scan(&u.Username, &u.UserStatus, &u.Attributes, &u.UserCreateDate, &u.UserLastModifiedDate); err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return struct{ Users any }{users}, nil
}

// write runs one statement of the single writer and answers UserNotFoundException when it
// changed no row.
func (s *Server) write(ctx context.Context, name string, args ...any) error {
	res, err := s.stmts[name].ExecContext(ctx, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errorf(400, "UserNotFoundException", "User does not exist.")
	}
	return nil
}

func (s *Server) adminResetUserPassword(ctx context.Context, in *request) (any, error) {
	if err := in.need("UserPoolId", in.UserPoolId, "Username", in.Username); err != nil {
		return nil, err
	}
	if err := s.write(ctx, "reset", s.codeHMAC(s.cfg.Code), now(), in.UserPoolId, in.Username); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func (s *Server) forgotPassword(ctx context.Context, in *request) (any, error) {
	if err := in.need("ClientId", in.ClientId, "Username", in.Username); err != nil {
		return nil, err
	}
	pool, err := s.poolOf(in.ClientId)
	if err != nil {
		return nil, err
	}
	if err := s.write(ctx, "forgot", s.codeHMAC(s.cfg.Code), now(), pool, in.Username); err != nil {
		return nil, err
	}
	return map[string]any{"CodeDeliveryDetails": map[string]string{
		"AttributeName": "email", "DeliveryMedium": "EMAIL", "Destination": "u***@e***",
	}}, nil
}

func (s *Server) confirmForgotPassword(ctx context.Context, in *request) (any, error) {
	if err := in.need("ClientId", in.ClientId, "Username", in.Username, "ConfirmationCode", in.ConfirmationCode, "Password", in.Password); err != nil {
		return nil, err
	}
	pool, err := s.poolOf(in.ClientId)
	if err != nil {
		return nil, err
	}
	u, err := s.readUser(ctx, pool, in.Username)
	if err != nil {
		return nil, err
	}
	mac := s.codeHMAC(in.ConfirmationCode)
	if u.code == "" || !hmac.Equal([]byte(mac), []byte(u.code)) {
		return nil, errorf(400, "CodeMismatchException", "Invalid verification code provided, please try again.")
	}
	hash, err := s.hash(in.Password)
	if err != nil {
		return nil, err
	}
	if err := s.write(ctx, "confirm", hash, now(), pool, in.Username, mac); err != nil {
		return nil, errorf(400, "ExpiredCodeException", "Invalid code provided, please request a code again.")
	}
	return struct{}{}, nil
}

func (s *Server) initiateAuth(ctx context.Context, in *request) (any, error) {
	if err := in.need("ClientId", in.ClientId, "AuthFlow", in.AuthFlow); err != nil {
		return nil, err
	}
	if in.AuthFlow != "USER_PASSWORD_AUTH" {
		return nil, errorf(400, "InvalidParameterException", "the reference serves only USER_PASSWORD_AUTH")
	}
	pool, err := s.poolOf(in.ClientId)
	if err != nil {
		return nil, err
	}
	username, password := in.AuthParameters["USERNAME"], in.AuthParameters["PASSWORD"]
	u, err := s.readUser(ctx, pool, username)
	if err != nil {
		return nil, err
	}
	ok, err := s.verify(password, u.hash)
	if err != nil || !ok {
		return nil, errorf(400, "NotAuthorizedException", "Incorrect username or password.")
	}
	if u.status == "RESET_REQUIRED" {
		return nil, errorf(400, "PasswordResetRequiredException", "Password reset required for the user")
	}
	t := time.Now().Unix()
	id, err := s.jwt(map[string]any{"sub": username, "email": u.email, "aud": in.ClientId, "token_use": "id",
		"iss": "http://reference/" + pool, "iat": t, "exp": t + 3600, "cognito:username": username})
	if err != nil {
		return nil, err
	}
	access, err := s.jwt(map[string]any{"sub": username, "client_id": in.ClientId, "token_use": "access",
		"iss": "http://reference/" + pool, "iat": t, "exp": t + 3600, "username": username, "scope": "aws.cognito.signin.user.admin"})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ChallengeParameters": map[string]string{}, "AuthenticationResult": map[string]any{
		"AccessToken": access, "IdToken": id, "RefreshToken": requestID() + requestID(),
		"ExpiresIn": 3600, "TokenType": "Bearer",
	}}, nil
}

func (s *Server) hash(password string) (string, error) {
	s.hashing <- struct{}{}
	defer func() { <-s.hashing }()
	return passhash.Hash(password, s.cfg.Hash)
}

func (s *Server) verify(password, hash string) (bool, error) {
	s.hashing <- struct{}{}
	defer func() { <-s.hashing }()
	return passhash.Verify(password, hash)
}

var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","kid":"reference"}`))

func (s *Server) jwt(claims map[string]any) (string, error) {
	b, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signing := jwtHeader + "." + base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(nil, s.signKey, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

const idChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

func randomID(n int, chars string) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = chars[int(b[i])%len(chars)]
	}
	return string(b)
}

func (s *Server) createUserPool(ctx context.Context, in *request) (any, error) {
	if err := in.need("PoolName", in.PoolName); err != nil {
		return nil, err
	}
	id := s.cfg.Region + "_" + randomID(9, idChars)
	t := now()
	pool := map[string]any{
		"Id": id, "Name": in.PoolName, "Arn": "arn:aws:cognito-idp:" + s.cfg.Region + ":000000000000:userpool/" + id,
		"CreationDate": t, "LastModifiedDate": t, "MfaConfiguration": "OFF", "EstimatedNumberOfUsers": 0,
		"Policies": map[string]any{"PasswordPolicy": map[string]any{"MinimumLength": 8, "RequireUppercase": true,
			"RequireLowercase": true, "RequireNumbers": true, "RequireSymbols": true, "TemporaryPasswordValidityDays": 7}},
		"AccountRecoverySetting": map[string]any{"RecoveryMechanisms": []map[string]any{{"Name": "verified_email", "Priority": 1}}},
	}
	b, err := json.Marshal(pool)
	if err != nil {
		return nil, err
	}
	if _, err := s.stmts["insertPool"].ExecContext(ctx, id, b); err != nil {
		return nil, err
	}
	return struct{ UserPool json.RawMessage }{b}, nil
}

func (s *Server) createUserPoolClient(ctx context.Context, in *request) (any, error) {
	if err := in.need("UserPoolId", in.UserPoolId, "ClientName", in.ClientName); err != nil {
		return nil, err
	}
	var body []byte
	if err := s.stmts["pool"].QueryRowContext(ctx, in.UserPoolId).Scan(&body); err != nil {
		return nil, errorf(400, "ResourceNotFoundException", "User pool %s does not exist.", in.UserPoolId)
	}
	id := randomID(26, "0123456789abcdefghijklmnopqrstuvwxyz")
	if _, err := s.stmts["insertCli"].ExecContext(ctx, id, in.UserPoolId); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.clients[id] = in.UserPoolId
	s.mu.Unlock()
	return map[string]any{"UserPoolClient": map[string]any{
		"ClientId": id, "ClientName": in.ClientName, "UserPoolId": in.UserPoolId, "ExplicitAuthFlows": in.ExplicitAuthFlows,
	}}, nil
}

func (s *Server) adminCreateUser(ctx context.Context, in *request) (any, error) {
	if err := in.need("UserPoolId", in.UserPoolId, "Username", in.Username); err != nil {
		return nil, err
	}
	attrs := append([]attribute{{"sub", requestID()}}, in.UserAttributes...)
	email := ""
	for _, a := range in.UserAttributes {
		if a.Name == "email" {
			email = a.Value
		}
	}
	b, err := json.Marshal(attrs)
	if err != nil {
		return nil, err
	}
	t := now()
	if _, err := s.stmts["insertUser"].ExecContext(ctx, in.UserPoolId, in.Username, email, "FORCE_CHANGE_PASSWORD", b, t, t); err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return nil, errorf(400, "UsernameExistsException", "User account already exists")
		}
		return nil, err
	}
	return map[string]any{"User": map[string]any{
		"Username": in.Username, "Attributes": json.RawMessage(b), "UserStatus": "FORCE_CHANGE_PASSWORD",
		"Enabled": true, "UserCreateDate": t, "UserLastModifiedDate": t,
	}}, nil
}

func (s *Server) adminSetUserPassword(ctx context.Context, in *request) (any, error) {
	if err := in.need("UserPoolId", in.UserPoolId, "Username", in.Username, "Password", in.Password); err != nil {
		return nil, err
	}
	hash, err := s.hash(in.Password)
	if err != nil {
		return nil, err
	}
	status := "FORCE_CHANGE_PASSWORD"
	if in.Permanent {
		status = "CONFIRMED"
	}
	if err := s.write(ctx, "setPass", hash, status, now(), in.UserPoolId, in.Username); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

// Work describes what the reference does for an operation, for reports.
func Work(op string) string {
	switch op {
	case "DescribeUserPool", "AdminGetUser":
		return "SigV4 + JSON + 1 SQLite point read"
	case "ListUsers":
		return "SigV4 + JSON + 1 SQLite index range read"
	case "AdminResetUserPassword":
		return "SigV4 + JSON + 1 durable SQLite write"
	case "InitiateAuth":
		return "JSON + 1 point read + argon2id verify + 2 RS256"
	case "ConfirmForgotPassword":
		return "JSON + 1 point read + argon2id hash + 1 durable write"
	}
	return ""
}
