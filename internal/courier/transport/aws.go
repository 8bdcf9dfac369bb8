package transport

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/smithy-go"
)

const (
	// awsMaxAttempts keeps SDK retries short: the outbox worker retries
	// temporary failures itself, with its own backoff.
	awsMaxAttempts = 3
	// awsTimeout bounds one Send when the caller's context has no deadline.
	awsTimeout = 30 * time.Second
)

// withAWSTimeout applies awsTimeout unless ctx already ends sooner.
func withAWSTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < awsTimeout {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, awsTimeout)
}

// classifyAWS marks errors whose code is in permanent, and client-side
// parameter validation failures, as Permanent. Throttling, 5xx, credential
// and network errors stay temporary.
func classifyAWS(service string, err error, permanent map[string]bool) error {
	err = fmt.Errorf("%s: %w", service, err)
	var ae smithy.APIError
	if errors.As(err, &ae) && permanent[ae.ErrorCode()] {
		return Permanent{Err: err}
	}
	var ip smithy.InvalidParamsError
	if errors.As(err, &ip) {
		return Permanent{Err: err}
	}
	return err
}
