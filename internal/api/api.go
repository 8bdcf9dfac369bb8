package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"sort"
	"time"

	"github.com/google/uuid"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/awsjson"
	"github.com/cgip/cgip/internal/iam"
	"github.com/cgip/cgip/internal/model"
	"github.com/cgip/cgip/internal/principals"
	"github.com/cgip/cgip/internal/sigv4"
	"github.com/cgip/cgip/internal/userpool"
)

// Service is the SigV4 service name cognito-idp requests are signed for.
const Service = "cognito-idp"

// Authenticator verifies a request's SigV4 signature for a service and says who signed it.
// Errors: *sigv4.Error and the principals.Err* sentinels (rendered by authError), or any other
// failure.
type Authenticator interface {
	Authenticate(r *http.Request, body []byte, service string) (*iam.Principal, *sigv4.Auth, error)
}

// ResourceTagger returns a pool's tags for aws:ResourceTag conditions.
type ResourceTagger interface {
	ResourceTags(ctx context.Context, region, accountID, poolID string) (map[string]string, error)
}

// Config wires the pipeline.
type Config struct {
	// Dev accepts any credentials without checking signatures, as moto and LocalStack do.
	Dev bool
	// DevAccountID is the account dev-mode callers act as.
	DevAccountID  string
	DefaultRegion string
	Authenticator Authenticator
	Authorizer    iam.Authorizer
	// Tags supplies pools' tags for aws:ResourceTag conditions.
	Tags   ResourceTagger
	Logger *slog.Logger
	Now    func() time.Time
	// CORSOrigin is the Access-Control-Allow-Origin value ("*" by default).
	CORSOrigin string
}

// API is the registry plus the pipeline; it is an http.Handler for `POST /`.
type API struct {
	cfg Config
	ops map[string]*operation
}

type operation struct {
	info model.Operation
	// newInput returns a pointer to a fresh input value.
	newInput func() any
	call     func(ctx context.Context, in any) (any, error)
	// resourceField is the index path of the input's UserPoolId (or ResourceArn) field, if any.
	poolIDField, resourceArnField []int
}

func New(cfg Config, pools *userpool.Service) *API {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.CORSOrigin == "" {
		cfg.CORSOrigin = "*"
	}
	if cfg.Authorizer == nil {
		cfg.Authorizer = iam.RootOnly{}
	}
	a := &API{cfg: cfg, ops: map[string]*operation{}}
	registerUserPools(a, pools)
	registerClients(a, pools)
	registerTags(a, pools)
	registerUsers(a, pools)
	registerGroups(a, pools)
	registerReset(a, pools)
	registerAuth(a, pools)
	registerSelfService(a, pools)
	return a
}

// Register adds an operation whose handler returns an output.
func Register[In, Out any](a *API, name string, h func(context.Context, *In) (*Out, error)) {
	a.add(name, reflect.TypeFor[In](), reflect.TypeFor[Out](), func() any { return new(In) },
		func(ctx context.Context, in any) (any, error) {
			out, err := h(ctx, in.(*In))
			if err != nil || out == nil {
				return nil, err
			}
			return out, nil
		})
}

// RegisterNoOutput adds an operation that answers `{}`.
func RegisterNoOutput[In any](a *API, name string, h func(context.Context, *In) error) {
	a.add(name, reflect.TypeFor[In](), nil, func() any { return new(In) },
		func(ctx context.Context, in any) (any, error) { return nil, h(ctx, in.(*In)) })
}

func (a *API) add(name string, inType, outType reflect.Type, newInput func() any, call func(context.Context, any) (any, error)) {
	info, ok := model.LookupOperation(name)
	if !ok {
		panic("api: " + name + " is not a cognito-idp operation")
	}
	if inType.Name() != info.InputShape {
		panic(fmt.Sprintf("api: %s takes %s, not %s", name, info.InputShape, inType.Name()))
	}
	switch {
	case outType != nil && outType.Name() != info.OutputShape:
		panic(fmt.Sprintf("api: %s returns %s, not %s", name, info.OutputShape, outType.Name()))
	case outType == nil && info.OutputShape != "":
		panic(fmt.Sprintf("api: %s returns %s; register it with Register", name, info.OutputShape))
	}
	if _, dup := a.ops[name]; dup {
		panic("api: " + name + " registered twice")
	}
	op := &operation{info: info, newInput: newInput, call: call}
	if f, ok := inType.FieldByName("UserPoolId"); ok {
		op.poolIDField = f.Index
	}
	if f, ok := inType.FieldByName("ResourceArn"); ok {
		op.resourceArnField = f.Index
	}
	a.ops[name] = op
}

