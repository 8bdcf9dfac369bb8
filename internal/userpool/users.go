package userpool

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/courier"
	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/passhash"
	"github.com/cgip/cgip/internal/passpolicy"
	"github.com/cgip/cgip/internal/store"
	"github.com/cgip/cgip/internal/triggers"
)

// AdminCreateUser creates a user with a temporary password (FORCE_CHANGE_PASSWORD), or with
// MessageAction RESEND gives an existing FORCE_CHANGE_PASSWORD user a new one. The invitation
// is written to the outbox in the same transaction; the courier delivers it.
func (s *Service) AdminCreateUser(ctx context.Context, in *model.AdminCreateUserRequest) (*model.AdminCreateUserResponse, error) {
	p, err := s.getPool(ctx, s.st, *in.UserPoolId)
	if err != nil {
		return nil, err
	}
	resend := in.MessageAction != nil && *in.MessageAction == model.MessageActionTypeResend
	var attrs []model.AttributeType
	if !resend {
		if attrs, err = p.usernameAttributes(*in.Username, in.UserAttributes); err != nil {
			return nil, err
		}
		if err := p.checkAttributes(attrs, attrCreate); err != nil {
			return nil, err
		}
	}
	password, hash, err := s.temporaryPassword(p, in.TemporaryPassword)
	if err != nil {
		return nil, err
	}
	now := s.now()
	// The invitation's wording: the pool's template, or its CustomMessage function's answer
	// (CustomMessage_AdminCreateUser), asked before the transaction.
	invite := p.inviteTemplate()
	if !resend {
		if err := s.preSignUp(ctx, p, p.newUser(*in.Username, attrs, now), triggers.SourcePreSignUpAdminCreateUser, "", in.ValidationData, in.ClientMetadata); err != nil {
			return nil, err
		}
	}
	if in.MessageAction == nil || *in.MessageAction != model.MessageActionTypeSuppress {
		preview := p.newUser(*in.Username, attrs, now)
		if resend {
			if preview, err = p.lookup(ctx, s.st, *in.Username); err != nil {
				return nil, err
			}
		}
		if invite, err = s.customized(ctx, p, preview, srcAdminCreateUser, "", in.ClientMetadata, invite); err != nil {
			return nil, err
		}
	}
	var u *store.User
	defer s.userCounts.forget(p.rec.ID) // after the commit
	err = s.inTx(ctx, func(tx store.Tx) error {
		if resend {
			if u, err = p.lookup(ctx, tx, *in.Username); err != nil {
				return err
			}
			if u.Status != statusForceChangePassword {
				// Emulators agree on this text; no captured response was found.
				return apierr.UnsupportedUserState("Resend not possible. %s status is not FORCE_CHANGE_PASSWORD", u.Username)
			}
			u.PasswordHash = hash
			setExtra(u, userExtra{TemporaryPasswordIssuedAt: now})
			if err := tx.UpdateUser(ctx, u); err != nil {
				return err
			}
		} else {
			u = p.newUser(*in.Username, attrs, now)
			u.PasswordHash = hash
			setExtra(u, userExtra{TemporaryPasswordIssuedAt: now})
			if err := s.claimNames(ctx, tx, p, u, in.ForceAliasCreation != nil && *in.ForceAliasCreation); err != nil {
				return err
			}
			if err := tx.CreateUser(ctx, u); errors.Is(err, store.ErrNotFound) {
				return apierr.PoolNotFound(p.rec.ID)
			} else if err != nil {
				return err
			}
		}
		if in.MessageAction != nil && *in.MessageAction == model.MessageActionTypeSuppress {
			return nil
		}
		return s.queueInvitation(ctx, tx, p, u, in.DesiredDeliveryMediums, password, invite)
	})
	if err != nil {
		return nil, err
	}
	return &model.AdminCreateUserResponse{User: userView(u, nil)}, nil
}

// usernameAttributes applies the pool's username rules to a new user's Username and returns
// the attributes to store: in a UsernameAttributes pool the Username is the email or phone
// number (and becomes that attribute); in an alias pool it may not look like an alias.
// Texts are captured responses (boto3 #3836 and others).
func (p *pool) usernameAttributes(username string, attrs []model.AttributeType) ([]model.AttributeType, error) {
	email, phone := p.usernameAttr("email"), p.usernameAttr("phone_number")
	isEmail, isPhone := validEmail(username), looksLikePhone(username)
	switch {
	case email && phone && !isEmail && !isPhone:
		return nil, apierr.InvalidParameter("Username should be either an email or a phone number.")
	case email && !phone && !isEmail:
		return nil, apierr.InvalidParameter("Username should be an email.")
	case phone && !email && !isPhone:
		return nil, apierr.InvalidParameter("Username should be a phone number.")
	case email && isEmail:
		return withAttr(attrs, "email", username), nil
	case phone && isPhone:
		return withAttr(attrs, "phone_number", username), nil
	case p.hasAlias("email") && isEmail:
		return nil, apierr.InvalidParameter("Username cannot be of email format, since user pool is configured for email alias.")
	case p.hasAlias("phone_number") && isPhone:
		return nil, apierr.InvalidParameter("Username cannot be of phone number format, since user pool is configured for phone number alias.")
	}
	return attrs, nil
}

