package userpool

import (
	"context"
	"slices"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/model"
)

// maxCustomAttributes is Cognito's limit of custom attributes per pool.
const maxCustomAttributes = 50

// standardSchema is the SchemaAttributes list of a pool created through the API without a
// Schema: 20 attributes in this order (aws-cli create-user-pool example, a captured 2023
// DescribeUserPool, the CreateUserPool API reference). `identities` appears only on pools
// created in the console.
func standardSchema() []model.SchemaAttributeType {
	str := func(name string, mutable, required bool, minLen, maxLen string) model.SchemaAttributeType {
		return model.SchemaAttributeType{
			Name: ptr(name), AttributeDataType: ptr(model.AttributeDataTypeString), DeveloperOnlyAttribute: ptr(false),
			Mutable: ptr(mutable), Required: ptr(required),
			StringAttributeConstraints: &model.StringAttributeConstraintsType{MinLength: ptr(minLen), MaxLength: ptr(maxLen)},
		}
	}
	boolean := func(name string) model.SchemaAttributeType {
		return model.SchemaAttributeType{
			Name: ptr(name), AttributeDataType: ptr(model.AttributeDataTypeBoolean), DeveloperOnlyAttribute: ptr(false),
			Mutable: ptr(true), Required: ptr(false),
		}
	}
	text := func(name string) model.SchemaAttributeType { return str(name, true, false, "0", "2048") }
	return []model.SchemaAttributeType{
		str("sub", false, true, "1", "2048"),
		text("name"), text("given_name"), text("family_name"), text("middle_name"), text("nickname"),
		text("preferred_username"), text("profile"), text("picture"), text("website"), text("email"),
		boolean("email_verified"),
		text("gender"),
		str("birthdate", true, false, "10", "10"),
		text("zoneinfo"), text("locale"), text("phone_number"),
		boolean("phone_number_verified"),
		text("address"),
		{
			Name: ptr("updated_at"), AttributeDataType: ptr(model.AttributeDataTypeNumber), DeveloperOnlyAttribute: ptr(false),
			Mutable: ptr(true), Required: ptr(false),
			NumberAttributeConstraints: &model.NumberAttributeConstraintsType{MinValue: ptr("0")},
		},
	}
}

// buildSchema merges a CreateUserPool Schema into the standard one: entries naming a standard
// attribute adjust it (Required, Mutable, string lengths), the others become custom attributes.
func buildSchema(entries []model.SchemaAttributeType) ([]model.SchemaAttributeType, error) {
	schema := standardSchema()
	return addCustom(schema, entries, true)
}

// addCustom applies entries to schema. With standardAllowed, an entry may adjust a standard
// attribute; otherwise (AddCustomAttributes) every entry is a new custom attribute.
func addCustom(schema, entries []model.SchemaAttributeType, standardAllowed bool) ([]model.SchemaAttributeType, error) {
	custom := 0
	for _, a := range schema {
		if a.Name != nil && !isStandard(*a.Name) {
			custom++
		}
	}
	for _, e := range entries {
		name := ""
		if e.Name != nil {
			name = *e.Name
		}
		if standardAllowed && isStandard(name) && !isVerifiedFlag(name) {
			if err := adjustStandard(schema, e); err != nil {
				return nil, err
			}
			continue
		}
		attr, err := customAttribute(e)
		if err != nil {
			return nil, err
		}
		if i := slices.IndexFunc(schema, func(a model.SchemaAttributeType) bool { return sameCustomName(*a.Name, name) }); i >= 0 {
			// Captured AddCustomAttributes error (serverless-cognito-add-custom-attributes #3).
			return nil, apierr.InvalidParameter("custom:%s: Existing attribute already has name %s.", name, *schema[i].Name)
		}
		if custom++; custom > maxCustomAttributes {
			return nil, apierr.InvalidParameter("A user pool can have at most %d custom attributes.", maxCustomAttributes)
		}
		schema = append(schema, attr)
	}
	return schema, nil
}

