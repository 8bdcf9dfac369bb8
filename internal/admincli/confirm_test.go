//go:build unix

package admincli_test

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/creack/pty"
)

const (
	choices    = `[Y] Yes [A] Yes to All [N] No [L] No to All [?] Help (default is "Y"): `
	confirmFor = "\nConfirm\nAre you sure you want to perform this action?\n" +
		`Performing the operation "Reset-CGIPUserPasswordAdmin (AdminResetUserPassword)" on target "%s".` + "\n" + choices
)

// terminal is cgip running on a pseudo-terminal, its controlling terminal, as in a shell.
type terminal struct {
	t      *testing.T
	cmd    *exec.Cmd
	ptmx   *os.File
	screen *lockedBuffer
	copied chan struct{}
}

func (e *env) runTerminal(t *testing.T, args ...string) *terminal {
	t.Helper()
	cmd := exec.Command(cgipBin, args...)
	cmd.Env = e.environ()
	ptmx, err := pty.Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	term := &terminal{t: t, cmd: cmd, ptmx: ptmx, screen: &lockedBuffer{}, copied: make(chan struct{})}
	go func() {
		_, _ = io.Copy(term.screen, ptmx) // ends with EIO when the child exits
		close(term.copied)
	}()
	t.Cleanup(func() { cmd.Process.Kill(); ptmx.Close() })
	return term
}

// answer waits for the n-th prompt and types a line.
func (tm *terminal) answer(n int, line string) {
	tm.t.Helper()
	waitFor(tm.t, tm.screen, choices, n)
	if _, err := tm.ptmx.Write([]byte(line + "\r")); err != nil {
		tm.t.Fatal(err)
	}
}

// wait returns the exit code and what the terminal showed (with \r\n as \n).
func (tm *terminal) wait() (int, string) {
	tm.t.Helper()
	done := make(chan error, 1)
	go func() { done <- tm.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		tm.t.Fatalf("cgip did not exit; terminal shows:\n%s", tm.screen.String())
	}
	select {
	case <-tm.copied:
	case <-time.After(2 * time.Second):
	}
	return tm.cmd.ProcessState.ExitCode(), strings.ReplaceAll(tm.screen.String(), "\r\n", "\n")
}

