package triggers

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/smithy-go/encoding/httpbinding"

	"github.com/cgip/cgip/internal/apierr"
)

const (
	// DefaultTimeout is how long Cognito waits for one attempt: its hard 5-second limit on
	// triggers (aws-amplify/amplify-cli#5425: a cold start over 5 s is invoked again, 3 times).
	DefaultTimeout = 5 * time.Second
	// DefaultAttempts is how many times a trigger is invoked before the operation fails.
	DefaultAttempts = 3
	// MaxPayload is Lambda's limit on a synchronous invocation's response (6 MB); a longer
	// answer is not read.
	MaxPayload = 6 << 20
)

// Reasons of UnexpectedLambdaException that are not a Lambda error code.
const (
	// Cognito's words when the function does not answer in time ("PreSignUp invocation failed
	// due to error Socket timeout while invoking Lambda function.", anomalyco/sst#1815).
	reasonTimeout = "Socket timeout while invoking Lambda function"
	// Ours: the request could not be sent or its answer read (details go to the log only,
	// they name hosts and addresses).
	reasonUnreachable = "Unable to execute HTTP request"
)

// Config configures an Invoker.
type Config struct {
	// Endpoint is the Lambda endpoint (an emulator, the Runtime Interface Emulator, ...); ""
	// uses AWS Lambda's endpoint in the function ARN's region.
	Endpoint string
	// Overrides maps a function ARN to the http(s) URL its events are POSTed to instead,
	// unsigned; the URL is treated like an Invoke endpoint's answer (200 with
	// X-Amz-Function-Error is a function error).
	Overrides map[string]string
	// AWS holds the credentials that sign requests to Endpoint (nil Credentials: unsigned) and
	// the region used for a function named without an ARN.
	AWS aws.Config
	// HTTPClient sends every invocation (nil: a client of this package's own). Its redirect
	// policy and timeouts are the caller's; each attempt is bounded by Timeout anyway.
	HTTPClient *http.Client
	// Timeout bounds one attempt (default DefaultTimeout); Attempts is how many are made
	// (default DefaultAttempts).
	Timeout  time.Duration
	Attempts int
	// Logger receives one record per failed attempt and per function error (default
	// slog.Default()). Events and answers are never logged.
	Logger *slog.Logger
}

// Invoker invokes Lambda functions as a user pool's triggers. It is safe for concurrent use.
type Invoker struct {
	endpoint    *url.URL // nil: AWS Lambda
	endpointErr error
	overrides   map[string]*url.URL
	overrideErr map[string]error
	creds       aws.CredentialsProvider
	region      string
	client      *http.Client
	timeout     time.Duration
	attempts    int
	log         *slog.Logger
	signer      *v4.Signer
	resolver    lambda.EndpointResolverV2
}

// New returns an Invoker. A malformed Endpoint or override URL is logged here and makes every
// invocation that needs it fail with UnexpectedLambdaException; ParseOverride and CheckURL let a
// command line refuse such flags first.
func New(cfg Config) *Invoker {
	i := &Invoker{
		creds:       cfg.AWS.Credentials,
		region:      cfg.AWS.Region,
		client:      cfg.HTTPClient,
		timeout:     cfg.Timeout,
		attempts:    cfg.Attempts,
		log:         cfg.Logger,
		signer:      v4.NewSigner(),
		resolver:    lambda.NewDefaultEndpointResolverV2(),
		overrides:   map[string]*url.URL{},
		overrideErr: map[string]error{},
	}
	if i.timeout <= 0 {
		i.timeout = DefaultTimeout
	}
	if i.attempts <= 0 {
		i.attempts = DefaultAttempts
	}
	if i.log == nil {
		i.log = slog.Default()
	}
	if i.client == nil {
		i.client = defaultClient()
	}
	if cfg.Endpoint != "" {
		i.endpoint, i.endpointErr = parseURL(cfg.Endpoint)
		if i.endpointErr != nil {
			i.log.Error("lambda endpoint is not usable", "endpoint", cfg.Endpoint, "err", i.endpointErr)
		}
	}
	for arn, raw := range cfg.Overrides {
		u, err := parseURL(raw)
		if err != nil {
			i.overrideErr[arn] = err
			i.log.Error("lambda override is not usable", "function", arn, "url", raw, "err", err)
			continue
		}
		i.overrides[arn] = u
	}
	return i
}

// defaultClient is the one client of all invocations: bounded connection set-up, no redirects
// (an Invoke endpoint does not redirect), and no overall timeout (each attempt has its own).
func defaultClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: DefaultTimeout, KeepAlive: 30 * time.Second}).DialContext,
			ForceAttemptHTTP2:     true,
			TLSHandshakeTimeout:   DefaultTimeout,
			MaxIdleConns:          64,
			MaxIdleConnsPerHost:   16,
			IdleConnTimeout:       90 * time.Second,
			ExpectContinueTimeout: time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// CheckURL reports whether raw can be an Endpoint or an override: an absolute http(s) URL.
func CheckURL(raw string) error {
	_, err := parseURL(raw)
	return err
}

