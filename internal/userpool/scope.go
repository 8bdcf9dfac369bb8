package userpool

import (
	"context"
	"fmt"
)

// Scope is the region and account a signed request acts in. A pool is visible only to its own
// account, in its own region, as in AWS.
type Scope struct {
	Region    string
	AccountID string
	// UserAgent is the caller's, for the awsSdkVersion of trigger events (public requests
	// carry only this).
	UserAgent string
}

type scopeKey struct{}

// WithScope records the caller's scope; the API pipeline sets it for every IAM-authenticated
// request.
func WithScope(ctx context.Context, s Scope) context.Context {
	return context.WithValue(ctx, scopeKey{}, s)
}

func scopeFrom(ctx context.Context) Scope {
	s, _ := ctx.Value(scopeKey{}).(Scope)
	return s
}

// PoolARN is the ARN IAM policies name a pool by.
func PoolARN(region, accountID, poolID string) string {
	return fmt.Sprintf("arn:aws:cognito-idp:%s:%s:userpool/%s", region, accountID, poolID)
}
