package userpool

import (
	"context"
	"errors"
	"strings"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/principals"
	"github.com/cgip/cgip/internal/store"
)

// SMSRoles checks the IAM role a pool's SmsConfiguration names (internal/principals). tx is
// the caller's transaction: the check runs inside the ones that queue an SMS.
type SMSRoles interface {
	CheckSMSRole(ctx context.Context, tx store.Tx, accountID, roleARN, externalID string) error
}

// checkSMSRole applies Cognito's SMS role checks to a pool's SmsConfiguration, as
// CreateUserPool, UpdateUserPool and every SMS send do. Without SMSRoles (--dev) anything goes.
func (s *Service) checkSMSRole(ctx context.Context, tx store.Tx, accountID string, sms *model.SmsConfigurationType) error {
	if s.smsRoles == nil || sms == nil || sms.SnsCallerArn == nil {
		return nil
	}
	externalID := ""
	if sms.ExternalId != nil {
		externalID = *sms.ExternalId
	}
	err := s.smsRoles.CheckSMSRole(ctx, tx, accountID, *sms.SnsCallerArn, externalID)
	switch {
	case errors.Is(err, principals.ErrSMSRoleTrust):
		return apierr.InvalidSmsRoleTrustRelationship()
	case errors.Is(err, principals.ErrSMSRoleAccess):
		return apierr.InvalidSmsRoleAccessPolicy()
	}
	return err
}

// checkEmailIdentity applies the rule cgip has for a DEVELOPER pool's SES identity: it must be
// an SES identity ARN of the pool's own account (cgip has no SES sending-authorization
// policies to grant another account's identity).
func checkEmailIdentity(accountID string, ec *model.EmailConfigurationType) error {
	if ec == nil || ec.SourceArn == nil || ec.EmailSendingAccount == nil || *ec.EmailSendingAccount != model.EmailSendingAccountTypeDeveloper {
		return nil
	}
	parts := strings.SplitN(*ec.SourceArn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "ses" || parts[4] != accountID || !strings.HasPrefix(parts[5], "identity/") {
		return apierr.InvalidEmailRoleAccessPolicy()
	}
	return nil
}

// checkSending runs both checks on a pool's settings (CreateUserPool, UpdateUserPool).
func (s *Service) checkSending(ctx context.Context, accountID string, up *model.UserPoolType) error {
	if err := s.checkSMSRole(ctx, s.st, accountID, up.SmsConfiguration); err != nil {
		return err
	}
	if s.smsRoles == nil {
		return nil
	}
	return checkEmailIdentity(accountID, up.EmailConfiguration)
}
