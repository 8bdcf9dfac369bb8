package triggers

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
)

var testAttrs = map[string]string{"sub": "5f1c1d9e-1111-2222-3333-444455556666", "cognito:user_status": "CONFIRMED",
	"email": "alice@example.com", "email_verified": "true", "phone_number": "+14325551212"}

func headerFor(source string) Header {
	h := testHeader()
	h.TriggerSource = source
	return h
}

// goFunction answers as a function written with aws-lambda-go does: it decodes the event into
// T, lets modify change it and encodes it again (typed fields: "" and false for unset members).
func goFunction[T any](t *testing.T, modify func(*T)) func(http.ResponseWriter, *http.Request, []byte) {
	return func(w http.ResponseWriter, _ *http.Request, event []byte) {
		var ev T
		if err := json.Unmarshal(event, &ev); err != nil {
			t.Errorf("aws-lambda-go cannot decode the event: %v", err)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		modify(&ev)
		_ = json.NewEncoder(w).Encode(ev)
	}
}

// decodeAs decodes the event the fake received into aws-lambda-go's type.
func decodeAs[T any](t *testing.T, f *fakeLambda) T {
	t.Helper()
	var ev T
	if err := json.Unmarshal(f.lastEvent(), &ev); err != nil {
		t.Fatalf("aws-lambda-go cannot decode the event: %v\n%s", err, f.lastEvent())
	}
	return ev
}

func checkHeader(t *testing.T, h events.CognitoEventUserPoolsHeader, version, source string) {
	t.Helper()
	if h.Version != version || h.TriggerSource != source || h.Region != "eu-west-1" || h.UserPoolID != "eu-west-1_AbCdEf123" ||
		h.UserName != "alice" || h.CallerContext.AWSSDKVersion != "aws-sdk-go-v2-1.48.0" ||
		h.CallerContext.ClientID != "3n4b5urk1ft4fl3mg5e62d9ado" {
		t.Errorf("header %+v, want version %s source %s", h, version, source)
	}
}

func checkAttrs(t *testing.T, got map[string]string) {
	t.Helper()
	if len(got) != len(testAttrs) {
		t.Errorf("userAttributes %v, want %v", got, testAttrs)
	}
	for k, v := range testAttrs {
		if got[k] != v {
			t.Errorf("userAttributes[%s] = %q, want %q", k, got[k], v)
		}
	}
}

func meta() map[string]string { return map[string]string{metaKey: metaValue} }

func checkMeta(t *testing.T, got map[string]string) {
	t.Helper()
	if len(got) != 1 || got[metaKey] != metaValue {
		t.Errorf("clientMetadata %v", got)
	}
}

func TestPreSignUp(t *testing.T) {
	for _, source := range []string{SourcePreSignUpSignUp, SourcePreSignUpExternalProvider} {
		t.Run(source, func(t *testing.T) {
			f := newFakeLambda(t, answer(setResponse(map[string]any{"autoConfirmUser": true, "autoVerifyEmail": true, "autoVerifyPhone": true})))
			inv, _ := newInvoker(t, f.srv.URL, nil)
			req := PreSignUpRequest{UserAttributes: testAttrs, ValidationData: map[string]string{"captcha": "ok"}, ClientMetadata: meta()}
			resp, err := inv.PreSignUp(context.Background(), testARN, headerFor(source), req)
			if err != nil {
				t.Fatal(err)
			}
			if *resp != (PreSignUpResponse{AutoConfirmUser: true, AutoVerifyEmail: true, AutoVerifyPhone: true}) {
				t.Fatalf("response %+v", resp)
			}
			ev := decodeAs[events.CognitoEventUserPoolsPreSignup](t, f)
			checkHeader(t, ev.CognitoEventUserPoolsHeader, "1", source)
			checkAttrs(t, ev.Request.UserAttributes)
			checkMeta(t, ev.Request.ClientMetadata)
			if len(ev.Request.ValidationData) != 1 || ev.Request.ValidationData["captcha"] != "ok" {
				t.Errorf("validationData %v", ev.Request.ValidationData)
			}
			if ev.Response != (events.CognitoEventUserPoolsPreSignupResponse{}) {
				t.Errorf("response %+v, want all false", ev.Response)
			}
		})
	}
}

func TestPreSignUpRules(t *testing.T) {
	noEmail := map[string]string{"sub": "s", "phone_number": "+14325551212"}
	cases := []struct {
		name   string
		source string
		attrs  map[string]string
		fields map[string]any
		want   PreSignUpResponse
		err    string // InvalidParameterException text
	}{
		{"nothing", SourcePreSignUpSignUp, testAttrs, nil, PreSignUpResponse{}, ""},
		{"confirm only", SourcePreSignUpSignUp, testAttrs, map[string]any{"autoConfirmUser": true}, PreSignUpResponse{AutoConfirmUser: true}, ""},
		{"verify without confirm", SourcePreSignUpSignUp, testAttrs, map[string]any{"autoVerifyEmail": true}, PreSignUpResponse{},
			"Phone or email cannot be auto verified, when user is not being auto confirmed."},
		{"verify phone without confirm", SourcePreSignUpExternalProvider, testAttrs, map[string]any{"autoVerifyPhone": true, "autoConfirmUser": false}, PreSignUpResponse{},
			"Phone or email cannot be auto verified, when user is not being auto confirmed."},
		{"verify email without email", SourcePreSignUpSignUp, noEmail, map[string]any{"autoConfirmUser": true, "autoVerifyEmail": true}, PreSignUpResponse{},
			"Email cannot be auto verified: the user has no email attribute."},
		{"verify phone without phone", SourcePreSignUpSignUp, map[string]string{"email": "a@b.c"}, map[string]any{"autoConfirmUser": true, "autoVerifyPhone": true}, PreSignUpResponse{},
			"Phone number cannot be auto verified: the user has no phone_number attribute."},
		{"verify phone", SourcePreSignUpSignUp, noEmail, map[string]any{"autoConfirmUser": true, "autoVerifyPhone": true},
			PreSignUpResponse{AutoConfirmUser: true, AutoVerifyPhone: true}, ""},
		{"nulls are false", SourcePreSignUpSignUp, testAttrs, map[string]any{"autoConfirmUser": nil, "autoVerifyEmail": nil, "autoVerifyPhone": nil}, PreSignUpResponse{}, ""},
		// AdminCreateUser: the three are ignored, so no combination is refused.
		{"admin create user", SourcePreSignUpAdminCreateUser, noEmail, map[string]any{"autoConfirmUser": true, "autoVerifyEmail": true}, PreSignUpResponse{}, ""},
		{"admin create user verify only", SourcePreSignUpAdminCreateUser, testAttrs, map[string]any{"autoVerifyEmail": true}, PreSignUpResponse{}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeLambda(t, answer(setResponse(c.fields)))
			inv, _ := newInvoker(t, f.srv.URL, nil)
			resp, err := inv.PreSignUp(context.Background(), testARN, headerFor(c.source), PreSignUpRequest{UserAttributes: c.attrs})
			if c.err != "" {
				apiErr(t, err, "InvalidParameterException", c.err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if *resp != c.want {
				t.Fatalf("response %+v, want %+v", *resp, c.want)
			}
		})
	}
}

func TestPostConfirmation(t *testing.T) {
	for _, source := range []string{SourcePostConfirmationConfirmSignUp, SourcePostConfirmationConfirmForgotPassword} {
		t.Run(source, func(t *testing.T) {
			f := newFakeLambda(t, answer(func(map[string]any) {}))
			inv, _ := newInvoker(t, f.srv.URL, nil)
			resp, err := inv.PostConfirmation(context.Background(), testARN, headerFor(source),
				PostConfirmationRequest{UserAttributes: testAttrs, ClientMetadata: meta()})
			if err != nil || resp == nil {
				t.Fatal(resp, err)
			}
			ev := decodeAs[events.CognitoEventUserPoolsPostConfirmation](t, f)
			checkHeader(t, ev.CognitoEventUserPoolsHeader, "1", source)
			checkAttrs(t, ev.Request.UserAttributes)
			checkMeta(t, ev.Request.ClientMetadata)
		})
	}
}

func TestPreAuthentication(t *testing.T) {
	f := newFakeLambda(t, goFunction(t, func(*events.CognitoEventUserPoolsPreAuthentication) {}))
	inv, _ := newInvoker(t, f.srv.URL, nil)
	req := PreAuthenticationRequest{UserAttributes: testAttrs, ValidationData: meta(), UserNotFound: aws.Bool(true)}
	if _, err := inv.PreAuthentication(context.Background(), testARN, headerFor(SourcePreAuthentication), req); err != nil {
		t.Fatal(err)
	}
	ev := decodeAs[events.CognitoEventUserPoolsPreAuthentication](t, f)
	checkHeader(t, ev.CognitoEventUserPoolsHeader, "1", SourcePreAuthentication)
	checkAttrs(t, ev.Request.UserAttributes)
	checkMeta(t, ev.Request.ValidationData)
	if !ev.Request.UserNotFound {
		t.Error("userNotFound not sent")
	}
}

func TestPostAuthentication(t *testing.T) {
	f := newFakeLambda(t, goFunction(t, func(*events.CognitoEventUserPoolsPostAuthentication) {}))
	inv, _ := newInvoker(t, f.srv.URL, nil)
	req := PostAuthenticationRequest{UserAttributes: testAttrs, NewDeviceUsed: true, ClientMetadata: meta()}
	if _, err := inv.PostAuthentication(context.Background(), testARN, headerFor(SourcePostAuthentication), req); err != nil {
		t.Fatal(err)
	}
	ev := decodeAs[events.CognitoEventUserPoolsPostAuthentication](t, f)
	checkHeader(t, ev.CognitoEventUserPoolsHeader, "1", SourcePostAuthentication)
	checkAttrs(t, ev.Request.UserAttributes)
	checkMeta(t, ev.Request.ClientMetadata)
	if !ev.Request.NewDeviceUsed {
		t.Error("newDeviceUsed not sent")
	}
}

// TestResponselessAnswers: triggers whose response Cognito does not read accept any object
// whose response is an object or null, and refuse the rest.
func TestResponselessAnswers(t *testing.T) {
	calls := map[string]func(*Invoker) error{
		"PostConfirmation": func(inv *Invoker) error {
			_, err := inv.PostConfirmation(context.Background(), testARN, headerFor(SourcePostConfirmationConfirmSignUp), PostConfirmationRequest{})
			return err
		},
		"PreAuthentication": func(inv *Invoker) error {
			_, err := inv.PreAuthentication(context.Background(), testARN, headerFor(SourcePreAuthentication), PreAuthenticationRequest{})
			return err
		},
		"PostAuthentication": func(inv *Invoker) error {
			_, err := inv.PostAuthentication(context.Background(), testARN, headerFor(SourcePostAuthentication), PostAuthenticationRequest{})
			return err
		},
	}
	for name, call := range calls {
		for body, ok := range map[string]bool{
			`{}`: true, `{"response":{}}`: true, `{"response":null}`: true, `{"response":{"x":1},"version":"1"}`: true,
			`{"response":"ok"}`: false, `{"response":[]}`: false, `null`: false, `""`: false, `[]`: false, ``: false,
		} {
			t.Run(name+" "+body, func(t *testing.T) {
				f := newFakeLambda(t, raw(http.StatusOK, nil, body))
				inv, _ := newInvoker(t, f.srv.URL, nil)
				err := call(inv)
				if ok {
					if err != nil {
						t.Fatal(err)
					}
					return
				}
				apiErr(t, err, "InvalidLambdaResponseException", "Unrecognizable lambda output")
			})
		}
	}
}

// TestEventShapes pins what is sent for minimal requests: nulls where Cognito sends null
// (validationData, password, initial responses), [] and {} where it sends empty ones, and
// members it sends only when known (clientMetadata, userNotFound) left out.
func TestEventShapes(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		call func(*Invoker) error
		want string // from "request" to the end
	}{
		{"PreSignUp", func(inv *Invoker) error {
			_, err := inv.PreSignUp(ctx, testARN, headerFor(SourcePreSignUpSignUp), PreSignUpRequest{})
			return err
		}, `"request":{"userAttributes":{},"validationData":null},"response":{"autoConfirmUser":false,"autoVerifyEmail":false,"autoVerifyPhone":false}}`},
		{"PostConfirmation", func(inv *Invoker) error {
			_, err := inv.PostConfirmation(ctx, testARN, headerFor(SourcePostConfirmationConfirmSignUp), PostConfirmationRequest{})
			return err
		}, `"request":{"userAttributes":{}},"response":{}}`},
		{"PreAuthentication", func(inv *Invoker) error {
			_, err := inv.PreAuthentication(ctx, testARN, headerFor(SourcePreAuthentication), PreAuthenticationRequest{UserNotFound: aws.Bool(false)})
			return err
		}, `"request":{"userAttributes":{},"validationData":null,"userNotFound":false},"response":{}}`},
		{"PostAuthentication", func(inv *Invoker) error {
			_, err := inv.PostAuthentication(ctx, testARN, headerFor(SourcePostAuthentication), PostAuthenticationRequest{})
			return err
		}, `"request":{"userAttributes":{},"newDeviceUsed":false},"response":{}}`},
		{"PreTokenGeneration V1_0", func(inv *Invoker) error {
			_, err := inv.PreTokenGeneration(ctx, testARN, headerFor(SourceTokenGenerationAuthentication), PreTokenGenerationRequest{})
			return err
		}, `"request":{"userAttributes":{},"groupConfiguration":{"groupsToOverride":[],"iamRolesToOverride":[],"preferredRole":null}},` +
			`"response":{"claimsOverrideDetails":null}}`},
		{"PreTokenGeneration V2_0", func(inv *Invoker) error {
			_, err := inv.PreTokenGeneration(ctx, testARN, headerFor(SourceTokenGenerationRefreshTokens), PreTokenGenerationRequest{LambdaVersion: LambdaVersionV2})
			return err
		}, `"request":{"userAttributes":{},"groupConfiguration":{"groupsToOverride":[],"iamRolesToOverride":[],"preferredRole":null},"scopes":[]},` +
			`"response":{"claimsAndScopeOverrideDetails":null}}`},
		{"UserMigration", func(inv *Invoker) error {
			_, err := inv.UserMigration(ctx, testARN, headerFor(SourceUserMigrationForgotPassword), UserMigrationRequest{})
			return err
		}, `"request":{"password":null,"validationData":null,"userAttributes":null},"response":{"userAttributes":null,"forceAliasCreation":null,` +
			`"enableSMSMFA":null,"finalUserStatus":null,"messageAction":null,"desiredDeliveryMediums":null}}`},
		{"DefineAuthChallenge", func(inv *Invoker) error {
			_, err := inv.DefineAuthChallenge(ctx, testARN, headerFor(SourceDefineAuthChallenge), DefineAuthChallengeRequest{})
			return err
		}, `"request":{"userAttributes":{},"session":[]},"response":{"challengeName":null,"issueTokens":null,"failAuthentication":null}}`},
		{"CreateAuthChallenge", func(inv *Invoker) error {
			_, err := inv.CreateAuthChallenge(ctx, testARN, headerFor(SourceCreateAuthChallenge), CreateAuthChallengeRequest{ChallengeName: "CUSTOM_CHALLENGE",
				Session: []ChallengeResult{{ChallengeName: "SRP_A", ChallengeResult: true}}})
			return err
		}, `"request":{"userAttributes":{},"challengeName":"CUSTOM_CHALLENGE","session":[{"challengeName":"SRP_A","challengeResult":true,"challengeMetadata":null}]},` +
			`"response":{"publicChallengeParameters":null,"privateChallengeParameters":null,"challengeMetadata":null}}`},
		{"VerifyAuthChallengeResponse", func(inv *Invoker) error {
			_, err := inv.VerifyAuthChallengeResponse(ctx, testARN, headerFor(SourceVerifyAuthChallengeResponse), VerifyAuthChallengeResponseRequest{ChallengeAnswer: "42"})
			return err
		}, `"request":{"userAttributes":{},"privateChallengeParameters":{},"challengeAnswer":"42"},"response":{"answerCorrect":null}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The function answers with the event unchanged, except that a migrated user needs
			// attributes.
			f := newFakeLambda(t, answer(func(ev map[string]any) {
				if ev["triggerSource"] == SourceUserMigrationForgotPassword {
					ev["response"].(map[string]any)["userAttributes"] = map[string]any{"email": "a@b.c"}
				}
			}))
			inv, _ := newInvoker(t, f.srv.URL, nil)
			if err := c.call(inv); err != nil {
				t.Fatal(err)
			}
			got := string(f.lastEvent())
			if !strings.HasPrefix(got, `{"version":"`) || !strings.HasSuffix(got, `,`+c.want) {
				t.Fatalf("event\n%s\nwant it to end with\n%s", got, c.want)
			}
		})
	}
}

