package userpool

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/store"
	"github.com/cgip/cgip/internal/tokens"
	"github.com/cgip/cgip/internal/triggers"
)

// Tokens signs and verifies a pool's JWTs (internal/tokens).
type Tokens interface {
	EnsureKey(ctx context.Context, poolID string) error
	IssuerURL(region, poolID string) string
	Sign(ctx context.Context, region, poolID string, claims map[string]any) (string, error)
	Verify(ctx context.Context, region, poolID, token string) (map[string]any, error)
}

// validity is one token's lifetime from the client's settings (Cognito's defaults: ID and
// access tokens 60 minutes, refresh tokens 30 days).
func validity(v *int32, unit *string, defaultUnit string, def time.Duration) time.Duration {
	if v == nil || *v == 0 {
		return def
	}
	u := defaultUnit
	if unit != nil {
		u = *unit
	}
	return time.Duration(*v) * time.Duration(unitSeconds[u]) * time.Second
}

func (c *client) lifetimes() (id, access, refresh time.Duration) {
	units := c.doc.TokenValidityUnits
	if units == nil {
		units = &model.TokenValidityUnitsType{}
	}
	id = validity(c.doc.IdTokenValidity, units.IdToken, model.TimeUnitsTypeHours, time.Hour)
	access = validity(c.doc.AccessTokenValidity, units.AccessToken, model.TimeUnitsTypeHours, time.Hour)
	refresh = validity(c.doc.RefreshTokenValidity, units.RefreshToken, model.TimeUnitsTypeDays, 30*24*time.Hour)
	return
}

// session is one sign-in: its origin_jti ties the tokens minted by a refresh token to it.
type session struct {
	originJTI string
	authTime  time.Time
}

// issueTokens mints ID and access tokens (and, with withRefresh, a new refresh token) with
// Cognito's claims. It runs outside any transaction: signing may read the pool's keys, and an
// open transaction must not wait for another connection (SQLite in memory has only one).
func (s *Service) issueTokens(ctx context.Context, p *pool, c *client, u *store.User, sess session, withRefresh bool, source string, meta map[string]string) (*model.AuthenticationResultType, error) {
	now := s.now()
	idTTL, accessTTL, refreshTTL := c.lifetimes()
	groups, err := s.st.ListGroupsForUser(ctx, p.rec.ID, u.UsernameKey, store.Page{})
	if err != nil {
		return nil, err
	}
	region := p.rec.Region
	iss := s.tokens.IssuerURL(region, p.rec.ID)
	eventID := uuid.NewString()
	common := func(use string, ttl time.Duration) map[string]any {
		m := map[string]any{
			"sub": u.Sub, "iss": iss, "origin_jti": sess.originJTI, "event_id": eventID, "token_use": use,
			"auth_time": sess.authTime.Unix(), "iat": now.Unix(), "exp": now.Add(ttl).Unix(), "jti": uuid.NewString(),
		}
		if len(groups) > 0 {
			names := make([]string, len(groups))
			for i, g := range groups {
				names[i] = g.Name
			}
			m["cognito:groups"] = names
		}
		return m
	}
	access := common("access", accessTTL)
	access["client_id"] = c.rec.ID
	access["scope"] = "aws.cognito.signin.user.admin"
	access["username"] = u.Username
	access["version"] = 2
	id := common("id", idTTL)
	id["aud"] = c.rec.ID
	id["cognito:username"] = u.Username
	for name, v := range u.Attributes {
		if !c.canRead(name) {
			continue
		}
		id[name] = claimValue(name, v)
	}
	if err := s.preTokenGeneration(ctx, p, c, u, groups, source, meta, id, access); err != nil {
		return nil, err
	}
	out := &model.AuthenticationResultType{TokenType: ptr("Bearer"), ExpiresIn: ptr(int32(accessTTL / time.Second))}
	at, err := s.tokens.Sign(ctx, region, p.rec.ID, access)
	if err != nil {
		return nil, err
	}
	it, err := s.tokens.Sign(ctx, region, p.rec.ID, id)
	if err != nil {
		return nil, err
	}
	out.AccessToken, out.IdToken = &at, &it
	if withRefresh {
		raw := make([]byte, 48)
		if _, err := rand.Read(raw); err != nil {
			return nil, err
		}
		rt := base64.RawURLEncoding.EncodeToString(raw)
		err := s.st.CreateRefreshToken(ctx, &store.RefreshToken{
			Hash: refreshHash(rt), PoolID: p.rec.ID, UsernameKey: u.UsernameKey, ClientID: c.rec.ID,
			OriginJTI: sess.originJTI, AuthTime: sess.authTime, CreatedAt: now, ExpiresAt: now.Add(refreshTTL),
		})
		if err != nil {
			return nil, err
		}
		out.RefreshToken = &rt
	}
	return out, nil
}

