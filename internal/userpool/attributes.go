package userpool

import (
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/model"
)

// attrOp says which operation checks attributes: the texts differ between creation
// ("Attributes did not conform to the schema: ..." [captured amplify-js #5532]) and update
// ("Invalid user attributes: ..." [captured 2017 UpdateUserAttributes]).
type attrOp int

const (
	attrCreate attrOp = iota
	attrUpdate
)

// phonePattern is E.164 as Cognito documents it: a plus sign and up to 15 digits.
var phonePattern = regexp.MustCompile(`^\+[0-9]{1,15}$`)

// schemaAttr finds an attribute of the pool's schema.
func (p *pool) schemaAttr(name string) *model.SchemaAttributeType {
	for i := range p.doc.Pool.SchemaAttributes {
		if a := &p.doc.Pool.SchemaAttributes[i]; *a.Name == name {
			return a
		}
	}
	return nil
}

// checkAttributes validates attribute values against the pool's schema. Every violation of the
// schema is listed, each followed by a newline, as Cognito does; a malformed email or phone
// number has its own message.
func (p *pool) checkAttributes(attrs []model.AttributeType, op attrOp) error {
	var problems []string
	for _, a := range attrs {
		name, value := *a.Name, ""
		if a.Value != nil {
			value = *a.Value
		}
		if name == "sub" {
			// Captured text for setting sub.
			return apierr.InvalidParameter("Cannot modify the non-mutable attribute sub")
		}
		sa := p.schemaAttr(name)
		if sa == nil {
			if strings.HasPrefix(name, "custom:") && op == attrCreate {
				// 2025 captures of AdminCreateUser with an unknown custom attribute.
				return apierr.InvalidParameter("Attributes did not conform to the schema: Type for attribute {%s} could not be determined", name)
			}
			problems = append(problems, name+": Attribute does not exist in the schema.")
			continue
		}
		if op == attrUpdate && sa.Mutable != nil && !*sa.Mutable {
			problems = append(problems, name+": Attribute cannot be updated.")
			continue
		}
		if value == "" {
			continue // an empty value deletes the attribute (AdminUpdateUserAttributes docs)
		}
		if msg := checkValue(sa, value); msg != "" {
			problems = append(problems, name+": "+msg)
			continue
		}
		switch name {
		case "email":
			if !validEmail(value) {
				return apierr.InvalidParameter("Invalid email address format.")
			}
		case "phone_number":
			if !phonePattern.MatchString(value) {
				return apierr.InvalidParameter("Invalid phone number format.")
			}
		}
	}
	return schemaError(problems, op)
}

func schemaError(problems []string, op attrOp) error {
	if len(problems) == 0 {
		return nil
	}
	prefix := "Attributes did not conform to the schema: "
	if op == attrUpdate {
		prefix = "Invalid user attributes: "
	}
	return apierr.InvalidParameter("%s%s\n", prefix, strings.Join(problems, "\n"))
}

// checkValue applies the attribute's type and constraints; texts as captured
// ("String must be no shorter than 10 characters", "The attribute is not a valid boolean").
func checkValue(sa *model.SchemaAttributeType, v string) string {
	typ := model.AttributeDataTypeString
	if sa.AttributeDataType != nil {
		typ = *sa.AttributeDataType
	}
	switch typ {
	case model.AttributeDataTypeString:
		n := utf8.RuneCountInString(v)
		minLen, maxLen := 0, 2048
		if c := sa.StringAttributeConstraints; c != nil {
			minLen = atoiOr(c.MinLength, minLen)
			maxLen = atoiOr(c.MaxLength, maxLen)
		}
		if n < minLen {
			return fmt.Sprintf("String must be no shorter than %d characters", minLen)
		}
		if n > maxLen {
			return fmt.Sprintf("String must be no longer than %d characters", maxLen)
		}
	case model.AttributeDataTypeBoolean:
		if v != "true" && v != "false" {
			return "The attribute is not a valid boolean"
		}
	case model.AttributeDataTypeNumber:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return "The attribute is not a valid number" // our wording
		}
		if c := sa.NumberAttributeConstraints; c != nil {
			if c.MinValue != nil && f < float64(atoiOr(c.MinValue, 0)) {
				return "Number must be no less than " + *c.MinValue // our wording
			}
			if c.MaxValue != nil && f > float64(atoiOr(c.MaxValue, 0)) {
				return "Number must be no greater than " + *c.MaxValue // our wording
			}
		}
	}
	return ""
}

func atoiOr(s *string, d int) int {
	if s == nil {
		return d
	}
	if n, err := strconv.Atoi(*s); err == nil {
		return n
	}
	return d
}

// validEmail accepts a bare address (local@domain, no display name or comments).
func validEmail(v string) bool {
	a, err := mail.ParseAddress(v)
	return err == nil && a.Address == v && a.Name == "" && strings.Count(v, "@") == 1
}

// looksLikePhone is what makes a Username a phone number in username and alias checks.
func looksLikePhone(v string) bool { return phonePattern.MatchString(v) }
