package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cgip/cgip/internal/store"
	"github.com/cgip/cgip/internal/store/storetest"
)

func TestListMessagesQuery(t *testing.T) {
	since := time.Date(2025, 1, 2, 3, 4, 5, 6789, time.FixedZone("X", 3600))
	for _, tc := range []struct {
		q     store.MessageQuery
		where string
		args  []any
	}{
		{store.MessageQuery{}, " ORDER BY created_at DESC, seq DESC LIMIT $1", nil},
		{store.MessageQuery{PoolID: "p", InboxOnly: true, Limit: 5},
			" WHERE pool_id = $1 AND inbox = TRUE ORDER BY created_at DESC, seq DESC LIMIT $2", []any{"p"}},
		{store.MessageQuery{PoolID: "p", Username: "u", Kind: "k", Destination: "d", InboxOnly: true, Since: since, Limit: 5},
			" WHERE pool_id = $1 AND username = $2 AND kind = $3 AND destination = $4 AND inbox = TRUE AND created_at >= $5" +
				" ORDER BY created_at DESC, seq DESC LIMIT $6", []any{"p", "u", "k", "d", dbTime(since)}},
	} {
		query, args := listMessagesQuery(tc.q)
		if want := sqlListMessages + tc.where; query != want {
			t.Errorf("listMessagesQuery(%+v) =\n%s\nwant\n%s", tc.q, query, want)
		}
		want := append(tc.args, limit(store.Page{Limit: tc.q.Limit}))
		if fmt.Sprint(args) != fmt.Sprint(want) {
			t.Errorf("listMessagesQuery(%+v) args = %v, want %v", tc.q, args, want)
		}
	}
}

