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

func TestPreTokenGenerationV1(t *testing.T) {
	sources := []string{SourceTokenGenerationAuthentication, SourceTokenGenerationNewPasswordChallenge, SourceTokenGenerationRefreshTokens,
		SourceTokenGenerationHostedAuth, SourceTokenGenerationAuthenticateDevice}
	for _, source := range sources {
		t.Run(source, func(t *testing.T) {
			// A Go function: claimsToAddOrOverride values are strings in V1_0.
			f := newFakeLambda(t, goFunction(t, func(ev *events.CognitoEventUserPoolsPreTokenGen) {
				ev.Response.ClaimsOverrideDetails = events.ClaimsOverrideDetails{
					ClaimsToAddOrOverride: map[string]string{"tenant": "acme"},
					ClaimsToSuppress:      []string{"email"},
					GroupOverrideDetails: events.GroupConfiguration{GroupsToOverride: []string{"editors"},
						IAMRolesToOverride: []string{"arn:aws:iam::123456789012:role/editor"}, PreferredRole: aws.String("arn:aws:iam::123456789012:role/editor")},
				}
			}))
			inv, _ := newInvoker(t, f.srv.URL, nil)
			req := PreTokenGenerationRequest{
				UserAttributes: testAttrs, ClientMetadata: meta(),
				GroupConfiguration: GroupConfiguration{GroupsToOverride: []string{"admins", "readers"},
					IAMRolesToOverride: []string{"arn:aws:iam::123456789012:role/admin"}, PreferredRole: aws.String("arn:aws:iam::123456789012:role/admin")},
				Scopes: []string{"openid"}, // not sent in V1_0
			}
			resp, err := inv.PreTokenGeneration(context.Background(), testARN, headerFor(source), req)
			if err != nil {
				t.Fatal(err)
			}
			ev := decodeAs[events.CognitoEventUserPoolsPreTokenGen](t, f)
			checkHeader(t, ev.CognitoEventUserPoolsHeader, "1", source)
			checkAttrs(t, ev.Request.UserAttributes)
			checkMeta(t, ev.Request.ClientMetadata)
			g := ev.Request.GroupConfiguration
			if !slices.Equal(g.GroupsToOverride, []string{"admins", "readers"}) || !slices.Equal(g.IAMRolesToOverride, []string{"arn:aws:iam::123456789012:role/admin"}) ||
				g.PreferredRole == nil || *g.PreferredRole != "arn:aws:iam::123456789012:role/admin" {
				t.Errorf("groupConfiguration %+v", g)
			}
			var raw map[string]map[string]any
			_ = json.Unmarshal(f.lastEvent(), &raw)
			if _, ok := raw["request"]["scopes"]; ok {
				t.Error("scopes sent in a V1_0 event")
			}

			d := resp.ClaimsOverrideDetails
			if d == nil || resp.ClaimsAndScopeOverrideDetails != nil {
				t.Fatalf("response %+v", resp)
			}
			if !reflect.DeepEqual(d.ClaimsToAddOrOverride, map[string]string{"tenant": "acme"}) || !slices.Equal(d.ClaimsToSuppress, []string{"email"}) ||
				d.GroupOverrideDetails == nil || !slices.Equal(d.GroupOverrideDetails.GroupsToOverride, []string{"editors"}) ||
				*d.GroupOverrideDetails.PreferredRole != "arn:aws:iam::123456789012:role/editor" {
				t.Fatalf("claimsOverrideDetails %+v", d)
			}
		})
	}
}

