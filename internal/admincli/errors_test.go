//go:build unix

package admincli_test

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

const usageHead = "\nusage: cgip cognito-idp admin-reset-user-password --user-pool-id <value> --username <value> [options]\n" +
	"To see help text, you can run:\n\n  cgip cognito-idp admin-reset-user-password help\n\n"

// TestErrorPaths: every way the command fails, with the AWS CLI v2 exit code and the exact
// stderr. The user is never reset by a failing command.
func TestErrorPaths(t *testing.T) {
	f := newFixture(t, "kim")
	closed := "http://127.0.0.1:1" // nothing listens on port 1
	cases := []struct {
		name   string
		env    func(e *env)
		args   []string
		code   int
		stderr string // exact, or a prefix when it ends in "..."
	}{
		{"user not found", nil, []string{"--user-pool-id", f.pool, "--username", "nobody"}, 254,
			"\nAn error occurred (UserNotFoundException) when calling the AdminResetUserPassword operation: User does not exist.\n"},
		{"pool not found", nil, []string{"--user-pool-id", "us-east-1_missing", "--username", "kim"}, 254,
			"\nAn error occurred (ResourceNotFoundException) when calling the AdminResetUserPassword operation: ..."},
		{"wrong secret", func(e *env) { e.vars["AWS_SECRET_ACCESS_KEY"] = "not-the-secret" },
			[]string{"--user-pool-id", f.pool, "--username", "kim"}, 254, "\nAn error occurred (..."},
		// Client-side checks: they fail before any request, so an unreachable endpoint and
		// missing credentials do not matter.
		{"empty username", func(e *env) { delete(e.vars, "AWS_ACCESS_KEY_ID") },
			[]string{"--user-pool-id", f.pool, "--username", "", "--endpoint-url", closed}, 252,
			"\nParameter validation failed:\nInvalid length for parameter Username, value: 0, valid min length: 1\n"},
		{"long username", nil, []string{"--user-pool-id", f.pool, "--username", strings.Repeat("u", 129), "--endpoint-url", closed}, 252,
			"\nParameter validation failed:\nInvalid length for parameter Username, value: 129, valid max length: 128\n"},
		{"empty pool and username", nil, []string{"--user-pool-id", "", "--username", "", "--endpoint-url", closed}, 252,
			"\nParameter validation failed:\nInvalid length for parameter UserPoolId, value: 0, valid min length: 1\n" +
				"Invalid length for parameter Username, value: 0, valid min length: 1\n"},
		{"long pool id", nil, []string{"--user-pool-id", "us-east-1_" + strings.Repeat("p", 50), "--username", "kim", "--endpoint-url", closed}, 252,
			"\nParameter validation failed:\nInvalid length for parameter UserPoolId, value: 60, valid max length: 55\n"},
		{"pool id pattern", nil, []string{"--user-pool-id", "nounderscore", "--username", "kim", "--endpoint-url", closed}, 252,
			"\nParameter validation failed:\nInvalid pattern for parameter UserPoolId, value: nounderscore, valid pattern: [\\w-]+_[0-9a-zA-Z]+\n"},
		{"metadata value type", nil, []string{"--user-pool-id", f.pool, "--username", "kim", "--client-metadata", `{"a":1}`}, 252,
			"\nParameter validation failed:\nInvalid type for parameter ClientMetadata.a, value: 1, type: <class 'int'>, valid types: <class 'str'>\n"},
		{"metadata shorthand", nil, []string{"--user-pool-id", f.pool, "--username", "kim", "--client-metadata", "abc"}, 252,
			"\nError parsing parameter '--client-metadata': Expected: '=', received: 'EOF' for input:\nabc\n   ^\n"},
		{"unknown input member", nil, []string{"--cli-input-json", `{"UserPoolId":"` + f.pool + `","Foo":1}`, "--username", "kim"}, 252,
			"\nParameter validation failed:\nUnknown parameter in input: \"Foo\", must be one of: UserPoolId, Username, ClientMetadata\n"},
		{"missing username", nil, []string{"--user-pool-id", f.pool}, 252,
			usageHead + "cgip: error: the following arguments are required: --username\n"},
		{"missing both", nil, nil, 252,
			usageHead + "cgip: error: the following arguments are required: --user-pool-id, --username\n"},
		{"unknown option", nil, []string{"--user-pool-id", f.pool, "--username", "kim", "--frobnicate"}, 252,
			usageHead + "Unknown options: --frobnicate\n"},
		{"missing value", nil, []string{"--user-pool-id", f.pool, "--username"}, 252,
			usageHead + "cgip: error: argument --username: expected one argument\n"},
		{"bad output", nil, []string{"--user-pool-id", f.pool, "--username", "kim", "--output", "yaml"}, 252,
			usageHead + "cgip: error: argument --output: Invalid choice, valid choices are:\n\njson | text | table\n"},
		{"invalid select", nil, []string{"--user-pool-id", f.pool, "--username", "kim", "--select", "Nope"}, 252,
			"\nInvalid value for -Select parameter.\n"},
		{"invalid select param", nil, []string{"--user-pool-id", f.pool, "--username", "kim", "--select", "^Password"}, 252,
			"\nInvalid value for -Select parameter.\n"},
		{"passthru with select", nil, []string{"--user-pool-id", f.pool, "--username", "kim", "-PassThru", "-Select", "*"}, 252,
			"\n-PassThru cannot be used when -Select is specified.\n"},
		{"query with select", nil, []string{"--user-pool-id", f.pool, "--username", "kim", "--query", "x", "--select", "*"}, 252,
			"\n--query and --output cannot be used when -Select is specified.\n"},
		{"bad query", nil, []string{"--user-pool-id", f.pool, "--username", "kim", "--query", "["}, 252,
			"\nBad value for --query [: Invalid jmespath expression: ..."},
		{"no region even with an endpoint", func(e *env) { delete(e.vars, "AWS_REGION") },
			[]string{"--user-pool-id", f.pool, "--username", "kim"}, 253,
			"\nYou must specify a region. You can also configure your region by running \"aws configure\".\n"},
		{"no credentials", func(e *env) { delete(e.vars, "AWS_ACCESS_KEY_ID"); delete(e.vars, "AWS_SECRET_ACCESS_KEY") },
			[]string{"--user-pool-id", f.pool, "--username", "kim"}, 253,
			"\nUnable to locate credentials. You can configure credentials by running \"aws configure\".\n"},
		{"profile not found", nil, []string{"--user-pool-id", f.pool, "--username", "kim", "--profile", "nope"}, 253,
			"\nThe config profile (nope) could not be found\n"},
		{"PowerShell profile spelling not found", nil, []string{"--user-pool-id", f.pool, "--username", "kim", "-ProfileName", "nope"}, 253,
			"\nThe config profile (nope) could not be found\n"},
		{"bad confirm preference", func(e *env) { e.vars["CGIP_CONFIRM_PREFERENCE"] = "Sometimes" },
			[]string{"--user-pool-id", f.pool, "--username", "kim"}, 253,
			"\nCGIP_CONFIRM_PREFERENCE must be None, Low, Medium or High, not \"Sometimes\"\n"},
		{"cannot connect", nil, []string{"--user-pool-id", f.pool, "--username", "kim", "--endpoint-url", closed, "--max-attempts", "1"}, 255,
			"\nCould not connect to the endpoint URL: \"http://127.0.0.1:1/\"\n"},
		{"confirm without a terminal", nil, []string{"--user-pool-id", f.pool, "--username", "kim", "--confirm"}, 252,
			"\nConfirmation is required but there is no terminal to ask on (Read and Prompt functionality is not available). " +
				"Use --force to proceed without asking, or --what-if to preview.\n"},
		{"confirm preference without a terminal", func(e *env) { e.vars["CGIP_CONFIRM_PREFERENCE"] = "Medium" },
			[]string{"--user-pool-id", f.pool, "--username", "kim"}, 252,
			"\nConfirmation is required but there is no terminal to ask on (Read and Prompt functionality is not available). " +
				"Use --force to proceed without asking, or --what-if to preview.\n"},
		{"unknown operation", nil, nil, 252, "\nusage: cgip cognito-idp <operation> [parameters]\nTo see help text, you can run:\n\n" +
			"  cgip cognito-idp admin-reset-user-password help\n\n" +
			"cgip: error: argument operation: Invalid choice, valid choices are:\n\nadmin-reset-user-password\n"},
		{"PowerShell name, missing username", nil, []string{"-UserPoolId", f.pool}, 252,
			"\nusage: cgip Reset-CGIPUserPasswordAdmin [-UserPoolId] <value> -Username <value> [options]\nTo see help text, you can run:\n\n" +
				"  cgip Reset-CGIPUserPasswordAdmin help\n\ncgip: error: the following arguments are required: -Username\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t).withRootEnv()
			if c.env != nil {
				c.env(e)
			}
			args := append([]string{"cognito-idp", "admin-reset-user-password", "--endpoint-url", serverURL}, c.args...)
			if c.name == "missing both" {
				args = []string{"cognito-idp", "admin-reset-user-password"}
			}
			if c.name == "unknown operation" {
				args = []string{"cognito-idp", "admin-delete-user"}
			}
			if strings.HasPrefix(c.name, "PowerShell name") {
				args = append([]string{"Reset-CGIPUserPasswordAdmin", "-EndpointUrl", serverURL}, c.args...)
			}
			r := e.run(t, "", args...)
			if r.code != c.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", r.code, c.code, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
			if prefix, ok := strings.CutSuffix(c.stderr, "..."); ok {
				if !strings.HasPrefix(r.stderr, prefix) {
					t.Errorf("stderr:\n got %q\nwant prefix %q", r.stderr, prefix)
				}
			} else if r.stderr != c.stderr {
				t.Errorf("stderr:\n got %q\nwant %q", r.stderr, c.stderr)
			}
		})
	}
	f.wantStatus("kim", types.UserStatusTypeConfirmed)

	// With the confirmation preference set, -Confirm:$false or --force lets a script through.
	e := newEnv(t).withRootEnv().set("CGIP_CONFIRM_PREFERENCE", "Low")
	e.run(t, "", "cognito-idp", "admin-reset-user-password", "--endpoint-url", serverURL, "--user-pool-id", f.pool, "--username", "kim",
		"-Confirm:$false").want(t, 0, "", "")
	f.wantStatus("kim", types.UserStatusTypeResetRequired)
	e.run(t, "", "cognito-idp", "admin-reset-user-password", "--endpoint-url", serverURL, "--user-pool-id", f.pool, "--username", "kim", "--force").want(t, 0, "", "")
	f.wantStatus("kim", types.UserStatusTypeResetRequired)
}

// TestReadTimeoutAndHelp: --cli-read-timeout reaches the SDK's HTTP client and a silent
// server gives the AWS CLI's read-timeout line (exit 255); help goes to stdout.
func TestReadTimeoutAndHelp(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // accept and never answer
		}
	}()
	url := "http://" + l.Addr().String()
	e := newEnv(t).withRootEnv()
	start := time.Now()
	e.run(t, "", "cognito-idp", "admin-reset-user-password", "--endpoint-url", url, "--user-pool-id", "us-east-1_abc",
		"--username", "kim", "--cli-read-timeout", "1", "--max-attempts", "1").want(t, 255, "",
		"\nRead timeout on endpoint URL: \""+url+"/\"\n")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v with a 1 s read timeout", d)
	}

	for _, args := range [][]string{{"cognito-idp", "admin-reset-user-password", "help"}, {"Reset-CGIPUserPasswordAdmin", "-?"}, {"cognito-idp", "help"}} {
		r := e.run(t, "", args...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "NAME\n    admin-reset-user-password") || r.stderr != "" {
			t.Errorf("%v: exit %d, stdout %.80q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
}
