package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Passwords of the seeded users (they satisfy Cognito's default policy).
const (
	seedPassword = "Bench-Passw0rd-1!"
	newPassword  = "Bench-N3w-Passw0rd-2!"
	// referenceCode is the code the reference endpoint puts in every reset message.
	referenceCode = "135790"
	// motoCodeHeader is where moto's server returns ForgotPassword's code.
	motoCodeHeader = "x-moto-forgot-password-confirmation-code"
)

func username(i int) string { return fmt.Sprintf("u%07d", i) }
func email(i int) string    { return fmt.Sprintf("u%07d@bench.example.com", i) }

// fixture is what seeding made: the pool, its client, and which users each operation uses.
// Users 0..auth-1 sign in (InitiateAuth), the next reset users are reset
// (AdminResetUserPassword), the next ones each hold one reset code (ConfirmForgotPassword);
// all of those are CONFIRMED with a known password. The rest only exist.
type fixture struct {
	poolID, clientID string
	users            int
	auth, reset      []string
	codes            []codeEntry
	codeSource       string // how the codes were learned
	codeNote         string // why there are none, when there are none
	seedTime         time.Duration
	seedCalls        int64
}

type codeEntry struct{ username, code string }

// sdkClient is the AWS SDK for Go v2 client seeding uses.
func sdkClient(c *config, endpoint string, httpClient *http.Client) *cip.Client {
	cfg := aws.Config{
		Region:       c.region,
		Credentials:  credentials.NewStaticCredentialsProvider(c.accessKey, c.secretKey, ""),
		BaseEndpoint: aws.String(endpoint),
		HTTPClient:   httpClient,
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 10
				o.MaxBackoff = 5 * time.Second
				o.RateLimiter = ratelimit.None
			})
		},
	}
	return cip.NewFromConfig(cfg)
}

// parallel runs fn(i) for i in [0, n) on workers goroutines and returns the first error.
func parallel(ctx context.Context, n, workers int, fn func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	var once sync.Once
	var first error
	var wg sync.WaitGroup
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := fn(ctx, i); err != nil {
					once.Do(func() { first = err; cancel() })
					return
				}
			}
		}()
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}

// createPool makes the benchmark's pool and its public app client.
func createPool(ctx context.Context, api *cip.Client) (poolID, clientID string, err error) {
	p, err := api.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName: aws.String(fmt.Sprintf("cgip-bench-%d", time.Now().Unix())),
		AccountRecoverySetting: &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(1)},
		}},
	})
	if err != nil {
		return "", "", fmt.Errorf("CreateUserPool: %w", err)
	}
	if p.UserPool == nil || p.UserPool.Id == nil {
		return "", "", errors.New("CreateUserPool: no pool id in the answer")
	}
	poolID = *p.UserPool.Id
	cl, err := api.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(poolID), ClientName: aws.String("bench"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
	})
	if err != nil {
		return "", "", fmt.Errorf("CreateUserPoolClient: %w", err)
	}
	if cl.UserPoolClient == nil || cl.UserPoolClient.ClientId == nil {
		return "", "", errors.New("CreateUserPoolClient: no client id in the answer")
	}
	return poolID, *cl.UserPoolClient.ClientId, nil
}

// seed creates the pool, the users and the reset codes through the API.
func seed(ctx context.Context, c *config, srv *server, endpoint string, logf func(string, ...any)) (*fixture, error) {
	t0 := time.Now()
	httpClient := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c.concurrency, MaxConnsPerHost: c.concurrency}, Timeout: 60 * time.Second}
	defer httpClient.CloseIdleConnections()
	api := sdkClient(c, endpoint, httpClient)
	f := &fixture{users: c.users}
	var err error
	if f.poolID, f.clientID, err = createPool(ctx, api); err != nil {
		return nil, err
	}
	// Who needs what: sets shrink (codes first) when -users is smaller than their sum.
	nAuth := min(c.authUsers, c.users)
	nReset := min(c.resetUsers, c.users-nAuth)
	nCodes := 0
	if c.wants("ConfirmForgotPassword") {
		nCodes = min(c.codes, c.users-nAuth-nReset)
	}
	if !c.wants("InitiateAuth") {
		nAuth = min(nAuth, 1)
	}
	if !c.wants("AdminResetUserPassword") {
		nReset = 0
	}
	confirmed := nAuth + nReset + nCodes
	var calls, done atomic.Int64
	step := max(c.users/10, 1)
	logf("seeding %d users (%d with a password) in pool %s", c.users, confirmed, f.poolID)
	err = parallel(ctx, c.users, c.concurrency, func(ctx context.Context, i int) error {
		_, err := api.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
			UserPoolId: aws.String(f.poolID), Username: aws.String(username(i)), MessageAction: types.MessageActionTypeSuppress,
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email(i))}, {Name: aws.String("email_verified"), Value: aws.String("true")}},
		})
		calls.Add(1)
		if err != nil {
			return fmt.Errorf("AdminCreateUser %s: %w", username(i), err)
		}
		if i < confirmed {
			_, err := api.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
				UserPoolId: aws.String(f.poolID), Username: aws.String(username(i)), Password: aws.String(seedPassword), Permanent: true,
			})
			calls.Add(1)
			if err != nil {
				return fmt.Errorf("AdminSetUserPassword %s: %w", username(i), err)
			}
		}
		if n := done.Add(1); n%int64(step) == 0 {
			logf("  %d/%d users (%.0f s)", n, c.users, time.Since(t0).Seconds())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := 0; i < nAuth; i++ {
		f.auth = append(f.auth, username(i))
	}
	for i := nAuth; i < nAuth+nReset; i++ {
		f.reset = append(f.reset, username(i))
	}
	if nCodes > 0 {
		if err := f.prepareCodes(ctx, c, srv, endpoint, api, nAuth+nReset, nCodes, &calls, logf); err != nil {
			return nil, err
		}
	}
	f.seedTime, f.seedCalls = time.Since(t0), calls.Load()
	logf("seeded in %.1f s (%d calls); %d reset codes (%s)", f.seedTime.Seconds(), f.seedCalls, len(f.codes), f.codeSource)
	return f, nil
}

