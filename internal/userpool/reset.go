package userpool

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/courier"
	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/passhash"
	"github.com/cgip/cgip/internal/store"
	"github.com/cgip/cgip/internal/triggers"
)

const resetPurpose = "reset"

// Texts of SPEC-password-reset sections 1 and 3.
const (
	msgAdminOnly      = "Contact administrator to reset password."
	msgCannotReset    = "User password cannot be reset in the current state."
	msgNoChannel      = "Cannot reset password for the user as there is no registered/verified email or phone_number"
	msgAttemptLimit   = "Attempt limit exceeded, please try after some time."
	msgUnknownForPool = "Username/client id combination not found."
)

// recovery is how a reset code reaches a user.
type recovery struct {
	channel, attr, to string
}

// recoveryChannel picks the channel per SPEC section 4: the pool's AccountRecoverySetting in
// priority order (the first mechanism the user has verified), or without one, verified phone
// then verified email. adminOnly reports an admin_only setting.
func (p *pool) recoveryChannel(u *store.User) (r recovery, adminOnly, ok bool) {
	email := recovery{courier.Email, "email", u.Attributes["email"]}
	phone := recovery{courier.SMS, "phone_number", u.Attributes["phone_number"]}
	verified := func(r recovery) bool { return r.to != "" && u.Attributes[r.attr+"_verified"] == "true" }
	order := []recovery{phone, email}
	if ars := p.doc.Pool.AccountRecoverySetting; ars != nil && len(ars.RecoveryMechanisms) > 0 {
		mechs := slices.Clone(ars.RecoveryMechanisms)
		slices.SortFunc(mechs, func(a, b model.RecoveryOptionType) int { return int(*a.Priority - *b.Priority) })
		order = order[:0]
		for _, m := range mechs {
			switch *m.Name {
			case model.RecoveryOptionNameTypeAdminOnly:
				if len(order) == 0 {
					return recovery{}, true, false
				}
			case model.RecoveryOptionNameTypeVerifiedEmail:
				order = append(order, email)
			case model.RecoveryOptionNameTypeVerifiedPhoneNumber:
				order = append(order, phone)
			}
		}
	}
	for _, r := range order {
		if verified(r) {
			return r, false, true
		}
	}
	return recovery{}, false, false
}

// details is the CodeDeliveryDetails of a code sent through r, masked as Cognito masks.
func (r recovery) details() *model.CodeDeliveryDetailsType {
	dest := courier.MaskEmail(r.to)
	if r.channel == courier.SMS {
		dest = courier.MaskPhone(r.to)
	}
	return &model.CodeDeliveryDetailsType{Destination: ptr(dest), DeliveryMedium: ptr(r.channel), AttributeName: ptr(r.attr)}
}

// resetRefusal applies the checks of SPEC section 1 rows 4 to 7 (ForgotPassword: section 3)
// and returns the channel the code goes to.
func resetRefusal(p *pool, u *store.User, admin bool) (recovery, error) {
	r, adminOnly, ok := p.recoveryChannel(u)
	switch {
	case adminOnly:
		return r, apierr.NotAuthorized(msgAdminOnly)
	case !u.Enabled && admin:
		return r, apierr.NotAuthorized("User is disabled")
	case !u.Enabled:
		return r, apierr.NotAuthorized("User is disabled.")
	case u.Status == statusForceChangePassword || u.Status == statusExternalProvider || (admin && u.Status == statusUnconfirmed):
		return r, apierr.NotAuthorized(msgCannotReset)
	case !ok:
		return r, apierr.InvalidParameter(msgNoChannel)
	}
	return r, nil
}

// resetTemplate is the wording of a reset message: the pool's template, or what its
// CustomMessage function answers (CustomMessage_ForgotPassword). The function is asked before
// the transaction, after the checks it follows in the SPEC's order.
func (s *Service) resetTemplate(ctx context.Context, p *pool, username, clientID string, admin bool, meta map[string]string) (template, error) {
	t := p.verificationTemplate()
	if s.lambdaARN(p, "CustomMessage") == "" {
		return t, nil
	}
	u, err := p.lookup(ctx, s.st, username)
	if err != nil {
		return t, err
	}
	if _, err := resetRefusal(p, u, admin); err != nil {
		return t, err
	}
	return s.customized(ctx, p, u, srcForgotPassword, clientID, meta, t)
}

