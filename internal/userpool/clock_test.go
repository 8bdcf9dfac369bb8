package userpool_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/courier"
	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/passhash"
	"github.com/cgip/cgip/internal/seal"
	"github.com/cgip/cgip/internal/store/sqlstore"
	"github.com/cgip/cgip/internal/tokens"
	"github.com/cgip/cgip/internal/userpool"
)

// clockFixture is the domain on an in-memory store with a clock the test moves, for the rules
// that are about time: code and temporary-password lifetimes.
type clockFixture struct {
	s      *userpool.Service
	c      *courier.Courier
	now    time.Time
	ctx    context.Context
	pool   string
	client string
}

func newClockFixture(t *testing.T) *clockFixture {
	st, err := sqlstore.Open(context.Background(), ":memory:", sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sealer, _ := seal.New(bytes.Repeat([]byte{9}, seal.KeySize))
	f := &clockFixture{now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return f.now }
	f.c = courier.New(courier.Config{Store: st, Sealer: sealer, Now: clock})
	tok := tokens.New(tokens.Config{Keys: st, Sealer: sealer, IssuerBase: "http://cgip.test", Now: clock})
	f.s = userpool.New(userpool.Config{Store: st, Sealer: sealer, Courier: f.c, Tokens: tok, Now: clock, RecoveryRate: -1,
		PasswordHash: passhash.Params{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: 16}})
	f.ctx = userpool.WithScope(context.Background(), userpool.Scope{Region: "us-east-1", AccountID: "000000000000"})
	p, err := f.s.CreateUserPool(f.ctx, &model.CreateUserPoolRequest{PoolName: ptr("clock"),
		AutoVerifiedAttributes: []string{"email"}})
	if err != nil {
		t.Fatal(err)
	}
	f.pool = *p.UserPool.Id
	c, err := f.s.CreateUserPoolClient(f.ctx, &model.CreateUserPoolClientRequest{UserPoolId: &f.pool, ClientName: ptr("c"),
		ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	if err != nil {
		t.Fatal(err)
	}
	f.client = *c.UserPoolClient.ClientId
	return f
}

func ptr[T any](v T) *T { return &v }

func (f *clockFixture) code(t *testing.T, to string) string {
	msgs, err := f.c.Inbox(f.ctx, courier.InboxQuery{To: to, Limit: 1}, 0)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no message to %s (%v)", to, err)
	}
	return msgs[0].Code
}

func wantCode(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae *apierr.Error
	if !errors.As(err, &ae) || ae.Code != code || ae.Message != msg {
		t.Fatalf("want %s %q, got %v", code, msg, err)
	}
}

// SPEC section 3: reset codes are valid for one hour.
func TestResetCodeExpiresAfterAnHour(t *testing.T) {
	f := newClockFixture(t)
	f.s.AdminCreateUser(f.ctx, &model.AdminCreateUserRequest{UserPoolId: &f.pool, Username: ptr("tom"), MessageAction: ptr("SUPPRESS"),
		UserAttributes: []model.AttributeType{{Name: ptr("email"), Value: ptr("tom@example.com")}, {Name: ptr("email_verified"), Value: ptr("true")}}})
	f.s.AdminSetUserPassword(f.ctx, &model.AdminSetUserPasswordRequest{UserPoolId: &f.pool, Username: ptr("tom"), Password: ptr("Tom-Passw0rd"), Permanent: ptr(true)})
	if _, err := f.s.AdminResetUserPassword(f.ctx, &model.AdminResetUserPasswordRequest{UserPoolId: &f.pool, Username: ptr("tom")}); err != nil {
		t.Fatal(err)
	}
	code := f.code(t, "tom@example.com")
	f.now = f.now.Add(time.Hour + time.Second)
	_, err := f.s.ConfirmForgotPassword(f.ctx, &model.ConfirmForgotPasswordRequest{ClientId: &f.client, Username: ptr("tom"),
		ConfirmationCode: &code, Password: ptr("New-Passw0rd")})
	wantCode(t, err, "ExpiredCodeException", "Invalid code provided, please request a code again.")
}

// ISSUE 5: a temporary password older than TemporaryPasswordValidityDays (7 by default).
func TestTemporaryPasswordExpires(t *testing.T) {
	f := newClockFixture(t)
	f.s.AdminCreateUser(f.ctx, &model.AdminCreateUserRequest{UserPoolId: &f.pool, Username: ptr("una"), MessageAction: ptr("SUPPRESS"),
		TemporaryPassword: ptr("Temp-Passw0rd")})
	signIn := func() (*model.InitiateAuthResponse, error) {
		return f.s.InitiateAuth(f.ctx, &model.InitiateAuthRequest{ClientId: &f.client, AuthFlow: ptr("USER_PASSWORD_AUTH"),
			AuthParameters: map[string]string{"USERNAME": "una", "PASSWORD": "Temp-Passw0rd"}})
	}
	f.now = f.now.Add(6 * 24 * time.Hour)
	if out, err := signIn(); err != nil || out.ChallengeName == nil || *out.ChallengeName != "NEW_PASSWORD_REQUIRED" {
		t.Fatalf("within the validity: %+v %v", out, err)
	}
	f.now = f.now.Add(2 * 24 * time.Hour)
	_, err := signIn()
	wantCode(t, err, "NotAuthorizedException", "Temporary password has expired and must be reset by an administrator.")
}

// ISSUE 5: sign-up codes are valid for 24 hours; a NEW_PASSWORD_REQUIRED session for 3 minutes.
func TestSignUpCodeAndSessionLifetimes(t *testing.T) {
	f := newClockFixture(t)
	if _, err := f.s.SignUp(f.ctx, &model.SignUpRequest{ClientId: &f.client, Username: ptr("val"), Password: ptr("Val-Passw0rd"),
		UserAttributes: []model.AttributeType{{Name: ptr("email"), Value: ptr("val@example.com")}}}); err != nil {
		t.Fatal(err)
	}
	code := f.code(t, "val@example.com")
	f.now = f.now.Add(25 * time.Hour)
	_, err := f.s.ConfirmSignUp(f.ctx, &model.ConfirmSignUpRequest{ClientId: &f.client, Username: ptr("val"), ConfirmationCode: &code})
	wantCode(t, err, "ExpiredCodeException", "Invalid code provided, please request a code again.")

	f.s.AdminCreateUser(f.ctx, &model.AdminCreateUserRequest{UserPoolId: &f.pool, Username: ptr("wes"), MessageAction: ptr("SUPPRESS"),
		TemporaryPassword: ptr("Temp-Passw0rd")})
	out, err := f.s.InitiateAuth(f.ctx, &model.InitiateAuthRequest{ClientId: &f.client, AuthFlow: ptr("USER_PASSWORD_AUTH"),
		AuthParameters: map[string]string{"USERNAME": "wes", "PASSWORD": "Temp-Passw0rd"}})
	if err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(3*time.Minute + time.Second)
	_, err = f.s.RespondToAuthChallenge(f.ctx, &model.RespondToAuthChallengeRequest{ClientId: &f.client, ChallengeName: ptr("NEW_PASSWORD_REQUIRED"),
		Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": "wes", "NEW_PASSWORD": "Final-Passw0rd"}})
	wantCode(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
}
