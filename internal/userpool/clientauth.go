package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/store"
)

// publicClient finds the app client a public (unsigned) request names, and its pool: the
// request's region is the pool's.
func (s *Service) publicClient(ctx context.Context, clientID string) (*pool, *client, error) {
	rec, err := s.st.FindClient(ctx, clientID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, apierr.ClientNotFound(clientID)
	}
	if err != nil {
		return nil, nil, err
	}
	prec, err := s.st.GetUserPool(ctx, regionOf(rec.PoolID), rec.PoolID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, apierr.ClientNotFound(clientID)
	}
	if err != nil {
		return nil, nil, err
	}
	p, err := decodePool(prec)
	if err != nil {
		return nil, nil, err
	}
	c, err := decodeClient(rec)
	return p, c, err
}

// regionOf is the region a pool id carries ("eu-west-1_AbC123xYz").
func regionOf(poolID string) string {
	for i := len(poolID) - 1; i >= 0; i-- {
		if poolID[i] == '_' {
			return poolID[:i]
		}
	}
	return ""
}

// checkSecretHash verifies SECRET_HASH = Base64(HMAC-SHA256(client secret, username + client id))
// for clients that have a secret (Cognito developer guide, "Computing secret hash values").
func (s *Service) checkSecretHash(c *client, username string, given *string) error {
	secret, err := s.clientSecret(c)
	if err != nil || secret == "" {
		return err
	}
	if given == nil || *given == "" {
		return apierr.NotAuthorized("Client %s is configured for secret but secret was not received", c.rec.ID)
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + c.rec.ID))
	want := m.Sum(nil)
	got, err := base64.StdEncoding.DecodeString(*given)
	if err != nil || !hmac.Equal(want, got) {
		return apierr.NotAuthorized("Unable to verify secret hash for client %s", c.rec.ID)
	}
	return nil
}

// preventsExistenceErrors reports PreventUserExistenceErrors=ENABLED (LEGACY is the default).
func (c *client) preventsExistenceErrors() bool {
	v := c.doc.PreventUserExistenceErrors
	return v != nil && *v == model.PreventUserExistenceErrorTypesEnabled
}

// codeRequest is the common start of the public code operations (ForgotPassword,
// ConfirmForgotPassword, SignUp, ConfirmSignUp, ResendConfirmationCode): the client and its
// pool, the SecretHash check, and the code key, loaded before any transaction.
func (s *Service) codeRequest(ctx context.Context, clientID, username string, secretHash *string) (*pool, *client, []byte, error) {
	p, c, err := s.publicClient(ctx, clientID)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := s.checkSecretHash(c, username, secretHash); err != nil {
		return nil, nil, nil, err
	}
	key, err := s.codeKey(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	return p, c, key, nil
}