// AdminResetUserPassword: checks in the SPEC table's order; on success, in one transaction,
// the user becomes RESET_REQUIRED, the old password stops working, a new code is issued and its
// message queued. ClientMetadata goes to triggers only; it is never stored or logged.
func (s *Service) AdminResetUserPassword(ctx context.Context, in *model.AdminResetUserPasswordRequest) (*model.AdminResetUserPasswordResponse, error) {
	key, err := s.codeKey(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.getPool(ctx, s.st, *in.UserPoolId)
	if err != nil {
		return nil, err
	}
	t, err := s.resetTemplate(ctx, p, *in.Username, "", true, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	err = s.modifyPoolUser(ctx, p, *in.Username, func(tx store.Tx, p *pool, u *store.User) error {
		r, err := resetRefusal(p, u, true)
		if err != nil {
			return err
		}
		u.Status = statusResetRequired
		if err := s.issueCode(ctx, tx, key, p, u, resetPurpose, resetCodeTTL, r, "AdminResetUserPassword", t); err != nil {
			return err
		}
		return s.recoveryRate(p)
	})
	if err != nil {
		return nil, err
	}
	return &model.AdminResetUserPasswordResponse{}, nil
}

// ForgotPassword sends a reset code; the user's status does not change. With
// PreventUserExistenceErrors ENABLED an unknown user gets a plausible answer and nothing is sent.
func (s *Service) ForgotPassword(ctx context.Context, in *model.ForgotPasswordRequest) (*model.ForgotPasswordResponse, error) {
	p, c, key, err := s.codeRequest(ctx, *in.ClientId, *in.Username, in.SecretHash)
	if err != nil {
		return nil, err
	}
	defer s.evenOut(c, time.Now())
	if _, err := p.lookup(ctx, s.st, *in.Username); err != nil {
		var ae *apierr.Error
		if !errors.As(err, &ae) || ae.Code != "UserNotFoundException" {
			return nil, err
		}
		if _, err := s.migrateUser(ctx, p, c, *in.Username, "", triggers.SourceUserMigrationForgotPassword, in.ClientMetadata); err != nil {
			return nil, err
		}
	}
	t, err := s.resetTemplate(ctx, p, *in.Username, c.rec.ID, false, in.ClientMetadata)
	var ae0 *apierr.Error
	if err != nil && !(errors.As(err, &ae0) && ae0.Code == "UserNotFoundException") {
		return nil, err
	}
	var out *model.ForgotPasswordResponse
	err = s.inTx(ctx, func(tx store.Tx) error {
		u, err := p.lookup(ctx, tx, *in.Username)
		var ae *apierr.Error
		if errors.As(err, &ae) && ae.Code == "UserNotFoundException" {
			if c.preventsExistenceErrors() {
				out = &model.ForgotPasswordResponse{CodeDeliveryDetails: p.simulatedDelivery(*in.Username)}
				return nil
			}
			return apierr.UserNotFoundf(msgUnknownForPool)
		}
		if err != nil {
			return err
		}
		r, err := resetRefusal(p, u, false)
		if err != nil {
			return err
		}
		x, err := decodeExtra(u)
		if err != nil {
			return err
		}
		now := s.now()
		if x.ResetRequests = recent(x.ResetRequests, now); len(x.ResetRequests) >= maxCodeRequests {
			return apierr.LimitExceeded(msgAttemptLimit)
		}
		x.ResetRequests = append(x.ResetRequests, now)
		setExtra(u, x)
		if err := s.issueCode(ctx, tx, key, p, u, resetPurpose, resetCodeTTL, r, "ForgotPassword", t); err != nil {
			return err
		}
		if err := s.recoveryRate(p); err != nil {
			return err
		}
		p.reindex(u)
		u.UpdatedAt = now
		out = &model.ForgotPasswordResponse{CodeDeliveryDetails: r.details()}
		return tx.UpdateUser(ctx, u)
	})
	return out, err
}

// simulatedDelivery answers for a user that does not exist as if one did: the pool's first
// recovery channel, with a destination derived from the name (so repeated calls agree).
func (p *pool) simulatedDelivery(username string) *model.CodeDeliveryDetailsType {
	switch {
	case validEmail(username):
		return recovery{courier.Email, "email", username}.details()
	case looksLikePhone(username):
		return recovery{courier.SMS, "phone_number", username}.details()
	}
	fake := &store.User{Attributes: map[string]string{
		"email": string([]rune(username)[:1]) + "@example.com", "email_verified": "true",
		"phone_number": "+10000000000", "phone_number_verified": "true",
	}}
	r, _, ok := p.recoveryChannel(fake)
	if !ok {
		r = recovery{courier.Email, "email", fake.Attributes["email"]}
	}
	return r.details()
}

// ConfirmForgotPassword redeems a reset code (from ForgotPassword or AdminResetUserPassword):
// the policy is checked before the code (a refused password uses no attempt), wrong codes are
// counted (and committed) before comparing, and success replaces the password, makes the user
// CONFIRMED and revokes their refresh tokens.
func (s *Service) ConfirmForgotPassword(ctx context.Context, in *model.ConfirmForgotPasswordRequest) (*model.ConfirmForgotPasswordResponse, error) {
	p, c, key, err := s.codeRequest(ctx, *in.ClientId, *in.Username, in.SecretHash)
	if err != nil {
		return nil, err
	}
	defer s.evenOut(c, time.Now())
	if msg := p.passwordPolicy().Check(*in.Password); msg != "" {
		return nil, apierr.InvalidPassword("%s", msg)
	}
	hash, err := passhash.Hash(*in.Password, s.hashParams)
	if err != nil {
		return nil, err
	}
	if peek, err := p.lookup(ctx, s.st, *in.Username); err == nil && s.codeWouldPass(key, p, peek, resetPurpose, *in.ConfirmationCode) {
		if err := s.postConfirmation(ctx, p, peek, triggers.SourcePostConfirmationConfirmForgotPassword, c.rec.ID, in.ClientMetadata); err != nil {
			return nil, err
		}
	}
	var refusal error // decided inside the transaction, returned after it commits
	err = s.inTx(ctx, func(tx store.Tx) error {
		refusal = nil
		u, err := p.lookup(ctx, tx, *in.Username)
		var ae *apierr.Error
		if errors.As(err, &ae) && ae.Code == "UserNotFoundException" {
			if c.preventsExistenceErrors() {
				refusal = apierr.CodeMismatch()
				return nil
			}
			return apierr.UserNotFoundf(msgUnknownForPool)
		}
		if err != nil {
			return err
		}
		if err := s.redeemCode(key, p, u, resetPurpose, *in.ConfirmationCode, &refusal); err != nil {
			return err
		}
		now := s.now()
		if refusal == nil {
			if err := checkHistory(*in.Password, u, p.historySize()); err != nil {
				return err
			}
			pushHistory(u, p.historySize())
			u.PasswordHash = hash
			u.Status = statusConfirmed
			x, err := decodeExtra(u)
			if err != nil {
				return err
			}
			x.TemporaryPasswordIssuedAt = time.Time{}
			setExtra(u, x)
			if _, err := tx.RevokeUserRefreshTokens(ctx, p.rec.ID, u.UsernameKey, now); err != nil {
				return err
			}
		}
		p.reindex(u)
		u.UpdatedAt = now
		return tx.UpdateUser(ctx, u)
	})
	if err == nil {
		err = refusal
	}
	if err != nil {
		return nil, err
	}
	return &model.ConfirmForgotPasswordResponse{}, nil
}
