package courier

import (
	"context"
	"time"

	"github.com/cgip/cgip/internal/store"
)

// InboxMessage is a message as the inbox API shows it.
type InboxMessage struct {
	Id          string
	UserPoolId  string
	Username    string
	Kind        string
	Channel     string
	Destination string
	Subject     string `json:",omitempty"`
	Body        string
	Code        string `json:",omitempty"`
	Status      string
	Error       string  `json:",omitempty"`
	CreatedAt   float64 // epoch seconds, as Cognito's dates
}

// InboxQuery selects inbox messages; empty fields match anything.
type InboxQuery struct {
	To, UserPoolID, Username, Kind string
	Since                          time.Time
	Limit                          int
}

// maxInboxLimit bounds one inbox listing.
const maxInboxLimit = 1000

// Inbox lists the messages kept for the inbox API, newest first, with their bodies and codes.
// With wait, it polls (every 100 ms, through the store, so any node's messages count) until at
// least one matches or wait passes.
func (c *Courier) Inbox(ctx context.Context, q InboxQuery, wait time.Duration) ([]InboxMessage, error) {
	limit := q.Limit
	if limit <= 0 || limit > maxInboxLimit {
		limit = maxInboxLimit
	}
	sq := store.MessageQuery{PoolID: q.UserPoolID, Username: q.Username, Kind: q.Kind, Destination: q.To,
		InboxOnly: true, Since: q.Since, Limit: limit}
	deadline := c.cfg.Now().Add(wait)
	for {
		msgs, err := c.cfg.Store.ListMessages(ctx, sq)
		if err != nil {
			return nil, err
		}
		if len(msgs) > 0 || !c.cfg.Now().Before(deadline) {
			return c.inboxView(msgs), nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (c *Courier) inboxView(msgs []store.Message) []InboxMessage {
	out := make([]InboxMessage, 0, len(msgs))
	for i := range msgs {
		m := &msgs[i]
		v := InboxMessage{
			Id: m.ID, UserPoolId: m.PoolID, Username: m.Username, Kind: m.Kind, Channel: m.Channel,
			Destination: m.Destination, Status: m.Status, Error: m.Error,
			CreatedAt: float64(m.CreatedAt.UnixMilli()) / 1000,
		}
		if p, err := c.open(m); err == nil {
			v.Subject, v.Body, v.Code = p.Subject, p.Body, p.Code
		}
		out = append(out, v)
	}
	return out
}

// ClearInbox empties the inbox view.
func (c *Courier) ClearInbox(ctx context.Context) error { return c.cfg.Store.ClearInbox(ctx) }
