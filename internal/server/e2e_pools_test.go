package server_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cgip/cgip/internal/server"
)

var poolIDPattern = regexp.MustCompile(`^us-east-1_[0-9A-Za-z]{9}$`)

func TestUserPoolLifecycleWithSDK(t *testing.T) {
	ts := startServer(t, server.Config{})
	ctx := context.Background()
	c := ts.rootClient()

	created, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName:     aws.String("lifecycle"),
		UserPoolTags: map[string]string{"team": "identity"},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(created.UserPool.Id)
	if !poolIDPattern.MatchString(id) {
		t.Fatalf("pool id %q does not look like a Cognito pool id", id)
	}
	if got, want := aws.ToString(created.UserPool.Arn), "arn:aws:cognito-idp:us-east-1:000000000000:userpool/"+id; got != want {
		t.Fatalf("Arn = %q, want %q", got, want)
	}

	d, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &id})
	if err != nil {
		t.Fatal(err)
	}
	up := d.UserPool
	// Defaults of a pool created with only a name (Cognito API reference, CreateUserPool).
	pp := up.Policies.PasswordPolicy
	if aws.ToInt32(pp.MinimumLength) != 8 || !pp.RequireUppercase || !pp.RequireLowercase || !pp.RequireNumbers || !pp.RequireSymbols || pp.TemporaryPasswordValidityDays != 7 {
		t.Fatalf("default password policy = %+v", pp)
	}
	if up.MfaConfiguration != types.UserPoolMfaTypeOff {
		t.Fatalf("MfaConfiguration = %q, want OFF", up.MfaConfiguration)
	}
	if up.VerificationMessageTemplate == nil || up.VerificationMessageTemplate.DefaultEmailOption != types.DefaultEmailOptionTypeConfirmWithCode {
		t.Fatalf("VerificationMessageTemplate = %+v", up.VerificationMessageTemplate)
	}
	if up.AccountRecoverySetting != nil {
		t.Fatalf("AccountRecoverySetting must be absent for a pool created without one, got %+v", up.AccountRecoverySetting)
	}
	if up.EstimatedNumberOfUsers != 0 || up.AdminCreateUserConfig == nil || up.UserPoolTags["team"] != "identity" {
		t.Fatalf("pool = %+v", up)
	}
	attrs := map[string]types.SchemaAttributeType{}
	for _, a := range up.SchemaAttributes {
		attrs[aws.ToString(a.Name)] = a
	}
	for _, name := range []string{"sub", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
		"profile", "picture", "website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale",
		"phone_number", "phone_number_verified", "address", "updated_at"} {
		if _, ok := attrs[name]; !ok {
			t.Errorf("standard attribute %s missing from SchemaAttributes", name)
		}
	}
	if sub := attrs["sub"]; aws.ToBool(sub.Mutable) || !aws.ToBool(sub.Required) || sub.AttributeDataType != types.AttributeDataTypeString {
		t.Errorf("sub = %+v", sub)
	}
	if up.CreationDate == nil || up.LastModifiedDate == nil {
		t.Fatal("dates missing")
	}

	// UpdateUserPool replaces the settings; what it leaves out returns to its default.
	_, err = c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{
		UserPoolId: &id,
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength: aws.Int32(12), TemporaryPasswordValidityDays: 3,
		}},
		AccountRecoverySetting: &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(1)},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err = c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &id})
	if err != nil {
		t.Fatal(err)
	}
	pp = d.UserPool.Policies.PasswordPolicy
	if aws.ToInt32(pp.MinimumLength) != 12 || pp.RequireUppercase || pp.TemporaryPasswordValidityDays != 3 {
		t.Fatalf("updated password policy = %+v", pp)
	}
	if d.UserPool.AccountRecoverySetting == nil || d.UserPool.AccountRecoverySetting.RecoveryMechanisms[0].Name != types.RecoveryOptionNameTypeVerifiedEmail {
		t.Fatalf("AccountRecoverySetting = %+v", d.UserPool.AccountRecoverySetting)
	}
	if aws.ToString(d.UserPool.Name) != "lifecycle" || len(d.UserPool.SchemaAttributes) != len(up.SchemaAttributes) {
		t.Fatal("update must keep the name and the schema")
	}

	if _, err := c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: &id}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &id})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+id+" does not exist.")
}

