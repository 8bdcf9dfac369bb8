package server_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cgip/cgip/internal/server"
)

// resetFixture is a pool with verified-email recovery, a client allowing password sign-in, and
// a CONFIRMED user with a verified email and a permanent password.
type resetFixture struct {
	ts       *testServer
	c        *cip.Client
	pool     *string
	clientID *string
	user     string
	email    string
	password string
}

func newResetFixture(t *testing.T, ts *testServer, prevent types.PreventUserExistenceErrorTypes, recovery ...types.RecoveryOptionType) *resetFixture {
	t.Helper()
	ctx := context.Background()
	f := &resetFixture{ts: ts, c: ts.rootClient(), user: "rita", email: "rita@example.com", password: "Original-Pw-1"}
	in := &cip.CreateUserPoolInput{}
	if recovery != nil {
		in.AccountRecoverySetting = &types.AccountRecoverySettingType{RecoveryMechanisms: recovery}
	}
	f.pool = newPool(t, f.c, in)
	cl, err := f.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: f.pool, ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth,
			types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
		PreventUserExistenceErrors: prevent})
	if err != nil {
		t.Fatal(err)
	}
	f.clientID = cl.UserPoolClient.ClientId
	if _, err := f.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: f.pool, Username: aws.String(f.user), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: attrs("email", f.email, "email_verified", "true")}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: f.pool, Username: aws.String(f.user), Password: aws.String(f.password), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *resetFixture) signIn(password string) (*cip.InitiateAuthOutput, error) {
	return f.c.InitiateAuth(context.Background(), &cip.InitiateAuthInput{ClientId: f.clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": f.user, "PASSWORD": password}})
}

// latestCode reads the newest code sent to the user's email from the inbox.
func (f *resetFixture) latestCode(t *testing.T) string {
	t.Helper()
	msgs := f.ts.inbox(t, url.Values{"to": {f.email}, "limit": {"1"}})
	if len(msgs) == 0 {
		t.Fatal("no message in the inbox")
	}
	return msgs[0].Code
}

func TestAdminResetLifecycle(t *testing.T) {
	eachBackend(t, server.Config{PasswordHash: fastHash}, func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		f := newResetFixture(t, ts, "", types.RecoveryOptionType{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(1)})
		before, err := f.signIn(f.password)
		if err != nil {
			t.Fatal(err)
		}
		access := before.AuthenticationResult.AccessToken

		if _, err := f.c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: f.pool, Username: aws.String(f.user),
			ClientMetadata: map[string]string{"source": "test"}}); err != nil {
			t.Fatal(err)
		}
		got, _ := f.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: f.pool, Username: aws.String(f.user)})
		if got.UserStatus != types.UserStatusTypeResetRequired {
			t.Fatalf("status after AdminResetUserPassword = %s", got.UserStatus)
		}
		// SPEC section 2: the correct old password -> PasswordResetRequiredException; a wrong one -> NotAuthorized.
		_, err = f.signIn(f.password)
		wantAPIError(t, err, "PasswordResetRequiredException", "Password reset required for the user")
		_, err = f.signIn("Wrong-Pw-1")
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
		_, err = f.c.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: f.pool, ClientId: f.clientID, AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": f.user, "PASSWORD": f.password}})
		wantAPIError(t, err, "PasswordResetRequiredException", "Password reset required for the user")
		// Access and refresh tokens issued before the reset.
		_, err = f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: access})
		wantAPIError(t, err, "PasswordResetRequiredException", "Password reset required for the user")
		_, err = f.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: f.clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
			AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(before.AuthenticationResult.RefreshToken)}})
		wantAPIError(t, err, "PasswordResetRequiredException", "Password reset required for the user")

		msgs := ts.inbox(t, url.Values{"to": {f.email}})
		if len(msgs) != 1 || msgs[0].Kind != "AdminResetUserPassword" || len(msgs[0].Code) != 6 ||
			msgs[0].Body != "Your verification code is "+msgs[0].Code+". " || msgs[0].Subject != "Your verification code" {
			t.Fatalf("reset message = %+v", msgs)
		}
		code := msgs[0].Code

		confirm := func(code, password string) error {
			_, err := f.c.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: f.clientID, Username: aws.String(f.user),
				ConfirmationCode: aws.String(code), Password: aws.String(password)})
			return err
		}
		// The policy is checked before the code and uses no attempt.
		wantAPIError(t, confirm(code, "short"), "InvalidPasswordException", "Password does not conform to policy: Password not long enough")
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		wantAPIError(t, confirm(wrong, "Brand-New-Pw-1"), "CodeMismatchException", "Invalid verification code provided, please try again.")
		if err := confirm(code, "Brand-New-Pw-1"); err != nil {
			t.Fatal(err)
		}
		got, _ = f.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: f.pool, Username: aws.String(f.user)})
		if got.UserStatus != types.UserStatusTypeConfirmed || attrMap(got.UserAttributes)["email_verified"] != "true" {
			t.Fatalf("after ConfirmForgotPassword: %s %v", got.UserStatus, attrMap(got.UserAttributes))
		}
		// Single use.
		wantAPIError(t, confirm(code, "Another-New-Pw-1"), "ExpiredCodeException", "Invalid code provided, please request a code again.")
		_, err = f.signIn(f.password)
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
		after, err := f.signIn("Brand-New-Pw-1")
		if err != nil || after.AuthenticationResult == nil {
			t.Fatalf("sign-in with the new password: %v", err)
		}
		// Sessions from before the reset stay revoked.
		_, err = f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: access})
		wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")
		me, err := f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: after.AuthenticationResult.AccessToken})
		if err != nil || aws.ToString(me.Username) != f.user {
			t.Fatalf("GetUser with the new token: %v", err)
		}
	})
}

