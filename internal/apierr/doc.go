// Package apierr is the one error type the API returns to clients: a Cognito exception name,
// its message and the HTTP status. Domain code builds errors with the constructors here so that
// every code cgip can emit is listed in one place (and a test checks each exists in the AWS SDK).
package apierr
