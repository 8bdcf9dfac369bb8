package seal

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"
)

func TestSealRoundTripAndLabelBinding(t *testing.T) {
	s, err := New(bytes.Repeat([]byte{7}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	sealed := s.Seal([]byte("top secret"), "client-secret:a")
	if bytes.Contains(sealed, []byte("top secret")) {
		t.Fatal("plaintext visible in sealed value")
	}
	got, err := s.Open(sealed, "client-secret:a")
	if err != nil || string(got) != "top secret" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := s.Open(sealed, "client-secret:b"); err != ErrOpen {
		t.Fatalf("a value moved to another label must not open, got %v", err)
	}
	other, _ := New(bytes.Repeat([]byte{8}, KeySize))
	if _, err := other.Open(sealed, "client-secret:a"); err != ErrOpen {
		t.Fatalf("another key must not open, got %v", err)
	}
}

func TestLoadKeyCreatesPrivateFileOnceAndPrefersEnv(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "master.key")
	k1, err := LoadKey("", path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %v, %v; want 0600", st.Mode().Perm(), err)
	}
	k2, err := LoadKey("", path)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatal("second load must return the stored key")
	}
	envKey := bytes.Repeat([]byte{1}, KeySize)
	k3, err := LoadKey(base64.StdEncoding.EncodeToString(envKey), path)
	if err != nil || !bytes.Equal(k3, envKey) {
		t.Fatal("environment key must win")
	}
	if _, err := LoadKey("dG9vIHNob3J0", path); err == nil {
		t.Fatal("a short key must be refused")
	}
}
