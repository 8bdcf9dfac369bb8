package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/cgip/cgip/internal/store"
)

// IAM (migration 0006): accounts, users, roles, access keys, inline and managed policies and
// attachments. Users and roles are keyed by the lower-cased name (nameKey), which is also how
// access keys, inline policies and attachments name them; the spelling given at creation is kept
// beside the key. Nothing refers to a user or role through a foreign key, so deleting one never
// fails (the domain refuses first while it has keys or policies). An attachment goes with its
// managed policy through ON DELETE CASCADE and repeats the policy's name, so that a principal's
// attachments come in name order from the primary key. Every write is one statement.
const (
	accountColumns = `id, name, created_at`

	sqlInsertAccount = `INSERT INTO iam_accounts (` + accountColumns + `) VALUES ($1, $2, $3)
ON CONFLICT (id) DO NOTHING`
	sqlGetAccount   = `SELECT ` + accountColumns + ` FROM iam_accounts WHERE id = $1`
	sqlListAccounts = `SELECT ` + accountColumns + ` FROM iam_accounts WHERE id > $1 ORDER BY id LIMIT $2`

	iamUserColumns = `account_id, name, id, path, created_at`

	sqlInsertIAMUser = `INSERT INTO iam_users (account_id, name_key, name, id, path, created_at)
VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`
	sqlGetIAMUser    = `SELECT ` + iamUserColumns + ` FROM iam_users WHERE account_id = $1 AND name_key = $2`
	sqlDeleteIAMUser = `DELETE FROM iam_users WHERE account_id = $1 AND name_key = $2`
	sqlListIAMUsers  = `SELECT ` + iamUserColumns + ` FROM iam_users
WHERE account_id = $1 AND name_key > $2 ORDER BY name_key LIMIT $3`

	roleColumns = `account_id, name, id, path, description, trust_policy, max_session_duration, created_at`

	sqlInsertRole = `INSERT INTO iam_roles (account_id, name_key, name, id, path, description, trust_policy,
max_session_duration, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`
	sqlGetRole               = `SELECT ` + roleColumns + ` FROM iam_roles WHERE account_id = $1 AND name_key = $2`
	sqlUpdateRoleTrustPolicy = `UPDATE iam_roles SET trust_policy = $1 WHERE account_id = $2 AND name_key = $3`
	sqlDeleteRole            = `DELETE FROM iam_roles WHERE account_id = $1 AND name_key = $2`
	sqlListRoles             = `SELECT ` + roleColumns + ` FROM iam_roles
WHERE account_id = $1 AND name_key > $2 ORDER BY name_key LIMIT $3`

	accessKeyColumns = `id, account_id, user_name, secret, active, created_at`

	sqlInsertAccessKey = `INSERT INTO iam_access_keys (id, account_id, user_key, user_name, secret, active, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`
	sqlGetAccessKey = `SELECT ` + accessKeyColumns + ` FROM iam_access_keys WHERE id = $1`
	// The owner is part of the key's selection: a key of another user or account is not found.
	sqlSetAccessKeyActive = `UPDATE iam_access_keys SET active = $1
WHERE id = $2 AND account_id = $3 AND user_key = $4`
	sqlDeleteAccessKey = `DELETE FROM iam_access_keys WHERE id = $1 AND account_id = $2 AND user_key = $3`
	// An index range of iam_access_keys_user, in its order.
	sqlListAccessKeys = `SELECT ` + accessKeyColumns + ` FROM iam_access_keys
WHERE account_id = $1 AND user_key = $2 ORDER BY created_at, id`

	inlinePolicyColumns = `account_id, kind, principal_name, name, document`

	// Put replaces the document; the principal's spelling becomes the one given last.
	sqlPutInlinePolicy = `INSERT INTO iam_inline_policies (account_id, kind, principal_key, principal_name, name, document)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (account_id, kind, principal_key, name)
DO UPDATE SET principal_name = excluded.principal_name, document = excluded.document`
	sqlGetInlinePolicy = `SELECT ` + inlinePolicyColumns + ` FROM iam_inline_policies
WHERE account_id = $1 AND kind = $2 AND principal_key = $3 AND name = $4`
	sqlDeleteInlinePolicy = `DELETE FROM iam_inline_policies
WHERE account_id = $1 AND kind = $2 AND principal_key = $3 AND name = $4`
	sqlListInlinePolicies = `SELECT ` + inlinePolicyColumns + ` FROM iam_inline_policies
WHERE account_id = $1 AND kind = $2 AND principal_key = $3 ORDER BY name`

	managedPolicyInsertColumns = `arn, account_id, name, id, path, description, document, created_at, updated_at`
	// AttachmentCount is an index range count of iam_attachments_policy.
	managedPolicyColumns = `p.arn, p.account_id, p.name, p.id, p.path, p.description, p.document, p.created_at,
p.updated_at, (SELECT COUNT(*) FROM iam_attachments c WHERE c.policy_arn = p.arn)`

	// ON CONFLICT DO NOTHING without a target covers the ARN and the name within the account.
	sqlInsertManagedPolicy = `INSERT INTO iam_managed_policies (` + managedPolicyInsertColumns + `)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`
	sqlManagedPolicyExists = `SELECT 1 FROM iam_managed_policies WHERE arn = $1`
	sqlGetManagedPolicy    = `SELECT ` + managedPolicyColumns + ` FROM iam_managed_policies p WHERE p.arn = $1`
	// Attachments go with the policy through ON DELETE CASCADE.
	sqlDeleteManagedPolicy = `DELETE FROM iam_managed_policies WHERE arn = $1`
	sqlListManagedPolicies = `SELECT ` + managedPolicyColumns + ` FROM iam_managed_policies p
WHERE p.account_id = $1 AND p.name > $2 ORDER BY p.name LIMIT $3`

	// The policy is read for its name (which the attachment repeats); a missing policy is "no
	// row inserted" instead of a foreign-key error, which on PostgreSQL would abort the
	// surrounding transaction.
	sqlAttachPolicy = `INSERT INTO iam_attachments (account_id, kind, principal_key, policy_name, policy_arn)
SELECT $1, $2, $3, p.name, p.arn FROM iam_managed_policies p WHERE p.arn = $4
ON CONFLICT DO NOTHING`
	sqlDetachPolicy = `DELETE FROM iam_attachments
WHERE account_id = $1 AND kind = $2 AND principal_key = $3 AND policy_arn = $4`
	sqlListAttachedPolicies = `SELECT ` + managedPolicyColumns + ` FROM iam_attachments a
JOIN iam_managed_policies p ON p.arn = a.policy_arn
WHERE a.account_id = $1 AND a.kind = $2 AND a.principal_key = $3 ORDER BY a.policy_name, a.policy_arn`

	// PolicyDocuments: the principal's inline and attached policies in one statement, by
	// (name, ARN), part telling them apart (PolicyDocuments puts the inline ones first). Each arm
	// reads one range of its table's primary key in that order (an inline policy's name is
	// unique, so it stands in for the ARN) and the attached arm looks each policy up by its ARN:
	// SQLite merges the two ranges and sorts nothing. (Ordering by part first would make
	// SQLite sort each arm: it does not see that a constant column is ordered.)
	sqlPolicyDocuments = `SELECT 0 AS part, name, name AS arn, document FROM iam_inline_policies
WHERE account_id = $1 AND kind = $2 AND principal_key = $3
UNION ALL
SELECT 1, a.policy_name, a.policy_arn, p.document FROM iam_attachments a
JOIN iam_managed_policies p ON p.arn = a.policy_arn
WHERE a.account_id = $1 AND a.kind = $2 AND a.principal_key = $3
ORDER BY 2, 3`
)

