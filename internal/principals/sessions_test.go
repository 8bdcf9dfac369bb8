package principals

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cgip/cgip/internal/iam"
	"github.com/cgip/cgip/internal/seal"
	"github.com/cgip/cgip/internal/store/sqlstore"
)

func newTestService(t testing.TB, now func() time.Time) *Service {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), ":memory:", sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sealer, err := seal.New(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	return New(Config{Store: st, Sealer: sealer, AccountID: "123456789012",
		Root: RootKey{AccessKeyID: "AKIAROOT000000000000", SecretAccessKey: "root-secret"}, Now: now})
}

// A session is accepted until its expiry and refused after it, with the STS sentinel errors;
// a token for another key id, or no token, is not a token.
func TestSessionLifetime(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := newTestService(t, func() time.Time { return now })
	ctx := context.Background()
	root := iam.RootPrincipal("123456789012", "AKIAROOT000000000000")
	if _, err := s.CreateRole(ctx, root, CreateRoleInput{Name: "r", TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"}]}`}); err != nil {
		t.Fatal(err)
	}
	ar, err := s.AssumeRole(ctx, root, AssumeRoleInput{RoleARN: "arn:aws:iam::123456789012:role/r", RoleSessionName: "s1", DurationSeconds: 900})
	if err != nil {
		t.Fatal(err)
	}
	c := ar.Credentials
	secret, p, err := s.LookupAccessKey(ctx, c.AccessKeyID, c.SessionToken)
	if err != nil || secret != c.SecretAccessKey || p.ARN != "arn:aws:sts::123456789012:assumed-role/r/s1" || p.Kind != iam.KindRole {
		t.Fatalf("lookup = %q, %+v, %v", secret, p, err)
	}
	if _, _, err := s.LookupAccessKey(ctx, c.AccessKeyID, ""); !errors.Is(err, ErrUnknownAccessKey) {
		t.Errorf("no token: %v", err)
	}
	if _, _, err := s.LookupAccessKey(ctx, newTempKeyID(), c.SessionToken); !errors.Is(err, ErrUnknownAccessKey) {
		t.Errorf("token of another key: %v", err)
	}
	if _, _, err := s.LookupAccessKey(ctx, "AKIAROOT000000000000", c.SessionToken); !errors.Is(err, ErrUnknownAccessKey) {
		t.Errorf("a long-term key with a token: %v", err)
	}
	now = now.Add(15 * time.Minute)
	if _, _, err := s.LookupAccessKey(ctx, c.AccessKeyID, c.SessionToken); !errors.Is(err, ErrExpiredToken) {
		t.Errorf("at expiry: %v", err)
	}
	_, err = s.AssumeRole(ctx, root, AssumeRoleInput{RoleARN: "arn:aws:iam::123456789012:role/r", RoleSessionName: "s2", DurationSeconds: 7200})
	var e *Error
	if !errors.As(err, &e) || e.Message != "The requested DurationSeconds exceeds the MaxSessionDuration set for this role." {
		t.Errorf("too long a session: %v", err)
	}
}

// FuzzLookupSessionToken: whatever arrives as X-Amz-Security-Token is refused cleanly.
func FuzzLookupSessionToken(f *testing.F) {
	s := newTestService(f, time.Now)
	f.Add("ASIAAAAAAAAAAAAAAAAA", "")
	f.Add("ASIAAAAAAAAAAAAAAAAA", "eyJrIjoiQVNJQSJ9")
	f.Add("AKIAROOT000000000000", "x")
	f.Fuzz(func(t *testing.T, id, token string) {
		_, _, err := s.LookupAccessKey(context.Background(), id, token)
		if token != "" && err == nil {
			t.Fatalf("a forged token was accepted")
		}
	})
}
