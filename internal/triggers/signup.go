package triggers

import (
	"context"
	"encoding/json"

	"github.com/cgip/cgip/internal/apierr"
)

// PreSignUpRequest is what the caller knows of a pre sign-up event's request
// (PreSignUp_SignUp, PreSignUp_AdminCreateUser, PreSignUp_ExternalProvider).
type PreSignUpRequest struct {
	// UserAttributes are the attributes the user is created with.
	UserAttributes map[string]string
	// ValidationData is the request's ValidationData (nil or empty: sent as null, as Cognito
	// does).
	ValidationData map[string]string
	// ClientMetadata is the request's ClientMetadata (nil or empty: not sent).
	ClientMetadata map[string]string
}

// PreSignUpResponse is the function's decision. For PreSignUp_AdminCreateUser all three are
// false whatever the function answered: Cognito ignores them there.
type PreSignUpResponse struct {
	AutoConfirmUser, AutoVerifyEmail, AutoVerifyPhone bool
}

type preSignUpEvent struct {
	eventHeader
	Request  preSignUpEventRequest `json:"request"`
	Response json.RawMessage       `json:"response"`
}

type preSignUpEventRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	ValidationData map[string]string `json:"validationData"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// Cognito's initial pre sign-up response.
var preSignUpDefaults = json.RawMessage(`{"autoConfirmUser":false,"autoVerifyEmail":false,"autoVerifyPhone":false}`)

// Cognito's refusal of auto-verification without confirmation, as it reports it
// (aws/aws-sdk-java#1049).
const textAutoVerifyUnconfirmed = "Phone or email cannot be auto verified, when user is not being auto confirmed."

// PreSignUp invokes the pool's PreSignUp function (h.TriggerSource is the PreSignUp_* source)
// and returns its decision once checked: autoVerifyEmail or autoVerifyPhone without
// autoConfirmUser, and auto-verification of an attribute the user does not have, are
// InvalidParameterException.
func (i *Invoker) PreSignUp(ctx context.Context, functionARN string, h Header, req PreSignUpRequest) (*PreSignUpResponse, error) {
	ev := preSignUpEvent{
		eventHeader: h.event(),
		Request: preSignUpEventRequest{
			UserAttributes: orEmpty(req.UserAttributes),
			ValidationData: orNil(req.ValidationData),
			ClientMetadata: orNil(req.ClientMetadata),
		},
		Response: preSignUpDefaults,
	}
	var out struct {
		AutoConfirmUser *bool `json:"autoConfirmUser"`
		AutoVerifyEmail *bool `json:"autoVerifyEmail"`
		AutoVerifyPhone *bool `json:"autoVerifyPhone"`
	}
	if err := i.invokeForResponse(ctx, triggerPreSignUp, functionARN, ev, &out); err != nil {
		return nil, err
	}
	r := &PreSignUpResponse{AutoConfirmUser: isTrue(out.AutoConfirmUser), AutoVerifyEmail: isTrue(out.AutoVerifyEmail),
		AutoVerifyPhone: isTrue(out.AutoVerifyPhone)}
	if h.TriggerSource == SourcePreSignUpAdminCreateUser {
		// "Response parameters autoVerifyPhone, autoVerifyEmail and autoConfirmUser are ignored
		// by Amazon Cognito when the Pre Sign-up lambda is triggered by the AdminCreateUser API."
		return &PreSignUpResponse{}, nil
	}
	if err := checkPreSignUp(r, req.UserAttributes); err != nil {
		i.log.Warn("lambda trigger answered with a refused combination", "trigger", triggerPreSignUp, "function", functionARN)
		return nil, err
	}
	return r, nil
}

// checkPreSignUp applies Cognito's rules on a pre sign-up answer. The first text is Cognito's;
// the texts for a missing attribute are ours (the guide says only "an error will occur and the
// user will not be able to complete sign-up").
func checkPreSignUp(r *PreSignUpResponse, attrs map[string]string) error {
	if (r.AutoVerifyEmail || r.AutoVerifyPhone) && !r.AutoConfirmUser {
		return apierr.InvalidParameter("%s", textAutoVerifyUnconfirmed)
	}
	if r.AutoVerifyEmail && attrs["email"] == "" {
		return apierr.InvalidParameter("Email cannot be auto verified: the user has no email attribute.")
	}
	if r.AutoVerifyPhone && attrs["phone_number"] == "" {
		return apierr.InvalidParameter("Phone number cannot be auto verified: the user has no phone_number attribute.")
	}
	return nil
}

func isTrue(b *bool) bool { return b != nil && *b }

// PostConfirmationRequest is what the caller knows of a post confirmation event's request
// (PostConfirmation_ConfirmSignUp, PostConfirmation_ConfirmForgotPassword).
type PostConfirmationRequest struct {
	// UserAttributes are the confirmed user's attributes, including sub and cognito:user_status.
	UserAttributes map[string]string
	// ClientMetadata is the request's ClientMetadata (nil or empty: not sent).
	ClientMetadata map[string]string
}

// PostConfirmationResponse is empty: Cognito reads nothing from the answer.
type PostConfirmationResponse struct{}

type postConfirmationEvent struct {
	eventHeader
	Request  postConfirmationEventRequest `json:"request"`
	Response struct{}                     `json:"response"`
}

type postConfirmationEventRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// PostConfirmation invokes the pool's PostConfirmation function. The answer must be an object
// (a function that returns nothing fails with InvalidLambdaResponseException).
func (i *Invoker) PostConfirmation(ctx context.Context, functionARN string, h Header, req PostConfirmationRequest) (*PostConfirmationResponse, error) {
	ev := postConfirmationEvent{
		eventHeader: h.event(),
		Request:     postConfirmationEventRequest{UserAttributes: orEmpty(req.UserAttributes), ClientMetadata: orNil(req.ClientMetadata)},
	}
	if err := i.invokeIgnoringResponse(ctx, triggerPostConfirmation, functionARN, ev); err != nil {
		return nil, err
	}
	return &PostConfirmationResponse{}, nil
}

// PreAuthenticationRequest is what the caller knows of a pre authentication event's request
// (PreAuthentication_Authentication).
type PreAuthenticationRequest struct {
	// UserAttributes are the user's attributes.
	UserAttributes map[string]string
	// ValidationData is the ClientMetadata of InitiateAuth or AdminInitiateAuth (nil or empty:
	// sent as null).
	ValidationData map[string]string
	// UserNotFound is sent only when the app client's PreventUserExistenceErrors is ENABLED
	// (nil: not sent).
	UserNotFound *bool
}

// PreAuthenticationResponse is empty: the function allows the sign-in by answering and denies
// it with an error.
type PreAuthenticationResponse struct{}

type preAuthenticationEvent struct {
	eventHeader
	Request  preAuthenticationEventRequest `json:"request"`
	Response struct{}                      `json:"response"`
}

type preAuthenticationEventRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	ValidationData map[string]string `json:"validationData"`
	UserNotFound   *bool             `json:"userNotFound,omitempty"`
}

// PreAuthentication invokes the pool's PreAuthentication function.
func (i *Invoker) PreAuthentication(ctx context.Context, functionARN string, h Header, req PreAuthenticationRequest) (*PreAuthenticationResponse, error) {
	ev := preAuthenticationEvent{
		eventHeader: h.event(),
		Request: preAuthenticationEventRequest{UserAttributes: orEmpty(req.UserAttributes), ValidationData: orNil(req.ValidationData),
			UserNotFound: req.UserNotFound},
	}
	if err := i.invokeIgnoringResponse(ctx, triggerPreAuthentication, functionARN, ev); err != nil {
		return nil, err
	}
	return &PreAuthenticationResponse{}, nil
}

// PostAuthenticationRequest is what the caller knows of a post authentication event's request
// (PostAuthentication_Authentication).
type PostAuthenticationRequest struct {
	// UserAttributes are the user's attributes.
	UserAttributes map[string]string
	// NewDeviceUsed reports a sign-in from a device the pool did not remember.
	NewDeviceUsed bool
	// ClientMetadata is the ClientMetadata of RespondToAuthChallenge or
	// AdminRespondToAuthChallenge (nil or empty: not sent).
	ClientMetadata map[string]string
}

// PostAuthenticationResponse is empty: Cognito reads nothing from the answer.
type PostAuthenticationResponse struct{}

type postAuthenticationEvent struct {
	eventHeader
	Request  postAuthenticationEventRequest `json:"request"`
	Response struct{}                       `json:"response"`
}

type postAuthenticationEventRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	NewDeviceUsed  bool              `json:"newDeviceUsed"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// PostAuthentication invokes the pool's PostAuthentication function.
func (i *Invoker) PostAuthentication(ctx context.Context, functionARN string, h Header, req PostAuthenticationRequest) (*PostAuthenticationResponse, error) {
	ev := postAuthenticationEvent{
		eventHeader: h.event(),
		Request: postAuthenticationEventRequest{UserAttributes: orEmpty(req.UserAttributes), NewDeviceUsed: req.NewDeviceUsed,
			ClientMetadata: orNil(req.ClientMetadata)},
	}
	if err := i.invokeIgnoringResponse(ctx, triggerPostAuthentication, functionARN, ev); err != nil {
		return nil, err
	}
	return &PostAuthenticationResponse{}, nil
}
