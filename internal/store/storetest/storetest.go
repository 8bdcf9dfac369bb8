package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cgip/cgip/internal/store"
)

// Run runs the conformance suite against the backend that newStore builds. Every subtest
// calls newStore once and expects an empty store that no other subtest sees; newStore closes
// it through t.Cleanup.
//
// Besides the comments in store.go the suite pins down:
//   - nil and empty Tags are the same (either may come back); Config comes back byte for byte;
//     a nil client Secret comes back nil;
//   - times come back in UTC, within a millisecond of what was written (exactly, if the
//     written time has no sub-millisecond part);
//   - List* order ids bytewise (as Go compares strings), page with After/Limit;
//   - CreateClient for a pool that does not exist is ErrNotFound; DeleteUserPool and
//     DeleteClient of a missing record are ErrNotFound, as is a region mismatch;
//   - a transaction stays usable after a method returned ErrNotFound or ErrConflict;
//   - InTx returns fn's error unchanged and rolls back, also when fn panics;
//   - a done context makes methods return an error matching context.Canceled;
//   - users come back with non-nil Attributes, Index and Aliases; nil and empty are otherwise the
//     same (also for PasswordHistory and Extra); a nil group Config or message Payload comes back nil;
//   - a failed CreateUser or UpdateUser stores nothing, inside InTx too, where the transaction
//     goes on;
//   - ListUsers orders by username key, or by (value, username key), bytewise; a prefix matches
//     bytewise ('%' and '_' are plain characters, the empty prefix matches every value);
//   - ListUsersInGroup and ListGroupsForUser of a missing group or user are empty, not errors;
//   - ListMessages lists newest first, messages of the same instant in reverse insertion order;
//     EnqueueMessage with a taken ID is ErrConflict, in a missing pool ErrNotFound; a zero
//     NextAttemptAt becomes now (also when CreatedAt is given), a zero SentAt stays zero;
//   - ClaimMessages returns messages due at the same time in insertion order, and a message
//     whose lease ran out at now (lease end <= now) is claimable; FinishMessage with a token
//     whose lease ran out still succeeds while no other claim took the message, and an empty
//     or already used token is ErrConflict; a zero NextAttemptAt becomes now;
//   - CountMessages counts messages of every status, at most atMost of them when it is positive; PurgeMessages keeps messages created at
//     exactly before.
//   - ListSigningKeys of a missing pool is empty; keys created in the same instant list by kid
//     (bytewise); a kid is unique per pool only; DeleteSigningKey of a missing key is ErrNotFound;
//   - a refresh token's hash is unique across pools; CreateRefreshToken for a user that
//     does not exist is ErrNotFound (tokens belong to users: DeleteUser and DeleteUserPool delete
//     them); a zero RevokedAt stays zero, a given one is kept; RevokeRefreshToken of a revoked
//     token succeeds and keeps the first time, of a missing one is ErrNotFound;
//     RevokeUserRefreshTokens counts expired tokens that were not revoked, and is 0 for a missing
//     user or pool; a zero revocation time is now; FindRefreshTokenByOrigin returns the newest
//     token of the origin in that pool, revoked or not, and nothing for the empty origin.
//   - IAM user and role names are unique per account without regard to case (a user and a role,
//     or principals of two accounts, may share a name); every lookup by a user or role name
//     (Get*, Delete*, UpdateRoleTrustPolicy, an access key's user, PrincipalRef.Name) ignores
//     case, and the spelling given at creation comes back (an access key's UserName and an inline
//     policy's Principal.Name as written with them); ListIAMUsers and ListRoles order by the
//     lower-cased name, bytewise, and page after a lower-cased name; ListAccounts orders by id;
//   - deleting an IAM user or role does not fail because of its keys, inline policies or
//     attachments, and leaves them in place;
//   - an access key id is unique across accounts; Secret comes back byte for byte;
//     ListAccessKeys lists oldest first (keys of the same instant by id), and with userName ""
//     the account root's keys only; SetAccessKeyActive and DeleteAccessKey of a key of another
//     account or user (the root included) are ErrNotFound, setting the status a key has is not;
//   - inline policy names are case-sensitive; PutInlinePolicy replaces the document;
//     ListInlinePolicies orders by name, bytewise;
//   - a managed policy's ARN is unique across accounts (and compares exactly), its name within
//     the account; ListManagedPolicies orders by name, bytewise, and pages after a name;
//     AttachmentCount counts the users and roles the policy is attached to in every read;
//     attaching twice is one attachment; DeleteManagedPolicy of a policy still attached deletes
//     its attachments; ListAttachedPolicies orders by name, bytewise; no IAM write looks up the
//     principal (nor the account);
//   - PolicyDocuments returns the principal's inline documents by name, then its attached ones by
//     name (bytewise, a policy of another account's among them), and nothing for a principal
//     without policies.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"UserPool/CreateGet", testPoolCreateGet},
		{"UserPool/DuplicateID", testPoolDuplicate},
		{"UserPool/Update", testPoolUpdate},
		{"UserPool/UpdateConflict", testPoolUpdateConflict},
		{"UserPool/UpdateMissing", testPoolUpdateMissing},
		{"UserPool/Delete", testPoolDelete},
		{"UserPool/List", testPoolList},
		{"UserPool/ListOrder", testPoolListOrder},
		{"UserPool/ListWhileInserting", testPoolListWhileInserting},
		{"UserPool/ConfigAndTags", testPoolConfigAndTags},
		{"UserPool/Timestamps", testPoolTimestamps},
		{"UserPool/ConcurrentOptimisticUpdates", testPoolConcurrentOptimistic},
		{"Client/CRUD", testClientCRUD},
		{"Client/DuplicateID", testClientDuplicate},
		{"Client/MissingPool", testClientMissingPool},
		{"Client/List", testClientList},
		{"Client/DeletedWithPool", testClientDeletedWithPool},
		{"Client/Timestamps", testClientTimestamps},
		{"Tx/RollbackOnError", testTxRollback},
		{"Tx/Commit", testTxCommit},
		{"Tx/UsableAfterErrors", testTxUsableAfterErrors},
		{"Tx/Panic", testTxPanic},
		{"Tx/ConcurrentCounter", testTxConcurrentCounter},
		{"Secret/GetPut", testSecretGetPut},
		{"Secret/ConcurrentPut", testSecretConcurrentPut},
		{"Secret/InTx", testSecretInTx},
		{"Ping", testPing},
		{"CanceledContext", testCanceledContext},
	}
	for _, tc := range slices.Concat(tests, userTests, outboxTests, authTests, cleanupTests, iamTests) {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			if s == nil {
				t.Fatal("newStore returned nil")
			}
			tc.fn(t, s)
		})
	}
}

