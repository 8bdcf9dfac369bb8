package storetest

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cgip/cgip/internal/store"
)

// iamTests are the subtests of Run for IAM accounts, users, roles, access keys and policies.
var iamTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"IAM/Account", testIAMAccount},
	{"IAM/AccountList", testIAMAccountList},
	{"IAM/UserCreateGet", testIAMUserCreateGet},
	{"IAM/UserNameConflict", testIAMUserNameConflict},
	{"IAM/UserDelete", testIAMUserDelete},
	{"IAM/UserList", testIAMUserList},
	{"IAM/Role", testIAMRole},
	{"IAM/RoleList", testIAMRoleList},
	{"IAM/AccessKey", testIAMAccessKey},
	{"IAM/AccessKeyOwner", testIAMAccessKeyOwner},
	{"IAM/RootAccessKeys", testIAMRootAccessKeys},
	{"IAM/InlinePolicy", testIAMInlinePolicy},
	{"IAM/ManagedPolicy", testIAMManagedPolicy},
	{"IAM/ManagedPolicyList", testIAMManagedPolicyList},
	{"IAM/Attachments", testIAMAttachments},
	{"IAM/DeleteAttachedPolicy", testIAMDeleteAttachedPolicy},
	{"IAM/PolicyDocuments", testIAMPolicyDocuments},
	{"IAM/InTx", testIAMInTx},
	{"IAM/Rollback", testIAMRollback},
}

func iamID(prefix string) string { return prefix + strings.ToUpper(randString(16)) }

func newAccount(id string) *store.Account {
	return &store.Account{ID: id, Name: "account-" + randString(6), CreatedAt: time.Now().Truncate(time.Millisecond)}
}

func newIAMUser(account, name string) *store.IAMUser {
	return &store.IAMUser{
		AccountID: account, Name: name, ID: iamID("AIDA"), Path: "/division/",
		CreatedAt: time.Now().Truncate(time.Millisecond),
	}
}

func newRole(account, name string) *store.Role {
	return &store.Role{
		AccountID: account, Name: name, ID: iamID("AROA"), Path: "/service-role/",
		Description:        "Ünïcode ✓ \"quoted\"",
		TrustPolicy:        "{\n  \"Version\": \"2012-10-17\",\t\"Statement\": [] }",
		MaxSessionDuration: 43200,
		CreatedAt:          time.Now().Truncate(time.Millisecond),
	}
}

func newAccessKey(account, user string) *store.AccessKey {
	return &store.AccessKey{
		ID: iamID("AKIA"), AccountID: account, UserName: user,
		Secret: []byte("sealed \x00\x01\xfe\xff " + randString(16)), Active: true,
		CreatedAt: time.Now().Truncate(time.Millisecond),
	}
}

func policyARN(account, name string) string {
	return "arn:aws:iam::" + account + ":policy/team/" + name
}