// TestAdminResetUserPasswordChecks: SPEC section 1, rows 2 to 7 and 10, in order.
func TestAdminResetUserPasswordChecks(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash})
	ctx := context.Background()
	f := newResetFixture(t, ts, "")
	reset := func(pool *string, user string) error {
		_, err := f.c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: pool, Username: aws.String(user)})
		return err
	}
	wantAPIError(t, reset(aws.String("us-east-1_nopool123"), "x"), "ResourceNotFoundException", "User pool us-east-1_nopool123 does not exist.")
	wantAPIError(t, reset(f.pool, "ghost"), "UserNotFoundException", "User does not exist.")

	adminOnly := newPool(t, f.c, &cip.CreateUserPoolInput{AccountRecoverySetting: &types.AccountRecoverySettingType{
		RecoveryMechanisms: []types.RecoveryOptionType{{Name: types.RecoveryOptionNameTypeAdminOnly, Priority: aws.Int32(1)}}}})
	f.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: adminOnly, Username: aws.String("a"), MessageAction: types.MessageActionTypeSuppress})
	wantAPIError(t, reset(adminOnly, "a"), "NotAuthorizedException", "Contact administrator to reset password.")

	f.c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: f.pool, Username: aws.String(f.user)})
	wantAPIError(t, reset(f.pool, f.user), "NotAuthorizedException", "User is disabled")
	f.c.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: f.pool, Username: aws.String(f.user)})

	f.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: f.pool, Username: aws.String("fresh"), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: attrs("email", "fresh@example.com", "email_verified", "true")})
	wantAPIError(t, reset(f.pool, "fresh"), "NotAuthorizedException", "User password cannot be reset in the current state.")

	f.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: f.pool, Username: aws.String("noverified"), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: attrs("email", "nv@example.com")})
	f.c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: f.pool, Username: aws.String("noverified"), Password: aws.String("Some-Pw-123"), Permanent: true})
	wantAPIError(t, reset(f.pool, "noverified"), "InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number")

	// A reset of a RESET_REQUIRED user issues a new code; the old one stops working (latest wins).
	if err := reset(f.pool, f.user); err != nil {
		t.Fatal(err)
	}
	first := f.latestCode(t)
	if err := reset(f.pool, f.user); err != nil {
		t.Fatal(err)
	}
	second := f.latestCode(t)
	if first != second {
		_, err := f.c.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: f.clientID, Username: aws.String(f.user),
			ConfirmationCode: aws.String(first), Password: aws.String("Newer-Pw-123")})
		wantAPIError(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
	}
	if _, err := f.c.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: f.clientID, Username: aws.String(f.user),
		ConfirmationCode: aws.String(second), Password: aws.String("Newer-Pw-123")}); err != nil {
		t.Fatal(err)
	}
}

