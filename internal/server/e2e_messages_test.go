package server_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cgip/cgip/internal/courier"
	"github.com/cgip/cgip/internal/server"
)

// inbox reads GET /_cgip/messages, signed by the root identity for the service "cgip".
func (ts *testServer) inbox(t *testing.T, q url.Values) []courier.InboxMessage {
	t.Helper()
	status, body := ts.cgipRequest(t, http.MethodGet, "/_cgip/messages?"+q.Encode(), nil, testAccessKey, testSecretKey)
	if status != 200 {
		t.Fatalf("inbox: %d %s", status, body)
	}
	var out struct{ Messages []courier.InboxMessage }
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	return out.Messages
}

// cgipRequest sends a request to cgip's own endpoints (/_cgip/...), signed for the service
// "cgip", and returns the status and body.
func (ts *testServer) cgipRequest(t *testing.T, method, path string, body []byte, ak, sk string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, ts.URL+path, bytes.NewReader(body))
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: ak, SecretAccessKey: sk},
		req, hex.EncodeToString(sum[:]), "cgip", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestInvitationArrivesInTheInbox(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash})
	ctx := context.Background()
	c := ts.rootClient()
	pool := newPool(t, c, &cip.CreateUserPoolInput{})
	_, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("ivy"),
		TemporaryPassword: aws.String("Temp-Pass-123"), UserAttributes: attrs("email", "ivy@example.com"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}})
	if err != nil {
		t.Fatal(err)
	}
	msgs := ts.inbox(t, url.Values{"to": {"ivy@example.com"}})
	if len(msgs) != 1 {
		t.Fatalf("inbox has %d messages for ivy, want 1", len(msgs))
	}
	m := msgs[0]
	// Cognito's default invitation (SPEC section 7): the period follows the password.
	if m.Kind != "AdminCreateUser" || m.Channel != "EMAIL" || m.Code != "Temp-Pass-123" || m.Username != "ivy" ||
		m.Subject != "Your temporary password" || m.Body != "Your username is ivy and temporary password is Temp-Pass-123." ||
		m.Status != "sent" || m.UserPoolId != aws.ToString(pool) {
		t.Fatalf("invitation = %+v", m)
	}

	// The pool's InviteMessageTemplate is used; SUPPRESS sends nothing; RESEND sends a new password.
	pool2 := newPool(t, c, &cip.CreateUserPoolInput{AdminCreateUserConfig: &types.AdminCreateUserConfigType{
		InviteMessageTemplate: &types.MessageTemplateType{EmailSubject: aws.String("Welcome"), EmailMessage: aws.String("<p>Hi {username}, use {####}</p>")}}})
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool2, Username: aws.String("jay"), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: attrs("email", "jay@example.com")}); err != nil {
		t.Fatal(err)
	}
	if n := len(ts.inbox(t, url.Values{"to": {"jay@example.com"}})); n != 0 {
		t.Fatalf("SUPPRESS sent %d messages", n)
	}
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool2, Username: aws.String("jay"), MessageAction: types.MessageActionTypeResend,
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}}); err != nil {
		t.Fatal(err)
	}
	msgs = ts.inbox(t, url.Values{"to": {"jay@example.com"}})
	if len(msgs) != 1 || msgs[0].Subject != "Welcome" || msgs[0].Body != "<p>Hi jay, use "+msgs[0].Code+"</p>" || len(msgs[0].Code) < 8 {
		t.Fatalf("resent invitation = %+v", msgs)
	}
	// The generated temporary password really is the user's password: setting it as permanent
	// is refused only by history, not by policy.
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool2, Username: aws.String("kay"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeSms}})
	wantAPIError(t, err, "InvalidParameterException", "No phone_number provided but desired delivery medium was SMS")
}

func TestInboxRequiresRootSignatureOutsideDev(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true})
	resp, err := http.Get(ts.URL + "/_cgip/messages")
	if err != nil {
		t.Fatal(err)
	}
	status, typ, _ := readError(t, resp)
	resp.Body.Close()
	if status != 400 || typ != "MissingAuthenticationTokenException" {
		t.Fatalf("unsigned inbox read outside --dev: %d %s", status, typ)
	}
	if msgs := ts.inbox(t, url.Values{}); len(msgs) != 0 {
		t.Fatalf("empty inbox lists %d", len(msgs))
	}
	dev := startServer(t, server.Config{Memory: true, Dev: true})
	resp, err = http.Get(dev.URL + "/_cgip/messages")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("unsigned inbox read under --dev: %d", resp.StatusCode)
	}
}

