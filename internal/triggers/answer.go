package triggers

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/cgip/cgip/internal/apierr"
)

// The LambdaConfig member names, which are also the trigger names in error texts ("PreSignUp
// failed with error ..."). A pre token generation function configured with
// PreTokenGenerationConfig (V2_0, V3_0) is named PreTokenGeneration too.
const (
	triggerPreSignUp           = "PreSignUp"
	triggerPostConfirmation    = "PostConfirmation"
	triggerPreAuthentication   = "PreAuthentication"
	triggerPostAuthentication  = "PostAuthentication"
	triggerPreTokenGeneration  = "PreTokenGeneration"
	triggerUserMigration       = "UserMigration"
	triggerDefineAuthChallenge = "DefineAuthChallenge"
	triggerCreateAuthChallenge = "CreateAuthChallenge"
	triggerVerifyAuthChallenge = "VerifyAuthChallengeResponse"
)

// The triggerSource values of the triggers other than CustomMessage (the Header's
// TriggerSource), from the developer guide's "trigger sources" tables.
const (
	SourcePreSignUpSignUp           = "PreSignUp_SignUp"
	SourcePreSignUpAdminCreateUser  = "PreSignUp_AdminCreateUser"
	SourcePreSignUpExternalProvider = "PreSignUp_ExternalProvider"

	SourcePostConfirmationConfirmSignUp         = "PostConfirmation_ConfirmSignUp"
	SourcePostConfirmationConfirmForgotPassword = "PostConfirmation_ConfirmForgotPassword"

	SourcePreAuthentication  = "PreAuthentication_Authentication"
	SourcePostAuthentication = "PostAuthentication_Authentication"

	SourceTokenGenerationAuthentication       = "TokenGeneration_Authentication"
	SourceTokenGenerationNewPasswordChallenge = "TokenGeneration_NewPasswordChallenge"
	SourceTokenGenerationRefreshTokens        = "TokenGeneration_RefreshTokens"
	SourceTokenGenerationHostedAuth           = "TokenGeneration_HostedAuth"
	SourceTokenGenerationAuthenticateDevice   = "TokenGeneration_AuthenticateDevice"

	SourceUserMigrationAuthentication = "UserMigration_Authentication"
	SourceUserMigrationForgotPassword = "UserMigration_ForgotPassword"

	SourceDefineAuthChallenge         = "DefineAuthChallenge_Authentication"
	SourceCreateAuthChallenge         = "CreateAuthChallenge_Authentication"
	SourceVerifyAuthChallengeResponse = "VerifyAuthChallengeResponse_Authentication"
)

// orNil leaves a map that Cognito sends as null when it has nothing (validationData) nil, and
// a non-empty one as it is.
func orNil(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

// invokeForResponse invokes the function and decodes the answer's response member into resp.
// The answer must be a JSON object whose response is an object whose members have the types of
// resp, else InvalidLambdaResponseException.
func (i *Invoker) invokeForResponse(ctx context.Context, trigger, functionARN string, event, resp any) error {
	var out struct {
		Response json.RawMessage `json:"response"`
	}
	if err := i.Invoke(ctx, trigger, functionARN, event, &out); err != nil {
		return err
	}
	r := bytes.TrimSpace(out.Response)
	if len(r) == 0 || r[0] != '{' {
		return i.unrecognizable(trigger, functionARN, "answered without a response object")
	}
	dec := json.NewDecoder(bytes.NewReader(r))
	dec.UseNumber() // claim values keep their digits
	if err := dec.Decode(resp); err != nil {
		return i.unrecognizable(trigger, functionARN, "answered with a response that does not fit the event")
	}
	return nil
}

// invokeIgnoringResponse invokes a trigger whose response Cognito does not read (response {}):
// the answer must be a JSON object, and a response member, if any, null or an object.
func (i *Invoker) invokeIgnoringResponse(ctx context.Context, trigger, functionARN string, event any) error {
	var out struct {
		Response json.RawMessage `json:"response"`
	}
	if err := i.Invoke(ctx, trigger, functionARN, event, &out); err != nil {
		return err
	}
	r := bytes.TrimSpace(out.Response)
	if len(r) > 0 && r[0] != '{' && !bytes.Equal(r, []byte("null")) {
		return i.unrecognizable(trigger, functionARN, "answered with a response that is not an object")
	}
	return nil
}

// unrecognizable logs why an answer is refused (never the answer) and returns
// InvalidLambdaResponseException.
func (i *Invoker) unrecognizable(trigger, functionARN, why string) error {
	i.log.Warn("lambda trigger "+why, "trigger", trigger, "function", functionARN)
	return apierr.InvalidLambdaResponse()
}
