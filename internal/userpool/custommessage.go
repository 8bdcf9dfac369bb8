package userpool

import (
	"context"
	"strings"

	"github.com/cgip/cgip/internal/store"
	"github.com/cgip/cgip/internal/triggers"
)

// Trigger sources of the custom message trigger. AdminResetUserPassword uses ForgotPassword's
// (there is no CustomMessage_AdminResetUserPassword; SPEC section 5).
const (
	srcForgotPassword      = "CustomMessage_ForgotPassword"
	srcAdminCreateUser     = "CustomMessage_AdminCreateUser"
	srcSignUp              = "CustomMessage_SignUp"
	srcResendCode          = "CustomMessage_ResendCode"
	srcUpdateUserAttribute = "CustomMessage_UpdateUserAttribute"
	srcVerifyUserAttribute = "CustomMessage_VerifyUserAttribute"
)

// Triggers invokes Lambda triggers (internal/triggers).
type Triggers interface {
	CustomMessage(ctx context.Context, functionARN string, h triggers.Header, req triggers.CustomMessageRequest) (*triggers.CustomMessageResponse, error)
	PreSignUp(ctx context.Context, functionARN string, h triggers.Header, req triggers.PreSignUpRequest) (*triggers.PreSignUpResponse, error)
	PostConfirmation(ctx context.Context, functionARN string, h triggers.Header, req triggers.PostConfirmationRequest) (*triggers.PostConfirmationResponse, error)
	PreAuthentication(ctx context.Context, functionARN string, h triggers.Header, req triggers.PreAuthenticationRequest) (*triggers.PreAuthenticationResponse, error)
	PostAuthentication(ctx context.Context, functionARN string, h triggers.Header, req triggers.PostAuthenticationRequest) (*triggers.PostAuthenticationResponse, error)
	PreTokenGeneration(ctx context.Context, functionARN string, h triggers.Header, req triggers.PreTokenGenerationRequest) (*triggers.PreTokenGenerationResponse, error)
	UserMigration(ctx context.Context, functionARN string, h triggers.Header, req triggers.UserMigrationRequest) (*triggers.UserMigrationResponse, error)
	DefineAuthChallenge(ctx context.Context, functionARN string, h triggers.Header, req triggers.DefineAuthChallengeRequest) (*triggers.DefineAuthChallengeResponse, error)
	CreateAuthChallenge(ctx context.Context, functionARN string, h triggers.Header, req triggers.CreateAuthChallengeRequest) (*triggers.CreateAuthChallengeResponse, error)
	VerifyAuthChallengeResponse(ctx context.Context, functionARN string, h triggers.Header, req triggers.VerifyAuthChallengeResponseRequest) (*triggers.VerifyAuthChallengeResponseResponse, error)
}

// customized asks the pool's CustomMessage function, if it has one, for the wording of a
// message, and returns t with the function's non-null answers in place. It runs before the
// transaction that sends the message: when the function fails, nothing changes.
// clientMetadata goes to the function only; it is never stored or logged.
func (s *Service) customized(ctx context.Context, p *pool, u *store.User, source, clientID string, clientMetadata map[string]string, t template) (template, error) {
	arn := s.lambdaARN(p, "CustomMessage")
	if arn == "" {
		return t, nil
	}
	req := triggers.CustomMessageRequest{UserAttributes: eventAttributes(u), ClientMetadata: clientMetadata}
	if source == srcAdminCreateUser {
		req.UsernameParameter = ptr(triggers.UsernameParameter)
	}
	resp, err := s.triggers.CustomMessage(ctx, arn, s.header(ctx, p, u, source, clientID), req)
	if err != nil {
		return t, err
	}
	override(&t.EmailBody, resp.EmailMessage)
	override(&t.EmailSubject, resp.EmailSubject)
	override(&t.SMS, resp.SMSMessage)
	return t, nil
}

// sdkVersion turns a user agent ("aws-sdk-go-v2/1.48.0 os/linux ...") into the awsSdkVersion
// of trigger events ("aws-sdk-go-v2-1.48.0"); Cognito sends "aws-sdk-unknown-unknown" when it
// cannot tell.
func sdkVersion(userAgent string) string {
	for _, tok := range strings.Fields(userAgent) {
		if name, version, ok := strings.Cut(tok, "/"); ok && (strings.HasPrefix(name, "aws-sdk-") || name == "aws-cli") {
			return name + "-" + version
		}
	}
	return "aws-sdk-unknown-unknown"
}
