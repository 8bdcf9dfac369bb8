package storetest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cgip/cgip/internal/store"
)

// outboxTests are the subtests of Run for the outbox.
var outboxTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"Message/EnqueueList", testMessageEnqueueList},
	{"Message/EnqueueDefaults", testMessageEnqueueDefaults},
	{"Message/Errors", testMessageErrors},
	{"Message/ListFilters", testMessageListFilters},
	{"Message/CountQuota", testMessageCountQuota},
	{"Message/Claim", testMessageClaim},
	{"Message/ClaimLeaseExpiry", testMessageClaimLeaseExpiry},
	{"Message/ClaimRetry", testMessageClaimRetry},
	{"Message/ClaimInTx", testMessageClaimInTx},
	{"Message/ConcurrentClaims", testMessageConcurrentClaims},
	{"Message/ClearInbox", testMessageClearInbox},
	{"Message/Purge", testMessagePurge},
	{"Message/DeletedWithPool", testMessageDeletedWithPool},
}

func newMessage(poolID, username string) *store.Message {
	return &store.Message{
		PoolID:      poolID,
		Username:    username,
		Kind:        "ForgotPassword",
		Channel:     "EMAIL",
		Destination: username + "@example.com",
		Payload:     []byte{0, 1, 2, 0xff, 'c', 'o', 'd', 'e'},
	}
}

func mustEnqueue(t *testing.T, tx store.Tx, m *store.Message) *store.Message {
	t.Helper()
	if err := tx.EnqueueMessage(t.Context(), m); err != nil {
		t.Fatalf("EnqueueMessage(%s, %s): %v", m.PoolID, m.Username, err)
	}
	return m
}

func listMessages(t *testing.T, tx store.Tx, q store.MessageQuery) []store.Message {
	t.Helper()
	ms, err := tx.ListMessages(t.Context(), q)
	if err != nil {
		t.Fatalf("ListMessages(%+v): %v", q, err)
	}
	return ms
}

func mustClaim(t *testing.T, tx store.Tx, now time.Time, n int, lease time.Duration) []store.Message {
	t.Helper()
	ms, err := tx.ClaimMessages(t.Context(), now, n, lease)
	if err != nil {
		t.Fatalf("ClaimMessages(%v, %d, %v): %v", now, n, lease, err)
	}
	return ms
}

// rollback runs fn in a transaction that it then rolls back.
func rollback(t *testing.T, s store.Store, fn func(tx store.Tx)) {
	t.Helper()
	err := s.InTx(t.Context(), func(tx store.Tx) error {
		fn(tx)
		return errBoom
	})
	if err != errBoom {
		t.Fatalf("InTx = %v, want fn's error", err)
	}
}

func mustGetMessage(t *testing.T, tx store.Tx, poolID, id string) store.Message {
	t.Helper()
	for _, m := range listMessages(t, tx, store.MessageQuery{PoolID: poolID}) {
		if m.ID == id {
			return m
		}
	}
	t.Fatalf("message %s of pool %s not found", id, poolID)
	return store.Message{}
}

func messageIDs(ms []store.Message) []string {
	ids := make([]string, 0, len(ms))
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	return ids
}

func ids(ms ...*store.Message) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

// checkMessage compares every stored field but ClaimToken.
func checkMessage(t *testing.T, got, want *store.Message) {
	t.Helper()
	if got.ID != want.ID || got.PoolID != want.PoolID || got.Username != want.Username || got.Kind != want.Kind ||
		got.Channel != want.Channel || got.Destination != want.Destination || !bytes.Equal(got.Payload, want.Payload) ||
		(got.Payload == nil) != (want.Payload == nil) || got.Inbox != want.Inbox || got.QuotaKey != want.QuotaKey ||
		got.Status != want.Status || got.Error != want.Error || got.Attempts != want.Attempts {
		t.Errorf("message = %+v\nwant      %+v", *got, *want)
	}
	checkTime(t, "message "+want.ID+" CreatedAt", got.CreatedAt, want.CreatedAt)
	checkTime(t, "message "+want.ID+" NextAttemptAt", got.NextAttemptAt, want.NextAttemptAt)
	if want.SentAt.IsZero() {
		if !got.SentAt.IsZero() {
			t.Errorf("message %s SentAt = %v, want zero", want.ID, got.SentAt)
		}
	} else {
		checkTime(t, "message "+want.ID+" SentAt", got.SentAt, want.SentAt)
	}
}

