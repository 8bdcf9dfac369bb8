package server_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/cgip/cgip/internal/server"
)

const cognitoSMSTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cognito-idp.amazonaws.com"},
	"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"pool-ext-1"}}}]}`

const snsPublish = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:publish","Resource":"*"}]}`

func smsPoolInput(roleARN, externalID string) *cip.CreateUserPoolInput {
	return &cip.CreateUserPoolInput{PoolName: aws.String("sms"),
		SmsConfiguration: &types.SmsConfigurationType{SnsCallerArn: aws.String(roleARN), ExternalId: aws.String(externalID)}}
}

// SPEC-password-reset.md row 9 and issue 7 "The SMS role": the role a pool names must trust
// cognito-idp.amazonaws.com (with the pool's ExternalId) and allow sns:Publish, checked at
// CreateUserPool, UpdateUserPool and when an SMS is to be sent.
func TestSMSRoleChecks(t *testing.T) {
	eachBackend(t, server.Config{PasswordHash: fastHash}, func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		c := ts.rootClient()
		admin := ts.iamClient(testAccessKey, testSecretKey, "")
		roleARN := "arn:aws:iam::" + server.DefaultAccountID + ":role/cognito-sms"
		const trustErr, trustMsg = "InvalidSmsRoleTrustRelationshipException", "Role does not have a trust relationship allowing Cognito to assume the role"
		const accessErr, accessMsg = "InvalidSmsRoleAccessPolicyException", "Role does not have permission to publish with SNS"

		_, err := c.CreateUserPool(ctx, smsPoolInput(roleARN, "pool-ext-1"))
		wantAPIError(t, err, trustErr, trustMsg) // no such role
		if _, err := admin.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("cognito-sms"), AssumeRolePolicyDocument: aws.String(cognitoSMSTrust)}); err != nil {
			t.Fatal(err)
		}
		_, err = c.CreateUserPool(ctx, smsPoolInput(roleARN, "another-ext"))
		wantAPIError(t, err, trustErr, trustMsg) // the trust policy wants another ExternalId
		_, err = c.CreateUserPool(ctx, smsPoolInput(roleARN, "pool-ext-1"))
		wantAPIError(t, err, accessErr, accessMsg) // trusted, but may not publish
		_, err = c.CreateUserPool(ctx, smsPoolInput("arn:aws:iam::111122223333:role/cognito-sms", "pool-ext-1"))
		wantAPIError(t, err, trustErr, trustMsg) // another account's role

		if _, err := admin.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("cognito-sms"), PolicyName: aws.String("sns"),
			PolicyDocument: aws.String(snsPublish)}); err != nil {
			t.Fatal(err)
		}
		in := smsPoolInput(roleARN, "pool-ext-1")
		in.AccountRecoverySetting = &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeVerifiedPhoneNumber, Priority: aws.Int32(1)}}}
		pool := newPool(t, c, in)
		if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("sam"),
			MessageAction: types.MessageActionTypeSuppress, UserAttributes: attrs("phone_number", "+14255550100", "phone_number_verified", "true")}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String("sam"),
			Password: aws.String("Passw0rd!x"), Permanent: true}); err != nil {
			t.Fatal(err)
		}

		// The role loses sns:Publish: sending the reset code fails and changes nothing.
		if _, err := admin.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("cognito-sms"), PolicyName: aws.String("sns")}); err != nil {
			t.Fatal(err)
		}
		_, err = c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: pool, Username: aws.String("sam")})
		wantAPIError(t, err, accessErr, accessMsg)
		u, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("sam")})
		if err != nil || u.UserStatus != types.UserStatusTypeConfirmed {
			t.Fatalf("after a failed reset: %v, %v", u.UserStatus, err)
		}
		_, err = c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: pool, SmsConfiguration: in.SmsConfiguration})
		wantAPIError(t, err, accessErr, accessMsg)

		if _, err := admin.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("cognito-sms"), PolicyName: aws.String("sns"),
			PolicyDocument: aws.String(snsPublish)}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: pool, Username: aws.String("sam")}); err != nil {
			t.Fatalf("reset by SMS with a working role: %v", err)
		}

		// A DEVELOPER email identity of another account cannot be used.
		_, err = c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("ses"), EmailConfiguration: &types.EmailConfigurationType{
			EmailSendingAccount: types.EmailSendingAccountTypeDeveloper,
			SourceArn:           aws.String("arn:aws:ses:us-east-1:111122223333:identity/noreply@example.com")}})
		wantAPIError(t, err, "InvalidEmailRoleAccessPolicyException", "Amazon Cognito is not allowed to use your email identity.")
	})
}

// --dev accepts anything, SMS roles included (as moto does).
func TestSMSRoleNotCheckedInDevMode(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true, Dev: true})
	if _, err := ts.rootClient().CreateUserPool(context.Background(), smsPoolInput("arn:aws:iam::000000000000:role/none", "x")); err != nil {
		t.Fatal(err)
	}
}
