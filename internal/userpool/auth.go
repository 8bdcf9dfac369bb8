package userpool

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/passhash"
	"github.com/cgip/cgip/internal/store"
	"github.com/cgip/cgip/internal/triggers"
)

const (
	msgIncorrect       = "Incorrect username or password."
	maxFailedSignIns   = 5
	newPasswordSession = "new-password"
)

// defaultAuthFlows are a client's flows when ExplicitAuthFlows is absent (API reference).
var defaultAuthFlows = []string{model.ExplicitAuthFlowsTypeAllowRefreshTokenAuth, model.ExplicitAuthFlowsTypeAllowUserSrpAuth, model.ExplicitAuthFlowsTypeAllowCustomAuth}

// allows reports whether the client enables a flow, under its ALLOW_ name or its legacy one.
func (c *client) allows(flow string) bool {
	flows := c.doc.ExplicitAuthFlows
	if flows == nil {
		flows = defaultAuthFlows
	}
	names := map[string][]string{
		model.AuthFlowTypeUserPasswordAuth:      {model.ExplicitAuthFlowsTypeAllowUserPasswordAuth, model.ExplicitAuthFlowsTypeUserPasswordAuth},
		model.AuthFlowTypeAdminUserPasswordAuth: {model.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth, model.ExplicitAuthFlowsTypeAdminNoSrpAuth},
		model.AuthFlowTypeAdminNoSrpAuth:        {model.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth, model.ExplicitAuthFlowsTypeAdminNoSrpAuth},
		model.AuthFlowTypeRefreshTokenAuth:      {model.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
		model.AuthFlowTypeRefreshToken:          {model.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
		model.AuthFlowTypeCustomAuth:            {model.ExplicitAuthFlowsTypeAllowCustomAuth, model.ExplicitAuthFlowsTypeCustomAuthFlowOnly},
	}[flow]
	for _, n := range names {
		if slices.Contains(flows, n) {
			return true
		}
	}
	// Refresh tokens always work for clients that list only legacy flows.
	return (flow == model.AuthFlowTypeRefreshTokenAuth || flow == model.AuthFlowTypeRefreshToken) && !hasAllowFlow(flows)
}

func hasAllowFlow(flows []string) bool {
	for _, f := range flows {
		if !slices.Contains(legacyAuthFlows, f) {
			return true
		}
	}
	return false
}

func (s *Service) InitiateAuth(ctx context.Context, in *model.InitiateAuthRequest) (*model.InitiateAuthResponse, error) {
	p, c, err := s.publicClient(ctx, *in.ClientId)
	if err != nil {
		return nil, err
	}
	r, err := s.authenticate(ctx, p, c, *in.AuthFlow, in.AuthParameters, false, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	return &model.InitiateAuthResponse{AuthenticationResult: r.result, ChallengeName: r.challenge, ChallengeParameters: r.params, Session: r.session}, nil
}

func (s *Service) AdminInitiateAuth(ctx context.Context, in *model.AdminInitiateAuthRequest) (*model.AdminInitiateAuthResponse, error) {
	p, c, err := s.getClient(ctx, s.st, *in.UserPoolId, *in.ClientId)
	if err != nil {
		return nil, err
	}
	r, err := s.authenticate(ctx, p, c, *in.AuthFlow, in.AuthParameters, true, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	return &model.AdminInitiateAuthResponse{AuthenticationResult: r.result, ChallengeName: r.challenge, ChallengeParameters: r.params, Session: r.session}, nil
}

// authOutcome is tokens, or a challenge to answer.
type authOutcome struct {
	result    *model.AuthenticationResultType
	challenge *string
	params    map[string]string
	session   *string
}

func (s *Service) authenticate(ctx context.Context, p *pool, c *client, flow string, params map[string]string, admin bool, meta map[string]string) (*authOutcome, error) {
	if flow == model.AuthFlowTypeCustomAuth {
		if !c.allows(flow) {
			return nil, apierr.InvalidParameter("%s flow not enabled for this client", flow)
		}
		return s.startCustomAuth(ctx, p, c, params, meta)
	}
	passwordFlow := flow == model.AuthFlowTypeUserPasswordAuth && !admin ||
		(flow == model.AuthFlowTypeAdminUserPasswordAuth || flow == model.AuthFlowTypeAdminNoSrpAuth) && admin
	refreshFlow := flow == model.AuthFlowTypeRefreshTokenAuth || flow == model.AuthFlowTypeRefreshToken
	if !passwordFlow && !refreshFlow {
		return nil, apierr.InvalidParameter("%s flow is not supported by cgip yet", flow)
	}
	if !c.allows(flow) {
		return nil, apierr.InvalidParameter("%s flow not enabled for this client", flow)
	}
	if refreshFlow {
		secretHash := params["SECRET_HASH"]
		res, err := s.refresh(ctx, p, c, params["REFRESH_TOKEN"], &secretHash, params["USERNAME"], meta)
		if err != nil {
			return nil, err
		}
		return &authOutcome{result: res}, nil
	}
	username, password := params["USERNAME"], params["PASSWORD"]
	if username == "" {
		return nil, apierr.InvalidParameter("Missing required parameter USERNAME")
	}
	if password == "" {
		return nil, apierr.InvalidParameter("Missing required parameter PASSWORD")
	}
	secretHash := params["SECRET_HASH"]
	if err := s.checkSecretHash(c, username, &secretHash); err != nil {
		return nil, err
	}
	return s.passwordSignIn(ctx, p, c, username, password, meta)
}

// passwordSignIn checks a password. Wrong passwords and unknown users cost the same hashing;
// the outcomes and texts are those of SPEC section 2 and ISSUE 5.
func (s *Service) passwordSignIn(ctx context.Context, p *pool, c *client, username, password string, meta map[string]string) (*authOutcome, error) {
	u, err := p.lookup(ctx, s.st, username)
	var ae *apierr.Error
	if errors.As(err, &ae) && ae.Code == "UserNotFoundException" {
		// A pool migrating users from elsewhere asks its UserMigration function first.
		if migrated, merr := s.migrateUser(ctx, p, c, username, password, triggers.SourceUserMigrationAuthentication, meta); merr != nil {
			return nil, merr
		} else if migrated != nil {
			u, err = migrated, nil
		}
	}
	if errors.As(err, &ae) && ae.Code == "UserNotFoundException" {
		passhash.DummyVerify(password, s.hashParams)
		if c.preventsExistenceErrors() {
			return nil, apierr.NotAuthorized(msgIncorrect)
		}
		return nil, apierr.UserNotFound()
	}
	if err != nil {
		return nil, err
	}
	x, err := decodeExtra(u)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if len(recent(x.FailedSignIns, now)) >= maxFailedSignIns {
		passhash.DummyVerify(password, s.hashParams)
		return nil, apierr.NotAuthorized("Password attempts exceeded")
	}
	// PreAuthentication may refuse the sign-in before the password is checked.
	if arn := s.lambdaARN(p, "PreAuthentication"); arn != "" {
		if _, err := s.triggers.PreAuthentication(ctx, arn, s.header(ctx, p, u, triggers.SourcePreAuthentication, c.rec.ID),
			triggers.PreAuthenticationRequest{UserAttributes: eventAttributes(u), ValidationData: meta}); err != nil {
			return nil, err
		}
	}
	ok := false
	if u.PasswordHash != "" {
		ok, _ = passhash.Verify(password, u.PasswordHash)
	} else {
		passhash.DummyVerify(password, s.hashParams)
	}
	if !ok {
		if err := s.recordFailedSignIn(ctx, p, u.UsernameKey); err != nil {
			return nil, err
		}
		return nil, apierr.NotAuthorized(msgIncorrect)
	}
	switch {
	case !u.Enabled:
		return nil, apierr.NotAuthorized("User is disabled.")
	case u.Status == statusResetRequired:
		return nil, apierr.PasswordResetRequired()
	case u.Status == statusUnconfirmed:
		return nil, apierr.UserNotConfirmed()
	case u.Status == statusForceChangePassword:
		if days := p.temporaryPasswordDays(); !x.TemporaryPasswordIssuedAt.IsZero() && now.Sub(x.TemporaryPasswordIssuedAt) > time.Duration(days)*24*time.Hour {
			return nil, apierr.NotAuthorized("Temporary password has expired and must be reset by an administrator.")
		}
		return s.newPasswordChallenge(p, c, u)
	}
	if arn := s.lambdaARN(p, "PostAuthentication"); arn != "" {
		if _, err := s.triggers.PostAuthentication(ctx, arn, s.header(ctx, p, u, triggers.SourcePostAuthentication, c.rec.ID),
			triggers.PostAuthenticationRequest{UserAttributes: eventAttributes(u), ClientMetadata: meta}); err != nil {
			return nil, err
		}
	}
	res, err := s.issueTokens(ctx, p, c, u, session{originJTI: uuid.NewString(), authTime: now}, true, triggers.SourceTokenGenerationAuthentication, meta)
	if err != nil {
		return nil, err
	}
	if len(x.FailedSignIns) > 0 {
		_ = s.modifyUserByKey(ctx, p, u.UsernameKey, func(x *userExtra) { x.FailedSignIns = nil })
	}
	return &authOutcome{result: res}, nil
}

func (p *pool) temporaryPasswordDays() int32 {
	if d := p.doc.Pool.Policies.PasswordPolicy.TemporaryPasswordValidityDays; d != nil {
		return *d
	}
	return 7
}

func (s *Service) recordFailedSignIn(ctx context.Context, p *pool, key string) error {
	now := s.now()
	return s.modifyUserByKey(ctx, p, key, func(x *userExtra) {
		x.FailedSignIns = append(recent(x.FailedSignIns, now), now)
	})
}

// modifyUserByKey changes a user's extra document in its own transaction.
func (s *Service) modifyUserByKey(ctx context.Context, p *pool, key string, change func(x *userExtra)) error {
	return s.inTx(ctx, func(tx store.Tx) error {
		u, err := tx.GetUser(ctx, p.rec.ID, key)
		if err != nil {
			return err
		}
		x, err := decodeExtra(u)
		if err != nil {
			return err
		}
		change(&x)
		setExtra(u, x)
		return tx.UpdateUser(ctx, u)
	})
}

// authSession is what a challenge's Session carries, sealed: who answers, for which client, until when.
type authSession struct {
	Purpose     string
	PoolID      string
	ClientID    string
	UsernameKey string
	Expires     time.Time
	// Custom authentication: the challenges so far, the one asked now, and what only the
	// server may see of it (sealed with the rest, so the client cannot read the answer).
	History   []triggers.ChallengeResult `json:",omitempty"`
	Challenge string                     `json:",omitempty"`
	Private   map[string]string          `json:",omitempty"`
	Metadata  string                     `json:",omitempty"`
}

func (s *Service) newPasswordChallenge(p *pool, c *client, u *store.User) (*authOutcome, error) {
	minutes := int32(3)
	if v := c.doc.AuthSessionValidity; v != nil {
		minutes = *v
	}
	b, _ := json.Marshal(authSession{Purpose: newPasswordSession, PoolID: p.rec.ID, ClientID: c.rec.ID, UsernameKey: u.UsernameKey,
		Expires: s.now().Add(time.Duration(minutes) * time.Minute)})
	sess := base64.RawURLEncoding.EncodeToString(s.sealer.Seal(b, "auth-session"))
	attrs := map[string]string{}
	for k, v := range u.Attributes {
		if k != "email_verified" && k != "phone_number_verified" {
			attrs[k] = v
		}
	}
	ua, _ := json.Marshal(attrs)
	var required []string
	for _, a := range p.doc.Pool.SchemaAttributes {
		if a.Required != nil && *a.Required && *a.Name != "sub" {
			if _, has := u.Attributes[*a.Name]; !has {
				required = append(required, "userAttributes."+*a.Name)
			}
		}
	}
	ra, _ := json.Marshal(append([]string{}, required...))
	return &authOutcome{
		challenge: ptr(model.ChallengeNameTypeNewPasswordRequired),
		params:    map[string]string{"USER_ID_FOR_SRP": u.Username, "requiredAttributes": string(ra), "userAttributes": string(ua)},
		session:   &sess,
	}, nil
}

func (s *Service) openSession(sess *string, p *pool, c *client) (*authSession, error) {
	invalid := apierr.NotAuthorized("Invalid session for the user.")
	if sess == nil {
		return nil, invalid
	}
	raw, err := base64.RawURLEncoding.DecodeString(*sess)
	if err != nil {
		return nil, invalid
	}
	b, err := s.sealer.Open(raw, "auth-session")
	if err != nil {
		return nil, invalid
	}
	var as authSession
	if json.Unmarshal(b, &as) != nil || as.PoolID != p.rec.ID || as.ClientID != c.rec.ID {
		return nil, invalid
	}
	if !s.now().Before(as.Expires) {
		return nil, apierr.NotAuthorized("Invalid session for the user, session is expired.")
	}
	return &as, nil
}

func (s *Service) RespondToAuthChallenge(ctx context.Context, in *model.RespondToAuthChallengeRequest) (*model.RespondToAuthChallengeResponse, error) {
	p, c, err := s.publicClient(ctx, *in.ClientId)
	if err != nil {
		return nil, err
	}
	r, err := s.respond(ctx, p, c, *in.ChallengeName, in.ChallengeResponses, in.Session, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	return &model.RespondToAuthChallengeResponse{AuthenticationResult: r.result, ChallengeName: r.challenge, ChallengeParameters: r.params, Session: r.session}, nil
}

func (s *Service) AdminRespondToAuthChallenge(ctx context.Context, in *model.AdminRespondToAuthChallengeRequest) (*model.AdminRespondToAuthChallengeResponse, error) {
	p, c, err := s.getClient(ctx, s.st, *in.UserPoolId, *in.ClientId)
	if err != nil {
		return nil, err
	}
	r, err := s.respond(ctx, p, c, *in.ChallengeName, in.ChallengeResponses, in.Session, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	return &model.AdminRespondToAuthChallengeResponse{AuthenticationResult: r.result, ChallengeName: r.challenge, ChallengeParameters: r.params, Session: r.session}, nil
}

// respond answers NEW_PASSWORD_REQUIRED: the new password (and any required attributes) makes
// the user CONFIRMED and signs them in.
func (s *Service) respond(ctx context.Context, p *pool, c *client, challenge string, answers map[string]string, sess *string, meta map[string]string) (*authOutcome, error) {
	if challenge == model.ChallengeNameTypeCustomChallenge {
		return s.answerCustomChallenge(ctx, p, c, answers, sess, meta)
	}
	res, err := s.newPassword(ctx, p, c, challenge, answers, sess, meta)
	if err != nil {
		return nil, err
	}
	return &authOutcome{result: res}, nil
}

// newPassword answers NEW_PASSWORD_REQUIRED.
func (s *Service) newPassword(ctx context.Context, p *pool, c *client, challenge string, answers map[string]string, sess *string, meta map[string]string) (*model.AuthenticationResultType, error) {
	if challenge != model.ChallengeNameTypeNewPasswordRequired {
		return nil, apierr.InvalidParameter("%s challenge is not supported by cgip yet", challenge)
	}
	as, err := s.openSession(sess, p, c)
	if err != nil {
		return nil, err
	}
	if as.Purpose != newPasswordSession {
		return nil, apierr.NotAuthorized("Invalid session for the user.")
	}
	if err := s.checkSecretHash(c, answers["USERNAME"], ptr(answers["SECRET_HASH"])); err != nil {
		return nil, err
	}
	password := answers["NEW_PASSWORD"]
	if password == "" {
		return nil, apierr.InvalidParameter("Missing required parameter NEW_PASSWORD")
	}
	if msg := p.passwordPolicy().Check(password); msg != "" {
		return nil, apierr.InvalidPassword("%s", msg)
	}
	var attrs []model.AttributeType
	for k, v := range answers {
		if name, ok := strings.CutPrefix(k, "userAttributes."); ok && name != "" {
			attrs = append(attrs, model.AttributeType{Name: ptr(name), Value: ptr(v)})
		}
	}
	if err := p.checkAttributes(attrs, attrUpdate); err != nil {
		return nil, err
	}
	hash, err := passhash.Hash(password, s.hashParams)
	if err != nil {
		return nil, err
	}
	var u *store.User
	err = s.inTx(ctx, func(tx store.Tx) error {
		var err error
		u, err = tx.GetUser(ctx, p.rec.ID, as.UsernameKey)
		if err != nil {
			return apierr.NotAuthorized("Invalid session for the user.")
		}
		if u.Status != statusForceChangePassword {
			return apierr.NotAuthorized("Invalid session for the user.")
		}
		for _, a := range attrs {
			u.Attributes[*a.Name] = *a.Value
		}
		for _, a := range p.doc.Pool.SchemaAttributes {
			if a.Required != nil && *a.Required && *a.Name != "sub" && u.Attributes[*a.Name] == "" {
				return apierr.InvalidParameter("Invalid user attributes: %s: The attribute is required\n", *a.Name)
			}
		}
		u.PasswordHash, u.Status = hash, statusConfirmed
		x, err := decodeExtra(u)
		if err != nil {
			return err
		}
		x.TemporaryPasswordIssuedAt = time.Time{}
		setExtra(u, x)
		p.reindex(u)
		u.UpdatedAt = s.now()
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		return nil, err
	}
	return s.issueTokens(ctx, p, c, u, session{originJTI: uuid.NewString(), authTime: s.now()}, true, triggers.SourceTokenGenerationNewPasswordChallenge, meta)
}

// refresh mints new ID and access tokens for a valid refresh token of this client. secretHash
// is checked for clients with a secret (nil: the caller checked the client secret itself).
func (s *Service) refresh(ctx context.Context, p *pool, c *client, token string, secretHash *string, username string, meta map[string]string) (*model.AuthenticationResultType, error) {
	if token == "" {
		return nil, apierr.InvalidParameter("Missing required parameter REFRESH_TOKEN")
	}
	var (
		u  *store.User
		rt *store.RefreshToken
	)
	err := s.inTx(ctx, func(tx store.Tx) error {
		var err error
		rt, err = tx.GetRefreshToken(ctx, refreshHash(token))
		if errors.Is(err, store.ErrNotFound) || (err == nil && (rt.PoolID != p.rec.ID || rt.ClientID != c.rec.ID)) {
			return apierr.NotAuthorized("Invalid Refresh Token")
		}
		if err != nil {
			return err
		}
		if !rt.RevokedAt.IsZero() {
			return apierr.NotAuthorized("Refresh Token has been revoked")
		}
		if !s.now().Before(rt.ExpiresAt) {
			return apierr.NotAuthorized("Refresh Token has expired")
		}
		u, err = tx.GetUser(ctx, p.rec.ID, rt.UsernameKey)
		if errors.Is(err, store.ErrNotFound) {
			return apierr.NotAuthorized("Refresh Token has been revoked")
		}
		if err != nil {
			return err
		}
		if c.hasSecret() && secretHash != nil {
			name := username
			if name == "" {
				name = u.Username
			}
			if err := s.checkSecretHash(c, name, secretHash); err != nil {
				return err
			}
		}
		switch {
		case u.Status == statusResetRequired:
			return apierr.PasswordResetRequired()
		case !u.Enabled:
			return apierr.NotAuthorized("User is disabled.")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.issueTokens(ctx, p, c, u, session{originJTI: rt.OriginJTI, authTime: rt.AuthTime}, false, triggers.SourceTokenGenerationRefreshTokens, meta)
}

func (c *client) hasSecret() bool { return c.rec.Secret != nil }
