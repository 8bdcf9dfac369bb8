package server_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cgip/cgip/internal/server"
)

const customMessageARN = "arn:aws:lambda:us-east-1:000000000000:function:custom-message"

// lambdaEndpoint speaks the Lambda Invoke API for one function; answer decides the reply.
type lambdaEndpoint struct {
	*httptest.Server
	mu     sync.Mutex
	events []events.CognitoEventUserPoolsCustomMessage
	fail   bool
}

func startLambda(t *testing.T) *lambdaEndpoint {
	l := &lambdaEndpoint{}
	l.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/2015-03-31/functions/") || !strings.HasSuffix(r.URL.Path, "/invocations") {
			http.NotFound(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var ev events.CognitoEventUserPoolsCustomMessage
		if err := json.Unmarshal(body, &ev); err != nil {
			t.Errorf("event does not decode as aws-lambda-go's CognitoEventUserPoolsCustomMessage: %v", err)
		}
		l.mu.Lock()
		l.events = append(l.events, ev)
		fail := l.fail
		l.mu.Unlock()
		if fail {
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			w.Write([]byte(`{"errorMessage":"templates are down","errorType":"Error"}`))
			return
		}
		if ev.TriggerSource == "CustomMessage_AdminCreateUser" || ev.TriggerSource == "CustomMessage_SignUp" {
			ev.Response.EmailSubject = ev.TriggerSource
			ev.Response.EmailMessage = "Welcome " + ev.Request.UsernameParameter + ", use " + ev.Request.CodeParameter
			json.NewEncoder(w).Encode(ev)
			return
		}
		ev.Response.EmailSubject = "Reset your " + ev.Request.ClientMetadata["brand"] + " password"
		name, _ := ev.Request.UserAttributes["name"].(string)
		ev.Response.EmailMessage = "Hello " + name + ", your code is " + ev.Request.CodeParameter
		json.NewEncoder(w).Encode(ev)
	}))
	t.Cleanup(l.Close)
	return l
}

// TestCustomMessageTriggerShapesTheResetMessage: SPEC section 5. AdminResetUserPassword invokes
// CustomMessage_ForgotPassword with the ClientMetadata; the message is built from the answer; a
// failing function changes nothing.
func TestCustomMessageTriggerShapesTheResetMessage(t *testing.T) {
	lambda := startLambda(t)
	dataDir := filepath.Join(t.TempDir(), "data")
	ts := startServer(t, server.Config{DataDir: dataDir, PasswordHash: fastHash, LambdaEndpoint: lambda.URL, RecoveryRate: -1})
	ctx := context.Background()
	f := newResetFixture(t, ts, "")
	f.c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: f.pool, Username: aws.String(f.user), UserAttributes: attrs("name", "Rita")})
	if _, err := f.c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: f.pool, LambdaConfig: &types.LambdaConfigType{CustomMessage: aws.String(customMessageARN)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: f.pool, Username: aws.String(f.user),
		ClientMetadata: map[string]string{"brand": "Acme"}}); err != nil {
		t.Fatalf("%v\n%s", err, ts.Logs.String())
	}
	lambda.mu.Lock()
	ev := lambda.events[0]
	lambda.mu.Unlock()
	if ev.TriggerSource != "CustomMessage_ForgotPassword" || ev.UserName != f.user || ev.UserPoolID != aws.ToString(f.pool) || ev.Version != "1" ||
		ev.CallerContext.ClientID != "CLIENT_ID_NOT_APPLICABLE" || ev.Request.ClientMetadata["brand"] != "Acme" || ev.Request.CodeParameter != "{####}" ||
		ev.Request.UserAttributes["cognito:user_status"] != "CONFIRMED" || ev.Request.UserAttributes["sub"] == "" {
		t.Fatalf("event = %+v", ev)
	}
	msgs := ts.inbox(t, url.Values{"to": {f.email}})
	if len(msgs) != 1 || msgs[0].Subject != "Reset your Acme password" || msgs[0].Body != "Hello Rita, your code is "+msgs[0].Code {
		t.Fatalf("message = %+v", msgs)
	}
	if _, err := f.c.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: f.clientID, Username: aws.String(f.user),
		ConfirmationCode: aws.String(msgs[0].Code), Password: aws.String("After-Trigger-1")}); err != nil {
		t.Fatal(err)
	}

	// A function error: UserLambdaValidationException, and the status and outbox stay as they were.
	lambda.mu.Lock()
	lambda.fail = true
	lambda.mu.Unlock()
	_, err := f.c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: f.pool, Username: aws.String(f.user)})
	wantAPIError(t, err, "UserLambdaValidationException", "CustomMessage failed with error templates are down.")
	got, _ := f.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: f.pool, Username: aws.String(f.user)})
	if got.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("a failed trigger changed the status to %s", got.UserStatus)
	}
	if n := len(ts.inbox(t, url.Values{"to": {f.email}})); n != 1 {
		t.Fatalf("a failed trigger queued a message (%d in the inbox)", n)
	}
	if strings.Contains(ts.Logs.String(), "Acme") {
		t.Fatal("ClientMetadata reached the log")
	}
	// Nor the database: the message that quotes it is sealed, and the metadata itself is not kept.
	for _, name := range []string{"cgip.db", "cgip.db-wal"} {
		b, _ := os.ReadFile(filepath.Join(dataDir, name))
		if bytes.Contains(b, []byte("Acme")) {
			t.Fatalf("ClientMetadata found in %s", name)
		}
	}
}

