package transport

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
)

const snsPublishOK = `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <PublishResult><MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId></PublishResult>
  <ResponseMetadata><RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId></ResponseMetadata>
</PublishResponse>`

func snsError(code string) string {
	return `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <Error><Type>Sender</Type><Code>` + code + `</Code><Message>refused by the test</Message></Error>
  <RequestId>42d59b56-7407-4c4a-be0f-4c88daeea257</RequestId>
</ErrorResponse>`
}

func TestSNSSend(t *testing.T) {
	base := url.Values{
		"Action":                         {"Publish"},
		"Version":                        {"2010-03-31"},
		"PhoneNumber":                    {"+15555550100"},
		"Message":                        {"Your code is 123456 & more"},
		"MessageAttributes.entry.1.Name": {"AWS.SNS.SMS.SMSType"},
		"MessageAttributes.entry.1.Value.DataType":    {"String"},
		"MessageAttributes.entry.1.Value.StringValue": {"Transactional"},
	}
	// Map entries go out sorted by key, numbered from 1.
	withIDs := url.Values{
		"Action":                         {"Publish"},
		"Version":                        {"2010-03-31"},
		"PhoneNumber":                    {"+15555550100"},
		"Message":                        {"Your code is 123456 & more"},
		"MessageAttributes.entry.1.Name": {"AWS.MM.SMS.OriginationNumber"},
		"MessageAttributes.entry.1.Value.DataType":    {"String"},
		"MessageAttributes.entry.1.Value.StringValue": {"+15555550199"},
		"MessageAttributes.entry.2.Name":              {"AWS.SNS.SMS.SMSType"},
		"MessageAttributes.entry.2.Value.DataType":    {"String"},
		"MessageAttributes.entry.2.Value.StringValue": {"Transactional"},
		"MessageAttributes.entry.3.Name":              {"AWS.SNS.SMS.SenderID"},
		"MessageAttributes.entry.3.Value.DataType":    {"String"},
		"MessageAttributes.entry.3.Value.StringValue": {"CGIP"},
	}
	tests := []struct {
		name          string
		opts          []SNSOptions
		edit          func(e *Envelope)
		status        int
		errCode       string
		wantForm      url.Values
		wantErr       bool
		wantPermanent bool
		wantCalls     int32
	}{
		{name: "transactional", status: 200, wantForm: base, wantCalls: 1},
		{name: "sender id and origination number", status: 200, wantForm: withIDs, wantCalls: 1,
			opts: []SNSOptions{{SenderID: "OLD"}, {SenderID: "CGIP", OriginationNumber: "+15555550199"}}},
		{name: "InvalidParameter", status: 400, errCode: "InvalidParameter", wantErr: true, wantPermanent: true, wantCalls: 1},
		{name: "ParameterValueInvalid", status: 400, errCode: "ParameterValueInvalid", wantErr: true, wantPermanent: true, wantCalls: 1},
		{name: "AuthorizationError", status: 403, errCode: "AuthorizationError", wantErr: true, wantPermanent: true, wantCalls: 1},
		{name: "EndpointDisabled", status: 400, errCode: "EndpointDisabled", wantErr: true, wantPermanent: true, wantCalls: 1},
		{name: "Throttling", status: 400, errCode: "Throttling", wantErr: true, wantCalls: awsMaxAttempts},
		{name: "InternalError", status: 500, errCode: "InternalError", wantErr: true, wantCalls: awsMaxAttempts},
		{name: "not E.164", edit: func(e *Envelope) { e.To = "5555550100" }, wantErr: true, wantPermanent: true},
		{name: "empty body", edit: func(e *Envelope) { e.Body = "" }, wantErr: true, wantPermanent: true},
		{name: "email channel", edit: func(e *Envelope) { e.Channel = ChannelEmail }, wantErr: true, wantPermanent: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				body, _ := io.ReadAll(r.Body)
				t.Logf("%s %s %s\n%s", r.Method, r.URL.Path, r.Header.Get("Content-Type"), body)
				if r.Method != http.MethodPost || r.URL.Path != "/" ||
					r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
					t.Errorf("request %s %s %s", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
				}
				if auth := r.Header.Get("Authorization"); !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") ||
					!strings.Contains(auth, "/us-east-1/sns/aws4_request") {
					t.Errorf("Authorization = %q, want SigV4 for sns", auth)
				}
				form, err := url.ParseQuery(string(body))
				if err != nil {
					t.Errorf("form: %v", err)
				}
				if tc.wantForm != nil && !reflect.DeepEqual(form, tc.wantForm) {
					t.Errorf("form = %v\nwant %v", form, tc.wantForm)
				}
				w.Header().Set("Content-Type", "text/xml")
				if tc.errCode != "" {
					w.WriteHeader(tc.status)
					_, _ = io.WriteString(w, snsError(tc.errCode))
					return
				}
				_, _ = io.WriteString(w, snsPublishOK)
			}))
			defer srv.Close()

			s := NewSNS(testAWSConfig(srv.Client()), srv.URL, tc.opts...)
			e := &Envelope{ID: "m-1", Channel: ChannelSMS, To: "+15555550100", Body: "Your code is 123456 & more"}
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
