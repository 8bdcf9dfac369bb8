package triggers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/sigv4"
)

const (
	testARN    = "arn:aws:lambda:eu-west-1:123456789012:function:custom-message"
	testSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	invokePath = "/2015-03-31/functions/" + testARN + "/invocations"
	// what the event must not leak into logs
	metaKey   = "campaign-key-7f3a"
	metaValue = "metadata-secret-91c2"
)

// fakeLambda is an httptest server speaking the Lambda Invoke API. It checks the path and, when
// signed, the SigV4 signature (service lambda, the ARN's region), records each event and answers
// with handle.
type fakeLambda struct {
	t      *testing.T
	srv    *httptest.Server
	calls  atomic.Int32
	signed bool   // require a valid signature
	path   string // expected r.URL.Path

	mu     sync.Mutex
	events [][]byte
	handle func(w http.ResponseWriter, r *http.Request, event []byte)
}

func newFakeLambda(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, event []byte)) *fakeLambda {
	f := &fakeLambda{t: t, handle: handle, signed: true, path: invokePath}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeLambda) serve(w http.ResponseWriter, r *http.Request) {
	f.calls.Add(1)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		f.t.Errorf("reading the event: %v", err)
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != f.path {
		f.t.Errorf("request %s %s, want POST %s", r.Method, r.URL.Path, f.path)
	}
	if f.signed {
		if want := "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Acustom-message/invocations"; r.URL.EscapedPath() != want {
			f.t.Errorf("escaped path %s, want %s", r.URL.EscapedPath(), want)
		}
		a, err := sigv4.Parse(r)
		if err != nil {
			f.t.Errorf("Authorization: %v", err)
		} else {
			if err := sigv4.Verify(r, body, a, testSecret, time.Now()); err != nil {
				f.t.Errorf("signature: %v", err)
			}
			if err := sigv4.CheckScope(a, "lambda"); err != nil {
				f.t.Errorf("scope: %v", err)
			}
			if err := sigv4.CheckRegion(a, "eu-west-1"); err != nil {
				f.t.Errorf("region: %v", err)
			}
		}
	} else if r.Header.Get("Authorization") != "" {
		f.t.Errorf("override request is signed: %s", r.Header.Get("Authorization"))
	}
	f.mu.Lock()
	f.events = append(f.events, body)
	f.mu.Unlock()
	f.handle(w, r, body)
}

func (f *fakeLambda) lastEvent() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.events) == 0 {
		f.t.Fatal("the function was not invoked")
	}
	return f.events[len(f.events)-1]
}

// answer echoes the event after modify changes it, as a trigger function does.
func answer(modify func(ev map[string]any)) func(http.ResponseWriter, *http.Request, []byte) {
	return func(w http.ResponseWriter, _ *http.Request, event []byte) {
		var ev map[string]any
		if err := json.Unmarshal(event, &ev); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		modify(ev)
		_ = json.NewEncoder(w).Encode(ev)
	}
}

func setResponse(fields map[string]any) func(ev map[string]any) {
	return func(ev map[string]any) {
		resp := ev["response"].(map[string]any)
		for k, v := range fields {
			resp[k] = v
		}
	}
}

func raw(status int, header map[string]string, body string) func(http.ResponseWriter, *http.Request, []byte) {
	return func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newInvoker(t *testing.T, endpoint string, mod func(*Config)) (*Invoker, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	cfg := Config{
		Endpoint: endpoint,
		AWS: aws.Config{
			Region:      "us-east-1", // not the ARN's: the ARN's region must win
			Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", testSecret, ""),
		},
		Timeout: 2 * time.Second,
		Logger:  slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if mod != nil {
		mod(&cfg)
	}
	return New(cfg), logs
}

func testHeader() Header {
	return Header{Region: "eu-west-1", UserPoolID: "eu-west-1_AbCdEf123", UserName: "alice",
		TriggerSource: "CustomMessage_ForgotPassword",
		Caller:        Caller{AwsSdkVersion: "aws-sdk-go-v2-1.48.0", ClientID: "3n4b5urk1ft4fl3mg5e62d9ado"}}
}

func testRequest() CustomMessageRequest {
	return CustomMessageRequest{
		UserAttributes: map[string]string{"sub": "5f1c1d9e-1111-2222-3333-444455556666", "cognito:user_status": "CONFIRMED",
			"email": "alice@example.com", "email_verified": "true"},
		ClientMetadata: map[string]string{metaKey: metaValue},
	}
}

// apiErr asserts err is the Cognito exception code with the message text.
func apiErr(t *testing.T, err error, code, text string) {
	t.Helper()
	var e *apierr.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T), want %s %q", err, err, code, text)
	}
	if e.Code != code || e.Message != text || e.Status != http.StatusBadRequest {
		t.Fatalf("error %d %s %q\nwant 400 %s %q", e.Status, e.Code, e.Message, code, text)
	}
}

