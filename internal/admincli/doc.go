// Package admincli is cgip's command-line client for AdminResetUserPassword, spelled both as
// the AWS CLI command (`cgip cognito-idp admin-reset-user-password`) and as the AWS Tools for
// PowerShell cmdlet (`cgip Reset-CGIPUserPasswordAdmin`), with the behaviour people know from
// those tools: the AWS CLI's error lines and v2 exit codes, PowerShell's -Select, -PassThru,
// -WhatIf, -Confirm and -Force, and a pipeline stand-in for bulk resets (package bulk).
//
// The client knows nothing of cgip's server: it talks to real Amazon Cognito or to `cgip serve`
// through the AWS SDK for Go v2, which does the credential chain, shared config files,
// profiles, region and endpoint resolution, signing and retries. What this package adds is what
// the tools add on top of an SDK: argument spellings, client-side parameter checks the Go SDK
// skips, output shaping, confirmation, bulk input and a local history (the $AWSHistory
// analogue).
//
// The contract is /work/shared/SPEC-cli.md; the README section "Resetting passwords from the
// command line" shows it side by side with PowerShell and the AWS CLI.
package admincli
