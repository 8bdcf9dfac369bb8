// Package cli is the cgip command line: `serve` runs the server, `version` and `operations`
// describe it, and (in later issues) the client commands call Cognito through the AWS SDK.
package cli
