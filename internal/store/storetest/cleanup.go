package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/cgip/cgip/internal/store"
)

// cleanupTests pin the periodic clean-up: expired refresh tokens and old finished messages go,
// everything still in use stays.
var cleanupTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"Cleanup/ExpiredRefreshTokens", testDeleteExpiredRefreshTokens},
	{"Cleanup/Messages", testDeleteMessages},
}

func testDeleteExpiredRefreshTokens(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	mustCreateUser(t, s, newUser(p.ID, "alice"))
	now := time.Now().UTC()
	old := newRefreshToken(p.ID, "alice")
	old.ExpiresAt = now.Add(-48 * time.Hour)
	live := newRefreshToken(p.ID, "alice")
	mustCreateRefreshToken(t, s, old)
	mustCreateRefreshToken(t, s, live)
	n, err := s.DeleteExpiredRefreshTokens(ctx, now.Add(-24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("DeleteExpiredRefreshTokens = %d, %v; want 1", n, err)
	}
	if _, err := s.GetRefreshToken(ctx, old.Hash); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("expired token still there: %v", err)
	}
	mustGetRefreshToken(t, s, live.Hash)
}

func testDeleteMessages(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	old := time.Now().UTC().Add(-40 * 24 * time.Hour)
	mk := func(status string, inbox bool, created time.Time) *store.Message {
		m := newMessage(p.ID, "alice")
		m.Status, m.Inbox, m.CreatedAt = status, inbox, created
		return mustEnqueue(t, s, m)
	}
	gone := mk(store.MessageSent, false, old)
	mk(store.MessageQueued, false, old)            // still to deliver
	mk(store.MessageSent, true, old)               // kept for the inbox
	mk(store.MessageSent, false, time.Now().UTC()) // recent
	n, err := s.DeleteMessages(ctx, time.Now().UTC().Add(-30*24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("DeleteMessages = %d, %v; want 1", n, err)
	}
	msgs, err := s.ListMessages(ctx, store.MessageQuery{PoolID: p.ID})
	if err != nil || len(msgs) != 3 {
		t.Fatalf("%d messages left, want 3 (%v)", len(msgs), err)
	}
	for _, m := range msgs {
		if m.ID == gone.ID {
			t.Fatal("the old delivered message is still there")
		}
	}
}
