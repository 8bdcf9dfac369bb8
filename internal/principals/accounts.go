package principals

import (
	"context"
	"errors"

	"github.com/cgip/cgip/internal/iam"
	"github.com/cgip/cgip/internal/store"
)

// NewAccount is a created account and its root credential, shown only then.
type NewAccount struct {
	store.Account
	AccessKeyID, SecretAccessKey string
}

// CreateAccount creates another account with its own root credential. Only the root of the
// server's own account may: accounts are isolated from each other otherwise.
func (s *Service) CreateAccount(ctx context.Context, p *iam.Principal, name string) (*NewAccount, error) {
	if p == nil || !p.Root || p.AccountID != s.cfg.AccountID {
		arn := "<anonymous>"
		if p != nil {
			arn = p.ARN
		}
		return nil, &Error{Code: "AccessDenied", Status: 403,
			Message: "User: " + arn + " is not authorized to create accounts: only the root of account " + s.cfg.AccountID + " is"}
	}
	if err := validate(required("name", name), length("name", name, 1, 50)); err != nil {
		return nil, err
	}
	secret := NewSecretAccessKey()
	for {
		a := &store.Account{ID: newAccountID(), Name: name, CreatedAt: s.cfg.Now()}
		if a.ID == s.cfg.AccountID {
			continue
		}
		id := NewAccessKeyID()
		err := s.cfg.Store.InTx(ctx, func(tx store.Tx) error {
			if err := tx.CreateAccount(ctx, a); err != nil {
				return err
			}
			return tx.CreateAccessKey(ctx, &store.AccessKey{ID: id, AccountID: a.ID, Active: true, CreatedAt: a.CreatedAt,
				Secret: s.cfg.Sealer.Seal([]byte(secret), accessKeyLabel(id))})
		})
		if errors.Is(err, store.ErrConflict) {
			continue // an id collision: draw again
		}
		if err != nil {
			return nil, err
		}
		return &NewAccount{Account: *a, AccessKeyID: id, SecretAccessKey: secret}, nil
	}
}
