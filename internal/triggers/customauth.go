package triggers

import (
	"context"
	"encoding/json"
)

// ChallengeResult is one challenge of a custom authentication session, oldest first.
type ChallengeResult struct {
	// ChallengeName is CUSTOM_CHALLENGE, SRP_A, PASSWORD_VERIFIER, SMS_MFA, DEVICE_SRP_AUTH, ...
	ChallengeName string
	// ChallengeResult reports whether the user completed the challenge.
	ChallengeResult bool
	// ChallengeMetadata is the CreateAuthChallenge function's name for a CUSTOM_CHALLENGE ("":
	// sent as null).
	ChallengeMetadata string
}

type challengeResultWire struct {
	ChallengeName     string  `json:"challengeName"`
	ChallengeResult   bool    `json:"challengeResult"`
	ChallengeMetadata *string `json:"challengeMetadata"`
}

func sessionWire(s []ChallengeResult) []challengeResultWire {
	out := make([]challengeResultWire, len(s)) // [] when empty, as Cognito sends it
	for i, c := range s {
		out[i] = challengeResultWire{ChallengeName: c.ChallengeName, ChallengeResult: c.ChallengeResult}
		if c.ChallengeMetadata != "" {
			out[i].ChallengeMetadata = &c.ChallengeMetadata
		}
	}
	return out
}

// DefineAuthChallengeRequest is what the caller knows of a define auth challenge event's request
// (DefineAuthChallenge_Authentication).
type DefineAuthChallengeRequest struct {
	UserAttributes map[string]string
	// Session is the challenges so far (nil: sent as []).
	Session []ChallengeResult
	// ClientMetadata is the request's ClientMetadata (nil or empty: not sent).
	ClientMetadata map[string]string
	// UserNotFound is sent only when the app client's PreventUserExistenceErrors is ENABLED
	// (nil: not sent).
	UserNotFound *bool
}

// DefineAuthChallengeResponse is the function's decision: the next challenge ("": none), or
// tokens, or failure. Its consistency is the authentication flow's to judge.
type DefineAuthChallengeResponse struct {
	ChallengeName                   string
	IssueTokens, FailAuthentication bool
}

type defineAuthChallengeEvent struct {
	eventHeader
	Request  defineAuthChallengeEventRequest `json:"request"`
	Response json.RawMessage                 `json:"response"`
}

type defineAuthChallengeEventRequest struct {
	UserAttributes map[string]string     `json:"userAttributes"`
	Session        []challengeResultWire `json:"session"`
	ClientMetadata map[string]string     `json:"clientMetadata,omitempty"`
	UserNotFound   *bool                 `json:"userNotFound,omitempty"`
}

var defineAuthChallengeDefaults = json.RawMessage(`{"challengeName":null,"issueTokens":null,"failAuthentication":null}`)

// DefineAuthChallenge invokes the pool's DefineAuthChallenge function.
func (i *Invoker) DefineAuthChallenge(ctx context.Context, functionARN string, h Header, req DefineAuthChallengeRequest) (*DefineAuthChallengeResponse, error) {
	ev := defineAuthChallengeEvent{
		eventHeader: h.event(),
		Request: defineAuthChallengeEventRequest{UserAttributes: orEmpty(req.UserAttributes), Session: sessionWire(req.Session),
			ClientMetadata: orNil(req.ClientMetadata), UserNotFound: req.UserNotFound},
		Response: defineAuthChallengeDefaults,
	}
	var out struct {
		ChallengeName      *string `json:"challengeName"`
		IssueTokens        *bool   `json:"issueTokens"`
		FailAuthentication *bool   `json:"failAuthentication"`
	}
	if err := i.invokeForResponse(ctx, triggerDefineAuthChallenge, functionARN, ev, &out); err != nil {
		return nil, err
	}
	return &DefineAuthChallengeResponse{ChallengeName: deref(out.ChallengeName), IssueTokens: isTrue(out.IssueTokens),
		FailAuthentication: isTrue(out.FailAuthentication)}, nil
}

// CreateAuthChallengeRequest is what the caller knows of a create auth challenge event's
// request (CreateAuthChallenge_Authentication).
type CreateAuthChallengeRequest struct {
	UserAttributes map[string]string
	// ChallengeName is the challenge DefineAuthChallenge chose (CUSTOM_CHALLENGE).
	ChallengeName string
	// Session is the challenges so far (nil: sent as []).
	Session []ChallengeResult
	// ClientMetadata is the request's ClientMetadata (nil or empty: not sent).
	ClientMetadata map[string]string
	// UserNotFound is sent only when the app client's PreventUserExistenceErrors is ENABLED
	// (nil: not sent).
	UserNotFound *bool
}

// CreateAuthChallengeResponse is the challenge: the parameters the client sees, those only
// VerifyAuthChallengeResponse sees, and the challenge's name in later sessions ("": none).
type CreateAuthChallengeResponse struct {
	PublicChallengeParameters, PrivateChallengeParameters map[string]string
	ChallengeMetadata                                     string
}

