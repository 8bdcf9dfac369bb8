package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash, LambdaEndpoint: lambda.URL, RecoveryRate: -1})
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