// ParseOverride splits a --lambda-override value "ARN=URL" (at the first '=', which an ARN
// cannot contain) and checks the URL.
func ParseOverride(s string) (arn, rawURL string, err error) {
	arn, rawURL, ok := strings.Cut(s, "=")
	if !ok || arn == "" {
		return "", "", fmt.Errorf("lambda override %q is not ARN=URL", s)
	}
	if err := CheckURL(rawURL); err != nil {
		return "", "", err
	}
	return arn, rawURL, nil
}

func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an absolute http(s) URL", raw)
	}
	return u, nil
}

// Invoke sends event (any JSON-marshalable value) to the function and unmarshals its answer,
// which must be a JSON object, into out (nil: only checked). trigger is the LambdaConfig member
// name used in error texts ("CustomMessage", "PreSignUp", ...). Errors are *apierr.Error:
// UserLambdaValidationException when the function reports an error (not retried),
// UnexpectedLambdaException when every attempt timed out or failed to invoke, and
// InvalidLambdaResponseException when the answer is not an object or does not fit out.
func (i *Invoker) Invoke(ctx context.Context, trigger, functionARN string, event, out any) error {
	payload, err := json.Marshal(event)
	if err != nil {
		return fmt.Errorf("triggers: encoding the %s event: %w", trigger, err)
	}
	log := i.log.With("trigger", trigger, "function", functionARN)
	t, err := i.target(ctx, functionARN)
	if err != nil {
		log.Error("lambda trigger cannot be invoked", "err", err)
		return apierr.UnexpectedLambda(trigger, reasonUnreachable)
	}
	reason := reasonUnreachable
	for n := 1; n <= i.attempts; n++ {
		start := time.Now()
		r := i.attempt(ctx, t, payload)
		attrs := []any{"attempt", n, "duration", time.Since(start)}
		if r.status != 0 {
			attrs = append(attrs, "status", r.status)
		}
		switch r.kind {
		case answered:
			if err := decodeOutput(r.body, out); err != nil {
				log.Warn("lambda trigger answered with something that is not the event", append(attrs, "bytes", len(r.body), "err", err)...)
				return apierr.InvalidLambdaResponse()
			}
			log.Debug("lambda trigger answered", attrs...)
			return nil
		case functionError:
			// The function's own error type only: its message may repeat what it was sent.
			log.Info("lambda trigger reported an error", append(attrs, "errorType", r.errorType)...)
			return apierr.UserLambdaValidation(trigger, r.message)
		case tooLarge:
			log.Warn("lambda trigger answer is over the payload limit", append(attrs, "limit", MaxPayload)...)
			return apierr.InvalidLambdaResponse()
		}
		reason = r.reason
		log.Warn("lambda trigger attempt failed", append(attrs, "reason", r.reason, "err", r.err)...)
		if ctx.Err() != nil {
			break
		}
	}
	return apierr.UnexpectedLambda(trigger, reason)
}

// target is where one function's events go.
type target struct {
	url    *url.URL
	sign   bool
	region string
}

// target resolves functionARN: its override, else the Invoke URL at Endpoint or at AWS
// Lambda's endpoint in the ARN's region (Cognito calls the function in the pool's region, which
// the ARN names).
func (i *Invoker) target(ctx context.Context, functionARN string) (target, error) {
	if u, ok := i.overrides[functionARN]; ok {
		return target{url: u}, nil
	}
	if err, ok := i.overrideErr[functionARN]; ok {
		return target{}, err
	}
	region := arnRegion(functionARN)
	if region == "" {
		region = i.region
	}
	base := i.endpoint
	if i.endpointErr != nil {
		return target{}, i.endpointErr
	}
	if base == nil {
		if region == "" {
			return target{}, errors.New("no region: the function is not named by an ARN and no AWS region is configured")
		}
		ep, err := i.resolver.ResolveEndpoint(ctx, lambda.EndpointParameters{Region: aws.String(region)})
		if err != nil {
			return target{}, err
		}
		base = &ep.URI
	}
	if region == "" {
		region = "us-east-1" // an emulator's endpoint does not care; the signature needs one
	}
	prefix := strings.TrimSuffix(base.EscapedPath(), "/")
	rawPath := prefix + "/2015-03-31/functions/" + httpbinding.EscapePath(functionARN, true) + "/invocations"
	path, err := url.PathUnescape(rawPath)
	if err != nil {
		return target{}, err
	}
	u := *base
	u.Path, u.RawPath, u.RawQuery, u.Fragment = path, rawPath, "", ""
	return target{url: &u, sign: true, region: region}, nil
}

// arnRegion is the region of "arn:<partition>:lambda:<region>:<account>:function:<name>[:q]".
func arnRegion(s string) string {
	parts := strings.SplitN(s, ":", 5)
	if len(parts) == 5 && parts[0] == "arn" && parts[2] == "lambda" {
		return parts[3]
	}
	return ""
}

type outcomeKind int

const (
	failed        outcomeKind = iota // no answer: retried
	answered                         // 200: body is the function's output
	functionError                    // the function reported an error
	tooLarge                         // 200 with more than MaxPayload bytes
)

