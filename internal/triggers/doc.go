// Package triggers invokes a user pool's Lambda triggers the way Amazon Cognito does: it builds
// the trigger's event (version "1", region, userPoolId, userName, callerContext, triggerSource,
// request and response), sends it with the Lambda Invoke API (POST
// /2015-03-31/functions/<function>/invocations, SigV4-signed for the service "lambda" with the
// AWS SDK's credentials) to AWS Lambda, an emulator or a per-function override URL, and checks the
// answer, which must be the event again. Each attempt has 5 seconds and there are 3 attempts; a
// function error (X-Amz-Function-Error) is an answer and is not retried. Failures come back as
// Cognito's exceptions from internal/apierr: UserLambdaValidationException ("<Trigger> failed with
// error <errorMessage>."), UnexpectedLambdaException ("<Trigger> invocation failed due to error
// <reason>.") and InvalidLambdaResponseException ("Unrecognizable lambda output"). Events and
// answers, which carry user attributes and the request's ClientMetadata, are never logged.
//
// Each user-pool trigger has a typed method that builds its event as Cognito sends it (nulls,
// empty lists and absent members included) and checks and decodes its answer: CustomMessage,
// PreSignUp, PostConfirmation, PreAuthentication, PostAuthentication, PreTokenGeneration (V1_0,
// V2_0, V3_0; PreTokenGenerationResponse.Apply applies the answer to the tokens' claims),
// UserMigration, DefineAuthChallenge, CreateAuthChallenge and VerifyAuthChallengeResponse.
package triggers
