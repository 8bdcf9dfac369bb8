package sigv4

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"sync"
	"testing"
)

// TestDeriveKeyAWSExample is the worked example from AWS's "derive a signing key" docs.
func TestDeriveKeyAWSExample(t *testing.T) {
	got := hex.EncodeToString(deriveKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam"))
	if want := "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestKeyCache(t *testing.T) {
	c := newKeyCache(2)
	k1 := c.get("secret", "20240517", "us-east-1", "cognito-idp")
	if !bytes.Equal(k1, deriveKey("secret", "20240517", "us-east-1", "cognito-idp")) {
		t.Fatal("cached key differs from the derived one")
	}
	if again := c.get("secret", "20240517", "us-east-1", "cognito-idp"); !bytes.Equal(again, k1) || c.hits != 1 || c.misses != 1 {
		t.Fatalf("second lookup: hits=%d misses=%d", c.hits, c.misses)
	}
	// A rotated secret must not get the old key.
	if k2 := c.get("rotated", "20240517", "us-east-1", "cognito-idp"); bytes.Equal(k2, k1) || c.misses != 2 {
		t.Fatal("a new secret reused the old key")
	}
	c.get("secret", "20240518", "us-east-1", "cognito-idp")
	if len(c.keys) != 2 {
		t.Fatalf("cache holds %d keys, bound is 2", len(c.keys))
	}
}

func TestKeyCacheConcurrent(t *testing.T) {
	c := newKeyCache(8)
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 200 {
				date := fmt.Sprintf("202405%02d", (g+i)%12+1)
				if got := c.get("s", date, "us-east-1", "cognito-idp"); !bytes.Equal(got, deriveKey("s", date, "us-east-1", "cognito-idp")) {
					t.Error("wrong key under concurrency")
					return
				}
			}
		})
	}
	wg.Wait()
	if len(c.keys) > 8 {
		t.Fatalf("cache grew to %d", len(c.keys))
	}
}

// TestVerifyUsesCache shows Verify derives a scope's key once.
func TestVerifyUsesCache(t *testing.T) {
	body := []byte(`{}`)
	r := cognitoRequest(t, "sa-east-1", "ListUsers", body)
	signHeader(t, r, body, creds(""), service, "sa-east-1", signedAt)
	a, err := Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	before := snapshot()
	for range 3 {
		if err := Verify(r, body, a, testSecret, signedAt); err != nil {
			t.Fatal(err)
		}
	}
	after := snapshot()
	if after.misses-before.misses != 1 || after.hits-before.hits != 2 {
		t.Fatalf("3 verifications: %d misses, %d hits; want 1 and 2", after.misses-before.misses, after.hits-before.hits)
	}
}

func snapshot() struct{ hits, misses int } {
	signingKeys.mu.Lock()
	defer signingKeys.mu.Unlock()
	return struct{ hits, misses int }{signingKeys.hits, signingKeys.misses}
}