func testMessageEnqueueList(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	q := mustCreatePool(t, s, newPool(region1, account1))
	before := time.Now()
	m := mustEnqueue(t, s, newMessage(p.ID, "alice"))
	if m.ID == "" || m.Status != "queued" || m.CreatedAt.Before(before.Add(-time.Second)) || m.CreatedAt.Location() != time.UTC {
		t.Errorf("EnqueueMessage defaults: id %q status %q created %v", m.ID, m.Status, m.CreatedAt)
	}
	m2 := mustEnqueue(t, s, newMessage(p.ID, "bob"))
	if m2.ID == m.ID {
		t.Errorf("two messages got the id %s", m.ID)
	}
	// Explicit values are kept; an older message sorts after newer ones.
	old := newMessage(p.ID, "carol")
	old.ID, old.Status, old.Payload = "explicit-id", store.MessageSent, nil
	old.Inbox, old.QuotaKey, old.Error, old.Attempts = true, "email:"+p.ID, "last: 421 try later", 3
	old.CreatedAt = time.Date(2024, 1, 2, 3, 4, 5, 6_000_000, time.FixedZone("X", 3600))
	old.NextAttemptAt = time.Date(2024, 1, 2, 3, 9, 5, 6_000_000, time.FixedZone("Y", -7200))
	old.SentAt = time.Date(2024, 1, 2, 3, 10, 0, 123_456_789, time.FixedZone("Z", 1800))
	old.ClaimToken = "not stored"
	want := *old
	mustEnqueue(t, s, old)
	if old.ClaimToken != "" || old.SentAt.Location() != time.UTC || old.NextAttemptAt.Location() != time.UTC {
		t.Errorf("EnqueueMessage left %+v", *old)
	}
	mustEnqueue(t, s, newMessage(q.ID, "alice"))
	// Messages of one instant come newest first too.
	same := time.Now().UTC().Truncate(time.Millisecond).Add(time.Hour)
	var burst []string
	noErr(t, "InTx", s.InTx(ctx, func(tx store.Tx) error {
		for i := range 3 {
			b := newMessage(p.ID, fmt.Sprint("burst", i))
			b.CreatedAt = same
			if err := tx.EnqueueMessage(ctx, b); err != nil {
				return err
			}
			burst = append(burst, b.ID)
		}
		return nil
	}))

	ms := listMessages(t, s, store.MessageQuery{PoolID: p.ID})
	wantIDs := []string{burst[2], burst[1], burst[0], m2.ID, m.ID, old.ID}
	if got := messageIDs(ms); !slices.Equal(got, wantIDs) {
		t.Fatalf("ListMessages = %v, want %v", got, wantIDs)
	}
	checkMessage(t, &ms[4], m)
	checkMessage(t, &ms[5], &want)
	if ms[5].ClaimToken != "" {
		t.Errorf("EnqueueMessage stored a claim token: %q", ms[5].ClaimToken)
	}
	if !ms[5].SentAt.Equal(want.SentAt.Truncate(time.Microsecond)) {
		t.Errorf("SentAt = %v, want %v to the microsecond", ms[5].SentAt, want.SentAt)
	}

	ms = listMessages(t, s, store.MessageQuery{PoolID: p.ID, Limit: 2})
	if got := messageIDs(ms); !slices.Equal(got, wantIDs[:2]) {
		t.Errorf("ListMessages with Limit 2 = %v, want %v", got, wantIDs[:2])
	}
	if ms := listMessages(t, s, store.MessageQuery{PoolID: q.ID, Limit: 10}); len(ms) != 1 {
		t.Errorf("ListMessages of another pool = %d messages, want 1", len(ms))
	}
}

// A message enqueued with only its content set is queued, due now, not in the inbox, counts
// against no quota and has no attempts, error, sent time or claim.
func testMessageEnqueueDefaults(t *testing.T, s store.Store) {
	p := mustCreatePool(t, s, newPool(region1, account1))
	before := time.Now().Add(-time.Millisecond)
	m := mustEnqueue(t, s, newMessage(p.ID, "alice"))
	after := time.Now().Add(time.Millisecond)
	for _, x := range []store.Message{*m, mustGetMessage(t, s, p.ID, m.ID)} {
		if x.Status != store.MessageQueued || x.Inbox || x.QuotaKey != "" || x.Error != "" || x.Attempts != 0 ||
			!x.SentAt.IsZero() || x.ClaimToken != "" {
			t.Errorf("defaults: %+v", x)
		}
		if x.NextAttemptAt.Before(before) || x.NextAttemptAt.After(after) || x.NextAttemptAt.Location() != time.UTC {
			t.Errorf("NextAttemptAt = %v, want now (%v..%v)", x.NextAttemptAt, before, after)
		}
		if x.CreatedAt.Before(before) || x.CreatedAt.After(after) {
			t.Errorf("CreatedAt = %v, want now (%v..%v)", x.CreatedAt, before, after)
		}
	}
	// An explicit CreatedAt leaves NextAttemptAt at now; an explicit NextAttemptAt is kept.
	back := time.Now().Add(-48 * time.Hour).Truncate(time.Millisecond)
	o := newMessage(p.ID, "bob")
	o.CreatedAt = back
	mustEnqueue(t, s, o)
	if o.NextAttemptAt.Before(before) {
		t.Errorf("NextAttemptAt of a message created in the past = %v, want now", o.NextAttemptAt)
	}
	f := newMessage(p.ID, "carol")
	f.NextAttemptAt = back.Add(72 * time.Hour)
	mustEnqueue(t, s, f)
	checkTime(t, "explicit NextAttemptAt", mustGetMessage(t, s, p.ID, f.ID).NextAttemptAt, back.Add(72*time.Hour))
}

