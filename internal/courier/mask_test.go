package courier

import "testing"

// SPEC-password-reset section 4: masking in CodeDeliveryDetails.
func TestMasking(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"test@test.com", "t***@t***"},
		{"alice.smith@example.co.uk", "a***@e***"},
		{"élise@exemple.fr", "é***@e***"},
		{"broken", "***"},
	} {
		if got := MaskEmail(tc.in); got != tc.want {
			t.Errorf("MaskEmail(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"+15555550123", "+*******0123"},
		{"+447700900123", "+********0123"},
		{"+1234", "+1234"},
	} {
		if got := MaskPhone(tc.in); got != tc.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRender(t *testing.T) {
	got := Render(DefaultInviteMessage, "alice", "Tmp-pw-1")
	if got != "Your username is alice and temporary password is Tmp-pw-1." {
		t.Fatal(got)
	}
	if Render(DefaultVerificationMessage, "", "012345") != "Your verification code is 012345. " {
		t.Fatal("verification default")
	}
	if !LooksLikeHTML("<p>Your code is {####}</p>") || LooksLikeHTML("Your code is {####} <3") {
		t.Fatal("LooksLikeHTML")
	}
}
