package triggers

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// The LambdaVersion values of PreTokenGenerationConfig. The event's version is the digit:
// "1", "2" or "3".
const (
	LambdaVersionV1 = "V1_0"
	LambdaVersionV2 = "V2_0"
	LambdaVersionV3 = "V3_0"
)

// GroupConfiguration is a pre token generation event's request.groupConfiguration and a
// response's groupOverrideDetails.
type GroupConfiguration struct {
	GroupsToOverride   []string `json:"groupsToOverride"`
	IAMRolesToOverride []string `json:"iamRolesToOverride"`
	PreferredRole      *string  `json:"preferredRole"`
}

// PreTokenGenerationRequest is what the caller knows of a pre token generation event's request
// (TokenGeneration_Authentication, _NewPasswordChallenge, _RefreshTokens, _HostedAuth,
// _AuthenticateDevice).
type PreTokenGenerationRequest struct {
	// LambdaVersion is the trigger's PreTokenGenerationConfig.LambdaVersion: "" or V1_0 (the
	// event is version "1", the answer is claimsOverrideDetails), V2_0 or V3_0 (version "2" or
	// "3", claimsAndScopeOverrideDetails).
	LambdaVersion string
	// UserAttributes are the user's attributes.
	UserAttributes map[string]string
	// GroupConfiguration is the user's groups, their IAM roles and the preferred role (nil
	// slices are sent as []).
	GroupConfiguration GroupConfiguration
	// Scopes are the access token's scopes (V2_0 and V3_0 only; nil is sent as []).
	Scopes []string
	// ClientMetadata is the request's ClientMetadata (nil or empty: not sent).
	ClientMetadata map[string]string
}

// PreTokenGenerationResponse is the function's answer: claimsOverrideDetails for a V1_0 event,
// claimsAndScopeOverrideDetails for V2_0 and V3_0 (the other member is not read). Apply makes
// it the tokens' claims.
type PreTokenGenerationResponse struct {
	ClaimsOverrideDetails         *ClaimsOverrideDetails         `json:"claimsOverrideDetails,omitempty"`
	ClaimsAndScopeOverrideDetails *ClaimsAndScopeOverrideDetails `json:"claimsAndScopeOverrideDetails,omitempty"`
}

// ClaimsOverrideDetails is a V1_0 answer: the ID token's claims (values are strings in V1_0)
// and the groups of both tokens.
type ClaimsOverrideDetails struct {
	ClaimsToAddOrOverride map[string]string   `json:"claimsToAddOrOverride"`
	ClaimsToSuppress      []string            `json:"claimsToSuppress"`
	GroupOverrideDetails  *GroupConfiguration `json:"groupOverrideDetails"`
}

// ClaimsAndScopeOverrideDetails is a V2_0 or V3_0 answer.
type ClaimsAndScopeOverrideDetails struct {
	IDTokenGeneration     *TokenGeneration    `json:"idTokenGeneration"`
	AccessTokenGeneration *TokenGeneration    `json:"accessTokenGeneration"`
	GroupOverrideDetails  *GroupConfiguration `json:"groupOverrideDetails"`
}

// TokenGeneration is the customization of one token. Claim values are any JSON (strings,
// numbers as json.Number, booleans, arrays, objects); the scopes are read for the access token
// only.
type TokenGeneration struct {
	ClaimsToAddOrOverride map[string]any `json:"claimsToAddOrOverride"`
	ClaimsToSuppress      []string       `json:"claimsToSuppress"`
	ScopesToAdd           []string       `json:"scopesToAdd,omitempty"`
	ScopesToSuppress      []string       `json:"scopesToSuppress,omitempty"`
}

type preTokenEvent struct {
	eventHeader
	Request  preTokenEventRequest `json:"request"`
	Response json.RawMessage      `json:"response"`
}

type preTokenEventRequest struct {
	UserAttributes     map[string]string  `json:"userAttributes"`
	GroupConfiguration GroupConfiguration `json:"groupConfiguration"`
	Scopes             *[]string          `json:"scopes,omitempty"` // V2_0, V3_0
	ClientMetadata     map[string]string  `json:"clientMetadata,omitempty"`
}

// Cognito's initial responses: the override member, null.
var (
	preTokenV1Defaults = json.RawMessage(`{"claimsOverrideDetails":null}`)
	preTokenV2Defaults = json.RawMessage(`{"claimsAndScopeOverrideDetails":null}`)
)

