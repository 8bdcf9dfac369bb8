package triggers

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
)

func TestUserMigration(t *testing.T) {
	for _, c := range []struct {
		source, password string
	}{{SourceUserMigrationAuthentication, "Legacy-Passw0rd"}, {SourceUserMigrationForgotPassword, ""}} {
		t.Run(c.source, func(t *testing.T) {
			f := newFakeLambda(t, goFunction(t, func(ev *events.CognitoEventUserPoolsMigrateUser) {
				ev.CognitoEventUserPoolsMigrateUserResponse = events.CognitoEventUserPoolsMigrateUserResponse{
					UserAttributes:  map[string]string{"email": "alice@example.com", "email_verified": "true"},
					FinalUserStatus: "CONFIRMED", MessageAction: "SUPPRESS", DesiredDeliveryMediums: []string{"EMAIL", "SMS"},
					ForceAliasCreation: true,
				}
			}))
			inv, _ := newInvoker(t, f.srv.URL, nil)
			req := UserMigrationRequest{Password: c.password, ValidationData: map[string]string{"ip": "192.0.2.1"}, ClientMetadata: meta()}
			resp, err := inv.UserMigration(context.Background(), testARN, headerFor(c.source), req)
			if err != nil {
				t.Fatal(err)
			}
			want := &UserMigrationResponse{UserAttributes: map[string]string{"email": "alice@example.com", "email_verified": "true"},
				FinalUserStatus: "CONFIRMED", MessageAction: "SUPPRESS", DesiredDeliveryMediums: []string{"EMAIL", "SMS"}, ForceAliasCreation: true}
			if !reflect.DeepEqual(resp, want) {
				t.Fatalf("response %+v\nwant %+v", resp, want)
			}
			ev := decodeAs[events.CognitoEventUserPoolsMigrateUser](t, f)
			checkHeader(t, ev.CognitoEventUserPoolsHeader, "1", c.source)
			r := ev.CognitoEventUserPoolsMigrateUserRequest
			if r.Password != c.password || len(r.ValidationData) != 1 || r.ValidationData["ip"] != "192.0.2.1" {
				t.Errorf("request %+v", r)
			}
			checkMeta(t, r.ClientMetadata)
			var raw struct {
				Request map[string]json.RawMessage `json:"request"`
			}
			_ = json.Unmarshal(f.lastEvent(), &raw)
			if c.password == "" && string(raw.Request["password"]) != "null" {
				t.Errorf("ForgotPassword password %s, want null", raw.Request["password"])
			}
		})
	}
}

