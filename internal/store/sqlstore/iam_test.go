package sqlstore

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cgip/cgip/internal/store"
	"github.com/cgip/cgip/internal/store/storetest"
)

const iamPlanAccount = "123456789012"

// seedIAM creates 1000 managed policies, 1000 users and 1000 roles of one account, each user and
// role with 2 inline policies and 3 attached policies, and a key per user.
func seedIAM(tb testing.TB, s *Store) {
	tb.Helper()
	ctx := context.Background()
	err := s.InTx(ctx, func(tx store.Tx) error {
		arn := func(i int) string { return fmt.Sprintf("arn:aws:iam::%s:policy/p%04d", iamPlanAccount, i) }
		for i := range 1000 {
			if err := tx.CreateManagedPolicy(ctx, &store.ManagedPolicy{ARN: arn(i), AccountID: iamPlanAccount,
				Name: fmt.Sprintf("p%04d", i), ID: fmt.Sprintf("ANPA%016d", i), Path: "/", Document: `{"Statement":[]}`}); err != nil {
				return err
			}
		}
		for i := range 1000 {
			name := fmt.Sprintf("User%04d", i)
			if err := tx.CreateIAMUser(ctx, &store.IAMUser{AccountID: iamPlanAccount, Name: name,
				ID: fmt.Sprintf("AIDA%016d", i), Path: "/"}); err != nil {
				return err
			}
			if err := tx.CreateRole(ctx, &store.Role{AccountID: iamPlanAccount, Name: fmt.Sprintf("Role%04d", i),
				ID: fmt.Sprintf("AROA%016d", i), Path: "/", TrustPolicy: "{}", MaxSessionDuration: 3600}); err != nil {
				return err
			}
			if err := tx.CreateAccessKey(ctx, &store.AccessKey{ID: fmt.Sprintf("AKIA%016d", i), AccountID: iamPlanAccount,
				UserName: name, Secret: []byte("sealed"), Active: true}); err != nil {
				return err
			}
			for _, pr := range []store.PrincipalRef{
				{AccountID: iamPlanAccount, Kind: store.PrincipalUser, Name: name},
				{AccountID: iamPlanAccount, Kind: store.PrincipalRole, Name: fmt.Sprintf("Role%04d", i)},
			} {
				for j := range 2 {
					if err := tx.PutInlinePolicy(ctx, &store.InlinePolicy{Principal: pr, Name: fmt.Sprintf("inline%d", j),
						Document: `{"Statement":[]}`}); err != nil {
						return err
					}
				}
				for j := range 3 {
					if err := tx.AttachPolicy(ctx, pr, arn((i+j*337)%1000)); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, "ANALYZE"); err != nil {
		tb.Fatal(err)
	}
}

// iamPlanQuery is a statement whose plans must contain every one of the strings given.
type iamPlanQuery struct {
	name             string
	sql              string
	args             []any
	sqlite, postgres []string
	// sorts: PostgreSQL may sort the rows it read through its indexes (the few of one principal).
	sorts bool
}

func iamPlans() []iamPlanQuery {
	user := []any{iamPlanAccount, "user", "user0077"}
	return []iamPlanQuery{
		// PostgreSQL appends the two ranges and sorts the principal's few rows; SQLite merges
		// them.
		{"policy documents", sqlPolicyDocuments, user,
			[]string{"MERGE (UNION ALL)",
				"SEARCH iam_inline_policies USING INDEX sqlite_autoindex_iam_inline_policies_1 (account_id=? AND kind=? AND principal_key=?)",
				"SEARCH a USING PRIMARY KEY (account_id=? AND kind=? AND principal_key=?)",
				"SEARCH p USING INDEX sqlite_autoindex_iam_managed_policies_1 (arn=?)"},
			[]string{"Index Scan using iam_inline_policies_pkey", "Index Only Scan using iam_attachments_pkey",
				"Index Scan using iam_managed_policies_pkey"}, true},
		{"attached policies", sqlListAttachedPolicies, user,
			[]string{"SEARCH a USING PRIMARY KEY (account_id=? AND kind=? AND principal_key=?)",
				"SEARCH c USING COVERING INDEX iam_attachments_policy (policy_arn=?)"},
			[]string{"Index Only Scan using iam_attachments_pkey", "Index Cond: (policy_arn = p.arn)"}, false},
		{"managed policy", sqlGetManagedPolicy, []any{"arn:aws:iam::" + iamPlanAccount + ":policy/p0007"},
			[]string{"SEARCH p USING INDEX sqlite_autoindex_iam_managed_policies_1 (arn=?)"},
			[]string{"Index Scan using iam_managed_policies_pkey"}, false},
		{"list managed policies", sqlListManagedPolicies, []any{iamPlanAccount, "p0010", int64(10)},
			[]string{"SEARCH p USING INDEX sqlite_autoindex_iam_managed_policies_2 (account_id=? AND name>?)"},
			[]string{"Index Scan using iam_managed_policies_account_id_name_key"}, false},
		{"user", sqlGetIAMUser, []any{iamPlanAccount, "user0077"},
			[]string{"SEARCH iam_users USING INDEX sqlite_autoindex_iam_users_1 (account_id=? AND name_key=?)"},
			[]string{"Index Scan using iam_users_pkey"}, false},
		{"list users", sqlListIAMUsers, []any{iamPlanAccount, "user0077", int64(10)},
			[]string{"SEARCH iam_users USING INDEX sqlite_autoindex_iam_users_1 (account_id=? AND name_key>?)"},
			[]string{"Index Scan using iam_users_pkey"}, false},
		{"access keys", sqlListAccessKeys, []any{iamPlanAccount, "user0077"},
			[]string{"SEARCH iam_access_keys USING INDEX iam_access_keys_user (account_id=? AND user_key=?)"},
			[]string{"Index Scan using iam_access_keys_user"}, false},
		{"inline policies", sqlListInlinePolicies, user,
			[]string{"SEARCH iam_inline_policies USING INDEX sqlite_autoindex_iam_inline_policies_1 (account_id=? AND kind=? AND principal_key=?)"},
			[]string{"Index Scan using iam_inline_policies_pkey"}, false},
	}
}

// The IAM reads use an index each: no scan of a table; no sort on SQLite.
func TestIAMPlansSQLite(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "plan.db"), nil)
	seedIAM(t, s)
	for _, q := range iamPlans() {
		text := sqlitePlan(t, s.r, q.name, q.sql, q.args)
		for _, want := range q.sqlite {
			if !strings.Contains(text, want) {
				t.Errorf("%s: plan does not contain %q", q.name, want)
			}
		}
	}
}

func TestIAMPlansPostgres(t *testing.T) {
	s := openTest(t, storetest.PostgresSchema(t, storetest.PostgresURL(t)), nil)
	seedIAM(t, s)
	for _, q := range iamPlans() {
		text := postgresPlan(t, s.r, q.name, q.sql, q.args)
		if strings.Contains(text, "Seq Scan") || (!q.sorts && strings.Contains(text, "Sort")) {
			t.Errorf("%s: plan scans or sorts", q.name)
		}
		for _, want := range q.postgres {
			if !strings.Contains(text, want) {
				t.Errorf("%s: plan does not contain %q", q.name, want)
			}
		}
	}
}