const (
	region1  = "us-east-1"
	region2  = "eu-west-1"
	account1 = "111111111111"
	account2 = "222222222222"
)

var errBoom = errors.New("storetest: boom")

const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

func randString(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[rand.IntN(len(alnum))]
	}
	return string(b)
}

func poolID(region string) string { return region + "_" + randString(9) }

func newPool(region, account string) *store.UserPool {
	now := time.Now().Truncate(time.Millisecond)
	return &store.UserPool{
		Region:    region,
		AccountID: account,
		ID:        poolID(region),
		Name:      "pool-" + randString(6),
		Config:    []byte(`{"MfaConfiguration":"OFF","n":0}`),
		Tags:      map[string]string{"team": "identity"},
		CreatedAt: now,
		UpdatedAt: now,
	}
}

func newClient(poolID string) *store.Client {
	now := time.Now().Truncate(time.Millisecond)
	return &store.Client{
		PoolID:    poolID,
		ID:        strings.ToLower(randString(26)),
		Name:      "client-" + randString(6),
		Secret:    []byte{0, 1, 2, 0xfe, 0xff, 'x'},
		Config:    []byte(`{"ExplicitAuthFlows":["ALLOW_REFRESH_TOKEN_AUTH"]}`),
		CreatedAt: now,
		UpdatedAt: now,
	}
}

func mustCreatePool(t *testing.T, tx store.Tx, p *store.UserPool) *store.UserPool {
	t.Helper()
	if err := tx.CreateUserPool(t.Context(), p); err != nil {
		t.Fatalf("CreateUserPool(%s): %v", p.ID, err)
	}
	return p
}

func mustCreateClient(t *testing.T, tx store.Tx, c *store.Client) *store.Client {
	t.Helper()
	if err := tx.CreateClient(t.Context(), c); err != nil {
		t.Fatalf("CreateClient(%s): %v", c.ID, err)
	}
	return c
}

func mustGetPool(t *testing.T, tx store.Tx, region, id string) *store.UserPool {
	t.Helper()
	p, err := tx.GetUserPool(t.Context(), region, id)
	if err != nil {
		t.Fatalf("GetUserPool(%s, %s): %v", region, id, err)
	}
	return p
}

func mustGetClient(t *testing.T, tx store.Tx, poolID, id string) *store.Client {
	t.Helper()
	c, err := tx.GetClient(t.Context(), poolID, id)
	if err != nil {
		t.Fatalf("GetClient(%s, %s): %v", poolID, id, err)
	}
	return c
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: got error %v, want %v", what, err, want)
	}
}

func noErr(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func checkTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if got.Location() != time.UTC {
		t.Errorf("%s: location %v, want UTC", what, got.Location())
	}
	if d := got.Sub(want); d >= time.Millisecond || d <= -time.Millisecond {
		t.Errorf("%s: got %v, want %v (off by %v)", what, got, want, d)
	}
	if want.Equal(want.Truncate(time.Millisecond)) && !got.Equal(want) {
		t.Errorf("%s: got %v, want exactly %v", what, got, want)
	}
}

func tagsEqual(a, b map[string]string) bool { return maps.Equal(a, b) } // nil equals empty

func checkPool(t *testing.T, got, want *store.UserPool) {
	t.Helper()
	if got.Region != want.Region || got.AccountID != want.AccountID || got.ID != want.ID || got.Name != want.Name {
		t.Errorf("pool: got %s/%s/%s/%q, want %s/%s/%s/%q", got.Region, got.AccountID, got.ID, got.Name,
			want.Region, want.AccountID, want.ID, want.Name)
	}
	if !bytes.Equal(got.Config, want.Config) {
		t.Errorf("pool %s Config: got %q, want %q", want.ID, got.Config, want.Config)
	}
	if !tagsEqual(got.Tags, want.Tags) {
		t.Errorf("pool %s Tags: got %v, want %v", want.ID, got.Tags, want.Tags)
	}
	if got.Version != want.Version {
		t.Errorf("pool %s Version: got %d, want %d", want.ID, got.Version, want.Version)
	}
	checkTime(t, "pool "+want.ID+" CreatedAt", got.CreatedAt, want.CreatedAt)
	checkTime(t, "pool "+want.ID+" UpdatedAt", got.UpdatedAt, want.UpdatedAt)
}

func checkClient(t *testing.T, got, want *store.Client) {
	t.Helper()
	if got.PoolID != want.PoolID || got.ID != want.ID || got.Name != want.Name {
		t.Errorf("client: got %s/%s/%q, want %s/%s/%q", got.PoolID, got.ID, got.Name, want.PoolID, want.ID, want.Name)
	}
	if !bytes.Equal(got.Secret, want.Secret) || (got.Secret == nil) != (want.Secret == nil) {
		t.Errorf("client %s Secret: got %#v, want %#v", want.ID, got.Secret, want.Secret)
	}
	if !bytes.Equal(got.Config, want.Config) {
		t.Errorf("client %s Config: got %q, want %q", want.ID, got.Config, want.Config)
	}
	if got.Version != want.Version {
		t.Errorf("client %s Version: got %d, want %d", want.ID, got.Version, want.Version)
	}
	checkTime(t, "client "+want.ID+" CreatedAt", got.CreatedAt, want.CreatedAt)
	checkTime(t, "client "+want.ID+" UpdatedAt", got.UpdatedAt, want.UpdatedAt)
}

func poolIDs(ps []store.UserPool) []string {
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return ids
}

func clientIDs(cs []store.Client) []string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

// --- user pools ---

func testPoolCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := newPool(region1, account1)
	p.Config = []byte("{\n  \"b\": [true, null],\t\"a\" : 1.50 }")
	p.Tags = map[string]string{"env": "dev", "ünï": "✓ \"quoted\"", "empty": ""}
	p.UpdatedAt = p.CreatedAt.Add(time.Second)
	want := *p
	mustCreatePool(t, s, p)
	if p.Version <= 0 {
		t.Fatalf("Version after create = %d, want > 0", p.Version)
	}
	want.Version = p.Version

	got := mustGetPool(t, s, region1, p.ID)
	checkPool(t, got, &want)

	// The returned record is the caller's: changing it changes nothing stored.
	got.Name = "changed"
	got.Config[0] = 'X'
	if got.Tags == nil {
		got.Tags = map[string]string{}
	}
	got.Tags["new"] = "tag"
	checkPool(t, mustGetPool(t, s, region1, p.ID), &want)

	_, err := s.GetUserPool(ctx, region2, p.ID)
	wantErr(t, "GetUserPool in another region", err, store.ErrNotFound)
	_, err = s.GetUserPool(ctx, region1, poolID(region1))
	wantErr(t, "GetUserPool of a missing pool", err, store.ErrNotFound)
}

func testPoolDuplicate(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	wantErr(t, "CreateUserPool with a taken id", s.CreateUserPool(ctx, &store.UserPool{
		Region: region1, AccountID: account1, ID: p.ID, Name: "dup", CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
	}), store.ErrConflict)
	// Ids are unique across the store, not per account or region.
	other := newPool(region2, account2)
	other.ID = p.ID
	wantErr(t, "CreateUserPool with an id taken in another account", s.CreateUserPool(ctx, other), store.ErrConflict)
	if got := mustGetPool(t, s, region1, p.ID); got.Name != p.Name {
		t.Errorf("pool name after failed duplicate create = %q, want %q", got.Name, p.Name)
	}
}

func testPoolUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	created := p.CreatedAt
	got := mustGetPool(t, s, region1, p.ID)
	v := got.Version
	got.Name = "renamed"
	got.Config = []byte(`{"MfaConfiguration":"ON"}`)
	got.Tags = map[string]string{"a": "1", "b": "2"}
	got.UpdatedAt = got.UpdatedAt.Add(90 * time.Second)
	want := *got
	noErr(t, "UpdateUserPool", s.UpdateUserPool(ctx, got))
	if got.Version != v+1 {
		t.Errorf("Version after update = %d, want %d", got.Version, v+1)
	}
	want.Version = v + 1
	want.CreatedAt = created
	checkPool(t, mustGetPool(t, s, region1, p.ID), &want)

	// Removing all tags.
	got.Tags = nil
	want = *got
	noErr(t, "UpdateUserPool removing tags", s.UpdateUserPool(ctx, got))
	want.Version++
	want.CreatedAt = created
	checkPool(t, mustGetPool(t, s, region1, p.ID), &want)
}

func testPoolUpdateConflict(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	a := mustGetPool(t, s, region1, p.ID)
	b := mustGetPool(t, s, region1, p.ID)
	a.Name = "A"
	noErr(t, "first UpdateUserPool", s.UpdateUserPool(ctx, a))
	b.Name = "B"
	bVersion := b.Version
	wantErr(t, "second UpdateUserPool from the same read", s.UpdateUserPool(ctx, b), store.ErrConflict)
	if b.Version != bVersion {
		t.Errorf("failed update changed Version from %d to %d", bVersion, b.Version)
	}
	if got := mustGetPool(t, s, region1, p.ID); got.Name != "A" || got.Version != a.Version {
		t.Errorf("after conflict: name %q version %d, want %q %d", got.Name, got.Version, "A", a.Version)
	}
	// A fresh read can update.
	c := mustGetPool(t, s, region1, p.ID)
	c.Name = "C"
	noErr(t, "UpdateUserPool after re-read", s.UpdateUserPool(ctx, c))
}

func testPoolUpdateMissing(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := newPool(region1, account1)
	p.Version = 1
	wantErr(t, "UpdateUserPool of a pool never created", s.UpdateUserPool(ctx, p), store.ErrNotFound)

	q := mustCreatePool(t, s, newPool(region1, account1))
	noErr(t, "DeleteUserPool", s.DeleteUserPool(ctx, region1, q.ID))
	wantErr(t, "UpdateUserPool of a deleted pool", s.UpdateUserPool(ctx, q), store.ErrNotFound)
}

func testPoolDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	keep := mustCreatePool(t, s, newPool(region1, account1))
	wantErr(t, "DeleteUserPool in another region", s.DeleteUserPool(ctx, region2, p.ID), store.ErrNotFound)
	mustGetPool(t, s, region1, p.ID)
	noErr(t, "DeleteUserPool", s.DeleteUserPool(ctx, region1, p.ID))
	_, err := s.GetUserPool(ctx, region1, p.ID)
	wantErr(t, "GetUserPool after delete", err, store.ErrNotFound)
	wantErr(t, "DeleteUserPool twice", s.DeleteUserPool(ctx, region1, p.ID), store.ErrNotFound)
	mustGetPool(t, s, region1, keep.ID)
	ps, err := s.ListUserPools(ctx, region1, account1, store.Page{Limit: 10})
	noErr(t, "ListUserPools", err)
	if ids := poolIDs(ps); !slices.Equal(ids, []string{keep.ID}) {
		t.Errorf("ListUserPools after delete = %v, want [%s]", ids, keep.ID)
	}
}

// listAllPools pages through ListUserPools with the given page size and checks every page.
func listAllPools(t *testing.T, tx store.Tx, region, account string, limit int) []string {
	t.Helper()
	var all []string
	after := ""
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatal("ListUserPools: paging does not end")
		}
		ps, err := tx.ListUserPools(t.Context(), region, account, store.Page{After: after, Limit: limit})
		noErr(t, "ListUserPools", err)
		if len(ps) > limit {
			t.Fatalf("ListUserPools(limit %d) returned %d pools", limit, len(ps))
		}
		for _, p := range ps {
			if p.Region != region || p.AccountID != account {
				t.Fatalf("ListUserPools(%s, %s) returned pool %s of %s/%s", region, account, p.ID, p.Region, p.AccountID)
			}
			if p.ID <= after {
				t.Fatalf("ListUserPools(after %q) returned %q out of order", after, p.ID)
			}
			after = p.ID
			all = append(all, p.ID)
		}
		if len(ps) < limit {
			return all
		}
	}
}

