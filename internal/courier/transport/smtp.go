package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"
)

// DefaultSMTPTimeout bounds dialing and each step of an SMTP session.
const DefaultSMTPTimeout = 30 * time.Second

// SMTPOptions tunes an SMTP transport beyond what its URL says.
type SMTPOptions struct {
	RootCAs   *x509.CertPool // trust anchors for the server certificate; nil means the system pool
	Timeout   time.Duration  // dial and per-command timeout; 0 means DefaultSMTPTimeout
	HelloName string         // EHLO name; "" means the host name
}

// SMTP sends email through an SMTP submission server.
type SMTP struct {
	host        string
	port        int
	implicitTLS bool
	policy      mail.TLSPolicy
	user, pass  string
	tlsConfig   *tls.Config
	timeout     time.Duration
	helloName   string
}

// NewSMTP parses a server URL:
//
//	smtp://user:pass@host:587                 STARTTLS required (port defaults to 587)
//	smtp://host:25?tls=opportunistic          STARTTLS when the server offers it
//	smtp://host:1025?tls=none                 clear text
//	smtps://user:pass@host:465                implicit TLS (port defaults to 465)
//
// insecure_skip_verify=true disables certificate checks (test servers only).
// Credentials, when present, are sent with AUTH PLAIN or LOGIN.
func NewSMTP(rawURL string, opts SMTPOptions) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse quotes the URL, password included; keep it out of logs.
		return nil, errors.New("smtp: malformed URL")
	}
	s := &SMTP{timeout: opts.Timeout, helloName: opts.HelloName}
	switch u.Scheme {
	case "smtp":
		s.port = mail.DefaultPortTLS
	case "smtps":
		s.port, s.implicitTLS = mail.DefaultPortSSL, true
	default:
		return nil, fmt.Errorf("smtp: scheme %q is not smtp or smtps", u.Scheme)
	}
	s.host = u.Hostname()
	if s.host == "" {
		return nil, errors.New("smtp: URL has no host")
	}
	if p := u.Port(); p != "" {
		if s.port, err = strconv.Atoi(p); err != nil || s.port < 1 || s.port > 65535 {
			return nil, fmt.Errorf("smtp: invalid port %q", p)
		}
	}
	if u.Path != "" && u.Path != "/" {
		return nil, fmt.Errorf("smtp: unexpected path %q", u.Path)
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}

	q := u.Query()
	// Unknown parameters are refused so that a typo cannot silently turn
	// into clear text or a skipped certificate check.
	for k := range q {
		if k != "tls" && k != "insecure_skip_verify" {
			return nil, fmt.Errorf("smtp: unknown URL parameter %q", k)
		}
	}
	mode := q.Get("tls")
	if s.implicitTLS && mode != "" {
		return nil, errors.New("smtp: the tls parameter does not apply to smtps://")
	}
	switch mode {
	case "", "required":
		s.policy = mail.TLSMandatory
	case "opportunistic":
		s.policy = mail.TLSOpportunistic
	case "none":
		s.policy = mail.NoTLS
	default:
		return nil, fmt.Errorf("smtp: tls=%q is not required, opportunistic or none", mode)
	}
	skipVerify := false
	if v := q.Get("insecure_skip_verify"); v != "" {
		if skipVerify, err = strconv.ParseBool(v); err != nil {
			return nil, fmt.Errorf("smtp: insecure_skip_verify=%q is not a boolean", v)
		}
	}
	// go-mail refuses PLAIN/LOGIN in clear text except to these names;
	// saying so now beats failing every message later.
	if s.user != "" && s.policy == mail.NoTLS && !s.implicitTLS &&
		s.host != "localhost" && s.host != "127.0.0.1" && s.host != "::1" {
		return nil, errors.New("smtp: credentials would be sent in clear text (tls=none)")
	}

	if s.timeout <= 0 {
		s.timeout = DefaultSMTPTimeout
	}
	if strings.ContainsAny(s.helloName, "\r\n\x00 ") {
		return nil, errors.New("smtp: invalid HelloName")
	}
	s.tlsConfig = &tls.Config{
		ServerName:         s.host,
		RootCAs:            opts.RootCAs,
		InsecureSkipVerify: skipVerify, //nolint:gosec // opt-in, for self-signed test servers
		MinVersion:         tls.VersionTLS12,
	}
	return s, nil
}

// Name implements Transport.
func (s *SMTP) Name() string { return "smtp" }

