package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cgip/cgip/internal/store"
)

// userTests are the subtests of Run for users and groups.
var userTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"User/CreateGet", testUserCreateGet},
	{"User/EmptyFields", testUserEmptyFields},
	{"User/MissingPool", testUserMissingPool},
	{"User/CreateConflicts", testUserCreateConflicts},
	{"User/Update", testUserUpdate},
	{"User/UpdateConflicts", testUserUpdateConflicts},
	{"User/ConflictsInTx", testUserConflictsInTx},
	{"User/AliasMoveInTx", testUserAliasMoveInTx},
	{"User/ConcurrentOptimisticUpdates", testUserConcurrentOptimistic},
	{"User/Delete", testUserDelete},
	{"User/Rollback", testUserRollback},
	{"User/List", testUserList},
	{"User/ListFiltered", testUserListFiltered},
	{"User/ListPrefixEdgeCases", testUserListPrefixEdgeCases},
	{"User/ListByKeys", testUserListByKeys},
	{"User/ListWhileInserting", testUserListWhileInserting},
	{"User/DeletedWithPool", testUserDeletedWithPool},
	{"Group/CRUD", testGroupCRUD},
	{"Group/List", testGroupList},
	{"Group/Memberships", testGroupMemberships},
	{"Group/DeleteRemovesMemberships", testGroupDeleteMemberships},
}

func newSub() string {
	s := strings.ToLower(randString(32))
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}

// newUser returns a user of the pool with every field set; name is the username, its lower
// case the username key, and <key>@example.com the email (an alias and an index entry).
func newUser(poolID, name string) *store.User {
	now := time.Now().Truncate(time.Millisecond)
	key := strings.ToLower(name)
	email := key + "@example.com"
	sub := newSub()
	return &store.User{
		PoolID:      poolID,
		Username:    name,
		UsernameKey: key,
		Sub:         sub,
		Enabled:     true,
		Status:      "CONFIRMED",
		Attributes:  map[string]string{"email": email, "email_verified": "true", "name": "Ünïcode ✓ \"q\""},
		Index: map[string]string{"username": key, "sub": sub, "email": email,
			"cognito:user_status": "CONFIRMED", "status": "Enabled"},
		Aliases:         map[string]string{"email": email},
		PasswordHash:    "$argon2id$v=19$m=19456,t=2,p=1$" + randString(22),
		PasswordHistory: []string{"$argon2id$old1", "$argon2id$old0"},
		Extra:           []byte(`{"mfa": {"preferred": "SOFTWARE_TOKEN_MFA"}, "n": 0}`),
		CreatedAt:       now,
		UpdatedAt:       now,
	}
}

func mustCreateUser(t *testing.T, tx store.Tx, u *store.User) *store.User {
	t.Helper()
	if err := tx.CreateUser(t.Context(), u); err != nil {
		t.Fatalf("CreateUser(%s): %v", u.UsernameKey, err)
	}
	return u
}

func mustGetUser(t *testing.T, tx store.Tx, poolID, key string) *store.User {
	t.Helper()
	u, err := tx.GetUser(t.Context(), poolID, key)
	if err != nil {
		t.Fatalf("GetUser(%s, %s): %v", poolID, key, err)
	}
	return u
}

// checkUser compares every field; maps must come back non-nil, nil and empty are otherwise the
// same (also for PasswordHistory and Extra). Index comes back with the user's keys in it,
// whatever want.Index says of them.
func checkUser(t *testing.T, got, want *store.User) {
	t.Helper()
	if got.PoolID != want.PoolID || got.UsernameKey != want.UsernameKey || got.Username != want.Username ||
		got.Sub != want.Sub || got.Enabled != want.Enabled || got.Status != want.Status {
		t.Errorf("user: got %s/%s/%q sub %s enabled %v %s, want %s/%s/%q sub %s enabled %v %s",
			got.PoolID, got.UsernameKey, got.Username, got.Sub, got.Enabled, got.Status,
			want.PoolID, want.UsernameKey, want.Username, want.Sub, want.Enabled, want.Status)
	}
	for _, m := range []struct {
		what      string
		got, want map[string]string
	}{
		{"Attributes", got.Attributes, want.Attributes},
		{"Index", got.Index, withKeyEntries(want)},
		{"Aliases", got.Aliases, want.Aliases},
	} {
		if m.got == nil {
			t.Errorf("user %s %s: nil map", want.UsernameKey, m.what)
		}
		if !maps.Equal(m.got, m.want) {
			t.Errorf("user %s %s: got %v, want %v", want.UsernameKey, m.what, m.got, m.want)
		}
	}
	if got.PasswordHash != want.PasswordHash || !slices.Equal(got.PasswordHistory, want.PasswordHistory) {
		t.Errorf("user %s password: got %q %q, want %q %q", want.UsernameKey,
			got.PasswordHash, got.PasswordHistory, want.PasswordHash, want.PasswordHistory)
	}
	if !bytes.Equal(got.Extra, want.Extra) {
		t.Errorf("user %s Extra: got %q, want %q", want.UsernameKey, got.Extra, want.Extra)
	}
	if got.Version != want.Version {
		t.Errorf("user %s Version: got %d, want %d", want.UsernameKey, got.Version, want.Version)
	}
	checkTime(t, "user "+want.UsernameKey+" CreatedAt", got.CreatedAt, want.CreatedAt)
	checkTime(t, "user "+want.UsernameKey+" UpdatedAt", got.UpdatedAt, want.UpdatedAt)
}

// withKeyEntries is u's Index as the store reads it back: with the user's keys.
func withKeyEntries(u *store.User) map[string]string {
	index := maps.Clone(u.Index)
	if index == nil {
		index = map[string]string{}
	}
	index[store.IndexUsername], index[store.IndexSub] = u.UsernameKey, u.Sub
	return index
}

func userKeys(us []store.User) []string {
	keys := make([]string, len(us))
	for i, u := range us {
		keys[i] = u.UsernameKey
	}
	return keys
}

// listAllUsers pages through ListUsers with q (q.Limit per page), passing the last user's
// (Index[q.Attr], UsernameKey) on, and checks that every page is in order and within the limit.
// It returns the username keys.
func listAllUsers(t *testing.T, tx store.Tx, q store.UserQuery) []string {
	t.Helper()
	var keys []string
	var lastValue, lastKey string
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatal("ListUsers: paging does not end")
		}
		us, err := tx.ListUsers(t.Context(), q)
		if err != nil {
			t.Fatalf("ListUsers(%+v): %v", q, err)
		}
		if q.Limit > 0 && len(us) > q.Limit {
			t.Fatalf("ListUsers(%+v) returned %d users", q, len(us))
		}
		for _, u := range us {
			if u.PoolID != q.PoolID {
				t.Fatalf("ListUsers(%s) returned a user of pool %s", q.PoolID, u.PoolID)
			}
			v, ok := u.Index[q.Attr]
			switch {
			case q.Attr != "" && !ok:
				t.Fatalf("ListUsers(%+v) returned %s without that index entry", q, u.UsernameKey)
			case q.Attr != "" && !q.Prefix && v != q.Value, q.Prefix && !strings.HasPrefix(v, q.Value):
				t.Fatalf("ListUsers(%+v) returned %s with %q", q, u.UsernameKey, v)
			case len(keys) > 0 && (v < lastValue || v == lastValue && u.UsernameKey <= lastKey):
				t.Fatalf("ListUsers(%+v): (%q, %s) after (%q, %s): out of order or repeated",
					q, v, u.UsernameKey, lastValue, lastKey)
			}
			lastValue, lastKey = v, u.UsernameKey
			keys = append(keys, u.UsernameKey)
		}
		if q.Limit <= 0 || len(us) < q.Limit {
			return keys
		}
		q.AfterValue, q.After = lastValue, lastKey
	}
}

// --- users ---

func testUserCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	other := mustCreatePool(t, s, newPool(region1, account1))
	u := newUser(p.ID, "Alice")
	u.UpdatedAt = u.CreatedAt.Add(time.Second)
	u.Attributes["custom:team"] = "a\tb\n"
	u.Index["name"] = "Ünïcode"
	u.Aliases["phone_number"] = "+15555550100"
	want := *u
	mustCreateUser(t, s, u)
	if u.Version <= 0 {
		t.Fatalf("Version after create = %d, want > 0", u.Version)
	}
	want.Version = u.Version
	got := mustGetUser(t, s, p.ID, "alice")
	checkUser(t, got, &want)
	peeked, err := s.PeekUser(ctx, p.ID, "alice")
	noErr(t, "PeekUser", err)
	if peeked.Index != nil || peeked.Aliases != nil || peeked.Stored != nil {
		t.Errorf("PeekUser returned entries: %v %v %v", peeked.Index, peeked.Aliases, peeked.Stored)
	}
	peeked.Index, peeked.Aliases = want.Index, want.Aliases
	checkUser(t, peeked, &want)
	_, err = s.PeekUser(ctx, other.ID, "alice")
	wantErr(t, "PeekUser in another pool", err, store.ErrNotFound)

	// The returned record is the caller's.
	got.Attributes["email"] = "changed"
	got.Index["email"] = "changed"
	got.Aliases["email"] = "changed"
	got.Extra[0] = 'X'
	checkUser(t, mustGetUser(t, s, p.ID, "alice"), &want)

	for _, find := range []struct {
		what string
		fn   func() (*store.User, error)
	}{
		{"FindUserByAlias email", func() (*store.User, error) { return s.FindUserByAlias(ctx, p.ID, "email", "alice@example.com") }},
		{"FindUserByAlias phone", func() (*store.User, error) { return s.FindUserByAlias(ctx, p.ID, "phone_number", "+15555550100") }},
		{"FindUserByIndex sub", func() (*store.User, error) { return s.FindUserByIndex(ctx, p.ID, "sub", u.Sub) }},
		{"FindUserByIndex name", func() (*store.User, error) { return s.FindUserByIndex(ctx, p.ID, "name", "Ünïcode") }},
	} {
		got, err := find.fn()
		noErr(t, find.what, err)
		checkUser(t, got, &want)
	}

	for _, missing := range []struct {
		what string
		fn   func() (*store.User, error)
	}{
		{"GetUser through another pool", func() (*store.User, error) { return s.GetUser(ctx, other.ID, "alice") }},
		{"GetUser by username (not key)", func() (*store.User, error) { return s.GetUser(ctx, p.ID, "Alice") }},
		{"GetUser in a missing pool", func() (*store.User, error) { return s.GetUser(ctx, poolID(region1), "alice") }},
		{"FindUserByAlias another kind", func() (*store.User, error) {
			return s.FindUserByAlias(ctx, p.ID, "preferred_username", "alice@example.com")
		}},
		{"FindUserByAlias another pool", func() (*store.User, error) { return s.FindUserByAlias(ctx, other.ID, "email", "alice@example.com") }},
		{"FindUserByAlias another value", func() (*store.User, error) { return s.FindUserByAlias(ctx, p.ID, "email", "ALICE@example.com") }},
		{"FindUserByIndex an attribute only", func() (*store.User, error) { return s.FindUserByIndex(ctx, p.ID, "custom:team", "a\tb\n") }},
		{"FindUserByIndex another pool", func() (*store.User, error) { return s.FindUserByIndex(ctx, other.ID, "sub", u.Sub) }},
	} {
		_, err := missing.fn()
		wantErr(t, missing.what, err, store.ErrNotFound)
	}

	// FindUserByIndex of a value several users share returns the first by username key.
	b := mustCreateUser(t, s, newUser(p.ID, "bob"))
	c := mustCreateUser(t, s, newUser(p.ID, "Aaron"))
	for _, x := range []*store.User{b, c} {
		if x.Index["cognito:user_status"] != "CONFIRMED" {
			t.Fatal("test users differ in status")
		}
	}
	first, err := s.FindUserByIndex(ctx, p.ID, "cognito:user_status", "CONFIRMED")
	noErr(t, "FindUserByIndex of a shared value", err)
	if first.UsernameKey != "aaron" {
		t.Errorf("FindUserByIndex of a shared value = %s, want aaron", first.UsernameKey)
	}
	n, err := s.CountUsers(ctx, p.ID)
	noErr(t, "CountUsers", err)
	if n != 3 {
		t.Errorf("CountUsers = %d, want 3", n)
	}
	n, err = s.CountUsers(ctx, other.ID)
	noErr(t, "CountUsers", err)
	if n != 0 {
		t.Errorf("CountUsers of another pool = %d, want 0", n)
	}
}

// Nil maps, history and extra: maps come back empty and non-nil; zero times become now.
func testUserEmptyFields(t *testing.T, s store.Store) {
	p := mustCreatePool(t, s, newPool(region1, account1))
	u := &store.User{PoolID: p.ID, Username: "bare", UsernameKey: "bare", Sub: newSub(), Status: "UNCONFIRMED"}
	before := time.Now()
	mustCreateUser(t, s, u)
	if u.CreatedAt.Before(before.Add(-time.Second)) || u.CreatedAt.After(time.Now().Add(time.Second)) ||
		!u.UpdatedAt.Equal(u.CreatedAt) || u.CreatedAt.Location() != time.UTC {
		t.Errorf("zero times became %v / %v, want now (UTC) twice", u.CreatedAt, u.UpdatedAt)
	}
	got := mustGetUser(t, s, p.ID, "bare")
	want := *u
	checkUser(t, got, &want)
	if got.Enabled {
		t.Error("Enabled came back true")
	}
	if got.Extra != nil {
		t.Errorf("nil Extra came back as %q", got.Extra)
	}
	us, err := s.ListUsers(t.Context(), store.UserQuery{PoolID: p.ID})
	noErr(t, "ListUsers", err)
	if len(us) != 1 || us[0].Index == nil || us[0].Aliases == nil || us[0].Attributes == nil {
		t.Errorf("ListUsers = %+v, want the user with non-nil maps", us)
	}
}

func testUserMissingPool(t *testing.T, s store.Store) {
	ctx := t.Context()
	u := newUser(poolID(region1), "nopool")
	wantErr(t, "CreateUser in a missing pool", s.CreateUser(ctx, u), store.ErrNotFound)
	if u.Version != 0 {
		t.Errorf("failed CreateUser set Version %d", u.Version)
	}
	_, err := s.GetUser(ctx, u.PoolID, u.UsernameKey)
	wantErr(t, "GetUser after failed create", err, store.ErrNotFound)
	noErr(t, "InTx", s.InTx(ctx, func(tx store.Tx) error {
		wantErr(t, "CreateUser in a missing pool in tx", tx.CreateUser(ctx, newUser(poolID(region1), "nopool")), store.ErrNotFound)
		return nil
	}))
}

// wantNoTrace checks that nothing of a failed create or update was stored: no user has u's sub,
// aliases or index values, but for the owners named.
func wantNoTrace(t *testing.T, tx store.Tx, u *store.User, owners ...string) {
	t.Helper()
	ctx := t.Context()
	ours := func(got *store.User, err error, what string) {
		t.Helper()
		if errors.Is(err, store.ErrNotFound) {
			return
		}
		noErr(t, what, err)
		if !slices.Contains(owners, got.UsernameKey) {
			t.Errorf("%s found %s, left behind by a failed write", what, got.UsernameKey)
		}
	}
	got, err := tx.FindUserByIndex(ctx, u.PoolID, "sub", u.Sub)
	ours(got, err, "FindUserByIndex(sub)")
	for name, v := range u.Index {
		got, err := tx.FindUserByIndex(ctx, u.PoolID, name, v)
		ours(got, err, "FindUserByIndex("+name+")")
	}
	for kind, v := range u.Aliases {
		got, err := tx.FindUserByAlias(ctx, u.PoolID, kind, v)
		ours(got, err, "FindUserByAlias("+kind+")")
	}
}

func testUserCreateConflicts(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	q := mustCreatePool(t, s, newPool(region1, account1))
	a := mustCreateUser(t, s, newUser(p.ID, "alice"))

	sameKey := newUser(p.ID, "ALICE") // folds to the same key
	sameKey.Aliases = map[string]string{"email": "other@example.com"}
	sameKey.Index["email"] = "other@example.com"
	wantErr(t, "CreateUser with a taken username key", s.CreateUser(ctx, sameKey), store.ErrConflict)
	wantNoTrace(t, s, &store.User{PoolID: p.ID, Sub: sameKey.Sub, Aliases: sameKey.Aliases,
		Index: map[string]string{"email": "other@example.com"}})

	sameSub := newUser(p.ID, "bob")
	sameSub.Sub = a.Sub
	wantErr(t, "CreateUser with a taken sub", s.CreateUser(ctx, sameSub), store.ErrConflict)
	_, err := s.GetUser(ctx, p.ID, "bob")
	wantErr(t, "GetUser after a failed create", err, store.ErrNotFound)
	wantNoTrace(t, s, sameSub, "alice")

	sameAlias := newUser(p.ID, "carol")
	sameAlias.Aliases["preferred_username"] = "carol"
	sameAlias.Aliases["email"] = "alice@example.com"
	if sameAlias.Version != 0 {
		t.Fatal("new user has a version")
	}
	wantErr(t, "CreateUser with a taken alias", s.CreateUser(ctx, sameAlias), store.ErrConflict)
	if sameAlias.Version != 0 {
		t.Errorf("failed CreateUser set Version %d", sameAlias.Version)
	}
	_, err = s.GetUser(ctx, p.ID, "carol")
	wantErr(t, "GetUser after a create with a taken alias", err, store.ErrNotFound)
	wantNoTrace(t, s, sameAlias, "alice")
	n, err := s.CountUsers(ctx, p.ID)
	noErr(t, "CountUsers", err)
	if n != 1 {
		t.Errorf("CountUsers after failed creates = %d, want 1", n)
	}
	checkUser(t, mustGetUser(t, s, p.ID, "alice"), a)

	// Keys, subs and aliases are unique per pool (aliases per kind), not across pools.
	elsewhere := newUser(q.ID, "alice")
	elsewhere.Sub = a.Sub
	mustCreateUser(t, s, elsewhere)
	otherKind := newUser(p.ID, "dave")
	otherKind.Aliases = map[string]string{"preferred_username": "alice@example.com"}
	mustCreateUser(t, s, otherKind)
	// The failed users can be created once their values are free.
	sameAlias.Aliases["email"] = "carol@example.com"
	mustCreateUser(t, s, sameAlias)
}

func testUserUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	u := mustCreateUser(t, s, newUser(p.ID, "alice"))
	created, sub := u.CreatedAt, u.Sub

	got := mustGetUser(t, s, p.ID, "alice")
	v := got.Version
	got.Username = "Alice2"
	got.Enabled = false
	got.Status = "RESET_REQUIRED"
	got.Attributes = map[string]string{"email": "new@example.com", "given_name": "A"}
	got.Index = map[string]string{"username": "alice", "email": "new@example.com", "given_name": "A"}
	got.Aliases = map[string]string{"email": "new@example.com", "preferred_username": "ally"}
	got.PasswordHash = "$argon2id$new"
	got.PasswordHistory = []string{"$argon2id$x", "$argon2id$y", "$argon2id$z"}
	got.Extra = []byte(`{"n":1}`)
	got.UpdatedAt = got.UpdatedAt.Add(90 * time.Second)
	// Keys are not written.
	got.Sub = newSub()
	got.CreatedAt = got.CreatedAt.Add(-time.Hour)
	want := *got
	noErr(t, "UpdateUser", s.UpdateUser(ctx, got))
	if got.Version != v+1 {
		t.Errorf("Version after update = %d, want %d", got.Version, v+1)
	}
	want.Version, want.Sub, want.CreatedAt = v+1, sub, created
	checkUser(t, mustGetUser(t, s, p.ID, "alice"), &want)

	// The old alias and index values are gone, the new ones lead to the user.
	_, err := s.FindUserByAlias(ctx, p.ID, "email", "alice@example.com")
	wantErr(t, "FindUserByAlias of a replaced alias", err, store.ErrNotFound)
	_, err = s.FindUserByIndex(ctx, p.ID, "status", "Enabled")
	wantErr(t, "FindUserByIndex of a dropped index entry", err, store.ErrNotFound)
	// The user's keys stay in its index: got.Index had neither, and got.Sub was not written.
	for name, value := range map[string]string{store.IndexSub: sub, store.IndexUsername: "alice"} {
		found, err := s.FindUserByIndex(ctx, p.ID, name, value)
		noErr(t, "FindUserByIndex "+name, err)
		checkUser(t, found, &want)
	}
	for kind, value := range want.Aliases {
		found, err := s.FindUserByAlias(ctx, p.ID, kind, value)
		noErr(t, "FindUserByAlias "+kind, err)
		checkUser(t, found, &want)
	}
	us, err := s.ListUsers(ctx, store.UserQuery{PoolID: p.ID, Attr: "email", Value: "alice@", Prefix: true})
	noErr(t, "ListUsers", err)
	if len(us) != 0 {
		t.Errorf("ListUsers by the old email = %v", userKeys(us))
	}

	// A zero UpdatedAt becomes now, and empty maps remove every entry.
	again := mustGetUser(t, s, p.ID, "alice")
	again.UpdatedAt = time.Time{}
	again.Index, again.Aliases, again.Attributes, again.PasswordHistory, again.Extra = nil, nil, nil, nil, nil
	before := time.Now()
	noErr(t, "UpdateUser with zero UpdatedAt", s.UpdateUser(ctx, again))
	if d := again.UpdatedAt.Sub(before); d < -time.Second || d > time.Minute || again.UpdatedAt.Location() != time.UTC {
		t.Errorf("zero UpdatedAt became %v, want now (UTC)", again.UpdatedAt)
	}
	checkUser(t, mustGetUser(t, s, p.ID, "alice"), again)
	_, err = s.FindUserByAlias(ctx, p.ID, "preferred_username", "ally")
	wantErr(t, "FindUserByAlias after removing all aliases", err, store.ErrNotFound)

	missing := newUser(p.ID, "nobody")
	missing.Version = 1
	wantErr(t, "UpdateUser of a missing user", s.UpdateUser(ctx, missing), store.ErrNotFound)
	wantNoTrace(t, s, missing)
}

func testUserUpdateConflicts(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	a := mustCreateUser(t, s, newUser(p.ID, "alice"))
	mustCreateUser(t, s, newUser(p.ID, "bob"))

	// A stale version.
	x := mustGetUser(t, s, p.ID, "alice")
	y := mustGetUser(t, s, p.ID, "alice")
	x.Status = "X"
	noErr(t, "first UpdateUser", s.UpdateUser(ctx, x))
	y.Status = "Y"
	y.Aliases = map[string]string{"email": "y@example.com"}
	yVersion := y.Version
	wantErr(t, "UpdateUser from a stale read", s.UpdateUser(ctx, y), store.ErrConflict)
	if y.Version != yVersion {
		t.Errorf("failed update changed Version from %d to %d", yVersion, y.Version)
	}
	checkUser(t, mustGetUser(t, s, p.ID, "alice"), x)
	wantNoTrace(t, s, &store.User{PoolID: p.ID, Aliases: y.Aliases})

	// Taking another user's alias: nothing of the update is stored.
	z := mustGetUser(t, s, p.ID, "alice")
	want := *z
	z.Status = "Z"
	z.Attributes = map[string]string{"email": "bob@example.com"}
	z.Index = map[string]string{"email": "bob@example.com", "given_name": "zed"}
	z.Aliases = map[string]string{"email": "bob@example.com", "preferred_username": "zed"}
	wantErr(t, "UpdateUser taking another user's alias", s.UpdateUser(ctx, z), store.ErrConflict)
	if z.Version != want.Version {
		t.Errorf("failed update changed Version from %d to %d", want.Version, z.Version)
	}
	checkUser(t, mustGetUser(t, s, p.ID, "alice"), &want)
	found, err := s.FindUserByAlias(ctx, p.ID, "email", a.Aliases["email"])
	noErr(t, "FindUserByAlias of the kept alias", err)
	checkUser(t, found, &want)
	found, err = s.FindUserByAlias(ctx, p.ID, "email", "bob@example.com")
	noErr(t, "FindUserByAlias of bob's alias", err)
	if found.UsernameKey != "bob" {
		t.Errorf("bob's alias now leads to %s", found.UsernameKey)
	}
	wantNoTrace(t, s, &store.User{PoolID: p.ID, Index: map[string]string{"given_name": "zed"},
		Aliases: map[string]string{"preferred_username": "zed"}})

	// The same update without the taken alias succeeds from the same read.
	z.Aliases = map[string]string{"preferred_username": "zed"}
	noErr(t, "UpdateUser after the conflict", s.UpdateUser(ctx, z))

	// A read of a user who was then deleted and created again under the same key (same
	// Version): the update must not land on the new user, whose entries it does not know.
	old := mustGetUser(t, s, p.ID, "bob")
	noErr(t, "DeleteUser bob", s.DeleteUser(ctx, p.ID, "bob"))
	reborn := mustCreateUser(t, s, newUser(p.ID, "bob"))
	old.Status = "STALE"
	old.Index = map[string]string{"username": "bob", "cognito:user_status": "STALE"}
	wantErr(t, "UpdateUser from a read of an earlier user of the key", s.UpdateUser(ctx, old), store.ErrConflict)
	checkUser(t, mustGetUser(t, s, p.ID, "bob"), reborn)
	wantNoTrace(t, s, &store.User{PoolID: p.ID, Index: map[string]string{"cognito:user_status": "STALE"}})

	// A User built by hand (not read from the store) replaces all of the stored entries.
	byHand := *mustGetUser(t, s, p.ID, "bob")
	byHand.Stored = nil
	byHand.Index = map[string]string{"username": "bob", "given_name": "robert"}
	byHand.Aliases = map[string]string{"preferred_username": "robert"}
	noErr(t, "UpdateUser of a user built by hand", s.UpdateUser(ctx, &byHand))
	stored := mustGetUser(t, s, p.ID, "bob")
	checkUser(t, stored, &byHand)
	for name, value := range reborn.Index {
		if stored.Index[name] != value { // alice's index has bob's email too (z above)
			wantNoTrace(t, s, &store.User{PoolID: p.ID, Index: map[string]string{name: value}}, "alice")
		}
	}
	wantNoTrace(t, s, &store.User{PoolID: p.ID, Aliases: reborn.Aliases})
}