func newManagedPolicy(account, name string) *store.ManagedPolicy {
	now := time.Now().Truncate(time.Millisecond)
	return &store.ManagedPolicy{
		ARN: policyARN(account, name), AccountID: account, Name: name, ID: iamID("ANPA"), Path: "/team/",
		Description: "managed " + name,
		Document:    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"` + name + `"}]}`,
		CreatedAt:   now, UpdatedAt: now,
	}
}

func userRef(account, name string) store.PrincipalRef {
	return store.PrincipalRef{AccountID: account, Kind: store.PrincipalUser, Name: name}
}

func roleRef(account, name string) store.PrincipalRef {
	return store.PrincipalRef{AccountID: account, Kind: store.PrincipalRole, Name: name}
}

func mustCreateIAMUser(t *testing.T, tx store.Tx, u *store.IAMUser) *store.IAMUser {
	t.Helper()
	if err := tx.CreateIAMUser(t.Context(), u); err != nil {
		t.Fatalf("CreateIAMUser(%s, %s): %v", u.AccountID, u.Name, err)
	}
	return u
}

func mustGetIAMUser(t *testing.T, tx store.Tx, account, name string) *store.IAMUser {
	t.Helper()
	u, err := tx.GetIAMUser(t.Context(), account, name)
	if err != nil {
		t.Fatalf("GetIAMUser(%s, %s): %v", account, name, err)
	}
	return u
}

func mustCreateRole(t *testing.T, tx store.Tx, r *store.Role) *store.Role {
	t.Helper()
	if err := tx.CreateRole(t.Context(), r); err != nil {
		t.Fatalf("CreateRole(%s, %s): %v", r.AccountID, r.Name, err)
	}
	return r
}

func mustGetRole(t *testing.T, tx store.Tx, account, name string) *store.Role {
	t.Helper()
	r, err := tx.GetRole(t.Context(), account, name)
	if err != nil {
		t.Fatalf("GetRole(%s, %s): %v", account, name, err)
	}
	return r
}

func mustCreateAccessKey(t *testing.T, tx store.Tx, k *store.AccessKey) *store.AccessKey {
	t.Helper()
	if err := tx.CreateAccessKey(t.Context(), k); err != nil {
		t.Fatalf("CreateAccessKey(%s, %q): %v", k.AccountID, k.UserName, err)
	}
	return k
}

func mustGetAccessKey(t *testing.T, tx store.Tx, id string) *store.AccessKey {
	t.Helper()
	k, err := tx.GetAccessKey(t.Context(), id)
	if err != nil {
		t.Fatalf("GetAccessKey(%s): %v", id, err)
	}
	return k
}

func listAccessKeys(t *testing.T, tx store.Tx, account, user string) []store.AccessKey {
	t.Helper()
	ks, err := tx.ListAccessKeys(t.Context(), account, user)
	if err != nil {
		t.Fatalf("ListAccessKeys(%s, %q): %v", account, user, err)
	}
	return ks
}

func mustPutInlinePolicy(t *testing.T, tx store.Tx, p *store.InlinePolicy) *store.InlinePolicy {
	t.Helper()
	if err := tx.PutInlinePolicy(t.Context(), p); err != nil {
		t.Fatalf("PutInlinePolicy(%v, %s): %v", p.Principal, p.Name, err)
	}
	return p
}

func listInlinePolicies(t *testing.T, tx store.Tx, pr store.PrincipalRef) []store.InlinePolicy {
	t.Helper()
	ps, err := tx.ListInlinePolicies(t.Context(), pr)
	if err != nil {
		t.Fatalf("ListInlinePolicies(%v): %v", pr, err)
	}
	return ps
}

func mustCreateManagedPolicy(t *testing.T, tx store.Tx, p *store.ManagedPolicy) *store.ManagedPolicy {
	t.Helper()
	if err := tx.CreateManagedPolicy(t.Context(), p); err != nil {
		t.Fatalf("CreateManagedPolicy(%s): %v", p.ARN, err)
	}
	return p
}

func mustGetManagedPolicy(t *testing.T, tx store.Tx, arn string) *store.ManagedPolicy {
	t.Helper()
	p, err := tx.GetManagedPolicy(t.Context(), arn)
	if err != nil {
		t.Fatalf("GetManagedPolicy(%s): %v", arn, err)
	}
	return p
}

func mustAttach(t *testing.T, tx store.Tx, pr store.PrincipalRef, arn string) {
	t.Helper()
	if err := tx.AttachPolicy(t.Context(), pr, arn); err != nil {
		t.Fatalf("AttachPolicy(%v, %s): %v", pr, arn, err)
	}
}

func listAttached(t *testing.T, tx store.Tx, pr store.PrincipalRef) []store.ManagedPolicy {
	t.Helper()
	ps, err := tx.ListAttachedPolicies(t.Context(), pr)
	if err != nil {
		t.Fatalf("ListAttachedPolicies(%v): %v", pr, err)
	}
	return ps
}

func policyDocuments(t *testing.T, tx store.Tx, pr store.PrincipalRef) []string {
	t.Helper()
	docs, err := tx.PolicyDocuments(t.Context(), pr)
	if err != nil {
		t.Fatalf("PolicyDocuments(%v): %v", pr, err)
	}
	return docs
}

func checkAccount(t *testing.T, got, want *store.Account) {
	t.Helper()
	if got.ID != want.ID || got.Name != want.Name {
		t.Errorf("account = %s/%q, want %s/%q", got.ID, got.Name, want.ID, want.Name)
	}
	checkTime(t, "account "+want.ID+" CreatedAt", got.CreatedAt, want.CreatedAt)
}

func checkIAMUser(t *testing.T, got, want *store.IAMUser) {
	t.Helper()
	if got.AccountID != want.AccountID || got.Name != want.Name || got.ID != want.ID || got.Path != want.Path {
		t.Errorf("IAM user = %+v\nwant       %+v", *got, *want)
	}
	checkTime(t, "IAM user "+want.Name+" CreatedAt", got.CreatedAt, want.CreatedAt)
}

func checkRole(t *testing.T, got, want *store.Role) {
	t.Helper()
	g, w := *got, *want
	g.CreatedAt, w.CreatedAt = time.Time{}, time.Time{}
	if g != w {
		t.Errorf("role = %+v\nwant   %+v", *got, *want)
	}
	checkTime(t, "role "+want.Name+" CreatedAt", got.CreatedAt, want.CreatedAt)
}

func checkAccessKey(t *testing.T, got, want *store.AccessKey) {
	t.Helper()
	if got.ID != want.ID || got.AccountID != want.AccountID || got.UserName != want.UserName || got.Active != want.Active {
		t.Errorf("access key = %s/%s/%q active %v, want %s/%s/%q active %v", got.ID, got.AccountID, got.UserName,
			got.Active, want.ID, want.AccountID, want.UserName, want.Active)
	}
	if !bytes.Equal(got.Secret, want.Secret) {
		t.Errorf("access key %s Secret = %q, want %q", want.ID, got.Secret, want.Secret)
	}
	checkTime(t, "access key "+want.ID+" CreatedAt", got.CreatedAt, want.CreatedAt)
}

// checkManagedPolicy compares every field, AttachmentCount with count.
func checkManagedPolicy(t *testing.T, got, want *store.ManagedPolicy, count int) {
	t.Helper()
	g, w := *got, *want
	g.CreatedAt, g.UpdatedAt, w.CreatedAt, w.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	w.AttachmentCount = count
	if g != w {
		t.Errorf("managed policy = %+v\nwant             %+v", g, w)
	}
	checkTime(t, "managed policy "+want.Name+" CreatedAt", got.CreatedAt, want.CreatedAt)
	checkTime(t, "managed policy "+want.Name+" UpdatedAt", got.UpdatedAt, want.UpdatedAt)
}

func accountIDs(as []store.Account) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

func iamUserNames(us []store.IAMUser) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Name
	}
	return out
}

func roleNames(rs []store.Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Name
	}
	return out
}

func accessKeyIDs(ks []store.AccessKey) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.ID
	}
	return out
}

func inlineNames(ps []store.InlinePolicy) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

func managedNames(ps []store.ManagedPolicy) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

// attachmentCounts maps the listed policies' names to their AttachmentCount.
func attachmentCounts(ps []store.ManagedPolicy) map[string]int {
	out := map[string]int{}
	for _, p := range ps {
		out[p.Name] = p.AttachmentCount
	}
	return out
}

// checkNames fails unless got lists exactly want, in order.
func checkNames(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

// pageAll pages through a listing with After/Limit, after(last item) giving the next After, and
// checks the size of every page.
func pageAll[T any](t *testing.T, what string, limit int, list func(store.Page) ([]T, error), after func(T) string) []T {
	t.Helper()
	var all []T
	page := store.Page{Limit: limit}
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatalf("%s: paging does not end", what)
		}
		items, err := list(page)
		noErr(t, what, err)
		if len(items) > limit {
			t.Fatalf("%s(limit %d) returned %d items", what, limit, len(items))
		}
		all = append(all, items...)
		if len(items) < limit {
			return all
		}
		page.After = after(items[len(items)-1])
	}
}

// --- accounts ---

func testIAMAccount(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount("333333333333")
	a.CreatedAt = a.CreatedAt.In(time.FixedZone("UTC+5", 5*3600))
	want := *a
	noErr(t, "CreateAccount", s.CreateAccount(ctx, a))
	if a.CreatedAt.Location() != time.UTC || !a.CreatedAt.Equal(want.CreatedAt) {
		t.Errorf("CreateAccount left CreatedAt = %v, want %v in UTC", a.CreatedAt, want.CreatedAt)
	}
	got, err := s.GetAccount(ctx, a.ID)
	noErr(t, "GetAccount", err)
	checkAccount(t, got, &want)

	dup := newAccount(a.ID)
	wantErr(t, "CreateAccount with a taken id", s.CreateAccount(ctx, dup), store.ErrConflict)
	got, err = s.GetAccount(ctx, a.ID)
	noErr(t, "GetAccount", err)
	checkAccount(t, got, &want)
	_, err = s.GetAccount(ctx, "444444444444")
	wantErr(t, "GetAccount of a missing account", err, store.ErrNotFound)

	// A zero CreatedAt becomes now.
	before := time.Now()
	now := &store.Account{ID: "555555555555", Name: "now"}
	noErr(t, "CreateAccount at zero time", s.CreateAccount(ctx, now))
	if now.CreatedAt.Before(before.Add(-time.Millisecond)) || now.CreatedAt.After(time.Now().Add(time.Millisecond)) ||
		now.CreatedAt.Location() != time.UTC {
		t.Errorf("zero CreatedAt stored as %v, want now (UTC)", now.CreatedAt)
	}
	got, err = s.GetAccount(ctx, now.ID)
	noErr(t, "GetAccount", err)
	checkAccount(t, got, now)
}

func testIAMAccountList(t *testing.T, s store.Store) {
	ctx := t.Context()
	var want []string
	for _, id := range []string{"900000000000", "100000000000", "555555555555", "100000000001", "099999999999"} {
		noErr(t, "CreateAccount", s.CreateAccount(ctx, newAccount(id)))
		want = append(want, id)
	}
	slices.Sort(want)
	for _, limit := range []int{1, 2, 4, 5, 6} {
		got := pageAll(t, "ListAccounts", limit, func(p store.Page) ([]store.Account, error) { return s.ListAccounts(ctx, p) },
			func(a store.Account) string { return a.ID })
		checkNames(t, fmt.Sprintf("ListAccounts pages of %d", limit), accountIDs(got), want...)
	}
	all, err := s.ListAccounts(ctx, store.Page{})
	noErr(t, "ListAccounts", err)
	checkNames(t, "ListAccounts without limit", accountIDs(all), want...)
	page, err := s.ListAccounts(ctx, store.Page{After: "100000000000", Limit: 2})
	noErr(t, "ListAccounts", err)
	checkNames(t, "ListAccounts after 100000000000", accountIDs(page), "100000000001", "555555555555")
}

// --- users ---

func testIAMUserCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	u := newIAMUser(account1, "Alice.Smith")
	u.CreatedAt = u.CreatedAt.Add(123456789).In(time.FixedZone("UTC-3", -3*3600))
	want := *u
	mustCreateIAMUser(t, s, u)
	checkTime(t, "CreatedAt after CreateIAMUser", u.CreatedAt, want.CreatedAt)
	for _, name := range []string{"Alice.Smith", "alice.smith", "ALICE.SMITH", "aLiCe.SmItH"} {
		checkIAMUser(t, mustGetIAMUser(t, s, account1, name), u) // the stored spelling comes back
	}
	_, err := s.GetIAMUser(ctx, account2, "Alice.Smith")
	wantErr(t, "GetIAMUser in another account", err, store.ErrNotFound)
	_, err = s.GetIAMUser(ctx, account1, "Alice")
	wantErr(t, "GetIAMUser of a missing user", err, store.ErrNotFound)
	// Users and roles are apart.
	_, err = s.GetRole(ctx, account1, "Alice.Smith")
	wantErr(t, "GetRole of a user's name", err, store.ErrNotFound)

	// A zero CreatedAt becomes now.
	before := time.Now()
	now := newIAMUser(account1, "now")
	now.CreatedAt = time.Time{}
	mustCreateIAMUser(t, s, now)
	if now.CreatedAt.Before(before.Add(-time.Millisecond)) || now.CreatedAt.After(time.Now().Add(time.Millisecond)) ||
		now.CreatedAt.Location() != time.UTC {
		t.Errorf("zero CreatedAt stored as %v, want now (UTC)", now.CreatedAt)
	}
	checkIAMUser(t, mustGetIAMUser(t, s, account1, "NOW"), now)
}

// User names are unique per account without regard to case; a role and a user, or users of
// different accounts, may share a name.
func testIAMUserNameConflict(t *testing.T, s store.Store) {
	ctx := t.Context()
	u := mustCreateIAMUser(t, s, newIAMUser(account1, "Bob"))
	for _, name := range []string{"Bob", "bob", "BOB"} {
		wantErr(t, "CreateIAMUser "+name, s.CreateIAMUser(ctx, newIAMUser(account1, name)), store.ErrConflict)
	}
	checkIAMUser(t, mustGetIAMUser(t, s, account1, "bob"), u)
	other := mustCreateIAMUser(t, s, newIAMUser(account2, "BOB"))
	checkIAMUser(t, mustGetIAMUser(t, s, account2, "bob"), other)
	role := mustCreateRole(t, s, newRole(account1, "bob"))
	checkRole(t, mustGetRole(t, s, account1, "Bob"), role)
	checkIAMUser(t, mustGetIAMUser(t, s, account1, "Bob"), u)
}

// DeleteIAMUser ignores case and leaves the user's keys and policies alone: it does not fail
// because of them, and they are the domain's to clean up.
func testIAMUserDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	mustCreateIAMUser(t, s, newIAMUser(account1, "Carol"))
	keep := mustCreateIAMUser(t, s, newIAMUser(account1, "Dave"))
	namesake := mustCreateIAMUser(t, s, newIAMUser(account2, "Carol"))
	k := mustCreateAccessKey(t, s, newAccessKey(account1, "Carol"))
	mustPutInlinePolicy(t, s, &store.InlinePolicy{Principal: userRef(account1, "Carol"), Name: "inline", Document: "{}"})
	p := mustCreateManagedPolicy(t, s, newManagedPolicy(account1, "managed"))
	mustAttach(t, s, userRef(account1, "Carol"), p.ARN)

	wantErr(t, "DeleteIAMUser in another account", s.DeleteIAMUser(ctx, "999999999999", "Carol"), store.ErrNotFound)
	noErr(t, "DeleteIAMUser", s.DeleteIAMUser(ctx, account1, "CAROL"))
	_, err := s.GetIAMUser(ctx, account1, "Carol")
	wantErr(t, "GetIAMUser after delete", err, store.ErrNotFound)
	wantErr(t, "DeleteIAMUser twice", s.DeleteIAMUser(ctx, account1, "carol"), store.ErrNotFound)
	wantErr(t, "DeleteIAMUser of a missing user", s.DeleteIAMUser(ctx, account1, "Eve"), store.ErrNotFound)
	checkIAMUser(t, mustGetIAMUser(t, s, account1, "Dave"), keep)
	checkIAMUser(t, mustGetIAMUser(t, s, account2, "Carol"), namesake)
	checkAccessKey(t, mustGetAccessKey(t, s, k.ID), k)

	// The name is free again, in any case.
	again := mustCreateIAMUser(t, s, newIAMUser(account1, "cAROL"))
	checkIAMUser(t, mustGetIAMUser(t, s, account1, "Carol"), again)
}

// ListIAMUsers orders by lower-cased name, bytewise, and pages after a lower-cased name.
func testIAMUserList(t *testing.T, s store.Store) {
	ctx := t.Context()
	// Bytewise on the lower-cased names: '-' < '.' < '_' < 'a'; the spelling would order
	// "A-c", "Alice" and "Zed" before "_x".
	names := []string{"bob", "Alice", "carol", "_x", "Zed", "alice2", "a.b", "A-c", "b@b", "B+b", "b=b", "b,b"}
	want := []string{"A-c", "_x", "a.b", "Alice", "alice2", "B+b", "b,b", "b=b", "b@b", "bob", "carol", "Zed"}
	slices.SortFunc(want, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	for _, n := range names {
		mustCreateIAMUser(t, s, newIAMUser(account1, n))
		mustCreateIAMUser(t, s, newIAMUser(account2, "other-"+n))
		mustCreateRole(t, s, newRole(account1, "role-"+n))
	}
	for _, limit := range []int{1, 2, 5, 11, 12, 13} {
		got := pageAll(t, "ListIAMUsers", limit,
			func(p store.Page) ([]store.IAMUser, error) { return s.ListIAMUsers(ctx, account1, p) },
			func(u store.IAMUser) string { return strings.ToLower(u.Name) })
		checkNames(t, fmt.Sprintf("ListIAMUsers pages of %d", limit), iamUserNames(got), want...)
	}
	all, err := s.ListIAMUsers(ctx, account1, store.Page{})
	noErr(t, "ListIAMUsers", err)
	checkNames(t, "ListIAMUsers without limit", iamUserNames(all), want...)
	checkIAMUser(t, &all[0], mustGetIAMUser(t, s, account1, all[0].Name))
	page, err := s.ListIAMUsers(ctx, account1, store.Page{After: "alice", Limit: 2})
	noErr(t, "ListIAMUsers", err)
	checkNames(t, "ListIAMUsers after alice", iamUserNames(page), "alice2", "B+b")
	none, err := s.ListIAMUsers(ctx, "999999999999", store.Page{Limit: 10})
	noErr(t, "ListIAMUsers of an account without users", err)
	checkNames(t, "ListIAMUsers of an account without users", iamUserNames(none))
}

// --- roles ---

func testIAMRole(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := newRole(account1, "Deploy-Role")
	want := *r
	mustCreateRole(t, s, r)
	for _, name := range []string{"Deploy-Role", "deploy-role", "DEPLOY-ROLE"} {
		checkRole(t, mustGetRole(t, s, account1, name), &want)
	}
	wantErr(t, "CreateRole with a name taken in another case", s.CreateRole(ctx, newRole(account1, "deploy-ROLE")),
		store.ErrConflict)
	_, err := s.GetRole(ctx, account2, "Deploy-Role")
	wantErr(t, "GetRole in another account", err, store.ErrNotFound)
	_, err = s.GetIAMUser(ctx, account1, "Deploy-Role")
	wantErr(t, "GetIAMUser of a role's name", err, store.ErrNotFound)
	namesake := mustCreateRole(t, s, newRole(account2, "deploy-role"))

	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"}}]}`
	noErr(t, "UpdateRoleTrustPolicy", s.UpdateRoleTrustPolicy(ctx, account1, "DEPLOY-role", doc))
	want.TrustPolicy = doc
	checkRole(t, mustGetRole(t, s, account1, "deploy-role"), &want)
	checkRole(t, mustGetRole(t, s, account2, "deploy-role"), namesake)
	wantErr(t, "UpdateRoleTrustPolicy of a missing role",
		s.UpdateRoleTrustPolicy(ctx, account1, "nope", doc), store.ErrNotFound)
	wantErr(t, "UpdateRoleTrustPolicy in another account",
		s.UpdateRoleTrustPolicy(ctx, "999999999999", "Deploy-Role", doc), store.ErrNotFound)
	// Writing the same document again is no error either.
	noErr(t, "UpdateRoleTrustPolicy unchanged", s.UpdateRoleTrustPolicy(ctx, account1, "Deploy-Role", doc))

	// A zero CreatedAt becomes now.
	before := time.Now()
	now := newRole(account1, "now")
	now.CreatedAt = time.Time{}
	mustCreateRole(t, s, now)
	if now.CreatedAt.Before(before.Add(-time.Millisecond)) || now.CreatedAt.After(time.Now().Add(time.Millisecond)) ||
		now.CreatedAt.Location() != time.UTC {
		t.Errorf("zero CreatedAt stored as %v, want now (UTC)", now.CreatedAt)
	}

	// Deleting a role with an inline policy and an attachment succeeds and leaves them.
	mustPutInlinePolicy(t, s, &store.InlinePolicy{Principal: roleRef(account1, "Deploy-Role"), Name: "p", Document: "{}"})
	mp := mustCreateManagedPolicy(t, s, newManagedPolicy(account1, "m"))
	mustAttach(t, s, roleRef(account1, "deploy-role"), mp.ARN)
	wantErr(t, "DeleteRole in another account", s.DeleteRole(ctx, "999999999999", "Deploy-Role"), store.ErrNotFound)
	noErr(t, "DeleteRole", s.DeleteRole(ctx, account1, "deploy-ROLE"))
	_, err = s.GetRole(ctx, account1, "Deploy-Role")
	wantErr(t, "GetRole after delete", err, store.ErrNotFound)
	wantErr(t, "DeleteRole twice", s.DeleteRole(ctx, account1, "Deploy-Role"), store.ErrNotFound)
	wantErr(t, "UpdateRoleTrustPolicy of a deleted role",
		s.UpdateRoleTrustPolicy(ctx, account1, "Deploy-Role", doc), store.ErrNotFound)
	checkRole(t, mustGetRole(t, s, account2, "deploy-role"), namesake)
	mustCreateRole(t, s, newRole(account1, "Deploy-Role"))
}