// prepareCodes asks for a reset code (ForgotPassword) for users first..first+n-1 and learns
// the codes: from the harness (a target started with a fixed code), from moto's answer header,
// or from cgip's inbox API.
func (f *fixture) prepareCodes(ctx context.Context, c *config, srv *server, endpoint string, api *cip.Client, first, n int, calls *atomic.Int64, logf func(string, ...any)) error {
	mode, fixed, _ := strings.Cut(c.codesFrom, ":")
	if mode == "auto" && srv != nil && srv.fixedCode != "" {
		mode, fixed = "fixed", srv.fixedCode
	}
	if mode == "none" {
		f.codeNote = "no way to learn reset codes (-codes-from none)"
		return nil
	}
	forgot := func(ctx context.Context, i int) (string, error) {
		out, err := api.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: aws.String(f.clientID), Username: aws.String(username(first + i))})
		calls.Add(1)
		if err != nil {
			return "", fmt.Errorf("ForgotPassword %s: %w", username(first+i), err)
		}
		if raw, ok := awsmiddleware.GetRawResponse(out.ResultMetadata).(*smithyhttp.Response); ok {
			return raw.Header.Get(motoCodeHeader), nil
		}
		return "", nil
	}
	inbox := &inboxReader{endpoint: endpoint, pool: f.poolID, signer: v4.NewSigner(), creds: aws.Credentials{AccessKeyID: c.accessKey, SecretAccessKey: c.secretKey}, region: c.region}
	// The first request decides how codes are learned.
	hdr, err := forgot(ctx, 0)
	if err != nil {
		return err
	}
	if mode == "auto" {
		switch {
		case hdr != "":
			mode = "header"
		case inbox.probe(ctx, username(first)):
			mode = "inbox"
		default:
			f.codeNote = "the endpoint returns no code with ForgotPassword and has no cgip inbox API (try -codes-from fixed:CODE)"
			return nil
		}
	}
	codes := make([]string, n)
	codes[0] = hdr
	err = parallel(ctx, n-1, c.concurrency, func(ctx context.Context, i int) error {
		code, err := forgot(ctx, i+1)
		codes[i+1] = code
		return err
	})
	if err != nil {
		return err
	}
	switch mode {
	case "fixed":
		for i := range codes {
			codes[i] = fixed
		}
		f.codeSource = "fixed code " + fixed
	case "header":
		f.codeSource = "moto's " + motoCodeHeader + " answer header"
	case "inbox":
		got, err := inbox.codes(ctx, c.concurrency, first, n)
		if err != nil {
			return err
		}
		copy(codes, got)
		f.codeSource = "cgip's inbox API (GET /_cgip/messages)"
	}
	for i, code := range codes {
		if code != "" {
			f.codes = append(f.codes, codeEntry{username(first + i), code})
		}
	}
	if len(f.codes) < n {
		logf("warning: %d of %d reset codes could not be learned", n-len(f.codes), n)
	}
	return nil
}

// inboxReader reads codes from cgip's inbox API, signed for the service "cgip".
type inboxReader struct {
	endpoint, pool, region string
	signer                 *v4.Signer
	creds                  aws.Credentials
	client                 http.Client
}

type inboxMessage struct {
	Username string
	Kind     string
	Code     string
}

func (r *inboxReader) list(ctx context.Context, q url.Values) ([]inboxMessage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.endpoint+"/_cgip/messages?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(nil)
	if err := r.signer.SignHTTP(ctx, r.creds, req, hex.EncodeToString(sum[:]), "cgip", r.region, time.Now()); err != nil {
		return nil, err
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /_cgip/messages: %s: %.200s", resp.Status, body)
	}
	var out struct{ Messages []inboxMessage }
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("GET /_cgip/messages: %w", err)
	}
	return out.Messages, nil
}

// probe reports whether the inbox holds a code for user.
func (r *inboxReader) probe(ctx context.Context, user string) bool {
	msgs, err := r.list(ctx, url.Values{"userPoolId": {r.pool}, "username": {user}, "limit": {"1"}})
	return err == nil && len(msgs) == 1 && msgs[0].Code != ""
}

// codes returns the newest ForgotPassword code of users first..first+n-1: one listing of the
// pool's newest messages, then one request per user it did not cover.
func (r *inboxReader) codes(ctx context.Context, workers, first, n int) ([]string, error) {
	want := map[string]int{}
	for i := 0; i < n; i++ {
		want[username(first+i)] = i
	}
	out := make([]string, n)
	msgs, err := r.list(ctx, url.Values{"userPoolId": {r.pool}, "kind": {"ForgotPassword"}, "limit": {"1000"}})
	if err != nil {
		return nil, err
	}
	for _, m := range msgs { // newest first
		if i, ok := want[m.Username]; ok && out[i] == "" {
			out[i] = m.Code
		}
	}
	err = parallel(ctx, n, workers, func(ctx context.Context, i int) error {
		if out[i] != "" {
			return nil
		}
		msgs, err := r.list(ctx, url.Values{"userPoolId": {r.pool}, "username": {username(first + i)}, "kind": {"ForgotPassword"}, "limit": {"1"}})
		if err != nil {
			return err
		}
		if len(msgs) > 0 {
			out[i] = msgs[0].Code
		}
		return nil
	})
	return out, err
}
