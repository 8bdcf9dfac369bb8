package principals

import (
	"context"
	"errors"

	"github.com/cgip/cgip/internal/iam"
	"github.com/cgip/cgip/internal/store"
)

// maxAccessKeys is IAM's AccessKeysPerUser quota.
const maxAccessKeys = 2

// NewAccessKey is a created key: the only time its secret is shown.
type NewAccessKey struct {
	store.AccessKey
	SecretAccessKey string
}

// keyOwner resolves the userName parameter of the access-key actions: empty means the
// caller itself (an IAM user, or the account root).
func (s *Service) keyOwner(ctx context.Context, tx store.Tx, p *iam.Principal, userName string) (string, error) {
	if userName == "" {
		switch {
		case p.Root:
			return "", nil
		case p.Kind == iam.KindUser:
			userName = p.Name
		default:
			return "", errNoUserName
		}
	}
	if err := checkName("userName", userName, 128); err != nil {
		return "", err
	}
	u, err := s.user(ctx, tx, p.AccountID, userName)
	if err != nil {
		return "", err
	}
	return u.Name, nil
}

func keyResource(p *iam.Principal, owner string) string {
	if owner == "" {
		return p.ARN
	}
	return userARN(p.AccountID, "/", owner)
}

// CreateAccessKey creates an active key; its secret is sealed at rest.
func (s *Service) CreateAccessKey(ctx context.Context, p *iam.Principal, userName string) (*NewAccessKey, error) {
	if err := s.allow(ctx, p, "iam:CreateAccessKey", keyResource(p, userName)); err != nil {
		return nil, err
	}
	secret := NewSecretAccessKey()
	var k *store.AccessKey
	err := s.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		owner, err := s.keyOwner(ctx, tx, p, userName)
		if err != nil {
			return err
		}
		keys, err := tx.ListAccessKeys(ctx, p.AccountID, owner)
		if err != nil {
			return err
		}
		if len(keys) >= maxAccessKeys {
			return limitExceeded("Cannot exceed quota for AccessKeysPerUser: %d", maxAccessKeys)
		}
		id := NewAccessKeyID()
		k = &store.AccessKey{ID: id, AccountID: p.AccountID, UserName: owner, Active: true, CreatedAt: s.cfg.Now(),
			Secret: s.cfg.Sealer.Seal([]byte(secret), accessKeyLabel(id))}
		return tx.CreateAccessKey(ctx, k)
	})
	if err != nil {
		return nil, err
	}
	return &NewAccessKey{AccessKey: *k, SecretAccessKey: secret}, nil
}

// UpdateAccessKey makes a key Active or Inactive.
func (s *Service) UpdateAccessKey(ctx context.Context, p *iam.Principal, userName, id, status string) error {
	if err := validate(required("accessKeyId", id), length("accessKeyId", id, 16, 128),
		pattern("accessKeyId", id, accessKeyIDPattern, `[\w]+`)); err != nil {
		return err
	}
	if status != "Active" && status != "Inactive" {
		return validationError("status", status, "Member must satisfy enum value set: [Active, Inactive]")
	}
	return s.changeKey(ctx, p, "iam:UpdateAccessKey", userName, id, func(tx store.Tx, owner string) error {
		return tx.SetAccessKeyActive(ctx, p.AccountID, owner, id, status == "Active")
	})
}

// DeleteAccessKey deletes a key.
func (s *Service) DeleteAccessKey(ctx context.Context, p *iam.Principal, userName, id string) error {
	if err := validate(required("accessKeyId", id), length("accessKeyId", id, 16, 128),
		pattern("accessKeyId", id, accessKeyIDPattern, `[\w]+`)); err != nil {
		return err
	}
	return s.changeKey(ctx, p, "iam:DeleteAccessKey", userName, id, func(tx store.Tx, owner string) error {
		return tx.DeleteAccessKey(ctx, p.AccountID, owner, id)
	})
}

func (s *Service) changeKey(ctx context.Context, p *iam.Principal, action, userName, id string, change func(tx store.Tx, owner string) error) error {
	if err := s.allow(ctx, p, action, keyResource(p, userName)); err != nil {
		return err
	}
	return s.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		owner, err := s.keyOwner(ctx, tx, p, userName)
		if err != nil {
			return err
		}
		err = change(tx, owner)
		if errors.Is(err, store.ErrNotFound) {
			return noSuchEntity("The Access Key with id %s cannot be found.", id)
		}
		return err
	})
}

// ListAccessKeys lists a user's keys (the caller's own when userName is empty), oldest first.
func (s *Service) ListAccessKeys(ctx context.Context, p *iam.Principal, userName string) ([]store.AccessKey, error) {
	if err := s.allow(ctx, p, "iam:ListAccessKeys", keyResource(p, userName)); err != nil {
		return nil, err
	}
	var keys []store.AccessKey
	err := s.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		owner, err := s.keyOwner(ctx, tx, p, userName)
		if err != nil {
			return err
		}
		keys, err = tx.ListAccessKeys(ctx, p.AccountID, owner)
		return err
	})
	return keys, err
}
