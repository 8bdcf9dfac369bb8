package transport

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
)

// Channels an Envelope can travel on.
const (
	ChannelEmail = "EMAIL"
	ChannelSMS   = "SMS"
)

// Envelope is one rendered message ready to leave.
type Envelope struct {
	ID      string // the outbox message id (idempotency, logs)
	Channel string // ChannelEmail or ChannelSMS
	To      string // email address or E.164 phone number
	From    string // email: the sender address (may be "Name <addr>")
	ReplyTo string // email, optional
	Subject string // email
	Body    string // text; for email it may be HTML (HTML true)
	HTML    bool
	// For SES: SourceArn (identity ARN) and ConfigurationSet, optional.
	SourceArn, ConfigurationSet string
	// Context for webhooks and logs.
	UserPoolID, Username, Kind string
}

// Transport sends envelopes over one medium.
type Transport interface {
	Name() string // "smtp", "ses", "sns", "webhook"
	Send(ctx context.Context, e *Envelope) error
}

// Permanent wraps an error that retrying will not fix (malformed address,
// refusal of the message itself, 5xx SMTP reply, AWS validation error); the
// worker fails such a message at once instead of retrying it. Both
// Permanent{...} and &Permanent{...} are errors.
type Permanent struct{ Err error }

func (p Permanent) Error() string {
	if p.Err == nil {
		return "permanent failure"
	}
	return p.Err.Error()
}

func (p Permanent) Unwrap() error { return p.Err }

// IsPermanent reports whether err, or any error it wraps, is a Permanent
// (by value or by pointer).
func IsPermanent(err error) bool {
	var v Permanent
	var p *Permanent
	return errors.As(err, &v) || errors.As(err, &p)
}

func permanentf(format string, args ...any) error {
	return Permanent{Err: fmt.Errorf(format, args...)}
}

// Limits that keep go-mail's header lines under RFC 5322's 998 octets: it
// folds only at spaces, so one long word would otherwise overflow a line.
const (
	maxAddressLen = 320
	maxSubjectLen = 900
)

// checkHeaderText refuses values that could end a header line early; CR and
// LF are the injection vector, NUL is refused by many MTAs anyway.
func checkHeaderText(field, v string) error {
	if strings.ContainsAny(v, "\r\n\x00") {
		return fmt.Errorf("%s contains a line break or NUL", field)
	}
	return nil
}

// parseAddress validates one RFC 5322 address ("a@b" or "Name <a@b>").
func parseAddress(field, v string) (*mail.Address, error) {
	if v == "" {
		return nil, fmt.Errorf("%s is empty", field)
	}
	if err := checkHeaderText(field, v); err != nil {
		return nil, err
	}
	if len(v) > maxAddressLen {
		return nil, fmt.Errorf("%s is longer than %d bytes", field, maxAddressLen)
	}
	a, err := mail.ParseAddress(v)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %v", field, v, err)
	}
	return a, nil
}

// formatAddress renders a for APIs that take a string: the bare address when
// there is no display name, else the RFC 2047-encoded form SES asks for.
func formatAddress(a *mail.Address) string {
	if a.Name == "" {
		return a.Address
	}
	return a.String()
}

// checkEnvelope rejects nil envelopes and ones meant for another channel;
// an empty Channel is accepted so callers that route by transport need not
// set it.
func checkEnvelope(name string, e *Envelope, channel string) error {
	if e == nil {
		return permanentf("%s: nil envelope", name)
	}
	if e.Channel != "" && e.Channel != channel {
		return permanentf("%s: channel %q is not %s", name, e.Channel, channel)
	}
	return nil
}

// emailFields validates the header-bound fields shared by SMTP and SES;
// every failure is Permanent.
func emailFields(name string, e *Envelope) (from, to, replyTo *mail.Address, err error) {
	from, to, replyTo, err = parseEmailFields(e)
	if err != nil {
		return nil, nil, nil, permanentf("%s: %w", name, err)
	}
	return from, to, replyTo, nil
}

func parseEmailFields(e *Envelope) (from, to, replyTo *mail.Address, err error) {
	if from, err = parseAddress("from", e.From); err != nil {
		return nil, nil, nil, err
	}
	if to, err = parseAddress("to", e.To); err != nil {
		return nil, nil, nil, err
	}
	if e.ReplyTo != "" {
		if replyTo, err = parseAddress("reply-to", e.ReplyTo); err != nil {
			return nil, nil, nil, err
		}
	}
	if err = checkHeaderText("subject", e.Subject); err != nil {
		return nil, nil, nil, err
	}
	if len(e.Subject) > maxSubjectLen {
		return nil, nil, nil, fmt.Errorf("subject is longer than %d bytes", maxSubjectLen)
	}
	return from, to, replyTo, nil
}
