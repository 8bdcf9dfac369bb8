package model

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

func str(s string) *string { return &s }
func i32(n int32) *int32   { return &n }

func TestValidate(t *testing.T) {
	long129 := strings.Repeat("x", 129)
	tests := []struct {
		name string
		in   interface{ Validate() error }
		want string // "" for valid
	}{
		{"valid", &AdminResetUserPasswordRequest{UserPoolId: str("us-east-1_abc123"), Username: str("bob")}, ""},
		{"pattern",
			&AdminResetUserPasswordRequest{UserPoolId: str("bad pool"), Username: str("bob")},
			`1 validation error detected: Value 'bad pool' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`},
		{"both required missing; the sensitive one without 'null'",
			&AdminResetUserPasswordRequest{},
			"2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null; " +
				"Value at 'username' failed to satisfy constraint: Member must not be null"},
		{"nil receiver is an empty request",
			(*AdminResetUserPasswordRequest)(nil),
			"2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null; " +
				"Value at 'username' failed to satisfy constraint: Member must not be null"},
		{"sensitive value is not echoed",
			&AdminResetUserPasswordRequest{UserPoolId: str("us-east-1_abc"), Username: str(long129)},
			"1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"length counts characters, not bytes",
			&AdminResetUserPasswordRequest{UserPoolId: str("us-east-1_abc"), Username: str(strings.Repeat("é", 128))}, ""},
		{"enum",
			&CreateUserPoolRequest{PoolName: str("pool"), MfaConfiguration: str("MAYBE")},
			"1 validation error detected: Value 'MAYBE' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]"},
		{"range low",
			&ListUserPoolsRequest{MaxResults: i32(0)},
			"1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"range high",
			&ListUserPoolsRequest{MaxResults: i32(61)},
			"1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60"},
		{"range ok", &ListUserPoolsRequest{MaxResults: i32(60)}, ""},
		{"required integer",
			&ListUserPoolsRequest{},
			"1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null"},
		{"nested path",
			&CreateUserPoolRequest{PoolName: str("pool"), AdminCreateUserConfig: &AdminCreateUserConfigType{
				InviteMessageTemplate: &MessageTemplateType{EmailMessage: str("short")}}},
			"1 validation error detected: Value 'short' at 'adminCreateUserConfig.inviteMessageTemplate.emailMessage' failed to satisfy constraint: Member must have length greater than or equal to 6"},
		{"pattern and length of one member, pattern first",
			&ConfirmForgotPasswordRequest{ClientId: str("c"), Username: str("u"), ConfirmationCode: str(""), Password: str("pw")},
			"2 validation errors detected: Value '' at 'confirmationCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+; " +
				"Value '' at 'confirmationCode' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"members in AWS's order: groupName before username",
			&AdminAddUserToGroupRequest{UserPoolId: str("us-east-1_abc")},
			"2 validation errors detected: Value null at 'groupName' failed to satisfy constraint: Member must not be null; " +
				"Value at 'username' failed to satisfy constraint: Member must not be null"},
		{"list element of a structure list, 1-based, with errors in place",
			&CreateUserPoolRequest{PoolName: str(""), Schema: []SchemaAttributeType{{Name: str("ok")}, {Name: str(strings.Repeat("n", 21))}}},
			"3 validation errors detected: Value 'nnnnnnnnnnnnnnnnnnnnn' at 'schema.2.member.name' failed to satisfy constraint: Member must have length less than or equal to 20; " +
				`Value '' at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w\s+=,.@-]+; ` +
				"Value '' at 'poolName' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"required member of a list element",
			&AdminUpdateUserAttributesRequest{UserPoolId: str("us-east-1_abc"), Username: str("u"), UserAttributes: []AttributeType{{Name: str("email")}, {Value: str("secret")}}},
			"1 validation error detected: Value null at 'userAttributes.2.member.name' failed to satisfy constraint: Member must not be null"},
		{"list of strings: the whole list, once, with every member constraint",
			&CreateUserPoolClientRequest{UserPoolId: str("us-east-1_abc"), ClientName: str("c"), ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH", "ADMIN_USER_PASSWORD_AUTH", "NOPE"}},
			"1 validation error detected: Value '[ALLOW_USER_SRP_AUTH, ADMIN_USER_PASSWORD_AUTH, NOPE]' at 'explicitAuthFlows' failed to satisfy constraint: " +
				"Member must satisfy constraint: [Member must satisfy enum value set: [ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH, " +
				"ALLOW_CUSTOM_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH]]"},
		{"list length",
			&CreateUserPoolClientRequest{UserPoolId: str("us-east-1_abc"), ClientName: str("c"), AllowedOAuthFlows: []string{"code", "implicit", "client_credentials", "code"}},
			"1 validation error detected: Value '[code, implicit, client_credentials, code]' at 'allowedOAuthFlows' failed to satisfy constraint: Member must have length less than or equal to 3"},
		{"list of structures echoed as Java objects",
			&CreateUserPoolRequest{PoolName: str("pool"), Schema: []SchemaAttributeType{}},
			"1 validation error detected: Value '[]' at 'schema' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"map value",
			&AdminCreateUserRequest{UserPoolId: str("us-east-1_abc"), Username: str("u"), ClientMetadata: map[string]string{"b": "1", "a": strings.Repeat("v", 131073)}},
			"1 validation error detected: Value '{a=" + strings.Repeat("v", 131073) + ", b=1}' at 'clientMetadata' failed to satisfy constraint: " +
				"Map value must satisfy constraint: [Member must have length less than or equal to 131072, Member must have length greater than or equal to 0]"},
		{"map keys and values of a tag map, keys first",
			&TagResourceRequest{ResourceArn: str("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc"), Tags: map[string]string{"": strings.Repeat("v", 257)}},
			"2 validation errors detected: Value '{=" + strings.Repeat("v", 257) + "}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]; " +
				"Value '{=" + strings.Repeat("v", 257) + "}' at 'tags' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 0]"},
		{"sensitive map is not echoed",
			&InitiateAuthRequest{AuthFlow: str("USER_PASSWORD_AUTH"), ClientId: str("abc"), AuthParameters: map[string]string{"PASSWORD": strings.Repeat("p", 131073)}},
			"1 validation error detected: Value at 'authParameters' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 131072, Member must have length greater than or equal to 0]"},
		{"sensitive client id",
			&InitiateAuthRequest{AuthFlow: str("USER_PASSWORD_AUTH"), ClientId: str("no spaces")},
			`1 validation error detected: Value at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+]+`},
		{"blob",
			&SetUICustomizationRequest{UserPoolId: str("us-east-1_abc"), ImageFile: make([]byte, 131073)},
			"1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=131073 cap=131073]' at 'imageFile' failed to satisfy constraint: Member must have length less than or equal to 131072"},
		{"document null is missing",
			&CompleteWebAuthnRegistrationRequest{AccessToken: str("t"), Credential: json.RawMessage(" null ")},
			"1 validation error detected: Value null at 'credential' failed to satisfy constraint: Member must not be null"},
		{"document present", &CompleteWebAuthnRegistrationRequest{AccessToken: str("t"), Credential: json.RawMessage(`{}`)}, ""},
		{"empty input shape", &GetUserRequest{AccessToken: str("t")}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate() = %v, want a *ValidationError", err)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("Validate():\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestValidateReportsAtMostTen(t *testing.T) {
	in := &CreateUserPoolRequest{PoolName: str("pool")}
	for range 51 { // one over the list maximum of 50
		in.Schema = append(in.Schema, SchemaAttributeType{Name: str(strings.Repeat("n", 21))})
	}
	var ve *ValidationError
	if !errors.As(in.Validate(), &ve) {
		t.Fatal("want a *ValidationError")
	}
	if len(ve.Errors) != 10 || !strings.HasPrefix(ve.Error(), "10 validation errors detected: Value '[SchemaAttributeType(attributeDataType=null, developerOnlyAttribute=null, mutable=null, name=nnn") {
		t.Errorf("got %d errors: %.200s", len(ve.Errors), ve.Error())
	}
	if !strings.Contains(ve.Errors[9], "'schema.9.member.name'") {
		t.Errorf("10th error = %s, want the 9th element's", ve.Errors[9])
	}
}

func TestValidationErrorFormat(t *testing.T) {
	if got := (&ValidationError{Errors: []string{"a"}}).Error(); got != "1 validation error detected: a" {
		t.Error(got)
	}
	if got := (&ValidationError{Errors: []string{"a", "b", "c"}}).Error(); got != "3 validation errors detected: a; b; c" {
		t.Error(got)
	}
}

// TestPatternTranslation checks the places where java.util.regex and RE2 differ.
func TestPatternTranslation(t *testing.T) {
	tests := []struct {
		re    *regexp.Regexp
		match []string
		no    []string
	}{
		// Java's \S excludes the vertical tab; RE2's does not.
		{rxPasswordType, []string{"Passw0rd!", "ünïcødé"}, []string{"", "a b", "a\vb", "a\tb"}},
		// Java's \s includes it.
		{rxUserPoolNameType, []string{"my pool", "a\vb", "x=y,z@w.v-u"}, []string{"", "a!b"}},
		// Java's '.' stops at \r and the Unicode line separators too.
		{rxSmsVerificationMessageType, []string{"Your code is {####}", "{####}"}, []string{"code {####}\r\n", "code\n{####}", "x\u2028{####}", "no code"}},
		// (?s) makes '.' match everything.
		{rxSmsInviteMessageType, []string{"line\nline\r\n", ""}, nil},
		// Full match even where the model anchors itself, and unanchored patterns are anchored.
		{rxLanguageIdType, []string{"cognito:default", "cognito:chinese-simplified"}, []string{"cognito:defaultx", "xcognito:default"}},
		{rxUserPoolIdType, []string{"us-east-1_abc123"}, []string{"us-east-1_abc 123", "_", " us-east-1_abc"}},
		{rxUsernameType, []string{"bob", "bob@example.com", "adfs-dfpoc_DFPOC\\me", "名前"}, []string{"bob smith", ""}},
		{rxTokenModelType, []string{"a-b_c=d.e"}, []string{"a b", "a/b"}},
		{rxProviderNameTypeV2, []string{"Google", "my-provider"}, []string{"_ab", "ab_", "my provider"}},
	}
	for _, tc := range tests {
		for _, s := range tc.match {
			if !tc.re.MatchString(s) {
				t.Errorf("%s should match %q", tc.re, s)
			}
		}
		for _, s := range tc.no {
			if tc.re.MatchString(s) {
				t.Errorf("%s should not match %q", tc.re, s)
			}
		}
	}
}

func TestEnums(t *testing.T) {
	if UserPoolMfaTypeOff != "OFF" || ExplicitAuthFlowsTypeAllowUserPasswordAuth != "ALLOW_USER_PASSWORD_AUTH" {
		t.Error("enum constants are misnamed")
	}
	if AliasAttributeTypePhoneNumber != "phone_number" || IdentityProviderTypeTypeSignInWithApple != "SignInWithApple" {
		t.Error("enum constants are misnamed")
	}
	if PreTokenGenerationLambdaVersionTypeV1_0 != "V1_0" {
		t.Error("digit-edged words should keep their separator")
	}
	if got := strings.Join(UserPoolMfaTypeValues, ","); got != "OFF,ON,OPTIONAL" {
		t.Errorf("UserPoolMfaTypeValues = %s", got)
	}
}

func TestJavaRendering(t *testing.T) {
	var b strings.Builder
	writeJavaTime(&b, NewTime(time.Unix(1700000000, 0)))
	b.WriteString("|")
	writeJavaTime(&b, nil)
	b.WriteString("|")
	writeJavaIntPtr(&b, i32(-7))
	b.WriteString("|")
	writeJavaDocument(&b, json.RawMessage(` {"a":1} `))
	b.WriteString("|")
	writeJavaBlob(&b, []byte{})
	b.WriteString("|")
	writeJavaStringMapPtr(&b, map[string]string{"b": "2", "a": "1"})
	b.WriteString("|")
	writeJavaStrings(&b, nil)
	want := `Tue Nov 14 22:13:20 UTC 2023|null|-7|{"a":1}|java.nio.HeapByteBuffer[pos=0 lim=0 cap=0]|{a=1, b=2}|null`
	if b.String() != want {
		t.Errorf("got  %s\nwant %s", b.String(), want)
	}
}
