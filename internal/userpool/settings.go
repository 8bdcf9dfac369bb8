package userpool

import (
	"net/url"
	"slices"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/model"
)

// applyPoolDefaults fills what DescribeUserPool shows for settings a request left out. The
// values are those of a pool created with only a name (a captured 2023 DescribeUserPool and the
// CreateUserPool API reference); AccountRecoverySetting, UsernameConfiguration and the legacy
// message fields stay absent unless set.
func applyPoolDefaults(up *model.UserPoolType) {
	if up.Policies == nil {
		up.Policies = &model.UserPoolPolicyType{}
	}
	if up.Policies.PasswordPolicy == nil {
		up.Policies.PasswordPolicy = &model.PasswordPolicyType{
			MinimumLength: ptr(int32(8)), RequireUppercase: ptr(true), RequireLowercase: ptr(true),
			RequireNumbers: ptr(true), RequireSymbols: ptr(true),
		}
	}
	pp := up.Policies.PasswordPolicy
	if pp.MinimumLength == nil {
		pp.MinimumLength = ptr(int32(8))
	}
	for _, b := range []**bool{&pp.RequireUppercase, &pp.RequireLowercase, &pp.RequireNumbers, &pp.RequireSymbols} {
		if *b == nil {
			*b = ptr(false)
		}
	}
	if pp.TemporaryPasswordValidityDays == nil {
		pp.TemporaryPasswordValidityDays = ptr(int32(7))
		// The legacy AdminCreateUserConfig.UnusedAccountValidityDays sets the same thing.
		if acc := up.AdminCreateUserConfig; acc != nil && acc.UnusedAccountValidityDays != nil {
			pp.TemporaryPasswordValidityDays = acc.UnusedAccountValidityDays
		}
	}
	if up.Policies.SignInPolicy == nil {
		up.Policies.SignInPolicy = &model.SignInPolicyType{AllowedFirstAuthFactors: []string{model.AuthFactorTypePassword}}
	}
	if up.DeletionProtection == nil {
		up.DeletionProtection = ptr(model.DeletionProtectionTypeInactive)
	}
	if up.LambdaConfig == nil {
		up.LambdaConfig = &model.LambdaConfigType{}
	}
	if up.VerificationMessageTemplate == nil {
		up.VerificationMessageTemplate = &model.VerificationMessageTemplateType{}
	}
	if up.VerificationMessageTemplate.DefaultEmailOption == nil {
		up.VerificationMessageTemplate.DefaultEmailOption = ptr(model.DefaultEmailOptionTypeConfirmWithCode)
	}
	if up.MfaConfiguration == nil {
		up.MfaConfiguration = ptr(model.UserPoolMfaTypeOff)
	}
	if up.EmailConfiguration == nil {
		up.EmailConfiguration = &model.EmailConfigurationType{}
	}
	if up.EmailConfiguration.EmailSendingAccount == nil {
		up.EmailConfiguration.EmailSendingAccount = ptr(model.EmailSendingAccountTypeCognitoDefault)
	}
	if up.AdminCreateUserConfig == nil {
		up.AdminCreateUserConfig = &model.AdminCreateUserConfigType{}
	}
	if up.AdminCreateUserConfig.AllowAdminCreateUserOnly == nil {
		up.AdminCreateUserConfig.AllowAdminCreateUserOnly = ptr(false)
	}
	if up.AdminCreateUserConfig.UnusedAccountValidityDays == nil {
		up.AdminCreateUserConfig.UnusedAccountValidityDays = pp.TemporaryPasswordValidityDays
	}
	if up.UserAttributeUpdateSettings == nil {
		up.UserAttributeUpdateSettings = &model.UserAttributeUpdateSettingsType{}
	}
	if up.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate == nil {
		up.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate = []string{}
	}
	if up.UserPoolTier == nil {
		up.UserPoolTier = ptr(model.UserPoolTierTypeEssentials)
	}
}

