package userpool

import (
	"context"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/store"
)

// AdminUpdateUserAttributes sets attributes; an empty value deletes one. Changing the email or
// phone number makes it unverified unless the same request sets *_verified (captured:
// cognito-identity-js #322). A verified alias another user owns is refused.
func (s *Service) AdminUpdateUserAttributes(ctx context.Context, in *model.AdminUpdateUserAttributesRequest) (*model.AdminUpdateUserAttributesResponse, error) {
	err := s.modifyUser(ctx, *in.UserPoolId, *in.Username, func(tx store.Tx, p *pool, u *store.User) error {
		if err := p.checkAttributes(in.UserAttributes, attrUpdate); err != nil {
			return err
		}
		given := map[string]bool{}
		var problems []string
		for _, a := range in.UserAttributes {
			name := *a.Name
			given[name] = true
			if a.Value == nil || *a.Value == "" {
				if sa := p.schemaAttr(name); sa != nil && sa.Required != nil && *sa.Required {
					problems = append(problems, name+": Required attribute cannot be deleted.")
				}
				delete(u.Attributes, name)
				continue
			}
			old, had := u.Attributes[name]
			u.Attributes[name] = *a.Value
			if (name == "email" || name == "phone_number") && (!had || old != *a.Value) && !given[name+"_verified"] {
				u.Attributes[name+"_verified"] = "false"
			}
		}
		// A *_verified attribute later in the request wins over the reset above.
		for _, a := range in.UserAttributes {
			if n := *a.Name; (n == "email_verified" || n == "phone_number_verified") && a.Value != nil && *a.Value != "" {
				u.Attributes[n] = *a.Value
			}
		}
		if err := schemaError(problems, attrUpdate); err != nil {
			return err
		}
		p.reindex(u)
		return s.checkAliases(ctx, tx, p, u)
	})
	if err != nil {
		return nil, err
	}
	return &model.AdminUpdateUserAttributesResponse{}, nil
}

// checkAliases refuses an alias (verified email or phone, preferred_username) that another user
// owns, with the captured text "An account with the given email already exists.".
func (s *Service) checkAliases(ctx context.Context, tx store.Tx, p *pool, u *store.User) error {
	for kind, value := range u.Aliases {
		owner, err := tx.FindUserByAlias(ctx, p.rec.ID, kind, value)
		if err == nil && owner.UsernameKey != u.UsernameKey {
			if p.usernameAttr(kind) {
				return apierr.UsernameExists("An account with the given %s already exists.", kind)
			}
			return apierr.AliasExists("An account with the given %s already exists.", kind)
		}
	}
	return nil
}

func (s *Service) AdminDeleteUserAttributes(ctx context.Context, in *model.AdminDeleteUserAttributesRequest) (*model.AdminDeleteUserAttributesResponse, error) {
	err := s.modifyUser(ctx, *in.UserPoolId, *in.Username, func(_ store.Tx, p *pool, u *store.User) error {
		var problems []string
		for _, name := range in.UserAttributeNames {
			sa := p.schemaAttr(name)
			switch {
			case name == "sub":
				return apierr.InvalidParameter("Cannot modify the non-mutable attribute sub")
			case sa == nil:
				problems = append(problems, name+": Attribute does not exist in the schema.")
			case sa.Required != nil && *sa.Required:
				problems = append(problems, name+": Required attribute cannot be deleted.")
			case sa.Mutable != nil && !*sa.Mutable:
				problems = append(problems, name+": Attribute cannot be updated.")
			default:
				delete(u.Attributes, name)
			}
		}
		return schemaError(problems, attrUpdate)
	})
	if err != nil {
		return nil, err
	}
	return &model.AdminDeleteUserAttributesResponse{}, nil
}

// GetCSVHeader lists the columns of a user import file: the standard attributes but sub, the
// custom ones, then cognito:mfa_enabled and cognito:username (captured response).
func (s *Service) GetCSVHeader(ctx context.Context, in *model.GetCSVHeaderRequest) (*model.GetCSVHeaderResponse, error) {
	p, err := s.getPool(ctx, s.st, *in.UserPoolId)
	if err != nil {
		return nil, err
	}
	header := []string{}
	for _, a := range p.doc.Pool.SchemaAttributes {
		if *a.Name != "sub" {
			header = append(header, *a.Name)
		}
	}
	header = append(header, "cognito:mfa_enabled", "cognito:username")
	return &model.GetCSVHeaderResponse{UserPoolId: ptr(p.rec.ID), CSVHeader: header}, nil
}
