package store

import (
	"context"
	"time"
)

// Message statuses.
const (
	MessageQueued  = "queued"  // waiting for (another) delivery attempt
	MessageSent    = "sent"    // handed to its transport
	MessageFailed  = "failed"  // abandoned after the last attempt, or refused for good
	MessageDropped = "dropped" // deliberately not sent (SMS sandbox, no origination identity, ...)
)

// Message is a side effect that must not be lost: written in the same transaction as the change
// that causes it, delivered afterwards by the courier (at least once).
type Message struct {
	ID          string
	PoolID      string
	Username    string
	Kind        string // AdminCreateUser, ForgotPassword, SignUp, ...
	Channel     string // EMAIL or SMS
	Destination string
	// Payload is the rendered message (subject, body, sender, the code it carries), sealed by
	// the domain: it can carry a code or a temporary password. Purged after delivery.
	Payload []byte
	// Inbox keeps the message readable through the inbox API.
	Inbox bool
	// QuotaKey names a daily sending quota the message counts against ("" for none).
	QuotaKey string
	Status   string
	Error    string // why it failed or was dropped, or the last attempt's error
	Attempts int
	// NextAttemptAt is when the worker may try (again).
	NextAttemptAt time.Time
	CreatedAt     time.Time
	SentAt        time.Time // zero until sent
	// ClaimToken identifies the claim a worker holds (set by ClaimMessages, required by
	// FinishMessage).
	ClaimToken string
}

// MessageQuery selects messages for the inbox API; empty fields match anything.
type MessageQuery struct {
	PoolID      string
	Username    string
	Kind        string
	Destination string
	InboxOnly   bool
	Since       time.Time // created at or after
	Limit       int       // <= 0: no limit
}

// OutboxTx is the outbox part of Tx.
type OutboxTx interface {
	// EnqueueMessage adds a message (ID, CreatedAt and NextAttemptAt default to a new id and
	// now, Status to queued); ErrConflict for a taken ID, ErrNotFound without the pool.
	EnqueueMessage(ctx context.Context, m *Message) error
	// ListMessages lists messages newest first.
	ListMessages(ctx context.Context, q MessageQuery) ([]Message, error)
	// CountMessages counts the messages of a quota created at or after since, stopping at
	// atMost (a quota check needs no more; atMost <= 0 counts them all).
	CountMessages(ctx context.Context, quotaKey string, since time.Time, atMost int64) (int64, error)
	// ClaimMessages leases up to n queued messages that are due (NextAttemptAt <= now) and not
	// leased to anyone, oldest due first, for lease: until it runs out no other claim returns
	// them. Several processes on one PostgreSQL database claim disjoint sets (SKIP LOCKED).
	// Each returned message carries a fresh ClaimToken.
	ClaimMessages(ctx context.Context, now time.Time, n int, lease time.Duration) ([]Message, error)
	// FinishMessage records the outcome of an attempt (Status, Error, Attempts, NextAttemptAt,
	// SentAt) and ends the lease, if m.ClaimToken still holds it; ErrConflict when the lease was
	// lost (the message was claimed again), ErrNotFound when the message is gone.
	FinishMessage(ctx context.Context, m *Message) error
	// ClearInbox takes every message out of the inbox view (Inbox=false).
	ClearInbox(ctx context.Context) error
	// PurgeMessages empties the Payload of messages that are no longer queued, not in the inbox
	// and created before before, and returns how many it emptied.
	PurgeMessages(ctx context.Context, before time.Time) (int64, error)
	// DeleteMessages deletes the messages that are no longer queued, not in the inbox and
	// created before before, and returns how many it deleted.
	DeleteMessages(ctx context.Context, before time.Time) (int64, error)
}