func testIAMRoleList(t *testing.T, s store.Store) {
	ctx := t.Context()
	names := []string{"Worker", "api", "_batch", "API-gw", "api.v2", "Zeta", "admin"}
	want := slices.Clone(names)
	slices.SortFunc(want, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	for _, n := range names {
		mustCreateRole(t, s, newRole(account1, n))
		mustCreateRole(t, s, newRole(account2, "other-"+n))
		mustCreateIAMUser(t, s, newIAMUser(account1, "user-"+n))
	}
	for _, limit := range []int{1, 3, 7, 8} {
		got := pageAll(t, "ListRoles", limit,
			func(p store.Page) ([]store.Role, error) { return s.ListRoles(ctx, account1, p) },
			func(r store.Role) string { return strings.ToLower(r.Name) })
		checkNames(t, fmt.Sprintf("ListRoles pages of %d", limit), roleNames(got), want...)
	}
	all, err := s.ListRoles(ctx, account1, store.Page{})
	noErr(t, "ListRoles", err)
	checkNames(t, "ListRoles without limit", roleNames(all), want...)
	checkRole(t, &all[2], mustGetRole(t, s, account1, all[2].Name))
	page, err := s.ListRoles(ctx, account1, store.Page{After: "api", Limit: 1})
	noErr(t, "ListRoles", err)
	checkNames(t, "ListRoles after api", roleNames(page), "API-gw")
}

// --- access keys ---

func testIAMAccessKey(t *testing.T, s store.Store) {
	ctx := t.Context()
	mustCreateIAMUser(t, s, newIAMUser(account1, "Alice"))
	base := time.Now().UTC().Truncate(time.Millisecond).Add(-time.Hour)
	k1 := newAccessKey(account1, "Alice")
	k1.CreatedAt = base.Add(2 * time.Second)
	k1.Secret = []byte{0, 1, 2, 0x80, 0xfe, 0xff}
	mustCreateAccessKey(t, s, k1)
	k0 := newAccessKey(account1, "Alice")
	k0.CreatedAt = base
	k0.Active = false
	mustCreateAccessKey(t, s, k0)
	checkAccessKey(t, mustGetAccessKey(t, s, k1.ID), k1)
	checkAccessKey(t, mustGetAccessKey(t, s, k0.ID), k0)

	// Oldest first, whatever the case of the name asked for.
	for _, name := range []string{"Alice", "alice", "ALICE"} {
		ks := listAccessKeys(t, s, account1, name)
		checkNames(t, "ListAccessKeys("+name+")", accessKeyIDs(ks), k0.ID, k1.ID)
		if len(ks) == 2 {
			checkAccessKey(t, &ks[0], k0)
			checkAccessKey(t, &ks[1], k1)
		}
	}
	checkNames(t, "ListAccessKeys of a user without keys", accessKeyIDs(listAccessKeys(t, s, account1, "Bob")))
	checkNames(t, "ListAccessKeys in another account", accessKeyIDs(listAccessKeys(t, s, account2, "Alice")))
	checkNames(t, "ListAccessKeys of the root", accessKeyIDs(listAccessKeys(t, s, account1, "")))

	// The id is unique across accounts and users.
	dup := newAccessKey(account2, "Zoe")
	dup.ID = k1.ID
	wantErr(t, "CreateAccessKey with a taken id", s.CreateAccessKey(ctx, dup), store.ErrConflict)
	checkAccessKey(t, mustGetAccessKey(t, s, k1.ID), k1)
	_, err := s.GetAccessKey(ctx, iamID("AKIA"))
	wantErr(t, "GetAccessKey of a missing key", err, store.ErrNotFound)

	// Keys of the same instant list by id; a zero CreatedAt becomes now, listed last.
	same := newAccessKey(account1, "alice")
	same.ID = "AKIA0000000000000000"
	same.CreatedAt = base.Add(2 * time.Second)
	mustCreateAccessKey(t, s, same)
	before := time.Now()
	now := newAccessKey(account1, "Alice")
	now.CreatedAt = time.Time{}
	mustCreateAccessKey(t, s, now)
	if now.CreatedAt.Before(before.Add(-time.Millisecond)) || now.CreatedAt.After(time.Now().Add(time.Millisecond)) ||
		now.CreatedAt.Location() != time.UTC {
		t.Errorf("zero CreatedAt stored as %v, want now (UTC)", now.CreatedAt)
	}
	checkNames(t, "ListAccessKeys", accessKeyIDs(listAccessKeys(t, s, account1, "Alice")), k0.ID, same.ID, k1.ID, now.ID)
	// The user's name comes back as the key was created with it.
	if got := mustGetAccessKey(t, s, same.ID).UserName; got != "alice" {
		t.Errorf("UserName of a key created for %q = %q", "alice", got)
	}

	// Status changes; setting the status it has is no error.
	noErr(t, "SetAccessKeyActive", s.SetAccessKeyActive(ctx, account1, "ALICE", k1.ID, false))
	want := *k1
	want.Active = false
	checkAccessKey(t, mustGetAccessKey(t, s, k1.ID), &want)
	noErr(t, "SetAccessKeyActive unchanged", s.SetAccessKeyActive(ctx, account1, "alice", k1.ID, false))
	noErr(t, "SetAccessKeyActive", s.SetAccessKeyActive(ctx, account1, "Alice", k0.ID, true))
	want0 := *k0
	want0.Active = true
	checkAccessKey(t, mustGetAccessKey(t, s, k0.ID), &want0)

	noErr(t, "DeleteAccessKey", s.DeleteAccessKey(ctx, account1, "aLICE", k1.ID))
	_, err = s.GetAccessKey(ctx, k1.ID)
	wantErr(t, "GetAccessKey after delete", err, store.ErrNotFound)
	wantErr(t, "DeleteAccessKey twice", s.DeleteAccessKey(ctx, account1, "Alice", k1.ID), store.ErrNotFound)
	wantErr(t, "SetAccessKeyActive of a deleted key", s.SetAccessKeyActive(ctx, account1, "Alice", k1.ID, true), store.ErrNotFound)
	checkNames(t, "ListAccessKeys after delete", accessKeyIDs(listAccessKeys(t, s, account1, "alice")), k0.ID, same.ID, now.ID)
	// The id is free again.
	again := *k1
	mustCreateAccessKey(t, s, &again)
}

// A key is changed or deleted only through its own account and user.
func testIAMAccessKeyOwner(t *testing.T, s store.Store) {
	ctx := t.Context()
	k := mustCreateAccessKey(t, s, newAccessKey(account1, "Alice"))
	mustCreateAccessKey(t, s, newAccessKey(account1, "Bob"))
	root := mustCreateAccessKey(t, s, newAccessKey(account1, ""))
	for _, c := range []struct{ what, account, user, id string }{
		{"another user", account1, "Bob", k.ID},
		{"another account", account2, "Alice", k.ID},
		{"the account root", account1, "", k.ID},
		{"a user's name prefix", account1, "Alic", k.ID},
		{"a missing key", account1, "Alice", iamID("AKIA")},
		{"a root key through a user", account1, "Alice", root.ID},
		{"a root key through another account", account2, "", root.ID},
	} {
		wantErr(t, "SetAccessKeyActive through "+c.what,
			s.SetAccessKeyActive(ctx, c.account, c.user, c.id, false), store.ErrNotFound)
		wantErr(t, "DeleteAccessKey through "+c.what, s.DeleteAccessKey(ctx, c.account, c.user, c.id), store.ErrNotFound)
	}
	checkAccessKey(t, mustGetAccessKey(t, s, k.ID), k)
	checkAccessKey(t, mustGetAccessKey(t, s, root.ID), root)
}

// Keys with UserName "" are the account root's: ListAccessKeys(account, "") lists them and no
// user's, and they are changed with userName "".
func testIAMRootAccessKeys(t *testing.T, s store.Store) {
	ctx := t.Context()
	noErr(t, "CreateAccount", s.CreateAccount(ctx, newAccount(account1)))
	base := time.Now().UTC().Truncate(time.Millisecond).Add(-time.Hour)
	r1 := newAccessKey(account1, "")
	r1.CreatedAt = base.Add(time.Second)
	r0 := newAccessKey(account1, "")
	r0.CreatedAt = base
	mustCreateAccessKey(t, s, r1)
	mustCreateAccessKey(t, s, r0)
	mustCreateAccessKey(t, s, newAccessKey(account1, "Alice"))
	other := mustCreateAccessKey(t, s, newAccessKey(account2, ""))

	ks := listAccessKeys(t, s, account1, "")
	checkNames(t, "ListAccessKeys of the root", accessKeyIDs(ks), r0.ID, r1.ID)
	if len(ks) == 2 {
		checkAccessKey(t, &ks[0], r0)
		checkAccessKey(t, &ks[1], r1)
	}
	checkNames(t, "ListAccessKeys of another root", accessKeyIDs(listAccessKeys(t, s, account2, "")), other.ID)
	checkAccessKey(t, mustGetAccessKey(t, s, r0.ID), r0)

	noErr(t, "SetAccessKeyActive of a root key", s.SetAccessKeyActive(ctx, account1, "", r0.ID, false))
	if mustGetAccessKey(t, s, r0.ID).Active {
		t.Error("root key still active")
	}
	noErr(t, "DeleteAccessKey of a root key", s.DeleteAccessKey(ctx, account1, "", r1.ID))
	checkNames(t, "ListAccessKeys of the root after delete", accessKeyIDs(listAccessKeys(t, s, account1, "")), r0.ID)
}

// --- inline policies ---

func testIAMInlinePolicy(t *testing.T, s store.Store) {
	ctx := t.Context()
	alice := userRef(account1, "Alice")
	docA := "{\n  \"Statement\": [ {\"Effect\": \"Allow\", \"Action\": \"*\"} ]\t}"
	a := mustPutInlinePolicy(t, s, &store.InlinePolicy{Principal: alice, Name: "Access", Document: docA})
	// Names are case-sensitive: "access" is another policy.
	lower := mustPutInlinePolicy(t, s, &store.InlinePolicy{Principal: userRef(account1, "ALICE"), Name: "access", Document: `{"n":1}`})
	mustPutInlinePolicy(t, s, &store.InlinePolicy{Principal: alice, Name: "_z", Document: `{"n":2}`})
	mustPutInlinePolicy(t, s, &store.InlinePolicy{Principal: alice, Name: "Zeta", Document: `{"n":3}`})
	// Namesakes: the role Alice, and the user Alice of another account.
	mustPutInlinePolicy(t, s, &store.InlinePolicy{Principal: roleRef(account1, "Alice"), Name: "Access", Document: `{"role":1}`})
	mustPutInlinePolicy(t, s, &store.InlinePolicy{Principal: userRef(account2, "Alice"), Name: "Access", Document: `{"other":1}`})

	for _, name := range []string{"Alice", "alice", "ALICE"} {
		got, err := s.GetInlinePolicy(ctx, userRef(account1, name), "Access")
		noErr(t, "GetInlinePolicy", err)
		if got.Principal != alice || got.Name != "Access" || got.Document != docA {
			t.Errorf("GetInlinePolicy(%s) = %+v, want %+v", name, *got, *a)
		}
	}
	got, err := s.GetInlinePolicy(ctx, alice, "access")
	noErr(t, "GetInlinePolicy", err)
	if got.Document != lower.Document {
		t.Errorf("GetInlinePolicy(access) = %q, want %q", got.Document, lower.Document)
	}
	_, err = s.GetInlinePolicy(ctx, alice, "ACCESS")
	wantErr(t, "GetInlinePolicy of a name in another case", err, store.ErrNotFound)
	_, err = s.GetInlinePolicy(ctx, userRef(account1, "Bob"), "Access")
	wantErr(t, "GetInlinePolicy of another user", err, store.ErrNotFound)
	got, err = s.GetInlinePolicy(ctx, roleRef(account1, "alice"), "Access")
	noErr(t, "GetInlinePolicy of the role", err)
	if got.Document != `{"role":1}` || got.Principal.Kind != store.PrincipalRole {
		t.Errorf("GetInlinePolicy of the role = %+v", *got)
	}

	// Bytewise by name: upper case < '_' < lower case.
	ps := listInlinePolicies(t, s, userRef(account1, "aLiCe"))
	checkNames(t, "ListInlinePolicies", inlineNames(ps), "Access", "Zeta", "_z", "access")
	for _, p := range ps {
		want := alice
		if p.Name == "access" {
			want = lower.Principal // the spelling it was written with
		}
		if p.Principal != want {
			t.Errorf("ListInlinePolicies: policy %s of %+v, want %+v", p.Name, p.Principal, want)
		}
	}
	if len(ps) > 0 && ps[0].Document != docA {
		t.Errorf("ListInlinePolicies: document %q, want %q", ps[0].Document, docA)
	}
	checkNames(t, "ListInlinePolicies of the role", inlineNames(listInlinePolicies(t, s, roleRef(account1, "Alice"))), "Access")
	checkNames(t, "ListInlinePolicies of a user without policies", inlineNames(listInlinePolicies(t, s, userRef(account1, "Bob"))))

	// Put replaces the document.
	mustPutInlinePolicy(t, s, &store.InlinePolicy{Principal: userRef(account1, "alice"), Name: "Access", Document: `{"v":2}`})
	got, err = s.GetInlinePolicy(ctx, alice, "Access")
	noErr(t, "GetInlinePolicy after put", err)
	if got.Document != `{"v":2}` {
		t.Errorf("document after replacing = %q", got.Document)
	}
	checkNames(t, "ListInlinePolicies after replacing", inlineNames(listInlinePolicies(t, s, alice)), "Access", "Zeta", "_z", "access")

	noErr(t, "DeleteInlinePolicy", s.DeleteInlinePolicy(ctx, userRef(account1, "ALICE"), "Access"))
	_, err = s.GetInlinePolicy(ctx, alice, "Access")
	wantErr(t, "GetInlinePolicy after delete", err, store.ErrNotFound)
	wantErr(t, "DeleteInlinePolicy twice", s.DeleteInlinePolicy(ctx, alice, "Access"), store.ErrNotFound)
	wantErr(t, "DeleteInlinePolicy of a name in another case", s.DeleteInlinePolicy(ctx, alice, "ZETA"), store.ErrNotFound)
	wantErr(t, "DeleteInlinePolicy of another user's policy", s.DeleteInlinePolicy(ctx, userRef(account1, "Bob"), "Zeta"),
		store.ErrNotFound)
	checkNames(t, "ListInlinePolicies after delete", inlineNames(listInlinePolicies(t, s, alice)), "Zeta", "_z", "access")
	checkNames(t, "ListInlinePolicies of the role", inlineNames(listInlinePolicies(t, s, roleRef(account1, "Alice"))), "Access")
	got, err = s.GetInlinePolicy(ctx, userRef(account2, "alice"), "Access")
	noErr(t, "GetInlinePolicy in the other account", err)
	if got.Document != `{"other":1}` {
		t.Errorf("the other account's policy = %q", got.Document)
	}
}

// --- managed policies ---

func testIAMManagedPolicy(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := newManagedPolicy(account1, "ReadOnly")
	p.UpdatedAt = p.CreatedAt.Add(time.Second)
	p.Document = "{\n  \"Statement\": [ ]\t}"
	want := *p
	mustCreateManagedPolicy(t, s, p)
	if p.AttachmentCount != 0 {
		t.Errorf("AttachmentCount after create = %d", p.AttachmentCount)
	}
	checkManagedPolicy(t, mustGetManagedPolicy(t, s, p.ARN), &want, 0)

	dup := newManagedPolicy(account1, "Other")
	dup.ARN = p.ARN
	wantErr(t, "CreateManagedPolicy with a taken ARN", s.CreateManagedPolicy(ctx, dup), store.ErrConflict)
	dup = newManagedPolicy(account1, "ReadOnly")
	dup.ARN = "arn:aws:iam::" + account1 + ":policy/other-path/ReadOnly"
	wantErr(t, "CreateManagedPolicy with a name taken in the account", s.CreateManagedPolicy(ctx, dup), store.ErrConflict)
	checkManagedPolicy(t, mustGetManagedPolicy(t, s, p.ARN), &want, 0)
	// The same name in another account is another policy.
	mustCreateManagedPolicy(t, s, newManagedPolicy(account2, "ReadOnly"))

	_, err := s.GetManagedPolicy(ctx, policyARN(account1, "Missing"))
	wantErr(t, "GetManagedPolicy of a missing policy", err, store.ErrNotFound)
	_, err = s.GetManagedPolicy(ctx, strings.ToLower(p.ARN))
	wantErr(t, "GetManagedPolicy of the ARN in another case", err, store.ErrNotFound)

	// Zero times become now.
	before := time.Now()
	now := newManagedPolicy(account1, "Now")
	now.CreatedAt, now.UpdatedAt = time.Time{}, time.Time{}
	mustCreateManagedPolicy(t, s, now)
	if now.CreatedAt.Before(before.Add(-time.Millisecond)) || now.CreatedAt.After(time.Now().Add(time.Millisecond)) ||
		now.CreatedAt.Location() != time.UTC || !now.UpdatedAt.Equal(now.CreatedAt) {
		t.Errorf("zero times stored as %v, %v, want now (UTC)", now.CreatedAt, now.UpdatedAt)
	}
	checkManagedPolicy(t, mustGetManagedPolicy(t, s, now.ARN), now, 0)

	noErr(t, "DeleteManagedPolicy", s.DeleteManagedPolicy(ctx, p.ARN))
	_, err = s.GetManagedPolicy(ctx, p.ARN)
	wantErr(t, "GetManagedPolicy after delete", err, store.ErrNotFound)
	wantErr(t, "DeleteManagedPolicy twice", s.DeleteManagedPolicy(ctx, p.ARN), store.ErrNotFound)
	wantErr(t, "DeleteManagedPolicy of a missing policy", s.DeleteManagedPolicy(ctx, policyARN(account1, "Missing")),
		store.ErrNotFound)
	// ARN and name are free again.
	mustCreateManagedPolicy(t, s, newManagedPolicy(account1, "ReadOnly"))
}

// ListManagedPolicies orders an account's policies by name, bytewise, and pages after a name.
func testIAMManagedPolicyList(t *testing.T, s store.Store) {
	ctx := t.Context()
	// Bytewise: upper case < '_' < lower case, and "A-c" < "Alpha" ('-' < 'l').
	names := []string{"beta", "Alpha", "_under", "Zeta", "a.b", "A-c", "gamma"}
	want := slices.Clone(names)
	slices.Sort(want)
	for _, n := range names {
		mustCreateManagedPolicy(t, s, newManagedPolicy(account1, n))
		mustCreateManagedPolicy(t, s, newManagedPolicy(account2, "other-"+n))
	}
	for _, limit := range []int{1, 2, 3, 7, 8} {
		got := pageAll(t, "ListManagedPolicies", limit,
			func(p store.Page) ([]store.ManagedPolicy, error) { return s.ListManagedPolicies(ctx, account1, p) },
			func(p store.ManagedPolicy) string { return p.Name })
		checkNames(t, fmt.Sprintf("ListManagedPolicies pages of %d", limit), managedNames(got), want...)
	}
	all, err := s.ListManagedPolicies(ctx, account1, store.Page{})
	noErr(t, "ListManagedPolicies", err)
	checkNames(t, "ListManagedPolicies without limit", managedNames(all), want...)
	checkManagedPolicy(t, &all[1], mustGetManagedPolicy(t, s, all[1].ARN), 0)
	page, err := s.ListManagedPolicies(ctx, account1, store.Page{After: "Zeta", Limit: 2})
	noErr(t, "ListManagedPolicies", err)
	checkNames(t, "ListManagedPolicies after Zeta", managedNames(page), "_under", "a.b")
	none, err := s.ListManagedPolicies(ctx, "999999999999", store.Page{Limit: 5})
	noErr(t, "ListManagedPolicies of an account without policies", err)
	checkNames(t, "ListManagedPolicies of an account without policies", managedNames(none))
}

// AttachPolicy is idempotent and refuses a missing policy; AttachmentCount counts the users
// and roles a policy is attached to, in every read; ListAttachedPolicies orders by name.
func testIAMAttachments(t *testing.T, s store.Store) {
	ctx := t.Context()
	admin := mustCreateManagedPolicy(t, s, newManagedPolicy(account1, "Admin"))
	read := mustCreateManagedPolicy(t, s, newManagedPolicy(account1, "Read"))
	audit := mustCreateManagedPolicy(t, s, newManagedPolicy(account1, "audit"))
	unused := mustCreateManagedPolicy(t, s, newManagedPolicy(account1, "Unused"))
	alice, ops := userRef(account1, "Alice"), roleRef(account1, "Ops")

	mustAttach(t, s, alice, read.ARN)
	mustAttach(t, s, alice, audit.ARN)
	mustAttach(t, s, alice, admin.ARN)
	mustAttach(t, s, userRef(account1, "ALICE"), admin.ARN) // attached already
	mustAttach(t, s, ops, admin.ARN)
	mustAttach(t, s, userRef(account1, "Ops"), admin.ARN) // the user Ops is not the role Ops
	mustAttach(t, s, userRef(account2, "Alice"), read.ARN)
	wantErr(t, "AttachPolicy of a missing policy", s.AttachPolicy(ctx, alice, policyARN(account1, "Missing")), store.ErrNotFound)
	wantErr(t, "AttachPolicy of an ARN in another case", s.AttachPolicy(ctx, alice, strings.ToUpper(read.ARN)), store.ErrNotFound)

	counts := map[string]int{"Admin": 3, "Read": 2, "audit": 1, "Unused": 0}
	for _, p := range []*store.ManagedPolicy{admin, read, audit, unused} {
		checkManagedPolicy(t, mustGetManagedPolicy(t, s, p.ARN), p, counts[p.Name])
	}
	all, err := s.ListManagedPolicies(ctx, account1, store.Page{})
	noErr(t, "ListManagedPolicies", err)
	if got := attachmentCounts(all); !mapsEqual(got, counts) {
		t.Errorf("ListManagedPolicies AttachmentCounts = %v, want %v", got, counts)
	}

	attached := listAttached(t, s, userRef(account1, "alice"))
	checkNames(t, "ListAttachedPolicies", managedNames(attached), "Admin", "Read", "audit")
	for i, p := range []*store.ManagedPolicy{admin, read, audit} {
		if i < len(attached) {
			checkManagedPolicy(t, &attached[i], p, counts[p.Name])
		}
	}
	checkNames(t, "ListAttachedPolicies of the role", managedNames(listAttached(t, s, ops)), "Admin")
	checkNames(t, "ListAttachedPolicies of a principal without attachments",
		managedNames(listAttached(t, s, roleRef(account1, "Alice"))))

	wantErr(t, "DetachPolicy of a policy not attached", s.DetachPolicy(ctx, alice, unused.ARN), store.ErrNotFound)
	wantErr(t, "DetachPolicy of a missing policy", s.DetachPolicy(ctx, alice, policyARN(account1, "Missing")), store.ErrNotFound)
	wantErr(t, "DetachPolicy from the role of the user's name", s.DetachPolicy(ctx, roleRef(account1, "Alice"), read.ARN),
		store.ErrNotFound)
	wantErr(t, "DetachPolicy in another account", s.DetachPolicy(ctx, userRef(account2, "Alice"), admin.ARN), store.ErrNotFound)
	noErr(t, "DetachPolicy", s.DetachPolicy(ctx, userRef(account1, "ALICE"), admin.ARN))
	wantErr(t, "DetachPolicy twice", s.DetachPolicy(ctx, alice, admin.ARN), store.ErrNotFound)
	checkNames(t, "ListAttachedPolicies after detach", managedNames(listAttached(t, s, alice)), "Read", "audit")
	checkManagedPolicy(t, mustGetManagedPolicy(t, s, admin.ARN), admin, 2)
	checkNames(t, "ListAttachedPolicies of the role after detach", managedNames(listAttached(t, s, ops)), "Admin")
	// Attaching again after a detach.
	mustAttach(t, s, alice, admin.ARN)
	checkManagedPolicy(t, mustGetManagedPolicy(t, s, admin.ARN), admin, 3)
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// DeleteManagedPolicy of a policy that is still attached deletes its attachments too: no
// principal lists it or reads its document any more, and a policy created again under the ARN
// starts unattached.
func testIAMDeleteAttachedPolicy(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mustCreateManagedPolicy(t, s, newManagedPolicy(account1, "Doomed"))
	keep := mustCreateManagedPolicy(t, s, newManagedPolicy(account1, "Kept"))
	alice, ops := userRef(account1, "Alice"), roleRef(account1, "Ops")
	for _, pr := range []store.PrincipalRef{alice, ops} {
		mustAttach(t, s, pr, p.ARN)
		mustAttach(t, s, pr, keep.ARN)
	}
	noErr(t, "DeleteManagedPolicy", s.DeleteManagedPolicy(ctx, p.ARN))
	for _, pr := range []store.PrincipalRef{alice, ops} {
		checkNames(t, "ListAttachedPolicies after delete", managedNames(listAttached(t, s, pr)), "Kept")
		checkNames(t, "PolicyDocuments after delete", policyDocuments(t, s, pr), keep.Document)
		wantErr(t, "DetachPolicy of a deleted policy", s.DetachPolicy(ctx, pr, p.ARN), store.ErrNotFound)
	}
	checkManagedPolicy(t, mustGetManagedPolicy(t, s, keep.ARN), keep, 2)
	wantErr(t, "AttachPolicy of a deleted policy", s.AttachPolicy(ctx, alice, p.ARN), store.ErrNotFound)

	again := mustCreateManagedPolicy(t, s, newManagedPolicy(account1, "Doomed"))
	checkManagedPolicy(t, mustGetManagedPolicy(t, s, again.ARN), again, 0)
	checkNames(t, "ListAttachedPolicies after re-create", managedNames(listAttached(t, s, alice)), "Kept")
}

// PolicyDocuments: the inline documents by name, then the attached ones by name, of exactly
// that principal.
func testIAMPolicyDocuments(t *testing.T, s store.Store) {
	ctx := t.Context()
	doc := func(what string) string { return `{"Statement":[{"Sid":"` + what + `"}]}` }
	alice := userRef(account1, "Alice")
	mustCreateIAMUser(t, s, newIAMUser(account1, "Alice"))
	for _, n := range []string{"b-inline", "a-inline", "C-inline"} {
		mustPutInlinePolicy(t, s, &store.InlinePolicy{Principal: alice, Name: n, Document: doc("user " + n)})
	}
	var ps []*store.ManagedPolicy
	for _, n := range []string{"Y-managed", "x-managed", "A-managed"} {
		p := newManagedPolicy(account1, n)
		p.Document = doc("managed " + n)
		ps = append(ps, mustCreateManagedPolicy(t, s, p))
	}
	for _, p := range ps {
		mustAttach(t, s, alice, p.ARN)
	}
	// A policy of another account attached too (as AWS managed policies are): its name sorts
	// with the others.
	foreign := newManagedPolicy(account2, "Z-foreign")
	foreign.Document = doc("foreign")
	mustCreateManagedPolicy(t, s, foreign)
	mustAttach(t, s, alice, foreign.ARN)
	// Namesakes with policies of their own: the role Alice, the user Alice of another account.
	ops := roleRef(account1, "Alice")
	mustPutInlinePolicy(t, s, &store.InlinePolicy{Principal: ops, Name: "role-inline", Document: doc("role")})
	mustAttach(t, s, ops, ps[0].ARN)
	other := userRef(account2, "alice")
	mustPutInlinePolicy(t, s, &store.InlinePolicy{Principal: other, Name: "a-inline", Document: doc("other")})

	want := []string{doc("user C-inline"), doc("user a-inline"), doc("user b-inline"),
		doc("managed A-managed"), doc("managed Y-managed"), doc("foreign"), doc("managed x-managed")}
	for _, name := range []string{"Alice", "alice", "ALICE"} {
		checkNames(t, "PolicyDocuments("+name+")", policyDocuments(t, s, userRef(account1, name)), want...)
	}
	checkNames(t, "PolicyDocuments of the role", policyDocuments(t, s, ops), doc("role"), doc("managed Y-managed"))
	checkNames(t, "PolicyDocuments of the other account's user", policyDocuments(t, s, other), doc("other"))
	checkNames(t, "PolicyDocuments of a user of another account without policies",
		policyDocuments(t, s, userRef("999999999999", "Alice")))
	checkNames(t, "PolicyDocuments of a missing user", policyDocuments(t, s, userRef(account1, "Bob")))

	// Only inline policies, only attached ones.
	bob := userRef(account1, "Bob")
	mustAttach(t, s, bob, ps[1].ARN)
	checkNames(t, "PolicyDocuments of attached policies only", policyDocuments(t, s, bob), doc("managed x-managed"))
	noErr(t, "DetachPolicy", s.DetachPolicy(ctx, bob, ps[1].ARN))
	mustPutInlinePolicy(t, s, &store.InlinePolicy{Principal: bob, Name: "only", Document: doc("only")})
	checkNames(t, "PolicyDocuments of inline policies only", policyDocuments(t, s, bob), doc("only"))

	// Replacing, deleting and detaching show at once.
	mustPutInlinePolicy(t, s, &store.InlinePolicy{Principal: alice, Name: "a-inline", Document: doc("replaced")})
	noErr(t, "DeleteInlinePolicy", s.DeleteInlinePolicy(ctx, alice, "b-inline"))
	noErr(t, "DetachPolicy", s.DetachPolicy(ctx, alice, ps[0].ARN))
	checkNames(t, "PolicyDocuments after changes", policyDocuments(t, s, alice),
		doc("user C-inline"), doc("replaced"), doc("managed A-managed"), doc("foreign"), doc("managed x-managed"))
}

// Inside a transaction every method sees the transaction's writes, errors leave it usable, and
// a commit keeps everything.
func testIAMInTx(t *testing.T, s store.Store) {
	ctx := t.Context()
	existing := mustCreateIAMUser(t, s, newIAMUser(account1, "Existing"))
	oldKey := mustCreateAccessKey(t, s, newAccessKey(account1, "Existing"))
	mp := newManagedPolicy(account1, "Managed")
	u := newIAMUser(account1, "NewUser")
	r := newRole(account1, "NewRole")
	k := newAccessKey(account1, "NewUser")
	err := s.InTx(ctx, func(tx store.Tx) error {
		noErr(t, "CreateAccount in tx", tx.CreateAccount(ctx, newAccount(account1)))
		wantErr(t, "CreateAccount duplicate in tx", tx.CreateAccount(ctx, newAccount(account1)), store.ErrConflict)
		mustCreateIAMUser(t, tx, u)
		wantErr(t, "CreateIAMUser duplicate in tx", tx.CreateIAMUser(ctx, newIAMUser(account1, "newuser")), store.ErrConflict)
		wantErr(t, "CreateIAMUser of an existing name in tx", tx.CreateIAMUser(ctx, newIAMUser(account1, "EXISTING")),
			store.ErrConflict)
		checkIAMUser(t, mustGetIAMUser(t, tx, account1, "newuser"), u)
		mustCreateRole(t, tx, r)
		wantErr(t, "CreateRole duplicate in tx", tx.CreateRole(ctx, newRole(account1, "NEWROLE")), store.ErrConflict)
		wantErr(t, "UpdateRoleTrustPolicy of a missing role in tx",
			tx.UpdateRoleTrustPolicy(ctx, account1, "nope", "{}"), store.ErrNotFound)
		noErr(t, "UpdateRoleTrustPolicy in tx", tx.UpdateRoleTrustPolicy(ctx, account1, "newrole", `{"tx":1}`))
		mustCreateAccessKey(t, tx, k)
		dup := newAccessKey(account1, "NewUser")
		dup.ID = oldKey.ID
		wantErr(t, "CreateAccessKey duplicate in tx", tx.CreateAccessKey(ctx, dup), store.ErrConflict)
		wantErr(t, "SetAccessKeyActive through another user in tx",
			tx.SetAccessKeyActive(ctx, account1, "NewUser", oldKey.ID, false), store.ErrNotFound)
		wantErr(t, "DeleteAccessKey through another user in tx",
			tx.DeleteAccessKey(ctx, account1, "NewUser", oldKey.ID), store.ErrNotFound)
		noErr(t, "SetAccessKeyActive in tx", tx.SetAccessKeyActive(ctx, account1, "existing", oldKey.ID, false))
		mustCreateManagedPolicy(t, tx, mp)
		wantErr(t, "CreateManagedPolicy duplicate in tx", tx.CreateManagedPolicy(ctx, newManagedPolicy(account1, "Managed")),
			store.ErrConflict)
		wantErr(t, "AttachPolicy of a missing policy in tx",
			tx.AttachPolicy(ctx, userRef(account1, "NewUser"), policyARN(account1, "Missing")), store.ErrNotFound)
		wantErr(t, "DetachPolicy not attached in tx", tx.DetachPolicy(ctx, userRef(account1, "NewUser"), mp.ARN), store.ErrNotFound)
		mustAttach(t, tx, userRef(account1, "NewUser"), mp.ARN)
		mustAttach(t, tx, userRef(account1, "newuser"), mp.ARN)
		mustAttach(t, tx, roleRef(account1, "NewRole"), mp.ARN)
		wantErr(t, "DeleteInlinePolicy of a missing policy in tx",
			tx.DeleteInlinePolicy(ctx, userRef(account1, "NewUser"), "inline"), store.ErrNotFound)
		_, err := tx.GetInlinePolicy(ctx, userRef(account1, "NewUser"), "inline")
		wantErr(t, "GetInlinePolicy of a missing policy in tx", err, store.ErrNotFound)
		mustPutInlinePolicy(t, tx, &store.InlinePolicy{Principal: userRef(account1, "NewUser"), Name: "inline", Document: `{"v":1}`})
		mustPutInlinePolicy(t, tx, &store.InlinePolicy{Principal: userRef(account1, "NewUser"), Name: "inline", Document: `{"v":2}`})
		wantErr(t, "DeleteIAMUser of a missing user in tx", tx.DeleteIAMUser(ctx, account1, "nobody"), store.ErrNotFound)
		wantErr(t, "DeleteRole of a missing role in tx", tx.DeleteRole(ctx, account1, "nobody"), store.ErrNotFound)
		wantErr(t, "DeleteManagedPolicy of a missing policy in tx",
			tx.DeleteManagedPolicy(ctx, policyARN(account1, "Missing")), store.ErrNotFound)
		_, err = tx.GetIAMUser(ctx, account1, "nobody")
		wantErr(t, "GetIAMUser of a missing user in tx", err, store.ErrNotFound)

		// The transaction's writes are visible in it.
		us, err := tx.ListIAMUsers(ctx, account1, store.Page{})
		noErr(t, "ListIAMUsers in tx", err)
		checkNames(t, "ListIAMUsers in tx", iamUserNames(us), "Existing", "NewUser")
		rs, err := tx.ListRoles(ctx, account1, store.Page{})
		noErr(t, "ListRoles in tx", err)
		checkNames(t, "ListRoles in tx", roleNames(rs), "NewRole")
		checkNames(t, "ListAccessKeys in tx", accessKeyIDs(listAccessKeys(t, tx, account1, "newuser")), k.ID)
		checkManagedPolicy(t, mustGetManagedPolicy(t, tx, mp.ARN), mp, 2)
		checkNames(t, "PolicyDocuments in tx", policyDocuments(t, tx, userRef(account1, "NEWUSER")), `{"v":2}`, mp.Document)
		as, err := tx.ListAccounts(ctx, store.Page{})
		noErr(t, "ListAccounts in tx", err)
		checkNames(t, "ListAccounts in tx", accountIDs(as), account1)
		return nil
	})
	noErr(t, "InTx", err)

	checkIAMUser(t, mustGetIAMUser(t, s, account1, "NewUser"), u)
	checkIAMUser(t, mustGetIAMUser(t, s, account1, "Existing"), existing)
	wantRole := *r
	wantRole.TrustPolicy = `{"tx":1}`
	checkRole(t, mustGetRole(t, s, account1, "NewRole"), &wantRole)
	checkAccessKey(t, mustGetAccessKey(t, s, k.ID), k)
	wantOld := *oldKey
	wantOld.Active = false
	checkAccessKey(t, mustGetAccessKey(t, s, oldKey.ID), &wantOld)
	checkManagedPolicy(t, mustGetManagedPolicy(t, s, mp.ARN), mp, 2)
	checkNames(t, "PolicyDocuments after commit", policyDocuments(t, s, userRef(account1, "NewUser")), `{"v":2}`, mp.Document)
	checkNames(t, "PolicyDocuments of the role after commit", policyDocuments(t, s, roleRef(account1, "newrole")), mp.Document)
	_, err = s.GetAccount(ctx, account1)
	noErr(t, "GetAccount after commit", err)

	// Deletes in a transaction.
	noErr(t, "InTx", s.InTx(ctx, func(tx store.Tx) error {
		for _, err := range []error{
			tx.DetachPolicy(ctx, userRef(account1, "NewUser"), mp.ARN),
			tx.DeleteInlinePolicy(ctx, userRef(account1, "NewUser"), "inline"),
			tx.DeleteAccessKey(ctx, account1, "NewUser", k.ID),
			tx.DeleteIAMUser(ctx, account1, "NewUser"),
			tx.DeleteManagedPolicy(ctx, mp.ARN),
			tx.DeleteRole(ctx, account1, "NewRole"),
		} {
			if err != nil {
				return err
			}
		}
		checkNames(t, "PolicyDocuments in tx after deletes", policyDocuments(t, tx, userRef(account1, "NewUser")))
		return nil
	}))
	_, err = s.GetIAMUser(ctx, account1, "NewUser")
	wantErr(t, "GetIAMUser after delete in tx", err, store.ErrNotFound)
	_, err = s.GetRole(ctx, account1, "NewRole")
	wantErr(t, "GetRole after delete in tx", err, store.ErrNotFound)
	_, err = s.GetAccessKey(ctx, k.ID)
	wantErr(t, "GetAccessKey after delete in tx", err, store.ErrNotFound)
	_, err = s.GetManagedPolicy(ctx, mp.ARN)
	wantErr(t, "GetManagedPolicy after delete in tx", err, store.ErrNotFound)
	checkNames(t, "PolicyDocuments of the role after deletes", policyDocuments(t, s, roleRef(account1, "NewRole")))
}

// A rolled back transaction leaves no IAM write behind, and undoes its changes of existing
// records.
func testIAMRollback(t *testing.T, s store.Store) {
	ctx := t.Context()
	alice := userRef(account1, "Alice")
	mustCreateIAMUser(t, s, newIAMUser(account1, "Alice"))
	role := mustCreateRole(t, s, newRole(account1, "Ops"))
	key := mustCreateAccessKey(t, s, newAccessKey(account1, "Alice"))
	mp := mustCreateManagedPolicy(t, s, newManagedPolicy(account1, "Kept"))
	mustAttach(t, s, alice, mp.ARN)
	mustPutInlinePolicy(t, s, &store.InlinePolicy{Principal: alice, Name: "inline", Document: `{"v":1}`})
	docs := policyDocuments(t, s, alice)

	newPolicy := newManagedPolicy(account1, "New")
	newKey := newAccessKey(account1, "Bob")
	rollback(t, s, func(tx store.Tx) {
		noErr(t, "CreateAccount in tx", tx.CreateAccount(ctx, newAccount(account2)))
		mustCreateIAMUser(t, tx, newIAMUser(account1, "Bob"))
		mustCreateRole(t, tx, newRole(account1, "Dev"))
		noErr(t, "UpdateRoleTrustPolicy in tx", tx.UpdateRoleTrustPolicy(ctx, account1, "Ops", `{"changed":1}`))
		mustCreateAccessKey(t, tx, newKey)
		noErr(t, "SetAccessKeyActive in tx", tx.SetAccessKeyActive(ctx, account1, "Alice", key.ID, false))
		mustCreateManagedPolicy(t, tx, newPolicy)
		mustAttach(t, tx, alice, newPolicy.ARN)
		noErr(t, "DetachPolicy in tx", tx.DetachPolicy(ctx, alice, mp.ARN))
		mustPutInlinePolicy(t, tx, &store.InlinePolicy{Principal: alice, Name: "inline", Document: `{"v":2}`})
		mustPutInlinePolicy(t, tx, &store.InlinePolicy{Principal: alice, Name: "other", Document: `{}`})
		noErr(t, "DeleteIAMUser in tx", tx.DeleteIAMUser(ctx, account1, "Alice"))
		checkNames(t, "PolicyDocuments in tx", policyDocuments(t, tx, alice), `{"v":2}`, `{}`, newPolicy.Document)
	})
	_, err := s.GetAccount(ctx, account2)
	wantErr(t, "GetAccount after rollback", err, store.ErrNotFound)
	_, err = s.GetIAMUser(ctx, account1, "Bob")
	wantErr(t, "GetIAMUser after rollback", err, store.ErrNotFound)
	mustGetIAMUser(t, s, account1, "Alice")
	_, err = s.GetRole(ctx, account1, "Dev")
	wantErr(t, "GetRole after rollback", err, store.ErrNotFound)
	checkRole(t, mustGetRole(t, s, account1, "Ops"), role)
	_, err = s.GetAccessKey(ctx, newKey.ID)
	wantErr(t, "GetAccessKey after rollback", err, store.ErrNotFound)
	checkAccessKey(t, mustGetAccessKey(t, s, key.ID), key)
	_, err = s.GetManagedPolicy(ctx, newPolicy.ARN)
	wantErr(t, "GetManagedPolicy after rollback", err, store.ErrNotFound)
	checkManagedPolicy(t, mustGetManagedPolicy(t, s, mp.ARN), mp, 1)
	checkNames(t, "PolicyDocuments after rollback", policyDocuments(t, s, alice), docs...)
	checkNames(t, "ListInlinePolicies after rollback", inlineNames(listInlinePolicies(t, s, alice)), "inline")
}