// PreTokenGeneration invokes the pool's pre token generation function (LambdaConfig
// PreTokenGeneration, or PreTokenGenerationConfig.LambdaArn; the error texts name it
// PreTokenGeneration either way) and returns its answer. A V1_0 claim value that is not a
// string, or any member of the wrong type, is InvalidLambdaResponseException.
func (i *Invoker) PreTokenGeneration(ctx context.Context, functionARN string, h Header, req PreTokenGenerationRequest) (*PreTokenGenerationResponse, error) {
	ev := preTokenEvent{
		eventHeader: h.event(),
		Request: preTokenEventRequest{
			UserAttributes: orEmpty(req.UserAttributes),
			GroupConfiguration: GroupConfiguration{
				GroupsToOverride:   orEmptyList(req.GroupConfiguration.GroupsToOverride),
				IAMRolesToOverride: orEmptyList(req.GroupConfiguration.IAMRolesToOverride),
				PreferredRole:      req.GroupConfiguration.PreferredRole,
			},
			ClientMetadata: orNil(req.ClientMetadata),
		},
	}
	switch req.LambdaVersion {
	case "", LambdaVersionV1:
		ev.Response = preTokenV1Defaults
		var out struct {
			ClaimsOverrideDetails *ClaimsOverrideDetails `json:"claimsOverrideDetails"`
		}
		if err := i.invokeForResponse(ctx, triggerPreTokenGeneration, functionARN, ev, &out); err != nil {
			return nil, err
		}
		return &PreTokenGenerationResponse{ClaimsOverrideDetails: out.ClaimsOverrideDetails}, nil
	case LambdaVersionV2, LambdaVersionV3:
		ev.Version = req.LambdaVersion[1:2]
		scopes := orEmptyList(req.Scopes)
		ev.Request.Scopes = &scopes
		ev.Response = preTokenV2Defaults
		var out struct {
			ClaimsAndScopeOverrideDetails *ClaimsAndScopeOverrideDetails `json:"claimsAndScopeOverrideDetails"`
		}
		if err := i.invokeForResponse(ctx, triggerPreTokenGeneration, functionARN, ev, &out); err != nil {
			return nil, err
		}
		return &PreTokenGenerationResponse{ClaimsAndScopeOverrideDetails: out.ClaimsAndScopeOverrideDetails}, nil
	}
	return nil, fmt.Errorf("triggers: pre token generation LambdaVersion %q is not V1_0, V2_0 or V3_0", req.LambdaVersion)
}