func withAttr(attrs []model.AttributeType, name, value string) []model.AttributeType {
	out := slices.DeleteFunc(slices.Clone(attrs), func(a model.AttributeType) bool { return *a.Name == name })
	return append(out, model.AttributeType{Name: ptr(name), Value: ptr(value)})
}

// newUser builds the record of a new user. In a UsernameAttributes pool the stored username is
// a UUID equal to the sub (captured AdminCreateUser responses).
func (p *pool) newUser(username string, attrs []model.AttributeType, now time.Time) *store.User {
	sub := uuid.NewString()
	if len(p.doc.Pool.UsernameAttributes) > 0 {
		username = sub
	}
	u := &store.User{
		PoolID: p.rec.ID, Username: username, UsernameKey: p.fold(username), Sub: sub,
		Enabled: true, Status: statusForceChangePassword, Attributes: map[string]string{},
		CreatedAt: now, UpdatedAt: now,
	}
	for _, a := range attrs {
		if a.Value != nil && *a.Value != "" {
			u.Attributes[*a.Name] = *a.Value
		}
	}
	p.reindex(u)
	return u
}

// temporaryPassword checks a given temporary password against the pool's policy, or generates
// one, and hashes it (outside any transaction: hashing is the slow part).
func (s *Service) temporaryPassword(p *pool, given *string) (password, hash string, err error) {
	pol := p.passwordPolicy()
	if given != nil {
		password = *given
		// AdminCreateUser words it "did not conform with password policy" (dataall #690).
		if reason := pol.Reason(password); reason != "" {
			return "", "", apierr.InvalidPassword("%s%s", passpolicy.PrefixAdminCreateUser, reason)
		}
	} else {
		password = pol.Generate()
	}
	hash, err = passhash.Hash(password, s.hashParams)
	return password, hash, err
}