// TestBuiltInSenderDailyLimit: SPEC table row 10, with the cap lowered to 2.
func TestBuiltInSenderDailyLimit(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash, Messages: server.Messages{DailyEmailLimit: 2}})
	ctx := context.Background()
	c := ts.rootClient()
	pool := newPool(t, c, &cip.CreateUserPoolInput{})
	create := func(name string) error {
		_, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String(name),
			UserAttributes: attrs("email", name+"@example.com"), DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}})
		return err
	}
	for _, n := range []string{"u1", "u2"} {
		if err := create(n); err != nil {
			t.Fatal(err)
		}
	}
	wantAPIError(t, create("u3"), "LimitExceededException",
		"Exceeded daily email limit for the operation or the account. If a higher limit is required, please configure your user pool to use your own Amazon SES configuration for sending email.")
	// Nothing of the refused call stays behind: the user was not created.
	_, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("u3")})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
}

// TestSMSSandboxAndOrigination: SPEC section 8 — a message the rules do not allow is recorded as
// dropped with its reason, and the API call succeeds.
func TestSMSSandboxAndOrigination(t *testing.T) {
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash, Messages: server.Messages{
		SMSSandbox: true, SMSVerifiedNumbers: []string{"+447700900001", "+15555550100"}}})
	ctx := context.Background()
	c := ts.rootClient()
	pool := newPool(t, c, &cip.CreateUserPoolInput{})
	for name, phone := range map[string]string{"verified": "+447700900001", "unverified": "+447700900002", "us": "+15555550100"} {
		if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String(name),
			UserAttributes: attrs("phone_number", phone)}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	byTo := map[string]courier.InboxMessage{}
	for _, m := range ts.inbox(t, url.Values{"userPoolId": {aws.ToString(pool)}}) {
		byTo[m.Destination] = m
	}
	if m := byTo["+447700900001"]; m.Status != "sent" || m.Channel != "SMS" || m.Code == "" {
		t.Errorf("verified destination: %+v", m)
	}
	if m := byTo["+447700900002"]; m.Status != "dropped" || !strings.Contains(m.Error, "sandbox") {
		t.Errorf("unverified destination in the sandbox: %+v", m)
	}
	if m := byTo["+15555550100"]; m.Status != "dropped" || !strings.Contains(m.Error, "origination") {
		t.Errorf("US number without an origination identity: %+v", m)
	}
}

// smtpSink is a minimal SMTP server on loopback that records what it receives.
type smtpSink struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []string
}

func startSMTPSink(t *testing.T) *smtpSink { return startSMTPSinkAt(t, "127.0.0.1:0") }

func startSMTPSinkAt(t *testing.T, addr string) *smtpSink {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpSink{ln: ln}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(conn)
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return s
}

func (s *smtpSink) serve(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	say := func(line string) { fmt.Fprintf(conn, "%s\r\n", line) }
	say("220 sink ESMTP")
	var data strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 sink")
		case strings.HasPrefix(cmd, "DATA"):
			say("354 go ahead")
			data.Reset()
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(l)
			}
			s.mu.Lock()
			s.msgs = append(s.msgs, data.String())
			s.mu.Unlock()
			say("250 queued")
		case strings.HasPrefix(cmd, "QUIT"):
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func (s *smtpSink) wait(t *testing.T, n int) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		got := append([]string(nil), s.msgs...)
		s.mu.Unlock()
		if len(got) >= n {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("SMTP sink got fewer than %d messages", n)
	return nil
}

func TestInvitationOverSMTP(t *testing.T) {
	sink := startSMTPSink(t)
	ts := startServer(t, server.Config{Memory: true, PasswordHash: fastHash, Messages: server.Messages{
		SMTPURL: "smtp://" + sink.ln.Addr().String() + "?tls=none", Inbox: true}})
	ctx := context.Background()
	c := ts.rootClient()
	pool := newPool(t, c, &cip.CreateUserPoolInput{})
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("lee"),
		TemporaryPassword: aws.String("Smtp-Pass-123"), UserAttributes: attrs("email", "lee@example.com"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}}); err != nil {
		t.Fatal(err)
	}
	raw := sink.wait(t, 1)[0]
	for _, want := range []string{"From: <no-reply@verificationemail.com>", "To: <lee@example.com>", "Subject: Your temporary password",
		"Your username is lee and temporary password is Smtp-Pass-123."} {
		if !strings.Contains(raw, want) {
			t.Errorf("SMTP message lacks %q:\n%s", want, raw)
		}
	}
	// --inbox keeps a copy, and the outbox records the delivery.
	deadline := time.Now().Add(5 * time.Second)
	for {
		msgs := ts.inbox(t, url.Values{"to": {"lee@example.com"}})
		if len(msgs) == 1 && msgs[0].Status == "sent" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox status = %+v", msgs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
