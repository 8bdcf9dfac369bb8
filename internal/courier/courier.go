package courier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cgip/cgip/internal/courier/transport"
	"github.com/cgip/cgip/internal/seal"
	"github.com/cgip/cgip/internal/store"
)

// Channels of a message.
const (
	Email = "EMAIL"
	SMS   = "SMS"
)

// inboxTransport names messages whose only destination is the inbox.
const inboxTransport = "inbox"

// ErrDailyEmailLimit: the built-in sender's daily quota for the account is used up.
var ErrDailyEmailLimit = errors.New("courier: daily email limit of the built-in sender reached")

// Config wires a Courier. Nil transports mean "keep the message in the inbox".
type Config struct {
	Store  store.Store
	Sealer *seal.Sealer
	Logger *slog.Logger
	Now    func() time.Time

	SMTP    transport.Transport // email from COGNITO_DEFAULT pools (and DEVELOPER pools without SES)
	SES     transport.Transport // email from EmailSendingAccount=DEVELOPER pools
	SMS     transport.Transport // SNS or a webhook
	Inbox   bool                // also keep every message readable in the inbox
	SMSRule SMSRules

	// DailyEmailLimit caps the built-in sender per account and UTC day (0: Cognito's 50;
	// negative: no cap).
	DailyEmailLimit int
	MaxAttempts     int           // then a message fails (default 5)
	Retention       time.Duration // delivered bodies are purged after this (default 24 h)
	Interval        time.Duration // how often the worker looks for due messages (default 250 ms)
	Lease           time.Duration // how long a claim holds (default 1 min)
}

// SMSRules are the account's SMS realities (SPEC section 8).
type SMSRules struct {
	// Sandbox: only VerifiedDestinations receive messages; others are dropped.
	Sandbox              bool
	VerifiedDestinations []string
	// OriginationNumber is the account's origination identity; US numbers (+1) need one.
	OriginationNumber string
}

// Courier enqueues and delivers messages.
type Courier struct {
	cfg Config
	log *slog.Logger
}

func New(cfg Config) *Courier {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.DailyEmailLimit == 0 {
		cfg.DailyEmailLimit = 50
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = 5
	}
	if cfg.Retention == 0 {
		cfg.Retention = 24 * time.Hour
	}
	if cfg.Interval == 0 {
		cfg.Interval = 250 * time.Millisecond
	}
	if cfg.Lease == 0 {
		cfg.Lease = time.Minute
	}
	return &Courier{cfg: cfg, log: cfg.Logger}
}

// Message is one message to send, rendered by the domain.
type Message struct {
	AccountID string
	PoolID    string
	Username  string
	Kind      string // AdminCreateUser, ForgotPassword, ...
	Channel   string // Email or SMS
	To        string
	Subject   string
	Body      string
	Code      string // the code or temporary password it carries, for the inbox API
	// Email sender: From (empty: the built-in sender), ReplyTo, and for DEVELOPER pools the
	// SES identity and configuration set.
	From, ReplyTo, SourceArn, ConfigurationSet string
	// Developer is true for EmailSendingAccount=DEVELOPER pools (SES); otherwise the built-in
	// sender's daily limit applies.
	Developer bool
}

// payload is what the outbox keeps, sealed: everything needed to send and to show in the inbox.
type payload struct {
	Transport string
	Subject   string `json:",omitempty"`
	Body      string
	HTML      bool   `json:",omitempty"`
	Code      string `json:",omitempty"`
	From      string `json:",omitempty"`
	ReplyTo   string `json:",omitempty"`
	SourceArn string `json:",omitempty"`
	ConfigSet string `json:",omitempty"`
}

func payloadLabel(id string) string { return "message:" + id }

// Enqueue writes m to the outbox inside tx, the transaction of the change that causes it. It
// enforces the built-in sender's daily limit (ErrDailyEmailLimit) and the SMS rules: a message
// the rules do not allow is recorded as dropped, with the reason, and the caller succeeds.
func (c *Courier) Enqueue(ctx context.Context, tx store.Tx, m Message) error {
	now := c.cfg.Now().UTC()
	rec := &store.Message{
		ID: uuid.NewString(), PoolID: m.PoolID, Username: m.Username, Kind: m.Kind,
		Channel: m.Channel, Destination: m.To, Status: store.MessageQueued,
		CreatedAt: now, NextAttemptAt: now, Inbox: c.cfg.Inbox,
	}
	p := payload{Body: m.Body, Code: m.Code}
	switch m.Channel {
	case Email:
		p.Subject, p.From, p.ReplyTo = m.Subject, m.From, m.ReplyTo
		p.HTML = LooksLikeHTML(m.Body)
		if p.From == "" {
			p.From = BuiltInSender
		}
		switch {
		case m.Developer && c.cfg.SES != nil:
			p.Transport, p.SourceArn, p.ConfigSet = c.cfg.SES.Name(), m.SourceArn, m.ConfigurationSet
		case c.cfg.SMTP != nil:
			p.Transport = c.cfg.SMTP.Name()
		default:
			p.Transport = inboxTransport
		}
		if !m.Developer {
			rec.QuotaKey = "cognito-default:" + m.AccountID
		}
		if !m.Developer && c.cfg.DailyEmailLimit > 0 {
			day := now.Truncate(24 * time.Hour)
			limit := int64(c.cfg.DailyEmailLimit)
			n, err := tx.CountMessages(ctx, rec.QuotaKey, day, limit)
			if err != nil {
				return err
			}
			if n >= limit {
				return ErrDailyEmailLimit
			}
		}
	case SMS:
		p.Transport = inboxTransport
		if c.cfg.SMS != nil {
			p.Transport = c.cfg.SMS.Name()
		}
		if reason := c.smsDropReason(m.To); reason != "" {
			rec.Status, rec.Error = store.MessageDropped, reason
		}
	default:
		return fmt.Errorf("courier: unknown channel %q", m.Channel)
	}
	if p.Transport == inboxTransport {
		rec.Inbox = true
		if rec.Status == store.MessageQueued {
			rec.Status, rec.SentAt = store.MessageSent, now // the inbox is the delivery
		}
	}
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	rec.Payload = c.cfg.Sealer.Seal(b, payloadLabel(rec.ID))
	return tx.EnqueueMessage(ctx, rec)
}