// Inside InTx, failed creates and updates leave nothing behind either, and the transaction goes
// on and commits what succeeded.
func testUserConflictsInTx(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	a := mustCreateUser(t, s, newUser(p.ID, "alice"))
	b := mustCreateUser(t, s, newUser(p.ID, "bob"))
	var c, d *store.User
	err := s.InTx(ctx, func(tx store.Tx) error {
		c = mustCreateUser(t, tx, newUser(p.ID, "carol"))

		dupKey := newUser(p.ID, "alice")
		wantErr(t, "CreateUser with a taken key in tx", tx.CreateUser(ctx, dupKey), store.ErrConflict)
		dupSub := newUser(p.ID, "sub-thief")
		dupSub.Sub = c.Sub
		wantErr(t, "CreateUser with a taken sub in tx", tx.CreateUser(ctx, dupSub), store.ErrConflict)
		dupAlias := newUser(p.ID, "alias-thief")
		dupAlias.Aliases["preferred_username"] = "thief"
		dupAlias.Aliases["email"] = "carol@example.com"
		wantErr(t, "CreateUser with a taken alias in tx", tx.CreateUser(ctx, dupAlias), store.ErrConflict)
		_, err := tx.GetUser(ctx, p.ID, "alias-thief")
		wantErr(t, "GetUser after a failed create in tx", err, store.ErrNotFound)
		wantNoTrace(t, tx, &store.User{PoolID: p.ID, Sub: dupAlias.Sub,
			Index: map[string]string{"email": dupAlias.Index["email"]}, Aliases: map[string]string{"preferred_username": "thief"}})
		wantNoTrace(t, tx, &store.User{PoolID: p.ID, Sub: dupKey.Sub})

		stale := *b
		stale.Version += 5
		wantErr(t, "stale UpdateUser in tx", tx.UpdateUser(ctx, &stale), store.ErrConflict)
		bb := mustGetUser(t, tx, p.ID, "bob")
		want := *bb
		bb.Status = "CHANGED"
		bb.Index = map[string]string{"email": "alice@example.com", "given_name": "bobby"}
		bb.Aliases = map[string]string{"email": "alice@example.com", "preferred_username": "bobby"}
		wantErr(t, "UpdateUser taking an alias in tx", tx.UpdateUser(ctx, bb), store.ErrConflict)
		checkUser(t, mustGetUser(t, tx, p.ID, "bob"), &want)
		wantNoTrace(t, tx, &store.User{PoolID: p.ID, Index: map[string]string{"given_name": "bobby"},
			Aliases: map[string]string{"preferred_username": "bobby"}})
		wantErr(t, "UpdateUser of a missing user in tx", tx.UpdateUser(ctx, newUser(p.ID, "nobody")), store.ErrNotFound)
		wantErr(t, "DeleteUser of a missing user in tx", tx.DeleteUser(ctx, p.ID, "nobody"), store.ErrNotFound)

		// The transaction still works.
		d = mustCreateUser(t, tx, newUser(p.ID, "dave"))
		bb.Aliases = map[string]string{"preferred_username": "bobby"}
		noErr(t, "UpdateUser in tx after the conflicts", tx.UpdateUser(ctx, bb))
		*b = *bb
		return nil
	})
	noErr(t, "InTx", err)
	checkUser(t, mustGetUser(t, s, p.ID, "alice"), a)
	checkUser(t, mustGetUser(t, s, p.ID, "bob"), b)
	checkUser(t, mustGetUser(t, s, p.ID, "carol"), c)
	checkUser(t, mustGetUser(t, s, p.ID, "dave"), d)
	n, err := s.CountUsers(ctx, p.ID)
	noErr(t, "CountUsers", err)
	if n != 4 {
		t.Errorf("CountUsers = %d, want 4", n)
	}
	for _, gone := range []string{"sub-thief", "alias-thief", "nobody"} {
		_, err := s.GetUser(ctx, p.ID, gone)
		wantErr(t, "GetUser "+gone, err, store.ErrNotFound)
	}
	for _, alias := range []struct{ kind, value string }{{"preferred_username", "thief"}} {
		_, err := s.FindUserByAlias(ctx, p.ID, alias.kind, alias.value)
		wantErr(t, "FindUserByAlias "+alias.value, err, store.ErrNotFound)
	}
}

// An alias moves from one user to another in one transaction: the first update frees it.
func testUserAliasMoveInTx(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	mustCreateUser(t, s, newUser(p.ID, "alice"))
	mustCreateUser(t, s, newUser(p.ID, "bob"))
	const shared = "shared@example.com"
	a := mustGetUser(t, s, p.ID, "alice")
	a.Aliases["email"] = shared
	noErr(t, "UpdateUser alice", s.UpdateUser(ctx, a))

	err := s.InTx(ctx, func(tx store.Tx) error {
		b := mustGetUser(t, tx, p.ID, "bob")
		b.Aliases["email"] = shared
		wantErr(t, "bob takes alice's alias first", tx.UpdateUser(ctx, b), store.ErrConflict)
		a := mustGetUser(t, tx, p.ID, "alice")
		delete(a.Aliases, "email")
		if err := tx.UpdateUser(ctx, a); err != nil {
			return err
		}
		return tx.UpdateUser(ctx, b) // from the same read: the failed update changed nothing
	})
	noErr(t, "InTx", err)
	found, err := s.FindUserByAlias(ctx, p.ID, "email", shared)
	noErr(t, "FindUserByAlias", err)
	if found.UsernameKey != "bob" {
		t.Errorf("alias owner after the move = %s, want bob", found.UsernameKey)
	}
	if a := mustGetUser(t, s, p.ID, "alice"); len(a.Aliases) != 0 {
		t.Errorf("alice's aliases after the move = %v", a.Aliases)
	}

	// And back, outside a transaction.
	b := mustGetUser(t, s, p.ID, "bob")
	a = mustGetUser(t, s, p.ID, "alice")
	a.Aliases["email"] = shared
	wantErr(t, "alice takes bob's alias", s.UpdateUser(ctx, a), store.ErrConflict)
	b.Aliases = nil
	noErr(t, "bob drops the alias", s.UpdateUser(ctx, b))
	noErr(t, "alice takes the alias", s.UpdateUser(ctx, a))
}

func testUserConcurrentOptimistic(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	u := newUser(p.ID, "counter")
	u.Extra = withCounter(0)
	mustCreateUser(t, s, u)
	const workers, each = 4, 6
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range each {
				for {
					got, err := s.GetUser(ctx, p.ID, "counter")
					if err != nil {
						t.Errorf("GetUser: %v", err)
						return
					}
					n := counter(t, got.Extra) + 1
					got.Extra = withCounter(n)
					got.Index["n"] = fmt.Sprint(n)
					got.Aliases["preferred_username"] = fmt.Sprintf("n%d-w%d", n, w)
					err = s.UpdateUser(ctx, got)
					if errors.Is(err, store.ErrConflict) {
						continue
					}
					if err != nil {
						t.Errorf("UpdateUser: %v", err)
						return
					}
					break
				}
			}
		})
	}
	wg.Wait()
	got := mustGetUser(t, s, p.ID, "counter")
	if n := counter(t, got.Extra); n != workers*each || got.Index["n"] != fmt.Sprint(n) {
		t.Errorf("counter = %d, index %q, want %d (lost updates)", n, got.Index["n"], workers*each)
	}
	if got.Version != u.Version+workers*each {
		t.Errorf("Version = %d, want %d", got.Version, u.Version+workers*each)
	}
	found, err := s.FindUserByAlias(ctx, p.ID, "preferred_username", got.Aliases["preferred_username"])
	noErr(t, "FindUserByAlias of the last alias", err)
	if found.UsernameKey != "counter" {
		t.Errorf("last alias leads to %s", found.UsernameKey)
	}
}

// DeleteUser removes the user with its index rows, aliases and memberships: the values are free
// again and a user created under the same key starts clean.
func testUserDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	other := mustCreatePool(t, s, newPool(region1, account1))
	u := newUser(p.ID, "alice")
	u.Aliases["preferred_username"] = "ally"
	mustCreateUser(t, s, u)
	keep := mustCreateUser(t, s, newUser(p.ID, "bob"))
	g := mustCreateGroup(t, s, newGroup(p.ID, "admins"))
	noErr(t, "AddUserToGroup", s.AddUserToGroup(ctx, p.ID, g.Name, "alice"))
	noErr(t, "AddUserToGroup", s.AddUserToGroup(ctx, p.ID, g.Name, "bob"))

	wantErr(t, "DeleteUser through another pool", s.DeleteUser(ctx, other.ID, "alice"), store.ErrNotFound)
	noErr(t, "DeleteUser", s.DeleteUser(ctx, p.ID, "alice"))
	_, err := s.GetUser(ctx, p.ID, "alice")
	wantErr(t, "GetUser after delete", err, store.ErrNotFound)
	wantErr(t, "DeleteUser twice", s.DeleteUser(ctx, p.ID, "alice"), store.ErrNotFound)
	wantErr(t, "UpdateUser after delete", s.UpdateUser(ctx, u), store.ErrNotFound)
	wantNoTrace(t, s, u, "bob") // bob shares the status index values
	us, err := s.ListUsers(ctx, store.UserQuery{PoolID: p.ID, Attr: "email", Value: "alice", Prefix: true})
	noErr(t, "ListUsers", err)
	if len(us) != 0 {
		t.Errorf("ListUsers by email after delete = %v", userKeys(us))
	}
	members, err := s.ListUsersInGroup(ctx, p.ID, g.Name, store.Page{})
	noErr(t, "ListUsersInGroup", err)
	if keys := userKeys(members); !slices.Equal(keys, []string{"bob"}) {
		t.Errorf("group members after delete = %v, want [bob]", keys)
	}
	checkUser(t, mustGetUser(t, s, p.ID, "bob"), keep)

	// Everything is free again, and nothing of the old user comes back.
	taker := newUser(p.ID, "carol")
	taker.Sub = u.Sub
	taker.Aliases = map[string]string{"email": "alice@example.com", "preferred_username": "ally"}
	mustCreateUser(t, s, taker)
	again := newUser(p.ID, "alice")
	again.Aliases = nil
	mustCreateUser(t, s, again)
	checkUser(t, mustGetUser(t, s, p.ID, "alice"), again)
	groups, err := s.ListGroupsForUser(ctx, p.ID, "alice", store.Page{})
	noErr(t, "ListGroupsForUser", err)
	if len(groups) != 0 {
		t.Errorf("re-created user is in groups %v", groups)
	}
	n, err := s.CountUsers(ctx, p.ID)
	noErr(t, "CountUsers", err)
	if n != 3 {
		t.Errorf("CountUsers = %d, want 3", n)
	}
}

