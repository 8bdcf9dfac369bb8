package admincli

import (
	"fmt"
	"io"
	"strings"
)

const helpText = `NAME
    admin-reset-user-password  (PowerShell: Reset-CGIPUserPasswordAdmin)

    Resets the user's password (status RESET_REQUIRED) and sends them a code.
    Calls Cognito's AdminResetUserPassword through the AWS SDK for Go v2, against
    Amazon Cognito or, with --endpoint-url, a cgip server.

SYNOPSIS
    cgip cognito-idp admin-reset-user-password --user-pool-id ID --username NAME [options]
    cgip Reset-CGIPUserPasswordAdmin [-UserPoolId] ID -Username NAME [options]

PARAMETERS (AWS CLI spelling / PowerShell spelling; flag names ignore case)
    --user-pool-id ID     -UserPoolId      also the first positional argument
    --username NAME       -Username        a username, an alias, or the user's sub
    --client-metadata M   -ClientMetadata  k=v,k2=v2 | JSON object | file://path | @{k='v'}
    --cli-input-json J    --generate-cli-skeleton [input|output]

OUTPUT
    Nothing on success, unless asked:
    --select '*'|'^Param'  -Select    '*' the whole response as JSON; ^UserPoolId,
                                      ^Username, ^ClientMetadata that parameter's value
    --passthru             -PassThru  deprecated: same as --select '^UserPoolId'
    --query EXPR, --output json|text|table   AWS CLI output (JMESPath); not with --select

CONFIRMATION
    --force     -Force     never ask
    --confirm   -Confirm   ask before each call (-Confirm:$false never asks); also when
                           CGIP_CONFIRM_PREFERENCE is Medium or Low (default High)
    --what-if   -WhatIf    (or --dryrun) say what would be done, call nothing
    Without a terminal to ask on, a required confirmation fails (exit 252).

CREDENTIALS, REGION, ENDPOINT (resolved by the AWS SDK, in its order)
    --access-key/-AK, --secret-key/-SK, --session-token/-ST   highest precedence
    --profile NAME        -ProfileName (-StoredCredentials, -AWSProfileName)
    --profile-location F  -ProfileLocation   a shared credentials file
    --region R            -Region (-RegionToCall)   required, even with an endpoint
    --endpoint-url URL    -EndpointUrl   also AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER,
                          AWS_ENDPOINT_URL, the profile's services section
    --retry-mode, --max-attempts (default 3), --cli-connect-timeout, --cli-read-timeout,
    --ca-bundle, --no-verify-ssl
    --debug               -Debug   log requests and where credentials and region came from

BULK (a PowerShell pipeline for a Unix shell)
    --input FILE|-        records: plain lines (each one a UserPoolId), NDJSON objects or
                          CSV with a header, binding UserPoolId, Username, ClientMetadata,
                          Region, EndpointUrl, Select by name; parameters given on the
                          command line win
    --input-format auto|lines|ndjson|csv     --parallel N (default 1)
    --on-error stop|continue (default stop)
    A progress bar on a terminal; a summary "N reset, M failed" with the failures.

HISTORY
    Each run is recorded (cgip history list|show ID|clear); Username is redacted unless
    --include-sensitive-data; secrets never. --max-history N (default 100; 0: off).

EXIT CODES (AWS CLI v2)
    0 success or declined, 252 usage/validation, 253 no region/credentials/profile,
    254 service error, 255 other, 130 interrupted
`

// printUsageError prints an argparse-style error the way the AWS CLI does, with the
// parameter spellings of the command name used.
func printUsageError(w io.Writer, cmd string, msg string) {
	if isPowerShellName(cmd) {
		fmt.Fprintf(w, "\nusage: %s [-UserPoolId] <value> -Username <value> [options]\n", cmd)
	} else {
		fmt.Fprintf(w, "\nusage: %s --user-pool-id <value> --username <value> [options]\n", cmd)
	}
	fmt.Fprintf(w, "To see help text, you can run:\n\n  %s help\n\n", cmd)
	if strings.HasPrefix(msg, "Unknown options:") {
		fmt.Fprintln(w, msg)
		return
	}
	fmt.Fprintf(w, "cgip: error: %s\n", msg)
}

const serviceUsage = `
usage: cgip cognito-idp <operation> [parameters]
To see help text, you can run:

  cgip cognito-idp admin-reset-user-password help

`

func isPowerShellName(cmd string) bool {
	return !strings.Contains(cmd, "cognito-idp")
}