func TestPreTokenGenerationV2(t *testing.T) {
	for _, version := range []string{LambdaVersionV2, LambdaVersionV3} {
		t.Run(version, func(t *testing.T) {
			f := newFakeLambda(t, goFunction(t, func(ev *events.CognitoEventUserPoolsPreTokenGenV2_0) {
				ev.Response.ClaimsAndScopeOverrideDetails = events.ClaimsAndScopeOverrideDetailsV2_0{
					IDTokenGeneration: events.IDTokenGenerationV2_0{
						ClaimsToAddOrOverride: map[string]any{"tenant": "acme", "tier": 3, "flags": []string{"a", "b"}, "big": json.Number("12345678901234567890")},
						ClaimsToSuppress:      []string{"email"},
					},
					AccessTokenGeneration: events.AccessTokenGenerationV2_0{
						ClaimsToAddOrOverride: map[string]any{"tenant": map[string]any{"id": "acme"}},
						ScopesToAdd:           []string{"api/read"},
						ScopesToSuppress:      []string{"aws.cognito.signin.user.admin"},
					},
					GroupOverrideDetails: ev.Request.GroupConfiguration, // keeps the groups
				}
			}))
			inv, _ := newInvoker(t, f.srv.URL, nil)
			req := PreTokenGenerationRequest{LambdaVersion: version, UserAttributes: testAttrs, ClientMetadata: meta(),
				GroupConfiguration: GroupConfiguration{GroupsToOverride: []string{"admins"}},
				Scopes:             []string{"aws.cognito.signin.user.admin", "openid"}}
			resp, err := inv.PreTokenGeneration(context.Background(), testARN, headerFor(SourceTokenGenerationAuthentication), req)
			if err != nil {
				t.Fatal(err)
			}
			ev := decodeAs[events.CognitoEventUserPoolsPreTokenGenV2_0](t, f)
			checkHeader(t, ev.CognitoEventUserPoolsHeader, version[1:2], SourceTokenGenerationAuthentication)
			checkAttrs(t, ev.Request.UserAttributes)
			checkMeta(t, ev.Request.ClientMetadata)
			if !slices.Equal(ev.Request.Scopes, req.Scopes) || !slices.Equal(ev.Request.GroupConfiguration.GroupsToOverride, []string{"admins"}) ||
				ev.Request.GroupConfiguration.IAMRolesToOverride == nil || ev.Request.GroupConfiguration.PreferredRole != nil {
				t.Errorf("request %+v", ev.Request)
			}

			d := resp.ClaimsAndScopeOverrideDetails
			if d == nil || resp.ClaimsOverrideDetails != nil || d.IDTokenGeneration == nil || d.AccessTokenGeneration == nil {
				t.Fatalf("response %+v", resp)
			}
			wantID := map[string]any{"tenant": "acme", "tier": json.Number("3"), "flags": []any{"a", "b"}, "big": json.Number("12345678901234567890")}
			if !reflect.DeepEqual(d.IDTokenGeneration.ClaimsToAddOrOverride, wantID) {
				t.Errorf("id claims %#v", d.IDTokenGeneration.ClaimsToAddOrOverride)
			}
			if !reflect.DeepEqual(d.AccessTokenGeneration.ClaimsToAddOrOverride, map[string]any{"tenant": map[string]any{"id": "acme"}}) ||
				!slices.Equal(d.AccessTokenGeneration.ScopesToAdd, []string{"api/read"}) ||
				!slices.Equal(d.AccessTokenGeneration.ScopesToSuppress, []string{"aws.cognito.signin.user.admin"}) {
				t.Errorf("access %+v", d.AccessTokenGeneration)
			}
			if d.GroupOverrideDetails == nil || !slices.Equal(d.GroupOverrideDetails.GroupsToOverride, []string{"admins"}) {
				t.Errorf("groups %+v", d.GroupOverrideDetails)
			}

			// Applied: the numbers keep their digits in the token.
			id := map[string]any{"sub": "s", "email": "alice@example.com", "cognito:groups": []string{"admins"}}
			access := map[string]any{"sub": "s", "client_id": "c", "cognito:groups": []string{"admins"}}
			scope := "aws.cognito.signin.user.admin openid"
			resp.Apply(id, access, &scope)
			b, _ := json.Marshal(id)
			if string(b) != `{"big":12345678901234567890,"cognito:groups":["admins"],"flags":["a","b"],"sub":"s","tenant":"acme","tier":3}` {
				t.Errorf("id token %s", b)
			}
			if scope != "openid api/read" {
				t.Errorf("scope %q", scope)
			}
		})
	}
}