// TestCustomMessageSources: invitations (CustomMessage_AdminCreateUser, with usernameParameter)
// and sign-up codes (CustomMessage_SignUp) are worded by the function too.
func TestCustomMessageSources(t *testing.T) {
	lambda := startLambda(t)
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash, LambdaEndpoint: lambda.URL})
	ctx := context.Background()
	c := ts.rootClient()
	pool := newPool(t, c, &cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		LambdaConfig: &types.LambdaConfigType{CustomMessage: aws.String(customMessageARN)}})
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("vic"), TemporaryPassword: aws.String("Temp-Passw0rd"),
		UserAttributes: attrs("email", "vic@example.com"), DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}}); err != nil {
		t.Fatal(err)
	}
	msgs := ts.inbox(t, url.Values{"to": {"vic@example.com"}})
	if len(msgs) != 1 || msgs[0].Subject != "CustomMessage_AdminCreateUser" || msgs[0].Body != "Welcome vic, use Temp-Passw0rd" {
		t.Fatalf("invitation = %+v", msgs)
	}
	cl, _ := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("web")})
	if _, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: cl.UserPoolClient.ClientId, Username: aws.String("wyn"), Password: aws.String("Sign-Passw0rd"),
		UserAttributes: attrs("email", "wyn@example.com")}); err != nil {
		t.Fatal(err)
	}
	msgs = ts.inbox(t, url.Values{"to": {"wyn@example.com"}})
	if len(msgs) != 1 || msgs[0].Subject != "CustomMessage_SignUp" || msgs[0].Body != "Welcome , use "+msgs[0].Code {
		t.Fatalf("sign-up message = %+v", msgs)
	}
	lambda.mu.Lock()
	defer lambda.mu.Unlock()
	if last := lambda.events[len(lambda.events)-1]; last.CallerContext.ClientID != aws.ToString(cl.UserPoolClient.ClientId) || last.CallerContext.AWSSDKVersion == "" {
		t.Fatalf("sign-up event callerContext = %+v", last.CallerContext)
	}
}

// scriptedLambda answers each trigger source with a function of the raw event.
func scriptedLambda(t *testing.T, answer func(source string, ev map[string]any) (map[string]any, string)) (*httptest.Server, *[]string) {
	var mu sync.Mutex
	var sources []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev map[string]any
		json.NewDecoder(r.Body).Decode(&ev)
		source, _ := ev["triggerSource"].(string)
		mu.Lock()
		sources = append(sources, source)
		mu.Unlock()
		out, fnErr := answer(source, ev)
		if fnErr != "" {
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			json.NewEncoder(w).Encode(map[string]string{"errorMessage": fnErr, "errorType": "Error"})
			return
		}
		json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return srv, &sources
}