// seedMessages enqueues n messages in two pools: 1 in 100 queued (half of them due), 1 in 20
// in the inbox, 1 in 10 with a payload, 300 destinations, 10 quotas, created over n minutes.
func seedMessages(tb testing.TB, s *Store, n int) (pool string, now time.Time) {
	tb.Helper()
	ctx := context.Background()
	pool = createBenchPool(tb, s)
	other := &store.UserPool{Region: "us-east-1", AccountID: "123456789012", ID: "us-east-1_seeded002", Name: "other"}
	if err := s.CreateUserPool(ctx, other); err != nil {
		tb.Fatal(err)
	}
	now = time.Now().UTC().Truncate(time.Millisecond)
	for first := 0; first < n; first += 500 {
		err := s.InTx(ctx, func(tx store.Tx) error {
			for i := first; i < min(first+500, n); i++ {
				m := &store.Message{
					PoolID: pool, Username: fmt.Sprintf("user%d", i%300), Kind: "ForgotPassword", Channel: "EMAIL",
					Destination: fmt.Sprintf("user%d@example.com", i%300), Status: store.MessageSent,
					Inbox: i%20 == 0, QuotaKey: fmt.Sprintf("email:%d", i%10), Attempts: 1,
					CreatedAt: now.Add(time.Duration(i-n) * time.Minute),
				}
				m.NextAttemptAt, m.SentAt = m.CreatedAt, m.CreatedAt
				if i%2 == 1 {
					m.PoolID = other.ID
				}
				if i%10 == 0 {
					m.Payload = []byte("sealed")
				}
				if i%100 == 0 {
					m.Status, m.SentAt = store.MessageQueued, time.Time{}
					if i%200 == 0 {
						m.NextAttemptAt = now.Add(time.Hour)
					}
				}
				if err := tx.EnqueueMessage(ctx, m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := s.w.ExecContext(ctx, "ANALYZE"); err != nil {
		tb.Fatal(err)
	}
	return pool, now
}

type messagePlan struct {
	name             string
	sql              string
	args             []any
	sqlite, postgres string // what the plan must contain
	// pgSort: PostgreSQL may read the (few) matching rows through a bitmap and sort them.
	pgSort bool
}

func messagePlans(s *Store, pool string, now time.Time) []messagePlan {
	list := func(q store.MessageQuery) (string, []any) { return listMessagesQuery(q) }
	inboxSQL, inboxArgs := list(store.MessageQuery{InboxOnly: true, Limit: 50})
	destSQL, destArgs := list(store.MessageQuery{Destination: "user7@example.com", Limit: 50})
	poolSQL, poolArgs := list(store.MessageQuery{PoolID: pool, Limit: 50})
	return []messagePlan{
		{"claim", s.d.claimMessages, []any{now, now.Add(time.Minute), int64(25), "token"},
			"SEARCH messages USING INDEX messages_due (next_attempt_at<?)", "messages_due", false},
		{"count quota", sqlCountMessages, []any{"email:3", now.Add(-24 * time.Hour), int64(50)},
			"SEARCH messages USING COVERING INDEX messages_quota_created (quota_key=? AND created_at>?)", "messages_quota_created", false},
		{"list inbox", inboxSQL, inboxArgs,
			"SEARCH messages USING INDEX messages_inbox_created (inbox=?)", "messages_inbox_created", false},
		{"list by destination", destSQL, destArgs,
			"SEARCH messages USING INDEX messages_destination_created (destination=?)", "messages_destination_created", true},
		{"list by pool", poolSQL, poolArgs,
			"SEARCH messages USING INDEX messages_pool_created (pool_id=?)", "messages_pool_created", false},
		{"purge", sqlPurgeMessages, []any{now.Add(-time.Hour)},
			"SEARCH messages USING INDEX messages_unpurged (created_at<?)", "messages_unpurged", false},
	}
}

// The outbox's statements read one index range each: no scan of the table, no sort.
func TestMessagePlansSQLite(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "plan.db"), nil)
	pool, now := seedMessages(t, s, 5000)
	for _, q := range messagePlans(s, pool, now) {
		text := sqlitePlan(t, s.w, q.name, q.sql, q.args)
		if !strings.Contains(text, q.sqlite) {
			t.Errorf("%s: plan does not contain %q", q.name, q.sqlite)
		}
	}
}

func TestMessagePlansPostgres(t *testing.T) {
	s := openTest(t, storetest.PostgresSchema(t, storetest.PostgresURL(t)), nil)
	pool, now := seedMessages(t, s, 5000)
	for _, q := range messagePlans(s, pool, now) {
		text := postgresPlan(t, s.w, q.name, q.sql, q.args)
		if strings.Contains(text, "Seq Scan") || (strings.Contains(text, "Sort") && !q.pgSort) {
			t.Errorf("%s: plan scans or sorts", q.name)
		}
		if !strings.Contains(text, q.postgres) {
			t.Errorf("%s: plan does not contain %q", q.name, q.postgres)
		}
	}
}

// Messages written before 0003 come out of the migration queued as they were, due at their
// creation time, out of the inbox, with no quota, attempts or claim.
func TestMigrateOutbox(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testMigrateOutbox(t, filepath.Join(t.TempDir(), "old.db")) })
	t.Run("postgres", func(t *testing.T) {
		testMigrateOutbox(t, storetest.PostgresSchema(t, storetest.PostgresURL(t)))
	})
}

func testMigrateOutbox(t *testing.T, dsn string) {
	ctx := t.Context()
	tg, err := parseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := loadMigrations(tg.d)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open(tg.d.driver, tg.write)
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2025, 3, 4, 5, 6, 7, 8000, time.UTC)
	for _, stmt := range []string{tg.d.migrationsTable, ms[0].sql, ms[1].sql} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range ms[:2] {
		if _, err := db.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
			m.version, m.name, created); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO user_pools (region, account_id, id, name, created_at, updated_at, version)
VALUES ('us-east-1', '123456789012', 'us-east-1_migrated1', 'old', $1, $1, 1)`, created); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO messages (id, pool_id, username, kind, channel, destination, payload, status, created_at)
VALUES ('old-1', 'us-east-1_migrated1', 'alice', 'SignUp', 'EMAIL', 'alice@example.com', $1, 'queued', $2),
       ('old-2', 'us-east-1_migrated1', 'bob', 'SignUp', 'EMAIL', 'bob@example.com', NULL, 'sent', $2)`,
		[]byte("sealed"), created); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s := openTest(t, dsn, nil)
	got, err := s.ListMessages(ctx, store.MessageQuery{PoolID: "us-east-1_migrated1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("messages after the migration: %+v", got)
	}
	for _, m := range got {
		if !m.NextAttemptAt.Equal(created) || !m.CreatedAt.Equal(created) || m.Inbox || m.QuotaKey != "" ||
			m.Error != "" || m.Attempts != 0 || !m.SentAt.IsZero() || m.ClaimToken != "" {
			t.Errorf("migrated message = %+v", m)
		}
	}
	c, err := s.ClaimMessages(ctx, created, 10, time.Minute)
	if err != nil || len(c) != 1 || c[0].ID != "old-1" || string(c[0].Payload) != "sealed" {
		t.Errorf("claim after the migration = %+v, %v", c, err)
	}
}