func testUserRollback(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	a := mustCreateUser(t, s, newUser(p.ID, "alice"))
	mustCreateGroup(t, s, newGroup(p.ID, "g"))
	b := newUser(p.ID, "bob")
	err := s.InTx(ctx, func(tx store.Tx) error {
		mustCreateUser(t, tx, b)
		x := mustGetUser(t, tx, p.ID, "alice")
		x.Aliases = map[string]string{"email": "rolled@example.com"}
		noErr(t, "UpdateUser in tx", tx.UpdateUser(ctx, x))
		noErr(t, "AddUserToGroup in tx", tx.AddUserToGroup(ctx, p.ID, "g", "bob"))
		mustCreateGroup(t, tx, newGroup(p.ID, "rolled"))
		noErr(t, "EnqueueMessage in tx", tx.EnqueueMessage(ctx, newMessage(p.ID, "bob")))
		return errBoom
	})
	if err != errBoom {
		t.Fatalf("InTx = %v, want fn's error", err)
	}
	_, err = s.GetUser(ctx, p.ID, "bob")
	wantErr(t, "GetUser after rollback", err, store.ErrNotFound)
	checkUser(t, mustGetUser(t, s, p.ID, "alice"), a)
	_, err = s.FindUserByAlias(ctx, p.ID, "email", "rolled@example.com")
	wantErr(t, "FindUserByAlias after rollback", err, store.ErrNotFound)
	_, err = s.GetGroup(ctx, p.ID, "rolled")
	wantErr(t, "GetGroup after rollback", err, store.ErrNotFound)
	ms, err := s.ListMessages(ctx, store.MessageQuery{PoolID: p.ID})
	noErr(t, "ListMessages", err)
	if len(ms) != 0 {
		t.Errorf("messages after rollback: %d", len(ms))
	}
	mustCreateUser(t, s, b)
	members, err := s.ListUsersInGroup(ctx, p.ID, "g", store.Page{})
	noErr(t, "ListUsersInGroup", err)
	if len(members) != 0 {
		t.Errorf("members after rollback: %v", userKeys(members))
	}
}

func testUserList(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	q := mustCreatePool(t, s, newPool(region1, account1))
	byKey := map[string]*store.User{}
	var want []string
	for i, name := range []string{"zed", "Zed", "alice", "Bob", "bob", "_x", "a.b", "ÿ", "é", "0", "a", "ab"} {
		u := newUser(p.ID, name)
		u.UsernameKey = fmt.Sprintf("%s-%d", name, i%2) // mixed case: bytewise order
		u.Index["username"] = u.UsernameKey
		u.Aliases = map[string]string{"preferred_username": u.UsernameKey}
		mustCreateUser(t, s, u)
		byKey[u.UsernameKey] = u
		want = append(want, u.UsernameKey)
	}
	for range 3 {
		mustCreateUser(t, s, newUser(q.ID, "other"+randString(4)))
	}
	slices.Sort(want)
	for _, limit := range []int{0, 1, 2, 5, 12, 13, 60} {
		if got := listAllUsers(t, s, store.UserQuery{PoolID: p.ID, Limit: limit}); !slices.Equal(got, want) {
			t.Errorf("ListUsers pages of %d: got %v, want %v", limit, got, want)
		}
	}
	us, err := s.ListUsers(ctx, store.UserQuery{PoolID: p.ID, After: want[4], Limit: 3})
	noErr(t, "ListUsers", err)
	if got := userKeys(us); !slices.Equal(got, want[5:8]) {
		t.Errorf("ListUsers after %s = %v, want %v", want[4], got, want[5:8])
	}
	for _, u := range us {
		checkUser(t, &u, byKey[u.UsernameKey]) // with index rows and aliases
	}
	us, err = s.ListUsers(ctx, store.UserQuery{PoolID: poolID(region1), Limit: 10})
	noErr(t, "ListUsers of a missing pool", err)
	if len(us) != 0 {
		t.Errorf("ListUsers of a missing pool = %v", userKeys(us))
	}
	// Inside a transaction too.
	noErr(t, "InTx", s.InTx(ctx, func(tx store.Tx) error {
		if got := listAllUsers(t, tx, store.UserQuery{PoolID: p.ID, Limit: 5}); !slices.Equal(got, want) {
			t.Errorf("ListUsers in tx: got %v, want %v", got, want)
		}
		return nil
	}))
}

func testUserListFiltered(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	q := mustCreatePool(t, s, newPool(region1, account1))
	type entry struct{ value, key string }
	var all []entry
	byKey := map[string]*store.User{}
	for i := range 40 {
		// Emails shared by several users, so that pages split ties in value.
		email := fmt.Sprintf("user%d@example.com", i%13)
		if i%5 == 0 {
			email = fmt.Sprintf("admin%d@corp.example", i)
		}
		u := newUser(p.ID, fmt.Sprintf("u%02d-%s", 39-i, randString(3)))
		u.Index["email"] = email
		u.Aliases = nil
		if i%7 == 0 {
			delete(u.Index, "email") // users without the attribute
		} else {
			all = append(all, entry{email, u.UsernameKey})
		}
		mustCreateUser(t, s, u)
		byKey[u.UsernameKey] = u
	}
	noise := newUser(q.ID, "noise")
	noise.Index["email"] = "user1@example.com"
	mustCreateUser(t, s, noise)
	slices.SortFunc(all, func(a, b entry) int {
		return strings.Compare(a.value+"\x00"+a.key, b.value+"\x00"+b.key)
	})
	match := func(pred func(e entry) bool) []string {
		var keys []string
		for _, e := range all {
			if pred(e) {
				keys = append(keys, e.key)
			}
		}
		return keys
	}
	cases := []struct {
		value  string
		prefix bool
		want   []string
	}{
		{"user1@example.com", false, match(func(e entry) bool { return e.value == "user1@example.com" })},
		{"user1", true, match(func(e entry) bool { return strings.HasPrefix(e.value, "user1") })},
		{"user", true, match(func(e entry) bool { return strings.HasPrefix(e.value, "user") })},
		{"admin", true, match(func(e entry) bool { return strings.HasPrefix(e.value, "admin") })},
		{"", true, match(func(e entry) bool { return true })},
		{"user1", false, nil},
		{"nobody", true, nil},
	}
	for _, c := range cases {
		for _, limit := range []int{0, 1, 2, 3, 7, 60} {
			query := store.UserQuery{PoolID: p.ID, Attr: "email", Value: c.value, Prefix: c.prefix, Limit: limit}
			if got := listAllUsers(t, s, query); !slices.Equal(got, c.want) {
				t.Errorf("ListUsers(email %q prefix %v) pages of %d: got %v, want %v", c.value, c.prefix, limit, got, c.want)
			}
			// SkipEntries: the same page, without index rows and aliases.
			full, err := s.ListUsers(ctx, query)
			noErr(t, "ListUsers", err)
			query.SkipEntries = true
			bare, err := s.ListUsers(ctx, query)
			noErr(t, "ListUsers with SkipEntries", err)
			if !slices.Equal(userKeys(bare), userKeys(full)) {
				t.Errorf("ListUsers(email %q prefix %v, SkipEntries) page of %d: got %v, want %v", c.value, c.prefix, limit, userKeys(bare), userKeys(full))
			}
			for i := range bare {
				if bare[i].Index != nil || bare[i].Aliases != nil || bare[i].Stored != nil || !maps.Equal(bare[i].Attributes, full[i].Attributes) {
					t.Errorf("ListUsers with SkipEntries: user %+v", bare[i])
				}
			}
		}
	}

	// Pages start strictly after (AfterValue, After).
	prefixed := match(func(e entry) bool { return strings.HasPrefix(e.value, "user") })
	mid := all[slices.IndexFunc(all, func(e entry) bool { return e.key == prefixed[4] })]
	us, err := s.ListUsers(ctx, store.UserQuery{PoolID: p.ID, Attr: "email", Value: "user", Prefix: true,
		AfterValue: mid.value, After: mid.key, Limit: 3})
	noErr(t, "ListUsers after a user", err)
	if got := userKeys(us); !slices.Equal(got, prefixed[5:8]) {
		t.Errorf("ListUsers after (%q, %s) = %v, want %v", mid.value, mid.key, got, prefixed[5:8])
	}
	for _, u := range us {
		checkUser(t, &u, byKey[u.UsernameKey])
	}
	// After the whole prefix, and before it.
	for _, after := range []struct {
		value, key string
		want       []string
	}{
		{"user9@example.com", "zzz", nil},
		{"zzz", "", nil},
		{"a", "", prefixed},
		{"user", "", prefixed},
	} {
		us, err := s.ListUsers(ctx, store.UserQuery{PoolID: p.ID, Attr: "email", Value: "user", Prefix: true,
			AfterValue: after.value, After: after.key})
		noErr(t, "ListUsers", err)
		if got := userKeys(us); !slices.Equal(got, after.want) {
			t.Errorf("ListUsers(prefix user) after (%q, %q) = %v, want %v", after.value, after.key, got, after.want)
		}
	}
	exact := match(func(e entry) bool { return e.value == "user1@example.com" })
	for _, after := range []struct {
		value, key string
		want       []string
	}{
		{"user1@example.com", exact[0], exact[1:]},
		{"user0", "zzz", exact},
		{"user1@example.com!", "", nil},
	} {
		us, err := s.ListUsers(ctx, store.UserQuery{PoolID: p.ID, Attr: "email", Value: "user1@example.com",
			AfterValue: after.value, After: after.key})
		noErr(t, "ListUsers", err)
		if got := userKeys(us); !slices.Equal(got, after.want) {
			t.Errorf("ListUsers(exact) after (%q, %q) = %v, want %v", after.value, after.key, got, after.want)
		}
	}
}

