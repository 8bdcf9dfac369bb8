package transport

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

var testSecret = []byte("webhook-secret")

func testSMS() *Envelope {
	return &Envelope{
		ID: "m-42", Channel: ChannelSMS, To: "+15555550100", Body: "Your code is <123456> & more",
		UserPoolID: "us-east-1_abc", Username: "alice", Kind: "SignUp",
	}
}

func TestWebhookSend(t *testing.T) {
	tests := []struct {
		name          string
		status        int
		location      string // for redirects
		wantErr       bool
		wantPermanent bool
	}{
		{name: "200", status: 200},
		{name: "202", status: 202},
		{name: "204", status: 204},
		{name: "400", status: 400, wantErr: true, wantPermanent: true},
		{name: "401", status: 401, wantErr: true, wantPermanent: true},
		{name: "404", status: 404, wantErr: true, wantPermanent: true},
		{name: "408", status: 408, wantErr: true},
		{name: "429", status: 429, wantErr: true},
		{name: "500", status: 500, wantErr: true},
		{name: "503", status: 503, wantErr: true},
		{name: "302 not followed", status: 302, location: "/elsewhere", wantErr: true},
		{name: "307 not followed", status: 307, location: "/elsewhere", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var hits int
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits++
				if r.URL.Path != "/hook" {
					t.Errorf("followed a redirect to %s", r.URL.Path)
					return
				}
				body, _ := io.ReadAll(r.Body)
				if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
					t.Errorf("request %s %s", r.Method, r.Header.Get("Content-Type"))
				}
				if !VerifySignature(body, r.Header.Get(SignatureHeader), testSecret) {
					t.Errorf("bad signature %q for %s", r.Header.Get(SignatureHeader), body)
				}
				if got := r.Header.Get(MessageIDHeader); got != "m-42" {
					t.Errorf("%s = %q", MessageIDHeader, got)
				}
				var got map[string]string
				if err := json.Unmarshal(body, &got); err != nil {
					t.Errorf("body %s: %v", body, err)
				}
				want := map[string]string{
					"to": "+15555550100", "body": "Your code is <123456> & more", "userPoolId": "us-east-1_abc",
					"username": "alice", "kind": "SignUp", "id": "m-42",
				}
				for k, v := range want {
					if got[k] != v || len(got) != len(want) {
						t.Errorf("body = %s, want %v", body, want)
						break
					}
				}
				if tc.location != "" {
					w.Header().Set("Location", tc.location)
				}
				w.WriteHeader(tc.status)
				// More than the client reads; it must not matter.
				_, _ = io.WriteString(w, strings.Repeat("x", 3*maxWebhookResponse))
			}))
			defer srv.Close()

			err := NewWebhook(srv.URL+"/hook", testSecret, nil).Send(context.Background(), testSMS())
			if (err != nil) != tc.wantErr || IsPermanent(err) != tc.wantPermanent {
				t.Fatalf("Send = %v, want error %v permanent %v", err, tc.wantErr, tc.wantPermanent)
			}
			if hits != 1 {
				t.Fatalf("%d requests, want 1", hits)
			}
		})
	}
}

func TestWebhookFailures(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Only once the body is read does the server notice a client leaving.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer slow.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()

	tests := []struct {
		name          string
		hook          *Webhook
		ctx           func() (context.Context, context.CancelFunc)
		edit          func(e *Envelope)
		wantPermanent bool
	}{
		{name: "client timeout", hook: NewWebhook(slow.URL, testSecret, &http.Client{Timeout: 100 * time.Millisecond})},
		{name: "context deadline", hook: NewWebhook(slow.URL, testSecret, &http.Client{}),
			ctx: func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 100*time.Millisecond)
			}},
		{name: "connection refused", hook: NewWebhook(closedURL, testSecret, nil)},
		{name: "malformed URL", hook: NewWebhook("http://[::1", testSecret, nil), wantPermanent: true},
		{name: "no secret", hook: NewWebhook(slow.URL, nil, nil), wantPermanent: true},
		{name: "CRLF in id", hook: NewWebhook(slow.URL, testSecret, nil),
			edit: func(e *Envelope) { e.ID = "m\r\nX-Evil: 1" }, wantPermanent: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			if tc.ctx != nil {
				ctx, cancel = tc.ctx()
			}
			defer cancel()
			e := testSMS()
			if tc.edit != nil {
				tc.edit(e)
			}
			start := time.Now()
			err := tc.hook.Send(ctx, e)
			if err == nil || IsPermanent(err) != tc.wantPermanent {
				t.Fatalf("Send = %v, want an error, permanent %v", err, tc.wantPermanent)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Fatalf("Send took %v", d)
			}
		})
	}
}

func TestWebhookCopiesSecret(t *testing.T) {
	secret := []byte("s3cret")
	var got string
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ = io.ReadAll(r.Body)
		got = r.Header.Get(SignatureHeader)
	}))
	defer srv.Close()
	w := NewWebhook(srv.URL, secret, nil)
	copy(secret, "XXXXXX")
	if err := w.Send(context.Background(), testSMS()); err != nil {
		t.Fatal(err)
	}
	if !VerifySignature(body, got, []byte("s3cret")) {
		t.Fatalf("signature not made with the secret given to NewWebhook")
	}
}

func TestVerifySignature(t *testing.T) {
	body := []byte(`{"to":"+15555550100","body":"123456"}`)
	good := sign(body, testSecret)
	tests := []struct {
		name   string
		body   []byte
		header string
		secret []byte
		want   bool
	}{
		{"valid", body, good, testSecret, true},
		{"upper-case hex", body, "sha256=" + strings.ToUpper(strings.TrimPrefix(good, "sha256=")), testSecret, true},
		{"wrong secret", body, good, []byte("other"), false},
		{"tampered body", append([]byte(nil), append(body, ' ')...), good, testSecret, false},
		{"no prefix", body, strings.TrimPrefix(good, "sha256="), testSecret, false},
		{"other algorithm", body, "sha1=" + strings.TrimPrefix(good, "sha256="), testSecret, false},
		{"truncated", body, good[:len(good)-2], testSecret, false},
		{"not hex", body, "sha256=zz", testSecret, false},
		{"empty header", body, "", testSecret, false},
		{"empty secret", body, sign(body, nil), nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := VerifySignature(tc.body, tc.header, tc.secret); got != tc.want {
				t.Fatalf("VerifySignature = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestIsPermanent(t *testing.T) {
	base := errors.New("boom")
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain", base, false},
		{"value", Permanent{Err: base}, true},
		{"pointer", &Permanent{Err: base}, true},
		{"wrapped value", errors.Join(errors.New("x"), Permanent{Err: base}), true},
		{"wrapped pointer", &Permanent{Err: context.Canceled}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsPermanent(tc.err); got != tc.want {
				t.Fatalf("IsPermanent(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
	if !errors.Is(Permanent{Err: base}, base) || (Permanent{}).Error() == "" {
		t.Fatal("Permanent must unwrap to its cause and always have a message")
	}
}
