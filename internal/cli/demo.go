package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cgip/cgip/internal/passhash"
	"github.com/cgip/cgip/internal/server"
)

const demoUsage = `Usage: cgip demo

Starts a throwaway server (--dev, SQLite in a temporary directory) and walks through the
password-reset story with the AWS SDK: sign in, AdminResetUserPassword, the refused sign-in,
the code from the inbox, ConfirmForgotPassword, sign in again, and the ID token's claims.
`

// Everything the demo makes up.
const (
	demoRegion   = "us-east-1"
	demoUser     = "alice"
	demoEmail    = "alice@example.com"
	demoPassword = "Correct-Horse-1"
	demoNewPass  = "Battery-Staple-2"
	demoKeyID    = "AKIACGIPDEMO00000001"
	demoSecret   = "cgip-demo-secret"
)

// runDemo tells the password-reset story against an in-process server, one line a step.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if a := args[0]; a == "-h" || a == "-help" || a == "--help" || a == "help" {
			fmt.Fprint(stdout, demoUsage)
			return 0
		}
		fmt.Fprintf(stderr, "cgip demo: unexpected argument %q\n\n%s", args[0], demoUsage)
		return 2
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := demo(ctx, stdout); err != nil {
		fmt.Fprintln(stderr, "cgip demo:", err)
		return 1
	}
	fmt.Fprintf(stdout, "done in %s\n", time.Since(start).Round(time.Millisecond))
	return 0
}

func demo(ctx context.Context, out io.Writer) (err error) {
	step := func(n int, what, format string, a ...any) {
		fmt.Fprintf(out, "%2d. %-9s %s\n", n, what, fmt.Sprintf(format, a...))
	}

	// 1. The server.
	dir, err := os.MkdirTemp("", "cgip-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	srv, err := server.New(ctx, server.Config{
		Listen: "127.0.0.1:0", DataDir: dir, Dev: true, Region: demoRegion, AccountID: server.DefaultAccountID,
		RootAccessKeyID: demoKeyID, RootSecretAccessKey: demoSecret,
		// Cheap but real argon2id: the demo is about the story, not the hash cost.
		PasswordHash: passhash.Params{Time: 1, MemoryKiB: 8 * 1024, Threads: 1, KeyLen: 32, SaltLen: 16},
		Messages:     server.Messages{Interval: 20 * time.Millisecond},
	}, io.Discard)
	if err != nil {
		return fmt.Errorf("start server: %w", err)
	}
	srvCtx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(srvCtx) }()
	defer func() {
		stop()
		if serr := <-served; err == nil && serr != nil {
			err = fmt.Errorf("stop server: %w", serr)
		}
	}()
	endpoint := "http://" + srv.Addr()
	step(1, "server", "%s (--dev, SQLite in %s)", endpoint, dir)

	// 2. A pool that recovers accounts through verified email, and a public client.
	c := cip.New(cip.Options{Region: demoRegion, BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider(demoKeyID, demoSecret, "")})
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName: aws.String("demo"),
		AccountRecoverySetting: &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(1)},
		}},
	})
	if err != nil {
		return fmt.Errorf("CreateUserPool: %w", apiError(err))
	}
	poolID := pool.UserPool.Id
	client, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: poolID, ClientName: aws.String("demo-app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
	})
	if err != nil {
		return fmt.Errorf("CreateUserPoolClient: %w", apiError(err))
	}
	clientID := client.UserPoolClient.ClientId
	step(2, "pool", "%s (account recovery: verified_email), app client %s", aws.ToString(poolID), aws.ToString(clientID))

	// 3. A user with a verified email and a permanent password.
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: poolID, Username: aws.String(demoUser), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{
			{Name: aws.String("email"), Value: aws.String(demoEmail)},
			{Name: aws.String("email_verified"), Value: aws.String("true")},
		},
	}); err != nil {
		return fmt.Errorf("AdminCreateUser: %w", apiError(err))
	}
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: poolID, Username: aws.String(demoUser), Password: aws.String(demoPassword), Permanent: true,
	}); err != nil {
		return fmt.Errorf("AdminSetUserPassword: %w", apiError(err))
	}
	status, err := userStatus(ctx, c, poolID)
	if err != nil {
		return err
	}
	step(3, "user", "%s <%s>, email verified, permanent password set: %s", demoUser, demoEmail, status)

	signIn := func(password string) (*types.AuthenticationResultType, error) {
		res, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{
			ClientId: clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": demoUser, "PASSWORD": password},
		})
		if err != nil {
			return nil, apiError(err)
		}
		if res.AuthenticationResult == nil {
			return nil, fmt.Errorf("no tokens: challenge %s", res.ChallengeName)
		}
		return res.AuthenticationResult, nil
	}

	// 4. Signing in works.
	if _, err := signIn(demoPassword); err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	step(4, "sign in", "USER_PASSWORD_AUTH as %s: ID, access and refresh tokens issued", demoUser)

	// 5. The administrator resets the password.
	if _, err := c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: poolID, Username: aws.String(demoUser)}); err != nil {
		return fmt.Errorf("AdminResetUserPassword: %w", apiError(err))
	}
	if status, err = userStatus(ctx, c, poolID); err != nil {
		return err
	}
	step(5, "reset", "AdminResetUserPassword: status is now %s", status)

	// 6. The old password no longer signs in.
	_, err = signIn(demoPassword)
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "PasswordResetRequiredException" {
		return fmt.Errorf("sign in after the reset: want PasswordResetRequiredException, got %v", err)
	}
	step(6, "sign in", "with the old password: %v", err)

	// 7. The code arrived in the inbox.
	msg, err := demoInboxMessage(ctx, endpoint)
	if err != nil {
		return fmt.Errorf("inbox: %w", err)
	}
	step(7, "inbox", "to %s: %q / %q (code %s)", msg.Destination, msg.Subject, msg.Body, msg.Code)

	// 8. The user redeems it with a new password.
	if _, err := c.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{
		ClientId: clientID, Username: aws.String(demoUser), ConfirmationCode: aws.String(msg.Code), Password: aws.String(demoNewPass),
	}); err != nil {
		return fmt.Errorf("ConfirmForgotPassword: %w", apiError(err))
	}
	if status, err = userStatus(ctx, c, poolID); err != nil {
		return err
	}
	step(8, "confirm", "ConfirmForgotPassword with code %s and a new password: status is now %s", msg.Code, status)

	// 9. The new password signs in.
	tokens, err := signIn(demoNewPass)
	if err != nil {
		return fmt.Errorf("sign in with the new password: %w", err)
	}
	step(9, "sign in", "with the new password: ID, access and refresh tokens issued")

	// 10. What the ID token says.
	claims, err := jwtClaims(aws.ToString(tokens.IdToken))
	if err != nil {
		return fmt.Errorf("ID token: %w", err)
	}
	step(10, "ID token", "claims:")
	keys := make([]string, 0, len(claims))
	for k := range claims {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(out, "      %s: %s\n", k, claimString(k, claims[k]))
	}
	return nil
}