// Filters on the user's keys (store.IndexUsername, store.IndexSub) page like any index entry,
// also for users whose Index was written without them.
func testUserListByKeys(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	q := mustCreatePool(t, s, newPool(region1, account1))
	var keys, subs []string
	for i := range 30 {
		u := newUser(p.ID, fmt.Sprintf("k%d-%02d", i%12, i)) // keys sharing prefixes
		u.Aliases = nil
		if i%4 == 0 {
			u.Index = map[string]string{"email": u.Attributes["email"]} // no key entries given
		}
		if i%3 == 0 {
			u.Sub = "0" + u.Sub[1:] // subs sharing a prefix
		}
		mustCreateUser(t, s, u)
		keys, subs = append(keys, u.UsernameKey), append(subs, u.Sub)
	}
	noise := newUser(q.ID, keys[0])
	noise.Sub = "0" + noise.Sub[1:]
	mustCreateUser(t, s, noise)
	slices.Sort(keys)
	slices.Sort(subs)
	subKeys := map[string]string{} // sub -> username key
	for _, k := range keys {
		u := mustGetUser(t, s, p.ID, k)
		subKeys[u.Sub] = k
	}
	matching := func(values []string, pred func(string) bool, key func(string) string) []string {
		var out []string
		for _, v := range values {
			if pred(v) {
				out = append(out, key(v))
			}
		}
		return out
	}
	same := func(v string) string { return v }
	bySub := func(v string) string { return subKeys[v] }
	for _, c := range []struct {
		attr, value string
		prefix      bool
		want        []string
	}{
		{store.IndexUsername, keys[7], false, []string{keys[7]}},
		{store.IndexUsername, keys[7], true, []string{keys[7]}}, // a prefix that is a whole key
		{store.IndexUsername, "k1", true, matching(keys, func(k string) bool { return strings.HasPrefix(k, "k1") }, same)},
		{store.IndexUsername, "k1", false, nil},
		{store.IndexUsername, "", true, keys},
		{store.IndexUsername, "z", true, nil},
		{store.IndexSub, subs[3], false, []string{subKeys[subs[3]]}},
		{store.IndexSub, subs[3], true, []string{subKeys[subs[3]]}},
		{store.IndexSub, "0", true, matching(subs, func(v string) bool { return strings.HasPrefix(v, "0") }, bySub)},
		{store.IndexSub, "", true, matching(subs, func(string) bool { return true }, bySub)},
		{store.IndexSub, "0", false, nil},
	} {
		for _, limit := range []int{0, 1, 2, 7} {
			query := store.UserQuery{PoolID: p.ID, Attr: c.attr, Value: c.value, Prefix: c.prefix, Limit: limit}
			if got := listAllUsers(t, s, query); !slices.Equal(got, c.want) {
				t.Errorf("ListUsers(%s %q prefix %v) pages of %d: got %v, want %v", c.attr, c.value, c.prefix, limit, got, c.want)
			}
			query.SkipEntries = true
			bare, err := s.ListUsers(ctx, query)
			noErr(t, "ListUsers with SkipEntries", err)
			want := c.want
			if limit > 0 && len(want) > limit {
				want = want[:limit]
			}
			if !slices.Equal(userKeys(bare), want) {
				t.Errorf("ListUsers(%s %q prefix %v, SkipEntries) page of %d: got %v, want %v", c.attr, c.value, c.prefix, limit, userKeys(bare), want)
			}
		}
	}
	// A page after a user, as the next page's cursor gives it.
	us, err := s.ListUsers(ctx, store.UserQuery{PoolID: p.ID, Attr: store.IndexSub, Value: "", Prefix: true,
		AfterValue: subs[10], After: subKeys[subs[10]], Limit: 3})
	noErr(t, "ListUsers by sub after a user", err)
	if got, want := userKeys(us), matching(subs[11:14], func(string) bool { return true }, bySub); !slices.Equal(got, want) {
		t.Errorf("ListUsers by sub after %s = %v, want %v", subs[10], got, want)
	}
}

// Prefixes match bytewise: no wildcards, no case folding, no collation, multibyte characters
// whole.
func testUserListPrefixEdgeCases(t *testing.T, s store.Store) {
	p := mustCreatePool(t, s, newPool(region1, account1))
	values := []string{
		"", "a", "a%", "a%b", "a_", "a_b", "ab", "aXb", "a\\b", "A", "a\x7f", "a\x7fz", "a\u0080",
		"é", "éa", "ê", "e", "f", "п", "пр", "р", "¿", "¿x", "À", "日本", "日本語", "日", "\uD7FF", "\uD7FFx", "\uE000",
		"\U0010FFFF", "\U0010FFFFa", "z\U0010FFFF", "%", "_", "%x", "x%",
	}
	for i, v := range values {
		u := newUser(p.ID, fmt.Sprintf("v%02d", i))
		u.Aliases = nil
		u.Index = map[string]string{"name": v}
		mustCreateUser(t, s, u)
	}
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	for _, prefix := range []string{"", "a", "a%", "a_", "%", "_", "A", "a\x7f", "é", "e", "п", "¿", "日本", "日",
		"\uD7FF", "\U0010FFFF", "z", "nothing"} {
		var want []string
		for _, v := range sorted {
			if strings.HasPrefix(v, prefix) {
				want = append(want, v)
			}
		}
		for _, limit := range []int{0, 2} {
			keys := listAllUsers(t, s, store.UserQuery{PoolID: p.ID, Attr: "name", Value: prefix, Prefix: true, Limit: limit})
			var got []string
			for _, k := range keys {
				var i int
				fmt.Sscanf(k, "v%02d", &i)
				got = append(got, values[i])
			}
			if !slices.Equal(got, want) {
				t.Errorf("ListUsers(prefix %q) pages of %d: got %q, want %q", prefix, limit, got, want)
			}
		}
	}
}

// Paging while users are inserted: every user present before paging began comes exactly once
// (listAllUsers checks the order, so no user repeats), and no page skips one.
func testUserListWhileInserting(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	var before []string
	for i := range 30 {
		u := newUser(p.ID, fmt.Sprintf("before%02d-%s", i, randString(4)))
		u.Index["email"] = fmt.Sprintf("user%d@example.com", i%9)
		before = append(before, mustCreateUser(t, s, u).UsernameKey)
	}
	var (
		wg       sync.WaitGroup
		stop     = make(chan struct{})
		inserted sync.Map
		insErr   = make(chan error, 1)
	)
	wg.Go(func() {
		for i := range 200 {
			select {
			case <-stop:
				return
			default:
			}
			u := newUser(p.ID, "during-"+randString(8))
			u.Index["email"] = fmt.Sprintf("user%d@example.com", i%11)
			inserted.Store(u.UsernameKey, true)
			if err := s.CreateUser(ctx, u); err != nil {
				insErr <- fmt.Errorf("concurrent CreateUser: %w", err)
				return
			}
		}
	})
	defer wg.Wait()
	defer close(stop)

	for round := range 4 {
		for _, q := range []store.UserQuery{
			{PoolID: p.ID, Limit: 4},
			{PoolID: p.ID, Attr: "email", Value: "user", Prefix: true, Limit: 4},
			{PoolID: p.ID, Attr: "email", Value: "user3@example.com", Limit: 1},
		} {
			seen := map[string]bool{}
			for _, k := range listAllUsers(t, s, q) {
				seen[k] = true
				if _, ok := inserted.Load(k); !ok && !slices.Contains(before, k) {
					t.Fatalf("round %d: ListUsers returned unknown user %s", round, k)
				}
			}
			for i, k := range before {
				if q.Attr != "" && !q.Prefix && i%9 != 3 {
					continue
				}
				if !seen[k] {
					t.Fatalf("round %d: ListUsers(%+v) missed %s, present before paging began", round, q, k)
				}
			}
		}
		select {
		case err := <-insErr:
			t.Fatal(err)
		default:
		}
	}
}