// smsDropReason applies the SMS sandbox and origination rules (SPEC section 8).
func (c *Courier) smsDropReason(to string) string {
	r := c.cfg.SMSRule
	if r.Sandbox && !slices.Contains(r.VerifiedDestinations, to) {
		return "SMS sandbox: " + MaskPhone(to) + " is not a verified destination number"
	}
	if strings.HasPrefix(to, "+1") && r.OriginationNumber == "" {
		return "no origination identity for US destination numbers"
	}
	return ""
}

// Run delivers due messages until ctx ends: claim a batch, send each, record the outcome;
// now and then purge delivered bodies.
func (c *Courier) Run(ctx context.Context) {
	tick := time.NewTicker(c.cfg.Interval)
	defer tick.Stop()
	lastPurge := time.Time{}
	for {
		n := c.deliverBatch(ctx)
		if now := c.cfg.Now(); now.Sub(lastPurge) > time.Minute {
			lastPurge = now
			if _, err := c.cfg.Store.PurgeMessages(ctx, now.Add(-c.cfg.Retention)); err != nil && ctx.Err() == nil {
				c.log.Warn("purging delivered messages failed", "error", err)
			}
		}
		if n > 0 {
			continue // there may be more due right away
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// batchSize bounds one claim.
const batchSize = 25

// deliverBatch claims and delivers one batch and returns how many it claimed.
func (c *Courier) deliverBatch(ctx context.Context) int {
	msgs, err := c.cfg.Store.ClaimMessages(ctx, c.cfg.Now().UTC(), batchSize, c.cfg.Lease)
	if err != nil {
		if ctx.Err() == nil {
			c.log.Warn("claiming messages failed", "error", err)
		}
		return 0
	}
	for i := range msgs {
		c.deliver(ctx, &msgs[i])
	}
	return len(msgs)
}

// deliver makes one attempt and records it. Neither the body nor the code is ever logged.
func (c *Courier) deliver(ctx context.Context, m *store.Message) {
	err := c.send(ctx, m)
	m.Attempts++
	now := c.cfg.Now().UTC()
	switch {
	case err == nil:
		m.Status, m.Error, m.SentAt = store.MessageSent, "", now
	case transport.IsPermanent(err) || m.Attempts >= c.cfg.MaxAttempts:
		m.Status, m.Error = store.MessageFailed, err.Error()
	default:
		m.Status, m.Error = store.MessageQueued, err.Error()
		m.NextAttemptAt = now.Add(backoff(m.Attempts))
	}
	// A lost lease means another worker took the message over; its outcome wins.
	if err := c.cfg.Store.FinishMessage(ctx, m); err != nil && !errors.Is(err, store.ErrConflict) && ctx.Err() == nil {
		c.log.Warn("recording a delivery failed", "message_id", m.ID, "error", err)
	}
	// Logged after the record (or the warning that it failed): a crash before the record leaves
	// no line for an attempt the queue does not know of (the message stays leased, to be tried
	// again when the lease ends).
	level := slog.LevelInfo
	if err != nil {
		level = slog.LevelWarn
	}
	c.log.LogAttrs(ctx, level, "message delivery", slog.String("message_id", m.ID), slog.String("kind", m.Kind),
		slog.String("channel", m.Channel), slog.String("status", m.Status), slog.Int("attempt", m.Attempts),
		slog.String("error", m.Error))
}

func (c *Courier) send(ctx context.Context, m *store.Message) error {
	p, err := c.open(m)
	if err != nil {
		return transport.Permanent{Err: err}
	}
	t := c.transportFor(p.Transport)
	if t == nil {
		if p.Transport == inboxTransport {
			return nil
		}
		return transport.Permanent{Err: fmt.Errorf("transport %q is not configured on this node", p.Transport)}
	}
	return t.Send(ctx, &transport.Envelope{
		ID: m.ID, Channel: m.Channel, To: m.Destination, From: p.From, ReplyTo: p.ReplyTo,
		Subject: p.Subject, Body: p.Body, HTML: p.HTML, SourceArn: p.SourceArn, ConfigurationSet: p.ConfigSet,
		UserPoolID: m.PoolID, Username: m.Username, Kind: m.Kind,
	})
}

func (c *Courier) transportFor(name string) transport.Transport {
	for _, t := range []transport.Transport{c.cfg.SMTP, c.cfg.SES, c.cfg.SMS} {
		if t != nil && t.Name() == name {
			return t
		}
	}
	return nil
}

func (c *Courier) open(m *store.Message) (payload, error) {
	var p payload
	if m.Payload == nil {
		return p, errors.New("message body was purged")
	}
	b, err := c.cfg.Sealer.Open(m.Payload, payloadLabel(m.ID))
	if err != nil {
		return p, err
	}
	return p, json.Unmarshal(b, &p)
}

// backoff is the wait before attempt n+1: 1 s doubling to at most 5 min, with jitter so that
// retries of many messages spread out.
func backoff(attempts int) time.Duration {
	d := time.Second << min(attempts-1, 9)
	d = min(d, 5*time.Minute)
	return d/2 + rand.N(d/2+1)
}