func TestCustomMessageSuccess(t *testing.T) {
	f := newFakeLambda(t, answer(setResponse(map[string]any{
		"emailSubject": "Reset your password",
		"emailMessage": "Hello alice, your code is {####}.",
		"smsMessage":   "Code: {####}",
	})))
	inv, _ := newInvoker(t, f.srv.URL, nil)
	resp, err := inv.CustomMessage(context.Background(), testARN, testHeader(), testRequest())
	if err != nil {
		t.Fatal(err)
	}
	if *resp.EmailSubject != "Reset your password" || *resp.EmailMessage != "Hello alice, your code is {####}." || *resp.SMSMessage != "Code: {####}" {
		t.Fatalf("response %q %q %q", *resp.EmailSubject, *resp.EmailMessage, *resp.SMSMessage)
	}
	if n := f.calls.Load(); n != 1 {
		t.Fatalf("%d calls, want 1", n)
	}

	// What we sent is what aws-lambda-go's handlers decode.
	var ev events.CognitoEventUserPoolsCustomMessage
	if err := json.Unmarshal(f.lastEvent(), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Version != "1" || ev.TriggerSource != "CustomMessage_ForgotPassword" || ev.Region != "eu-west-1" ||
		ev.UserPoolID != "eu-west-1_AbCdEf123" || ev.UserName != "alice" {
		t.Errorf("header %+v", ev.CognitoEventUserPoolsHeader)
	}
	if ev.CallerContext.AWSSDKVersion != "aws-sdk-go-v2-1.48.0" || ev.CallerContext.ClientID != "3n4b5urk1ft4fl3mg5e62d9ado" {
		t.Errorf("callerContext %+v", ev.CallerContext)
	}
	if ev.Request.CodeParameter != "{####}" || ev.Request.UsernameParameter != "" ||
		ev.Request.ClientMetadata[metaKey] != metaValue || len(ev.Request.ClientMetadata) != 1 {
		t.Errorf("request %+v", ev.Request)
	}
	if ev.Request.UserAttributes["sub"] != "5f1c1d9e-1111-2222-3333-444455556666" || ev.Request.UserAttributes["cognito:user_status"] != "CONFIRMED" ||
		ev.Request.UserAttributes["email_verified"] != "true" {
		t.Errorf("userAttributes %v", ev.Request.UserAttributes)
	}
	if ev.Response != (events.CognitoEventUserPoolsCustomMessageResponse{}) {
		t.Errorf("response %+v, want empty", ev.Response)
	}
}

// TestCustomMessageEventBytes pins the event exactly: member order, nulls, linkParameter, and
// CLIENT_ID_NOT_APPLICABLE for an admin operation without ClientMetadata.
func TestCustomMessageEventBytes(t *testing.T) {
	f := newFakeLambda(t, answer(func(map[string]any) {}))
	inv, _ := newInvoker(t, f.srv.URL, nil)
	h := testHeader()
	h.Caller.ClientID = ""
	req := CustomMessageRequest{UserAttributes: map[string]string{"sub": "s-1", "cognito:user_status": "CONFIRMED"}}
	resp, err := inv.CustomMessage(context.Background(), testARN, h, req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.EmailMessage != nil || resp.EmailSubject != nil || resp.SMSMessage != nil {
		t.Fatalf("unchanged event gave %+v, want all nil", resp)
	}
	want := `{"version":"1","region":"eu-west-1","userPoolId":"eu-west-1_AbCdEf123","userName":"alice",` +
		`"callerContext":{"awsSdkVersion":"aws-sdk-go-v2-1.48.0","clientId":"CLIENT_ID_NOT_APPLICABLE"},` +
		`"triggerSource":"CustomMessage_ForgotPassword",` +
		`"request":{"userAttributes":{"cognito:user_status":"CONFIRMED","sub":"s-1"},"codeParameter":"{####}",` +
		`"linkParameter":"{##Click Here##}","usernameParameter":null},` +
		`"response":{"smsMessage":null,"emailMessage":null,"emailSubject":null}}`
	if got := string(f.lastEvent()); got != want {
		t.Fatalf("event\n%s\nwant\n%s", got, want)
	}

	// AdminCreateUser's usernameParameter, and an empty attribute map stays an object.
	req = CustomMessageRequest{UsernameParameter: aws.String(UsernameParameter)}
	if _, err := inv.CustomMessage(context.Background(), testARN, h, req); err != nil {
		t.Fatal(err)
	}
	if got := string(f.lastEvent()); !strings.Contains(got, `"request":{"userAttributes":{},"codeParameter":"{####}","linkParameter":"{##Click Here##}","usernameParameter":"{username}"}`) {
		t.Fatalf("event %s", got)
	}
}

func TestFunctionErrorIsNotRetried(t *testing.T) {
	f := newFakeLambda(t, raw(http.StatusOK, map[string]string{"X-Amz-Function-Error": "Unhandled"},
		`{"errorMessage":"no messages for `+metaValue+` today","errorType":"Error","trace":["Error: no","    at handler (/var/task/index.js:1:1)"]}`))
	inv, logs := newInvoker(t, f.srv.URL, nil)
	_, err := inv.CustomMessage(context.Background(), testARN, testHeader(), testRequest())
	apiErr(t, err, "UserLambdaValidationException", "CustomMessage failed with error no messages for "+metaValue+" today.")
	if n := f.calls.Load(); n != 1 {
		t.Fatalf("%d calls, want exactly 1", n)
	}
	if strings.Contains(logs.String(), metaValue) {
		t.Fatalf("the function's message (which may echo ClientMetadata) was logged:\n%s", logs)
	}
}

func TestTimeoutIsRetriedThenUnexpected(t *testing.T) {
	f := newFakeLambda(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		select {
		case <-r.Context().Done():
		case <-time.After(3 * time.Second):
		}
	})
	inv, logs := newInvoker(t, f.srv.URL, func(c *Config) { c.Timeout = 100 * time.Millisecond })
	start := time.Now()
	_, err := inv.CustomMessage(context.Background(), testARN, testHeader(), testRequest())
	apiErr(t, err, "UnexpectedLambdaException", "CustomMessage invocation failed due to error Socket timeout while invoking Lambda function.")
	if n := f.calls.Load(); n != 3 {
		t.Fatalf("%d calls, want 3", n)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %v: attempts are not bounded by Timeout", d)
	}
	if strings.Count(logs.String(), "lambda trigger attempt failed") != 3 {
		t.Fatalf("want one log record per failed attempt:\n%s", logs)
	}
}

func TestAttemptsAndTimeoutDefaults(t *testing.T) {
	inv := New(Config{})
	if inv.timeout != 5*time.Second || inv.attempts != 3 {
		t.Fatalf("defaults %v, %d; want 5s, 3", inv.timeout, inv.attempts)
	}
}

func TestServiceErrorsAreRetried(t *testing.T) {
	cases := []struct {
		name   string
		status int
		header map[string]string
		body   string
		reason string
	}{
		{"ServiceException", 500, map[string]string{"X-Amzn-ErrorType": "ServiceException:http://internal.amazon.com/coral/com.amazonaws.awslambda/"},
			`{"Type":"Service","Message":"internal"}`, "ServiceException"},
		{"TooManyRequests", 429, map[string]string{"X-Amzn-ErrorType": "TooManyRequestsException"},
			`{"Type":"User","message":"Rate Exceeded.","Reason":"ReservedFunctionConcurrentInvocationLimitExceeded"}`, "TooManyRequestsException"},
		{"AccessDenied", 403, map[string]string{"X-Amzn-ErrorType": "AccessDeniedException"},
			`{"Message":"User: anonymous is not authorized to perform: lambda:InvokeFunction"}`, "AccessDeniedException"},
		{"typeInBody", 404, nil, `{"__type":"com.amazonaws.awslambda#ResourceNotFoundException","message":"Function not found"}`, "ResourceNotFoundException"},
		{"emulator", 502, nil, "Bad Gateway", "HTTP status 502"},
		{"garbageHeader", 500, map[string]string{"X-Amzn-ErrorType": "<script>alert(1)</script>"}, "", "HTTP status 500"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeLambda(t, raw(c.status, c.header, c.body))
			inv, _ := newInvoker(t, f.srv.URL, nil)
			_, err := inv.CustomMessage(context.Background(), testARN, testHeader(), testRequest())
			apiErr(t, err, "UnexpectedLambdaException", "CustomMessage invocation failed due to error "+c.reason+".")
			if n := f.calls.Load(); n != 3 {
				t.Fatalf("%d calls, want 3", n)
			}
		})
	}
}

