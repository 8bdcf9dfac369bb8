package transport

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	gomail "github.com/wneessen/go-mail"
)

// received is one message as the test server saw it.
type received struct {
	From string
	To   []string
	Data string
	TLS  bool
	User string
}

// smtpBackend records every delivered message; user/pass, when set, make
// AUTH PLAIN mandatory; rcptErr/dataErr are answered instead of accepting.
type smtpBackend struct {
	user, pass string
	rcptErr    error
	dataErr    error

	mu   sync.Mutex
	msgs []received
}

func (b *smtpBackend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &smtpSession{b: b, conn: c}, nil
}

func (b *smtpBackend) received() []received {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]received(nil), b.msgs...)
}

type smtpSession struct {
	b    *smtpBackend
	conn *smtp.Conn
	user string
	cur  received
}

func (s *smtpSession) AuthMechanisms() []string {
	if s.b.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != s.b.user || password != s.b.pass {
			return smtp.ErrAuthFailed
		}
		s.user = username
		return nil
	}), nil
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.b.user != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.cur.From = from
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.b.rcptErr != nil {
		return s.b.rcptErr
	}
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.b.dataErr != nil {
		return s.b.dataErr
	}
	s.cur.Data = string(data)
	_, s.cur.TLS = s.conn.TLSConnectionState()
	s.cur.User = s.user
	s.b.mu.Lock()
	s.b.msgs = append(s.b.msgs, s.cur)
	s.b.mu.Unlock()
	return nil
}

func (s *smtpSession) Reset()        { s.cur = received{} }
func (s *smtpSession) Logout() error { return nil }

// selfSigned returns a server certificate for 127.0.0.1 and a pool that
// trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "cgip test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

type serverTLS int

const (
	srvPlain serverTLS = iota
	srvSTARTTLS
	srvImplicit
)

// startSMTP serves be on 127.0.0.1 and returns its address and a pool
// trusting its certificate.
func startSMTP(t *testing.T, be *smtpBackend, mode serverTLS, allowInsecureAuth bool) (string, *x509.CertPool) {
	t.Helper()
	cert, pool := selfSigned(t)
	tlsCfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	srv := smtp.NewServer(be)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = allowInsecureAuth
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	switch mode {
	case srvSTARTTLS:
		srv.TLSConfig = tlsCfg
	case srvImplicit:
		l = tls.NewListener(l, tlsCfg)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return addr, pool
}

func testEmail() *Envelope {
	return &Envelope{
		ID:      "msg-1",
		Channel: ChannelEmail,
		To:      "alice@example.org",
		From:    "Cgip <noreply@example.com>",
		ReplyTo: "support@example.com",
		Subject: "Code de vérification",
		Body:    "Votre code est 123456 — merci",
	}
}

func TestSMTPSend(t *testing.T) {
	sentinel550 := &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	sentinel451 := &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
	sentinel554 := &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "content rejected"}

	tests := []struct {
		name              string
		server            serverTLS
		allowInsecureAuth bool
		user, pass        string // server-side credentials
		rcptErr, dataErr  error
		url               string // %s is the server address
		trust             bool   // pass the test CA as RootCAs
		html              bool

		wantErr       bool
		wantPermanent bool
		wantTLS       bool
		wantUser      string
	}{
		{name: "plain tls=none", server: srvPlain, url: "smtp://%s?tls=none"},
		{name: "starttls required", server: srvSTARTTLS, url: "smtp://%s", trust: true, html: true, wantTLS: true},
		{name: "implicit tls", server: srvImplicit, url: "smtps://%s", trust: true, wantTLS: true},
		{name: "auth plain in clear to localhost", server: srvPlain, allowInsecureAuth: true,
			user: "bob", pass: "s3cret", url: "smtp://bob:s3cret@%s?tls=none", wantUser: "bob"},
		{name: "auth plain over starttls", server: srvSTARTTLS, user: "bob", pass: "p@ss:w/rd",
			url: "smtp://bob:p%%40ss%%3Aw%%2Frd@%s", trust: true, wantTLS: true, wantUser: "bob"},
		{name: "auth over implicit tls", server: srvImplicit, user: "bob", pass: "pw",
			url: "smtps://bob:pw@%s", trust: true, wantTLS: true, wantUser: "bob"},
		{name: "wrong password 535", server: srvSTARTTLS, user: "bob", pass: "pw",
			url: "smtp://bob:nope@%s", trust: true, wantErr: true, wantPermanent: true},
		{name: "starttls required but not offered", server: srvPlain, url: "smtp://%s", wantErr: true},
		{name: "opportunistic without starttls", server: srvPlain, url: "smtp://%s?tls=opportunistic"},
		{name: "opportunistic with starttls", server: srvSTARTTLS, url: "smtp://%s?tls=opportunistic", trust: true, wantTLS: true},
		{name: "untrusted certificate", server: srvSTARTTLS, url: "smtp://%s", wantErr: true},
		{name: "insecure_skip_verify", server: srvSTARTTLS, url: "smtp://%s?insecure_skip_verify=true", wantTLS: true},
		{name: "550 on RCPT", server: srvPlain, rcptErr: sentinel550, url: "smtp://%s?tls=none", wantErr: true, wantPermanent: true},
		{name: "451 on RCPT", server: srvPlain, rcptErr: sentinel451, url: "smtp://%s?tls=none", wantErr: true},
		{name: "554 after DATA", server: srvPlain, dataErr: sentinel554, url: "smtp://%s?tls=none", wantErr: true, wantPermanent: true},
		{name: "451 after DATA", server: srvPlain, dataErr: sentinel451, url: "smtp://%s?tls=none", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			be := &smtpBackend{user: tc.user, pass: tc.pass, rcptErr: tc.rcptErr, dataErr: tc.dataErr}
			addr, pool := startSMTP(t, be, tc.server, tc.allowInsecureAuth)
			opts := SMTPOptions{Timeout: 5 * time.Second, HelloName: "cgip.test"}
			if tc.trust {
				opts.RootCAs = pool
			}
			s, err := NewSMTP(fmt.Sprintf(tc.url, addr), opts)
			if err != nil {
				t.Fatalf("NewSMTP: %v", err)
			}
			e := testEmail()
			if tc.html {
				e.HTML = true
				e.Body = "<p>Votre code est <b>123456</b></p>"
			}
			err = s.Send(context.Background(), e)
			t.Logf("Send: %v", err)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Send error = %v, want error %v", err, tc.wantErr)
			}
			if got := IsPermanent(err); got != tc.wantPermanent {
				t.Fatalf("IsPermanent(%v) = %v, want %v", err, got, tc.wantPermanent)
			}
			msgs := be.received()
			if tc.wantErr {
				if len(msgs) != 0 {
					t.Fatalf("server received %d messages despite the error", len(msgs))
				}
				return
			}
			if len(msgs) != 1 {
				t.Fatalf("server received %d messages, want 1", len(msgs))
			}
			m := msgs[0]
			if m.TLS != tc.wantTLS || m.User != tc.wantUser {
				t.Errorf("TLS=%v user=%q, want TLS=%v user=%q", m.TLS, m.User, tc.wantTLS, tc.wantUser)
			}
			checkDelivered(t, m, e)
		})
	}
}