func TestUserMigrationAnswers(t *testing.T) {
	attrs := map[string]any{"email": "alice@example.com"}
	cases := []struct {
		name   string
		fields map[string]any
		want   *UserMigrationResponse // nil: InvalidLambdaResponseException
	}{
		{"attributes only", map[string]any{"userAttributes": attrs},
			&UserMigrationResponse{UserAttributes: map[string]string{"email": "alice@example.com"}}},
		{"everything", map[string]any{"userAttributes": attrs, "finalUserStatus": "RESET_REQUIRED", "messageAction": "RESEND",
			"desiredDeliveryMediums": []string{"SMS"}, "forceAliasCreation": false, "enableSMSMFA": true},
			&UserMigrationResponse{UserAttributes: map[string]string{"email": "alice@example.com"}, FinalUserStatus: "RESET_REQUIRED",
				MessageAction: "RESEND", DesiredDeliveryMediums: []string{"SMS"}, EnableSMSMFA: true}},
		// aws-lambda-go's plain fields answer "" and [] for what is not set.
		{"empty strings", map[string]any{"userAttributes": attrs, "finalUserStatus": "", "messageAction": "", "desiredDeliveryMediums": []string{}},
			&UserMigrationResponse{UserAttributes: map[string]string{"email": "alice@example.com"}}},
		{"no attributes", map[string]any{}, nil},
		{"empty attributes", map[string]any{"userAttributes": map[string]any{}}, nil},
		{"unknown status", map[string]any{"userAttributes": attrs, "finalUserStatus": "UNCONFIRMED"}, nil},
		{"lower-case status", map[string]any{"userAttributes": attrs, "finalUserStatus": "confirmed"}, nil},
		{"unknown action", map[string]any{"userAttributes": attrs, "messageAction": "SKIP"}, nil},
		{"unknown medium", map[string]any{"userAttributes": attrs, "desiredDeliveryMediums": []string{"EMAIL", "VOICE"}}, nil},
		{"medium not a list", map[string]any{"userAttributes": attrs, "desiredDeliveryMediums": "EMAIL"}, nil},
		{"attribute not a string", map[string]any{"userAttributes": map[string]any{"email_verified": true}}, nil},
		{"flag not a boolean", map[string]any{"userAttributes": attrs, "forceAliasCreation": "true"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeLambda(t, answer(setResponse(c.fields)))
			inv, _ := newInvoker(t, f.srv.URL, nil)
			resp, err := inv.UserMigration(context.Background(), testARN, headerFor(SourceUserMigrationAuthentication), UserMigrationRequest{Password: "pw"})
			if c.want == nil {
				apiErr(t, err, "InvalidLambdaResponseException", "Unrecognizable lambda output")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(resp, c.want) {
				t.Fatalf("response %+v\nwant %+v", resp, c.want)
			}
		})
	}
}

func TestDefineAuthChallenge(t *testing.T) {
	f := newFakeLambda(t, goFunction(t, func(ev *events.CognitoEventUserPoolsDefineAuthChallenge) {
		ev.Response.ChallengeName = "CUSTOM_CHALLENGE"
	}))
	inv, _ := newInvoker(t, f.srv.URL, nil)
	req := DefineAuthChallengeRequest{UserAttributes: testAttrs, ClientMetadata: meta(), UserNotFound: aws.Bool(false),
		Session: []ChallengeResult{{ChallengeName: "SRP_A", ChallengeResult: true}, {ChallengeName: "PASSWORD_VERIFIER", ChallengeResult: true},
			{ChallengeName: "CUSTOM_CHALLENGE", ChallengeResult: false, ChallengeMetadata: "CAPTCHA"}}}
	resp, err := inv.DefineAuthChallenge(context.Background(), testARN, headerFor(SourceDefineAuthChallenge), req)
	if err != nil {
		t.Fatal(err)
	}
	if *resp != (DefineAuthChallengeResponse{ChallengeName: "CUSTOM_CHALLENGE"}) {
		t.Fatalf("response %+v", resp)
	}
	ev := decodeAs[events.CognitoEventUserPoolsDefineAuthChallenge](t, f)
	checkHeader(t, ev.CognitoEventUserPoolsHeader, "1", SourceDefineAuthChallenge)
	checkAttrs(t, ev.Request.UserAttributes)
	checkMeta(t, ev.Request.ClientMetadata)
	checkSession(t, ev.Request.Session, req.Session)
	if ev.Response != (events.CognitoEventUserPoolsDefineAuthChallengeResponse{}) {
		t.Errorf("initial response %+v", ev.Response)
	}

	for name, c := range map[string]struct {
		fields map[string]any
		want   DefineAuthChallengeResponse
	}{
		"tokens":  {map[string]any{"issueTokens": true, "challengeName": ""}, DefineAuthChallengeResponse{IssueTokens: true}},
		"fail":    {map[string]any{"failAuthentication": true}, DefineAuthChallengeResponse{FailAuthentication: true}},
		"nothing": {nil, DefineAuthChallengeResponse{}},
	} {
		t.Run(name, func(t *testing.T) {
			f.handle = answer(setResponse(c.fields))
			resp, err := inv.DefineAuthChallenge(context.Background(), testARN, headerFor(SourceDefineAuthChallenge), DefineAuthChallengeRequest{})
			if err != nil || *resp != c.want {
				t.Fatalf("%+v %v, want %+v", resp, err, c.want)
			}
		})
	}
}

func checkSession(t *testing.T, got []*events.CognitoEventUserPoolsChallengeResult, want []ChallengeResult) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("session %v, want %v", got, want)
	}
	for i, g := range got {
		if g.ChallengeName != want[i].ChallengeName || g.ChallengeResult != want[i].ChallengeResult || g.ChallengeMetadata != want[i].ChallengeMetadata {
			t.Errorf("session[%d] %+v, want %+v", i, *g, want[i])
		}
	}
}