func TestRetryThenSuccess(t *testing.T) {
	var n atomic.Int32
	ok := answer(setResponse(map[string]any{"emailMessage": "Code {####} inside"}))
	f := newFakeLambda(t, func(w http.ResponseWriter, r *http.Request, ev []byte) {
		if n.Add(1) < 3 {
			raw(500, map[string]string{"X-Amzn-ErrorType": "ServiceException"}, "{}")(w, r, ev)
			return
		}
		ok(w, r, ev)
	})
	inv, _ := newInvoker(t, f.srv.URL, nil)
	resp, err := inv.CustomMessage(context.Background(), testARN, testHeader(), testRequest())
	if err != nil {
		t.Fatal(err)
	}
	if *resp.EmailMessage != "Code {####} inside" || f.calls.Load() != 3 {
		t.Fatalf("%q after %d calls", *resp.EmailMessage, f.calls.Load())
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	inv, logs := newInvoker(t, url, nil)
	_, err := inv.CustomMessage(context.Background(), testARN, testHeader(), testRequest())
	apiErr(t, err, "UnexpectedLambdaException", "CustomMessage invocation failed due to error Unable to execute HTTP request.")
	if !strings.Contains(logs.String(), "connection refused") && !strings.Contains(logs.String(), "connect:") {
		t.Fatalf("the cause is not in the log:\n%s", logs)
	}
}

func TestUnrecognizableOutput(t *testing.T) {
	for name, body := range map[string]string{
		"string":            `"hello"`,
		"array":             `[]`,
		"not JSON":          `this is not JSON`,
		"truncated":         `{"version":"1","response":{`,
		"null":              `null`,
		"empty":             ``,
		"no response":       `{"version":"1","triggerSource":"CustomMessage_ForgotPassword"}`,
		"null response":     `{"response":null}`,
		"string response":   `{"response":"ok"}`,
		"number message":    `{"response":{"emailMessage":5}}`,
		"error-like output": `{"errorMessage":"x","errorType":"y","response":null}`,
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeLambda(t, raw(http.StatusOK, nil, body))
			inv, _ := newInvoker(t, f.srv.URL, nil)
			_, err := inv.CustomMessage(context.Background(), testARN, testHeader(), testRequest())
			apiErr(t, err, "InvalidLambdaResponseException", "Unrecognizable lambda output")
			if n := f.calls.Load(); n != 1 {
				t.Fatalf("%d calls, want 1", n)
			}
		})
	}
}