// nameKey is the key of an IAM user or role name: names are unique without regard to case.
func nameKey(name string) string { return strings.ToLower(name) }

// CreateAccount inserts a; a zero CreatedAt becomes now, and a holds the stored time.
// ErrConflict if the id exists.
func (o ops) CreateAccount(ctx context.Context, a *store.Account) error {
	created := nowIfZero(a.CreatedAt)
	if err := o.insertOne(ctx, "create account", sqlInsertAccount, a.ID, a.Name, created); err != nil {
		return err
	}
	a.CreatedAt = created
	return nil
}

func (o ops) GetAccount(ctx context.Context, id string) (*store.Account, error) {
	return getOne(ctx, o, "get account", scanAccount, sqlGetAccount, id)
}

// ListAccounts returns at most page.Limit accounts (all of them if Limit <= 0), by id.
func (o ops) ListAccounts(ctx context.Context, page store.Page) ([]store.Account, error) {
	return queryAll(ctx, o, "list accounts", scanAccount, sqlListAccounts, page.After, limit(page))
}

// CreateIAMUser inserts u; a zero CreatedAt becomes now, and u holds the stored time.
// ErrConflict if the account has a user of that name in any case.
func (o ops) CreateIAMUser(ctx context.Context, u *store.IAMUser) error {
	created := nowIfZero(u.CreatedAt)
	if err := o.insertOne(ctx, "create IAM user", sqlInsertIAMUser,
		u.AccountID, nameKey(u.Name), u.Name, u.ID, u.Path, created); err != nil {
		return err
	}
	u.CreatedAt = created
	return nil
}

