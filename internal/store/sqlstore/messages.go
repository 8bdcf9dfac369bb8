package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/cgip/cgip/internal/store"
	"github.com/google/uuid"
)

// The outbox is the messages table. A message is claimed by setting lease_until and claim_token
// (ClaimMessages) and released by clearing both (FinishMessage), which only the holder of the
// current claim_token can do. seq is the insertion order: it breaks ties between messages
// created (or due) in the same microsecond.
const (
	messageInsertColumns = `id, pool_id, username, kind, channel, destination, payload, inbox, quota_key,
status, error, attempts, next_attempt_at, created_at, sent_at`
	messageColumns = messageInsertColumns + `, claim_token`

	sqlInsertMessage = `INSERT INTO messages (` + messageInsertColumns + `)
SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15
WHERE EXISTS (SELECT 1 FROM user_pools WHERE id = $2)
ON CONFLICT DO NOTHING`
	sqlMessageExists = `SELECT 1 FROM messages WHERE id = $1`
	sqlListMessages  = `SELECT ` + messageColumns + ` FROM messages`
	sqlCountMessages = `SELECT COUNT(*) FROM (SELECT 1 FROM messages WHERE quota_key = $1 AND created_at >= $2 LIMIT $3) AS q`

	// sqlClaimDue picks the seq of up to $3 queued messages that are due at $1 and not leased,
	// oldest due first (an index range of messages_due). The dialects complete it: PostgreSQL
	// locks the rows it picks and skips rows a concurrent claim has locked; SQLite runs one
	// writer at a time, so no other claim can be in progress.
	sqlClaimDue = `SELECT seq FROM messages
WHERE status = 'queued' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
ORDER BY next_attempt_at, seq LIMIT $3`
	// sqlClaimSet leases the picked messages until $2. Each gets its own token: the claim's
	// random $4 followed by the message's seq.
	sqlClaimSet = `UPDATE messages SET lease_until = $2, claim_token = CAST($4 AS TEXT) || ':' || CAST(seq AS TEXT)
WHERE seq IN (`
	sqlClaimReturning = `)
RETURNING seq, ` + messageColumns
	sqlClaimMessagesSQLite   = sqlClaimSet + sqlClaimDue + sqlClaimReturning
	sqlClaimMessagesPostgres = sqlClaimSet + sqlClaimDue + ` FOR UPDATE SKIP LOCKED` + sqlClaimReturning

	sqlFinishMessage = `UPDATE messages SET status = $1, error = $2, attempts = $3, next_attempt_at = $4,
sent_at = $5, lease_until = NULL, claim_token = NULL
WHERE id = $6 AND claim_token = $7`
	sqlClearInbox    = `UPDATE messages SET inbox = FALSE WHERE inbox`
	sqlPurgeMessages = `UPDATE messages SET payload = NULL
WHERE payload IS NOT NULL AND created_at < $1 AND status <> 'queued' AND NOT inbox`
	sqlDeleteMessages = `DELETE FROM messages WHERE inbox = false AND created_at < $1 AND status <> 'queued'`
)

// EnqueueMessage inserts m; an empty ID becomes a random UUID, a zero CreatedAt and a zero
// NextAttemptAt now, an empty Status "queued", and m holds the stored values (no claim).
// ErrConflict if the ID is taken, ErrNotFound if the pool does not exist.
func (o ops) EnqueueMessage(ctx context.Context, m *store.Message) error {
	const op = "enqueue message"
	id, status := m.ID, m.Status
	if id == "" {
		id = uuid.NewString()
	}
	if status == "" {
		status = store.MessageQueued
	}
	now := dbTime(time.Now())
	created, next := now, now
	if !m.CreatedAt.IsZero() {
		created = dbTime(m.CreatedAt)
	}
	if !m.NextAttemptAt.IsZero() {
		next = dbTime(m.NextAttemptAt)
	}
	sent, sentArg := nullTime(m.SentAt)
	res, err := o.q.ExecContext(ctx, sqlInsertMessage, id, m.PoolID, m.Username, m.Kind, m.Channel,
		m.Destination, blob(m.Payload), m.Inbox, m.QuotaKey, status, m.Error, int64(m.Attempts),
		next, created, sentArg)
	if err != nil {
		return o.insertFailed(ctx, op, err)
	}
	if err := o.inserted(ctx, op, res, sqlPoolIDExists, m.PoolID); err != nil {
		return err
	}
	m.ID, m.Status, m.CreatedAt, m.NextAttemptAt, m.SentAt, m.ClaimToken = id, status, created, next, sent, ""
	return nil
}

// ListMessages returns the messages q selects, newest first (messages created at the same
// time in reverse order of insertion), at most q.Limit of them (all if Limit <= 0).
func (o ops) ListMessages(ctx context.Context, q store.MessageQuery) ([]store.Message, error) {
	query, args := listMessagesQuery(q)
	return queryAll(ctx, o, "list messages", scanMessage, query, args...)
}

// listMessagesQuery builds the statement of ListMessages: one condition per filter that is
// set, so that the planner sees plain equalities and picks the index that serves them
// (messages_pool_created, messages_destination_created, messages_inbox_created).
func listMessagesQuery(q store.MessageQuery) (string, []any) {
	var (
		where []string
		args  []any
	)
	add := func(column string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf("%s = $%d", column, len(args)))
	}
	if q.PoolID != "" {
		add("pool_id", q.PoolID)
	}
	if q.Username != "" {
		add("username", q.Username)
	}
	if q.Kind != "" {
		add("kind", q.Kind)
	}
	if q.Destination != "" {
		add("destination", q.Destination)
	}
	if q.InboxOnly {
		where = append(where, "inbox = TRUE")
	}
	if !q.Since.IsZero() {
		args = append(args, dbTime(q.Since))
		where = append(where, fmt.Sprintf("created_at >= $%d", len(args)))
	}
	var b strings.Builder
	b.WriteString(sqlListMessages)
	if len(where) > 0 {
		b.WriteString(" WHERE ")
		b.WriteString(strings.Join(where, " AND "))
	}
	args = append(args, limit(store.Page{Limit: q.Limit}))
	fmt.Fprintf(&b, " ORDER BY created_at DESC, seq DESC LIMIT $%d", len(args))
	return b.String(), args
}