// claimNames makes sure the user's username and aliases are free in the pool. A verified alias
// owned by someone else is moved (and marked unverified there) with force, else refused.
func (s *Service) claimNames(ctx context.Context, tx store.Tx, p *pool, u *store.User, force bool) error {
	if _, err := tx.GetUser(ctx, p.rec.ID, u.UsernameKey); err == nil {
		return apierr.UsernameExists("User account already exists")
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	for _, kind := range []string{"email", "phone_number", "preferred_username"} {
		value, ok := u.Aliases[kind]
		if !ok {
			continue
		}
		owner, err := tx.FindUserByAlias(ctx, p.rec.ID, kind, value)
		if errors.Is(err, store.ErrNotFound) || (err == nil && owner.UsernameKey == u.UsernameKey) {
			continue
		}
		if err != nil {
			return err
		}
		if p.usernameAttr(kind) {
			// In a pool that signs in with email or phone, that value is the username.
			return apierr.UsernameExists("An account with the given %s already exists.", kind)
		}
		if !force || kind == "preferred_username" {
			return apierr.AliasExists("An account with the given %s already exists.", kind)
		}
		// ForceAliasCreation: the alias moves; the old owner's attribute becomes unverified.
		owner.Attributes[kind+"_verified"] = "false"
		p.reindex(owner)
		if err := tx.UpdateUser(ctx, owner); err != nil {
			return err
		}
	}
	return nil
}

// queueInvitation writes the invitation (username and temporary password) to the outbox for
// each delivery medium. A requested medium without a destination is refused (captured: "No
// email provided but desired delivery medium was Email"). Without DesiredDeliveryMediums
// Cognito's default is SMS; cgip then uses email for users without a phone number (our choice,
// so that email-only users are not left without their password).
func (s *Service) queueInvitation(ctx context.Context, tx store.Tx, p *pool, u *store.User, mediums []string, password string, t template) error {
	if len(mediums) == 0 {
		switch {
		case u.Attributes["phone_number"] != "":
			mediums = []string{model.DeliveryMediumTypeSms}
		case u.Attributes["email"] != "":
			mediums = []string{model.DeliveryMediumTypeEmail}
		}
	}
	for _, medium := range mediums {
		channel, attr, word := courier.Email, "email", "Email"
		if medium == model.DeliveryMediumTypeSms {
			channel, attr, word = courier.SMS, "phone_number", "SMS"
		}
		if u.Attributes[attr] == "" {
			return apierr.InvalidParameter("No %s provided but desired delivery medium was %s", attr, word)
		}
		if err := s.send(ctx, tx, p, u, "AdminCreateUser", channel, t, password); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) AdminGetUser(ctx context.Context, in *model.AdminGetUserRequest) (*model.AdminGetUserResponse, error) {
	p, err := s.getPool(ctx, s.st, *in.UserPoolId)
	if err != nil {
		return nil, err
	}
	u, err := p.peek(ctx, s.st, *in.Username)
	if err != nil {
		return nil, err
	}
	return &model.AdminGetUserResponse{
		Username:             ptr(u.Username),
		UserAttributes:       attributeList(u, nil),
		UserCreateDate:       model.NewTime(u.CreatedAt),
		UserLastModifiedDate: model.NewTime(u.UpdatedAt),
		Enabled:              ptr(u.Enabled),
		UserStatus:           ptr(u.Status),
	}, nil
}

func (s *Service) AdminDeleteUser(ctx context.Context, in *model.AdminDeleteUserRequest) error {
	defer s.userCounts.forget(*in.UserPoolId) // after the commit
	return s.inTx(ctx, func(tx store.Tx) error {
		p, u, err := s.findUser(ctx, tx, *in.UserPoolId, *in.Username)
		if err != nil {
			return err
		}
		return tx.DeleteUser(ctx, p.rec.ID, u.UsernameKey)
	})
}

func (s *Service) AdminEnableUser(ctx context.Context, in *model.AdminEnableUserRequest) (*model.AdminEnableUserResponse, error) {
	return &model.AdminEnableUserResponse{}, s.setEnabled(ctx, *in.UserPoolId, *in.Username, true)
}

func (s *Service) AdminDisableUser(ctx context.Context, in *model.AdminDisableUserRequest) (*model.AdminDisableUserResponse, error) {
	return &model.AdminDisableUserResponse{}, s.setEnabled(ctx, *in.UserPoolId, *in.Username, false)
}

func (s *Service) setEnabled(ctx context.Context, poolID, username string, enabled bool) error {
	return s.modifyUser(ctx, poolID, username, func(_ store.Tx, p *pool, u *store.User) error {
		u.Enabled = enabled
		return nil
	})
}

// AdminConfirmSignUp confirms an UNCONFIRMED user; any other status is refused with the
// captured text "User cannot be confirmed. Current status is CONFIRMED".
func (s *Service) AdminConfirmSignUp(ctx context.Context, in *model.AdminConfirmSignUpRequest) (*model.AdminConfirmSignUpResponse, error) {
	err := s.modifyUser(ctx, *in.UserPoolId, *in.Username, func(_ store.Tx, p *pool, u *store.User) error {
		if u.Status != statusUnconfirmed {
			return apierr.NotAuthorized("User cannot be confirmed. Current status is %s", u.Status)
		}
		u.Status = statusConfirmed
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &model.AdminConfirmSignUpResponse{}, nil
}

// modifyUser is the read-modify-write of one user, in one transaction, retried when another
// writer changed the user in between. change may return an *apierr.Error to refuse.
func (s *Service) modifyUser(ctx context.Context, poolID, username string, change func(tx store.Tx, p *pool, u *store.User) error) error {
	p, err := s.getPool(ctx, s.st, poolID)
	if err != nil {
		return err
	}
	return s.modifyPoolUser(ctx, p, username, change)
}

// modifyPoolUser is modifyUser with the pool already read. The pool is read before the
// transaction, not in it: what a user's write depends on (case sensitivity, username and
// alias attributes) cannot change once a pool exists, and on SQLite everything inside a
// transaction waits for the one writer, so what can be done outside it is.
func (s *Service) modifyPoolUser(ctx context.Context, p *pool, username string, change func(tx store.Tx, p *pool, u *store.User) error) error {
	return s.inTx(ctx, func(tx store.Tx) error {
		u, err := p.lookup(ctx, tx, username)
		if err != nil {
			return err
		}
		if err := change(tx, p, u); err != nil {
			return err
		}
		p.reindex(u)
		u.UpdatedAt = s.now()
		return tx.UpdateUser(ctx, u)
	})
}

// inTx runs fn in a transaction, again when it lost an optimistic race.
func (s *Service) inTx(ctx context.Context, fn func(tx store.Tx) error) error {
	return retryOnConflict(ctx, func() error { return s.st.InTx(ctx, fn) })
}