func testPoolList(t *testing.T, s store.Store) {
	ctx := t.Context()
	var want []string
	for range 7 {
		want = append(want, mustCreatePool(t, s, newPool(region1, account1)).ID)
	}
	for range 3 {
		mustCreatePool(t, s, newPool(region2, account1))
		mustCreatePool(t, s, newPool(region1, account2))
	}
	slices.Sort(want)
	for _, limit := range []int{1, 2, 3, 6, 7, 8, 60} {
		if got := listAllPools(t, s, region1, account1, limit); !slices.Equal(got, want) {
			t.Errorf("ListUserPools pages of %d: got %v, want %v", limit, got, want)
		}
	}
	ps, err := s.ListUserPools(ctx, region1, account1, store.Page{After: want[2], Limit: 2})
	noErr(t, "ListUserPools", err)
	if got := poolIDs(ps); !slices.Equal(got, want[3:5]) {
		t.Errorf("ListUserPools after %s limit 2 = %v, want %v", want[2], got, want[3:5])
	}
	checkPool(t, &ps[0], mustGetPool(t, s, region1, want[3]))
	ps, err = s.ListUserPools(ctx, region1, "999999999999", store.Page{Limit: 10})
	noErr(t, "ListUserPools of an account without pools", err)
	if len(ps) != 0 {
		t.Errorf("ListUserPools of an account without pools = %v", poolIDs(ps))
	}
	ps, err = s.ListUserPools(ctx, "ap-south-1", account1, store.Page{Limit: 10})
	noErr(t, "ListUserPools of a region without pools", err)
	if len(ps) != 0 {
		t.Errorf("ListUserPools of a region without pools = %v", poolIDs(ps))
	}
}

func testPoolListOrder(t *testing.T, s store.Store) {
	// Ids sort bytewise: digits < upper case < '_' < lower case, whatever the database's
	// collation would do.
	suffixes := []string{"zzzzzzzzz", "AAAAAAAAA", "aaaaaaaaa", "000000000", "ZZZZZZZZZ", "a_aaaaaaa", "aAaaaaaaa", "Aaaaaaaaa"}
	var want []string
	for _, sfx := range suffixes {
		p := newPool(region1, account1)
		p.ID = region1 + "_" + sfx
		want = append(want, mustCreatePool(t, s, p).ID)
	}
	slices.Sort(want)
	if got := listAllPools(t, s, region1, account1, 3); !slices.Equal(got, want) {
		t.Errorf("ListUserPools order: got %v, want %v", got, want)
	}
}

func testPoolListWhileInserting(t *testing.T, s store.Store) {
	ctx := t.Context()
	var before []string
	for range 40 {
		before = append(before, mustCreatePool(t, s, newPool(region1, account1)).ID)
	}
	slices.Sort(before)

	var (
		wg       sync.WaitGroup
		stop     = make(chan struct{})
		inserted sync.Map
		insErr   = make(chan error, 1)
	)
	wg.Go(func() {
		for i := range 300 {
			select {
			case <-stop:
				return
			default:
			}
			p := newPool(region1, account1)
			inserted.Store(p.ID, true) // before: a lister may see it as soon as it commits
			if err := s.CreateUserPool(ctx, p); err != nil {
				insErr <- fmt.Errorf("concurrent CreateUserPool: %w", err)
				return
			}
			if i%2 == 0 {
				// Noise in other accounts and regions.
				if err := s.CreateUserPool(ctx, newPool(region2, account1)); err != nil {
					insErr <- err
					return
				}
			}
		}
	})
	defer wg.Wait()
	defer close(stop)

	for round := range 5 {
		got := listAllPools(t, s, region1, account1, 7) // checks order, hence no duplicates
		seen := map[string]bool{}
		for _, id := range got {
			seen[id] = true
			if _, ok := inserted.Load(id); !ok && !slices.Contains(before, id) {
				t.Fatalf("round %d: ListUserPools returned unknown pool %s", round, id)
			}
		}
		for _, id := range before {
			if !seen[id] {
				t.Fatalf("round %d: pool %s, present before paging began, is missing (a gap)", round, id)
			}
		}
		select {
		case err := <-insErr:
			t.Fatal(err)
		default:
		}
	}
}

func testPoolConfigAndTags(t *testing.T, s store.Store) {
	big := make(map[string]any)
	for i := range 2000 {
		big[fmt.Sprintf("key%04d", i)] = strings.Repeat("v", i%50)
	}
	bigJSON, _ := json.Marshal(big)
	manyTags := map[string]string{}
	for i := range 50 {
		manyTags[fmt.Sprintf("tag-%02d", i)] = strings.Repeat("x", i)
	}
	cases := []struct {
		name   string
		config []byte
		tags   map[string]string
	}{
		{"empty object", []byte(`{}`), nil},
		{"whitespace and key order", []byte(" {\"z\" : 1,\n\t\"a\":[ ]}\n"), map[string]string{}},
		{"unicode and escapes", []byte(`{"k":"é ✓ \u00e9 \"q\" \\ \/"}`), map[string]string{"ключ": "значение", "": "empty key"}},
		{"large", bigJSON, manyTags},
	}
	for _, c := range cases {
		p := newPool(region1, account1)
		p.Config, p.Tags = c.config, c.tags
		want := *p
		mustCreatePool(t, s, p)
		want.Version = p.Version
		got := mustGetPool(t, s, region1, p.ID)
		if !bytes.Equal(got.Config, c.config) {
			t.Errorf("%s: Config %.200q, want %.200q", c.name, got.Config, c.config)
		}
		if !tagsEqual(got.Tags, c.tags) {
			t.Errorf("%s: Tags %v, want %v", c.name, got.Tags, c.tags)
		}
		// And through an update.
		got.Config = append(slices.Clone(c.config), ' ')
		noErr(t, c.name+": UpdateUserPool", s.UpdateUserPool(t.Context(), got))
		if again := mustGetPool(t, s, region1, p.ID); !bytes.Equal(again.Config, got.Config) || !tagsEqual(again.Tags, c.tags) {
			t.Errorf("%s: after update Config %.200q Tags %v", c.name, again.Config, again.Tags)
		}
	}
	// No config at all.
	p := newPool(region1, account1)
	p.Config = nil
	mustCreatePool(t, s, p)
	if got := mustGetPool(t, s, region1, p.ID); len(got.Config) != 0 {
		t.Errorf("nil Config came back as %q", got.Config)
	}
}