// checkPoolSettings enforces the rules Cognito applies beyond the model's constraints, with its
// texts (captured responses cited per rule).
func checkPoolSettings(up *model.UserPoolType, creating bool) error {
	// Book and ministack quote this text for CreateUserPool with both set.
	if len(up.AliasAttributes) > 0 && len(up.UsernameAttributes) > 0 {
		return apierr.InvalidParameter("Only one of aliasAttributes or usernameAttributes can be set in a user pool.")
	}
	// aws-sdk-js #3817.
	if pp := up.Policies; pp != nil && pp.PasswordPolicy != nil && pp.PasswordPolicy.TemporaryPasswordValidityDays != nil &&
		up.AdminCreateUserConfig != nil && up.AdminCreateUserConfig.UnusedAccountValidityDays != nil {
		return apierr.InvalidParameter("Please use TemporaryPasswordValidityDays in PasswordPolicy instead of UnusedAccountValidityDays")
	}
	// Captured CreateUserPool errors (aws-cdk #12075): CreateUserPool supports SMS MFA only.
	if creating && up.MfaConfiguration != nil && *up.MfaConfiguration != model.UserPoolMfaTypeOff && up.SmsConfiguration == nil {
		return apierr.InvalidParameter("SMS configuration and Auto verification for phone_number are required when MFA is required/optional")
	}
	if slices.Contains(up.AutoVerifiedAttributes, model.VerifiedAttributeTypePhoneNumber) && up.SmsConfiguration == nil {
		return apierr.InvalidParameter("SMS configuration is required when phone_number is selected for auto verification")
	}
	// aws-nuke #477: the attributes that need verification before an update must be auto-verified.
	if s := up.UserAttributeUpdateSettings; s != nil {
		for _, a := range s.AttributesRequireVerificationBeforeUpdate {
			if !slices.Contains(up.AutoVerifiedAttributes, a) {
				return apierr.InvalidParameter("All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes")
			}
		}
	}
	return nil
}

// Client token validity ranges (CreateUserPoolClient API reference): access and ID tokens
// 5 minutes to 1 day, refresh tokens 60 minutes to 10 years.
var tokenRanges = []struct {
	value func(*model.UserPoolClientType) *int32
	unit  func(*model.TokenValidityUnitsType) *string
	deflt string
	min   int64 // seconds
	max   int64
}{
	{func(c *model.UserPoolClientType) *int32 { return c.AccessTokenValidity },
		func(u *model.TokenValidityUnitsType) *string { return u.AccessToken }, model.TimeUnitsTypeHours, 5 * 60, 86400},
	{func(c *model.UserPoolClientType) *int32 { return c.IdTokenValidity },
		func(u *model.TokenValidityUnitsType) *string { return u.IdToken }, model.TimeUnitsTypeHours, 5 * 60, 86400},
	{func(c *model.UserPoolClientType) *int32 { return c.RefreshTokenValidity },
		func(u *model.TokenValidityUnitsType) *string { return u.RefreshToken }, model.TimeUnitsTypeDays, 3600, 10 * 365 * 86400},
}

var unitSeconds = map[string]int64{
	model.TimeUnitsTypeSeconds: 1, model.TimeUnitsTypeMinutes: 60, model.TimeUnitsTypeHours: 3600, model.TimeUnitsTypeDays: 86400,
}

var legacyAuthFlows = []string{
	model.ExplicitAuthFlowsTypeAdminNoSrpAuth, model.ExplicitAuthFlowsTypeCustomAuthFlowOnly, model.ExplicitAuthFlowsTypeUserPasswordAuth,
}

