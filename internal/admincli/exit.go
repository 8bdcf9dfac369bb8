package admincli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// Exit codes of the AWS CLI v2 (docs "Understand return codes from the AWS CLI"), so scripts
// written against `aws` branch the same way on cgip.
const (
	exitOK          = 0
	exitInterrupted = 130 // SIGINT, as a shell reports it
	exitUsage       = 252 // the command line cannot be parsed, or parameters fail validation
	exitConfig      = 253 // no region, no credentials, missing profile: the environment is wrong
	exitService     = 254 // the service answered with an error
	exitOther       = 255 // anything else (network, I/O, ...)
)

// operation is the Cognito API this client calls; the AWS CLI names it in every error line.
const operation = "AdminResetUserPassword"

// cliError is an error that knows its exit code and the exact text to print for it.
type cliError struct {
	code      int
	msg       string
	requestID string
	argparse  bool // a command-line syntax error: printed after the usage lines
}

func (e *cliError) Error() string { return e.msg }

// asCLIError gives any error an exit code: ours carry one, anything else is "other".
func asCLIError(err error) *cliError {
	var ce *cliError
	if errors.As(err, &ce) {
		return ce
	}
	return &cliError{code: exitOther, msg: err.Error()}
}

func usageErr(format string, a ...any) *cliError {
	return &cliError{code: exitUsage, msg: fmt.Sprintf(format, a...)}
}

// argErr is a command-line syntax error, printed the way argparse (the AWS CLI) does.
func argErr(format string, a ...any) *cliError {
	return &cliError{code: exitUsage, argparse: true, msg: fmt.Sprintf(format, a...)}
}

func configErr(format string, a ...any) *cliError {
	return &cliError{code: exitConfig, msg: fmt.Sprintf(format, a...)}
}

// AWS CLI texts for the configuration errors.
const (
	msgNoRegion      = `You must specify a region. You can also configure your region by running "aws configure".`
	msgNoCredentials = `Unable to locate credentials. You can configure credentials by running "aws configure".`
)

// classify turns an SDK error into what the AWS CLI would print and its exit code. endpoint is
// the URL the request went to, for the connection messages.
func classify(ctx context.Context, err error, endpoint string) *cliError {
	var ce *cliError
	if errors.As(err, &ce) {
		return ce
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return &cliError{code: exitInterrupted}
	}
	var reqID string
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		reqID = re.ServiceRequestID()
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		op := operation
		// botocore adds the retry count when it gave up on a retryable error.
		var mae *retry.MaxAttemptsError
		if errors.As(err, &mae) && mae.Attempt > 1 {
			op += fmt.Sprintf(" operation (reached max retries: %d)", mae.Attempt-1)
		} else {
			op += " operation"
		}
		return &cliError{code: exitService, requestID: reqID,
			msg: fmt.Sprintf("An error occurred (%s) when calling the %s: %s", ae.ErrorCode(), op, ae.ErrorMessage())}
	}
	url := strings.TrimSuffix(endpoint, "/") + "/"
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		if oe.Timeout() {
			return &cliError{code: exitOther, msg: fmt.Sprintf("Connect timeout on endpoint URL: %q", url)}
		}
		return &cliError{code: exitOther, msg: fmt.Sprintf("Could not connect to the endpoint URL: %q", url)}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || strings.Contains(err.Error(), "timeout awaiting response headers") {
		return &cliError{code: exitOther, msg: fmt.Sprintf("Read timeout on endpoint URL: %q", url)}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return &cliError{code: exitOther, msg: fmt.Sprintf("Could not connect to the endpoint URL: %q", url)}
	}
	return &cliError{code: exitOther, requestID: reqID, msg: err.Error()}
}