func testPoolTimestamps(t *testing.T, s store.Store) {
	ctx := t.Context()
	zone := time.FixedZone("UTC+05:30", 5*3600+1800)
	cases := []struct{ created, updated time.Time }{
		{time.Date(2024, 2, 29, 23, 59, 59, 123_000_000, zone), time.Date(2025, 1, 2, 3, 4, 5, 6_000_000, zone)},
		{time.Date(2024, 2, 29, 23, 59, 59, 123_456_789, zone), time.Date(2030, 12, 31, 23, 59, 59, 999_999_999, time.UTC)},
		{time.Date(1999, 12, 31, 23, 59, 59, 1_000_000, time.UTC), time.Date(2000, 1, 1, 0, 0, 0, 0, time.Local)},
	}
	for _, c := range cases {
		p := newPool(region1, account1)
		p.CreatedAt, p.UpdatedAt = c.created, c.updated
		mustCreatePool(t, s, p)
		got := mustGetPool(t, s, region1, p.ID)
		checkTime(t, "CreatedAt", got.CreatedAt, c.created)
		checkTime(t, "UpdatedAt", got.UpdatedAt, c.updated)
		listed, err := s.ListUserPools(ctx, region1, account1, store.Page{Limit: 100})
		noErr(t, "ListUserPools", err)
		for _, l := range listed {
			if l.ID == p.ID {
				checkTime(t, "listed CreatedAt", l.CreatedAt, c.created)
				checkTime(t, "listed UpdatedAt", l.UpdatedAt, c.updated)
			}
		}
		later := c.updated.Add(36*time.Hour + 777*time.Millisecond)
		got.UpdatedAt = later
		noErr(t, "UpdateUserPool", s.UpdateUserPool(ctx, got))
		again := mustGetPool(t, s, region1, p.ID)
		checkTime(t, "CreatedAt after update", again.CreatedAt, c.created)
		checkTime(t, "UpdatedAt after update", again.UpdatedAt, later)
	}
}

// counter reads and writes the "n" member of a config document.
func counter(t *testing.T, config []byte) int {
	var v struct{ N int }
	if err := json.Unmarshal(config, &v); err != nil {
		t.Errorf("config %q: %v", config, err)
	}
	return v.N
}

func withCounter(n int) []byte { return fmt.Appendf(nil, `{"n":%d}`, n) }

func testPoolConcurrentOptimistic(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := newPool(region1, account1)
	p.Config = withCounter(0)
	mustCreatePool(t, s, p)
	const workers, each = 6, 8
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				for {
					got, err := s.GetUserPool(ctx, region1, p.ID)
					if err != nil {
						t.Errorf("GetUserPool: %v", err)
						return
					}
					got.Config = withCounter(counter(t, got.Config) + 1)
					err = s.UpdateUserPool(ctx, got)
					if errors.Is(err, store.ErrConflict) {
						continue
					}
					if err != nil {
						t.Errorf("UpdateUserPool: %v", err)
						return
					}
					break
				}
			}
		})
	}
	wg.Wait()
	got := mustGetPool(t, s, region1, p.ID)
	if n := counter(t, got.Config); n != workers*each {
		t.Errorf("counter = %d, want %d (lost updates)", n, workers*each)
	}
	if got.Version != p.Version+workers*each {
		t.Errorf("Version = %d, want %d", got.Version, p.Version+workers*each)
	}
}

// --- clients ---

func testClientCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	other := mustCreatePool(t, s, newPool(region1, account1))
	c := newClient(p.ID)
	want := *c
	mustCreateClient(t, s, c)
	if c.Version <= 0 {
		t.Fatalf("Version after create = %d, want > 0", c.Version)
	}
	want.Version = c.Version
	checkClient(t, mustGetClient(t, s, p.ID, c.ID), &want)
	found, err := s.FindClient(ctx, c.ID)
	noErr(t, "FindClient", err)
	checkClient(t, found, &want)

	_, err = s.GetClient(ctx, other.ID, c.ID)
	wantErr(t, "GetClient through another pool", err, store.ErrNotFound)
	_, err = s.GetClient(ctx, p.ID, "nosuchclient0000000000000")
	wantErr(t, "GetClient of a missing client", err, store.ErrNotFound)
	_, err = s.FindClient(ctx, "nosuchclient0000000000000")
	wantErr(t, "FindClient of a missing client", err, store.ErrNotFound)

	// Update, and the optimistic check.
	a := mustGetClient(t, s, p.ID, c.ID)
	b := mustGetClient(t, s, p.ID, c.ID)
	a.Name = "renamed"
	a.Config = []byte(`{"AllowedOAuthFlows":["code"]}`)
	a.Secret = nil
	a.UpdatedAt = a.UpdatedAt.Add(time.Minute)
	want = *a
	noErr(t, "UpdateClient", s.UpdateClient(ctx, a))
	if a.Version != b.Version+1 {
		t.Errorf("Version after update = %d, want %d", a.Version, b.Version+1)
	}
	want.Version = a.Version
	checkClient(t, mustGetClient(t, s, p.ID, c.ID), &want)
	b.Name = "stale"
	wantErr(t, "UpdateClient from a stale read", s.UpdateClient(ctx, b), store.ErrConflict)
	checkClient(t, mustGetClient(t, s, p.ID, c.ID), &want)
	moved := *a
	moved.PoolID = other.ID
	wantErr(t, "UpdateClient through another pool", s.UpdateClient(ctx, &moved), store.ErrNotFound)
	missing := newClient(p.ID)
	missing.Version = 1
	wantErr(t, "UpdateClient of a missing client", s.UpdateClient(ctx, missing), store.ErrNotFound)

	// Delete.
	wantErr(t, "DeleteClient through another pool", s.DeleteClient(ctx, other.ID, c.ID), store.ErrNotFound)
	noErr(t, "DeleteClient", s.DeleteClient(ctx, p.ID, c.ID))
	_, err = s.GetClient(ctx, p.ID, c.ID)
	wantErr(t, "GetClient after delete", err, store.ErrNotFound)
	_, err = s.FindClient(ctx, c.ID)
	wantErr(t, "FindClient after delete", err, store.ErrNotFound)
	wantErr(t, "DeleteClient twice", s.DeleteClient(ctx, p.ID, c.ID), store.ErrNotFound)
	wantErr(t, "UpdateClient after delete", s.UpdateClient(ctx, a), store.ErrNotFound)
	mustGetPool(t, s, region1, p.ID) // the pool stays

	// A client without a secret keeps having none.
	n := newClient(p.ID)
	n.Secret = nil
	mustCreateClient(t, s, n)
	if got := mustGetClient(t, s, p.ID, n.ID); got.Secret != nil {
		t.Errorf("nil Secret came back as %#v", got.Secret)
	}
}

