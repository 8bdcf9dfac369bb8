// Command custommessage is the CustomMessage trigger of .ci/rie.sh: a real Lambda function, run
// under the AWS Lambda Runtime Interface Emulator, that rewrites the password-reset email with
// the request's client metadata and the user's attributes.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(_ context.Context, event events.CognitoEventUserPoolsCustomMessage) (events.CognitoEventUserPoolsCustomMessage, error) {
	if event.TriggerSource == "CustomMessage_ForgotPassword" {
		event.Response.EmailSubject = "Reset your " + event.Request.ClientMetadata["brand"] + " password"
		name, _ := event.Request.UserAttributes["name"].(string) // attributes are strings in Cognito's events
		event.Response.EmailMessage = "Hi " + name + ", your reset code is " + event.Request.CodeParameter
	}
	return event, nil
}

func main() {
	lambda.Start(handle)
}
