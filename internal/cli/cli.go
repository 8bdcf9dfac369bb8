package cli

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/cgip/cgip/internal/admincli"
)

// Version is set at build time with -ldflags "-X github.com/cgip/cgip/internal/cli.Version=...";
// otherwise it comes from the module's build information.
var Version = ""

const usage = `cgip: a self-hosted Amazon Cognito user-pools server, and its client

Usage:
  cgip serve [flags]     run the server (cgip serve -h lists the flags)
  cgip operations        print the table of implemented Cognito operations (Markdown)
  cgip messages ...      read the inbox of messages cgip sent (cgip messages for help)
  cgip accounts create   create another account with its own root credential
  cgip demo              walk through a password reset against a throwaway in-process server
  cgip cognito-idp admin-reset-user-password --user-pool-id ID --username NAME [options]
                         reset a user's password, as the AWS CLI does (cgip cognito-idp help)
  cgip Reset-CGIPUserPasswordAdmin -UserPoolId ID -Username NAME [options]
                         the same, spelled as the AWS Tools for PowerShell cmdlet
  cgip history list|show ID|clear
                         the client's record of past invocations
  cgip version           print the version
`

// Run runs one cgip command and returns the process exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch strings.ToLower(args[0]) {
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "operations":
		return runOperations(stdout)
	case "messages":
		return runMessages(ctx, args[1:], stdout, stderr)
	case "demo":
		return runDemo(ctx, args[1:], stdout, stderr)
	case "cognito-idp":
		return admincli.RunService(ctx, args[1:], stdin, stdout, stderr)
	case "reset-cgipuserpasswordadmin", "reset-cgip-user-password-admin":
		return admincli.RunReset(ctx, args[0], args[1:], stdin, stdout, stderr)
	case "history":
		return admincli.RunHistory(args[1:], stdout, stderr)
	case "accounts":
		return runAccounts(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "cgip", version())
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "cgip: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
}

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
