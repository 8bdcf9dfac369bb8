package api

import (
	"context"

	"github.com/cgip/cgip/internal/iam"
)

// Caller is what the pipeline learned about a request before the handler runs.
type Caller struct {
	RequestID string
	Operation string
	// Region is the signed credential scope's region; for an unsigned public request it is ""
	// and the handler finds the region from the pool or client the request names.
	Region    string
	Principal *iam.Principal // nil for unsigned public requests
	UserAgent string
	// SourceIP and SecureTransport feed aws:SourceIp and aws:SecureTransport.
	SourceIP        string
	SecureTransport bool
}

type callerKey struct{}

func withCaller(ctx context.Context, c *Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the request's caller; handlers always have one.
func CallerFrom(ctx context.Context) *Caller {
	c, _ := ctx.Value(callerKey{}).(*Caller)
	if c == nil {
		return &Caller{}
	}
	return c
}