// TestLifecycleTriggers: PreSignUp auto-confirms, PostConfirmation hears about a password
// reset, PreAuthentication can refuse a sign-in, PreTokenGeneration adds a claim.
func TestLifecycleTriggers(t *testing.T) {
	fn := "arn:aws:lambda:us-east-1:000000000000:function:all"
	srv, sources := scriptedLambda(t, func(source string, ev map[string]any) (map[string]any, string) {
		req, _ := ev["request"].(map[string]any)
		attrs, _ := req["userAttributes"].(map[string]any)
		switch source {
		case "PreSignUp_SignUp":
			ev["response"] = map[string]any{"autoConfirmUser": true, "autoVerifyEmail": true}
		case "PreAuthentication_Authentication":
			if attrs["email"] == "blocked@example.com" {
				return nil, "sign-in blocked"
			}
		case "TokenGeneration_Authentication":
			ev["response"] = map[string]any{"claimsOverrideDetails": map[string]any{"claimsToAddOrOverride": map[string]string{"tenant": "acme"}}}
		}
		return ev, ""
	})
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash, LambdaEndpoint: srv.URL, RecoveryRate: -1})
	ctx := context.Background()
	c := ts.rootClient()
	pool := newPool(t, c, &cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		LambdaConfig: &types.LambdaConfigType{PreSignUp: aws.String(fn), PostConfirmation: aws.String(fn), PreAuthentication: aws.String(fn),
			PostAuthentication: aws.String(fn), PreTokenGeneration: aws.String(fn)}})
	cl, _ := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("web"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	id := cl.UserPoolClient.ClientId
	su, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: id, Username: aws.String("ann"), Password: aws.String("Ann-Passw0rd"), UserAttributes: attrs("email", "ann@example.com")})
	if err != nil || !su.UserConfirmed || su.CodeDeliveryDetails != nil {
		t.Fatalf("PreSignUp autoConfirmUser: %+v %v", su, err)
	}
	out, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: id, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "ann", "PASSWORD": "Ann-Passw0rd"}})
	if err != nil {
		t.Fatal(err)
	}
	claims := map[string]any{}
	payload := strings.Split(aws.ToString(out.AuthenticationResult.IdToken), ".")[1]
	raw, _ := base64.RawURLEncoding.DecodeString(payload)
	json.Unmarshal(raw, &claims)
	if claims["tenant"] != "acme" || claims["email_verified"] != true {
		t.Fatalf("ID token claims after PreTokenGeneration = %v", claims)
	}
	// Forgot/confirm: PostConfirmation_ConfirmForgotPassword is told.
	c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: id, Username: aws.String("ann")})
	code := ts.inbox(t, url.Values{"to": {"ann@example.com"}, "limit": {"1"}})[0].Code
	if _, err := c.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: id, Username: aws.String("ann"),
		ConfirmationCode: aws.String(code), Password: aws.String("Ann-Passw0rd-2")}); err != nil {
		t.Fatal(err)
	}
	// PreAuthentication refuses.
	c.SignUp(ctx, &cip.SignUpInput{ClientId: id, Username: aws.String("bob"), Password: aws.String("Bob-Passw0rd"), UserAttributes: attrs("email", "blocked@example.com")})
	_, err = c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: id, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "bob", "PASSWORD": "Bob-Passw0rd"}})
	wantAPIError(t, err, "UserLambdaValidationException", "PreAuthentication failed with error sign-in blocked.")
	want := []string{"PreSignUp_SignUp", "PreAuthentication_Authentication", "PostAuthentication_Authentication", "TokenGeneration_Authentication",
		"PostConfirmation_ConfirmForgotPassword", "PreSignUp_SignUp", "PreAuthentication_Authentication"}
	got := strings.Join(*sources, ",")
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Fatalf("trigger sources %s lack %s", got, w)
		}
	}
}

// TestUserMigration: unknown users are created from the UserMigration function's answer, at
// sign-in (with the password given) and at ForgotPassword.
func TestUserMigration(t *testing.T) {
	fn := "arn:aws:lambda:us-east-1:000000000000:function:migrate"
	srv, _ := scriptedLambda(t, func(source string, ev map[string]any) (map[string]any, string) {
		req, _ := ev["request"].(map[string]any)
		switch {
		case source == "UserMigration_Authentication" && ev["userName"] == "legacy" && req["password"] == "Legacy-Passw0rd":
			ev["response"] = map[string]any{"userAttributes": map[string]string{"email": "legacy@example.com", "email_verified": "true"},
				"finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS"}
		case source == "UserMigration_ForgotPassword" && ev["userName"] == "oldie":
			ev["response"] = map[string]any{"userAttributes": map[string]string{"email": "oldie@example.com", "email_verified": "true"},
				"messageAction": "SUPPRESS"}
		case strings.HasPrefix(source, "UserMigration_"):
			return nil, "Bad password"
		}
		return ev, ""
	})
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash, LambdaEndpoint: srv.URL, RecoveryRate: -1})
	ctx := context.Background()
	c := ts.rootClient()
	pool := newPool(t, c, &cip.CreateUserPoolInput{LambdaConfig: &types.LambdaConfigType{UserMigration: aws.String(fn)}})
	cl, _ := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("web"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	signIn := func(user, pw string) (*cip.InitiateAuthOutput, error) {
		return c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: cl.UserPoolClient.ClientId, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": pw}})
	}
	_, err := signIn("legacy", "wrong")
	wantAPIError(t, err, "UserLambdaValidationException", "UserMigration failed with error Bad password.")
	out, err := signIn("legacy", "Legacy-Passw0rd")
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("migrated sign-in: %v", err)
	}
	got, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("legacy")})
	if err != nil || got.UserStatus != types.UserStatusTypeConfirmed || attrMap(got.UserAttributes)["email"] != "legacy@example.com" {
		t.Fatalf("migrated user = %+v %v", got, err)
	}
	// Now known: the next sign-in checks the stored password, the function is not asked again.
	if _, err := signIn("legacy", "Legacy-Passw0rd"); err != nil {
		t.Fatal(err)
	}
	fp, err := c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: cl.UserPoolClient.ClientId, Username: aws.String("oldie")})
	if err != nil || aws.ToString(fp.CodeDeliveryDetails.Destination) != "o***@e***" {
		t.Fatalf("ForgotPassword of a migrated user: %+v %v", fp, err)
	}
	got, _ = c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("oldie")})
	if got.UserStatus != types.UserStatusTypeResetRequired {
		t.Fatalf("a user migrated by ForgotPassword is %s, want RESET_REQUIRED", got.UserStatus)
	}
}