// Send implements Transport. It opens one connection per message, which
// keeps the transport stateless and safe for concurrent use.
func (s *SMTP) Send(ctx context.Context, e *Envelope) error {
	msg, err := buildMessage(e)
	if err != nil {
		return err
	}
	timeout := s.timeout
	if dl, ok := ctx.Deadline(); ok {
		timeout = min(timeout, time.Until(dl))
	}
	if timeout <= 0 {
		return fmt.Errorf("smtp: %w", context.DeadlineExceeded)
	}

	// go-mail honours ctx only while dialing; closing the connection when
	// ctx ends also interrupts a stalled session (e.g. on shutdown).
	var stop func() bool
	defer func() {
		if stop != nil {
			stop()
		}
	}()
	dial := func(dctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := s.dial(dctx, network, addr)
		if err != nil {
			return nil, err
		}
		stop = context.AfterFunc(ctx, func() { _ = conn.Close() })
		return conn, nil
	}

	copts := []mail.Option{
		mail.WithPort(s.port),
		mail.WithTimeout(timeout),
		mail.WithTLSConfig(s.tlsConfig),
		mail.WithDialContextFunc(dial),
		mail.WithoutNoop(), // a fresh connection needs no liveness probe
	}
	if s.implicitTLS {
		copts = append(copts, mail.WithSSL())
	} else {
		copts = append(copts, mail.WithTLSPolicy(s.policy))
	}
	if s.helloName != "" {
		copts = append(copts, mail.WithHELO(s.helloName))
	}
	if s.user != "" {
		copts = append(copts,
			mail.WithOpportunisticSMTPAuth(mail.SMTPAuthPlain, mail.SMTPAuthLogin),
			mail.WithUsername(s.user), mail.WithPassword(s.pass))
	}
	client, err := mail.NewClient(s.host, copts...)
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		if cerr := contextErr(ctx); cerr != nil {
			return fmt.Errorf("smtp: %w: %v", cerr, err)
		}
		return classifySMTP(err)
	}
	return nil
}

// dial connects, wrapping the connection in TLS for smtps:// itself because
// go-mail skips its own TLS dialer when given a dial function. The result
// stays a *tls.Conn, which is how go-mail knows AUTH PLAIN is safe.
func (s *SMTP) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{}
	if s.implicitTLS {
		td := &tls.Dialer{NetDialer: d, Config: s.tlsConfig.Clone()}
		return td.DialContext(ctx, network, addr)
	}
	return d.DialContext(ctx, network, addr)
}

// contextErr is ctx.Err(), also once the deadline has passed but the
// context's timer has not fired yet: the connection deadline derived from it
// can win that race.
func contextErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
		return context.DeadlineExceeded
	}
	return nil
}

// classifySMTP marks 5xx replies permanent; 4xx replies, TLS and network
// failures stay temporary.
func classifySMTP(err error) error {
	err = fmt.Errorf("smtp: %w", err)
	var se *mail.SendError
	if errors.As(err, &se) {
		switch {
		case se.ErrorCode() >= 500:
			return Permanent{Err: err}
		case se.Reason == mail.ErrGetSender, se.Reason == mail.ErrGetRcpts:
			return Permanent{Err: err}
		}
		return err
	}
	// Replies during greeting, EHLO, STARTTLS and AUTH.
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 {
		return Permanent{Err: err}
	}
	return err
}

// messageIDRe restricts which outbox ids may become a Message-ID.
var messageIDRe = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// buildMessage turns e into a go-mail message, refusing any field that could
// inject a header; go-mail then encodes what remains.
func buildMessage(e *Envelope) (*mail.Msg, error) {
	if err := checkEnvelope("smtp", e, ChannelEmail); err != nil {
		return nil, err
	}
	from, to, replyTo, err := emailFields("smtp", e)
	if err != nil {
		return nil, err
	}
	// No default User-Agent: it would only advertise the library version.
	m := mail.NewMsg(mail.WithNoDefaultUserAgent())
	m.FromMailAddress(from)
	m.ToMailAddress(to)
	if replyTo != nil {
		m.ReplyToMailAddress(replyTo)
	}
	m.Subject(e.Subject)
	// RFC 3834: keeps vacation responders from answering code mails.
	m.SetGenHeader(mail.Header("Auto-Submitted"), "auto-generated")
	// A Message-ID derived from the outbox id stays the same across
	// retries, so receivers can drop a duplicate after a lost reply.
	if messageIDRe.MatchString(e.ID) {
		m.SetMessageIDWithValue(e.ID + "@" + from.Address[strings.LastIndexByte(from.Address, '@')+1:])
	}
	if e.HTML {
		m.SetBodyString(mail.TypeTextHTML, e.Body)
	} else {
		m.SetBodyString(mail.TypeTextPlain, e.Body)
	}
	return m, nil
}