func TestCreateAuthChallenge(t *testing.T) {
	f := newFakeLambda(t, goFunction(t, func(ev *events.CognitoEventUserPoolsCreateAuthChallenge) {
		ev.Response.PublicChallengeParameters = map[string]string{"captchaUrl": "https://example.com/c.png"}
		ev.Response.PrivateChallengeParameters = map[string]string{"answer": "5"}
		ev.Response.ChallengeMetadata = "CAPTCHA_CHALLENGE"
	}))
	inv, _ := newInvoker(t, f.srv.URL, nil)
	req := CreateAuthChallengeRequest{UserAttributes: testAttrs, ChallengeName: "CUSTOM_CHALLENGE", ClientMetadata: meta(), UserNotFound: aws.Bool(true),
		Session: []ChallengeResult{{ChallengeName: "SRP_A", ChallengeResult: true}}}
	resp, err := inv.CreateAuthChallenge(context.Background(), testARN, headerFor(SourceCreateAuthChallenge), req)
	if err != nil {
		t.Fatal(err)
	}
	want := &CreateAuthChallengeResponse{PublicChallengeParameters: map[string]string{"captchaUrl": "https://example.com/c.png"},
		PrivateChallengeParameters: map[string]string{"answer": "5"}, ChallengeMetadata: "CAPTCHA_CHALLENGE"}
	if !reflect.DeepEqual(resp, want) {
		t.Fatalf("response %+v", resp)
	}
	ev := decodeAs[events.CognitoEventUserPoolsCreateAuthChallenge](t, f)
	checkHeader(t, ev.CognitoEventUserPoolsHeader, "1", SourceCreateAuthChallenge)
	checkAttrs(t, ev.Request.UserAttributes)
	checkMeta(t, ev.Request.ClientMetadata)
	checkSession(t, ev.Request.Session, req.Session)
	if ev.Request.ChallengeName != "CUSTOM_CHALLENGE" || !ev.Request.UserNotFound {
		t.Errorf("request %+v", ev.Request)
	}
	if ev.Response.PublicChallengeParameters != nil || ev.Response.PrivateChallengeParameters != nil || ev.Response.ChallengeMetadata != "" {
		t.Errorf("initial response %+v", ev.Response)
	}

	// Nothing set: all empty.
	f.handle = answer(func(map[string]any) {})
	resp, err = inv.CreateAuthChallenge(context.Background(), testARN, headerFor(SourceCreateAuthChallenge), CreateAuthChallengeRequest{})
	if err != nil || !reflect.DeepEqual(resp, &CreateAuthChallengeResponse{}) {
		t.Fatalf("%+v %v", resp, err)
	}
}

func TestVerifyAuthChallengeResponse(t *testing.T) {
	f := newFakeLambda(t, goFunction(t, func(ev *events.CognitoEventUserPoolsVerifyAuthChallenge) {
		ev.Response.AnswerCorrect = ev.Request.ChallengeAnswer == ev.Request.PrivateChallengeParameters["answer"]
	}))
	inv, _ := newInvoker(t, f.srv.URL, nil)
	for answer, correct := range map[string]bool{"5": true, "6": false} {
		req := VerifyAuthChallengeResponseRequest{UserAttributes: testAttrs, PrivateChallengeParameters: map[string]string{"answer": "5"},
			ChallengeAnswer: answer, ClientMetadata: meta()}
		resp, err := inv.VerifyAuthChallengeResponse(context.Background(), testARN, headerFor(SourceVerifyAuthChallengeResponse), req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.AnswerCorrect != correct {
			t.Fatalf("answer %s: answerCorrect %v", answer, resp.AnswerCorrect)
		}
		ev := decodeAs[events.CognitoEventUserPoolsVerifyAuthChallenge](t, f)
		checkHeader(t, ev.CognitoEventUserPoolsHeader, "1", SourceVerifyAuthChallengeResponse)
		checkAttrs(t, ev.Request.UserAttributes)
		checkMeta(t, ev.Request.ClientMetadata)
		if ev.Request.ChallengeAnswer != answer || ev.Request.PrivateChallengeParameters["answer"] != "5" || ev.Request.UserNotFound {
			t.Errorf("request %+v", ev.Request)
		}
		var raw struct {
			Request map[string]json.RawMessage `json:"request"`
		}
		_ = json.Unmarshal(f.lastEvent(), &raw)
		if _, ok := raw.Request["userNotFound"]; ok || !slices.Contains([]string{`"5"`, `"6"`}, string(raw.Request["challengeAnswer"])) {
			t.Errorf("request %s", f.lastEvent())
		}
	}
}