func TestOversizedOutput(t *testing.T) {
	big := `{"response":{"emailMessage":"` + strings.Repeat("a", MaxPayload) + `"}}`
	f := newFakeLambda(t, raw(http.StatusOK, nil, big))
	inv, _ := newInvoker(t, f.srv.URL, nil)
	_, err := inv.CustomMessage(context.Background(), testARN, testHeader(), testRequest())
	apiErr(t, err, "InvalidLambdaResponseException", "Unrecognizable lambda output")
}

const (
	emailPattern = `[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*`
	smsPattern   = `.*\{####\}.*`
)

func TestMessageValidation(t *testing.T) {
	cases := []struct {
		name   string
		fields map[string]any
		want   string // "" = accepted
	}{
		{"email without placeholder", map[string]any{"emailMessage": "Hello there, reset now"},
			"1 validation error detected: Value 'Hello there, reset now' at 'emailBody' failed to satisfy constraint: Member must satisfy regular expression pattern: " + emailPattern},
		{"sms without placeholder", map[string]any{"smsMessage": "Your code is here"},
			"1 validation error detected: Value 'Your code is here' at 'smsMessage' failed to satisfy constraint: Member must satisfy regular expression pattern: " + smsPattern},
		{"short email", map[string]any{"emailMessage": "Foo"},
			"2 validation errors detected: Value 'Foo' at 'emailBody' failed to satisfy constraint: Member must satisfy regular expression pattern: " + emailPattern +
				"; Value 'Foo' at 'emailBody' failed to satisfy constraint: Member must have length greater than or equal to 6"},
		{"no-break space is not Java's \\s", map[string]any{"emailMessage": "<p>\u00a0</p><p>Code {####}</p>"},
			"1 validation error detected: Value '<p>\u00a0</p><p>Code {####}</p>' at 'emailBody' failed to satisfy constraint: Member must satisfy regular expression pattern: " + emailPattern},
		{"long sms", map[string]any{"smsMessage": "{####}" + strings.Repeat("x", 135)},
			"1 validation error detected: Value '{####}" + strings.Repeat("x", 135) + "' at 'smsMessage' failed to satisfy constraint: Member must have length less than or equal to 140"},
		// Empty strings count as not set (functions built on aws-lambda-go's plain string fields).
		{"empty subject", map[string]any{"emailSubject": ""}, ""},
		{"all three", map[string]any{"emailMessage": "no code here", "emailSubject": "ok", "smsMessage": "no code either"},
			"2 validation errors detected: Value 'no code here' at 'emailBody' failed to satisfy constraint: Member must satisfy regular expression pattern: " + emailPattern +
				"; Value 'no code either' at 'smsMessage' failed to satisfy constraint: Member must satisfy regular expression pattern: " + smsPattern},
		{"html email", map[string]any{"emailMessage": "<html><body><h1 style=\"x\">{####}</h1>\n\t<a href='https://e.example/?a=1&b=2'>Go</a></body></html>"}, ""},
		{"longest email", map[string]any{"emailMessage": "{####}" + strings.Repeat("é", 19994)}, ""},
		{"shortest sms", map[string]any{"smsMessage": "{####}"}, ""},
		{"subject only", map[string]any{"emailSubject": "Réinitialisez votre mot de passe 🔑"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeLambda(t, answer(setResponse(c.fields)))
			inv, _ := newInvoker(t, f.srv.URL, nil)
			_, err := inv.CustomMessage(context.Background(), testARN, testHeader(), testRequest())
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			apiErr(t, err, "InvalidParameterException", c.want)
		})
	}
}

