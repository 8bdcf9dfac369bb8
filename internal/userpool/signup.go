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
	"github.com/cgip/cgip/internal/passpolicy"
	"github.com/cgip/cgip/internal/store"
	"github.com/cgip/cgip/internal/triggers"
)

const (
	signUpPurpose = "signup"
	signUpCodeTTL = 24 * time.Hour // sign-up codes are valid for 24 hours (ISSUE 5)
)

// autoVerifyChannel is where a sign-up code goes: the first auto-verified attribute the user has
// (email before phone, as Cognito prefers email when both are auto-verified).
func (p *pool) autoVerifyChannel(u *store.User) (recovery, bool) {
	auto := p.doc.Pool.AutoVerifiedAttributes
	for _, r := range []recovery{{courier.Email, "email", u.Attributes["email"]}, {courier.SMS, "phone_number", u.Attributes["phone_number"]}} {
		if r.to != "" && slices.Contains(auto, r.attr) {
			return r, true
		}
	}
	return recovery{}, false
}

// SignUp creates an UNCONFIRMED user and sends a confirmation code to an auto-verified
// attribute. Password texts use SignUp's own prefix ("did not conform with policy").
func (s *Service) SignUp(ctx context.Context, in *model.SignUpRequest) (*model.SignUpResponse, error) {
	p, c, key, err := s.codeRequest(ctx, *in.ClientId, *in.Username, in.SecretHash)
	if err != nil {
		return nil, err
	}
	if in.Password == nil {
		return nil, apierr.InvalidParameter("1 validation error detected: Value at 'password' failed to satisfy constraint: Member must not be null")
	}
	if reason := p.passwordPolicy().Reason(*in.Password); reason != "" {
		return nil, apierr.InvalidPassword("%s%s", passpolicy.PrefixSignUp, reason)
	}
	attrs, err := p.usernameAttributes(*in.Username, in.UserAttributes)
	if err != nil {
		return nil, err
	}
	if err := p.checkAttributes(attrs, attrCreate); err != nil {
		return nil, err
	}
	var missing []string
	for _, a := range p.doc.Pool.SchemaAttributes {
		if a.Required != nil && *a.Required && *a.Name != "sub" && !slices.ContainsFunc(attrs, func(x model.AttributeType) bool { return *x.Name == *a.Name && x.Value != nil && *x.Value != "" }) {
			missing = append(missing, *a.Name+": The attribute is required")
		}
	}
	if err := schemaError(missing, attrCreate); err != nil {
		return nil, err
	}
	hash, err := passhash.Hash(*in.Password, s.hashParams)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := p.newUser(*in.Username, attrs, now)
	u.Status, u.PasswordHash = statusUnconfirmed, hash
	// Self-registered users cannot claim verified attributes.
	delete(u.Attributes, "email_verified")
	delete(u.Attributes, "phone_number_verified")
	p.reindex(u)
	if err := s.preSignUp(ctx, p, u, triggers.SourcePreSignUpSignUp, c.rec.ID, in.ValidationData, in.ClientMetadata); err != nil {
		return nil, err
	}
	t := p.verificationTemplate()
	if u.Status == statusUnconfirmed {
		if t, err = s.customized(ctx, p, u, srcSignUp, c.rec.ID, in.ClientMetadata, t); err != nil {
			return nil, err
		}
	}
	out := &model.SignUpResponse{UserConfirmed: ptr(u.Status == statusConfirmed), UserSub: ptr(u.Sub)}
	defer s.userCounts.forget(p.rec.ID) // after the commit
	err = s.inTx(ctx, func(tx store.Tx) error {
		if err := s.claimNames(ctx, tx, p, u, false); err != nil {
			var ae *apierr.Error
			if errors.As(err, &ae) && ae.Message == "User account already exists" {
				return apierr.UsernameExists("User already exists")
			}
			return err
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		r, ok := p.autoVerifyChannel(u)
		if !ok || u.Status != statusUnconfirmed {
			return nil // nothing to confirm, or PreSignUp confirmed the user
		}
		if err := s.issueCode(ctx, tx, key, p, u, signUpPurpose, signUpCodeTTL, r, "SignUp", t); err != nil {
			return err
		}
		out.CodeDeliveryDetails = r.details()
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ConfirmSignUp redeems a sign-up code: the user becomes CONFIRMED and the attribute the code
// went to becomes verified.
func (s *Service) ConfirmSignUp(ctx context.Context, in *model.ConfirmSignUpRequest) (*model.ConfirmSignUpResponse, error) {
	p, c, key, err := s.codeRequest(ctx, *in.ClientId, *in.Username, in.SecretHash)
	if err != nil {
		return nil, err
	}
	if peek, err := p.lookup(ctx, s.st, *in.Username); err == nil && peek.Status == statusUnconfirmed &&
		s.codeWouldPass(key, p, peek, signUpPurpose, *in.ConfirmationCode) {
		if r, ok := p.autoVerifyChannel(peek); ok {
			peek.Attributes[r.attr+"_verified"] = "true"
		}
		if err := s.postConfirmation(ctx, p, peek, triggers.SourcePostConfirmationConfirmSignUp, c.rec.ID, in.ClientMetadata); err != nil {
			return nil, err
		}
	}
	var refusal error
	err = s.inTx(ctx, func(tx store.Tx) error {
		refusal = nil
		u, err := s.publicUser(ctx, tx, p, c, *in.Username, &refusal)
		if u == nil || err != nil {
			return err
		}
		if u.Status != statusUnconfirmed {
			return apierr.NotAuthorized("User cannot be confirmed. Current status is %s", u.Status)
		}
		if err := s.redeemCode(key, p, u, signUpPurpose, *in.ConfirmationCode, &refusal); err != nil {
			return err
		}
		if refusal == nil {
			u.Status = statusConfirmed
			if r, ok := p.autoVerifyChannel(u); ok {
				u.Attributes[r.attr+"_verified"] = "true"
			}
			p.reindex(u)
			if err := s.checkAliases(ctx, tx, p, u); err != nil {
				return err
			}
		}
		u.UpdatedAt = s.now()
		return tx.UpdateUser(ctx, u)
	})
	if err == nil {
		err = refusal
	}
	if err != nil {
		return nil, err
	}
	return &model.ConfirmSignUpResponse{}, nil
}

func (s *Service) ResendConfirmationCode(ctx context.Context, in *model.ResendConfirmationCodeRequest) (*model.ResendConfirmationCodeResponse, error) {
	p, c, key, err := s.codeRequest(ctx, *in.ClientId, *in.Username, in.SecretHash)
	if err != nil {
		return nil, err
	}
	t := p.verificationTemplate()
	if known, err := p.lookup(ctx, s.st, *in.Username); err == nil && known.Status == statusUnconfirmed {
		if t, err = s.customized(ctx, p, known, srcResendCode, c.rec.ID, in.ClientMetadata, t); err != nil {
			return nil, err
		}
	}
	var out *model.ResendConfirmationCodeResponse
	var refusal error
	err = s.inTx(ctx, func(tx store.Tx) error {
		u, err := s.publicUser(ctx, tx, p, c, *in.Username, &refusal)
		if u == nil || err != nil {
			return err
		}
		if u.Status != statusUnconfirmed {
			return apierr.InvalidParameter("User is already confirmed.")
		}
		r, ok := p.autoVerifyChannel(u)
		if !ok {
			return apierr.InvalidParameter("Auto verification not turned on.")
		}
		if err := s.issueCode(ctx, tx, key, p, u, signUpPurpose, signUpCodeTTL, r, "ResendCode", t); err != nil {
			return err
		}
		out = &model.ResendConfirmationCodeResponse{CodeDeliveryDetails: r.details()}
		return tx.UpdateUser(ctx, u)
	})
	if err == nil {
		err = refusal
	}
	return out, err
}

// publicUser finds the user a public request names. An unknown user is
// UserNotFoundException "Username/client id combination not found." (LEGACY clients), or with
// PreventUserExistenceErrors ENABLED the same CodeMismatchException a wrong code gets (through
// *refusal; u is nil then).
func (s *Service) publicUser(ctx context.Context, tx store.Tx, p *pool, c *client, username string, refusal *error) (*store.User, error) {
	u, err := p.lookup(ctx, tx, username)
	var ae *apierr.Error
	if errors.As(err, &ae) && ae.Code == "UserNotFoundException" {
		if c.preventsExistenceErrors() {
			*refusal = apierr.CodeMismatch()
			return nil, nil
		}
		return nil, apierr.UserNotFoundf(msgUnknownForPool)
	}
	return u, err
}