// checkClientSettings enforces Cognito's client rules beyond the model's constraints.
func checkClientSettings(c *model.UserPoolClientType) error {
	units := c.TokenValidityUnits
	if units == nil {
		units = &model.TokenValidityUnitsType{}
	}
	for _, r := range tokenRanges {
		v := r.value(c)
		if v == nil || (*v == 0 && r.deflt == model.TimeUnitsTypeDays) { // a refresh validity of 0 means the default
			continue
		}
		unit := r.deflt
		if u := r.unit(units); u != nil {
			unit = *u
		}
		if secs := int64(*v) * unitSeconds[unit]; secs < r.min || secs > r.max {
			// aws-samples/cloudfront-authorization-at-edge #144.
			return apierr.InvalidParameter("Invalid range for token validity.")
		}
	}
	legacy, current := 0, 0
	for _, f := range c.ExplicitAuthFlows {
		if slices.Contains(legacyAuthFlows, f) {
			legacy++
		} else {
			current++
		}
	}
	if legacy > 0 && current > 0 {
		// The API reference forbids the mix; no captured text was found (our wording).
		return apierr.InvalidParameter("The legacy ExplicitAuthFlows values ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY and USER_PASSWORD_AUTH cannot be combined with ALLOW_ values.")
	}
	for _, list := range [][]string{c.CallbackURLs, c.LogoutURLs} {
		for _, u := range list {
			if err := checkRedirectURL(u); err != nil {
				return err
			}
		}
	}
	if c.DefaultRedirectURI != nil {
		if err := checkRedirectURL(*c.DefaultRedirectURI); err != nil {
			return err
		}
		if !slices.Contains(c.CallbackURLs, *c.DefaultRedirectURI) {
			// Documented rule ("must be in the CallbackURLs list"); no captured text (our wording).
			return apierr.InvalidParameter("DefaultRedirectURI must be one of the CallbackURLs.")
		}
	}
	if (slices.Contains(c.AllowedOAuthFlows, model.OAuthFlowTypeCode) || slices.Contains(c.AllowedOAuthFlows, model.OAuthFlowTypeImplicit)) && len(c.CallbackURLs) == 0 {
		// cisagov/crossfeed #440.
		return apierr.InvalidOAuthFlow("CallbackUrls can not be empty when code flow or implicit flow is selected")
	}
	return nil
}

// applyClientDefaults fills what DescribeUserPoolClient shows for a client created with only a
// name (captured boto3 fixture; terraform acceptance tests): PreventUserExistenceErrors and
// ExplicitAuthFlows stay absent (they then behave as LEGACY and the documented default flows).
func applyClientDefaults(c *model.UserPoolClientType) {
	if c.RefreshTokenValidity == nil || *c.RefreshTokenValidity == 0 {
		c.RefreshTokenValidity = ptr(int32(30))
	}
	if c.TokenValidityUnits == nil {
		c.TokenValidityUnits = &model.TokenValidityUnitsType{}
	}
	if c.AllowedOAuthFlowsUserPoolClient == nil {
		c.AllowedOAuthFlowsUserPoolClient = ptr(false)
	}
	if c.EnableTokenRevocation == nil {
		c.EnableTokenRevocation = ptr(true)
	}
	if c.EnablePropagateAdditionalUserContextData == nil {
		c.EnablePropagateAdditionalUserContextData = ptr(false)
	}
	if c.AuthSessionValidity == nil {
		c.AuthSessionValidity = ptr(int32(3))
	}
}

// checkRedirectURL applies the documented rule for callback and sign-out URLs: absolute,
// no fragment, HTTPS except for loopback hosts (http://localhost, http://127.0.0.1,
// http://[::1]); custom app schemes (myapp://) are allowed. No captured text (our wording).
func checkRedirectURL(raw string) error {
	u, err := url.Parse(raw)
	bad := err != nil || u.Scheme == "" || u.Fragment != "" || (u.Scheme == "https" && u.Host == "")
	if !bad && u.Scheme == "http" {
		switch u.Hostname() {
		case "localhost", "127.0.0.1", "::1":
		default:
			bad = true
		}
	}
	if bad {
		return apierr.InvalidParameter("Invalid redirect URL %s: it must be absolute, without a fragment, and use HTTPS unless its host is localhost, 127.0.0.1 or [::1].", raw)
	}
	return nil
}