type createAuthChallengeEvent struct {
	eventHeader
	Request  createAuthChallengeEventRequest `json:"request"`
	Response json.RawMessage                 `json:"response"`
}

type createAuthChallengeEventRequest struct {
	UserAttributes map[string]string     `json:"userAttributes"`
	ChallengeName  string                `json:"challengeName"`
	Session        []challengeResultWire `json:"session"`
	ClientMetadata map[string]string     `json:"clientMetadata,omitempty"`
	UserNotFound   *bool                 `json:"userNotFound,omitempty"`
}

var createAuthChallengeDefaults = json.RawMessage(`{"publicChallengeParameters":null,"privateChallengeParameters":null,"challengeMetadata":null}`)

// CreateAuthChallenge invokes the pool's CreateAuthChallenge function.
func (i *Invoker) CreateAuthChallenge(ctx context.Context, functionARN string, h Header, req CreateAuthChallengeRequest) (*CreateAuthChallengeResponse, error) {
	ev := createAuthChallengeEvent{
		eventHeader: h.event(),
		Request: createAuthChallengeEventRequest{UserAttributes: orEmpty(req.UserAttributes), ChallengeName: req.ChallengeName,
			Session: sessionWire(req.Session), ClientMetadata: orNil(req.ClientMetadata), UserNotFound: req.UserNotFound},
		Response: createAuthChallengeDefaults,
	}
	var out struct {
		PublicChallengeParameters  map[string]string `json:"publicChallengeParameters"`
		PrivateChallengeParameters map[string]string `json:"privateChallengeParameters"`
		ChallengeMetadata          *string           `json:"challengeMetadata"`
	}
	if err := i.invokeForResponse(ctx, triggerCreateAuthChallenge, functionARN, ev, &out); err != nil {
		return nil, err
	}
	return &CreateAuthChallengeResponse{PublicChallengeParameters: out.PublicChallengeParameters,
		PrivateChallengeParameters: out.PrivateChallengeParameters, ChallengeMetadata: deref(out.ChallengeMetadata)}, nil
}

// VerifyAuthChallengeResponseRequest is what the caller knows of a verify auth challenge
// response event's request (VerifyAuthChallengeResponse_Authentication).
type VerifyAuthChallengeResponseRequest struct {
	UserAttributes map[string]string
	// PrivateChallengeParameters are CreateAuthChallenge's private parameters.
	PrivateChallengeParameters map[string]string
	// ChallengeAnswer is the ANSWER of the challenge responses.
	ChallengeAnswer string
	// ClientMetadata is the request's ClientMetadata (nil or empty: not sent).
	ClientMetadata map[string]string
	// UserNotFound is sent only when the app client's PreventUserExistenceErrors is ENABLED
	// (nil: not sent).
	UserNotFound *bool
}

// VerifyAuthChallengeResponseResponse is the function's verdict.
type VerifyAuthChallengeResponseResponse struct {
	AnswerCorrect bool
}

type verifyAuthChallengeEvent struct {
	eventHeader
	Request  verifyAuthChallengeEventRequest `json:"request"`
	Response json.RawMessage                 `json:"response"`
}

type verifyAuthChallengeEventRequest struct {
	UserAttributes             map[string]string `json:"userAttributes"`
	PrivateChallengeParameters map[string]string `json:"privateChallengeParameters"`
	ChallengeAnswer            string            `json:"challengeAnswer"`
	ClientMetadata             map[string]string `json:"clientMetadata,omitempty"`
	UserNotFound               *bool             `json:"userNotFound,omitempty"`
}

var verifyAuthChallengeDefaults = json.RawMessage(`{"answerCorrect":null}`)

// VerifyAuthChallengeResponse invokes the pool's VerifyAuthChallengeResponse function.
func (i *Invoker) VerifyAuthChallengeResponse(ctx context.Context, functionARN string, h Header, req VerifyAuthChallengeResponseRequest) (*VerifyAuthChallengeResponseResponse, error) {
	ev := verifyAuthChallengeEvent{
		eventHeader: h.event(),
		Request: verifyAuthChallengeEventRequest{UserAttributes: orEmpty(req.UserAttributes),
			PrivateChallengeParameters: orEmpty(req.PrivateChallengeParameters), ChallengeAnswer: req.ChallengeAnswer,
			ClientMetadata: orNil(req.ClientMetadata), UserNotFound: req.UserNotFound},
		Response: verifyAuthChallengeDefaults,
	}
	var out struct {
		AnswerCorrect *bool `json:"answerCorrect"`
	}
	if err := i.invokeForResponse(ctx, triggerVerifyAuthChallenge, functionARN, ev, &out); err != nil {
		return nil, err
	}
	return &VerifyAuthChallengeResponseResponse{AnswerCorrect: isTrue(out.AnswerCorrect)}, nil
}