// DeleteUserPool removes the pool's users (with index rows and aliases), groups, memberships
// and messages; a pool re-created under the same id starts empty, with every value free.
func testUserDeletedWithPool(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	keep := mustCreatePool(t, s, newPool(region1, account1))
	var users []*store.User
	for _, name := range []string{"alice", "bob", "carol"} {
		users = append(users, mustCreateUser(t, s, newUser(p.ID, name)))
	}
	kept := mustCreateUser(t, s, newUser(keep.ID, "alice"))
	mustCreateGroup(t, s, newGroup(p.ID, "admins"))
	keptGroup := mustCreateGroup(t, s, newGroup(keep.ID, "admins"))
	noErr(t, "AddUserToGroup", s.AddUserToGroup(ctx, p.ID, "admins", "alice"))
	noErr(t, "AddUserToGroup", s.AddUserToGroup(ctx, keep.ID, "admins", "alice"))
	m := newMessage(p.ID, "alice")
	noErr(t, "EnqueueMessage", s.EnqueueMessage(ctx, m))
	noErr(t, "EnqueueMessage", s.EnqueueMessage(ctx, newMessage(keep.ID, "alice")))

	noErr(t, "DeleteUserPool", s.DeleteUserPool(ctx, region1, p.ID))
	p2 := newPool(region1, account1)
	p2.ID = p.ID
	mustCreatePool(t, s, p2)
	n, err := s.CountUsers(ctx, p.ID)
	noErr(t, "CountUsers", err)
	if n != 0 {
		t.Errorf("CountUsers of a re-created pool = %d", n)
	}
	us, err := s.ListUsers(ctx, store.UserQuery{PoolID: p.ID, Attr: "email", Value: "", Prefix: true})
	noErr(t, "ListUsers", err)
	if len(us) != 0 {
		t.Errorf("ListUsers of a re-created pool = %v", userKeys(us))
	}
	for _, u := range users {
		_, err := s.GetUser(ctx, p.ID, u.UsernameKey)
		wantErr(t, "GetUser of a deleted pool's user", err, store.ErrNotFound)
		wantNoTrace(t, s, u)
	}
	gs, err := s.ListGroups(ctx, p.ID, store.Page{})
	noErr(t, "ListGroups", err)
	if len(gs) != 0 {
		t.Errorf("groups of a re-created pool: %v", gs)
	}
	ms, err := s.ListMessages(ctx, store.MessageQuery{PoolID: p.ID})
	noErr(t, "ListMessages", err)
	if len(ms) != 0 {
		t.Errorf("messages of a re-created pool: %d", len(ms))
	}
	// Everything can be created again, with the same keys, subs, aliases, names and ids.
	for _, u := range users {
		again := *u
		again.Version = 0
		mustCreateUser(t, s, &again)
	}
	mustCreateGroup(t, s, newGroup(p.ID, "admins"))
	members, err := s.ListUsersInGroup(ctx, p.ID, "admins", store.Page{})
	noErr(t, "ListUsersInGroup", err)
	if len(members) != 0 {
		t.Errorf("members of a re-created group: %v", userKeys(members))
	}
	again := *m
	noErr(t, "EnqueueMessage with the old id", s.EnqueueMessage(ctx, &again))

	// The other pool is untouched.
	checkUser(t, mustGetUser(t, s, keep.ID, "alice"), kept)
	checkGroup(t, mustGetGroup(t, s, keep.ID, "admins"), keptGroup)
	members, err = s.ListUsersInGroup(ctx, keep.ID, "admins", store.Page{})
	noErr(t, "ListUsersInGroup", err)
	if keys := userKeys(members); !slices.Equal(keys, []string{"alice"}) {
		t.Errorf("members of the kept group = %v", keys)
	}
	ms, err = s.ListMessages(ctx, store.MessageQuery{PoolID: keep.ID})
	noErr(t, "ListMessages", err)
	if len(ms) != 1 {
		t.Errorf("messages of the kept pool: %d", len(ms))
	}
}

// --- groups ---

func newGroup(poolID, name string) *store.Group {
	now := time.Now().Truncate(time.Millisecond)
	return &store.Group{
		PoolID:    poolID,
		Name:      name,
		Config:    []byte(`{"Description":"d","Precedence":1, "RoleArn": null}`),
		CreatedAt: now,
		UpdatedAt: now,
	}
}

func mustCreateGroup(t *testing.T, tx store.Tx, g *store.Group) *store.Group {
	t.Helper()
	if err := tx.CreateGroup(t.Context(), g); err != nil {
		t.Fatalf("CreateGroup(%s): %v", g.Name, err)
	}
	return g
}

func mustGetGroup(t *testing.T, tx store.Tx, poolID, name string) *store.Group {
	t.Helper()
	g, err := tx.GetGroup(t.Context(), poolID, name)
	if err != nil {
		t.Fatalf("GetGroup(%s, %s): %v", poolID, name, err)
	}
	return g
}

func checkGroup(t *testing.T, got, want *store.Group) {
	t.Helper()
	if got.PoolID != want.PoolID || got.Name != want.Name || !bytes.Equal(got.Config, want.Config) || got.Version != want.Version {
		t.Errorf("group: got %s/%s %q v%d, want %s/%s %q v%d", got.PoolID, got.Name, got.Config, got.Version,
			want.PoolID, want.Name, want.Config, want.Version)
	}
	checkTime(t, "group "+want.Name+" CreatedAt", got.CreatedAt, want.CreatedAt)
	checkTime(t, "group "+want.Name+" UpdatedAt", got.UpdatedAt, want.UpdatedAt)
}

func groupNames(gs []store.Group) []string {
	names := make([]string, len(gs))
	for i, g := range gs {
		names[i] = g.Name
	}
	return names
}

func testGroupCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	other := mustCreatePool(t, s, newPool(region1, account1))
	g := newGroup(p.ID, "Admins")
	g.UpdatedAt = g.CreatedAt.Add(time.Second)
	want := *g
	mustCreateGroup(t, s, g)
	if g.Version <= 0 {
		t.Fatalf("Version after create = %d", g.Version)
	}
	want.Version = g.Version
	checkGroup(t, mustGetGroup(t, s, p.ID, "Admins"), &want)
	_, err := s.GetGroup(ctx, p.ID, "admins")
	wantErr(t, "GetGroup with another case", err, store.ErrNotFound)
	_, err = s.GetGroup(ctx, other.ID, "Admins")
	wantErr(t, "GetGroup through another pool", err, store.ErrNotFound)

	wantErr(t, "CreateGroup with a taken name", s.CreateGroup(ctx, newGroup(p.ID, "Admins")), store.ErrConflict)
	wantErr(t, "CreateGroup in a missing pool", s.CreateGroup(ctx, newGroup(poolID(region1), "x")), store.ErrNotFound)
	mustCreateGroup(t, s, newGroup(other.ID, "Admins")) // names are per pool
	zero := &store.Group{PoolID: p.ID, Name: "zero"}
	mustCreateGroup(t, s, zero)
	if zero.CreatedAt.IsZero() || !zero.UpdatedAt.Equal(zero.CreatedAt) {
		t.Errorf("zero times became %v / %v", zero.CreatedAt, zero.UpdatedAt)
	}
	if got := mustGetGroup(t, s, p.ID, "zero"); got.Config != nil {
		t.Errorf("nil Config came back as %q", got.Config)
	}

	a := mustGetGroup(t, s, p.ID, "Admins")
	b := mustGetGroup(t, s, p.ID, "Admins")
	a.Config = []byte(`{"Description":"new"}`)
	a.UpdatedAt = a.UpdatedAt.Add(time.Minute)
	a.CreatedAt = a.CreatedAt.Add(-time.Hour) // not written
	noErr(t, "UpdateGroup", s.UpdateGroup(ctx, a))
	if a.Version != b.Version+1 {
		t.Errorf("Version after update = %d, want %d", a.Version, b.Version+1)
	}
	want.Config, want.UpdatedAt, want.Version = a.Config, a.UpdatedAt, a.Version
	checkGroup(t, mustGetGroup(t, s, p.ID, "Admins"), &want)
	b.Config = []byte(`{"Description":"stale"}`)
	wantErr(t, "UpdateGroup from a stale read", s.UpdateGroup(ctx, b), store.ErrConflict)
	checkGroup(t, mustGetGroup(t, s, p.ID, "Admins"), &want)
	missing := newGroup(p.ID, "missing")
	missing.Version = 1
	wantErr(t, "UpdateGroup of a missing group", s.UpdateGroup(ctx, missing), store.ErrNotFound)

	wantErr(t, "DeleteGroup through another pool", s.DeleteGroup(ctx, poolID(region1), "Admins"), store.ErrNotFound)
	noErr(t, "DeleteGroup", s.DeleteGroup(ctx, p.ID, "Admins"))
	_, err = s.GetGroup(ctx, p.ID, "Admins")
	wantErr(t, "GetGroup after delete", err, store.ErrNotFound)
	wantErr(t, "DeleteGroup twice", s.DeleteGroup(ctx, p.ID, "Admins"), store.ErrNotFound)
	wantErr(t, "UpdateGroup after delete", s.UpdateGroup(ctx, a), store.ErrNotFound)
	mustGetGroup(t, s, other.ID, "Admins")

	// In a transaction, after errors.
	noErr(t, "InTx", s.InTx(ctx, func(tx store.Tx) error {
		wantErr(t, "CreateGroup duplicate in tx", tx.CreateGroup(ctx, newGroup(p.ID, "zero")), store.ErrConflict)
		wantErr(t, "CreateGroup in a missing pool in tx", tx.CreateGroup(ctx, newGroup(poolID(region1), "x")), store.ErrNotFound)
		wantErr(t, "UpdateGroup of a deleted group in tx", tx.UpdateGroup(ctx, b), store.ErrNotFound)
		mustCreateGroup(t, tx, newGroup(p.ID, "Admins"))
		return nil
	}))
	mustGetGroup(t, s, p.ID, "Admins")
}

