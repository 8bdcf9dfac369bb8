//go:build unix

package admincli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestResetWithEachCredentialSource: the same reset with credentials and region from flags,
// the environment, a named profile in the shared files, and PowerShell's -ProfileLocation.
// Success prints nothing; the user ends RESET_REQUIRED; --debug says where things came from.
func TestResetWithEachCredentialSource(t *testing.T) {
	f := newFixture(t, "flags", "flags-debug", "environment", "environment-debug", "profile", "profile-debug",
		"location", "location-debug", "endpoint-env", "endpoint-env-debug")
	cases := []struct {
		name  string
		setup func(e *env) []string // returns extra arguments
		creds string                // expected "Credentials obtained from" text
		reg   string                // expected "Region obtained from" text
		ep    string                // expected "Endpoint obtained from" text
	}{
		{"flags", func(e *env) []string {
			return []string{"--access-key", rootKey, "--secret-key", rootSecret, "--region", region, "--endpoint-url", serverURL}
		}, "command-line parameters (--access-key, --secret-key)", "command-line parameter --region", "command-line parameter --endpoint-url"},
		{"environment", func(e *env) []string {
			e.withRootEnv()
			return []string{"--endpoint-url", serverURL}
		}, "environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)", "environment variable AWS_REGION", "command-line parameter --endpoint-url"},
		{"profile", func(e *env) []string {
			creds := e.write(t, "aws-credentials", "[admin]\naws_access_key_id = "+rootKey+"\naws_secret_access_key = "+rootSecret+"\n")
			e.write(t, "aws-config", "[profile admin]\nregion = "+region+"\n")
			e.vars["AWS_SHARED_CREDENTIALS_FILE"] = creds
			return []string{"--profile", "admin", "--endpoint-url", serverURL}
		}, "shared credentials file " + "CREDS" + " (profile admin)", "shared config file (profile admin)", "command-line parameter --endpoint-url"},
		{"location", func(e *env) []string {
			p := e.write(t, "elsewhere.ini", "[default]\naws_access_key_id = "+rootKey+"\naws_secret_access_key = "+rootSecret+"\n")
			return []string{"--profile-location", p, "--region", region, "--endpoint-url", serverURL}
		}, "shared credentials file " + "LOCATION" + " (profile default)", "command-line parameter --region", "command-line parameter --endpoint-url"},
		{"endpoint-env", func(e *env) []string {
			e.withRootEnv()
			e.vars["AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"] = serverURL
			return nil
		}, "environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)", "environment variable AWS_REGION",
			"environment variable AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			extra := c.setup(e)
			args := append([]string{"cognito-idp", "admin-reset-user-password", "--user-pool-id", f.pool, "--username", c.name}, extra...)
			e.run(t, "", args...).want(t, 0, "", "")
			f.wantStatus(c.name, types.UserStatusTypeResetRequired)

			args = append([]string{"cognito-idp", "admin-reset-user-password", "--user-pool-id", f.pool, "--username", c.name + "-debug", "--debug"}, extra...)
			r := e.run(t, "", args...)
			if r.code != 0 || r.stdout != "" {
				t.Fatalf("--debug: exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
			}
			creds := strings.NewReplacer("CREDS", e.vars["AWS_SHARED_CREDENTIALS_FILE"], "LOCATION", e.dir+"/elsewhere.ini").Replace(c.creds)
			for _, want := range []string{
				"DEBUG Credentials obtained from " + creds + "\n",
				"DEBUG Region obtained from " + c.reg + " with value '" + region + "'\n",
				"DEBUG Endpoint obtained from " + c.ep + " with value '" + serverURL + "'\n",
				"X-Amz-Target: AWSCognitoIdentityProviderService.AdminResetUserPassword",
			} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("--debug stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			if strings.Contains(r.stderr, rootSecret) {
				t.Error("--debug printed the secret access key")
			}
			f.wantStatus(c.name+"-debug", types.UserStatusTypeResetRequired)
		})
	}
}