// CountMessages counts the messages of quotaKey created at or after since.
func (o ops) CountMessages(ctx context.Context, quotaKey string, since time.Time, atMost int64) (int64, error) {
	if atMost <= 0 {
		atMost = math.MaxInt64
	}
	var n int64
	if err := o.q.QueryRowContext(ctx, sqlCountMessages, quotaKey, dbTime(since), atMost).Scan(&n); err != nil {
		return 0, o.fail(ctx, "count messages", err)
	}
	return n, nil
}

// ClaimMessages leases up to n queued, due and unleased messages until now+lease in one
// statement and returns them oldest due first, each with a new ClaimToken. n <= 0 claims none.
func (o ops) ClaimMessages(ctx context.Context, now time.Time, n int, lease time.Duration) ([]store.Message, error) {
	if n <= 0 {
		return nil, nil
	}
	now = dbTime(now)
	cs, err := queryAll(ctx, o, "claim messages", scanClaimed, o.s.d.claimMessages,
		now, dbTime(now.Add(lease)), int64(n), uuid.NewString())
	if err != nil || len(cs) == 0 {
		return nil, err
	}
	// RETURNING comes in no particular order.
	slices.SortFunc(cs, func(a, b claimed) int {
		return cmp.Or(a.m.NextAttemptAt.Compare(b.m.NextAttemptAt), cmp.Compare(a.seq, b.seq))
	})
	ms := make([]store.Message, len(cs))
	for i := range cs {
		ms[i] = cs[i].m
	}
	return ms, nil
}

// FinishMessage writes Status, Error, Attempts, NextAttemptAt (now, if zero) and SentAt (none,
// if zero) and ends the lease, provided m.ClaimToken is the message's current token; m then
// holds the stored values and no token. ErrConflict when the token is not current (the message
// was claimed again, or already finished), ErrNotFound when the message is gone.
func (o ops) FinishMessage(ctx context.Context, m *store.Message) error {
	const op = "finish message"
	next := nowIfZero(m.NextAttemptAt)
	sent, sentArg := nullTime(m.SentAt)
	res, err := o.q.ExecContext(ctx, sqlFinishMessage, m.Status, m.Error, int64(m.Attempts), next, sentArg,
		m.ID, m.ClaimToken)
	if err != nil {
		return o.fail(ctx, op, err)
	}
	if err := o.updated(ctx, op, res, sqlMessageExists, m.ID); err != nil {
		return err
	}
	m.NextAttemptAt, m.SentAt, m.ClaimToken = next, sent, ""
	return nil
}

// ClearInbox takes every message out of the inbox view.
func (o ops) ClearInbox(ctx context.Context) error {
	if _, err := o.q.ExecContext(ctx, sqlClearInbox); err != nil {
		return o.fail(ctx, "clear inbox", err)
	}
	return nil
}

// PurgeMessages sets the payload of the messages created before before that are neither queued
// nor in the inbox to NULL and returns how many it changed.
func (o ops) PurgeMessages(ctx context.Context, before time.Time) (int64, error) {
	return o.execCount(ctx, "purge messages", sqlPurgeMessages, dbTime(before))
}

func (o ops) DeleteMessages(ctx context.Context, before time.Time) (int64, error) {
	return o.execCount(ctx, "delete messages", sqlDeleteMessages, dbTime(before))
}

func scanMessage(row scanner) (*store.Message, error) {
	var m store.Message
	if err := scanMessageInto(row, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// claimed is a row of a claim: the message and its seq, which orders messages due at the same
// time.
type claimed struct {
	seq int64
	m   store.Message
}

func scanClaimed(row scanner) (*claimed, error) {
	var c claimed
	if err := scanMessageInto(row, &c.m, &c.seq); err != nil {
		return nil, err
	}
	return &c, nil
}

// scanMessageInto reads the given leading columns into first and the messageColumns into m.
func scanMessageInto(row scanner, m *store.Message, first ...any) error {
	var (
		next, created timeScanner
		sent          nullTimeScanner
		token         sql.NullString
	)
	dest := append(slices.Clip(first), &m.ID, &m.PoolID, &m.Username, &m.Kind, &m.Channel, &m.Destination,
		&m.Payload, &m.Inbox, &m.QuotaKey, &m.Status, &m.Error, &m.Attempts, &next, &created, &sent, &token)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	m.NextAttemptAt, m.CreatedAt, m.SentAt, m.ClaimToken = next.t, created.t, sent.t, token.String
	return nil
}

// nullTime is t as stored in a nullable time column (UTC, microseconds), and the value to bind
// for it: NULL for the zero time.
func nullTime(t time.Time) (time.Time, any) {
	if t.IsZero() {
		return time.Time{}, nil
	}
	t = dbTime(t)
	return t, t
}

// nullTimeScanner reads a nullable timestamp column; NULL is the zero time.
type nullTimeScanner struct{ t time.Time }

func (s *nullTimeScanner) Scan(src any) error {
	if src == nil {
		s.t = time.Time{}
		return nil
	}
	var ts timeScanner
	if err := ts.Scan(src); err != nil {
		return err
	}
	s.t = ts.t
	return nil
}
