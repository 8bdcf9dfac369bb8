package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cgip/cgip/internal/courier/transport"
	"github.com/cgip/cgip/internal/server"
	"github.com/cgip/cgip/internal/store/storetest"
)

// snsEndpoint speaks the Amazon SNS Query API's Publish, as the AWS SDK for Go v2 calls it
// (form-encoded Action=Publish, Version 2010-03-31, SigV4 for "sns", an XML answer).
type snsEndpoint struct {
	*httptest.Server
	mu        sync.Mutex
	published []url.Values
}

func startSNS(t *testing.T) *snsEndpoint {
	s := &snsEndpoint{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(body))
		if err != nil || form.Get("Action") != "Publish" || form.Get("Version") != "2010-03-31" ||
			!strings.Contains(r.Header.Get("Authorization"), "/sns/aws4_request") {
			w.WriteHeader(400)
			fmt.Fprint(w, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>bad request</Message></Error><RequestId>x</RequestId></ErrorResponse>`)
			return
		}
		s.mu.Lock()
		s.published = append(s.published, form)
		n := len(s.published)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-%d</MessageId></PublishResult><ResponseMetadata><RequestId>r-%d</RequestId></ResponseMetadata></PublishResponse>`, n, n)
	}))
	t.Cleanup(s.Close)
	return s
}

func TestInvitationOverSNS(t *testing.T) {
	sns := startSNS(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIASNSTEST000000000")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "sns-test-secret")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash, Messages: server.Messages{
		SMSChannel: "sns", SNSEndpoint: sns.URL, SMSOriginationNumber: "+15555550199"}})
	ctx := context.Background()
	c := ts.rootClient()
	pool := newPool(t, c, &cip.CreateUserPoolInput{})
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("max"),
		TemporaryPassword: aws.String("Sns-Pass-123"), UserAttributes: attrs("phone_number", "+15555550123"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeSms}}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		sns.mu.Lock()
		got := append([]url.Values(nil), sns.published...)
		sns.mu.Unlock()
		if len(got) == 1 {
			f := got[0]
			if f.Get("PhoneNumber") != "+15555550123" || f.Get("Message") != "Your username is max and temporary password is Sns-Pass-123." {
				t.Fatalf("published %v", f)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("SNS received %d messages, want 1", len(got))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// webhookCounter receives SMS webhooks and counts deliveries per message id.
type webhookCounter struct {
	*httptest.Server
	mu     sync.Mutex
	byID   map[string]int
	secret []byte
	bad    int
}

func startWebhook(t *testing.T, secret string) *webhookCounter {
	wc := &webhookCounter{byID: map[string]int{}, secret: []byte(secret)}
	wc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		wc.mu.Lock()
		defer wc.mu.Unlock()
		if !transport.VerifySignature(body, r.Header.Get(transport.SignatureHeader), wc.secret) {
			wc.bad++
			w.WriteHeader(401)
			return
		}
		wc.byID[r.Header.Get(transport.MessageIDHeader)]++
	}))
	t.Cleanup(wc.Close)
	return wc
}

// TestTwoNodesDeliverEachMessageOnce: two cgip nodes on one PostgreSQL database share the
// outbox; 1,000 queued messages reach the webhook exactly once between them (ISSUE 4).
func TestTwoNodesDeliverEachMessageOnce(t *testing.T) {
	dsn := storetest.PostgresSchema(t, storetest.PostgresURL(t))
	hook := startWebhook(t, "hook-secret")
	keyDir := t.TempDir()
	msgCfg := server.Messages{SMSChannel: "webhook", WebhookURL: hook.URL, WebhookSecret: "hook-secret", Interval: 20 * time.Millisecond}
	a := startServer(t, server.Config{Database: dsn, DataDir: keyDir, PasswordHash: fastHash, Messages: msgCfg})
	b := startServer(t, server.Config{Database: dsn, DataDir: keyDir, PasswordHash: fastHash, Messages: msgCfg})
	ctx := context.Background()
	pool := newPool(t, a.rootClient(), &cip.CreateUserPoolInput{})
	const n = 1000
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := a.rootClient()
			if w%2 == 1 {
				c = b.rootClient()
			}
			for i := w; i < n; i += 8 {
				_, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String(fmt.Sprintf("user%04d", i)),
					UserAttributes: attrs("phone_number", fmt.Sprintf("+4477009%05d", i))})
				if err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		hook.mu.Lock()
		distinct, total := len(hook.byID), 0
		for _, c := range hook.byID {
			total += c
		}
		bad := hook.bad
		hook.mu.Unlock()
		if bad > 0 {
			t.Fatalf("%d webhook calls with a bad signature", bad)
		}
		if total > distinct {
			t.Fatalf("%d deliveries for %d messages: some were sent twice", total, distinct)
		}
		if distinct == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d messages delivered", distinct, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // a late duplicate would show up now
	for name, ts := range map[string]*testServer{"A": a, "B": b} {
		if !strings.Contains(ts.Logs.String(), `msg="message delivery"`) {
			t.Errorf("node %s delivered nothing: the nodes must share the work", name)
		}
	}
	hook.mu.Lock()
	defer hook.mu.Unlock()
	for id, c := range hook.byID {
		if c != 1 {
			t.Fatalf("message %s delivered %d times", id, c)
		}
	}
}
