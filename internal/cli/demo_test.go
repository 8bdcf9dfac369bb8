package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestDemoTellsTheResetStory runs `cgip demo` end to end: its own server, the reset, the
// refused sign-in, the code from the inbox, the confirmation and the new tokens.
func TestDemoTellsTheResetStory(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Run(context.Background(), []string{"demo"}, nil, &out, &errb); code != 0 {
		t.Fatalf("cgip demo: exit %d\nstderr: %s\nstdout: %s", code, errb.String(), out.String())
	}
	got := out.String()
	for _, want := range []string{
		"status is now RESET_REQUIRED",
		"PasswordResetRequiredException: Password reset required for the user",
		`"Your verification code"`,
		"status is now CONFIRMED",
		"token_use: id",
		"cognito:username: alice",
		"email: alice@example.com",
		"done in ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if errb.Len() != 0 {
		t.Errorf("stderr not empty: %s", errb.String())
	}
}

func TestDemoRefusesArguments(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Run(context.Background(), []string{"demo", "--json"}, nil, &out, &errb); code != 2 || !strings.Contains(errb.String(), `unexpected argument "--json"`) {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
}