func testClientDuplicate(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	q := mustCreatePool(t, s, newPool(region2, account2))
	c := mustCreateClient(t, s, newClient(p.ID))
	dup := newClient(p.ID)
	dup.ID = c.ID
	wantErr(t, "CreateClient with a taken id", s.CreateClient(ctx, dup), store.ErrConflict)
	dup.PoolID = q.ID
	wantErr(t, "CreateClient with an id taken in another pool", s.CreateClient(ctx, dup), store.ErrConflict)
	if got := mustGetClient(t, s, p.ID, c.ID); got.Name != c.Name {
		t.Errorf("client name after failed duplicate create = %q, want %q", got.Name, c.Name)
	}
	cs, err := s.ListClients(ctx, q.ID, store.Page{Limit: 10})
	noErr(t, "ListClients", err)
	if len(cs) != 0 {
		t.Errorf("ListClients of the other pool = %v", clientIDs(cs))
	}
}

func testClientMissingPool(t *testing.T, s store.Store) {
	ctx := t.Context()
	c := newClient(poolID(region1))
	wantErr(t, "CreateClient in a missing pool", s.CreateClient(ctx, c), store.ErrNotFound)
	_, err := s.FindClient(ctx, c.ID)
	wantErr(t, "FindClient after failed create", err, store.ErrNotFound)
}