// apiError shortens an SDK error to "<Code>: <message>", as Cognito states it.
func apiError(err error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return demoAPIError{ae}
	}
	return err
}

type demoAPIError struct{ smithy.APIError }

func (e demoAPIError) Error() string { return e.ErrorCode() + ": " + e.ErrorMessage() }
func (e demoAPIError) Unwrap() error { return e.APIError }

func userStatus(ctx context.Context, c *cip.Client, poolID *string) (types.UserStatusType, error) {
	u, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: poolID, Username: aws.String(demoUser)})
	if err != nil {
		return "", fmt.Errorf("AdminGetUser: %w", apiError(err))
	}
	return u.UserStatus, nil
}

// demoInboxMessage long-polls the inbox (unsigned: the demo server runs with --dev) for the
// reset message sent to the demo user.
func demoInboxMessage(ctx context.Context, endpoint string) (*demoMessage, error) {
	q := url.Values{"to": {demoEmail}, "kind": {"AdminResetUserPassword"}, "limit": {"1"}, "wait": {"5s"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/_cgip/messages?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := (&http.Client{Timeout: 15 * time.Second}).Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", resp.Status, bytes.TrimSpace(body))
	}
	var out struct{ Messages []demoMessage }
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("unexpected answer: %w", err)
	}
	if len(out.Messages) == 0 || out.Messages[0].Code == "" {
		return nil, fmt.Errorf("no reset code sent to %s", demoEmail)
	}
	return &out.Messages[0], nil
}

type demoMessage struct {
	Destination, Subject, Body, Code string
}

// jwtClaims decodes a JWT's payload (without checking the signature: this is for reading).
func jwtClaims(token string) (map[string]any, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errors.New("not a JWT")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var claims map[string]any
	if err := dec.Decode(&claims); err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	return claims, nil
}

// claimString shows a claim value: strings and numbers as they are, times also in UTC,
// anything else as compact JSON.
func claimString(name string, v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		if n, err := v.Int64(); err == nil && (name == "exp" || name == "iat" || name == "auth_time") {
			return fmt.Sprintf("%d (%s)", n, time.Unix(n, 0).UTC().Format(time.RFC3339))
		}
		return v.String()
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}
