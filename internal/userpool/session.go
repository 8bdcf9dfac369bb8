package userpool

import (
	"context"
	"errors"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/passhash"
	"github.com/cgip/cgip/internal/store"
)

// withAccessToken runs fn for the user an access token names, inside one transaction.
func (s *Service) withAccessToken(ctx context.Context, token string, fn func(tx store.Tx, p *pool, u *store.User) error) error {
	p, claims, err := s.accessClaims(ctx, token)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx store.Tx) error {
		u, err := s.tokenUser(ctx, tx, p, claims)
		if err != nil {
			return err
		}
		return fn(tx, p, u)
	})
}

func (s *Service) GetUser(ctx context.Context, in *model.GetUserRequest) (*model.GetUserResponse, error) {
	var out *model.GetUserResponse
	err := s.withAccessToken(ctx, *in.AccessToken, func(_ store.Tx, _ *pool, u *store.User) error {
		out = &model.GetUserResponse{Username: ptr(u.Username), UserAttributes: attributeList(u, nil)}
		return nil
	})
	return out, err
}

// ChangePassword needs the current password; the new one must meet the policy and history.
func (s *Service) ChangePassword(ctx context.Context, in *model.ChangePasswordRequest) (*model.ChangePasswordResponse, error) {
	p, claims, err := s.accessClaims(ctx, *in.AccessToken)
	if err != nil {
		return nil, err
	}
	if msg := p.passwordPolicy().Check(*in.ProposedPassword); msg != "" {
		return nil, apierr.InvalidPassword("%s", msg)
	}
	hash, err := passhash.Hash(*in.ProposedPassword, s.hashParams)
	if err != nil {
		return nil, err
	}
	err = s.inTx(ctx, func(tx store.Tx) error {
		u, err := s.tokenUser(ctx, tx, p, claims)
		if err != nil {
			return err
		}
		previous := ""
		if in.PreviousPassword != nil {
			previous = *in.PreviousPassword
		}
		if ok, _ := passhash.Verify(previous, u.PasswordHash); !ok {
			return apierr.NotAuthorized(msgIncorrect)
		}
		if err := checkHistory(*in.ProposedPassword, u, p.historySize()); err != nil {
			return err
		}
		pushHistory(u, p.historySize())
		u.PasswordHash = hash
		u.UpdatedAt = s.now()
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		return nil, err
	}
	return &model.ChangePasswordResponse{}, nil
}

// GlobalSignOut revokes every refresh token of the user, and with them the access tokens of
// those sessions ("Access Token has been revoked").
func (s *Service) GlobalSignOut(ctx context.Context, in *model.GlobalSignOutRequest) (*model.GlobalSignOutResponse, error) {
	err := s.withAccessToken(ctx, *in.AccessToken, func(tx store.Tx, p *pool, u *store.User) error {
		_, err := tx.RevokeUserRefreshTokens(ctx, p.rec.ID, u.UsernameKey, s.now())
		return err
	})
	if err != nil {
		return nil, err
	}
	return &model.GlobalSignOutResponse{}, nil
}

func (s *Service) AdminUserGlobalSignOut(ctx context.Context, in *model.AdminUserGlobalSignOutRequest) (*model.AdminUserGlobalSignOutResponse, error) {
	err := s.inTx(ctx, func(tx store.Tx) error {
		p, u, err := s.findUser(ctx, tx, *in.UserPoolId, *in.Username)
		if err != nil {
			return err
		}
		_, err = tx.RevokeUserRefreshTokens(ctx, p.rec.ID, u.UsernameKey, s.now())
		return err
	})
	if err != nil {
		return nil, err
	}
	return &model.AdminUserGlobalSignOutResponse{}, nil
}

// RevokeToken revokes one refresh token (and its session's access tokens).
func (s *Service) RevokeToken(ctx context.Context, in *model.RevokeTokenRequest) (*model.RevokeTokenResponse, error) {
	p, c, err := s.publicClient(ctx, *in.ClientId)
	if err != nil {
		return nil, err
	}
	if c.hasSecret() {
		secret, err := s.clientSecret(c)
		if err != nil {
			return nil, err
		}
		if in.ClientSecret == nil || *in.ClientSecret != secret {
			return nil, apierr.NotAuthorized("Client %s is configured for secret but secret was not received", c.rec.ID)
		}
	}
	rt, err := s.st.GetRefreshToken(ctx, refreshHash(*in.Token))
	if errors.Is(err, store.ErrNotFound) || (err == nil && (rt.PoolID != p.rec.ID || rt.ClientID != c.rec.ID)) {
		return &model.RevokeTokenResponse{}, nil // unknown tokens: success, as RFC 7009 and Cognito answer
	}
	if err != nil {
		return nil, err
	}
	if err := s.st.RevokeRefreshToken(ctx, rt.Hash, s.now()); err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	return &model.RevokeTokenResponse{}, nil
}

func (s *Service) GetTokensFromRefreshToken(ctx context.Context, in *model.GetTokensFromRefreshTokenRequest) (*model.GetTokensFromRefreshTokenResponse, error) {
	p, c, err := s.publicClient(ctx, *in.ClientId)
	if err != nil {
		return nil, err
	}
	if c.hasSecret() {
		secret, err := s.clientSecret(c)
		if err != nil {
			return nil, err
		}
		if in.ClientSecret == nil || *in.ClientSecret != secret {
			return nil, apierr.NotAuthorized("Unable to verify secret for client %s", c.rec.ID)
		}
	}
	res, err := s.refresh(ctx, p, c, *in.RefreshToken, nil, "", in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	return &model.GetTokensFromRefreshTokenResponse{AuthenticationResult: res}, nil
}