// checkDelivered compares what the server got with the envelope sent.
func checkDelivered(t *testing.T, m received, e *Envelope) {
	t.Helper()
	if m.From != "noreply@example.com" || len(m.To) != 1 || m.To[0] != "alice@example.org" {
		t.Errorf("MAIL FROM %q RCPT TO %q", m.From, m.To)
	}
	msg, err := mail.ReadMessage(strings.NewReader(m.Data))
	if err != nil {
		t.Fatalf("parse DATA: %v\n%s", err, m.Data)
	}
	h := msg.Header
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(h.Get("Subject"))
	if err != nil || subject != e.Subject {
		t.Errorf("Subject = %q (%v), want %q", subject, err, e.Subject)
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Cgip" || from[0].Address != "noreply@example.com" {
		t.Errorf("From = %v (%v)", from, err)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != "alice@example.org" {
		t.Errorf("To = %v (%v)", to, err)
	}
	replyTo, err := h.AddressList("Reply-To")
	if err != nil || len(replyTo) != 1 || replyTo[0].Address != "support@example.com" {
		t.Errorf("Reply-To = %v (%v)", replyTo, err)
	}
	if got := h.Get("Message-Id"); got != "<msg-1@example.com>" {
		t.Errorf("Message-ID = %q", got)
	}
	if got := h.Get("Auto-Submitted"); got != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", got)
	}
	if h.Get("Bcc") != "" || h.Get("User-Agent") != "" {
		t.Errorf("unexpected header in\n%s", m.Data)
	}
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	wantType := "text/plain"
	if e.HTML {
		wantType = "text/html"
	}
	if err != nil || mediaType != wantType || !strings.EqualFold(params["charset"], "utf-8") {
		t.Errorf("Content-Type = %q, want %s; charset=UTF-8", h.Get("Content-Type"), wantType)
	}
	var body io.Reader = msg.Body
	if strings.EqualFold(h.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil || strings.TrimRight(string(b), "\r\n") != e.Body {
		t.Errorf("body = %q (%v), want %q", b, err, e.Body)
	}
}

func TestSMTPRejectsBadEnvelope(t *testing.T) {
	// No server: every case must be refused before dialing.
	s, err := NewSMTP("smtp://127.0.0.1:1?tls=none", SMTPOptions{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(e *Envelope)
	}{
		{"CRLF in subject", func(e *Envelope) { e.Subject = "hi\r\nBcc: eve@example.net" }},
		{"LF in subject", func(e *Envelope) { e.Subject = "hi\nBcc: eve@example.net" }},
		{"CR in to", func(e *Envelope) { e.To = "alice@example.org\rBcc: eve@example.net" }},
		{"NUL in from", func(e *Envelope) { e.From = "noreply@example.com\x00" }},
		{"LF in reply-to", func(e *Envelope) { e.ReplyTo = "a@example.com\nX: y" }},
		{"two recipients", func(e *Envelope) { e.To = "alice@example.org, eve@example.net" }},
		{"not an address", func(e *Envelope) { e.To = "alice" }},
		{"empty from", func(e *Envelope) { e.From = "" }},
		{"bad reply-to", func(e *Envelope) { e.ReplyTo = "@@" }},
		{"subject too long", func(e *Envelope) { e.Subject = strings.Repeat("x", maxSubjectLen+1) }},
		{"sms channel", func(e *Envelope) { e.Channel = ChannelSMS }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := testEmail()
			tc.edit(e)
			if err := s.Send(context.Background(), e); !IsPermanent(err) {
				t.Fatalf("Send = %v, want a Permanent error", err)
			}
		})
	}
	if err := s.Send(context.Background(), nil); !IsPermanent(err) {
		t.Fatalf("Send(nil) = %v, want a Permanent error", err)
	}
}

func TestNewSMTP(t *testing.T) {
	tests := []struct {
		url      string
		wantErr  bool
		port     int
		implicit bool
		policy   gomail.TLSPolicy
		skip     bool
	}{
		{url: "smtp://user:pass@mail.example.com:587", port: 587, policy: gomail.TLSMandatory},
		{url: "smtp://mail.example.com", port: 587, policy: gomail.TLSMandatory},
		{url: "smtp://mail.example.com?tls=required", port: 587, policy: gomail.TLSMandatory},
		{url: "smtp://mail.example.com:25?tls=opportunistic", port: 25, policy: gomail.TLSOpportunistic},
		{url: "smtp://localhost:1025?tls=none", port: 1025, policy: gomail.NoTLS},
		{url: "smtp://u:p@localhost:1025?tls=none", port: 1025, policy: gomail.NoTLS},
		{url: "smtps://user:pass@mail.example.com", port: 465, implicit: true},
		{url: "smtps://mail.example.com:2465?insecure_skip_verify=true", port: 2465, implicit: true, skip: true},
		{url: "smtp://mail.example.com?insecure_skip_verify=1", port: 587, skip: true},
		{url: "smtp://u:p@mail.example.com?tls=none", wantErr: true}, // credentials in clear
		{url: "smtps://mail.example.com?tls=none", wantErr: true},
		{url: "smtp://mail.example.com?tls=maybe", wantErr: true},
		{url: "smtp://mail.example.com?tsl=none", wantErr: true},
		{url: "smtp://mail.example.com?insecure_skip_verify=yes please", wantErr: true},
		{url: "http://mail.example.com", wantErr: true},
		{url: "smtp://:25", wantErr: true},
		{url: "smtp://mail.example.com:0", wantErr: true},
		{url: "smtp://mail.example.com:99999", wantErr: true},
		{url: "smtp://mail.example.com/path", wantErr: true},
		{url: "smtp://u:p@mail.example.com:bad", wantErr: true},
		{url: "mail.example.com:25", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			s, err := NewSMTP(tc.url, SMTPOptions{})
			if (err != nil) != tc.wantErr {
				t.Fatalf("NewSMTP error = %v, want error %v", err, tc.wantErr)
			}
			if err != nil {
				if strings.Contains(err.Error(), ":p@") || strings.Contains(err.Error(), "pass") {
					t.Errorf("error leaks credentials: %v", err)
				}
				return
			}
			if s.port != tc.port || s.implicitTLS != tc.implicit || s.tlsConfig.InsecureSkipVerify != tc.skip ||
				(!tc.implicit && s.policy != tc.policy) || s.timeout != DefaultSMTPTimeout {
				t.Errorf("got port=%d implicit=%v policy=%v skip=%v timeout=%v",
					s.port, s.implicitTLS, s.policy, s.tlsConfig.InsecureSkipVerify, s.timeout)
			}
		})
	}
}

func TestSMTPContext(t *testing.T) {
	// A server that accepts and never greets: only ctx can end the wait.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { _ = c.Close() })
		}
	}()
	s, err := NewSMTP("smtp://"+l.Addr().String()+"?tls=none", SMTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}{
		{"deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 200*time.Millisecond)
		}, context.DeadlineExceeded},
		{"cancel", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(200*time.Millisecond, cancel)
			return ctx, cancel
		}, context.Canceled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := tc.ctx()
			defer cancel()
			start := time.Now()
			err := s.Send(ctx, testEmail())
			if !errors.Is(err, tc.want) || IsPermanent(err) {
				t.Fatalf("Send = %v, want temporary %v", err, tc.want)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Fatalf("Send took %v after the context ended", d)
			}
		})
	}
}