func TestForgotPassword(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash})
	ctx := context.Background()
	f := newResetFixture(t, ts, "")
	out, err := f.c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: f.clientID, Username: aws.String(f.user)})
	if err != nil {
		t.Fatal(err)
	}
	d := out.CodeDeliveryDetails
	if aws.ToString(d.Destination) != "r***@e***" || d.DeliveryMedium != types.DeliveryMediumTypeEmail || aws.ToString(d.AttributeName) != "email" {
		t.Fatalf("CodeDeliveryDetails = %+v", d)
	}
	if got, _ := f.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: f.pool, Username: aws.String(f.user)}); got.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatal("ForgotPassword must not change the status")
	}
	if msgs := ts.inbox(t, url.Values{"to": {f.email}}); len(msgs) != 1 || msgs[0].Kind != "ForgotPassword" {
		t.Fatalf("inbox = %+v", msgs)
	}
	_, err = f.c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: f.clientID, Username: aws.String("ghost")})
	wantAPIError(t, err, "UserNotFoundException", "Username/client id combination not found.")
	_, err = f.c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: aws.String("nosuchclient000000000000"), Username: aws.String(f.user)})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client nosuchclient000000000000 does not exist.")

	// Five wrong codes within an hour lock the confirmation (SPEC section 3).
	for i := 0; i < 5; i++ {
		_, err := f.c.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: f.clientID, Username: aws.String(f.user),
			ConfirmationCode: aws.String("99999" + string(rune('0'+i))), Password: aws.String("Brand-New-Pw-1")})
		if err == nil {
			t.Fatal("a wrong code was accepted")
		}
	}
	_, err = f.c.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: f.clientID, Username: aws.String(f.user),
		ConfirmationCode: aws.String(f.latestCode(t)), Password: aws.String("Brand-New-Pw-1")})
	wantAPIError(t, err, "LimitExceededException", "Attempt limit exceeded, please try after some time.")
}

func TestPreventUserExistenceErrors(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash})
	ctx := context.Background()
	f := newResetFixture(t, ts, types.PreventUserExistenceErrorTypesEnabled)
	out, err := f.c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: f.clientID, Username: aws.String("ghost@example.com")})
	if err != nil {
		t.Fatalf("ENABLED: an unknown user must get a plausible answer: %v", err)
	}
	if aws.ToString(out.CodeDeliveryDetails.Destination) != "g***@e***" || out.CodeDeliveryDetails.DeliveryMedium != types.DeliveryMediumTypeEmail {
		t.Fatalf("simulated delivery = %+v", out.CodeDeliveryDetails)
	}
	if msgs := ts.inbox(t, url.Values{"to": {"ghost@example.com"}}); len(msgs) != 0 {
		t.Fatal("a message was sent for a user that does not exist")
	}
	_, err = f.c.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: f.clientID, Username: aws.String("ghost"),
		ConfirmationCode: aws.String("123456"), Password: aws.String("Brand-New-Pw-1")})
	wantAPIError(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
	_, err = f.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: f.clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "ghost", "PASSWORD": "Whatever-1"}})
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
}

func TestSecretHash(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash})
	ctx := context.Background()
	f := newResetFixture(t, ts, "")
	cl, err := f.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: f.pool, ClientName: aws.String("server"), GenerateSecret: true,
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	id, secret := aws.ToString(cl.UserPoolClient.ClientId), aws.ToString(cl.UserPoolClient.ClientSecret)
	_, err = f.c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: &id, Username: aws.String(f.user)})
	wantAPIError(t, err, "NotAuthorizedException", "Client "+id+" is configured for secret but secret was not received")
	_, err = f.c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: &id, Username: aws.String(f.user), SecretHash: aws.String("d3Jvbmc=")})
	wantAPIError(t, err, "NotAuthorizedException", "Unable to verify secret hash for client "+id)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(f.user + id))
	hash := base64.StdEncoding.EncodeToString(m.Sum(nil))
	if _, err := f.c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: &id, Username: aws.String(f.user), SecretHash: &hash}); err != nil {
		t.Fatal(err)
	}
	out, err := f.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &id, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": f.user, "PASSWORD": f.password, "SECRET_HASH": hash}})
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("sign-in with SECRET_HASH: %v", err)
	}
}