func testClientList(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	q := mustCreatePool(t, s, newPool(region1, account1))
	var want []string
	for i := range 9 {
		c := newClient(p.ID)
		if i%3 == 0 {
			c.ID = strings.ToUpper(c.ID) // mixed case: bytewise order
		}
		want = append(want, mustCreateClient(t, s, c).ID)
	}
	for range 3 {
		mustCreateClient(t, s, newClient(q.ID))
	}
	slices.Sort(want)
	for _, limit := range []int{1, 2, 4, 9, 10, 60} {
		var got []string
		after := ""
		for {
			cs, err := s.ListClients(ctx, p.ID, store.Page{After: after, Limit: limit})
			noErr(t, "ListClients", err)
			if len(cs) > limit {
				t.Fatalf("ListClients(limit %d) returned %d", limit, len(cs))
			}
			for _, c := range cs {
				if c.PoolID != p.ID {
					t.Fatalf("ListClients(%s) returned client %s of pool %s", p.ID, c.ID, c.PoolID)
				}
				after = c.ID
				got = append(got, c.ID)
			}
			if len(cs) < limit {
				break
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("ListClients pages of %d: got %v, want %v", limit, got, want)
		}
	}
	cs, err := s.ListClients(ctx, p.ID, store.Page{After: want[4], Limit: 3})
	noErr(t, "ListClients", err)
	if got := clientIDs(cs); !slices.Equal(got, want[5:8]) {
		t.Errorf("ListClients after %s = %v, want %v", want[4], got, want[5:8])
	}
	checkClient(t, &cs[0], mustGetClient(t, s, p.ID, want[5]))
	cs, err = s.ListClients(ctx, poolID(region1), store.Page{Limit: 10})
	noErr(t, "ListClients of a missing pool", err)
	if len(cs) != 0 {
		t.Errorf("ListClients of a missing pool = %v", clientIDs(cs))
	}
}

func testClientDeletedWithPool(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	q := mustCreatePool(t, s, newPool(region1, account1))
	var gone []*store.Client
	for range 3 {
		gone = append(gone, mustCreateClient(t, s, newClient(p.ID)))
	}
	kept := mustCreateClient(t, s, newClient(q.ID))
	noErr(t, "DeleteUserPool", s.DeleteUserPool(ctx, region1, p.ID))
	for _, c := range gone {
		_, err := s.GetClient(ctx, p.ID, c.ID)
		wantErr(t, "GetClient of a deleted pool's client", err, store.ErrNotFound)
		_, err = s.FindClient(ctx, c.ID)
		wantErr(t, "FindClient of a deleted pool's client", err, store.ErrNotFound)
	}
	cs, err := s.ListClients(ctx, p.ID, store.Page{Limit: 10})
	noErr(t, "ListClients", err)
	if len(cs) != 0 {
		t.Errorf("ListClients of a deleted pool = %v", clientIDs(cs))
	}
	mustGetClient(t, s, q.ID, kept.ID)

	// A pool created again under the same id starts without clients, and the old client ids
	// are free again.
	p2 := newPool(region1, account1)
	p2.ID = p.ID
	mustCreatePool(t, s, p2)
	cs, err = s.ListClients(ctx, p.ID, store.Page{Limit: 10})
	noErr(t, "ListClients", err)
	if len(cs) != 0 {
		t.Errorf("ListClients of a re-created pool = %v", clientIDs(cs))
	}
	again := newClient(p.ID)
	again.ID = gone[0].ID
	mustCreateClient(t, s, again)
}

func testClientTimestamps(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	c := newClient(p.ID)
	zone := time.FixedZone("UTC-03:00", -3*3600)
	c.CreatedAt = time.Date(2023, 6, 1, 12, 0, 0, 987_654_321, zone)
	c.UpdatedAt = time.Date(2023, 6, 1, 12, 0, 1, 5_000_000, zone)
	want := *c
	mustCreateClient(t, s, c)
	got := mustGetClient(t, s, p.ID, c.ID)
	checkTime(t, "client CreatedAt", got.CreatedAt, want.CreatedAt)
	checkTime(t, "client UpdatedAt", got.UpdatedAt, want.UpdatedAt)
	later := want.UpdatedAt.Add(time.Hour + 250*time.Millisecond)
	got.UpdatedAt = later
	noErr(t, "UpdateClient", s.UpdateClient(ctx, got))
	again, err := s.FindClient(ctx, c.ID)
	noErr(t, "FindClient", err)
	checkTime(t, "client CreatedAt after update", again.CreatedAt, want.CreatedAt)
	checkTime(t, "client UpdatedAt after update", again.UpdatedAt, later)
}

// --- transactions ---

func testTxRollback(t *testing.T, s store.Store) {
	ctx := t.Context()
	existing := mustCreatePool(t, s, newPool(region1, account1))
	p := newPool(region1, account1)
	c := newClient(p.ID)
	err := s.InTx(ctx, func(tx store.Tx) error {
		mustCreatePool(t, tx, p)
		mustCreateClient(t, tx, c)
		e := mustGetPool(t, tx, region1, existing.ID)
		e.Name = "changed in a rolled back transaction"
		noErr(t, "UpdateUserPool in tx", tx.UpdateUserPool(ctx, e))
		if _, err := tx.PutSecretIfAbsent(ctx, "rolled-back", []byte("x")); err != nil {
			return err
		}
		mustGetPool(t, tx, region1, p.ID) // visible inside
		return errBoom
	})
	if err != errBoom {
		t.Fatalf("InTx returned %v, want fn's error unchanged", err)
	}
	_, err = s.GetUserPool(ctx, region1, p.ID)
	wantErr(t, "GetUserPool after rollback", err, store.ErrNotFound)
	_, err = s.FindClient(ctx, c.ID)
	wantErr(t, "FindClient after rollback", err, store.ErrNotFound)
	_, err = s.GetSecret(ctx, "rolled-back")
	wantErr(t, "GetSecret after rollback", err, store.ErrNotFound)
	checkPool(t, mustGetPool(t, s, region1, existing.ID), existing)

	// A wrapped sentinel from fn comes through as is.
	wrapped := fmt.Errorf("domain: %w", store.ErrNotFound)
	if err := s.InTx(ctx, func(tx store.Tx) error { return wrapped }); err != wrapped {
		t.Errorf("InTx returned %v, want %v", err, wrapped)
	}
}

func testTxCommit(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := newPool(region1, account1)
	c := newClient(p.ID)
	err := s.InTx(ctx, func(tx store.Tx) error {
		mustCreatePool(t, tx, p)
		mustCreateClient(t, tx, c)
		got := mustGetPool(t, tx, region1, p.ID)
		got.Name = "updated in tx"
		if err := tx.UpdateUserPool(ctx, got); err != nil {
			return err
		}
		*p = *got
		ps, err := tx.ListUserPools(ctx, region1, account1, store.Page{Limit: 10})
		if err != nil {
			return err
		}
		if ids := poolIDs(ps); !slices.Equal(ids, []string{p.ID}) {
			t.Errorf("ListUserPools inside tx = %v", ids)
		}
		cs, err := tx.ListClients(ctx, p.ID, store.Page{Limit: 10})
		if err != nil {
			return err
		}
		if ids := clientIDs(cs); !slices.Equal(ids, []string{c.ID}) {
			t.Errorf("ListClients inside tx = %v", ids)
		}
		if _, err := tx.FindClient(ctx, c.ID); err != nil {
			return err
		}
		return nil
	})
	noErr(t, "InTx", err)
	checkPool(t, mustGetPool(t, s, region1, p.ID), p)
	checkClient(t, mustGetClient(t, s, p.ID, c.ID), c)

	// Deleting a pool with its clients inside a transaction.
	noErr(t, "InTx delete", s.InTx(ctx, func(tx store.Tx) error {
		if err := tx.DeleteUserPool(ctx, region1, p.ID); err != nil {
			return err
		}
		if _, err := tx.FindClient(ctx, c.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("FindClient inside tx after DeleteUserPool: %v, want ErrNotFound", err)
		}
		return nil
	}))
	_, err = s.FindClient(ctx, c.ID)
	wantErr(t, "FindClient after committed delete", err, store.ErrNotFound)
}

func testTxUsableAfterErrors(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreatePool(t, s, newPool(region1, account1))
	c := mustCreateClient(t, s, newClient(p.ID))
	q := newPool(region1, account1)
	err := s.InTx(ctx, func(tx store.Tx) error {
		dup := newPool(region1, account1)
		dup.ID = p.ID
		wantErr(t, "CreateUserPool duplicate in tx", tx.CreateUserPool(ctx, dup), store.ErrConflict)
		dupClient := newClient(p.ID)
		dupClient.ID = c.ID
		wantErr(t, "CreateClient duplicate in tx", tx.CreateClient(ctx, dupClient), store.ErrConflict)
		wantErr(t, "CreateClient in missing pool in tx", tx.CreateClient(ctx, newClient(poolID(region1))), store.ErrNotFound)
		_, err := tx.GetUserPool(ctx, region1, poolID(region1))
		wantErr(t, "GetUserPool missing in tx", err, store.ErrNotFound)
		stale := *p
		stale.Version = p.Version + 100
		wantErr(t, "UpdateUserPool stale in tx", tx.UpdateUserPool(ctx, &stale), store.ErrConflict)
		wantErr(t, "DeleteClient missing in tx", tx.DeleteClient(ctx, p.ID, "nosuchclient0000000000000"), store.ErrNotFound)
		_, err = tx.GetSecret(ctx, "nosuchsecret")
		wantErr(t, "GetSecret missing in tx", err, store.ErrNotFound)
		// After all that the transaction still works.
		mustCreatePool(t, tx, q)
		return nil
	})
	noErr(t, "InTx", err)
	mustGetPool(t, s, region1, q.ID)
	checkPool(t, mustGetPool(t, s, region1, p.ID), p)
}

func testTxPanic(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := newPool(region1, account1)
	func() {
		defer func() {
			if r := recover(); r != errBoom {
				t.Errorf("recovered %v, want the panic to propagate", r)
			}
		}()
		_ = s.InTx(ctx, func(tx store.Tx) error {
			mustCreatePool(t, tx, p)
			panic(errBoom)
		})
	}()
	_, err := s.GetUserPool(ctx, region1, p.ID)
	wantErr(t, "GetUserPool after panic", err, store.ErrNotFound)
	// The store is still usable, also for writes and transactions.
	mustCreatePool(t, s, newPool(region1, account1))
	noErr(t, "InTx after panic", s.InTx(ctx, func(tx store.Tx) error {
		return tx.CreateUserPool(ctx, newPool(region1, account1))
	}))
}

func testTxConcurrentCounter(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := newPool(region1, account1)
	p.Config = withCounter(0)
	mustCreatePool(t, s, p)
	const workers, each = 8, 10
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				for attempt := 0; ; attempt++ {
					if attempt > 1000 {
						t.Errorf("worker %d: increment %d never succeeded", w, i)
						return
					}
					err := s.InTx(ctx, func(tx store.Tx) error {
						got, err := tx.GetUserPool(ctx, region1, p.ID)
						if err != nil {
							return err
						}
						got.Config = withCounter(counter(t, got.Config) + 1)
						return tx.UpdateUserPool(ctx, got)
					})
					if errors.Is(err, store.ErrConflict) {
						continue
					}
					if err != nil {
						t.Errorf("worker %d: InTx: %v", w, err)
						return
					}
					break
				}
			}
		})
	}
	wg.Wait()
	got := mustGetPool(t, s, region1, p.ID)
	if n := counter(t, got.Config); n != workers*each {
		t.Errorf("counter = %d, want %d (lost updates)", n, workers*each)
	}
	if got.Version != p.Version+workers*each {
		t.Errorf("Version = %d, want %d", got.Version, p.Version+workers*each)
	}
}

