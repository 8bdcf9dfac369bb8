// Package awsjson is the AWS JSON 1.1 transport: it reads the X-Amz-Target header, decodes a
// bounded request body into an operation's input, and writes responses and errors exactly as
// Cognito does (`{"__type":..., "message":...}` with the x-amzn-* headers). Only this package
// writes API responses.
package awsjson
