package server_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cgip/cgip/internal/server"
)

// TestCognitoRulesBeyondTheModel pins the texts of Cognito's own setting checks. Each case
// names the captured response its text comes from.
func TestCognitoRulesBeyondTheModel(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true})
	ctx := context.Background()
	c := ts.rootClient()
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("rules")})
	if err != nil {
		t.Fatal(err)
	}
	id := pool.UserPool.Id
	cases := []struct {
		name      string
		call      func() error
		code, msg string
	}{
		{"alias and username attributes together (CreateUserPool, quoted in AWS guides)", func() error {
			_, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("x"),
				AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail}, UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}})
			return err
		}, "InvalidParameterException", "Only one of aliasAttributes or usernameAttributes can be set in a user pool."},
		{"MFA ON at creation without SMS (aws-cdk #12075)", func() error {
			_, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("x"), MfaConfiguration: types.UserPoolMfaTypeOn})
			return err
		}, "InvalidParameterException", "SMS configuration and Auto verification for phone_number are required when MFA is required/optional"},
		{"required custom attribute (serverless-cognito-manager #4)", func() error {
			_, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("x"), Schema: []types.SchemaAttributeType{
				{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true)}}})
			return err
		}, "InvalidParameterException", "Required custom attributes are not supported currently."},
		{"existing custom attribute (serverless-cognito-add-custom-attributes #3)", func() error {
			add := func() error {
				_, err := c.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: id, CustomAttributes: []types.SchemaAttributeType{
					{Name: aws.String("plan"), AttributeDataType: types.AttributeDataTypeString}}})
				return err
			}
			if err := add(); err != nil {
				return err
			}
			return add()
		}, "InvalidParameterException", "custom:plan: Existing attribute already has name custom:plan."},
		{"token validity out of range (cloudfront-authorization-at-edge #144)", func() error {
			_, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: id, ClientName: aws.String("x"),
				AccessTokenValidity: aws.Int32(2), TokenValidityUnits: &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes}})
			return err
		}, "InvalidParameterException", "Invalid range for token validity."},
		{"code flow without callback URLs (cisagov/crossfeed #440)", func() error {
			_, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: id, ClientName: aws.String("x"),
				AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeCode}})
			return err
		}, "InvalidOAuthFlowException", "CallbackUrls can not be empty when code flow or implicit flow is selected"},
		{"plain-HTTP callback to a public host (documented rule; our wording)", func() error {
			_, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: id, ClientName: aws.String("x"),
				CallbackURLs: []string{"https://app.example.com/cb", "http://app.example.com/cb"}})
			return err
		}, "InvalidParameterException", "Invalid redirect URL http://app.example.com/cb: it must be absolute, without a fragment, and use HTTPS unless its host is localhost, 127.0.0.1 or [::1]."},
		{"unknown read attribute (captured CreateUserPoolClient error)", func() error {
			_, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: id, ClientName: aws.String("x"),
				ReadAttributes: []string{"email", "custom:nope"}})
			return err
		}, "InvalidParameterException", "Invalid read attributes specified while creating a client"},
		{"MFA optional with every factor off (anomalyco/sst #5177)", func() error {
			_, err := c.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOptional})
			return err
		}, "InvalidParameterException", "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration."},
		{"MFA off with a factor configured (go-to-k/cdkd #1923)", func() error {
			_, err := c.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOff,
				SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
			return err
		}, "InvalidParameterException", "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."},
		{"MFA ON through UpdateUserPool (cfn-coverage #1176)", func() error {
			_, err := c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOn})
			return err
		}, "InvalidParameterException", "Cannot turn MFA functionality ON, once the user pool has been created."},
		{"deletion protection (localstack #11947)", func() error {
			p, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("protected"), DeletionProtection: types.DeletionProtectionTypeActive})
			if err != nil {
				return err
			}
			_, err = c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: p.UserPool.Id})
			return err
		}, "InvalidParameterException", "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first."},
		{"ListUserPools without MaxResults is MaxResults 0 on the wire (aws-sdk-js-v3 #2335)", func() error {
			_, err := c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(0)})
			return err
		}, "InvalidParameterException", "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { wantAPIError(t, tc.call(), tc.code, tc.msg) })
	}
}

// TestCustomAttributeNaming: custom attributes are listed as custom:<name>, developer-only ones
// as dev:custom:<name> (CreateUserPool API reference example), immutable unless Mutable is set.
func TestCustomAttributeNaming(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true})
	ctx := context.Background()
	c := ts.rootClient()
	out, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("custom"), Schema: []types.SchemaAttributeType{
		{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true)},
		{Name: aws.String("secretflag"), AttributeDataType: types.AttributeDataTypeBoolean, DeveloperOnlyAttribute: aws.Bool(true)},
		{Name: aws.String("email"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]types.SchemaAttributeType{}
	for _, a := range out.UserPool.SchemaAttributes {
		got[aws.ToString(a.Name)] = a
	}
	if a, ok := got["custom:tenant"]; !ok || !aws.ToBool(a.Mutable) || aws.ToBool(a.Required) {
		t.Errorf("custom:tenant = %+v (present %v)", a, ok)
	}
	if a, ok := got["dev:custom:secretflag"]; !ok || !aws.ToBool(a.DeveloperOnlyAttribute) || aws.ToBool(a.Mutable) {
		t.Errorf("dev:custom:secretflag = %+v (present %v)", a, ok)
	}
	if a := got["email"]; !aws.ToBool(a.Required) {
		t.Errorf("email should be required: %+v", a)
	}
	if len(out.UserPool.SchemaAttributes) != 22 {
		t.Errorf("%d schema attributes, want 20 standard + 2 custom", len(out.UserPool.SchemaAttributes))
	}
}