// TestPowerShellSpellings: the cmdlet name and parameter spellings, -Select, -PassThru and
// -WhatIf as a PowerShell user writes them.
func TestPowerShellSpellings(t *testing.T) {
	f := newFixture(t, "ann", "ben", "cat", "dan", "eve", "fay")
	e := newEnv(t)
	common := []string{"-Region", region, "-AK", rootKey, "-SK", rootSecret, "-EndpointUrl", serverURL}
	ps := func(args ...string) result {
		return e.run(t, "", append(append([]string{"Reset-CGIPUserPasswordAdmin"}, args...), common...)...)
	}

	ps("-UserPoolId", f.pool, "-Username", "ann", "-Select", "^Username").want(t, 0, "ann\n", "")
	f.wantStatus("ann", types.UserStatusTypeResetRequired)

	// Position 0 is the UserPoolId; names of commands and parameters ignore case.
	r := e.run(t, "", append([]string{"reset-cgip-user-password-admin", f.pool, "-USERNAME", "ben", "-select:^UserPoolId"}, common...)...)
	r.want(t, 0, f.pool+"\n", "")
	e.run(t, "", append([]string{"RESET-CGIPUSERPASSWORDADMIN", "-userpoolid", f.pool, "-username", "cat", "-Force:$true"}, common...)...).want(t, 0, "", "")
	f.wantStatus("cat", types.UserStatusTypeResetRequired)

	// -Select '*' is the whole response.
	r = ps("-UserPoolId", f.pool, "-Username", "dan", "-Select", "*")
	var whole struct {
		ResponseMetadata struct{ RequestId string }
		HttpStatusCode   int
	}
	if r.code != 0 || r.stderr != "" || json.Unmarshal([]byte(r.stdout), &whole) != nil ||
		whole.HttpStatusCode != 200 || whole.ResponseMetadata.RequestId == "" || !strings.HasPrefix(r.stdout, `{"ResponseMetadata":{"RequestId":"`) {
		t.Errorf("-Select '*': exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}

	// -PassThru: deprecated, warns, prints the UserPoolId.
	ps("-UserPoolId", f.pool, "-Username", "eve", "-PassThru").want(t, 0, f.pool+"\n",
		"WARNING: The -PassThru parameter is deprecated, use -Select '^UserPoolId' instead. This parameter will be removed in a future version.\n")
	f.wantStatus("eve", types.UserStatusTypeResetRequired)

	// -WhatIf calls nothing, even with -Force.
	ps("-UserPoolId", f.pool, "-Username", "fay", "-WhatIf", "-Force").want(t, 0,
		`What if: Performing the operation "Reset-CGIPUserPasswordAdmin (AdminResetUserPassword)" on target "`+f.pool+`".`+"\n", "")
	e.run(t, "", "cognito-idp", "admin-reset-user-password", "--user-pool-id", f.pool, "--username", "fay", "--dryrun",
		"--region", region, "--endpoint-url", serverURL, "--access-key", rootKey, "--secret-key", rootSecret).want(t, 0,
		`What if: Performing the operation "Reset-CGIPUserPasswordAdmin (AdminResetUserPassword)" on target "`+f.pool+`".`+"\n", "")
	f.wantStatus("fay", types.UserStatusTypeConfirmed)

	// ClientMetadata in the shorthand, JSON and hashtable forms is accepted and selectable.
	for _, cm := range []string{"a=1,b=two", `{"a":"1","b":"two"}`, "@{a='1'; b=\"two\"}"} {
		ps("-UserPoolId", f.pool, "-Username", "fay", "-ClientMetadata", cm, "-Select", "^ClientMetadata").want(t, 0, `{"a":"1","b":"two"}`+"\n", "")
	}
	f.wantStatus("fay", types.UserStatusTypeResetRequired)
}

// TestAWSCLIOutput: --query and --output behave as the AWS CLI does on an empty response;
// --cli-input-json supplies parameters the flags do not.
func TestAWSCLIOutput(t *testing.T) {
	f := newFixture(t, "gus", "hal", "ivy", "jon")
	e := newEnv(t).withRootEnv()
	aws := func(args ...string) result {
		return e.run(t, "", append([]string{"cognito-idp", "admin-reset-user-password", "--endpoint-url", serverURL}, args...)...)
	}
	aws("--user-pool-id", f.pool, "--username", "gus", "--query", "missing").want(t, 0, "null\n", "")
	aws("--user-pool-id", f.pool, "--username", "hal", "--query", "missing", "--output", "text").want(t, 0, "None\n", "")
	aws("--user-pool-id", f.pool, "--username", "ivy", "--output", "json").want(t, 0, "", "")
	aws("--cli-input-json", `{"UserPoolId":"`+f.pool+`","Username":"nobody"}`, "--username", "jon").want(t, 0, "", "")
	for _, u := range []string{"gus", "hal", "ivy", "jon"} {
		f.wantStatus(u, types.UserStatusTypeResetRequired)
	}
	e.run(t, "", "cognito-idp", "admin-reset-user-password", "--generate-cli-skeleton").want(t, 0,
		"{\n    \"UserPoolId\": \"\",\n    \"Username\": \"\",\n    \"ClientMetadata\": {\n        \"KeyName\": \"\"\n    }\n}\n", "")
}
