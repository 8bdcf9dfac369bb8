package apierr

import (
	"fmt"
	"net/http"
)

// Error is a Cognito exception as it travels on the wire.
type Error struct {
	Code    string
	Message string
	Status  int
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func newf(code string, status int, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Status: status}
}

func clientErr(code, format string, args ...any) *Error {
	return newf(code, http.StatusBadRequest, format, args...)
}

// Cognito's own exceptions (service/cognitoidentityprovider/types/errors.go).

func InvalidParameter(format string, args ...any) *Error {
	return clientErr("InvalidParameterException", format, args...)
}
func ResourceNotFound(format string, args ...any) *Error {
	return clientErr("ResourceNotFoundException", format, args...)
}
func NotAuthorized(format string, args ...any) *Error {
	return clientErr("NotAuthorizedException", format, args...)
}
func LimitExceeded(format string, args ...any) *Error {
	return clientErr("LimitExceededException", format, args...)
}
func TooManyRequests(format string, args ...any) *Error {
	return clientErr("TooManyRequestsException", format, args...)
}
func ConcurrentModification(format string, args ...any) *Error {
	return clientErr("ConcurrentModificationException", format, args...)
}
func UserPoolTagging(format string, args ...any) *Error {
	return clientErr("UserPoolTaggingException", format, args...)
}

// The sending-role errors (SPEC-password-reset.md, row 9).
func InvalidSmsRoleTrustRelationship() *Error {
	return clientErr("InvalidSmsRoleTrustRelationshipException", "Role does not have a trust relationship allowing Cognito to assume the role")
}
func InvalidSmsRoleAccessPolicy() *Error {
	return clientErr("InvalidSmsRoleAccessPolicyException", "Role does not have permission to publish with SNS")
}
func InvalidEmailRoleAccessPolicy() *Error {
	return clientErr("InvalidEmailRoleAccessPolicyException", "Amazon Cognito is not allowed to use your email identity.")
}
func UnsupportedOperation(format string, args ...any) *Error {
	return clientErr("UnsupportedOperationException", format, args...)
}

// InternalError is the only 500: the client sees a fixed text, details go to the log.
func InternalError() *Error {
	return newf("InternalErrorException", http.StatusInternalServerError, "An internal error occurred.")
}

// PoolNotFound and ClientNotFound carry Cognito's texts for the two most common misses.
func PoolNotFound(poolID string) *Error {
	return ResourceNotFound("User pool %s does not exist.", poolID)
}
func ClientNotFound(clientID string) *Error {
	return ResourceNotFound("User pool client %s does not exist.", clientID)
}

// Protocol errors: the AWS JSON protocol and SigV4 layer's documented errors
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html).

func Serialization(format string, args ...any) *Error {
	return clientErr("SerializationException", format, args...)
}
func UnknownOperation() *Error {
	// The code alone, as AWS JSON services answer an unknown X-Amz-Target.
	return clientErr("UnknownOperationException", "")
}
func MissingAuthenticationToken() *Error {
	return clientErr("MissingAuthenticationTokenException", "Missing Authentication Token")
}
func UnrecognizedClient() *Error {
	return clientErr("UnrecognizedClientException", "The security token included in the request is invalid.")
}
func ExpiredToken() *Error {
	return clientErr("ExpiredTokenException", "The security token included in the request is expired")
}
func Signature(code, message string) *Error {
	return clientErr(code, "%s", message)
}
func RequestTooLarge(limit int64) *Error {
	return newf("SerializationException", http.StatusRequestEntityTooLarge,
		"Request body is larger than the limit of %d bytes.", limit)
}

// NotImplemented answers a real Cognito operation cgip does not implement yet: a 501 that SDKs
// do not retry, so a test suite fails fast with a clear reason.
func NotImplemented(op string) *Error {
	return newf("NotImplementedException", http.StatusNotImplemented, "cgip does not implement %s yet", op)
}

// AccessDenied is IAM's refusal (AccessDeniedException in the SDK's errors.go).
func AccessDenied(format string, args ...any) *Error {
	return clientErr("AccessDeniedException", format, args...)
}

func InvalidOAuthFlow(format string, args ...any) *Error {
	return clientErr("InvalidOAuthFlowException", format, args...)
}

func UserNotFound() *Error { return UserNotFoundf("User does not exist.") }
func UserNotFoundf(format string, args ...any) *Error {
	return clientErr("UserNotFoundException", format, args...)
}
func UsernameExists(format string, args ...any) *Error {
	return clientErr("UsernameExistsException", format, args...)
}
func AliasExists(format string, args ...any) *Error {
	return clientErr("AliasExistsException", format, args...)
}
func GroupExists(format string, args ...any) *Error {
	return clientErr("GroupExistsException", format, args...)
}
func InvalidPassword(format string, args ...any) *Error {
	return clientErr("InvalidPasswordException", format, args...)
}
func PasswordHistoryPolicyViolation(format string, args ...any) *Error {
	return clientErr("PasswordHistoryPolicyViolationException", format, args...)
}
func UnsupportedUserState(format string, args ...any) *Error {
	return clientErr("UnsupportedUserStateException", format, args...)
}

func CodeMismatch() *Error {
	return clientErr("CodeMismatchException", "Invalid verification code provided, please try again.")
}
func ExpiredCode() *Error {
	return clientErr("ExpiredCodeException", "Invalid code provided, please request a code again.")
}
func PasswordResetRequired() *Error {
	return clientErr("PasswordResetRequiredException", "Password reset required for the user")
}
func UserNotConfirmed() *Error {
	return clientErr("UserNotConfirmedException", "User is not confirmed.")
}

func UnsupportedTokenType(format string, args ...any) *Error {
	return clientErr("UnsupportedTokenTypeException", format, args...)
}
