package server_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cgip/cgip/internal/server"
)

func TestSignUpConfirmAndSelfService(t *testing.T) {
	eachBackend(t, server.Config{PasswordHash: fastHash}, func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		c := ts.rootClient()
		pool := newPool(t, c, &cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
		cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("web"),
			ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
		if err != nil {
			t.Fatal(err)
		}
		id := cl.UserPoolClient.ClientId
		// SignUp's own wording for the policy (amplify-js #2416).
		_, err = c.SignUp(ctx, &cip.SignUpInput{ClientId: id, Username: aws.String("sam"), Password: aws.String("short")})
		wantAPIError(t, err, "InvalidPasswordException", "Password did not conform with policy: Password not long enough")
		out, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: id, Username: aws.String("sam"), Password: aws.String("Sign-Up-Pw-1"),
			UserAttributes: attrs("email", "sam@example.com")})
		if err != nil {
			t.Fatal(err)
		}
		if out.UserConfirmed || !uuidPattern.MatchString(aws.ToString(out.UserSub)) || aws.ToString(out.CodeDeliveryDetails.Destination) != "s***@e***" {
			t.Fatalf("SignUp = %+v %+v", out, out.CodeDeliveryDetails)
		}
		_, err = c.SignUp(ctx, &cip.SignUpInput{ClientId: id, Username: aws.String("sam"), Password: aws.String("Sign-Up-Pw-1")})
		wantAPIError(t, err, "UsernameExistsException", "User already exists")
		_, err = c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: id, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "sam", "PASSWORD": "Sign-Up-Pw-1"}})
		wantAPIError(t, err, "UserNotConfirmedException", "User is not confirmed.")

		msgs := ts.inbox(t, url.Values{"to": {"sam@example.com"}, "kind": {"SignUp"}})
		if len(msgs) != 1 {
			t.Fatalf("sign-up messages: %+v", msgs)
		}
		if _, err := c.ResendConfirmationCode(ctx, &cip.ResendConfirmationCodeInput{ClientId: id, Username: aws.String("sam")}); err != nil {
			t.Fatal(err)
		}
		code := ts.inbox(t, url.Values{"to": {"sam@example.com"}, "limit": {"1"}})[0].Code
		_, err = c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: id, Username: aws.String("sam"), ConfirmationCode: aws.String(msgs[0].Code + "x")})
		if err == nil {
			t.Fatal("a wrong sign-up code was accepted")
		}
		if _, err := c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: id, Username: aws.String("sam"), ConfirmationCode: aws.String(code)}); err != nil {
			t.Fatal(err)
		}
		got, _ := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("sam")})
		if got.UserStatus != types.UserStatusTypeConfirmed || attrMap(got.UserAttributes)["email_verified"] != "true" {
			t.Fatalf("after ConfirmSignUp: %s %v", got.UserStatus, attrMap(got.UserAttributes))
		}
		_, err = c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: id, Username: aws.String("sam"), ConfirmationCode: aws.String(code)})
		wantAPIError(t, err, "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")

		si, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: id, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "sam", "PASSWORD": "Sign-Up-Pw-1"}})
		if err != nil {
			t.Fatal(err)
		}
		at := si.AuthenticationResult.AccessToken
		// Changing the email sends a verification code (auto-verified) and unverifies it.
		up, err := c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: at, UserAttributes: attrs("email", "sam2@example.com", "name", "Sam")})
		if err != nil || len(up.CodeDeliveryDetailsList) != 1 {
			t.Fatalf("UpdateUserAttributes: %+v %v", up, err)
		}
		me, _ := c.GetUser(ctx, &cip.GetUserInput{AccessToken: at})
		if m := attrMap(me.UserAttributes); m["email"] != "sam2@example.com" || m["email_verified"] != "false" || m["name"] != "Sam" {
			t.Fatalf("GetUser = %v", m)
		}
		vcode := ts.inbox(t, url.Values{"to": {"sam2@example.com"}, "limit": {"1"}})[0].Code
		if _, err := c.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: at, AttributeName: aws.String("email"), Code: aws.String(vcode)}); err != nil {
			t.Fatal(err)
		}
		me, _ = c.GetUser(ctx, &cip.GetUserInput{AccessToken: at})
		if attrMap(me.UserAttributes)["email_verified"] != "true" {
			t.Fatal("email not verified")
		}
		if _, err := c.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: at, PreviousPassword: aws.String("Sign-Up-Pw-1"), ProposedPassword: aws.String("Changed-Pw-1")}); err != nil {
			t.Fatal(err)
		}
		_, err = c.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: at, PreviousPassword: aws.String("wrong-pw-1"), ProposedPassword: aws.String("Changed-Pw-2")})
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
		if _, err := c.DeleteUser(ctx, &cip.DeleteUserInput{AccessToken: at}); err != nil {
			t.Fatal(err)
		}
		_, err = c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("sam")})
		wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	})
}