// TestRulesMatchTheModel: the constraints quoted and enforced are the model's shapes'.
func TestRulesMatchTheModel(t *testing.T) {
	b, err := readModel()
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Shapes map[string]struct {
			Min, Max int
			Pattern  string
		}
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for shape, r := range map[string]*messageRule{
		"EmailVerificationMessageType": emailBodyRule,
		"EmailVerificationSubjectType": emailSubjectRule,
		"SmsVerificationMessageType":   smsMessageRule,
	} {
		s := m.Shapes[shape]
		if s.Pattern != r.pattern || s.Min != r.min || s.Max != r.max {
			t.Errorf("%s: model %q %d..%d, rule %q %d..%d", shape, s.Pattern, s.Min, s.Max, r.pattern, r.min, r.max)
		}
	}
}

func TestOverrideURL(t *testing.T) {
	endpoint := newFakeLambda(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		t.Error("the endpoint was called for an overridden function")
	})
	// The Runtime Interface Emulator's URL: the same API, any function name, no signature.
	rie := newFakeLambda(t, answer(setResponse(map[string]any{"smsMessage": "RIE code {####}"})))
	rie.signed, rie.path = false, "/2015-03-31/functions/function/invocations"
	inv, _ := newInvoker(t, endpoint.srv.URL, func(c *Config) {
		c.Overrides = map[string]string{testARN: rie.srv.URL + "/2015-03-31/functions/function/invocations"}
	})
	resp, err := inv.CustomMessage(context.Background(), testARN, testHeader(), testRequest())
	if err != nil {
		t.Fatal(err)
	}
	if *resp.SMSMessage != "RIE code {####}" || rie.calls.Load() != 1 || endpoint.calls.Load() != 0 {
		t.Fatalf("%q; override %d calls, endpoint %d", *resp.SMSMessage, rie.calls.Load(), endpoint.calls.Load())
	}
	var ev events.CognitoEventUserPoolsCustomMessage
	if err := json.Unmarshal(rie.lastEvent(), &ev); err != nil || ev.TriggerSource != "CustomMessage_ForgotPassword" {
		t.Fatalf("event %+v, %v", ev, err)
	}
}