func (o ops) GetIAMUser(ctx context.Context, accountID, name string) (*store.IAMUser, error) {
	return getOne(ctx, o, "get IAM user", scanIAMUser, sqlGetIAMUser, accountID, nameKey(name))
}

func (o ops) DeleteIAMUser(ctx context.Context, accountID, name string) error {
	res, err := o.q.ExecContext(ctx, sqlDeleteIAMUser, accountID, nameKey(name))
	return o.deleted(ctx, "delete IAM user", res, err)
}

// ListIAMUsers returns at most page.Limit users (all of them if Limit <= 0) by lower-cased
// name; page.After is compared lower-cased.
func (o ops) ListIAMUsers(ctx context.Context, accountID string, page store.Page) ([]store.IAMUser, error) {
	return queryAll(ctx, o, "list IAM users", scanIAMUser, sqlListIAMUsers, accountID, nameKey(page.After), limit(page))
}

// CreateRole inserts r; a zero CreatedAt becomes now, and r holds the stored time.
// ErrConflict if the account has a role of that name in any case.
func (o ops) CreateRole(ctx context.Context, r *store.Role) error {
	created := nowIfZero(r.CreatedAt)
	if err := o.insertOne(ctx, "create role", sqlInsertRole, r.AccountID, nameKey(r.Name), r.Name, r.ID,
		r.Path, r.Description, r.TrustPolicy, int64(r.MaxSessionDuration), created); err != nil {
		return err
	}
	r.CreatedAt = created
	return nil
}

func (o ops) GetRole(ctx context.Context, accountID, name string) (*store.Role, error) {
	return getOne(ctx, o, "get role", scanRole, sqlGetRole, accountID, nameKey(name))
}

// UpdateRoleTrustPolicy replaces the role's trust policy; ErrNotFound without the role.
func (o ops) UpdateRoleTrustPolicy(ctx context.Context, accountID, name, document string) error {
	res, err := o.q.ExecContext(ctx, sqlUpdateRoleTrustPolicy, document, accountID, nameKey(name))
	return o.matched(ctx, "update role trust policy", res, err)
}

func (o ops) DeleteRole(ctx context.Context, accountID, name string) error {
	res, err := o.q.ExecContext(ctx, sqlDeleteRole, accountID, nameKey(name))
	return o.deleted(ctx, "delete role", res, err)
}

// ListRoles returns at most page.Limit roles as ListIAMUsers returns users.
func (o ops) ListRoles(ctx context.Context, accountID string, page store.Page) ([]store.Role, error) {
	return queryAll(ctx, o, "list roles", scanRole, sqlListRoles, accountID, nameKey(page.After), limit(page))
}