type outcome struct {
	kind      outcomeKind
	status    int
	body      []byte
	message   string // functionError: the function's errorMessage
	errorType string // functionError: the function's errorType (for the log)
	reason    string // failed: the text of UnexpectedLambdaException
	err       error  // failed: the cause, for the log
}

// attempt makes one invocation within the per-attempt timeout.
func (i *Invoker) attempt(ctx context.Context, t target, payload []byte) outcome {
	ctx, cancel := context.WithTimeout(ctx, i.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url.String(), bytes.NewReader(payload))
	if err != nil {
		return outcome{reason: reasonUnreachable, err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Amz-Invocation-Type", "RequestResponse")
	req.Header.Set("User-Agent", "cgip")
	if t.sign && i.creds != nil {
		creds, err := i.creds.Retrieve(ctx)
		if err != nil {
			return failure(err)
		}
		sum := sha256.Sum256(payload)
		if err := i.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "lambda", t.region, time.Now().UTC()); err != nil {
			return outcome{reason: reasonUnreachable, err: err}
		}
	}
	resp, err := i.client.Do(req)
	if err != nil {
		return failure(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxPayload+1))
	if err != nil {
		return failure(err)
	}
	if resp.StatusCode != http.StatusOK {
		return outcome{status: resp.StatusCode, reason: errorCode(resp, body),
			err: fmt.Errorf("HTTP status %d", resp.StatusCode)}
	}
	if len(body) > MaxPayload {
		return outcome{kind: tooLarge, status: resp.StatusCode}
	}
	if fe := resp.Header.Get("X-Amz-Function-Error"); fe != "" {
		o := functionFailure(body, fe)
		o.status = resp.StatusCode
		return o
	}
	if looksLikeFunctionError(body) {
		o := functionFailure(body, "Unhandled")
		o.status = resp.StatusCode
		return o
	}
	return outcome{kind: answered, status: resp.StatusCode, body: body}
}

// failure classifies a transport error: a timeout gets Cognito's words.
func failure(err error) outcome {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return outcome{reason: reasonTimeout, err: err}
	}
	return outcome{reason: reasonUnreachable, err: err}
}

// functionFailure reads Lambda's error payload {"errorMessage": ..., "errorType": ...}. The
// message is errorMessage, else errorType, else the X-Amz-Function-Error value.
func functionFailure(body []byte, header string) outcome {
	var p struct {
		ErrorMessage *string `json:"errorMessage"`
		ErrorType    string  `json:"errorType"`
	}
	_ = json.Unmarshal(body, &p)
	o := outcome{kind: functionError, errorType: p.ErrorType, message: header}
	switch {
	case p.ErrorMessage != nil:
		o.message = *p.ErrorMessage
	case p.ErrorType != "":
		o.message = p.ErrorType
	}
	if o.errorType == "" {
		o.errorType = header
	}
	return o
}

// looksLikeFunctionError recognises a function error answered without X-Amz-Function-Error,
// which is what the Lambda Runtime Interface Emulator does (200 and the error payload,
// aws/aws-lambda-runtime-interface-emulator#20): an object with string errorMessage and
// errorType and nothing of an event. No trigger's event has those members.
func looksLikeFunctionError(body []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return false
	}
	if _, ok := m["triggerSource"]; ok {
		return false
	}
	if _, ok := m["response"]; ok {
		return false
	}
	var msg, typ string
	return json.Unmarshal(m["errorMessage"], &msg) == nil && m["errorMessage"] != nil &&
		json.Unmarshal(m["errorType"], &typ) == nil && m["errorType"] != nil
}

var errorCodeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.]{0,127}$`)

// errorCode is the Lambda error code of a failed Invoke (AccessDeniedException,
// ResourceNotFoundException, TooManyRequestsException, ServiceException, ...): Cognito reports
// it as the reason ("PostConfirmation invocation failed due to error AccessDeniedException.").
// It is read from X-Amzn-ErrorType, else the body's __type or code; an answer without one (an
// emulator's) gets "HTTP status <n>" (ours).
func errorCode(resp *http.Response, body []byte) string {
	code, _, _ := strings.Cut(resp.Header.Get("X-Amzn-Errortype"), ":")
	if code == "" {
		var b struct {
			Type string `json:"__type"`
			Code string `json:"code"`
		}
		if json.Unmarshal(body, &b) == nil {
			code = b.Type
			if i := strings.LastIndexByte(code, '#'); i >= 0 {
				code = code[i+1:]
			}
			if code == "" {
				code = b.Code
			}
		}
	}
	code = strings.TrimSpace(code)
	if !errorCodeRE.MatchString(code) {
		return "HTTP status " + strconv.Itoa(resp.StatusCode)
	}
	return code
}

// decodeOutput checks that the answer is a JSON object and unmarshals it into out.
func decodeOutput(body []byte, out any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return errors.New("not a JSON object")
	}
	if out == nil {
		if !json.Valid(body) {
			return errors.New("not JSON")
		}
		return nil
	}
	return json.Unmarshal(body, out)
}