// Implemented lists the registered operations, sorted: the README's table comes from here.
func (a *API) Implemented() []model.Operation {
	out := make([]model.Operation, 0, len(a.ops))
	for _, op := range a.ops {
		out = append(out, op.info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := a.cfg.Now()
	rw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	caller := &Caller{RequestID: uuid.NewString(), UserAgent: r.UserAgent()}
	awsjson.SetRequestID(rw, caller.RequestID)
	a.cors(rw, r)

	if r.Method == http.MethodOptions { // CORS preflight
		rw.WriteHeader(http.StatusOK)
		return
	}
	err := a.serve(rw, r, caller)
	if err != nil {
		ae := a.toAPIError(r.Context(), caller, err)
		rw.errorCode = ae.Code
		awsjson.WriteError(rw, ae)
	}
	a.cfg.Logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("request_id", caller.RequestID),
		slog.String("operation", caller.Operation),
		slog.Int("status", rw.status),
		slog.String("error", rw.errorCode),
		slog.Float64("latency_ms", float64(a.cfg.Now().Sub(start).Microseconds())/1000))
}

func (a *API) serve(w http.ResponseWriter, r *http.Request, caller *Caller) error {
	if r.Method != http.MethodPost {
		return apierr.UnknownOperation()
	}
	name, err := awsjson.Operation(r)
	if err != nil {
		return err
	}
	caller.Operation = name
	op := a.ops[name]
	if op == nil {
		if _, known := model.LookupOperation(name); known {
			return apierr.NotImplemented(name)
		}
		return apierr.UnknownOperation()
	}
	body, err := awsjson.ReadBody(r)
	if err != nil {
		return err
	}
	if err := a.authenticate(r, body, op, caller); err != nil {
		return err
	}
	in := op.newInput()
	if err := awsjson.Decode(body, in); err != nil {
		return err
	}
	if err := a.authorize(r.Context(), op, caller, in); err != nil {
		return err
	}
	if v, ok := in.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	ctx := withCaller(r.Context(), caller)
	sc := userpool.Scope{UserAgent: caller.UserAgent}
	if caller.Principal != nil {
		sc.Region, sc.AccountID = caller.Region, caller.Principal.AccountID
	}
	ctx = userpool.WithScope(ctx, sc)
	out, err := op.call(ctx, in)
	if err != nil {
		return err
	}
	return awsjson.WriteJSON(w, out)
}

// authenticate verifies SigV4 for IAM operations. Public operations accept signed or unsigned
// requests and never check credentials; a signature on them only tells the region.
func (a *API) authenticate(r *http.Request, body []byte, op *operation, caller *Caller) error {
	public := op.info.Auth != model.AuthSigV4
	if public {
		if auth, err := sigv4.Parse(r); err == nil && auth != nil {
			caller.Region = auth.Region
		}
		return nil
	}
	if a.cfg.Dev {
		auth, err := sigv4.Parse(r)
		caller.Region = a.cfg.DefaultRegion
		accessKey := ""
		if err == nil && auth != nil {
			caller.Region, accessKey = auth.Region, auth.AccessKeyID
		}
		caller.Principal = iam.RootPrincipal(a.cfg.DevAccountID, accessKey)
		return nil
	}
	principal, auth, err := a.cfg.Authenticator.Authenticate(r, body, Service)
	if err != nil {
		return authError(err)
	}
	caller.Region = auth.Region
	caller.Principal = principal
	caller.SourceIP, _, _ = net.SplitHostPort(r.RemoteAddr)
	caller.SecureTransport = r.TLS != nil
	return nil
}

// authError renders an authentication failure as the AWS JSON protocol does.
func authError(err error) error {
	switch {
	case errors.Is(err, principals.ErrMissingAuthentication):
		return apierr.MissingAuthenticationToken()
	case errors.Is(err, principals.ErrUnknownAccessKey):
		return apierr.UnrecognizedClient()
	case errors.Is(err, principals.ErrExpiredToken):
		return apierr.ExpiredToken()
	}
	return sigError(err)
}

func sigError(err error) error {
	var se *sigv4.Error
	if errors.As(err, &se) {
		return apierr.Signature(se.Code, se.Message)
	}
	return err
}

// authorize asks IAM whether the principal may call the operation on the pool it names.
func (a *API) authorize(ctx context.Context, op *operation, caller *Caller, in any) error {
	if caller.Principal == nil {
		return nil // public operation
	}
	action := "cognito-idp:" + op.info.Name
	resource := a.resource(op, caller, in)
	if !caller.Principal.Root {
		cond, err := a.conditionContext(ctx, op, caller, in)
		if err != nil {
			return err
		}
		ctx = iam.WithConditionContext(ctx, cond)
	}
	decision, err := a.cfg.Authorizer.Authorize(ctx, caller.Principal, action, resource)
	if err != nil {
		return err
	}
	if decision == iam.Allow {
		return nil
	}
	return apierr.AccessDenied("%s", iam.DenialMessage(caller.Principal.ARN, action, resource, decision))
}

func (a *API) resource(op *operation, caller *Caller, in any) string {
	if id := inputString(in, op.poolIDField); id != nil {
		return userpool.PoolARN(caller.Region, caller.Principal.AccountID, *id)
	}
	if arn := inputString(in, op.resourceArnField); arn != nil {
		return *arn
	}
	return "*"
}

// inputString reads the *string field at index path idx of the input in (nil without one).
func inputString(in any, idx []int) *string {
	if idx == nil {
		return nil
	}
	s, _ := reflect.ValueOf(in).Elem().FieldByIndex(idx).Interface().(*string)
	return s
}

// toAPIError turns any handler error into what the client sees; unexpected errors are logged
// with the request id and answered with a fixed InternalErrorException.
func (a *API) toAPIError(ctx context.Context, caller *Caller, err error) *apierr.Error {
	var ae *apierr.Error
	if errors.As(err, &ae) {
		return ae
	}
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return apierr.InvalidParameter("%s", ve.Error())
	}
	a.cfg.Logger.LogAttrs(ctx, slog.LevelError, "internal error",
		slog.String("request_id", caller.RequestID),
		slog.String("operation", caller.Operation),
		slog.String("error", err.Error()))
	return apierr.InternalError()
}

// cors mirrors what the real endpoint sends so that browser SDKs (Amplify) can call cgip.
func (a *API) cors(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", a.cfg.CORSOrigin)
	h.Set("Access-Control-Expose-Headers", "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date")
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
		if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
			h.Set("Access-Control-Allow-Headers", req)
		} else {
			h.Set("Access-Control-Allow-Headers", "authorization, content-type, x-amz-target, x-amz-date, x-amz-security-token, x-amz-user-agent, amz-sdk-invocation-id, amz-sdk-request")
		}
		h.Set("Access-Control-Max-Age", "86400")
	}
}

type statusWriter struct {
	http.ResponseWriter
	status    int
	errorCode string
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