func orEmptyList(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// reservedClaims are the claims a pre token generation function can neither add, override nor
// suppress, in either token (developer guide, "Pre token generation Lambda trigger": the list
// of claims "You can't modify", and the V2_0 table of excluded claims). Every other cognito:
// claim is reserved too, except the group claims, which groupOverrideDetails sets and
// claimsToSuppress may remove; dev: claims can be suppressed but not added. scope is ours: it
// changes through scopesToAdd and scopesToSuppress only.
var reservedClaims = map[string]bool{
	"acr": true, "amr": true, "at_hash": true, "aud": true, "auth_time": true, "azp": true,
	"client_id": true, "device_key": true, "event_id": true, "exp": true, "iat": true,
	"identities": true, "iss": true, "jti": true, "nbf": true, "nonce": true, "origin_jti": true,
	"scope": true, "sub": true, "token_use": true, "version": true,
}

// groupClaims are the cognito: claims that groupOverrideDetails sets.
var groupClaims = map[string]bool{"cognito:groups": true, "cognito:roles": true, "cognito:preferred_role": true}

// noComplexInIDToken are the ID token claims whose value cannot be an array or an object.
var noComplexInIDToken = map[string]bool{"address": true, "email_verified": true, "phone_number_verified": true, "updated_at": true}

// Apply changes the claims of the ID token and of the access token, and the access token's
// space-separated scope, the way Cognito applies the answer; a nil map or scope is left alone.
// What Cognito does not let a function change is skipped without an error, as Cognito drops it:
// reserved claims (see reservedClaims), cognito: claims in claimsToAddOrOverride, additions of
// dev: claims, null values, an array or object value for address, email_verified,
// phone_number_verified or updated_at in the ID token, and scopes containing whitespace. aud may
// be added to the access token only with the value of its client_id. A claim both added and
// suppressed is suppressed. groupOverrideDetails, when present (even {}), replaces
// cognito:groups in both tokens and cognito:roles and cognito:preferred_role in the ID token (and
// in the access token if it has them); a member that is empty or null removes its claim. A V1_0
// answer changes the ID token's claims only.
func (r *PreTokenGenerationResponse) Apply(idClaims, accessClaims map[string]any, scope *string) {
	if r == nil {
		return
	}
	if d := r.ClaimsOverrideDetails; d != nil {
		add := make(map[string]any, len(d.ClaimsToAddOrOverride))
		for k, v := range d.ClaimsToAddOrOverride {
			add[k] = v
		}
		applyClaims(idClaims, add, d.ClaimsToSuppress, false)
		applyGroups(idClaims, accessClaims, d.GroupOverrideDetails)
	}
	if d := r.ClaimsAndScopeOverrideDetails; d != nil {
		if t := d.IDTokenGeneration; t != nil {
			applyClaims(idClaims, t.ClaimsToAddOrOverride, t.ClaimsToSuppress, false)
		}
		if t := d.AccessTokenGeneration; t != nil {
			applyClaims(accessClaims, t.ClaimsToAddOrOverride, t.ClaimsToSuppress, true)
			applyScopes(scope, t.ScopesToAdd, t.ScopesToSuppress)
		}
		applyGroups(idClaims, accessClaims, d.GroupOverrideDetails)
	}
}

// applyClaims adds, then suppresses (suppression wins).
func applyClaims(claims, add map[string]any, suppress []string, access bool) {
	if claims == nil {
		return
	}
	for name, v := range add {
		if canAdd(name, v, claims, access) {
			claims[name] = v
		}
	}
	for _, name := range suppress {
		if canSuppress(name) {
			delete(claims, name)
		}
	}
}

func canAdd(name string, v any, claims map[string]any, access bool) bool {
	switch {
	case name == "" || v == nil:
		return false
	case access && name == "aud":
		// An access token may get an aud, which must be its app client's ID.
		s, ok := v.(string)
		id, _ := claims["client_id"].(string)
		return ok && id != "" && s == id
	case reservedClaims[name], strings.HasPrefix(name, "cognito:"), strings.HasPrefix(name, "dev:"):
		return false
	case !access && noComplexInIDToken[name]:
		switch v.(type) {
		case []any, map[string]any, []string:
			return false
		}
	}
	return true
}

func canSuppress(name string) bool {
	switch {
	case reservedClaims[name]:
		return false
	case groupClaims[name]:
		return true
	case strings.HasPrefix(name, "cognito:"):
		return false
	}
	return name != ""
}

// applyScopes adds scopes not already there, in order, then removes the suppressed ones.
func applyScopes(scope *string, add, suppress []string) {
	if scope == nil || (len(add) == 0 && len(suppress) == 0) {
		return
	}
	scopes := strings.Fields(*scope)
	for _, s := range add {
		if s == "" || strings.ContainsFunc(s, unicode.IsSpace) || slices.Contains(scopes, s) {
			continue
		}
		scopes = append(scopes, s)
	}
	scopes = slices.DeleteFunc(scopes, func(s string) bool { return slices.Contains(suppress, s) })
	*scope = strings.Join(scopes, " ")
}

func applyGroups(idClaims, accessClaims map[string]any, g *GroupConfiguration) {
	// An all-null object is what every Go function built on aws-lambda-go's V1 types sends
	// (a struct, not a pointer): it overrides nothing. Explicit empty lists remove the claims.
	if g == nil || (g.GroupsToOverride == nil && g.IAMRolesToOverride == nil && g.PreferredRole == nil) {
		return
	}
	setList := func(m map[string]any, name string, v []string) {
		if m == nil {
			return
		}
		if len(v) == 0 {
			delete(m, name)
			return
		}
		m[name] = slices.Clone(v)
	}
	setRole := func(m map[string]any) {
		if m == nil {
			return
		}
		if g.PreferredRole == nil || *g.PreferredRole == "" {
			delete(m, "cognito:preferred_role")
			return
		}
		m["cognito:preferred_role"] = *g.PreferredRole
	}
	setList(idClaims, "cognito:groups", g.GroupsToOverride)
	setList(accessClaims, "cognito:groups", g.GroupsToOverride)
	setList(idClaims, "cognito:roles", g.IAMRolesToOverride)
	setRole(idClaims)
	if _, ok := accessClaims["cognito:roles"]; ok {
		setList(accessClaims, "cognito:roles", g.IAMRolesToOverride)
	}
	if _, ok := accessClaims["cognito:preferred_role"]; ok {
		setRole(accessClaims)
	}
}