func TestOverrideFunctionErrors(t *testing.T) {
	for name, h := range map[string]map[string]string{
		"with X-Amz-Function-Error": {"X-Amz-Function-Error": "Unhandled"},
		// The RIE answers 200 without the header (aws/aws-lambda-runtime-interface-emulator#20).
		"RIE, without the header": nil,
	} {
		t.Run(name, func(t *testing.T) {
			rie := newFakeLambda(t, raw(http.StatusOK, h,
				`{"errorType":"Error","errorMessage":"failure","trace":["Error: failure","    at Runtime.handler (/var/task/index.js:1:43)"]}`))
			rie.signed, rie.path = false, "/2015-03-31/functions/function/invocations"
			inv, _ := newInvoker(t, "", func(c *Config) {
				c.Overrides = map[string]string{testARN: rie.srv.URL + "/2015-03-31/functions/function/invocations"}
			})
			_, err := inv.CustomMessage(context.Background(), testARN, testHeader(), testRequest())
			apiErr(t, err, "UserLambdaValidationException", "CustomMessage failed with error failure.")
			if n := rie.calls.Load(); n != 1 {
				t.Fatalf("%d calls, want 1", n)
			}
		})
	}
}

func TestBadOverrideURL(t *testing.T) {
	inv, logs := newInvoker(t, "", func(c *Config) { c.Overrides = map[string]string{testARN: "localhost:8080/x"} })
	_, err := inv.CustomMessage(context.Background(), testARN, testHeader(), testRequest())
	apiErr(t, err, "UnexpectedLambdaException", "CustomMessage invocation failed due to error Unable to execute HTTP request.")
	if !strings.Contains(logs.String(), "lambda override is not usable") {
		t.Fatalf("log:\n%s", logs)
	}
}

// TestClientMetadataIsNeverLogged runs every path with debug logging on and searches the log.
func TestClientMetadataIsNeverLogged(t *testing.T) {
	handlers := []func(http.ResponseWriter, *http.Request, []byte){
		answer(setResponse(map[string]any{"emailMessage": "{####} " + metaValue})),
		answer(setResponse(map[string]any{"emailMessage": "no code " + metaValue})),
		raw(http.StatusOK, map[string]string{"X-Amz-Function-Error": "Unhandled"}, `{"errorMessage":"`+metaKey+`","errorType":"Error"}`),
		raw(http.StatusInternalServerError, nil, `{"message":"`+metaValue+`"}`),
		raw(http.StatusOK, nil, `"`+metaValue+`"`),
		func(w http.ResponseWriter, r *http.Request, ev []byte) {
			<-r.Context().Done()
		},
	}
	logs := &logBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	for _, h := range handlers {
		f := newFakeLambda(t, h)
		inv, _ := newInvoker(t, f.srv.URL, func(c *Config) { c.Logger, c.Timeout = logger, 100*time.Millisecond })
		_, _ = inv.CustomMessage(context.Background(), testARN, testHeader(), testRequest())
	}
	out := logs.String()
	if strings.Count(out, "\n") < 8 {
		t.Fatalf("expected records of every outcome, got:\n%s", out)
	}
	for _, secret := range []string{metaKey, metaValue, "alice@example.com"} {
		if strings.Contains(out, secret) {
			t.Fatalf("%q is in the log:\n%s", secret, out)
		}
	}
}

func TestGenericInvoke(t *testing.T) {
	f := newFakeLambda(t, answer(setResponse(map[string]any{"autoConfirmUser": true})))
	inv, _ := newInvoker(t, f.srv.URL, nil)
	ev := struct {
		eventHeader
		Request  map[string]any `json:"request"`
		Response map[string]any `json:"response"`
	}{eventHeader: testHeader().event(), Request: map[string]any{}, Response: map[string]any{"autoConfirmUser": false}}
	var out struct {
		Response struct {
			AutoConfirmUser bool `json:"autoConfirmUser"`
		} `json:"response"`
	}
	if err := inv.Invoke(context.Background(), "PreSignUp", testARN, ev, &out); err != nil {
		t.Fatal(err)
	}
	if !out.Response.AutoConfirmUser {
		t.Fatal("answer not decoded")
	}
	// The trigger's name is the one in the texts.
	f.handle = raw(http.StatusOK, map[string]string{"X-Amz-Function-Error": "Unhandled"}, `{"errorMessage":"Invalid email.","errorType":"Error"}`)
	apiErr(t, inv.Invoke(context.Background(), "PreSignUp", testARN, ev, nil), "UserLambdaValidationException", "PreSignUp failed with error Invalid email..")
}

