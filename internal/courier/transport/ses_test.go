package transport

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
)

func TestSESSend(t *testing.T) {
	tests := []struct {
		name          string
		edit          func(e *Envelope)
		status        int
		errType       string // x-amzn-ErrorType of the answer
		wantBody      map[string]any
		wantErr       bool
		wantPermanent bool
		wantCalls     int32
	}{
		{
			name: "text with identity and configuration set", status: 200, wantCalls: 1,
			edit: func(e *Envelope) {
				e.SourceArn = "arn:aws:ses:us-east-1:123456789012:identity/example.com"
				e.ConfigurationSet = "cgip"
			},
			wantBody: map[string]any{
				"FromEmailAddress":            `"Cgip" <noreply@example.com>`,
				"FromEmailAddressIdentityArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
				"ConfigurationSetName":        "cgip",
				"Destination":                 map[string]any{"ToAddresses": []any{"alice@example.org"}},
				"ReplyToAddresses":            []any{"support@example.com"},
				"Content": map[string]any{"Simple": map[string]any{
					"Subject": map[string]any{"Charset": "UTF-8", "Data": "Code de vérification"},
					"Body":    map[string]any{"Text": map[string]any{"Charset": "UTF-8", "Data": "Votre code est 123456 — merci"}},
				}},
			},
		},
		{
			name: "html without reply-to", status: 200, wantCalls: 1,
			edit: func(e *Envelope) {
				e.HTML, e.Body, e.ReplyTo, e.From = true, "<b>123456</b>", "", "noreply@example.com"
			},
			wantBody: map[string]any{
				"FromEmailAddress": "noreply@example.com",
				"Destination":      map[string]any{"ToAddresses": []any{"alice@example.org"}},
				"Content": map[string]any{"Simple": map[string]any{
					"Subject": map[string]any{"Charset": "UTF-8", "Data": "Code de vérification"},
					"Body":    map[string]any{"Html": map[string]any{"Charset": "UTF-8", "Data": "<b>123456</b>"}},
				}},
			},
		},
		{name: "MessageRejected", status: 400, errType: "MessageRejected", wantErr: true, wantPermanent: true, wantCalls: 1},
		{name: "unverified MAIL FROM", status: 400, errType: "MailFromDomainNotVerifiedException", wantErr: true, wantPermanent: true, wantCalls: 1},
		{name: "sending paused", status: 400, errType: "SendingPausedException", wantErr: true, wantPermanent: true, wantCalls: 1},
		{name: "bad request", status: 400, errType: "BadRequestException", wantErr: true, wantPermanent: true, wantCalls: 1},
		{name: "throttled", status: 429, errType: "TooManyRequestsException", wantErr: true, wantCalls: awsMaxAttempts},
		{name: "server error", status: 500, errType: "InternalServiceErrorException", wantErr: true, wantCalls: awsMaxAttempts},
		{name: "invalid recipient never sent", edit: func(e *Envelope) { e.To = "alice" }, wantErr: true, wantPermanent: true},
		{name: "subject injection never sent", edit: func(e *Envelope) { e.Subject = "x\r\nBcc: eve@example.net" }, wantErr: true, wantPermanent: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				body, _ := io.ReadAll(r.Body)
				t.Logf("%s %s\n%s", r.Method, r.URL.Path, body)
				if r.Method != http.MethodPost || r.URL.Path != "/v2/email/outbound-emails" {
					t.Errorf("request %s %s", r.Method, r.URL.Path)
				}
				if auth := r.Header.Get("Authorization"); !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") ||
					!strings.Contains(auth, "/us-east-1/ses/aws4_request") {
					t.Errorf("Authorization = %q, want SigV4 for ses", auth)
				}
				if tc.wantBody != nil {
					var got map[string]any
					if err := json.Unmarshal(body, &got); err != nil || !reflect.DeepEqual(got, tc.wantBody) {
						t.Errorf("body = %s (%v)\nwant %v", body, err, tc.wantBody)
					}
				}
				w.Header().Set("Content-Type", "application/json")
				if tc.errType != "" {
					w.Header().Set("x-amzn-ErrorType", tc.errType)
					w.WriteHeader(tc.status)
					_, _ = io.WriteString(w, `{"message":"refused by the test"}`)
					return
				}
				_, _ = io.WriteString(w, `{"MessageId":"0100018f-test"}`)
			}))
			defer srv.Close()

			s := NewSES(testAWSConfig(srv.Client()), srv.URL)
			e := testEmail()
			if tc.edit != nil {
				tc.edit(e)
			}
			err := s.Send(context.Background(), e)
			t.Logf("Send: %v", err)
			if (err != nil) != tc.wantErr || IsPermanent(err) != tc.wantPermanent {
				t.Fatalf("Send = %v, want error %v permanent %v", err, tc.wantErr, tc.wantPermanent)
			}
			if got := calls.Load(); got != tc.wantCalls {
				t.Fatalf("%d requests, want %d", got, tc.wantCalls)
			}
		})
	}
}