// TestTriggerErrors: every trigger maps a function error, bad output and a timeout as
// CustomMessage does, with its LambdaConfig name in the texts.
func TestTriggerErrors(t *testing.T) {
	ctx := context.Background()
	calls := []struct {
		trigger string
		call    func(*Invoker) error
	}{
		{"PreSignUp", func(inv *Invoker) error {
			_, err := inv.PreSignUp(ctx, testARN, headerFor(SourcePreSignUpSignUp), PreSignUpRequest{UserAttributes: testAttrs})
			return err
		}},
		{"PostConfirmation", func(inv *Invoker) error {
			_, err := inv.PostConfirmation(ctx, testARN, headerFor(SourcePostConfirmationConfirmSignUp), PostConfirmationRequest{})
			return err
		}},
		{"PreAuthentication", func(inv *Invoker) error {
			_, err := inv.PreAuthentication(ctx, testARN, headerFor(SourcePreAuthentication), PreAuthenticationRequest{})
			return err
		}},
		{"PostAuthentication", func(inv *Invoker) error {
			_, err := inv.PostAuthentication(ctx, testARN, headerFor(SourcePostAuthentication), PostAuthenticationRequest{})
			return err
		}},
		{"PreTokenGeneration", func(inv *Invoker) error {
			_, err := inv.PreTokenGeneration(ctx, testARN, headerFor(SourceTokenGenerationAuthentication), PreTokenGenerationRequest{})
			return err
		}},
		{"PreTokenGeneration", func(inv *Invoker) error {
			_, err := inv.PreTokenGeneration(ctx, testARN, headerFor(SourceTokenGenerationHostedAuth), PreTokenGenerationRequest{LambdaVersion: LambdaVersionV2})
			return err
		}},
		{"UserMigration", func(inv *Invoker) error {
			_, err := inv.UserMigration(ctx, testARN, headerFor(SourceUserMigrationAuthentication), UserMigrationRequest{Password: "pw"})
			return err
		}},
		{"DefineAuthChallenge", func(inv *Invoker) error {
			_, err := inv.DefineAuthChallenge(ctx, testARN, headerFor(SourceDefineAuthChallenge), DefineAuthChallengeRequest{})
			return err
		}},
		{"CreateAuthChallenge", func(inv *Invoker) error {
			_, err := inv.CreateAuthChallenge(ctx, testARN, headerFor(SourceCreateAuthChallenge), CreateAuthChallengeRequest{})
			return err
		}},
		{"VerifyAuthChallengeResponse", func(inv *Invoker) error {
			_, err := inv.VerifyAuthChallengeResponse(ctx, testARN, headerFor(SourceVerifyAuthChallengeResponse), VerifyAuthChallengeResponseRequest{})
			return err
		}},
	}
	for _, c := range calls {
		t.Run(c.trigger, func(t *testing.T) {
			f := newFakeLambda(t, raw(http.StatusOK, map[string]string{"X-Amz-Function-Error": "Unhandled"}, `{"errorMessage":"Denied by policy","errorType":"Error"}`))
			inv, _ := newInvoker(t, f.srv.URL, nil)
			apiErr(t, c.call(inv), "UserLambdaValidationException", c.trigger+" failed with error Denied by policy.")
			if n := f.calls.Load(); n != 1 {
				t.Fatalf("%d calls, want 1", n)
			}

			f.handle = raw(http.StatusServiceUnavailable, map[string]string{"X-Amzn-ErrorType": "ServiceException"}, `{}`)
			apiErr(t, c.call(inv), "UnexpectedLambdaException", c.trigger+" invocation failed due to error ServiceException.")

			for _, body := range []string{`null`, `"event"`, `[1]`, `{"response":`, `{"response":"ok"}`, `{"response":7}`} {
				f.handle = raw(http.StatusOK, nil, body)
				apiErr(t, c.call(inv), "InvalidLambdaResponseException", "Unrecognizable lambda output")
			}
		})
	}
}