func TestSignInOutcomes(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash})
	ctx := context.Background()
	f := newResetFixture(t, ts, "")
	_, err := f.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: f.clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "ghost", "PASSWORD": "x"}})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")

	noFlow, _ := f.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: f.pool, ClientName: aws.String("srp-only")})
	_, err = f.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: noFlow.UserPoolClient.ClientId, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": f.user, "PASSWORD": f.password}})
	wantAPIError(t, err, "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client")

	f.c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: f.pool, Username: aws.String(f.user)})
	_, err = f.signIn(f.password)
	wantAPIError(t, err, "NotAuthorizedException", "User is disabled.")
	f.c.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: f.pool, Username: aws.String(f.user)})

	// NEW_PASSWORD_REQUIRED for a FORCE_CHANGE_PASSWORD user.
	f.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: f.pool, Username: aws.String("newbie"), TemporaryPassword: aws.String("Temp-Pw-123"),
		MessageAction: types.MessageActionTypeSuppress})
	out, err := f.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: f.clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "newbie", "PASSWORD": "Temp-Pw-123"}})
	if err != nil || out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || out.Session == nil || out.ChallengeParameters["USER_ID_FOR_SRP"] != "newbie" {
		t.Fatalf("challenge = %+v, %v", out, err)
	}
	resp, err := f.c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: f.clientID, ChallengeName: types.ChallengeNameTypeNewPasswordRequired,
		Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": "newbie", "NEW_PASSWORD": "Final-Pw-123"}})
	if err != nil || resp.AuthenticationResult == nil || aws.ToString(resp.AuthenticationResult.IdToken) == "" {
		t.Fatalf("RespondToAuthChallenge: %+v, %v", resp, err)
	}
	got, _ := f.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: f.pool, Username: aws.String("newbie")})
	if got.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("status after NEW_PASSWORD_REQUIRED = %s", got.UserStatus)
	}

	// Refresh, sign-out, revocation.
	si, err := f.signIn(f.password)
	if err != nil {
		t.Fatal(err)
	}
	rt := si.AuthenticationResult.RefreshToken
	ref, err := f.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: f.clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(rt)}})
	if err != nil || ref.AuthenticationResult.AccessToken == nil || ref.AuthenticationResult.RefreshToken != nil {
		t.Fatalf("REFRESH_TOKEN_AUTH: %+v %v", ref, err)
	}
	if _, err := f.c.GlobalSignOut(ctx, &cip.GlobalSignOutInput{AccessToken: ref.AuthenticationResult.AccessToken}); err != nil {
		t.Fatal(err)
	}
	_, err = f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: si.AuthenticationResult.AccessToken})
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")
	_, err = f.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: f.clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(rt)}})
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
	_, err = f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String("not.a.token")})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Access Token")

	// Repeated wrong passwords.
	for i := 0; i < 5; i++ {
		f.signIn("Wrong-Pw-1")
	}
	_, err = f.signIn(f.password)
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
}

// TestResetQuotasAndLimits: SPEC section 1 rows 1, 10 and 11; section 3's request limit and the
// states ForgotPassword refuses.
func TestResetQuotasAndLimits(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash, RecoveryRate: 1, Messages: server.Messages{DailyEmailLimit: 2}})
	ctx := context.Background()
	f := newResetFixture(t, ts, "")
	// No SDK retries here: the SDK would retry TooManyRequestsException (a throttling error).
	reset := func() error {
		_, err := f.c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: f.pool, Username: aws.String(f.user)},
			func(o *cip.Options) { o.RetryMaxAttempts = 1 })
		return err
	}
	_, err := f.c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: aws.String("bad pool"), Username: aws.String(f.user)})
	wantAPIError(t, err, "InvalidParameterException",
		"1 validation error detected: Value 'bad pool' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+")
	if err := reset(); err != nil {
		t.Fatal(err)
	}
	// The bucket holds one request a second: an immediate second reset is over the quota.
	wantAPIError(t, reset(), "TooManyRequestsException", "Too many requests")
	time.Sleep(1100 * time.Millisecond)
	if err := reset(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond)
	// Two emails a day from the built-in sender: the third reset message is refused.
	wantAPIError(t, reset(), "LimitExceededException",
		"Exceeded daily email limit for the operation or the account. If a higher limit is required, please configure your user pool to use your own Amazon SES configuration for sending email.")
}

