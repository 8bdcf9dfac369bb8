package triggers

import (
	"context"
	"encoding/json"
)

// UserMigrationRequest is what the caller knows of a user migration event's request
// (UserMigration_Authentication, UserMigration_ForgotPassword).
type UserMigrationRequest struct {
	// Password is the password the user signed in with; "" (UserMigration_ForgotPassword) is
	// sent as null.
	Password string
	// ValidationData is the ClientMetadata of InitiateAuth or AdminInitiateAuth (nil or empty:
	// sent as null).
	ValidationData map[string]string
	// ClientMetadata is the ClientMetadata of AdminRespondToAuthChallenge or ForgotPassword (nil
	// or empty: not sent).
	ClientMetadata map[string]string
}

// The values a user migration answer may hold (the model's UserStatusType subset the guide
// names, MessageActionType and DeliveryMediumType).
const (
	FinalUserStatusConfirmed     = "CONFIRMED"
	FinalUserStatusResetRequired = "RESET_REQUIRED"
	MessageActionSuppress        = "SUPPRESS"
	MessageActionResend          = "RESEND"
	DeliveryMediumEmail          = "EMAIL"
	DeliveryMediumSMS            = "SMS"
)

// UserMigrationResponse is the function's answer. Empty strings and lists are "not set" (the
// guide's defaults: CONFIRMED at sign-in, the welcome message sent, by SMS).
type UserMigrationResponse struct {
	// UserAttributes are the migrated user's attributes; never empty.
	UserAttributes map[string]string
	// FinalUserStatus is "", CONFIRMED or RESET_REQUIRED.
	FinalUserStatus string
	// MessageAction is "", SUPPRESS or RESEND.
	MessageAction string
	// DesiredDeliveryMediums holds EMAIL and/or SMS.
	DesiredDeliveryMediums []string
	ForceAliasCreation     bool
	EnableSMSMFA           bool
}

type userMigrationEvent struct {
	eventHeader
	Request  userMigrationEventRequest `json:"request"`
	Response json.RawMessage           `json:"response"`
}

// userMigrationEventRequest is the request as Cognito sends it: validationData null when
// empty, and a userAttributes member that is always null.
type userMigrationEventRequest struct {
	Password       *string           `json:"password"`
	ValidationData map[string]string `json:"validationData"`
	UserAttributes map[string]string `json:"userAttributes"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// Cognito's initial user migration response, in its member order.
var userMigrationDefaults = json.RawMessage(`{"userAttributes":null,"forceAliasCreation":null,"enableSMSMFA":null,` +
	`"finalUserStatus":null,"messageAction":null,"desiredDeliveryMediums":null}`)

// UserMigration invokes the pool's UserMigration function and returns the user it describes.
// An answer without userAttributes, with a value outside the enumerations above, or with a
// member of the wrong type is InvalidLambdaResponseException. The attributes themselves
// (schema, a verified email or phone for ForgotPassword, aliases) are the caller's to check.
func (i *Invoker) UserMigration(ctx context.Context, functionARN string, h Header, req UserMigrationRequest) (*UserMigrationResponse, error) {
	ev := userMigrationEvent{
		eventHeader: h.event(),
		Request: userMigrationEventRequest{
			ValidationData: orNil(req.ValidationData),
			ClientMetadata: orNil(req.ClientMetadata),
		},
		Response: userMigrationDefaults,
	}
	if req.Password != "" {
		ev.Request.Password = &req.Password
	}
	var out struct {
		UserAttributes         map[string]string `json:"userAttributes"`
		FinalUserStatus        *string           `json:"finalUserStatus"`
		MessageAction          *string           `json:"messageAction"`
		DesiredDeliveryMediums []string          `json:"desiredDeliveryMediums"`
		ForceAliasCreation     *bool             `json:"forceAliasCreation"`
		EnableSMSMFA           *bool             `json:"enableSMSMFA"`
	}
	if err := i.invokeForResponse(ctx, triggerUserMigration, functionARN, ev, &out); err != nil {
		return nil, err
	}
	r := &UserMigrationResponse{
		UserAttributes:     out.UserAttributes,
		FinalUserStatus:    deref(out.FinalUserStatus),
		MessageAction:      deref(out.MessageAction),
		ForceAliasCreation: isTrue(out.ForceAliasCreation),
		EnableSMSMFA:       isTrue(out.EnableSMSMFA),
	}
	if len(out.DesiredDeliveryMediums) > 0 {
		r.DesiredDeliveryMediums = out.DesiredDeliveryMediums
	}
	switch {
	case len(r.UserAttributes) == 0:
		return nil, i.unrecognizable(triggerUserMigration, functionARN, "answered without userAttributes")
	case !oneOf(r.FinalUserStatus, "", FinalUserStatusConfirmed, FinalUserStatusResetRequired),
		!oneOf(r.MessageAction, "", MessageActionSuppress, MessageActionResend):
		return nil, i.unrecognizable(triggerUserMigration, functionARN, "answered with an unknown status or message action")
	}
	for _, m := range r.DesiredDeliveryMediums {
		if !oneOf(m, DeliveryMediumEmail, DeliveryMediumSMS) {
			return nil, i.unrecognizable(triggerUserMigration, functionARN, "answered with an unknown delivery medium")
		}
	}
	return r, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func oneOf(s string, values ...string) bool {
	for _, v := range values {
		if s == v {
			return true
		}
	}
	return false
}
