package userpool

import (
	"context"
	"time"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/passhash"
	"github.com/cgip/cgip/internal/passpolicy"
	"github.com/cgip/cgip/internal/store"
)

// passwordPolicy is the pool's PasswordPolicyType as a checker.
func (p *pool) passwordPolicy() passpolicy.Policy {
	pp := p.doc.Pool.Policies.PasswordPolicy
	b := func(v *bool) bool { return v != nil && *v }
	pol := passpolicy.Policy{
		RequireUppercase: b(pp.RequireUppercase), RequireLowercase: b(pp.RequireLowercase),
		RequireNumbers: b(pp.RequireNumbers), RequireSymbols: b(pp.RequireSymbols),
	}
	if pp.MinimumLength != nil {
		pol.MinimumLength = int(*pp.MinimumLength)
	}
	return pol
}

// historySize is PasswordHistorySize (0 when unset).
func (p *pool) historySize() int {
	if n := p.doc.Pool.Policies.PasswordPolicy.PasswordHistorySize; n != nil {
		return int(*n)
	}
	return 0
}

// AdminSetUserPassword sets a permanent password (status CONFIRMED, also from RESET_REQUIRED
// and EXTERNAL_PROVIDER) or a temporary one (FORCE_CHANGE_PASSWORD).
func (s *Service) AdminSetUserPassword(ctx context.Context, in *model.AdminSetUserPasswordRequest) (*model.AdminSetUserPasswordResponse, error) {
	p, u, err := s.findUser(ctx, s.st, *in.UserPoolId, *in.Username)
	if err != nil {
		return nil, err
	}
	if msg := p.passwordPolicy().Check(*in.Password); msg != "" {
		return nil, apierr.InvalidPassword("%s", msg)
	}
	permanent := in.Permanent != nil && *in.Permanent
	if permanent {
		if err := checkHistory(*in.Password, u, p.historySize()); err != nil {
			return nil, err
		}
	}
	hash, err := passhash.Hash(*in.Password, s.hashParams)
	if err != nil {
		return nil, err
	}
	err = s.modifyUser(ctx, *in.UserPoolId, *in.Username, func(_ store.Tx, p *pool, u *store.User) error {
		if permanent {
			pushHistory(u, p.historySize())
		}
		u.PasswordHash = hash
		x, err := decodeExtra(u)
		if err != nil {
			return err
		}
		if permanent {
			u.Status = statusConfirmed
			x.TemporaryPasswordIssuedAt = time.Time{}
		} else {
			u.Status = statusForceChangePassword
			x.TemporaryPasswordIssuedAt = s.now()
		}
		setExtra(u, x)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &model.AdminSetUserPasswordResponse{}, nil
}

// pushHistory moves the current hash into the history, keeping n entries.
func pushHistory(u *store.User, n int) {
	if u.PasswordHash == "" {
		return
	}
	u.PasswordHistory = append([]string{u.PasswordHash}, u.PasswordHistory...)
	if len(u.PasswordHistory) > n {
		u.PasswordHistory = u.PasswordHistory[:n]
	}
}

// checkHistory refuses a password equal to the current one or one of the n-1 before it
// (PasswordHistorySize n). The text is our wording: no captured response was found.
func checkHistory(password string, u *store.User, n int) error {
	if n == 0 {
		return nil
	}
	recent := append([]string{u.PasswordHash}, u.PasswordHistory...)
	if len(recent) > n {
		recent = recent[:n]
	}
	for _, h := range recent {
		if h == "" {
			continue
		}
		if ok, _ := passhash.Verify(password, h); ok {
			return apierr.PasswordHistoryPolicyViolation("The password cannot be one of the last %d passwords of the user.", n)
		}
	}
	return nil
}