// TestCustomAuthFlow: CUSTOM_AUTH with Define/Create/VerifyAuthChallenge — one wrong answer,
// then the right one, then tokens; three wrong answers fail the sign-in.
func TestCustomAuthFlow(t *testing.T) {
	fn := "arn:aws:lambda:us-east-1:000000000000:function:custom-auth"
	srv, _ := scriptedLambda(t, func(source string, ev map[string]any) (map[string]any, string) {
		req, _ := ev["request"].(map[string]any)
		switch source {
		case "DefineAuthChallenge_Authentication":
			session, _ := req["session"].([]any)
			resp := map[string]any{"issueTokens": false, "failAuthentication": false}
			if n := len(session); n > 0 && session[n-1].(map[string]any)["challengeResult"] == true {
				resp["issueTokens"] = true
			} else if n >= 3 {
				resp["failAuthentication"] = true
			} else {
				resp["challengeName"] = "CUSTOM_CHALLENGE"
			}
			ev["response"] = resp
		case "CreateAuthChallenge_Authentication":
			ev["response"] = map[string]any{"publicChallengeParameters": map[string]string{"question": "2+2?"},
				"privateChallengeParameters": map[string]string{"answer": "4"}, "challengeMetadata": "MATH"}
		case "VerifyAuthChallengeResponse_Authentication":
			private, _ := req["privateChallengeParameters"].(map[string]any)
			ev["response"] = map[string]any{"answerCorrect": req["challengeAnswer"] == private["answer"]}
		}
		return ev, ""
	})
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash, LambdaEndpoint: srv.URL})
	ctx := context.Background()
	c := ts.rootClient()
	pool := newPool(t, c, &cip.CreateUserPoolInput{LambdaConfig: &types.LambdaConfigType{
		DefineAuthChallenge: aws.String(fn), CreateAuthChallenge: aws.String(fn), VerifyAuthChallengeResponse: aws.String(fn)}})
	cl, _ := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("web"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowCustomAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("cal"), MessageAction: types.MessageActionTypeSuppress})
	c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String("cal"), Password: aws.String("Cal-Passw0rd"), Permanent: true})
	start := func() *cip.InitiateAuthOutput {
		out, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: cl.UserPoolClient.ClientId, AuthFlow: types.AuthFlowTypeCustomAuth,
			AuthParameters: map[string]string{"USERNAME": "cal"}})
		if err != nil || out.ChallengeName != types.ChallengeNameTypeCustomChallenge || out.ChallengeParameters["question"] != "2+2?" || out.Session == nil {
			t.Fatalf("CUSTOM_AUTH start: %+v %v", out, err)
		}
		if _, leaked := out.ChallengeParameters["answer"]; leaked {
			t.Fatal("a private challenge parameter reached the client")
		}
		return out
	}
	answer := func(sess *string, a string) (*cip.RespondToAuthChallengeOutput, error) {
		return c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: cl.UserPoolClient.ClientId,
			ChallengeName: types.ChallengeNameTypeCustomChallenge, Session: sess, ChallengeResponses: map[string]string{"USERNAME": "cal", "ANSWER": a}})
	}
	out := start()
	r1, err := answer(out.Session, "5")
	if err != nil || r1.ChallengeName != types.ChallengeNameTypeCustomChallenge || r1.Session == nil {
		t.Fatalf("after a wrong answer: %+v %v", r1, err)
	}
	r2, err := answer(r1.Session, "4")
	if err != nil || r2.AuthenticationResult == nil || aws.ToString(r2.AuthenticationResult.IdToken) == "" {
		t.Fatalf("after the right answer: %+v %v", r2, err)
	}
	out = start()
	sess := out.Session
	for i := 0; i < 2; i++ {
		r, err := answer(sess, "nope")
		if err != nil {
			t.Fatal(err)
		}
		sess = r.Session
	}
	_, err = answer(sess, "nope")
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")

	noTrigger := newPool(t, c, &cip.CreateUserPoolInput{})
	cl2, _ := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: noTrigger, ClientName: aws.String("web")})
	_, err = c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: cl2.UserPoolClient.ClientId, AuthFlow: types.AuthFlowTypeCustomAuth,
		AuthParameters: map[string]string{"USERNAME": "cal"}})
	wantAPIError(t, err, "InvalidParameterException", "Custom auth lambda trigger is not configured for the user pool.")
}
