//go:build unix

package admincli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

const notFound = "An error occurred (UserNotFoundException) when calling the AdminResetUserPassword operation: User does not exist."

// TestBulkOneFailingRecord: NDJSON and CSV input (auto-detected) with one record naming an
// unknown user, under --on-error continue (all processed, exit 254) and stop (nothing after
// the failure is called, exit 254). --select ^Username chains the successes on stdout.
func TestBulkOneFailingRecord(t *testing.T) {
	for _, format := range []string{"ndjson", "csv"} {
		for _, mode := range []string{"continue", "stop"} {
			t.Run(format+"/"+mode, func(t *testing.T) {
				f := newFixture(t, "amy", "bob")
				e := newEnv(t).withRootEnv()
				var input string
				failLine := 2
				if format == "ndjson" {
					// Property names bind case-insensitively, as in PowerShell.
					input = fmt.Sprintf(`{"UserPoolId":%q,"Username":"amy"}`+"\n"+`{"userpoolid":%q,"USERNAME":"nobody","Extra":1}`+"\n\n"+
						`{"UserPoolId":%q,"Username":"bob"}`+"\n", f.pool, f.pool, f.pool)
				} else {
					input = fmt.Sprintf("UserPoolId,Username,Comment\n%s,amy,first\n%s,nobody,\n%s,bob,last\n", f.pool, f.pool, f.pool)
					failLine = 3
				}
				path := e.write(t, "input", input)
				r := e.run(t, "", "cognito-idp", "admin-reset-user-password", "--endpoint-url", serverURL,
					"--input", path, "--on-error", mode, "--select", "^Username")
				failure := fmt.Sprintf("record 2 (line %d, UserPoolId %s, Username nobody): %s\n", failLine, f.pool, notFound)
				if mode == "continue" {
					r.want(t, 254, "amy\nbob\n", "2 reset, 1 failed\n"+failure)
					f.wantStatus("bob", types.UserStatusTypeResetRequired)
				} else {
					r.want(t, 254, "amy\n", "1 reset, 1 failed (stopped at the first failure: --on-error stop)\n"+failure)
					f.wantStatus("bob", types.UserStatusTypeConfirmed)
				}
				f.wantStatus("amy", types.UserStatusTypeResetRequired)
			})
		}
	}
}