// CreateAccessKey inserts k; a zero CreatedAt becomes now, and k holds the stored time. The
// user is not looked up (UserName "" is the account's root). ErrConflict if the id exists.
func (o ops) CreateAccessKey(ctx context.Context, k *store.AccessKey) error {
	created := nowIfZero(k.CreatedAt)
	secret := k.Secret
	if secret == nil {
		secret = []byte{}
	}
	if err := o.insertOne(ctx, "create access key", sqlInsertAccessKey,
		k.ID, k.AccountID, nameKey(k.UserName), k.UserName, secret, k.Active, created); err != nil {
		return err
	}
	k.CreatedAt = created
	return nil
}

func (o ops) GetAccessKey(ctx context.Context, id string) (*store.AccessKey, error) {
	return getOne(ctx, o, "get access key", scanAccessKey, sqlGetAccessKey, id)
}

func (o ops) SetAccessKeyActive(ctx context.Context, accountID, userName, id string, active bool) error {
	res, err := o.q.ExecContext(ctx, sqlSetAccessKeyActive, active, id, accountID, nameKey(userName))
	return o.matched(ctx, "set access key status", res, err)
}

func (o ops) DeleteAccessKey(ctx context.Context, accountID, userName, id string) error {
	res, err := o.q.ExecContext(ctx, sqlDeleteAccessKey, id, accountID, nameKey(userName))
	return o.deleted(ctx, "delete access key", res, err)
}

// ListAccessKeys returns the user's keys (the root's for userName ""), oldest first (by
// CreatedAt, then id bytewise); none for a user without keys or that does not exist.
func (o ops) ListAccessKeys(ctx context.Context, accountID, userName string) ([]store.AccessKey, error) {
	return queryAll(ctx, o, "list access keys", scanAccessKey, sqlListAccessKeys, accountID, nameKey(userName))
}

// PutInlinePolicy creates the policy or replaces its document. The principal is not looked up.
func (o ops) PutInlinePolicy(ctx context.Context, p *store.InlinePolicy) error {
	pr := p.Principal
	if _, err := o.q.ExecContext(ctx, sqlPutInlinePolicy,
		pr.AccountID, string(pr.Kind), nameKey(pr.Name), pr.Name, p.Name, p.Document); err != nil {
		return o.fail(ctx, "put inline policy", err)
	}
	return nil
}

func (o ops) GetInlinePolicy(ctx context.Context, principal store.PrincipalRef, name string) (*store.InlinePolicy, error) {
	return getOne(ctx, o, "get inline policy", scanInlinePolicy, sqlGetInlinePolicy,
		principalArgs(principal, name)...)
}

func (o ops) DeleteInlinePolicy(ctx context.Context, principal store.PrincipalRef, name string) error {
	res, err := o.q.ExecContext(ctx, sqlDeleteInlinePolicy, principalArgs(principal, name)...)
	return o.deleted(ctx, "delete inline policy", res, err)
}

// ListInlinePolicies returns the principal's inline policies by name (bytewise); none for a
// principal without policies or that does not exist.
func (o ops) ListInlinePolicies(ctx context.Context, principal store.PrincipalRef) ([]store.InlinePolicy, error) {
	return queryAll(ctx, o, "list inline policies", scanInlinePolicy, sqlListInlinePolicies,
		principalArgs(principal)...)
}

// CreateManagedPolicy inserts p (timestamps as for CreateUserPool) with AttachmentCount 0.
// ErrConflict if the ARN exists, or the account has a policy of that name.
func (o ops) CreateManagedPolicy(ctx context.Context, p *store.ManagedPolicy) error {
	created, updated := createTimes(p.CreatedAt, p.UpdatedAt)
	if err := o.insertOne(ctx, "create managed policy", sqlInsertManagedPolicy,
		p.ARN, p.AccountID, p.Name, p.ID, p.Path, p.Description, p.Document, created, updated); err != nil {
		return err
	}
	p.CreatedAt, p.UpdatedAt, p.AttachmentCount = created, updated, 0
	return nil
}

func (o ops) GetManagedPolicy(ctx context.Context, arn string) (*store.ManagedPolicy, error) {
	return getOne(ctx, o, "get managed policy", scanManagedPolicy, sqlGetManagedPolicy, arn)
}