// TestConfirmationPrompt answers PowerShell's ShouldProcess prompt on a real terminal: No
// (declining exits 0 and calls nothing), ? (help), Enter (the default, Yes), Yes to All and
// No to All across bulk records, and Ctrl-C (exit 130).
func TestConfirmationPrompt(t *testing.T) {
	f := newFixture(t, "ada", "bea", "cy", "dee", "eli", "fox", "gil", "hank", "ike")
	base := []string{"cognito-idp", "admin-reset-user-password", "--endpoint-url", serverURL, "--user-pool-id", f.pool}

	t.Run("no, after help", func(t *testing.T) {
		tm := newEnv(t).withRootEnv().runTerminal(t, append(base, "--username", "ada", "--confirm")...)
		tm.answer(1, "?")
		tm.answer(2, "n")
		code, screen := tm.wait()
		want := fmt.Sprintf(confirmFor, f.pool) + "?\n" +
			"Y - Continue with only the next step of the operation.\n" +
			"A - Continue with all the steps of the operation.\n" +
			"N - Skip this operation and proceed with the next operation.\n" +
			"L - Skip this operation and all subsequent operations.\n" + choices + "n\n"
		if code != 0 || screen != want {
			t.Errorf("exit %d, terminal:\n got %q\nwant %q", code, screen, want)
		}
		f.wantStatus("ada", types.UserStatusTypeConfirmed)
	})

	t.Run("default yes from the preference", func(t *testing.T) {
		e := newEnv(t).withRootEnv().set("CGIP_CONFIRM_PREFERENCE", "Medium")
		tm := e.runTerminal(t, append(base, "--username", "ada", "--select", "^Username")...)
		tm.answer(1, "")
		code, screen := tm.wait()
		if want := fmt.Sprintf(confirmFor, f.pool) + "\nada\n"; code != 0 || screen != want {
			t.Errorf("exit %d, terminal:\n got %q\nwant %q", code, screen, want)
		}
		f.wantStatus("ada", types.UserStatusTypeResetRequired)
	})

	t.Run("bulk: yes, no, yes to all", func(t *testing.T) {
		e := newEnv(t).withRootEnv()
		path := e.write(t, "users.csv", "Username\nbea\ncy\ndee\neli\n")
		tm := e.runTerminal(t, append(base, "--input", path, "--confirm")...)
		tm.answer(1, "y")
		tm.answer(2, "n")
		tm.answer(3, "a")
		code, screen := tm.wait()
		if strings.Count(screen, choices) != 3 || !strings.HasSuffix(screen, "3 reset, 0 failed, 1 skipped\n") || code != 0 {
			t.Errorf("exit %d, terminal:\n%s", code, screen)
		}
		f.wantStatus("bea", types.UserStatusTypeResetRequired)
		f.wantStatus("cy", types.UserStatusTypeConfirmed)
		f.wantStatus("dee", types.UserStatusTypeResetRequired)
		f.wantStatus("eli", types.UserStatusTypeResetRequired) // Yes to All: not asked
	})

	t.Run("bulk: no to all", func(t *testing.T) {
		e := newEnv(t).withRootEnv()
		path := e.write(t, "users.csv", "Username\nfox\ngil\nhank\n")
		tm := e.runTerminal(t, append(base, "--input", path, "-Confirm")...)
		tm.answer(1, "y")
		tm.answer(2, "l")
		code, screen := tm.wait()
		if strings.Count(screen, choices) != 2 || !strings.HasSuffix(screen, "1 reset, 0 failed, 1 skipped\n") || code != 0 {
			t.Errorf("exit %d, terminal:\n%s", code, screen)
		}
		f.wantStatus("fox", types.UserStatusTypeResetRequired)
		f.wantStatus("gil", types.UserStatusTypeConfirmed)
		f.wantStatus("hank", types.UserStatusTypeConfirmed)
	})

	t.Run("interrupted", func(t *testing.T) {
		tm := newEnv(t).withRootEnv().runTerminal(t, append(base, "--username", "ike", "--confirm")...)
		waitFor(t, tm.screen, choices, 1)
		if _, err := tm.ptmx.Write([]byte{3}); err != nil { // Ctrl-C: SIGINT from the terminal
			t.Fatal(err)
		}
		if code, screen := tm.wait(); code != 130 {
			t.Errorf("exit %d, want 130; terminal:\n%s", code, screen)
		}
		f.wantStatus("ike", types.UserStatusTypeConfirmed)
	})
}

// TestProgressBarOnATerminal: with stderr on a terminal, bulk runs draw a progress bar with
// the record total of the input file, then clear it before the summary.
func TestProgressBarOnATerminal(t *testing.T) {
	f := newFixture(t, "jay", "kay", "lou")
	e := newEnv(t).withRootEnv()
	path := e.write(t, "users.csv", "Username\njay\nkay\nlou\n")
	tm := e.runTerminal(t, "cognito-idp", "admin-reset-user-password", "--endpoint-url", serverURL,
		"--user-pool-id", f.pool, "--input", path)
	code, screen := tm.wait()
	bar := "\r[" + strings.Repeat(" ", 30) + "] 0/3  0 reset, 0 failed\x1b[K"
	if code != 0 || !strings.Contains(screen, bar) || !strings.HasSuffix(screen, "\r\x1b[K3 reset, 0 failed\n") {
		t.Errorf("exit %d, terminal: %q", code, screen)
	}
	for _, u := range []string{"jay", "kay", "lou"} {
		f.wantStatus(u, types.UserStatusTypeResetRequired)
	}
}