func TestDefaultEndpointIsTheARNsRegion(t *testing.T) {
	inv := New(Config{AWS: aws.Config{Region: "us-east-1"}})
	for arn, want := range map[string]string{
		testARN: "https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Acustom-message/invocations",
		"arn:aws-cn:lambda:cn-north-1:123456789012:function:f:live": "https://lambda.cn-north-1.amazonaws.com.cn/2015-03-31/functions/arn%3Aaws-cn%3Alambda%3Acn-north-1%3A123456789012%3Afunction%3Af%3Alive/invocations",
		"my-function": "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/my-function/invocations",
	} {
		tg, err := inv.target(context.Background(), arn)
		if err != nil {
			t.Fatal(err)
		}
		if tg.url.String() != want || !tg.sign {
			t.Errorf("%s: %s (signed %v), want %s", arn, tg.url, tg.sign, want)
		}
	}
	// An endpoint with a path keeps it.
	inv = New(Config{Endpoint: "http://127.0.0.1:4566/prefix/"})
	tg, err := inv.target(context.Background(), testARN)
	if err != nil {
		t.Fatal(err)
	}
	if want := "http://127.0.0.1:4566/prefix/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Acustom-message/invocations"; tg.url.String() != want || tg.region != "eu-west-1" {
		t.Errorf("%s %s, want %s eu-west-1", tg.url, tg.region, want)
	}
}

func TestUnsignedWithoutCredentials(t *testing.T) {
	f := newFakeLambda(t, answer(func(map[string]any) {}))
	f.signed = false
	inv, _ := newInvoker(t, f.srv.URL, func(c *Config) { c.AWS.Credentials = nil })
	if _, err := inv.CustomMessage(context.Background(), testARN, testHeader(), testRequest()); err != nil {
		t.Fatal(err)
	}
}

func TestParseOverride(t *testing.T) {
	arn, u, err := ParseOverride(testARN + "=http://127.0.0.1:8080/2015-03-31/functions/function/invocations?a=b")
	if err != nil || arn != testARN || u != "http://127.0.0.1:8080/2015-03-31/functions/function/invocations?a=b" {
		t.Fatalf("%q %q %v", arn, u, err)
	}
	for _, bad := range []string{testARN, "=http://x", testARN + "=ftp://x", testARN + "=/relative"} {
		if _, _, err := ParseOverride(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestCodesAreTheSDKs: the three exceptions are Cognito's, as the SDK names them (the apierr
// test scans apierr.go only).
func TestCodesAreTheSDKs(t *testing.T) {
	for _, c := range []struct {
		err  *apierr.Error
		code string
	}{
		{apierr.UserLambdaValidation("CustomMessage", "x"), (&cip.UserLambdaValidationException{}).ErrorCode()},
		{apierr.UnexpectedLambda("CustomMessage", "x"), (&cip.UnexpectedLambdaException{}).ErrorCode()},
		{apierr.InvalidLambdaResponse(), (&cip.InvalidLambdaResponseException{}).ErrorCode()},
	} {
		if c.err.Code != c.code || c.err.Status != 400 {
			t.Errorf("%s %d, want %s 400", c.err.Code, c.err.Status, c.code)
		}
	}
}

func readModel() ([]byte, error) {
	return os.ReadFile(filepath.Join("..", "..", "models", "cognito-idp-2016-04-18.json"))
}

// TestRegexpsAreTheModelPackages: the RE2 translations are internal/model's (generated from the
// same shapes), so a message passes here exactly when it would pass UpdateUserPool's checks.
func TestRegexpsAreTheModelPackages(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "model", "zz_validate.go"))
	if err != nil {
		t.Fatal(err)
	}
	for shape, r := range map[string]*messageRule{
		"EmailVerificationMessageType": emailBodyRule,
		"EmailVerificationSubjectType": emailSubjectRule,
		"SmsVerificationMessageType":   smsMessageRule,
	} {
		line := regexp.MustCompile(`(?m)^\s*rx` + shape + `\s*= regexp\.MustCompile\(` + "`([^`]*)`" + `\)`).FindSubmatch(src)
		if line == nil {
			t.Fatalf("rx%s not found in internal/model/zz_validate.go", shape)
		}
		if string(line[1]) != r.re.String() {
			t.Errorf("%s: model %s, here %s", shape, line[1], r.re)
		}
	}
}