// TestResponsesRequired: triggers whose answer Cognito reads need a response object.
func TestResponsesRequired(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func(*Invoker) error{
		"PreSignUp": func(inv *Invoker) error {
			_, err := inv.PreSignUp(ctx, testARN, headerFor(SourcePreSignUpSignUp), PreSignUpRequest{})
			return err
		},
		"PreTokenGeneration": func(inv *Invoker) error {
			_, err := inv.PreTokenGeneration(ctx, testARN, headerFor(SourceTokenGenerationAuthentication), PreTokenGenerationRequest{})
			return err
		},
		"DefineAuthChallenge": func(inv *Invoker) error {
			_, err := inv.DefineAuthChallenge(ctx, testARN, headerFor(SourceDefineAuthChallenge), DefineAuthChallengeRequest{})
			return err
		},
		"CreateAuthChallenge": func(inv *Invoker) error {
			_, err := inv.CreateAuthChallenge(ctx, testARN, headerFor(SourceCreateAuthChallenge), CreateAuthChallengeRequest{})
			return err
		},
		"VerifyAuthChallengeResponse": func(inv *Invoker) error {
			_, err := inv.VerifyAuthChallengeResponse(ctx, testARN, headerFor(SourceVerifyAuthChallengeResponse), VerifyAuthChallengeResponseRequest{})
			return err
		},
	}
	for name, call := range calls {
		for _, body := range []string{`{}`, `{"response":null}`} {
			t.Run(name+" "+body, func(t *testing.T) {
				f := newFakeLambda(t, raw(http.StatusOK, nil, body))
				inv, _ := newInvoker(t, f.srv.URL, nil)
				apiErr(t, call(inv), "InvalidLambdaResponseException", "Unrecognizable lambda output")
			})
		}
	}
	// Members of the wrong type.
	for name, c := range map[string]struct {
		call   func(*Invoker) error
		fields map[string]any
	}{
		"PreSignUp string flag":       {calls["PreSignUp"], map[string]any{"autoConfirmUser": "true"}},
		"Define number name":          {calls["DefineAuthChallenge"], map[string]any{"challengeName": 3}},
		"Create list parameters":      {calls["CreateAuthChallenge"], map[string]any{"publicChallengeParameters": []string{"a"}}},
		"Create number parameter":     {calls["CreateAuthChallenge"], map[string]any{"privateChallengeParameters": map[string]any{"answer": 5}}},
		"Verify string answerCorrect": {calls["VerifyAuthChallengeResponse"], map[string]any{"answerCorrect": "yes"}},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeLambda(t, answer(setResponse(c.fields)))
			inv, _ := newInvoker(t, f.srv.URL, nil)
			apiErr(t, c.call(inv), "InvalidLambdaResponseException", "Unrecognizable lambda output")
		})
	}
}

func TestEventsNeverLogged(t *testing.T) {
	f := newFakeLambda(t, answer(setResponse(map[string]any{"userAttributes": map[string]any{"email": metaValue}, "finalUserStatus": "BOGUS"})))
	inv, logs := newInvoker(t, f.srv.URL, nil)
	_, err := inv.UserMigration(context.Background(), testARN, headerFor(SourceUserMigrationAuthentication),
		UserMigrationRequest{Password: "hunter2-" + metaKey, ClientMetadata: meta()})
	apiErr(t, err, "InvalidLambdaResponseException", "Unrecognizable lambda output")
	for _, secret := range []string{metaKey, metaValue, "hunter2"} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("%q is in the log:\n%s", secret, logs)
		}
	}
}