func TestPreTokenGenerationBadAnswers(t *testing.T) {
	for name, c := range map[string]struct {
		version string
		fields  map[string]any
	}{
		"V1 number claim":        {"", map[string]any{"claimsOverrideDetails": map[string]any{"claimsToAddOrOverride": map[string]any{"n": 1}}}},
		"V1 object claim":        {LambdaVersionV1, map[string]any{"claimsOverrideDetails": map[string]any{"claimsToAddOrOverride": map[string]any{"n": map[string]any{}}}}},
		"V1 suppress string":     {"", map[string]any{"claimsOverrideDetails": map[string]any{"claimsToSuppress": "email"}}},
		"V1 details string":      {"", map[string]any{"claimsOverrideDetails": "x"}},
		"V2 groups number":       {LambdaVersionV2, map[string]any{"claimsAndScopeOverrideDetails": map[string]any{"groupOverrideDetails": map[string]any{"groupsToOverride": []any{1}}}}},
		"V2 scopes string":       {LambdaVersionV2, map[string]any{"claimsAndScopeOverrideDetails": map[string]any{"accessTokenGeneration": map[string]any{"scopesToAdd": "a b"}}}},
		"V2 claims list":         {LambdaVersionV3, map[string]any{"claimsAndScopeOverrideDetails": map[string]any{"idTokenGeneration": map[string]any{"claimsToAddOrOverride": []any{}}}}},
		"V2 preferredRole array": {LambdaVersionV2, map[string]any{"claimsAndScopeOverrideDetails": map[string]any{"groupOverrideDetails": map[string]any{"preferredRole": []any{}}}}},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeLambda(t, answer(setResponse(c.fields)))
			inv, _ := newInvoker(t, f.srv.URL, nil)
			_, err := inv.PreTokenGeneration(context.Background(), testARN, headerFor(SourceTokenGenerationAuthentication), PreTokenGenerationRequest{LambdaVersion: c.version})
			apiErr(t, err, "InvalidLambdaResponseException", "Unrecognizable lambda output")
		})
	}

	// The other version's member is not read.
	f := newFakeLambda(t, answer(setResponse(map[string]any{"claimsAndScopeOverrideDetails": map[string]any{"idTokenGeneration": map[string]any{"claimsToSuppress": []string{"email"}}}})))
	inv, _ := newInvoker(t, f.srv.URL, nil)
	resp, err := inv.PreTokenGeneration(context.Background(), testARN, headerFor(SourceTokenGenerationAuthentication), PreTokenGenerationRequest{})
	if err != nil || resp.ClaimsOverrideDetails != nil || resp.ClaimsAndScopeOverrideDetails != nil {
		t.Fatalf("%+v %v", resp, err)
	}

	if _, err := inv.PreTokenGeneration(context.Background(), testARN, headerFor(SourceTokenGenerationAuthentication), PreTokenGenerationRequest{LambdaVersion: "V4_0"}); err == nil {
		t.Fatal("LambdaVersion V4_0 accepted")
	}
}

// baseClaims are an issued pair of tokens, as internal/userpool mints them.
func baseClaims() (id, access map[string]any, scope string) {
	common := func(use string) map[string]any {
		return map[string]any{"sub": "s-1", "iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123", "origin_jti": "o-1",
			"event_id": "e-1", "token_use": use, "auth_time": int64(100), "iat": int64(100), "exp": int64(3700), "jti": "j-" + use,
			"cognito:groups": []string{"admins"}}
	}
	id = common("id")
	id["aud"], id["cognito:username"], id["email"], id["email_verified"] = "client-1", "alice", "alice@example.com", true
	id["cognito:roles"], id["cognito:preferred_role"] = []string{"arn:role/admin"}, "arn:role/admin"
	access = common("access")
	access["client_id"], access["username"], access["version"] = "client-1", "alice", 2
	return id, access, "aws.cognito.signin.user.admin openid"
}

