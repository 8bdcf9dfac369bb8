package sqlstore

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cgip/cgip/internal/store"
	"github.com/cgip/cgip/internal/store/storetest"
)

// seedRefreshTokens creates 500 users of a pool with 4 refresh tokens each, two per sign-in.
func seedRefreshTokens(tb testing.TB, s *Store) (pool string) {
	tb.Helper()
	ctx := context.Background()
	pool = createBenchPool(tb, s)
	createUsers(tb, s, pool, 500)
	now := time.Now().UTC().Truncate(time.Millisecond)
	err := s.InTx(ctx, func(tx store.Tx) error {
		for i := range 2000 {
			user := i / 4
			err := tx.CreateRefreshToken(ctx, &store.RefreshToken{
				Hash: fmt.Sprintf("%064x", i), PoolID: pool, UsernameKey: benchUser(pool, user).UsernameKey,
				ClientID: "client", OriginJTI: fmt.Sprintf("origin-%d", i/2), AuthTime: now,
				CreatedAt: now.Add(time.Duration(i) * time.Second), ExpiresAt: now.Add(24 * time.Hour),
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, "ANALYZE"); err != nil {
		tb.Fatal(err)
	}
	return pool
}

func authPlans(pool string) []planQuery {
	return []planQuery{
		{"find by origin", sqlFindRefreshTokenByOrigin, []any{pool, "origin-77"},
			"SEARCH refresh_tokens USING INDEX refresh_tokens_origin (pool_id=? AND origin_jti=?)", "refresh_tokens_origin"},
		{"get", sqlGetRefreshToken, []any{fmt.Sprintf("%064x", 77)},
			"SEARCH refresh_tokens USING INDEX sqlite_autoindex_refresh_tokens_1 (hash=?)", "refresh_tokens_pkey"},
		{"revoke user", sqlRevokeUserRefreshTokens, []any{time.Now(), pool, "u0000077"},
			"SEARCH refresh_tokens USING INDEX refresh_tokens_user (pool_id=? AND username_key=?)", "refresh_tokens_user"},
	}
}

// The refresh-token statements read one index range each: no scan of the table, no sort.
func TestAuthPlansSQLite(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "plan.db"), nil)
	pool := seedRefreshTokens(t, s)
	for _, q := range authPlans(pool) {
		text := sqlitePlan(t, s.w, q.name, q.sql, q.args)
		if !strings.Contains(text, q.sqlite) {
			t.Errorf("%s: plan does not contain %q", q.name, q.sqlite)
		}
	}
}

func TestAuthPlansPostgres(t *testing.T) {
	s := openTest(t, storetest.PostgresSchema(t, storetest.PostgresURL(t)), nil)
	pool := seedRefreshTokens(t, s)
	for _, q := range authPlans(pool) {
		text := postgresPlan(t, s.w, q.name, q.sql, q.args)
		if strings.Contains(text, "Seq Scan") || strings.Contains(text, "Sort") {
			t.Errorf("%s: plan scans or sorts", q.name)
		}
		if !strings.Contains(text, q.postgres) {
			t.Errorf("%s: plan does not contain %q", q.name, q.postgres)
		}
	}
}
