package principals

import (
	"context"
	"errors"

	"github.com/cgip/cgip/internal/iam"
	"github.com/cgip/cgip/internal/store"
)

// The two ways a pool's SMS role can fail Cognito's checks.
var (
	// ErrSMSRoleTrust: no such role in the account, or its trust policy does not let
	// cognito-idp.amazonaws.com assume it (with the pool's ExternalId).
	ErrSMSRoleTrust = errors.New("sms role: no trust relationship for cognito-idp.amazonaws.com")
	// ErrSMSRoleAccess: the role's policies do not allow sns:Publish.
	ErrSMSRoleAccess = errors.New("sms role: sns:Publish not allowed")
)

// CognitoServicePrincipal is the service principal Cognito assumes SMS roles as.
const CognitoServicePrincipal = "cognito-idp.amazonaws.com"

// CheckSMSRole checks a pool's SmsConfiguration.SnsCallerArn as Cognito does before it
// creates or updates the pool and before it sends an SMS (Cognito Developer Guide, "SMS
// message settings for Amazon Cognito user pools"): the role is in the pool's account, trusts
// cognito-idp.amazonaws.com (with sts:ExternalId equal to externalID when one is set), and its
// policies allow sns:Publish. It reads through tx, the caller's transaction.
func (s *Service) CheckSMSRole(ctx context.Context, tx store.Tx, accountID, roleARN, externalID string) error {
	account, path, name, ok := parseRoleARN(roleARN)
	if !ok || account != accountID {
		return ErrSMSRoleTrust
	}
	role, err := tx.GetRole(ctx, account, name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && role.Path != path) {
		return ErrSMSRoleTrust
	}
	if err != nil {
		return err
	}
	trust := s.policies.get(role.TrustPolicy, true)
	req := iam.Request{Action: "sts:AssumeRole", Context: map[string][]string{}}
	if externalID != "" {
		req.Context["sts:ExternalId"] = []string{externalID}
	}
	if trust == nil || iam.EvaluateTrust(trust, []string{"Service:" + CognitoServicePrincipal}, req) != iam.Allow {
		return ErrSMSRoleTrust
	}
	rolePrincipal := &iam.Principal{AccountID: account, ARN: assumedRoleARN(account, role.Name, "CognitoSMS"),
		Kind: iam.KindRole, Name: role.Name, UserID: role.ID + ":CognitoSMS"}
	policies, err := s.policiesOf(ctx, tx, rolePrincipal)
	if err != nil {
		return err
	}
	d := s.authz.Decide(ctx, rolePrincipal, policies, "sns:Publish", "*")
	if d != iam.Allow {
		return ErrSMSRoleAccess
	}
	return nil
}
