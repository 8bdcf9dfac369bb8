//go:build unix

package admincli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type entry struct {
	ID         int
	Time       string
	Argv       []string
	Region     string
	Endpoint   string
	Operation  string
	Parameters map[string]string
	RequestID  string
	Outcome    string
	Records    *struct{ Reset, Failed, Skipped int }
	ExitCode   int
}

func (e *env) history(t *testing.T) []entry {
	t.Helper()
	b, err := os.ReadFile(e.vars["CGIP_HISTORY_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	var out []entry
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var x entry
		if err := json.Unmarshal([]byte(line), &x); err != nil {
			t.Fatalf("history line %q: %v", line, err)
		}
		out = append(out, x)
	}
	return out
}

// TestHistory: every invocation is recorded; secrets never, Username only with
// --include-sensitive-data; list, show and clear; --max-history trims and 0 disables.
func TestHistory(t *testing.T) {
	f := newFixture(t, "mo", "ned", "oz")
	e := newEnv(t)
	const token = "SESSIONTOKEN-must-not-be-stored"
	creds := []string{"--endpoint-url", serverURL, "--region", region, "--access-key", rootKey, "--secret-key", rootSecret}
	reset := append([]string{"cognito-idp", "admin-reset-user-password"}, creds...)

	e.run(t, "", append(reset, "--user-pool-id", f.pool, "--username", "mo", "--debug")...)
	e.run(t, "", append(reset, "--user-pool-id", f.pool, "--username=nobody", "--include-sensitive-data")...)
	e.run(t, "", "Reset-CGIPUserPasswordAdmin", "-EndpointUrl", serverURL, "-Region", region, "-AK", rootKey,
		"-SK:"+rootSecret, "-ST", token, "-UserPoolId", f.pool, "-Username", "ned")
	// A spelling that is rejected is still recorded, without its secret.
	e.run(t, "", "Reset-CGIPUserPasswordAdmin", "-SK="+rootSecret, "-UserPoolId", f.pool, "-Username", "ned")
	path := e.write(t, "users.csv", "Username\nned\nnobody\n")
	e.run(t, "", append(reset, "--user-pool-id", f.pool, "--input", path, "--on-error", "continue")...)

	raw, err := os.ReadFile(e.vars["CGIP_HISTORY_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{rootSecret, token, "Signature=", `"mo"`, `"ned"`} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the history file contains %q:\n%s", secret, raw)
		}
	}
	if st, err := os.Stat(e.vars["CGIP_HISTORY_FILE"]); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("history file mode: %v %v", st.Mode(), err)
	}

	h := e.history(t)
	if len(h) != 5 {
		t.Fatalf("%d entries, want 5", len(h))
	}
	ok := h[0]
	wantArgv := append(append([]string{"cgip", "cognito-idp", "admin-reset-user-password"}, creds[:6]...),
		"--secret-key", "****", "--user-pool-id", f.pool, "--username", "****", "--debug")
	if ok.ID != 1 || ok.ExitCode != 0 || ok.Outcome != "success" || ok.RequestID == "" || ok.Operation != "AdminResetUserPassword" ||
		ok.Region != region || ok.Endpoint != serverURL || ok.Parameters["Username"] != "****" || ok.Parameters["UserPoolId"] != f.pool ||
		strings.Join(ok.Argv, " ") != strings.Join(wantArgv, " ") || ok.Time == "" {
		t.Errorf("entry 1: %+v", ok)
	}
	notFound := h[1]
	if notFound.ID != 2 || notFound.ExitCode != 254 || notFound.RequestID == "" || notFound.Parameters["Username"] != "nobody" ||
		notFound.Outcome != "error: An error occurred (UserNotFoundException) when calling the AdminResetUserPassword operation: User does not exist." ||
		!strings.Contains(strings.Join(notFound.Argv, " "), "--username=nobody") {
		t.Errorf("entry 2: %+v", notFound)
	}
	ps := strings.Join(h[2].Argv, " ")
	if want := "cgip Reset-CGIPUserPasswordAdmin -EndpointUrl " + serverURL + " -Region " + region + " -AK " + rootKey +
		" -SK:**** -ST **** -UserPoolId " + f.pool + " -Username ****"; ps != want {
		t.Errorf("entry 3 argv:\n got %s\nwant %s", ps, want)
	}
	if rejected := strings.Join(h[3].Argv, " "); h[3].ExitCode != 252 || !strings.Contains(rejected, " -SK=**** ") {
		t.Errorf("entry 4: %+v", h[3])
	}
	bulk := h[4]
	if bulk.ExitCode != 254 || bulk.Outcome != "1 reset, 1 failed" || bulk.Records == nil || bulk.Records.Reset != 1 || bulk.Records.Failed != 1 {
		t.Errorf("entry 5: %+v", bulk)
	}

	list := e.run(t, "", "history", "list")
	lines := strings.Split(strings.TrimSuffix(list.stdout, "\n"), "\n")
	if list.code != 0 || len(lines) != 6 || !strings.HasPrefix(lines[0], "ID") ||
		!strings.Contains(lines[1], "success") || !strings.HasSuffix(lines[1], "--username **** --debug") {
		t.Errorf("history list: exit %d\n%s", list.code, list.stdout)
	}
	show := e.run(t, "", "history", "show", "2")
	var shown entry
	if show.code != 0 || json.Unmarshal([]byte(show.stdout), &shown) != nil || shown.RequestID != notFound.RequestID {
		t.Errorf("history show 2: exit %d\n%s", show.code, show.stdout)
	}
	e.run(t, "", "history", "show", "99").want(t, 252, "", "cgip history: no entry with id 99\n")

	// --max-history 2 keeps the newest two; ids keep counting. 0 records nothing.
	e.run(t, "", append(reset, "--user-pool-id", f.pool, "--username", "oz", "--max-history", "2")...)
	if h := e.history(t); len(h) != 2 || h[0].ID != 5 || h[1].ID != 6 {
		t.Errorf("after --max-history 2: %+v", h)
	}
	e.run(t, "", append(reset, "--user-pool-id", f.pool, "--username", "oz", "--max-history", "0")...)
	if h := e.history(t); len(h) != 2 {
		t.Errorf("--max-history 0 recorded: %+v", h)
	}

	e.run(t, "", "history", "clear").want(t, 0, "", "")
	e.run(t, "", "history", "list").want(t, 0, "ID  TIME  EXIT  OUTCOME  COMMAND\n", "")

	// Without CGIP_HISTORY_FILE the history lives in the user's config directory.
	delete(e.vars, "CGIP_HISTORY_FILE")
	e.run(t, "", append(reset, "--user-pool-id", f.pool, "--username", "oz")...).want(t, 0, "", "")
	st, err := os.Stat(filepath.Join(e.vars["XDG_CONFIG_HOME"], "cgip", "history"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("default history file: %v %v", st, err)
	}
}