// --- secrets ---

func testSecretGetPut(t *testing.T, s store.Store) {
	ctx := t.Context()
	_, err := s.GetSecret(ctx, "root")
	wantErr(t, "GetSecret of a missing secret", err, store.ErrNotFound)
	first := make([]byte, 256)
	for i := range first {
		first[i] = byte(i)
	}
	got, err := s.PutSecretIfAbsent(ctx, "root", first)
	noErr(t, "PutSecretIfAbsent", err)
	if !bytes.Equal(got, first) {
		t.Errorf("PutSecretIfAbsent returned %x, want %x", got, first)
	}
	got, err = s.PutSecretIfAbsent(ctx, "root", []byte("second"))
	noErr(t, "second PutSecretIfAbsent", err)
	if !bytes.Equal(got, first) {
		t.Errorf("second PutSecretIfAbsent returned %q, want the first value", got)
	}
	got, err = s.GetSecret(ctx, "root")
	noErr(t, "GetSecret", err)
	if !bytes.Equal(got, first) {
		t.Errorf("GetSecret = %q, want the first value", got)
	}
	// Names are distinct keys.
	got, err = s.PutSecretIfAbsent(ctx, "Root", []byte("other"))
	noErr(t, "PutSecretIfAbsent other name", err)
	if string(got) != "other" {
		t.Errorf("PutSecretIfAbsent(Root) = %q, want %q", got, "other")
	}
}

func testSecretConcurrentPut(t *testing.T, s store.Store) {
	ctx := t.Context()
	const n = 8
	results := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			v, err := s.PutSecretIfAbsent(ctx, "hmac-key", fmt.Appendf(nil, "value-%d", i))
			if err != nil {
				t.Errorf("PutSecretIfAbsent %d: %v", i, err)
			}
			results[i] = v
		})
	}
	wg.Wait()
	stored, err := s.GetSecret(ctx, "hmac-key")
	noErr(t, "GetSecret", err)
	for i, r := range results {
		if !bytes.Equal(r, stored) {
			t.Errorf("PutSecretIfAbsent %d returned %q, but %q is stored", i, r, stored)
		}
	}
}

func testSecretInTx(t *testing.T, s store.Store) {
	ctx := t.Context()
	err := s.InTx(ctx, func(tx store.Tx) error {
		v, err := tx.PutSecretIfAbsent(ctx, "k", []byte("in tx"))
		if err != nil {
			return err
		}
		if string(v) != "in tx" {
			t.Errorf("PutSecretIfAbsent in tx = %q", v)
		}
		v, err = tx.GetSecret(ctx, "k")
		if err != nil {
			return err
		}
		if string(v) != "in tx" {
			t.Errorf("GetSecret in tx = %q", v)
		}
		return nil
	})
	noErr(t, "InTx", err)
	v, err := s.GetSecret(ctx, "k")
	noErr(t, "GetSecret", err)
	if string(v) != "in tx" {
		t.Errorf("GetSecret after commit = %q", v)
	}
}

// --- misc ---

func testPing(t *testing.T, s store.Store) {
	noErr(t, "Ping", s.Ping(t.Context()))
}

func testCanceledContext(t *testing.T, s store.Store) {
	p := mustCreatePool(t, s, newPool(region1, account1))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.GetUserPool(ctx, region1, p.ID)
	wantErr(t, "GetUserPool with a canceled context", err, context.Canceled)
	q := newPool(region1, account1)
	wantErr(t, "CreateUserPool with a canceled context", s.CreateUserPool(ctx, q), context.Canceled)
	called := false
	err = s.InTx(ctx, func(tx store.Tx) error {
		called = true
		return tx.CreateUserPool(ctx, q)
	})
	wantErr(t, "InTx with a canceled context", err, context.Canceled)
	if _, err := s.GetUserPool(t.Context(), region1, q.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("pool created with a canceled context exists (fn called: %v): %v", called, err)
	}
}
