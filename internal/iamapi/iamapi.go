package iamapi

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cgip/cgip/internal/iam"
	"github.com/cgip/cgip/internal/principals"
	"github.com/cgip/cgip/internal/sigv4"
)

// XML namespaces of the two APIs' responses.
const (
	iamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"
	stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"
)

// maxBody bounds a request (IAM's largest input, a role policy, is 10 KiB of JSON encoded).
const maxBody = 1 << 20

// Config wires the handler.
type Config struct {
	Principals *principals.Service
	// Dev accepts any credentials, acting as the root of DevAccountID (as cognito-idp does).
	Dev          bool
	DevAccountID string
	Logger       *slog.Logger
}

// Handler is an http.Handler for IAM and STS Query requests.
type Handler struct {
	cfg     Config
	actions map[string]action
}

// action is one IAM or STS action: it reads the form and returns the Result element's
// content (nil for actions that answer only ResponseMetadata).
type action struct {
	sts bool
	run func(ctx context.Context, p *iam.Principal, f url.Values) (any, error)
}

func New(cfg Config) *Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	h := &Handler{cfg: cfg, actions: map[string]action{}}
	registerIAM(h, cfg.Principals)
	registerSTS(h, cfg.Principals)
	return h
}

// Accepts tells Query requests (a form body, or a GET with Action in the query) from the AWS
// JSON requests that share the port.
func Accepts(r *http.Request) bool {
	if r.Header.Get("X-Amz-Target") != "" {
		return false
	}
	if r.Method == http.MethodGet {
		return r.URL.Query().Has("Action")
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return r.Method == http.MethodPost && mt == "application/x-www-form-urlencoded"
}

// Actions lists the action names served, IAM's then STS's, for the README.
func (h *Handler) Actions() (iamActions, stsActions []string) {
	for name, a := range h.actions {
		if a.sts {
			stsActions = append(stsActions, name)
		} else {
			iamActions = append(iamActions, name)
		}
	}
	return iamActions, stsActions
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	requestID := uuid.NewString()
	w.Header().Set("x-amzn-RequestId", requestID)
	name, ns, err := h.serve(w, r, requestID)
	code := ""
	if err != nil {
		e := h.toError(r.Context(), name, requestID, err)
		code = e.Code
		writeError(w, ns, requestID, e)
	}
	h.cfg.Logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("request_id", requestID),
		slog.String("operation", name),
		slog.String("error", code),
		slog.Float64("latency_ms", float64(time.Since(start).Microseconds())/1000))
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request, requestID string) (string, string, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return "", iamNamespace, err
	}
	if len(body) > maxBody {
		return "", iamNamespace, &principals.Error{Code: "ValidationError", Status: 400, Message: "Request body is too large"}
	}
	form, err := url.ParseQuery(string(body))
	if r.Method == http.MethodGet {
		form, err = url.ParseQuery(r.URL.RawQuery)
	}
	if err != nil {
		return "", iamNamespace, &principals.Error{Code: "MalformedQueryString", Status: 400, Message: "The query string is malformed."}
	}
	name := form.Get("Action")
	a, ok := h.actions[name]
	ns, service := iamNamespace, "iam"
	if ok && a.sts {
		ns, service = stsNamespace, "sts"
	}
	if !ok {
		version := form.Get("Version")
		if version == "" {
			version = "2010-05-08"
		}
		return name, ns, &principals.Error{Code: "InvalidAction", Status: 400,
			Message: "Could not find operation " + name + " for version " + version}
	}
	p, err := h.authenticate(r, body, service)
	if err != nil {
		return name, ns, err
	}
	result, err := a.run(r.Context(), p, form)
	if err != nil {
		return name, ns, err
	}
	writeResponse(w, ns, name, requestID, result)
	return name, ns, nil
}

func (h *Handler) authenticate(r *http.Request, body []byte, service string) (*iam.Principal, error) {
	if h.cfg.Dev {
		auth, _ := sigv4.Parse(r)
		key := ""
		if auth != nil {
			key = auth.AccessKeyID
		}
		return iam.RootPrincipal(h.cfg.DevAccountID, key), nil
	}
	p, _, err := h.cfg.Principals.Authenticate(r, body, service)
	return p, err
}

// toError renders err and logs the unexpected ones.
func (h *Handler) toError(ctx context.Context, action, requestID string, err error) *principals.Error {
	e, known := queryError(err)
	if !known {
		h.cfg.Logger.LogAttrs(ctx, slog.LevelError, "internal error",
			slog.String("request_id", requestID), slog.String("operation", action), slog.String("error", err.Error()))
	}
	return e
}

// queryError maps authentication failures to the Query protocol's codes (IAM API reference,
// "Common Errors"); anything unexpected becomes ServiceFailure and known is false.
func queryError(err error) (e *principals.Error, known bool) {
	var pe *principals.Error
	var se *sigv4.Error
	switch {
	case errors.As(err, &pe):
		return pe, true
	case errors.As(err, &se):
		switch se.Code {
		case sigv4.CodeIncompleteSignature:
			return &principals.Error{Code: "IncompleteSignature", Status: 400, Message: se.Message}, true
		case sigv4.CodeMissingAuthenticationToken:
			return &principals.Error{Code: "MissingAuthenticationToken", Status: 403, Message: se.Message}, true
		case sigv4.CodeAccessDenied:
			return &principals.Error{Code: "AccessDenied", Status: 403, Message: se.Message}, true
		}
		return &principals.Error{Code: "SignatureDoesNotMatch", Status: 403, Message: se.Message}, true
	case errors.Is(err, principals.ErrMissingAuthentication):
		return &principals.Error{Code: "MissingAuthenticationToken", Status: 403, Message: "Request is missing Authentication Token"}, true
	case errors.Is(err, principals.ErrUnknownAccessKey):
		return &principals.Error{Code: "InvalidClientTokenId", Status: 403, Message: "The security token included in the request is invalid."}, true
	case errors.Is(err, principals.ErrExpiredToken):
		return &principals.Error{Code: "ExpiredToken", Status: 400, Message: "The security token included in the request is expired"}, true
	}
	return &principals.Error{Code: "ServiceFailure", Status: 500,
		Message: "Request processing has failed due to some unknown error, exception or failure."}, false
}

type responseMetadata struct {
	RequestID string `xml:"RequestId"`
}

func writeResponse(w http.ResponseWriter, ns, action, requestID string, result any) {
	w.Header().Set("Content-Type", "text/xml")
	var b strings.Builder
	enc := xml.NewEncoder(&b)
	root := xml.StartElement{Name: xml.Name{Local: action + "Response"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: ns}}}
	_ = enc.EncodeToken(root)
	if result != nil {
		_ = enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}})
	}
	_ = enc.EncodeElement(responseMetadata{requestID}, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}})
	_ = enc.EncodeToken(root.End())
	_ = enc.Flush()
	_, _ = io.WriteString(w, b.String())
}

type errorResponse struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Namespace string   `xml:"xmlns,attr"`
	Error     struct {
		Type    string
		Code    string
		Message string
	}
	RequestID string `xml:"RequestId"`
}

func writeError(w http.ResponseWriter, ns, requestID string, e *principals.Error) {
	var out errorResponse
	out.Namespace, out.RequestID = ns, requestID
	out.Error.Type, out.Error.Code, out.Error.Message = "Sender", e.Code, e.Message
	if e.Status >= 500 {
		out.Error.Type = "Receiver"
	}
	b, _ := xml.Marshal(out)
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(e.Status)
	_, _ = w.Write(b)
}

// isoTime is how IAM and STS write dates.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