func TestListUserPoolsPaginatesWithSDKPaginator(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true})
	ctx := context.Background()
	c := ts.rootClient()
	want := map[string]bool{}
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		out, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		want[aws.ToString(out.UserPool.Id)] = true
	}
	seen := map[string]bool{}
	pages := 0
	p := cip.NewListUserPoolsPaginator(c, &cip.ListUserPoolsInput{MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, up := range page.UserPools {
			if seen[aws.ToString(up.Id)] {
				t.Fatalf("pool %s listed twice", aws.ToString(up.Id))
			}
			seen[aws.ToString(up.Id)] = true
			if up.CreationDate == nil || aws.ToString(up.Name) == "" {
				t.Fatalf("description incomplete: %+v", up)
			}
		}
	}
	if pages != 3 || len(seen) != len(want) {
		t.Fatalf("pages=%d seen=%d, want 3 pages and %d pools", pages, len(seen), len(want))
	}
	// Model constraint: MaxResults 1..60 (PoolQueryLimitType).
	_, err := c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(61)})
	wantAPIError(t, err, "InvalidParameterException",
		"1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60")
}

func TestPoolsAreScopedToRegion(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true})
	ctx := context.Background()
	east := ts.client("us-east-1", testAccessKey, testSecretKey)
	west := ts.client("eu-west-1", testAccessKey, testSecretKey)
	out, err := west.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("west")})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.UserPool.Id)
	if !regexp.MustCompile(`^eu-west-1_`).MatchString(id) {
		t.Fatalf("a pool created in eu-west-1 has id %q", id)
	}
	if got := aws.ToString(out.UserPool.Arn); got != "arn:aws:cognito-idp:eu-west-1:000000000000:userpool/"+id {
		t.Fatalf("Arn = %q", got)
	}
	_, err = east.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &id})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool "+id+" does not exist.")
	list, err := east.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	if err != nil || len(list.UserPools) != 0 {
		t.Fatalf("us-east-1 lists %d pools (%v), want 0", len(list.UserPools), err)
	}
}

func TestTagsMfaAndCustomAttributes(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true})
	ctx := context.Background()
	c := ts.rootClient()
	out, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("tags")})
	if err != nil {
		t.Fatal(err)
	}
	id, arn := out.UserPool.Id, out.UserPool.Arn
	if _, err := c.TagResource(ctx, &cip.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"a": "1", "b": "2"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagResource(ctx, &cip.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := c.ListTagsForResource(ctx, &cip.ListTagsForResourceInput{ResourceArn: arn})
	if err != nil || len(tags.Tags) != 1 || tags.Tags["b"] != "2" {
		t.Fatalf("tags = %v, %v", tags, err)
	}

	mfa, err := c.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: id})
	if err != nil || mfa.MfaConfiguration != types.UserPoolMfaTypeOff {
		t.Fatalf("GetUserPoolMfaConfig = %+v, %v", mfa, err)
	}
	set, err := c.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{
		UserPoolId:                    id,
		MfaConfiguration:              types.UserPoolMfaTypeOptional,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
	})
	if err != nil || set.MfaConfiguration != types.UserPoolMfaTypeOptional || !set.SoftwareTokenMfaConfiguration.Enabled {
		t.Fatalf("SetUserPoolMfaConfig = %+v, %v", set, err)
	}
	d, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: id})
	if err != nil || d.UserPool.MfaConfiguration != types.UserPoolMfaTypeOptional {
		t.Fatalf("DescribeUserPool after SetUserPoolMfaConfig: %v, %v", d.UserPool.MfaConfiguration, err)
	}

	_, err = c.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: id, CustomAttributes: []types.SchemaAttributeType{
		{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	d, err = c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: id})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range d.UserPool.SchemaAttributes {
		found = found || aws.ToString(a.Name) == "custom:tenant"
	}
	if !found {
		t.Fatal("custom:tenant not in SchemaAttributes after AddCustomAttributes")
	}
}
