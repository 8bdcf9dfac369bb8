package store

import (
	"context"
	"time"
)

// Account is an AWS-style account besides the server's own (whose root credential is kept
// with GetSecret): its pools and IAM entities belong to it alone.
type Account struct {
	ID        string // 12 digits
	Name      string
	CreatedAt time.Time
}

// IAMUser is an IAM user. Names are unique within an account without regard to case (as in
// IAM); lookups by name ignore case and the stored spelling is kept.
type IAMUser struct {
	AccountID string
	Name      string
	ID        string // AIDA...
	Path      string // "/" by default
	CreatedAt time.Time
}

// Role is an IAM role: a principal that is assumed (STS AssumeRole) rather than signed in as.
// Names are unique within an account without regard to case.
type Role struct {
	AccountID          string
	Name               string
	ID                 string // AROA...
	Path               string
	Description        string
	TrustPolicy        string // the AssumeRolePolicyDocument as given (JSON)
	MaxSessionDuration int    // seconds
	CreatedAt          time.Time
}

// AccessKey is a long-term access key. UserName is the IAM user it belongs to, or "" for the
// root identity of an account created with CreateAccount. Secret is sealed by the caller.
type AccessKey struct {
	ID        string // AKIA..., unique across the store
	AccountID string
	UserName  string
	Secret    []byte
	Active    bool
	CreatedAt time.Time
}

// ManagedPolicy is a customer managed policy. AttachmentCount is filled in by reads.
type ManagedPolicy struct {
	ARN             string // unique across the store
	AccountID       string
	Name            string
	ID              string // ANPA...
	Path            string
	Description     string
	Document        string
	AttachmentCount int
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// PrincipalKind tells an IAM user from a role where policies are attached.
type PrincipalKind string

const (
	PrincipalUser PrincipalKind = "user"
	PrincipalRole PrincipalKind = "role"
)

// PrincipalRef names an IAM user or role; Name is matched without regard to case.
type PrincipalRef struct {
	AccountID string
	Kind      PrincipalKind
	Name      string
}

// InlinePolicy is a policy embedded in one user or role. Names are case-sensitive.
type InlinePolicy struct {
	Principal PrincipalRef
	Name      string
	Document  string
}

// IAMTx is the IAM part of Tx. Deletes do not cascade: the domain refuses to delete a user
// with keys or policies, or a policy still attached (IAM's DeleteConflict), before it asks.
type IAMTx interface {
	CreateAccount(ctx context.Context, a *Account) error // ErrConflict when the id exists
	GetAccount(ctx context.Context, id string) (*Account, error)
	// ListAccounts lists accounts ordered by id.
	ListAccounts(ctx context.Context, page Page) ([]Account, error)

	CreateIAMUser(ctx context.Context, u *IAMUser) error // ErrConflict when the name exists
	GetIAMUser(ctx context.Context, accountID, name string) (*IAMUser, error)
	DeleteIAMUser(ctx context.Context, accountID, name string) error
	// ListIAMUsers lists an account's users ordered by lower-cased name; Page.After is a
	// lower-cased name.
	ListIAMUsers(ctx context.Context, accountID string, page Page) ([]IAMUser, error)

	CreateRole(ctx context.Context, r *Role) error // ErrConflict when the name exists
	GetRole(ctx context.Context, accountID, name string) (*Role, error)
	UpdateRoleTrustPolicy(ctx context.Context, accountID, name, document string) error
	DeleteRole(ctx context.Context, accountID, name string) error
	ListRoles(ctx context.Context, accountID string, page Page) ([]Role, error) // as ListIAMUsers

	CreateAccessKey(ctx context.Context, k *AccessKey) error // ErrConflict when the id exists
	GetAccessKey(ctx context.Context, id string) (*AccessKey, error)
	// SetAccessKeyActive: ErrNotFound unless the key belongs to that account and user.
	SetAccessKeyActive(ctx context.Context, accountID, userName, id string, active bool) error
	DeleteAccessKey(ctx context.Context, accountID, userName, id string) error // as SetAccessKeyActive
	// ListAccessKeys lists a user's keys ("" = the account root's), oldest first.
	ListAccessKeys(ctx context.Context, accountID, userName string) ([]AccessKey, error)

	// PutInlinePolicy creates or replaces an inline policy.
	PutInlinePolicy(ctx context.Context, p *InlinePolicy) error
	GetInlinePolicy(ctx context.Context, principal PrincipalRef, name string) (*InlinePolicy, error)
	DeleteInlinePolicy(ctx context.Context, principal PrincipalRef, name string) error
	// ListInlinePolicies lists a principal's inline policies ordered by name.
	ListInlinePolicies(ctx context.Context, principal PrincipalRef) ([]InlinePolicy, error)

	// CreateManagedPolicy: ErrConflict when the ARN exists, or the account has a policy of that
	// name (names are unique per account: ListManagedPolicies pages by name).
	CreateManagedPolicy(ctx context.Context, p *ManagedPolicy) error
	GetManagedPolicy(ctx context.Context, arn string) (*ManagedPolicy, error)
	DeleteManagedPolicy(ctx context.Context, arn string) error
	// ListManagedPolicies lists an account's policies ordered by name; Page.After is a name.
	ListManagedPolicies(ctx context.Context, accountID string, page Page) ([]ManagedPolicy, error)

	// AttachPolicy attaches a managed policy (attaching twice is no error); ErrNotFound
	// without the policy.
	AttachPolicy(ctx context.Context, principal PrincipalRef, policyARN string) error
	// DetachPolicy: ErrNotFound when the policy is not attached to the principal.
	DetachPolicy(ctx context.Context, principal PrincipalRef, policyARN string) error
	// ListAttachedPolicies lists the managed policies attached to a principal, by name (then ARN:
	// policies of other accounts may share a name).
	ListAttachedPolicies(ctx context.Context, principal PrincipalRef) ([]ManagedPolicy, error)

	// PolicyDocuments returns the documents of a principal's inline and attached policies in
	// one read: it runs on every authorized request. Inline documents come first, by policy
	// name, then the attached ones, by policy name (then ARN).
	PolicyDocuments(ctx context.Context, principal PrincipalRef) ([]string, error)
}