func isStandard(name string) bool {
	return slices.ContainsFunc(standardSchema(), func(a model.SchemaAttributeType) bool { return *a.Name == name })
}

// isVerifiedFlag: Cognito treats email_verified / phone_number_verified in a Schema as custom
// attribute names (aws-cdk PR #14699).
func isVerifiedFlag(name string) bool {
	return name == "email_verified" || name == "phone_number_verified"
}

func sameCustomName(existing, name string) bool {
	return existing == "custom:"+name || existing == "dev:custom:"+name
}

// adjustStandard applies a Schema entry to a standard attribute: Required, Mutable and string
// lengths may change; the data type and developer-only flag may not.
func adjustStandard(schema []model.SchemaAttributeType, e model.SchemaAttributeType) error {
	i := slices.IndexFunc(schema, func(a model.SchemaAttributeType) bool { return *a.Name == *e.Name })
	a := &schema[i]
	if (e.AttributeDataType != nil && *e.AttributeDataType != *a.AttributeDataType) || (e.DeveloperOnlyAttribute != nil && *e.DeveloperOnlyAttribute) {
		return apierr.InvalidParameter("You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute %s", *e.Name)
	}
	// aws-cdk #8624: a Schema entry that omits Mutable makes the attribute immutable.
	a.Mutable = ptr(e.Mutable != nil && *e.Mutable)
	if e.Required != nil {
		a.Required = e.Required
	}
	if c := e.StringAttributeConstraints; c != nil && a.StringAttributeConstraints != nil {
		if c.MinLength != nil {
			a.StringAttributeConstraints.MinLength = c.MinLength
		}
		if c.MaxLength != nil {
			a.StringAttributeConstraints.MaxLength = c.MaxLength
		}
	}
	return nil
}

// customAttribute is the stored form of a custom attribute entry: `custom:<name>`, or
// `dev:custom:<name>` when developer-only (API reference examples), constraints echoed as given.
func customAttribute(e model.SchemaAttributeType) (model.SchemaAttributeType, error) {
	if e.Required != nil && *e.Required {
		// trek10inc/serverless-cognito-manager #4.
		return e, apierr.InvalidParameter("Required custom attributes are not supported currently.")
	}
	a := model.SchemaAttributeType{
		AttributeDataType:      e.AttributeDataType,
		DeveloperOnlyAttribute: ptr(e.DeveloperOnlyAttribute != nil && *e.DeveloperOnlyAttribute),
		Mutable:                ptr(e.Mutable != nil && *e.Mutable),
		Required:               ptr(false),
	}
	if a.AttributeDataType == nil {
		a.AttributeDataType = ptr(model.AttributeDataTypeString)
	}
	a.Name = ptr("custom:" + *e.Name)
	if *a.DeveloperOnlyAttribute {
		a.Name = ptr("dev:custom:" + *e.Name)
	}
	switch *a.AttributeDataType {
	case model.AttributeDataTypeString:
		a.StringAttributeConstraints = e.StringAttributeConstraints
		if a.StringAttributeConstraints == nil {
			a.StringAttributeConstraints = &model.StringAttributeConstraintsType{}
		}
	case model.AttributeDataTypeNumber:
		a.NumberAttributeConstraints = e.NumberAttributeConstraints
	}
	return a, nil
}

func (s *Service) AddCustomAttributes(ctx context.Context, in *model.AddCustomAttributesRequest) (*model.AddCustomAttributesResponse, error) {
	_, err := s.modifyPool(ctx, *in.UserPoolId, func(p *pool) error {
		schema, err := addCustom(p.doc.Pool.SchemaAttributes, in.CustomAttributes, false)
		if err != nil {
			return err
		}
		p.doc.Pool.SchemaAttributes = schema
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &model.AddCustomAttributesResponse{}, nil
}
