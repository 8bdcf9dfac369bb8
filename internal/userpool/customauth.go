package userpool

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/store"
	"github.com/cgip/cgip/internal/triggers"
	"github.com/google/uuid"
)

const customAuthSession = "custom-auth"

// startCustomAuth begins CUSTOM_AUTH: DefineAuthChallenge decides, with an empty session, what
// comes first.
func (s *Service) startCustomAuth(ctx context.Context, p *pool, c *client, params map[string]string, meta map[string]string) (*authOutcome, error) {
	if err := s.customAuthConfigured(p); err != nil {
		return nil, err
	}
	username := params["USERNAME"]
	if username == "" {
		return nil, apierr.InvalidParameter("Missing required parameter USERNAME")
	}
	secretHash := params["SECRET_HASH"]
	if err := s.checkSecretHash(c, username, &secretHash); err != nil {
		return nil, err
	}
	u, err := p.lookup(ctx, s.st, username)
	var ae *apierr.Error
	if errors.As(err, &ae) && ae.Code == "UserNotFoundException" && c.preventsExistenceErrors() {
		return nil, apierr.NotAuthorized(msgIncorrect)
	}
	if err != nil {
		return nil, err
	}
	if err := signInState(u); err != nil {
		return nil, err
	}
	return s.nextChallenge(ctx, p, c, u, nil, meta)
}

// customAuthConfigured: CUSTOM_AUTH needs all three challenge functions. The text is the one
// apps match on (InvalidParameterException; e.g. aws-amplify/amplify-js #7401 discussions).
func (s *Service) customAuthConfigured(p *pool) error {
	for _, t := range []string{"DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse"} {
		if s.lambdaARN(p, t) == "" {
			return apierr.InvalidParameter("Custom auth lambda trigger is not configured for the user pool.")
		}
	}
	return nil
}

// signInState refuses users who cannot sign in whatever they answer.
func signInState(u *store.User) error {
	switch {
	case !u.Enabled:
		return apierr.NotAuthorized("User is disabled.")
	case u.Status == statusResetRequired:
		return apierr.PasswordResetRequired()
	case u.Status == statusUnconfirmed:
		return apierr.UserNotConfirmed()
	}
	return nil
}

// nextChallenge asks DefineAuthChallenge what follows the challenges so far: tokens, a refusal,
// or another challenge that CreateAuthChallenge makes.
func (s *Service) nextChallenge(ctx context.Context, p *pool, c *client, u *store.User, history []triggers.ChallengeResult, meta map[string]string) (*authOutcome, error) {
	attrs := eventAttributes(u)
	def, err := s.triggers.DefineAuthChallenge(ctx, s.lambdaARN(p, "DefineAuthChallenge"), s.header(ctx, p, u, triggers.SourceDefineAuthChallenge, c.rec.ID),
		triggers.DefineAuthChallengeRequest{UserAttributes: attrs, Session: history, ClientMetadata: meta})
	if err != nil {
		return nil, err
	}
	switch {
	case def.IssueTokens && !def.FailAuthentication:
		res, err := s.issueTokens(ctx, p, c, u, session{originJTI: uuid.NewString(), authTime: s.now()}, true, triggers.SourceTokenGenerationAuthentication, meta)
		if err != nil {
			return nil, err
		}
		return &authOutcome{result: res}, nil
	case def.FailAuthentication || def.ChallengeName == "":
		return nil, apierr.NotAuthorized(msgIncorrect)
	}
	made, err := s.triggers.CreateAuthChallenge(ctx, s.lambdaARN(p, "CreateAuthChallenge"), s.header(ctx, p, u, triggers.SourceCreateAuthChallenge, c.rec.ID),
		triggers.CreateAuthChallengeRequest{UserAttributes: attrs, ChallengeName: def.ChallengeName, Session: history, ClientMetadata: meta})
	if err != nil {
		return nil, err
	}
	minutes := int32(3)
	if v := c.doc.AuthSessionValidity; v != nil {
		minutes = *v
	}
	b, _ := json.Marshal(authSession{Purpose: customAuthSession, PoolID: p.rec.ID, ClientID: c.rec.ID, UsernameKey: u.UsernameKey,
		Expires: s.now().Add(time.Duration(minutes) * time.Minute), History: history, Challenge: def.ChallengeName,
		Private: made.PrivateChallengeParameters, Metadata: made.ChallengeMetadata})
	sess := base64.RawURLEncoding.EncodeToString(s.sealer.Seal(b, "auth-session"))
	public := map[string]string{"USERNAME": u.Username}
	for k, v := range made.PublicChallengeParameters {
		public[k] = v
	}
	return &authOutcome{challenge: ptr(def.ChallengeName), params: public, session: &sess}, nil
}

// answerCustomChallenge checks an ANSWER with VerifyAuthChallengeResponse and moves on.
func (s *Service) answerCustomChallenge(ctx context.Context, p *pool, c *client, answers map[string]string, sess *string, meta map[string]string) (*authOutcome, error) {
	as, err := s.openSession(sess, p, c)
	if err != nil {
		return nil, err
	}
	if as.Purpose != customAuthSession {
		return nil, apierr.NotAuthorized("Invalid session for the user.")
	}
	if err := s.customAuthConfigured(p); err != nil {
		return nil, err
	}
	u, err := s.st.GetUser(ctx, p.rec.ID, as.UsernameKey)
	if err != nil {
		return nil, apierr.NotAuthorized("Invalid session for the user.")
	}
	if err := signInState(u); err != nil {
		return nil, err
	}
	v, err := s.triggers.VerifyAuthChallengeResponse(ctx, s.lambdaARN(p, "VerifyAuthChallengeResponse"), s.header(ctx, p, u, triggers.SourceVerifyAuthChallengeResponse, c.rec.ID),
		triggers.VerifyAuthChallengeResponseRequest{UserAttributes: eventAttributes(u), PrivateChallengeParameters: as.Private,
			ChallengeAnswer: answers["ANSWER"], ClientMetadata: meta})
	if err != nil {
		return nil, err
	}
	history := append(as.History, triggers.ChallengeResult{ChallengeName: as.Challenge, ChallengeResult: v.AnswerCorrect, ChallengeMetadata: as.Metadata})
	return s.nextChallenge(ctx, p, c, u, history, meta)
}