func TestApply(t *testing.T) {
	reserved := []string{"acr", "amr", "at_hash", "aud", "auth_time", "azp", "client_id", "cognito:username", "device_key", "event_id",
		"exp", "iat", "identities", "iss", "jti", "nbf", "nonce", "origin_jti", "scope", "sub", "token_use", "version", "cognito:user_status"}
	overrideAll := map[string]any{}
	overrideAllV1 := map[string]string{}
	for _, c := range reserved {
		overrideAll[c], overrideAllV1[c] = "changed", "changed"
	}
	type change struct {
		id, access map[string]any // claims set (nil value: removed) relative to baseClaims
		scope      string         // "" : unchanged
	}
	cases := []struct {
		name string
		resp *PreTokenGenerationResponse
		want change
	}{
		{"nil response", nil, change{}},
		{"nothing", &PreTokenGenerationResponse{}, change{}},
		{"V1 empty details keep groups", &PreTokenGenerationResponse{ClaimsOverrideDetails: &ClaimsOverrideDetails{}}, change{}},
		{"V1 add, override, suppress", &PreTokenGenerationResponse{ClaimsOverrideDetails: &ClaimsOverrideDetails{
			ClaimsToAddOrOverride: map[string]string{"tenant": "acme", "email": "other@example.com", "custom:tier": "gold"},
			ClaimsToSuppress:      []string{"email_verified"},
		}}, change{id: map[string]any{"tenant": "acme", "email": "other@example.com", "custom:tier": "gold", "email_verified": nil}}},
		{"V1 never touches the access token", &PreTokenGenerationResponse{ClaimsOverrideDetails: &ClaimsOverrideDetails{
			ClaimsToAddOrOverride: map[string]string{"username": "mallory"}, ClaimsToSuppress: []string{"username"},
		}}, change{}},
		{"suppression wins", &PreTokenGenerationResponse{ClaimsOverrideDetails: &ClaimsOverrideDetails{
			ClaimsToAddOrOverride: map[string]string{"tenant": "acme"}, ClaimsToSuppress: []string{"tenant", "email"},
		}}, change{id: map[string]any{"email": nil}}},
		{"V1 reserved claims are ignored", &PreTokenGenerationResponse{ClaimsOverrideDetails: &ClaimsOverrideDetails{
			ClaimsToAddOrOverride: overrideAllV1, ClaimsToSuppress: reserved,
		}}, change{}},
		{"V2 reserved claims are ignored in both tokens", &PreTokenGenerationResponse{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{
			IDTokenGeneration:     &TokenGeneration{ClaimsToAddOrOverride: overrideAll, ClaimsToSuppress: reserved},
			AccessTokenGeneration: &TokenGeneration{ClaimsToAddOrOverride: overrideAll, ClaimsToSuppress: reserved},
		}}, change{}},
		{"cognito: claims are not added, group claims can be suppressed", &PreTokenGenerationResponse{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{
			IDTokenGeneration: &TokenGeneration{ClaimsToAddOrOverride: map[string]any{"cognito:groups": []any{"x"}, "cognito:anything": "x"},
				ClaimsToSuppress: []string{"cognito:roles", "cognito:preferred_role"}},
			AccessTokenGeneration: &TokenGeneration{ClaimsToSuppress: []string{"cognito:groups"}},
		}}, change{id: map[string]any{"cognito:roles": nil, "cognito:preferred_role": nil}, access: map[string]any{"cognito:groups": nil}}},
		{"dev: claims are suppressed, not added", &PreTokenGenerationResponse{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{
			IDTokenGeneration: &TokenGeneration{ClaimsToAddOrOverride: map[string]any{"dev:new": "x"}, ClaimsToSuppress: []string{"dev:old"}},
		}}, change{}},
		{"V2 values of any type, each token its own", &PreTokenGenerationResponse{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{
			IDTokenGeneration: &TokenGeneration{ClaimsToAddOrOverride: map[string]any{"n": json.Number("7"), "b": true, "l": []any{"a"},
				"o": map[string]any{"k": "v"}, "null": nil}},
			AccessTokenGeneration: &TokenGeneration{ClaimsToAddOrOverride: map[string]any{"username": "alice2", "tenant": "acme"},
				ClaimsToSuppress: []string{"cognito:groups"}},
		}}, change{id: map[string]any{"n": json.Number("7"), "b": true, "l": []any{"a"}, "o": map[string]any{"k": "v"}},
			access: map[string]any{"username": "alice2", "tenant": "acme", "cognito:groups": nil}}},
		{"no complex values for the OIDC claims of the ID token", &PreTokenGenerationResponse{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{
			IDTokenGeneration: &TokenGeneration{ClaimsToAddOrOverride: map[string]any{"email_verified": []any{true}, "address": map[string]any{"x": "y"},
				"updated_at": []any{1}, "phone_number_verified": map[string]any{}, "phone_number": "+14325551212"}},
			AccessTokenGeneration: &TokenGeneration{ClaimsToAddOrOverride: map[string]any{"address": map[string]any{"x": "y"}}},
		}}, change{id: map[string]any{"phone_number": "+14325551212"}, access: map[string]any{"address": map[string]any{"x": "y"}}}},
		{"scalar OIDC claims are fine", &PreTokenGenerationResponse{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{
			IDTokenGeneration: &TokenGeneration{ClaimsToAddOrOverride: map[string]any{"email_verified": false, "address": "{\"x\":\"y\"}"}},
		}}, change{id: map[string]any{"email_verified": false, "address": "{\"x\":\"y\"}"}}},
		{"aud in the access token only as its client", &PreTokenGenerationResponse{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{
			IDTokenGeneration:     &TokenGeneration{ClaimsToAddOrOverride: map[string]any{"aud": "client-1"}},
			AccessTokenGeneration: &TokenGeneration{ClaimsToAddOrOverride: map[string]any{"aud": "client-1"}},
		}}, change{access: map[string]any{"aud": "client-1"}}},
		{"aud in the access token, another client", &PreTokenGenerationResponse{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{
			AccessTokenGeneration: &TokenGeneration{ClaimsToAddOrOverride: map[string]any{"aud": "https://api.example.com"}},
		}}, change{}},
		{"scopes", &PreTokenGenerationResponse{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{
			AccessTokenGeneration: &TokenGeneration{ScopesToAdd: []string{"api/read", "openid", "bad scope", "", "api/write", "api/read"},
				ScopesToSuppress: []string{"aws.cognito.signin.user.admin", "api/write", "absent"}},
		}}, change{scope: "openid api/read"}},
		{"scopes of the ID token are not read", &PreTokenGenerationResponse{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{
			IDTokenGeneration: &TokenGeneration{ScopesToAdd: []string{"api/read"}, ScopesToSuppress: []string{"openid"}},
		}}, change{}},
		{"groups replaced", &PreTokenGenerationResponse{ClaimsOverrideDetails: &ClaimsOverrideDetails{GroupOverrideDetails: &GroupConfiguration{
			GroupsToOverride: []string{"a", "b"}, IAMRolesToOverride: []string{"arn:role/a"}, PreferredRole: aws.String("arn:role/a")}}},
			change{id: map[string]any{"cognito:groups": []string{"a", "b"}, "cognito:roles": []string{"arn:role/a"}, "cognito:preferred_role": "arn:role/a"},
				access: map[string]any{"cognito:groups": []string{"a", "b"}}}},
		{"all-null group override changes nothing", &PreTokenGenerationResponse{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{
			GroupOverrideDetails: &GroupConfiguration{}}},
			change{}},
		{"empty group lists suppress the groups", &PreTokenGenerationResponse{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{
			GroupOverrideDetails: &GroupConfiguration{GroupsToOverride: []string{}, IAMRolesToOverride: []string{}}}},
			change{id: map[string]any{"cognito:groups": nil, "cognito:roles": nil, "cognito:preferred_role": nil}, access: map[string]any{"cognito:groups": nil}}},
		{"groups only", &PreTokenGenerationResponse{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{
			GroupOverrideDetails: &GroupConfiguration{GroupsToOverride: []string{"x"}}}},
			change{id: map[string]any{"cognito:groups": []string{"x"}, "cognito:roles": nil, "cognito:preferred_role": nil},
				access: map[string]any{"cognito:groups": []string{"x"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id, access, scope := baseClaims()
			c.resp.Apply(id, access, &scope)
			wantID, wantAccess, wantScope := baseClaims()
			for k, v := range c.want.id {
				if v == nil {
					delete(wantID, k)
				} else {
					wantID[k] = v
				}
			}
			for k, v := range c.want.access {
				if v == nil {
					delete(wantAccess, k)
				} else {
					wantAccess[k] = v
				}
			}
			if c.want.scope != "" {
				wantScope = c.want.scope
			}
			if !reflect.DeepEqual(id, wantID) {
				t.Errorf("id claims\n%v\nwant\n%v", id, wantID)
			}
			if !reflect.DeepEqual(access, wantAccess) {
				t.Errorf("access claims\n%v\nwant\n%v", access, wantAccess)
			}
			if scope != wantScope {
				t.Errorf("scope %q, want %q", scope, wantScope)
			}
		})
	}

	// nil maps and scope are left alone.
	r := &PreTokenGenerationResponse{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{
		IDTokenGeneration:     &TokenGeneration{ClaimsToAddOrOverride: map[string]any{"a": "b"}},
		AccessTokenGeneration: &TokenGeneration{ClaimsToAddOrOverride: map[string]any{"a": "b"}, ScopesToAdd: []string{"x"}},
		GroupOverrideDetails:  &GroupConfiguration{GroupsToOverride: []string{"g"}},
	}}
	r.Apply(nil, nil, nil)

	// The group lists are copies.
	groups := []string{"a"}
	id, access, _ := baseClaims()
	(&PreTokenGenerationResponse{ClaimsOverrideDetails: &ClaimsOverrideDetails{GroupOverrideDetails: &GroupConfiguration{GroupsToOverride: groups}}}).Apply(id, access, nil)
	groups[0] = "changed"
	if id["cognito:groups"].([]string)[0] != "a" || access["cognito:groups"].([]string)[0] != "a" {
		t.Error("Apply shares the response's slices with the claims")
	}
}

// TestApplyGoFunctionDefaults: a Go function that only adds a claim answers a
// groupOverrideDetails of nulls (aws-lambda-go's GroupConfiguration is not a pointer); that must
// not take the user's groups away (our reading of "empty or null": no override).
func TestApplyGoFunctionDefaults(t *testing.T) {
	f := newFakeLambda(t, goFunction(t, func(ev *events.CognitoEventUserPoolsPreTokenGen) {
		ev.Response.ClaimsOverrideDetails.ClaimsToAddOrOverride = map[string]string{"tenant": "acme"}
	}))
	inv, _ := newInvoker(t, f.srv.URL, nil)
	resp, err := inv.PreTokenGeneration(context.Background(), testARN, headerFor(SourceTokenGenerationAuthentication), PreTokenGenerationRequest{
		GroupConfiguration: GroupConfiguration{GroupsToOverride: []string{"admins"}}})
	if err != nil {
		t.Fatal(err)
	}
	id, access, scope := baseClaims()
	resp.Apply(id, access, &scope)
	if id["tenant"] != "acme" || id["cognito:groups"] == nil || access["cognito:groups"] == nil {
		t.Fatalf("id %v\naccess %v", id, access)
	}
}