func testGroupList(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	q := mustCreatePool(t, s, newPool(region1, account1))
	var want []string
	for _, name := range []string{"b", "B", "a", "a b", "é", "Z", "_", "aa", "0"} {
		want = append(want, mustCreateGroup(t, s, newGroup(p.ID, name)).Name)
	}
	mustCreateGroup(t, s, newGroup(q.ID, "other"))
	slices.Sort(want)
	for _, limit := range []int{0, 1, 2, 4, 9, 60} {
		var got []string
		after := ""
		for {
			gs, err := s.ListGroups(ctx, p.ID, store.Page{After: after, Limit: limit})
			noErr(t, "ListGroups", err)
			if limit > 0 && len(gs) > limit {
				t.Fatalf("ListGroups(limit %d) returned %d", limit, len(gs))
			}
			got = append(got, groupNames(gs)...)
			if limit <= 0 || len(gs) < limit {
				break
			}
			after = gs[len(gs)-1].Name
		}
		if !slices.Equal(got, want) {
			t.Errorf("ListGroups pages of %d: got %v, want %v", limit, got, want)
		}
	}
	gs, err := s.ListGroups(ctx, p.ID, store.Page{After: want[2], Limit: 2})
	noErr(t, "ListGroups", err)
	if got := groupNames(gs); !slices.Equal(got, want[3:5]) {
		t.Errorf("ListGroups after %s = %v, want %v", want[2], got, want[3:5])
	}
	checkGroup(t, &gs[0], mustGetGroup(t, s, p.ID, want[3]))
}

func testGroupMemberships(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	other := mustCreatePool(t, s, newPool(region1, account1))
	users := map[string]*store.User{}
	var keys []string
	for _, name := range []string{"dave", "Alice", "carol", "bob", "Erin"} {
		u := mustCreateUser(t, s, newUser(p.ID, name))
		users[u.UsernameKey] = u
		keys = append(keys, u.UsernameKey)
	}
	slices.Sort(keys)
	var groups []string
	for _, name := range []string{"writers", "Admins", "readers", "ops"} {
		groups = append(groups, mustCreateGroup(t, s, newGroup(p.ID, name)).Name)
	}
	slices.Sort(groups)
	mustCreateGroup(t, s, newGroup(other.ID, "Admins"))
	mustCreateUser(t, s, newUser(other.ID, "alice"))

	for _, g := range groups {
		for _, k := range keys {
			noErr(t, "AddUserToGroup", s.AddUserToGroup(ctx, p.ID, g, k))
		}
	}
	noErr(t, "AddUserToGroup again", s.AddUserToGroup(ctx, p.ID, "Admins", "alice"))
	wantErr(t, "AddUserToGroup of a missing group", s.AddUserToGroup(ctx, p.ID, "nope", "alice"), store.ErrNotFound)
	wantErr(t, "AddUserToGroup of a missing user", s.AddUserToGroup(ctx, p.ID, "Admins", "nobody"), store.ErrNotFound)
	wantErr(t, "AddUserToGroup of a group name in another case", s.AddUserToGroup(ctx, p.ID, "admins", "alice"), store.ErrNotFound)
	wantErr(t, "AddUserToGroup across pools", s.AddUserToGroup(ctx, other.ID, "Admins", "bob"), store.ErrNotFound)

	for _, limit := range []int{0, 1, 2, 3, 60} {
		var got []string
		page := store.Page{Limit: limit}
		for {
			us, err := s.ListUsersInGroup(ctx, p.ID, "Admins", page)
			noErr(t, "ListUsersInGroup", err)
			for _, u := range us {
				checkUser(t, &u, users[u.UsernameKey])
			}
			got = append(got, userKeys(us)...)
			if limit <= 0 || len(us) < limit {
				break
			}
			page.After = us[len(us)-1].UsernameKey
		}
		if !slices.Equal(got, keys) {
			t.Errorf("ListUsersInGroup pages of %d: got %v, want %v", limit, got, keys)
		}
		got = nil
		page = store.Page{Limit: limit}
		for {
			gs, err := s.ListGroupsForUser(ctx, p.ID, "alice", page)
			noErr(t, "ListGroupsForUser", err)
			got = append(got, groupNames(gs)...)
			if limit <= 0 || len(gs) < limit {
				break
			}
			page.After = gs[len(gs)-1].Name
		}
		if !slices.Equal(got, groups) {
			t.Errorf("ListGroupsForUser pages of %d: got %v, want %v", limit, got, groups)
		}
	}
	gs, err := s.ListGroupsForUser(ctx, p.ID, "alice", store.Page{After: groups[0], Limit: 1})
	noErr(t, "ListGroupsForUser", err)
	if len(gs) != 1 {
		t.Fatalf("ListGroupsForUser after %s = %v", groups[0], groupNames(gs))
	}
	checkGroup(t, &gs[0], mustGetGroup(t, s, p.ID, groups[1]))

	noErr(t, "RemoveUserFromGroup", s.RemoveUserFromGroup(ctx, p.ID, "Admins", "alice"))
	noErr(t, "RemoveUserFromGroup again", s.RemoveUserFromGroup(ctx, p.ID, "Admins", "alice"))
	noErr(t, "RemoveUserFromGroup of a missing group", s.RemoveUserFromGroup(ctx, p.ID, "nope", "alice"))
	noErr(t, "RemoveUserFromGroup of a missing user", s.RemoveUserFromGroup(ctx, p.ID, "Admins", "nobody"))
	us, err := s.ListUsersInGroup(ctx, p.ID, "Admins", store.Page{})
	noErr(t, "ListUsersInGroup", err)
	if got := userKeys(us); !slices.Equal(got, keys[1:]) {
		t.Errorf("members after removing alice = %v, want %v", got, keys[1:])
	}
	gs, err = s.ListGroupsForUser(ctx, p.ID, "alice", store.Page{})
	noErr(t, "ListGroupsForUser", err)
	if got := groupNames(gs); slices.Contains(got, "Admins") || len(got) != len(groups)-1 {
		t.Errorf("alice's groups after removal = %v", got)
	}
	for _, empty := range []func() (int, error){
		func() (int, error) {
			us, err := s.ListUsersInGroup(ctx, p.ID, "nope", store.Page{})
			return len(us), err
		},
		func() (int, error) {
			gs, err := s.ListGroupsForUser(ctx, p.ID, "nobody", store.Page{})
			return len(gs), err
		},
		func() (int, error) {
			us, err := s.ListUsersInGroup(ctx, other.ID, "Admins", store.Page{})
			return len(us), err
		},
		func() (int, error) {
			gs, err := s.ListGroupsForUser(ctx, other.ID, "alice", store.Page{})
			return len(gs), err
		},
	} {
		n, err := empty()
		noErr(t, "list", err)
		if n != 0 {
			t.Errorf("list of a missing group or user, or another pool's, returned %d", n)
		}
	}

	// In a transaction, after errors.
	noErr(t, "InTx", s.InTx(ctx, func(tx store.Tx) error {
		wantErr(t, "AddUserToGroup of a missing group in tx", tx.AddUserToGroup(ctx, p.ID, "nope", "alice"), store.ErrNotFound)
		noErr(t, "AddUserToGroup again in tx", tx.AddUserToGroup(ctx, p.ID, "ops", "alice"))
		noErr(t, "AddUserToGroup in tx", tx.AddUserToGroup(ctx, p.ID, "Admins", "alice"))
		return nil
	}))
	us, err = s.ListUsersInGroup(ctx, p.ID, "Admins", store.Page{Limit: 1})
	noErr(t, "ListUsersInGroup", err)
	if got := userKeys(us); !slices.Equal(got, keys[:1]) {
		t.Errorf("first member after re-adding alice = %v", got)
	}
}

func testGroupDeleteMemberships(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	mustCreateUser(t, s, newUser(p.ID, "alice"))
	mustCreateGroup(t, s, newGroup(p.ID, "a"))
	mustCreateGroup(t, s, newGroup(p.ID, "b"))
	noErr(t, "AddUserToGroup", s.AddUserToGroup(ctx, p.ID, "a", "alice"))
	noErr(t, "AddUserToGroup", s.AddUserToGroup(ctx, p.ID, "b", "alice"))
	noErr(t, "DeleteGroup", s.DeleteGroup(ctx, p.ID, "a"))
	gs, err := s.ListGroupsForUser(ctx, p.ID, "alice", store.Page{})
	noErr(t, "ListGroupsForUser", err)
	if got := groupNames(gs); !slices.Equal(got, []string{"b"}) {
		t.Errorf("groups after DeleteGroup = %v, want [b]", got)
	}
	mustCreateGroup(t, s, newGroup(p.ID, "a"))
	us, err := s.ListUsersInGroup(ctx, p.ID, "a", store.Page{})
	noErr(t, "ListUsersInGroup", err)
	if len(us) != 0 {
		t.Errorf("members of a re-created group = %v", userKeys(us))
	}
}
