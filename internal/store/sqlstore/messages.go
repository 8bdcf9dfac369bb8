package sqlstore

import (
	"context"

	"github.com/cgip/cgip/internal/store"
	"github.com/google/uuid"
)

const (
	messageColumns = `id, pool_id, username, kind, channel, destination, payload, status, created_at`

	sqlInsertMessage = `INSERT INTO messages (` + messageColumns + `)
SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 WHERE EXISTS (SELECT 1 FROM user_pools WHERE id = $2)
ON CONFLICT DO NOTHING`
	sqlListMessages = `SELECT ` + messageColumns + ` FROM messages
WHERE pool_id = $1 ORDER BY created_at DESC, seq DESC LIMIT $2`
)

// messageQueued is the Status of a message that EnqueueMessage stores without one.
const messageQueued = "queued"

// EnqueueMessage inserts m; an empty ID becomes a random UUID, a zero CreatedAt now and an
// empty Status "queued", and m holds the stored values. ErrConflict if the ID is taken,
// ErrNotFound if the pool does not exist.
func (o ops) EnqueueMessage(ctx context.Context, m *store.Message) error {
	const op = "enqueue message"
	id, status := m.ID, m.Status
	if id == "" {
		id = uuid.NewString()
	}
	if status == "" {
		status = messageQueued
	}
	created := nowIfZero(m.CreatedAt)
	res, err := o.q.ExecContext(ctx, sqlInsertMessage, id, m.PoolID, m.Username, m.Kind, m.Channel,
		m.Destination, blob(m.Payload), status, created)
	if err != nil {
		return o.insertFailed(ctx, op, err)
	}
	if err := o.inserted(ctx, op, res, sqlPoolIDExists, m.PoolID); err != nil {
		return err
	}
	m.ID, m.Status, m.CreatedAt = id, status, created
	return nil
}

// ListMessages returns at most n of the pool's messages (all of them if n <= 0), newest first;
// messages created at the same time come in reverse order of insertion.
func (o ops) ListMessages(ctx context.Context, poolID string, n int) ([]store.Message, error) {
	return queryAll(ctx, o, "list messages", scanMessage, sqlListMessages, poolID, limit(store.Page{Limit: n}))
}

func scanMessage(row scanner) (*store.Message, error) {
	var (
		m       store.Message
		created timeScanner
	)
	if err := row.Scan(&m.ID, &m.PoolID, &m.Username, &m.Kind, &m.Channel, &m.Destination,
		&m.Payload, &m.Status, &created); err != nil {
		return nil, err
	}
	m.CreatedAt = created.t
	return &m, nil
}
