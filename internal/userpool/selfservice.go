package userpool

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/courier"
	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/store"
)

const verifyCodeTTL = 24 * time.Hour

func verifyPurpose(attr string) string { return "verify:" + attr }

// verifiable is the channel a verification code for attr (email or phone_number) goes to.
func verifiable(u *store.User, attr string) (recovery, error) {
	switch attr {
	case "email":
		if to := u.Attributes["email"]; to != "" {
			return recovery{courier.Email, "email", to}, nil
		}
	case "phone_number":
		if to := u.Attributes["phone_number"]; to != "" {
			return recovery{courier.SMS, "phone_number", to}, nil
		}
	default:
		return recovery{}, apierr.InvalidParameter("Invalid attribute name: %s", attr)
	}
	return recovery{}, apierr.InvalidParameter("The user does not have a value for the attribute %s.", attr)
}

// UpdateUserAttributes lets a signed-in user change their attributes; a changed email or phone
// number that the pool auto-verifies gets a verification code (CodeDeliveryDetailsList).
func (s *Service) UpdateUserAttributes(ctx context.Context, in *model.UpdateUserAttributesRequest) (*model.UpdateUserAttributesResponse, error) {
	key, err := s.codeKey(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.updateTemplate(ctx, in)
	if err != nil {
		return nil, err
	}
	out := &model.UpdateUserAttributesResponse{CodeDeliveryDetailsList: []model.CodeDeliveryDetailsType{}}
	err = s.withAccessToken(ctx, *in.AccessToken, func(tx store.Tx, p *pool, u *store.User) error {
		if err := p.checkAttributes(in.UserAttributes, attrUpdate); err != nil {
			return err
		}
		var changed []string
		for _, a := range in.UserAttributes {
			name := *a.Name
			if name == "email_verified" || name == "phone_number_verified" {
				return apierr.InvalidParameter("Invalid user attributes: %s: Attribute cannot be updated.\n", name)
			}
			if a.Value == nil || *a.Value == "" {
				delete(u.Attributes, name)
				continue
			}
			if old := u.Attributes[name]; old != *a.Value && (name == "email" || name == "phone_number") {
				u.Attributes[name+"_verified"] = "false"
				changed = append(changed, name)
			}
			u.Attributes[name] = *a.Value
		}
		p.reindex(u)
		if err := s.checkAliases(ctx, tx, p, u); err != nil {
			return err
		}
		for _, attr := range changed {
			if !slices.Contains(p.doc.Pool.AutoVerifiedAttributes, attr) {
				continue
			}
			r, err := verifiable(u, attr)
			if err != nil {
				return err
			}
			if err := s.issueCode(ctx, tx, key, p, u, verifyPurpose(attr), verifyCodeTTL, r, "UpdateUserAttribute", t); err != nil {
				return err
			}
			out.CodeDeliveryDetailsList = append(out.CodeDeliveryDetailsList, *r.details())
		}
		u.UpdatedAt = s.now()
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// updateTemplate is the wording of the verification code UpdateUserAttributes may send: when
// the pool has a CustomMessage function and an auto-verified email or phone number changes, the
// function is asked (CustomMessage_UpdateUserAttribute) with the attributes as they will be.
func (s *Service) updateTemplate(ctx context.Context, in *model.UpdateUserAttributesRequest) (template, error) {
	p, claims, err := s.accessClaims(ctx, *in.AccessToken)
	if err != nil {
		return template{}, err
	}
	t := p.verificationTemplate()
	peek, err := s.tokenUser(ctx, s.st, p, claims)
	if err != nil {
		return t, err
	}
	after := *peek
	after.Attributes = maps.Clone(peek.Attributes)
	changed := false
	for _, a := range in.UserAttributes {
		if a.Value == nil || *a.Value == "" {
			delete(after.Attributes, *a.Name)
			continue
		}
		if (*a.Name == "email" || *a.Name == "phone_number") && after.Attributes[*a.Name] != *a.Value &&
			slices.Contains(p.doc.Pool.AutoVerifiedAttributes, *a.Name) {
			changed = true
		}
		after.Attributes[*a.Name] = *a.Value
	}
	if !changed {
		return t, nil
	}
	return s.customized(ctx, p, &after, srcUpdateUserAttribute, "", in.ClientMetadata, t)
}

func (s *Service) GetUserAttributeVerificationCode(ctx context.Context, in *model.GetUserAttributeVerificationCodeRequest) (*model.GetUserAttributeVerificationCodeResponse, error) {
	key, err := s.codeKey(ctx)
	if err != nil {
		return nil, err
	}
	// The wording, from the CustomMessage function if the pool has one, before the transaction.
	p, claims, err := s.accessClaims(ctx, *in.AccessToken)
	if err != nil {
		return nil, err
	}
	peek, err := s.tokenUser(ctx, s.st, p, claims)
	if err != nil {
		return nil, err
	}
	t, err := s.customized(ctx, p, peek, srcVerifyUserAttribute, "", in.ClientMetadata, p.verificationTemplate())
	if err != nil {
		return nil, err
	}
	var out *model.GetUserAttributeVerificationCodeResponse
	err = s.withAccessToken(ctx, *in.AccessToken, func(tx store.Tx, p *pool, u *store.User) error {
		r, err := verifiable(u, *in.AttributeName)
		if err != nil {
			return err
		}
		if err := s.issueCode(ctx, tx, key, p, u, verifyPurpose(r.attr), verifyCodeTTL, r, "VerifyUserAttribute", t); err != nil {
			return err
		}
		out = &model.GetUserAttributeVerificationCodeResponse{CodeDeliveryDetails: r.details()}
		return tx.UpdateUser(ctx, u)
	})
	return out, err
}

// VerifyUserAttribute redeems a verification code: the attribute becomes verified (and, in an
// alias pool, an alias, if no one else verified it first).
func (s *Service) VerifyUserAttribute(ctx context.Context, in *model.VerifyUserAttributeRequest) (*model.VerifyUserAttributeResponse, error) {
	key, err := s.codeKey(ctx)
	if err != nil {
		return nil, err
	}
	var refusal error
	err = s.withAccessToken(ctx, *in.AccessToken, func(tx store.Tx, p *pool, u *store.User) error {
		refusal = nil
		r, err := verifiable(u, *in.AttributeName)
		if err != nil {
			return err
		}
		if err := s.redeemCode(key, p, u, verifyPurpose(r.attr), *in.Code, &refusal); err != nil {
			return err
		}
		if refusal == nil {
			u.Attributes[r.attr+"_verified"] = "true"
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
	return &model.VerifyUserAttributeResponse{}, nil
}

func (s *Service) DeleteUserAttributes(ctx context.Context, in *model.DeleteUserAttributesRequest) (*model.DeleteUserAttributesResponse, error) {
	err := s.withAccessToken(ctx, *in.AccessToken, func(tx store.Tx, p *pool, u *store.User) error {
		var problems []string
		for _, name := range in.UserAttributeNames {
			sa := p.schemaAttr(name)
			switch {
			case name == "sub" || sa == nil:
				problems = append(problems, name+": Attribute does not exist in the schema.")
			case sa.Required != nil && *sa.Required:
				problems = append(problems, name+": Required attribute cannot be deleted.")
			default:
				delete(u.Attributes, name)
			}
		}
		if err := schemaError(problems, attrUpdate); err != nil {
			return err
		}
		p.reindex(u)
		u.UpdatedAt = s.now()
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		return nil, err
	}
	return &model.DeleteUserAttributesResponse{}, nil
}

// DeleteUser lets a signed-in user delete themselves (their sessions go with them).
func (s *Service) DeleteUser(ctx context.Context, in *model.DeleteUserRequest) error {
	var poolID string
	defer func() { s.userCounts.forget(poolID) }() // after the commit
	return s.withAccessToken(ctx, *in.AccessToken, func(tx store.Tx, p *pool, u *store.User) error {
		poolID = p.rec.ID
		return tx.DeleteUser(ctx, p.rec.ID, u.UsernameKey)
	})
}