// DeleteManagedPolicy deletes the policy and, should any remain, its attachments.
func (o ops) DeleteManagedPolicy(ctx context.Context, arn string) error {
	res, err := o.q.ExecContext(ctx, sqlDeleteManagedPolicy, arn)
	return o.deleted(ctx, "delete managed policy", res, err)
}

// ListManagedPolicies returns at most page.Limit of the account's policies (all of them if
// Limit <= 0), by name (bytewise).
func (o ops) ListManagedPolicies(ctx context.Context, accountID string, page store.Page) ([]store.ManagedPolicy, error) {
	return queryAll(ctx, o, "list managed policies", scanManagedPolicy, sqlListManagedPolicies,
		accountID, page.After, limit(page))
}

// AttachPolicy attaches the policy unless it is attached already. The principal is not looked
// up; ErrNotFound if the policy does not exist.
func (o ops) AttachPolicy(ctx context.Context, principal store.PrincipalRef, policyARN string) error {
	const op = "attach policy"
	res, err := o.q.ExecContext(ctx, sqlAttachPolicy, principalArgs(principal, policyARN)...)
	if err != nil {
		return o.insertFailed(ctx, op, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return o.fail(ctx, op, err)
	} else if n > 0 {
		return nil
	}
	// No row inserted: the policy is attached already, or it does not exist.
	switch found, err := o.exists(ctx, sqlManagedPolicyExists, policyARN); {
	case err != nil:
		return o.fail(ctx, op, err)
	case found:
		return nil
	default:
		return store.ErrNotFound
	}
}

func (o ops) DetachPolicy(ctx context.Context, principal store.PrincipalRef, policyARN string) error {
	res, err := o.q.ExecContext(ctx, sqlDetachPolicy, principalArgs(principal, policyARN)...)
	return o.deleted(ctx, "detach policy", res, err)
}

// ListAttachedPolicies returns the policies attached to the principal by name (bytewise, then
// by ARN); none for a principal without attachments or that does not exist.
func (o ops) ListAttachedPolicies(ctx context.Context, principal store.PrincipalRef) ([]store.ManagedPolicy, error) {
	return queryAll(ctx, o, "list attached policies", scanManagedPolicy, sqlListAttachedPolicies,
		principalArgs(principal)...)
}

// PolicyDocuments returns the documents of the principal's inline policies by name, then those
// of its attached policies by name (then ARN), read in one statement.
func (o ops) PolicyDocuments(ctx context.Context, principal store.PrincipalRef) ([]string, error) {
	const op = "read policy documents"
	rows, err := o.q.QueryContext(ctx, sqlPolicyDocuments, principalArgs(principal)...)
	if err != nil {
		return nil, o.fail(ctx, op, err)
	}
	defer rows.Close()
	var inline, attached []string
	for rows.Next() {
		var (
			part           int64
			name, arn, doc string
		)
		if err := rows.Scan(&part, &name, &arn, &doc); err != nil {
			return nil, o.fail(ctx, op, err)
		}
		if part == 0 {
			inline = append(inline, doc)
		} else {
			attached = append(attached, doc)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, o.fail(ctx, op, err)
	}
	return append(inline, attached...), nil
}

// principalArgs binds a principal as $1 (account), $2 (kind), $3 (name key), then more.
func principalArgs(p store.PrincipalRef, more ...any) []any {
	return append([]any{p.AccountID, string(p.Kind), nameKey(p.Name)}, more...)
}

// insertOne runs an INSERT ... ON CONFLICT DO NOTHING of one row: ErrConflict when no row was
// inserted.
func (o ops) insertOne(ctx context.Context, op, query string, args ...any) error {
	res, err := o.q.ExecContext(ctx, query, args...)
	if err != nil {
		return o.insertFailed(ctx, op, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return o.fail(ctx, op, err)
	} else if n == 0 {
		return store.ErrConflict
	}
	return nil
}

// matched finishes an UPDATE of one record by its key: ErrNotFound when no row matched. (Both
// dialects count the rows matched, also those the UPDATE left as they were.)
func (o ops) matched(ctx context.Context, op string, res sql.Result, err error) error {
	return o.deleted(ctx, op, res, err)
}

func scanAccount(row scanner) (*store.Account, error) {
	var (
		a       store.Account
		created timeScanner
	)
	if err := row.Scan(&a.ID, &a.Name, &created); err != nil {
		return nil, err
	}
	a.CreatedAt = created.t
	return &a, nil
}

func scanIAMUser(row scanner) (*store.IAMUser, error) {
	var (
		u       store.IAMUser
		created timeScanner
	)
	if err := row.Scan(&u.AccountID, &u.Name, &u.ID, &u.Path, &created); err != nil {
		return nil, err
	}
	u.CreatedAt = created.t
	return &u, nil
}

func scanRole(row scanner) (*store.Role, error) {
	var (
		r       store.Role
		created timeScanner
	)
	if err := row.Scan(&r.AccountID, &r.Name, &r.ID, &r.Path, &r.Description, &r.TrustPolicy,
		&r.MaxSessionDuration, &created); err != nil {
		return nil, err
	}
	r.CreatedAt = created.t
	return &r, nil
}

func scanAccessKey(row scanner) (*store.AccessKey, error) {
	var (
		k       store.AccessKey
		created timeScanner
	)
	if err := row.Scan(&k.ID, &k.AccountID, &k.UserName, &k.Secret, &k.Active, &created); err != nil {
		return nil, err
	}
	if k.Secret == nil {
		k.Secret = []byte{}
	}
	k.CreatedAt = created.t
	return &k, nil
}

func scanInlinePolicy(row scanner) (*store.InlinePolicy, error) {
	var (
		p    store.InlinePolicy
		kind string
	)
	if err := row.Scan(&p.Principal.AccountID, &kind, &p.Principal.Name, &p.Name, &p.Document); err != nil {
		return nil, err
	}
	p.Principal.Kind = store.PrincipalKind(kind)
	return &p, nil
}

func scanManagedPolicy(row scanner) (*store.ManagedPolicy, error) {
	var (
		p                store.ManagedPolicy
		created, updated timeScanner
	)
	if err := row.Scan(&p.ARN, &p.AccountID, &p.Name, &p.ID, &p.Path, &p.Description, &p.Document,
		&created, &updated, &p.AttachmentCount); err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = created.t, updated.t
	return &p, nil
}

func (s *Store) CreateAccount(ctx context.Context, a *store.Account) error {
	return s.write(ctx, "create account", func(o ops) error { return o.CreateAccount(ctx, a) })
}

func (s *Store) GetAccount(ctx context.Context, id string) (*store.Account, error) {
	return s.reader().GetAccount(ctx, id)
}

func (s *Store) ListAccounts(ctx context.Context, page store.Page) ([]store.Account, error) {
	return s.reader().ListAccounts(ctx, page)
}

func (s *Store) CreateIAMUser(ctx context.Context, u *store.IAMUser) error {
	return s.write(ctx, "create IAM user", func(o ops) error { return o.CreateIAMUser(ctx, u) })
}

func (s *Store) GetIAMUser(ctx context.Context, accountID, name string) (*store.IAMUser, error) {
	return s.reader().GetIAMUser(ctx, accountID, name)
}

func (s *Store) DeleteIAMUser(ctx context.Context, accountID, name string) error {
	return s.write(ctx, "delete IAM user", func(o ops) error { return o.DeleteIAMUser(ctx, accountID, name) })
}

func (s *Store) ListIAMUsers(ctx context.Context, accountID string, page store.Page) ([]store.IAMUser, error) {
	return s.reader().ListIAMUsers(ctx, accountID, page)
}

func (s *Store) CreateRole(ctx context.Context, r *store.Role) error {
	return s.write(ctx, "create role", func(o ops) error { return o.CreateRole(ctx, r) })
}

func (s *Store) GetRole(ctx context.Context, accountID, name string) (*store.Role, error) {
	return s.reader().GetRole(ctx, accountID, name)
}

func (s *Store) UpdateRoleTrustPolicy(ctx context.Context, accountID, name, document string) error {
	return s.write(ctx, "update role trust policy", func(o ops) error {
		return o.UpdateRoleTrustPolicy(ctx, accountID, name, document)
	})
}

func (s *Store) DeleteRole(ctx context.Context, accountID, name string) error {
	return s.write(ctx, "delete role", func(o ops) error { return o.DeleteRole(ctx, accountID, name) })
}

func (s *Store) ListRoles(ctx context.Context, accountID string, page store.Page) ([]store.Role, error) {
	return s.reader().ListRoles(ctx, accountID, page)
}

func (s *Store) CreateAccessKey(ctx context.Context, k *store.AccessKey) error {
	return s.write(ctx, "create access key", func(o ops) error { return o.CreateAccessKey(ctx, k) })
}

func (s *Store) GetAccessKey(ctx context.Context, id string) (*store.AccessKey, error) {
	return s.reader().GetAccessKey(ctx, id)
}

func (s *Store) SetAccessKeyActive(ctx context.Context, accountID, userName, id string, active bool) error {
	return s.write(ctx, "set access key status", func(o ops) error {
		return o.SetAccessKeyActive(ctx, accountID, userName, id, active)
	})
}

func (s *Store) DeleteAccessKey(ctx context.Context, accountID, userName, id string) error {
	return s.write(ctx, "delete access key", func(o ops) error { return o.DeleteAccessKey(ctx, accountID, userName, id) })
}

func (s *Store) ListAccessKeys(ctx context.Context, accountID, userName string) ([]store.AccessKey, error) {
	return s.reader().ListAccessKeys(ctx, accountID, userName)
}

func (s *Store) PutInlinePolicy(ctx context.Context, p *store.InlinePolicy) error {
	return s.write(ctx, "put inline policy", func(o ops) error { return o.PutInlinePolicy(ctx, p) })
}

func (s *Store) GetInlinePolicy(ctx context.Context, principal store.PrincipalRef, name string) (*store.InlinePolicy, error) {
	return s.reader().GetInlinePolicy(ctx, principal, name)
}

func (s *Store) DeleteInlinePolicy(ctx context.Context, principal store.PrincipalRef, name string) error {
	return s.write(ctx, "delete inline policy", func(o ops) error { return o.DeleteInlinePolicy(ctx, principal, name) })
}

func (s *Store) ListInlinePolicies(ctx context.Context, principal store.PrincipalRef) ([]store.InlinePolicy, error) {
	return s.reader().ListInlinePolicies(ctx, principal)
}

func (s *Store) CreateManagedPolicy(ctx context.Context, p *store.ManagedPolicy) error {
	return s.write(ctx, "create managed policy", func(o ops) error { return o.CreateManagedPolicy(ctx, p) })
}

func (s *Store) GetManagedPolicy(ctx context.Context, arn string) (*store.ManagedPolicy, error) {
	return s.reader().GetManagedPolicy(ctx, arn)
}

func (s *Store) DeleteManagedPolicy(ctx context.Context, arn string) error {
	return s.write(ctx, "delete managed policy", func(o ops) error { return o.DeleteManagedPolicy(ctx, arn) })
}

func (s *Store) ListManagedPolicies(ctx context.Context, accountID string, page store.Page) ([]store.ManagedPolicy, error) {
	return s.reader().ListManagedPolicies(ctx, accountID, page)
}

func (s *Store) AttachPolicy(ctx context.Context, principal store.PrincipalRef, policyARN string) error {
	return s.write(ctx, "attach policy", func(o ops) error { return o.AttachPolicy(ctx, principal, policyARN) })
}

func (s *Store) DetachPolicy(ctx context.Context, principal store.PrincipalRef, policyARN string) error {
	return s.write(ctx, "detach policy", func(o ops) error { return o.DetachPolicy(ctx, principal, policyARN) })
}

func (s *Store) ListAttachedPolicies(ctx context.Context, principal store.PrincipalRef) ([]store.ManagedPolicy, error) {
	return s.reader().ListAttachedPolicies(ctx, principal)
}

func (s *Store) PolicyDocuments(ctx context.Context, principal store.PrincipalRef) ([]string, error) {
	return s.reader().PolicyDocuments(ctx, principal)
}
