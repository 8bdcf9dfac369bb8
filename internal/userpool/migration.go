package userpool

import (
	"context"
	"errors"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/passhash"
	"github.com/cgip/cgip/internal/store"
	"github.com/cgip/cgip/internal/triggers"
)

// migrateUser asks the pool's UserMigration function about a username cgip does not know
// (UserMigration_Authentication with the password, UserMigration_ForgotPassword without) and
// creates the user from its answer: the attributes it returns, finalUserStatus (CONFIRMED, or
// RESET_REQUIRED by default) and, on sign-in, the password that was just given. It returns nil
// when the pool has no such function.
func (s *Service) migrateUser(ctx context.Context, p *pool, c *client, username, password, source string, meta map[string]string) (*store.User, error) {
	arn := s.lambdaARN(p, "UserMigration")
	if arn == "" {
		return nil, nil
	}
	// The event names the user as signed in; nothing exists yet, so only the name is known.
	h := s.header(ctx, p, &store.User{Username: username}, source, c.rec.ID)
	req := triggers.UserMigrationRequest{Password: password, ClientMetadata: meta}
	if source == triggers.SourceUserMigrationAuthentication {
		req.ValidationData, req.ClientMetadata = meta, nil
	}
	resp, err := s.triggers.UserMigration(ctx, arn, h, req)
	if err != nil {
		return nil, err
	}
	attrs := []model.AttributeType{}
	for k, v := range resp.UserAttributes {
		if k == "sub" || k == "username" {
			continue // Cognito makes a new sub; the username is the one signed in with
		}
		attrs = append(attrs, model.AttributeType{Name: ptr(k), Value: ptr(v)})
	}
	if attrs, err = p.usernameAttributes(username, attrs); err != nil {
		return nil, err
	}
	if err := p.checkAttributes(attrs, attrCreate); err != nil {
		return nil, err
	}
	u := p.newUser(username, attrs, s.now())
	u.Status = statusResetRequired
	if resp.FinalUserStatus == triggers.FinalUserStatusConfirmed {
		u.Status = statusConfirmed
	}
	if password != "" {
		if u.PasswordHash, err = passhash.Hash(password, s.hashParams); err != nil {
			return nil, err
		}
	}
	p.reindex(u)
	defer s.userCounts.forget(p.rec.ID) // after the commit
	err = s.inTx(ctx, func(tx store.Tx) error {
		if err := s.claimNames(ctx, tx, p, u, resp.ForceAliasCreation); err != nil {
			return err
		}
		return tx.CreateUser(ctx, u)
	})
	var ae *apierr.Error
	if errors.As(err, &ae) && ae.Code == "UsernameExistsException" {
		return p.lookup(ctx, s.st, username) // another request migrated the user first
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}