// preTokenGeneration lets the pool's function change the claims (and the access token's scope)
// before signing, as Cognito's PreTokenGeneration trigger does.
func (s *Service) preTokenGeneration(ctx context.Context, p *pool, c *client, u *store.User, groups []store.Group, source string, meta map[string]string, id, access map[string]any) error {
	arn := s.lambdaARN(p, "PreTokenGeneration")
	if arn == "" {
		return nil
	}
	names := []string{}
	for _, g := range groups {
		names = append(names, g.Name)
	}
	scope, _ := access["scope"].(string)
	resp, err := s.triggers.PreTokenGeneration(ctx, arn, s.header(ctx, p, u, source, c.rec.ID), triggers.PreTokenGenerationRequest{
		LambdaVersion: p.preTokenVersion(), UserAttributes: eventAttributes(u),
		GroupConfiguration: triggers.GroupConfiguration{GroupsToOverride: names},
		Scopes:             strings.Fields(scope), ClientMetadata: meta,
	})
	if err != nil {
		return err
	}
	resp.Apply(id, access, &scope)
	access["scope"] = scope
	return nil
}

// canRead: a client with ReadAttributes sees only those in its ID tokens.
func (c *client) canRead(name string) bool {
	return len(c.doc.ReadAttributes) == 0 || slices.Contains(c.doc.ReadAttributes, name)
}

// claimValue types an attribute as Cognito's ID tokens do: email_verified and
// phone_number_verified are booleans and updated_at a number (OIDC standard claims); custom
// attributes are strings whatever their type ("Understanding the ID token").
func claimValue(name, v string) any {
	switch name {
	case "email_verified", "phone_number_verified":
		if b, err := strconv.ParseBool(v); err == nil {
			return b
		}
	case "updated_at":
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	}
	return v
}

func refreshHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// accessClaims verifies an access token and returns its claims and pool. Texts: "Invalid Access
// Token", "Access Token has expired".
func (s *Service) accessClaims(ctx context.Context, token string) (*pool, map[string]any, error) {
	invalid := apierr.NotAuthorized("Invalid Access Token")
	poolID, ok := unverifiedPool(token)
	if !ok {
		return nil, nil, invalid
	}
	prec, err := s.st.GetUserPool(ctx, regionOf(poolID), poolID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, invalid
	}
	if err != nil {
		return nil, nil, err
	}
	p, err := decodePool(prec)
	if err != nil {
		return nil, nil, err
	}
	claims, err := s.tokens.Verify(ctx, p.rec.Region, p.rec.ID, token)
	if errors.Is(err, tokens.ErrExpired) {
		return nil, nil, apierr.NotAuthorized("Access Token has expired")
	}
	if err != nil || claims["token_use"] != "access" {
		return nil, nil, invalid
	}
	return p, claims, nil
}

// unverifiedPool reads the pool id from a token's iss claim, only to know which keys verify it.
func unverifiedPool(token string) (string, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", false
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", false
	}
	var c struct {
		Iss string `json:"iss"`
	}
	if json.Unmarshal(b, &c) != nil {
		return "", false
	}
	i := strings.LastIndex(c.Iss, "/")
	if i < 0 || regionOf(c.Iss[i+1:]) == "" {
		return "", false
	}
	return c.Iss[i+1:], true
}

// tokenUser finds the user of verified access-token claims and applies what makes a token
// unusable: a sign-out after it was issued, a reset, a disabled or deleted user.
func (s *Service) tokenUser(ctx context.Context, tx store.Tx, p *pool, claims map[string]any) (*store.User, error) {
	sub, _ := claims["sub"].(string)
	u, err := tx.FindUserByIndex(ctx, p.rec.ID, "sub", sub)
	if errors.Is(err, store.ErrNotFound) {
		return nil, apierr.NotAuthorized("Invalid Access Token")
	}
	if err != nil {
		return nil, err
	}
	if u.Status == statusResetRequired {
		return nil, apierr.PasswordResetRequired()
	}
	// An access token lives as long as its session: the refresh token of the same sign-in
	// (origin_jti). Sign-outs and password resets revoke sessions.
	origin, _ := claims["origin_jti"].(string)
	rt, err := tx.FindRefreshTokenByOrigin(ctx, p.rec.ID, origin)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (!rt.RevokedAt.IsZero() || rt.UsernameKey != u.UsernameKey)) {
		return nil, apierr.NotAuthorized("Access Token has been revoked")
	}
	if err != nil {
		return nil, err
	}
	if !u.Enabled {
		return nil, apierr.NotAuthorized("User is disabled.")
	}
	return u, nil
}