func TestForgotPasswordRefusals(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash, RecoveryRate: -1})
	ctx := context.Background()
	f := newResetFixture(t, ts, "")
	forgot := func(user string) error {
		_, err := f.c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: f.clientID, Username: aws.String(user)})
		return err
	}
	for i := 0; i < 5; i++ {
		if err := forgot(f.user); err != nil {
			t.Fatal(err)
		}
	}
	wantAPIError(t, forgot(f.user), "LimitExceededException", "Attempt limit exceeded, please try after some time.")

	f.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: f.pool, Username: aws.String("fcp"), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: attrs("email", "fcp@example.com", "email_verified", "true")})
	wantAPIError(t, forgot("fcp"), "NotAuthorizedException", "User password cannot be reset in the current state.")

	adminOnly := newPool(t, f.c, &cip.CreateUserPoolInput{AccountRecoverySetting: &types.AccountRecoverySettingType{
		RecoveryMechanisms: []types.RecoveryOptionType{{Name: types.RecoveryOptionNameTypeAdminOnly, Priority: aws.Int32(1)}}}})
	cl, _ := f.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: adminOnly, ClientName: aws.String("c")})
	f.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: adminOnly, Username: aws.String("a"), MessageAction: types.MessageActionTypeSuppress})
	_, err := f.c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: cl.UserPoolClient.ClientId, Username: aws.String("a")})
	wantAPIError(t, err, "NotAuthorizedException", "Contact administrator to reset password.")
}

// TestRecoveryChannelAndTemplates: SPEC section 4 (legacy order: verified phone first; masking)
// and section 7 (VerificationMessageTemplate for reset messages).
func TestRecoveryChannelAndTemplates(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash, RecoveryRate: -1})
	ctx := context.Background()
	c := ts.rootClient()
	pool := newPool(t, c, &cip.CreateUserPoolInput{VerificationMessageTemplate: &types.VerificationMessageTemplateType{
		SmsMessage: aws.String("Reset code: {####}"), EmailSubject: aws.String("Reset"), EmailMessage: aws.String("Use {####} to reset")}})
	cl, _ := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("c")})
	c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("pat"), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: attrs("email", "pat@example.com", "email_verified", "true", "phone_number", "+447700900123", "phone_number_verified", "true")})
	c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String("pat"), Password: aws.String("Some-Passw0rd"), Permanent: true})
	out, err := c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: cl.UserPoolClient.ClientId, Username: aws.String("pat")})
	if err != nil {
		t.Fatal(err)
	}
	d := out.CodeDeliveryDetails
	if aws.ToString(d.Destination) != "+********0123" || d.DeliveryMedium != types.DeliveryMediumTypeSms || aws.ToString(d.AttributeName) != "phone_number" {
		t.Fatalf("without AccountRecoverySetting the verified phone comes first: %+v", d)
	}
	msgs := ts.inbox(t, url.Values{"to": {"+447700900123"}})
	if len(msgs) != 1 || msgs[0].Body != "Reset code: "+msgs[0].Code {
		t.Fatalf("SMS reset message = %+v", msgs)
	}
	// With verified_email first, email wins and the email template applies.
	c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: pool, AccountRecoverySetting: &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
		{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(1)}, {Name: types.RecoveryOptionNameTypeVerifiedPhoneNumber, Priority: aws.Int32(2)}}},
		VerificationMessageTemplate: &types.VerificationMessageTemplateType{EmailSubject: aws.String("Reset"), EmailMessage: aws.String("Use {####} to reset")}})
	if _, err := c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: pool, Username: aws.String("pat")}); err != nil {
		t.Fatal(err)
	}
	msgs = ts.inbox(t, url.Values{"to": {"pat@example.com"}})
	if len(msgs) != 1 || msgs[0].Subject != "Reset" || msgs[0].Body != "Use "+msgs[0].Code+" to reset" {
		t.Fatalf("email reset message = %+v", msgs)
	}
}