// TestBulkBinding: plain lines bind to UserPoolId (ByValue) from stdin; a one-column CSV of
// usernames is detected from its header; output keeps input order under --parallel; records
// carry their own Region; bad records fail on their own.
func TestBulkBinding(t *testing.T) {
	t.Run("lines bind to UserPoolId", func(t *testing.T) {
		p1, p2 := newFixture(t, "zed"), newFixture(t, "zed")
		e := newEnv(t).withRootEnv()
		e.run(t, p1.pool+"\n\n"+p2.pool+"\n", "Reset-CGIPUserPasswordAdmin", "-EndpointUrl", serverURL, "-Username", "zed",
			"--input", "-", "-Select", "^UserPoolId").want(t, 0, p1.pool+"\n"+p2.pool+"\n", "2 reset, 0 failed\n")
		p1.wantStatus("zed", types.UserStatusTypeResetRequired)
		p2.wantStatus("zed", types.UserStatusTypeResetRequired)
		// With -UserPoolId on the command line there is nothing for a line to bind to.
		r := e.run(t, "zed\n", "Reset-CGIPUserPasswordAdmin", "-EndpointUrl", serverURL, "-UserPoolId", p1.pool, "--input", "-")
		if r.code != 252 || !strings.HasPrefix(r.stderr, "\nThe input object cannot be bound to any parameters for the command") {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
	})
	t.Run("usernames with a header, in parallel", func(t *testing.T) {
		var users []string
		for i := range 40 {
			users = append(users, fmt.Sprintf("user%02d", i))
		}
		f := newFixture(t, users...)
		e := newEnv(t).withRootEnv()
		r := e.run(t, "Username\n"+strings.Join(users, "\n")+"\n", "cognito-idp", "admin-reset-user-password",
			"--endpoint-url", serverURL, "--user-pool-id", f.pool, "--input", "-", "--parallel", "8", "--select", "^Username")
		r.want(t, 0, strings.Join(users, "\n")+"\n", "40 reset, 0 failed\n")
		for _, u := range users {
			f.wantStatus(u, types.UserStatusTypeResetRequired)
		}
	})
	t.Run("record region and bad records", func(t *testing.T) {
		f := newFixture(t, "ray", "sue")
		e := newEnv(t).set("AWS_ACCESS_KEY_ID", rootKey, "AWS_SECRET_ACCESS_KEY", rootSecret) // no region anywhere
		input := fmt.Sprintf(`{"UserPoolId":%q,"Username":"ray","Region":%q}`+"\n", f.pool, region) +
			fmt.Sprintf(`{"UserPoolId":%q,"Username":"sue"}`+"\n", f.pool) +
			fmt.Sprintf(`{"UserPoolId":%q,"Username":"","Region":%q}`+"\n", f.pool, region) +
			"{not json\n" +
			fmt.Sprintf(`{"UserPoolId":%q,"Username":"sue","Region":%q,"Select":"^Username"}`+"\n", f.pool, region)
		r := e.run(t, input, "cognito-idp", "admin-reset-user-password", "--endpoint-url", serverURL, "--input", "-",
			"--input-format", "ndjson", "--on-error", "continue")
		want := "2 reset, 3 failed\n" +
			fmt.Sprintf("record 2 (line 2, UserPoolId %s, Username sue): You must specify a region. You can also configure your region by running \"aws configure\".\n", f.pool) +
			fmt.Sprintf("record 3 (line 3, UserPoolId %s, Username ): Parameter validation failed:\nInvalid length for parameter Username, value: 0, valid min length: 1\n", f.pool) +
			"record 4 (line 4): invalid JSON: invalid character 'n' looking for beginning of object key string\n"
		// Under --on-error continue any failure gives 254, whatever it was.
		r.want(t, 254, "sue\n", want)
		f.wantStatus("ray", types.UserStatusTypeResetRequired)
		f.wantStatus("sue", types.UserStatusTypeResetRequired)
	})
}

// TestBulkTenThousand: 10,000 records (1,000 users, each reset ten times: a RESET_REQUIRED
// user can be reset again) against a local server, streamed through --parallel workers. The
// output keeps input order; the child's peak memory shows results are not being held.
func TestBulkTenThousand(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 resets")
	}
	const records, distinct = 10000, 1000
	f := newFixture(t)
	start := time.Now()
	users := make([]string, distinct)
	for i := range users {
		users[i] = fmt.Sprintf("bulk%04d", i)
	}
	parallelSetup(t, f, users)
	t.Logf("setup: %d users in %v", distinct, time.Since(start).Round(time.Millisecond))

	e := newEnv(t).withRootEnv()
	var in, want strings.Builder
	for i := range records {
		u := users[i%distinct]
		fmt.Fprintf(&in, "{\"UserPoolId\":%q,\"Username\":%q}\n", f.pool, u)
		want.WriteString(u + "\n")
	}
	path := filepath.Join(e.dir, "users.ndjson")
	if err := os.WriteFile(path, []byte(in.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	parallel := max(8, 2*runtime.NumCPU())
	start = time.Now()
	r := e.run(t, "", "cognito-idp", "admin-reset-user-password", "--endpoint-url", serverURL,
		"--input", path, "--parallel", fmt.Sprint(parallel), "--select", "^Username")
	elapsed := time.Since(start)
	if r.code != 0 || r.stderr != fmt.Sprintf("%d reset, 0 failed\n", records) {
		t.Fatalf("exit %d, stderr (first 2000 bytes):\n%.2000s", r.code, r.stderr)
	}
	if r.stdout != want.String() {
		t.Fatalf("stdout is not the %d usernames in input order (got %d lines)", records, strings.Count(r.stdout, "\n"))
	}
	// One reset for comparison: the client's memory should not grow with the number of records.
	one := e.run(t, "", "cognito-idp", "admin-reset-user-password", "--endpoint-url", serverURL,
		"--user-pool-id", f.pool, "--username", users[0])
	if r.rusage != nil && one.rusage != nil { // Maxrss is in KiB on Linux
		cpu := time.Duration(r.rusage.Utime.Nano() + r.rusage.Stime.Nano())
		t.Logf("bulk: %d resets with --parallel %d in %v (%.0f/s), client CPU %v, client peak RSS %d KiB (one reset: %d KiB)",
			records, parallel, elapsed.Round(time.Millisecond), records/elapsed.Seconds(), cpu.Round(time.Millisecond),
			r.rusage.Maxrss, one.rusage.Maxrss)
		if r.rusage.Maxrss > one.rusage.Maxrss+64<<10 {
			t.Errorf("client peak RSS %d KiB against %d KiB for one reset: results are being held in memory",
				r.rusage.Maxrss, one.rusage.Maxrss)
		}
	}
	for _, u := range []string{users[0], users[distinct/2], users[distinct-1]} {
		f.wantStatus(u, types.UserStatusTypeResetRequired)
	}
}
