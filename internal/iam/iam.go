package iam

import (
	"context"
	"fmt"
)

// Principal is an authenticated caller.
type Principal struct {
	AccountID   string
	ARN         string // arn:aws:iam::<account>:root, ...:user/<name>, arn:aws:sts::<account>:assumed-role/<role>/<session>
	AccessKeyID string
	Root        bool
	// Kind and Name say whose policies apply: KindUser or KindRole and its name ("" for root).
	Kind string
	Name string
	// UserID is aws:userid: the account id for root, AIDA... for a user, AROA...:<session>
	// for an assumed role.
	UserID string
}

// Principal kinds.
const (
	KindUser = "user"
	KindRole = "role"
)

// RootPrincipal is the root identity of an account.
func RootPrincipal(accountID, accessKeyID string) *Principal {
	return &Principal{
		AccountID:   accountID,
		ARN:         fmt.Sprintf("arn:aws:iam::%s:root", accountID),
		AccessKeyID: accessKeyID,
		Root:        true,
		UserID:      accountID,
	}
}

// Decision is the outcome of evaluating a request.
type Decision int

const (
	ImplicitDeny Decision = iota
	Allow
	ExplicitDeny
)

// Authorizer decides whether p may perform action (`cognito-idp:<Operation>`) on resource (an
// ARN or `*`).
type Authorizer interface {
	Authorize(ctx context.Context, p *Principal, action, resource string) (Decision, error)
}

// RootOnly allows the root identity everything and denies anyone else.
type RootOnly struct{}

func (RootOnly) Authorize(_ context.Context, p *Principal, _, _ string) (Decision, error) {
	if p != nil && p.Root {
		return Allow, nil
	}
	return ImplicitDeny, nil
}

// DenialMessage is AWS's text for a request an identity-based policy did not allow (IAM User
// Guide, "Troubleshoot access denied error messages"); Cognito's AccessDeniedException and IAM's
// AccessDenied both carry it.
func DenialMessage(principalARN, action, resource string, d Decision) string {
	why := "because no identity-based policy allows the " + action + " action"
	if d == ExplicitDeny {
		why = "with an explicit deny in an identity-based policy"
	}
	return "User: " + principalARN + " is not authorized to perform: " + action + " on resource: " + resource + " " + why
}

func (d Decision) String() string {
	switch d {
	case Allow:
		return "Allow"
	case ExplicitDeny:
		return "ExplicitDeny"
	case ImplicitDeny:
		return "ImplicitDeny"
	}
	return fmt.Sprintf("Decision(%d)", int(d))
}
