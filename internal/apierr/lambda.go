package apierr

// Lambda trigger failures, as Cognito reports them when a user pool's function fails
// (UserLambdaValidationException, UnexpectedLambdaException and InvalidLambdaResponseException
// in the SDK's errors.go). trigger is the LambdaConfig member name: CustomMessage, PreSignUp, ...

// UserLambdaValidation: the function reported an error (Lambda's X-Amz-Function-Error);
// message is the function's errorMessage.
func UserLambdaValidation(trigger, message string) *Error {
	return clientErr("UserLambdaValidationException", "%s failed with error %s.", trigger, message)
}

// UnexpectedLambda: the function could not be invoked, or did not answer in time, after every
// attempt. reason is Lambda's error code (AccessDeniedException, ...) or the failure
// ("Socket timeout while invoking Lambda function").
func UnexpectedLambda(trigger, reason string) *Error {
	return clientErr("UnexpectedLambdaException", "%s invocation failed due to error %s.", trigger, reason)
}

// InvalidLambdaResponse: the function answered with something that is not the event.
func InvalidLambdaResponse() *Error {
	return clientErr("InvalidLambdaResponseException", "Unrecognizable lambda output")
}