func testMessageErrors(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	m := mustEnqueue(t, s, newMessage(p.ID, "alice"))
	dup := newMessage(p.ID, "bob")
	dup.ID = m.ID
	wantErr(t, "EnqueueMessage with a taken id", s.EnqueueMessage(ctx, dup), store.ErrConflict)
	wantErr(t, "EnqueueMessage in a missing pool", s.EnqueueMessage(ctx, newMessage(poolID(region1), "x")), store.ErrNotFound)
	noErr(t, "InTx", s.InTx(ctx, func(tx store.Tx) error {
		wantErr(t, "EnqueueMessage with a taken id in tx", tx.EnqueueMessage(ctx, dup), store.ErrConflict)
		wantErr(t, "EnqueueMessage in a missing pool in tx", tx.EnqueueMessage(ctx, newMessage(poolID(region1), "x")), store.ErrNotFound)
		return tx.EnqueueMessage(ctx, newMessage(p.ID, "carol"))
	}))
	if ms := listMessages(t, s, store.MessageQuery{PoolID: p.ID}); len(ms) != 2 {
		t.Errorf("ListMessages = %d messages, want 2", len(ms))
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	wantErr(t, "EnqueueMessage with a canceled context", s.EnqueueMessage(cctx, newMessage(p.ID, "x")), context.Canceled)
	_, err := s.ListMessages(cctx, store.MessageQuery{})
	wantErr(t, "ListMessages with a canceled context", err, context.Canceled)
	_, err = s.ClaimMessages(cctx, time.Now(), 10, time.Minute)
	wantErr(t, "ClaimMessages with a canceled context", err, context.Canceled)
	wantErr(t, "CreateUser with a canceled context", s.CreateUser(cctx, newUser(p.ID, "x")), context.Canceled)
	_, err = s.GetUser(cctx, p.ID, "x")
	wantErr(t, "GetUser with a canceled context", err, context.Canceled)
	_, err = s.ListUsers(cctx, store.UserQuery{PoolID: p.ID})
	wantErr(t, "ListUsers with a canceled context", err, context.Canceled)
}

func testMessageListFilters(t *testing.T, s store.Store) {
	p := mustCreatePool(t, s, newPool(region1, account1))
	q := mustCreatePool(t, s, newPool(region1, account1))
	base := time.Now().UTC().Truncate(time.Millisecond)
	msg := func(pool, user, kind, dest string, inbox bool, age time.Duration) *store.Message {
		m := newMessage(pool, user)
		m.Kind, m.Destination, m.Inbox, m.CreatedAt = kind, dest, inbox, base.Add(-age)
		if dest[0] == '+' {
			m.Channel = "SMS"
		}
		return mustEnqueue(t, s, m)
	}
	a1 := msg(p.ID, "alice", "ForgotPassword", "alice@example.com", true, 5*time.Minute)
	a2 := msg(p.ID, "alice", "SignUp", "+15550100", false, 4*time.Minute)
	b1 := msg(p.ID, "bob", "ForgotPassword", "bob@example.com", true, 3*time.Minute)
	qa := msg(q.ID, "alice", "ForgotPassword", "alice@example.com", true, 2*time.Minute)
	qb := msg(q.ID, "bob", "AdminCreateUser", "+15550100", false, time.Minute)

	for _, tc := range []struct {
		q    store.MessageQuery
		want []string
	}{
		{store.MessageQuery{}, ids(qb, qa, b1, a2, a1)},
		{store.MessageQuery{PoolID: p.ID}, ids(b1, a2, a1)},
		{store.MessageQuery{PoolID: poolID(region1)}, nil},
		{store.MessageQuery{Username: "alice"}, ids(qa, a2, a1)},
		{store.MessageQuery{Username: "ALICE"}, nil},
		{store.MessageQuery{PoolID: p.ID, Username: "alice"}, ids(a2, a1)},
		{store.MessageQuery{Kind: "ForgotPassword"}, ids(qa, b1, a1)},
		{store.MessageQuery{PoolID: q.ID, Kind: "ForgotPassword"}, ids(qa)},
		{store.MessageQuery{Destination: "alice@example.com"}, ids(qa, a1)},
		{store.MessageQuery{Destination: "+15550100"}, ids(qb, a2)},
		{store.MessageQuery{InboxOnly: true}, ids(qa, b1, a1)},
		{store.MessageQuery{PoolID: p.ID, InboxOnly: true}, ids(b1, a1)},
		{store.MessageQuery{Destination: "+15550100", InboxOnly: true}, nil},
		{store.MessageQuery{Since: base.Add(-3 * time.Minute)}, ids(qb, qa, b1)}, // at or after
		{store.MessageQuery{Since: base.Add(-3*time.Minute + time.Microsecond)}, ids(qb, qa)},
		{store.MessageQuery{Since: base}, nil},
		{store.MessageQuery{Limit: 2}, ids(qb, qa)},
		{store.MessageQuery{Limit: -1}, ids(qb, qa, b1, a2, a1)},
		{store.MessageQuery{Username: "alice", Limit: 1}, ids(qa)},
		{store.MessageQuery{PoolID: q.ID, Username: "alice", Kind: "ForgotPassword", Destination: "alice@example.com",
			InboxOnly: true, Since: base.Add(-2 * time.Minute), Limit: 1}, ids(qa)},
		{store.MessageQuery{PoolID: p.ID, Username: "alice", Kind: "ForgotPassword", Destination: "alice@example.com",
			InboxOnly: true, Since: base.Add(-4 * time.Minute)}, nil},
	} {
		if got := messageIDs(listMessages(t, s, tc.q)); !slices.Equal(got, tc.want) {
			t.Errorf("ListMessages(%+v) = %v, want %v", tc.q, got, tc.want)
		}
	}
	// Inside a transaction too, with the transaction's own writes.
	noErr(t, "InTx", s.InTx(t.Context(), func(tx store.Tx) error {
		m := newMessage(p.ID, "alice")
		m.Inbox = true
		mustEnqueue(t, tx, m)
		if got, want := messageIDs(listMessages(t, tx, store.MessageQuery{PoolID: p.ID, InboxOnly: true})), ids(m, b1, a1); !slices.Equal(got, want) {
			t.Errorf("ListMessages in tx = %v, want %v", got, want)
		}
		return nil
	}))
}

func testMessageCountQuota(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	q := mustCreatePool(t, s, newPool(region1, account1))
	base := time.Now().UTC().Truncate(time.Millisecond)
	emailQuota, smsQuota := "email:"+p.ID, "sms:"+p.ID
	enq := func(pool, quota, status string, age time.Duration) {
		m := newMessage(pool, "u")
		m.QuotaKey, m.Status, m.CreatedAt = quota, status, base.Add(-age)
		mustEnqueue(t, s, m)
	}
	enq(p.ID, emailQuota, "", 25*time.Hour)
	enq(p.ID, emailQuota, store.MessageSent, 23*time.Hour)
	enq(p.ID, emailQuota, store.MessageFailed, time.Hour)
	enq(p.ID, emailQuota, store.MessageDropped, 0)
	enq(q.ID, emailQuota, "", 0) // the key, not the pool, names the quota
	enq(p.ID, smsQuota, "", time.Minute)
	enq(p.ID, "", "", 0)

	count := func(tx store.Tx, key string, since time.Time) int64 {
		t.Helper()
		n, err := tx.CountMessages(ctx, key, since, 0)
		noErr(t, "CountMessages", err)
		return n
	}
	for _, tc := range []struct {
		key   string
		since time.Time
		want  int64
	}{
		{emailQuota, base.Add(-24 * time.Hour), 4},
		{emailQuota, base.Add(-25 * time.Hour), 5}, // at or after
		{emailQuota, time.Time{}, 5},
		{emailQuota, base, 2},
		{emailQuota, base.Add(time.Microsecond), 0},
		{smsQuota, base.Add(-24 * time.Hour), 1},
		{"email:" + q.ID, base.Add(-24 * time.Hour), 0},
	} {
		if got := count(s, tc.key, tc.since); got != tc.want {
			t.Errorf("CountMessages(%s, %v) = %d, want %d", tc.key, tc.since, got, tc.want)
		}
	}
	// atMost stops the count: a quota check needs to know only whether the limit is reached.
	for atMost, want := range map[int64]int64{1: 1, 3: 3, 5: 5, 6: 5} {
		if got, err := s.CountMessages(ctx, emailQuota, time.Time{}, atMost); err != nil || got != want {
			t.Errorf("CountMessages(atMost %d) = %d, %v; want %d", atMost, got, err, want)
		}
	}
	rollback(t, s, func(tx store.Tx) {
		m := newMessage(p.ID, "v")
		m.QuotaKey = smsQuota
		mustEnqueue(t, tx, m)
		if got := count(tx, smsQuota, base.Add(-time.Hour)); got != 2 {
			t.Errorf("CountMessages in tx after enqueue = %d, want 2", got)
		}
	})
	if got := count(s, smsQuota, base.Add(-time.Hour)); got != 1 {
		t.Errorf("CountMessages after rollback = %d, want 1", got)
	}
}

// Only queued messages that are due and not leased are claimed, oldest due first (messages due
// at the same time in insertion order), each with its own token; a claimed message is not
// claimed again while its lease holds.
func testMessageClaim(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	q := mustCreatePool(t, s, newPool(region1, account1))
	base := time.Now().UTC().Truncate(time.Millisecond)
	enq := func(pool, user, status string, due time.Duration) *store.Message {
		m := newMessage(pool, user)
		m.Status, m.NextAttemptAt = status, base.Add(due)
		return mustEnqueue(t, s, m)
	}
	d0 := enq(p.ID, "d0", "", -time.Minute) // inserted first, due last
	d1 := enq(p.ID, "d1", "", -3*time.Minute)
	d2 := enq(q.ID, "d2", "", -2*time.Minute) // any pool
	d3 := enq(p.ID, "d3", "", -2*time.Minute) // due with d2, inserted after it
	d4 := enq(p.ID, "d4", "", 0)              // due exactly now
	later := enq(p.ID, "later", "", time.Hour)
	for _, st := range []string{store.MessageSent, store.MessageFailed, store.MessageDropped} {
		enq(p.ID, st, st, -time.Hour)
	}

	if ms := mustClaim(t, s, base, 0, time.Minute); len(ms) != 0 {
		t.Errorf("ClaimMessages(n=0) = %v", messageIDs(ms))
	}
	first := mustClaim(t, s, base, 2, time.Minute)
	if got, want := messageIDs(first), ids(d1, d2); !slices.Equal(got, want) {
		t.Fatalf("first claim = %v, want %v", got, want)
	}
	second := mustClaim(t, s, base, 10, time.Minute)
	if got, want := messageIDs(second), ids(d3, d0, d4); !slices.Equal(got, want) {
		t.Fatalf("second claim = %v, want %v", got, want)
	}
	tokens := map[string]bool{}
	for _, m := range slices.Concat(first, second) {
		if m.ClaimToken == "" || tokens[m.ClaimToken] {
			t.Errorf("claimed message %s has token %q (empty or seen before)", m.ID, m.ClaimToken)
		}
		tokens[m.ClaimToken] = true
	}
	// Claimed messages come back whole.
	want := *d1
	got := first[0]
	got.ClaimToken = ""
	checkMessage(t, &got, &want)

	// Leased until base+1m: no claim before that returns them.
	for _, now := range []time.Time{base, base.Add(30 * time.Second), base.Add(time.Minute - time.Microsecond)} {
		if ms := mustClaim(t, s, now, 10, time.Minute); len(ms) != 0 {
			t.Errorf("claim at %v while leased = %v", now, messageIDs(ms))
		}
	}
	// Not due yet, until it is.
	if ms := mustClaim(t, s, base.Add(time.Hour-time.Microsecond), 10, time.Hour); len(ms) != 5 {
		t.Errorf("claim after the leases ran out = %v, want the 5 due messages", messageIDs(ms))
	}
	if ms := mustClaim(t, s, base.Add(time.Hour), 10, time.Minute); !slices.Equal(messageIDs(ms), ids(later)) {
		t.Errorf("claim once the last one is due = %v, want %v", messageIDs(ms), ids(later))
	}

	// Finishing: only the current token, once; the message must exist.
	bogus := first[0]
	bogus.ID = "no-such-message"
	wantErr(t, "FinishMessage of a missing message", s.FinishMessage(ctx, &bogus), store.ErrNotFound)
	noToken := first[0]
	noToken.ClaimToken = ""
	wantErr(t, "FinishMessage without a token", s.FinishMessage(ctx, &noToken), store.ErrConflict)
}

// A lease that runs out lets another claim take the message, with a new token; the old token
// then finishes nothing. A lease that ran out but that no one took over still finishes.
func testMessageClaimLeaseExpiry(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	base := time.Now().UTC().Truncate(time.Millisecond)
	var msgs []*store.Message
	for i := range 2 {
		m := newMessage(p.ID, fmt.Sprint("u", i))
		m.NextAttemptAt = base.Add(time.Duration(i-10) * time.Second)
		msgs = append(msgs, mustEnqueue(t, s, m))
	}
	a, b := msgs[0], msgs[1]
	old := mustClaim(t, s, base, 10, time.Minute)
	if !slices.Equal(messageIDs(old), ids(a, b)) {
		t.Fatalf("claim = %v, want %v", messageIDs(old), ids(a, b))
	}
	again := mustClaim(t, s, base.Add(time.Minute), 1, time.Minute)
	if !slices.Equal(messageIDs(again), ids(a)) {
		t.Fatalf("claim after the lease ran out = %v, want %v", messageIDs(again), ids(a))
	}
	if again[0].ClaimToken == old[0].ClaimToken || again[0].ClaimToken == "" {
		t.Errorf("re-claim kept the token %q", old[0].ClaimToken)
	}
	// The first holder lost a: its finish is refused and changes nothing.
	stale := old[0]
	stale.Status, stale.Attempts, stale.SentAt = store.MessageSent, 1, base.Add(time.Minute)
	wantErr(t, "FinishMessage with a stale token", s.FinishMessage(ctx, &stale), store.ErrConflict)
	if m := mustGetMessage(t, s, p.ID, a.ID); m.Status != store.MessageQueued || m.Attempts != 0 {
		t.Errorf("stale finish changed the message: %+v", m)
	}
	// ... but still holds b, whose lease ran out without another claim.
	held := old[1]
	held.Status, held.Attempts, held.SentAt = store.MessageSent, 1, base.Add(70*time.Second)
	noErr(t, "FinishMessage after the lease ran out, unclaimed", s.FinishMessage(ctx, &held))
	if held.ClaimToken != "" {
		t.Errorf("FinishMessage left the token %q in m", held.ClaimToken)
	}

	cur := again[0]
	cur.Status, cur.Attempts, cur.SentAt = store.MessageSent, 1, base.Add(80*time.Second)
	cur.NextAttemptAt = time.Time{} // now
	token := cur.ClaimToken
	before := time.Now().Add(-time.Millisecond)
	noErr(t, "FinishMessage with the current token", s.FinishMessage(ctx, &cur))
	stored := mustGetMessage(t, s, p.ID, a.ID)
	want := *a
	want.Status, want.Attempts, want.SentAt, want.NextAttemptAt = store.MessageSent, 1, base.Add(80*time.Second), cur.NextAttemptAt
	checkMessage(t, &stored, &want)
	if stored.ClaimToken != "" {
		t.Errorf("a finished message keeps the token %q", stored.ClaimToken)
	}
	if cur.NextAttemptAt.Before(before) {
		t.Errorf("zero NextAttemptAt stored as %v, want now", cur.NextAttemptAt)
	}
	// A token finishes once.
	cur.ClaimToken = token
	wantErr(t, "second FinishMessage with one token", s.FinishMessage(ctx, &cur), store.ErrConflict)
	if ms := mustClaim(t, s, base.Add(time.Hour), 10, time.Minute); len(ms) != 0 {
		t.Errorf("sent messages claimed: %v", messageIDs(ms))
	}
}

// FinishMessage with Status queued and a later NextAttemptAt schedules a retry: the message is
// claimable again at that time, not before, with what the attempt recorded.
func testMessageClaimRetry(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	base := time.Now().UTC().Truncate(time.Millisecond)
	m := newMessage(p.ID, "alice")
	m.NextAttemptAt = base.Add(-time.Second)
	mustEnqueue(t, s, m)
	other := mustEnqueue(t, s, newMessage(p.ID, "bob")) // due now (time.Now() >= base)

	c := mustClaim(t, s, base, 1, 5*time.Minute)
	if !slices.Equal(messageIDs(c), ids(m)) {
		t.Fatalf("claim = %v, want %v", messageIDs(c), ids(m))
	}
	retry := c[0]
	retry.Status, retry.Error, retry.Attempts = store.MessageQueued, "dial tcp: i/o timeout", 1
	retry.NextAttemptAt = base.Add(10 * time.Minute)
	noErr(t, "FinishMessage (retry later)", s.FinishMessage(ctx, &retry))

	// The lease is over but the message is not due: other messages go first.
	got := mustClaim(t, s, base.Add(time.Minute), 10, time.Minute)
	if !slices.Equal(messageIDs(got), ids(other)) {
		t.Fatalf("claim before the retry is due = %v, want %v", messageIDs(got), ids(other))
	}
	got[0].Status, got[0].Attempts, got[0].SentAt = store.MessageSent, 1, base.Add(time.Minute)
	noErr(t, "FinishMessage", s.FinishMessage(ctx, &got[0]))
	if got := mustClaim(t, s, base.Add(10*time.Minute-time.Microsecond), 10, time.Minute); len(got) != 0 {
		t.Errorf("claim just before the retry is due = %v", messageIDs(got))
	}
	c = mustClaim(t, s, base.Add(10*time.Minute), 1, time.Minute)
	if !slices.Equal(messageIDs(c), ids(m)) {
		t.Fatalf("claim once the retry is due = %v, want %v", messageIDs(c), ids(m))
	}
	if c[0].Attempts != 1 || c[0].Error != "dial tcp: i/o timeout" || c[0].Status != store.MessageQueued {
		t.Errorf("retried message = %+v", c[0])
	}
	checkTime(t, "retry NextAttemptAt", c[0].NextAttemptAt, base.Add(10*time.Minute))

	failed := c[0]
	failed.Status, failed.Error, failed.Attempts = store.MessageFailed, "550 no such user", 2
	noErr(t, "FinishMessage (failed)", s.FinishMessage(ctx, &failed))
	if got := mustClaim(t, s, base.Add(24*time.Hour), 10, time.Minute); len(got) != 0 {
		t.Errorf("claim after the message failed = %v", messageIDs(got))
	}
	stored := mustGetMessage(t, s, p.ID, m.ID)
	if stored.Status != store.MessageFailed || stored.Error != "550 no such user" || stored.Attempts != 2 ||
		!stored.SentAt.IsZero() || stored.ClaimToken != "" {
		t.Errorf("failed message = %+v", stored)
	}
}

// Claims and finishes inside InTx belong to the transaction.
func testMessageClaimInTx(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	base := time.Now().UTC().Truncate(time.Millisecond)
	m := newMessage(p.ID, "alice")
	m.NextAttemptAt = base.Add(-time.Second)
	mustEnqueue(t, s, m)

	err := s.InTx(ctx, func(tx store.Tx) error {
		if c := mustClaim(t, tx, base, 10, time.Minute); len(c) != 1 {
			t.Errorf("claim in tx = %v", messageIDs(c))
		}
		if c := mustClaim(t, tx, base, 10, time.Minute); len(c) != 0 {
			t.Errorf("second claim in the same tx = %v", messageIDs(c))
		}
		return errBoom
	})
	if err != errBoom {
		t.Fatalf("InTx = %v, want fn's error", err)
	}
	var claimed store.Message
	noErr(t, "InTx", s.InTx(ctx, func(tx store.Tx) error {
		c := mustClaim(t, tx, base, 10, time.Minute)
		if len(c) != 1 {
			t.Fatalf("claim after a rolled back claim = %v", messageIDs(c))
		}
		claimed = c[0]
		return nil
	}))
	noErr(t, "InTx", s.InTx(ctx, func(tx store.Tx) error {
		done := claimed
		done.Status, done.Attempts, done.SentAt = store.MessageSent, 1, base
		if err := tx.FinishMessage(ctx, &done); err != nil {
			return err
		}
		// The transaction goes on after a refused finish.
		wantErr(t, "FinishMessage twice in tx", tx.FinishMessage(ctx, &done), store.ErrConflict)
		missing := claimed
		missing.ID = "missing"
		wantErr(t, "FinishMessage of a missing message in tx", tx.FinishMessage(ctx, &missing), store.ErrNotFound)
		return nil
	}))
	if st := mustGetMessage(t, s, p.ID, m.ID); st.Status != store.MessageSent {
		t.Errorf("status after finishing in tx = %q", st.Status)
	}
}

func testMessageConcurrentClaims(t *testing.T, s store.Store) {
	ClaimRace(t, []store.Store{s}, 200, 4, 7)
}

// ClaimRace enqueues n messages through stores[0] and then runs workers goroutines per store
// that claim batches of at most batch messages and finish each as sent, until all are. It
// fails the test unless every message was claimed exactly once (leases last longer than the
// test, so a second claim of a message would break its lease), every FinishMessage succeeded
// and every message ends sent. Stores opened separately on one database stand for processes.
func ClaimRace(t *testing.T, stores []store.Store, n, workers, batch int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	p := mustCreatePool(t, stores[0], newPool(region1, account1))
	for i := 0; i < n; i += 100 {
		noErr(t, "InTx", stores[0].InTx(ctx, func(tx store.Tx) error {
			for j := i; j < min(i+100, n); j++ {
				if err := tx.EnqueueMessage(ctx, newMessage(p.ID, fmt.Sprintf("u%05d", j))); err != nil {
					return err
				}
			}
			return nil
		}))
	}

	var (
		mu       sync.Mutex
		claims   = map[string]int{} // message id -> claims that returned it
		perStore = make([]int, len(stores))
		calls    atomic.Int64
		empty    atomic.Int64
		finished atomic.Int64
		wg       sync.WaitGroup
	)
	fail := func(format string, args ...any) {
		if ctx.Err() == nil { // after the first failure, the others' canceled calls say nothing new
			t.Errorf(format, args...)
		}
		cancel()
	}
	start := time.Now()
	for si, s := range stores {
		for w := range workers {
			wg.Go(func() {
				for finished.Load() < int64(n) {
					ms, err := s.ClaimMessages(ctx, time.Now(), batch, time.Hour)
					calls.Add(1)
					if err != nil {
						fail("store %d worker %d: ClaimMessages: %v", si, w, err)
						return
					}
					if len(ms) > batch {
						t.Errorf("store %d worker %d: claim of %d returned %d messages", si, w, batch, len(ms))
					}
					if len(ms) == 0 { // the rest is claimed by others, who are finishing it
						empty.Add(1)
						time.Sleep(time.Millisecond)
						continue
					}
					mu.Lock()
					for _, m := range ms {
						claims[m.ID]++
					}
					perStore[si] += len(ms)
					mu.Unlock()
					for i := range ms {
						m := &ms[i]
						m.Status, m.Attempts, m.SentAt = store.MessageSent, m.Attempts+1, time.Now()
						if err := s.FinishMessage(ctx, m); err != nil {
							fail("store %d worker %d: FinishMessage(%s): %v", si, w, m.ID, err)
							return
						}
						finished.Add(1)
					}
				}
			})
		}
	}
	wg.Wait()
	elapsed := time.Since(start)
	t.Logf("%d messages, %d stores x %d workers, batches of %d: %v; %d claim calls (%d empty); claimed per store %v",
		n, len(stores), workers, batch, elapsed.Round(time.Millisecond), calls.Load(), empty.Load(), perStore)
	var twice []string
	for id, c := range claims {
		if c != 1 {
			twice = append(twice, fmt.Sprintf("%s x%d", id, c))
		}
	}
	if len(twice) > 0 {
		t.Errorf("%d messages claimed more than once: %v", len(twice), twice)
	}
	if t.Failed() {
		return
	}
	if len(claims) != n {
		t.Errorf("%d messages claimed, want %d", len(claims), n)
	}
	ms := listMessages(t, stores[len(stores)-1], store.MessageQuery{PoolID: p.ID})
	if len(ms) != n {
		t.Errorf("ListMessages = %d messages, want %d", len(ms), n)
	}
	for _, m := range ms {
		if m.Status != store.MessageSent || m.Attempts != 1 || m.SentAt.IsZero() || m.ClaimToken != "" || claims[m.ID] != 1 {
			t.Errorf("message after the race: %+v (claimed %d times)", m, claims[m.ID])
			break
		}
	}
	if left := mustClaim(t, stores[0], time.Now().Add(2*time.Hour), n, time.Minute); len(left) != 0 {
		t.Errorf("%d messages still claimable after the race", len(left))
	}
}

func testMessageClearInbox(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	q := mustCreatePool(t, s, newPool(region1, account1))
	var all []*store.Message
	for i, pool := range []string{p.ID, q.ID, p.ID} {
		m := newMessage(pool, fmt.Sprint("u", i))
		m.Inbox = i < 2
		all = append(all, mustEnqueue(t, s, m))
	}
	rollback(t, s, func(tx store.Tx) {
		noErr(t, "ClearInbox in tx", tx.ClearInbox(ctx))
		if ms := listMessages(t, tx, store.MessageQuery{InboxOnly: true}); len(ms) != 0 {
			t.Errorf("inbox in tx after ClearInbox = %v", messageIDs(ms))
		}
	})
	if ms := listMessages(t, s, store.MessageQuery{InboxOnly: true}); len(ms) != 2 {
		t.Errorf("inbox after a rolled back ClearInbox = %v", messageIDs(ms))
	}

	noErr(t, "ClearInbox", s.ClearInbox(ctx))
	if ms := listMessages(t, s, store.MessageQuery{InboxOnly: true}); len(ms) != 0 {
		t.Errorf("inbox after ClearInbox = %v", messageIDs(ms))
	}
	// Only the inbox view changes.
	for _, m := range all {
		want := *m
		want.Inbox = false
		got := mustGetMessage(t, s, m.PoolID, m.ID)
		checkMessage(t, &got, &want)
	}
	noErr(t, "ClearInbox again", s.ClearInbox(ctx))
	m := newMessage(p.ID, "late")
	m.Inbox = true
	mustEnqueue(t, s, m)
	if got := messageIDs(listMessages(t, s, store.MessageQuery{InboxOnly: true})); !slices.Equal(got, ids(m)) {
		t.Errorf("inbox after a new message = %v, want %v", got, ids(m))
	}
}

func testMessagePurge(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	base := time.Now().UTC().Truncate(time.Millisecond)
	before := base.Add(-time.Hour)
	msg := func(user, status string, inbox bool, created time.Time) *store.Message {
		m := newMessage(p.ID, user)
		m.Status, m.Inbox, m.CreatedAt = status, inbox, created
		m.NextAttemptAt = created
		return mustEnqueue(t, s, m)
	}
	old := before.Add(-time.Minute)
	sent := msg("sent", store.MessageSent, false, old)
	failed := msg("failed", store.MessageFailed, false, old)
	dropped := msg("dropped", store.MessageDropped, false, old)
	inInbox := msg("inbox", store.MessageSent, true, old)
	queued := msg("queued", store.MessageQueued, false, old)
	atBefore := msg("at-before", store.MessageSent, false, before) // not created before before
	recent := msg("recent", store.MessageSent, false, base)
	empty := newMessage(p.ID, "empty")
	empty.Status, empty.CreatedAt, empty.Payload = store.MessageSent, old, nil
	mustEnqueue(t, s, empty)

	purge := func(tx store.Tx, before time.Time) int64 {
		t.Helper()
		n, err := tx.PurgeMessages(ctx, before)
		noErr(t, "PurgeMessages", err)
		return n
	}
	payloads := func() map[string]bool {
		out := map[string]bool{}
		for _, m := range listMessages(t, s, store.MessageQuery{PoolID: p.ID}) {
			out[m.ID] = m.Payload != nil
			if m.Payload != nil && !bytes.Equal(m.Payload, sent.Payload) {
				t.Errorf("message %s payload changed to %x", m.ID, m.Payload)
			}
		}
		return out
	}

	rollback(t, s, func(tx store.Tx) {
		if n := purge(tx, before); n != 3 {
			t.Errorf("PurgeMessages in tx = %d, want 3", n)
		}
	})
	if n := purge(s, before); n != 3 {
		t.Errorf("PurgeMessages = %d, want 3", n)
	}
	has := payloads()
	for _, m := range []*store.Message{sent, failed, dropped} {
		if has[m.ID] {
			t.Errorf("%s message kept its payload", m.Username)
		}
	}
	for _, m := range []*store.Message{inInbox, queued, atBefore, recent} {
		if !has[m.ID] {
			t.Errorf("%s message lost its payload", m.Username)
		}
	}
	if n := purge(s, before); n != 0 {
		t.Errorf("PurgeMessages again = %d, want 0", n)
	}
	// Out of the inbox, the inbox message goes too; once delivered, the queued one.
	noErr(t, "ClearInbox", s.ClearInbox(ctx))
	c := mustClaim(t, s, base, 10, time.Minute)
	if !slices.Equal(messageIDs(c), ids(queued)) {
		t.Fatalf("claim = %v, want %v", messageIDs(c), ids(queued))
	}
	c[0].Status, c[0].Attempts, c[0].SentAt = store.MessageSent, 1, base
	noErr(t, "FinishMessage", s.FinishMessage(ctx, &c[0]))
	if n := purge(s, before); n != 2 {
		t.Errorf("PurgeMessages after ClearInbox and delivery = %d, want 2", n)
	}
	if n := purge(s, base.Add(time.Millisecond)); n != 2 {
		t.Errorf("PurgeMessages of everything = %d, want 2", n)
	}
	for id, kept := range payloads() {
		if kept {
			t.Errorf("message %s kept its payload", id)
		}
	}
	// Everything else is untouched.
	got := mustGetMessage(t, s, p.ID, recent.ID)
	want := *recent
	want.Payload = nil
	checkMessage(t, &got, &want)
}

// Deleting a pool deletes its messages, claimed or not: a worker's FinishMessage then finds
// nothing; other pools' messages stay.
func testMessageDeletedWithPool(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	keep := mustCreatePool(t, s, newPool(region1, account1))
	base := time.Now().UTC().Truncate(time.Millisecond)
	var kept []*store.Message
	for i := range 3 {
		for _, pool := range []string{p.ID, keep.ID} {
			m := newMessage(pool, fmt.Sprint("u", i))
			m.QuotaKey, m.Inbox, m.NextAttemptAt = "email:"+pool, true, base.Add(time.Duration(i-10)*time.Second)
			mustEnqueue(t, s, m)
			if pool == keep.ID {
				kept = append(kept, m)
			}
		}
	}
	c := mustClaim(t, s, base, 2, time.Minute) // one of each pool
	noErr(t, "DeleteUserPool", s.DeleteUserPool(ctx, region1, p.ID))
	for i := range c {
		c[i].Status, c[i].Attempts, c[i].SentAt = store.MessageSent, 1, base
		err := s.FinishMessage(ctx, &c[i])
		if c[i].PoolID == p.ID {
			wantErr(t, "FinishMessage of a deleted pool's message", err, store.ErrNotFound)
		} else {
			noErr(t, "FinishMessage of a kept pool's message", err)
		}
	}
	if ms := listMessages(t, s, store.MessageQuery{PoolID: p.ID}); len(ms) != 0 {
		t.Errorf("messages of a deleted pool: %v", messageIDs(ms))
	}
	if got, want := messageIDs(listMessages(t, s, store.MessageQuery{})), ids(kept[2], kept[1], kept[0]); !slices.Equal(got, want) {
		t.Errorf("messages after deleting a pool = %v, want %v", got, want)
	}
	n, err := s.CountMessages(ctx, "email:"+p.ID, time.Time{}, 0)
	noErr(t, "CountMessages", err)
	if n != 0 {
		t.Errorf("CountMessages of a deleted pool's quota = %d", n)
	}
	if got, want := messageIDs(mustClaim(t, s, base, 10, time.Minute)), ids(kept[1], kept[2]); !slices.Equal(got, want) {
		t.Errorf("claim after deleting a pool = %v, want %v", got, want)
	}
}
