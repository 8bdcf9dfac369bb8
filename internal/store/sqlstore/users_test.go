package sqlstore

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cgip/cgip/internal/store"
	"github.com/cgip/cgip/internal/store/storetest"
)

func TestPrefixEnd(t *testing.T) {
	for _, tc := range []struct {
		prefix, end string
		ok          bool
	}{
		{"", "", false},
		{"a", "b", true},
		{"user12345", "user12346", true},
		{"a%", "a&", true},
		{"a_", "a`", true},
		{"a\x7f", "a\u0080", true}, // a byte increment would end at "a\x80", invalid UTF-8
		{"é", "ê", true},
		{"п", "р", true},             // D0 BF -> D1 80, not D0 C0
		{"¿", "À", true},             // C2 BF -> C3 80
		{"x\uD7FF", "x\uE000", true}, // past the surrogates
		{"x\U0010FFFF", "y", true},
		{"\U0010FFFF\U0010FFFF", "", false},
		{"a\xff", "b", true}, // not UTF-8: bytewise
		{"a\xfe", "a\xff", true},
		{"\xff\xff", "", false},
	} {
		end, ok := prefixEnd(tc.prefix)
		if end != tc.end || ok != tc.ok {
			t.Errorf("prefixEnd(%q) = %q, %v; want %q, %v", tc.prefix, end, ok, tc.end, tc.ok)
		}
		if !ok {
			continue
		}
		if end <= tc.prefix || strings.HasPrefix(end, tc.prefix) {
			t.Errorf("prefixEnd(%q) = %q is not past every string with the prefix", tc.prefix, end)
		}
		if utf8.ValidString(tc.prefix) && !utf8.ValidString(end) {
			t.Errorf("prefixEnd(%q) = %q is not UTF-8", tc.prefix, end)
		}
	}
}

// benchUser is user i of a seeded pool: email user<i>@example.com, so that the email order
// (user1, user10, user100, ...) differs from the username key order (u0000001, u0000002, ...).
func benchUser(poolID string, i int) *store.User {
	key := fmt.Sprintf("u%07d", i)
	email := fmt.Sprintf("user%d@example.com", i)
	sub := fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i)
	return &store.User{
		PoolID: poolID, Username: key, UsernameKey: key, Sub: sub, Enabled: true, Status: "CONFIRMED",
		Attributes: map[string]string{"email": email, "email_verified": "true"},
		Index: map[string]string{"username": key, "sub": sub, "email": email,
			"cognito:user_status": "CONFIRMED", "status": "Enabled"},
		Aliases:      map[string]string{"email": email},
		PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		CreatedAt:    time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
	}
}

func createBenchPool(tb testing.TB, s *Store) string {
	tb.Helper()
	p := &store.UserPool{Region: "us-east-1", AccountID: "123456789012", ID: "us-east-1_seeded001", Name: "seeded"}
	if err := s.CreateUserPool(context.Background(), p); err != nil {
		tb.Fatal(err)
	}
	return p.ID
}

// createUsers creates benchUser(pool, 0..n-1) through CreateUser, in transactions of 250.
func createUsers(tb testing.TB, s *Store, poolID string, n int) {
	tb.Helper()
	ctx := context.Background()
	for first := 0; first < n; first += 250 {
		err := s.InTx(ctx, func(tx store.Tx) error {
			for i := first; i < min(first+250, n); i++ {
				if err := tx.CreateUser(ctx, benchUser(poolID, i)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// bulkCreateUsers stores benchUser(pool, 0..n-1) on SQLite as CreateUser would
// (TestBulkCreateUsers checks that), but about three times faster: many users per INSERT and
// ? placeholders, which SQLite binds without looking each one up by name.
func bulkCreateUsers(tb testing.TB, s *Store, poolID string, n int) {
	tb.Helper()
	const perStatement, perTx = 200, 50_000
	ctx := context.Background()
	insert := func(q querier, table, columns string, ncol int, rows [][]any) error {
		row := "(" + strings.TrimSuffix(strings.Repeat("?, ", ncol), ", ") + ")"
		query := "INSERT INTO " + table + " (" + columns + ") VALUES " +
			strings.TrimSuffix(strings.Repeat(row+", ", len(rows)), ", ")
		_, err := q.ExecContext(ctx, query, slices.Concat(rows...)...)
		return err
	}
	for first := 0; first < n; first += perTx {
		err := s.InTx(ctx, func(tx store.Tx) error {
			q := tx.(ops).q
			for lo := first; lo < min(first+perTx, n); lo += perStatement {
				var users, index, aliases [][]any
				for i := lo; i < min(lo+perStatement, first+perTx, n); i++ {
					u := benchUser(poolID, i)
					attrs, history, err := encodeUserDocs(u)
					if err != nil {
						return err
					}
					created := dbTime(u.CreatedAt)
					users = append(users, []any{u.PoolID, u.UsernameKey, u.Username, u.Sub, u.Enabled, u.Status,
						attrs, u.PasswordHash, history, text(u.Extra), created, created, int64(1)})
					rows := indexRows(u.Index)
					for _, name := range slices.Sorted(maps.Keys(rows)) {
						index = append(index, []any{u.PoolID, name, rows[name], u.UsernameKey})
					}
					for kind, value := range u.Aliases {
						aliases = append(aliases, []any{u.PoolID, kind, value, u.UsernameKey})
					}
				}
				for _, err := range []error{
					insert(q, "users", userInsertColumns, 13, users),
					insert(q, "user_index", "pool_id, name, value, username_key", 4, index),
					insert(q, "user_aliases", "pool_id, kind, value, username_key", 4, aliases),
				} {
					if err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// The benchmark's seeding shortcut stores exactly what CreateUser stores.
func TestBulkCreateUsers(t *testing.T) {
	ctx := t.Context()
	a, b := openTest(t, ":memory:", nil), openTest(t, ":memory:", nil)
	createUsers(t, a, createBenchPool(t, a), 30)
	bulkCreateUsers(t, b, createBenchPool(t, b), 30)
	for _, i := range []int{0, 7, 29} {
		key := benchUser("", i).UsernameKey
		ua, err := a.GetUser(ctx, "us-east-1_seeded001", key)
		if err != nil {
			t.Fatal(err)
		}
		ub, err := b.GetUser(ctx, "us-east-1_seeded001", key)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ua, ub) {
			t.Errorf("user %d:\nCreateUser      %+v\nbulkCreateUsers %+v", i, ua, ub)
		}
	}
}

// The filtered ListUsers queries read one range of user_index's primary key, in page order,
// and one users row per match; on the user's keys, one range of users' primary key or unique
// sub index: no scan of a pool's users or index rows, no sort.
func TestListUsersPlanSQLite(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "plan.db"), nil)
	pool := createBenchPool(t, s)
	createUsers(t, s, pool, 2000)
	if _, err := s.w.ExecContext(t.Context(), "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	for _, q := range planQueries(pool) {
		text := sqlitePlan(t, s.r, q.name, q.sql, q.args)
		if !strings.Contains(text, q.sqlite) {
			t.Errorf("%s: plan does not contain %q", q.name, q.sqlite)
		}
	}
}

func TestListUsersPlanPostgres(t *testing.T) {
	s := openTest(t, storetest.PostgresSchema(t, storetest.PostgresURL(t)), nil)
	pool := createBenchPool(t, s)
	createUsers(t, s, pool, 2000)
	if _, err := s.w.ExecContext(t.Context(), "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	for _, q := range planQueries(pool) {
		text := postgresPlan(t, s.r, q.name, q.sql, q.args)
		if strings.Contains(text, "Seq Scan") || strings.Contains(text, "Sort") {
			t.Errorf("%s: plan scans or sorts", q.name)
		}
		if !strings.Contains(text, q.postgres) {
			t.Errorf("%s: plan does not contain %q", q.name, q.postgres)
		}
	}
}

type planQuery struct {
	name             string
	sql              string
	args             []any
	sqlite, postgres string // what the plan must contain
}

func planQueries(pool string) []planQuery {
	const page = int64(60)
	return []planQuery{
		{"prefix", sqlListUsersBetween, []any{pool, "email", page, "user12", "", "user13"},
			"SEARCH i USING PRIMARY KEY (pool_id=? AND name=? AND (value,username_key)>(?,?) AND value<?)",
			"Index Cond: ((pool_id = 'us-east-1_seeded001'::text COLLATE \"C\") AND (name = 'email'::text) AND (ROW(value, username_key) > ROW('user12'::text, ''::text)) AND (value < 'user13'::text))"},
		{"prefix, next page", sqlListUsersBetween, []any{pool, "email", page, "user1234@example.com", "u0001234", "user13"},
			"SEARCH i USING PRIMARY KEY (pool_id=? AND name=? AND (value,username_key)>(?,?) AND value<?)",
			"(ROW(value, username_key) > ROW('user1234@example.com'::text, 'u0001234'::text)) AND (value < 'user13'::text)"},
		{"prefix without end", sqlListUsersFrom, []any{pool, "email", page, "user12", ""},
			"SEARCH i USING PRIMARY KEY (pool_id=? AND name=? AND (value,username_key)>(?,?))",
			"(ROW(value, username_key) > ROW('user12'::text, ''::text))"},
		{"exact", sqlListUsersByValue, []any{pool, "email", page, "user12@example.com", ""},
			"SEARCH i USING PRIMARY KEY (pool_id=? AND name=? AND value=? AND username_key>?)",
			"(value = 'user12@example.com'::text) AND (username_key > ''::text)"},
		{"username prefix", keyFilters["username"].between, []any{pool, page, "u00012", "", "u00013"},
			"SEARCH u USING INDEX sqlite_autoindex_users_1 (pool_id=? AND username_key>? AND username_key<?)",
			"Index Cond: ((pool_id = 'us-east-1_seeded001'::text) AND (username_key >= 'u00012'::text) AND (username_key < 'u00013'::text))"},
		{"sub prefix, next page", keyFilters["sub"].between, []any{pool, page, "00000012-0000-4000-8000-000000000012", "u0000018", "00000013"},
			"SEARCH u USING INDEX sqlite_autoindex_users_2 (pool_id=? AND sub>? AND sub<?)",
			"Index Cond: ((pool_id = 'us-east-1_seeded001'::text) AND (sub >= '00000012-0000-4000-8000-000000000012'::text) AND (sub < '00000013'::text))"},
		{"sub exact", keyFilters["sub"].value, []any{pool, page, "00000012-0000-4000-8000-000000000012", ""},
			"SEARCH u USING INDEX sqlite_autoindex_users_2 (pool_id=? AND sub=?)",
			"Index Scan using users_pool_id_sub_key on users u"},
		{"unfiltered", sqlListUsers, []any{pool, "u0000012", page},
			"SEARCH u USING INDEX sqlite_autoindex_users_1 (pool_id=? AND username_key>?)",
			"Index Scan using users_pkey on users u"},
		{"index rows and aliases of a page", sqlEntries(2), []any{pool, "u0000001", "u0000002"},
			"SEARCH user_aliases USING COVERING INDEX user_aliases_user (pool_id=? AND username_key=?)",
			"Index Scan using user_aliases_user on user_aliases"},
	}
}

// BenchmarkListUsersEmailPrefix lists a page of at most 60 users by email prefix in pools of
// 1,000 and 1,000,000 users; both cost about the same. The prefix "user1" matches 111 users of
// the small pool and 111,111 of the large one (a full page in both), "user123@" one user in
// both, "user12345" none and 11. Seeding the large pool takes most of a minute; -short skips it.
func BenchmarkListUsersEmailPrefix(b *testing.B) {
	for _, n := range []int{1_000, 1_000_000} {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			if n > 1_000 && testing.Short() {
				b.Skip("-short: not seeding 1,000,000 users")
			}
			path := filepath.Join(b.TempDir(), "bench.db")
			// Seed with a large page cache and in-memory statement journals, then measure
			// with the store as Open sets it up.
			seed := openTest(b, "file:"+sqliteURIPath(path)+"?_pragma=cache_size(-262144)&_pragma=temp_store(MEMORY)", nil)
			pool := createBenchPool(b, seed)
			start := time.Now()
			bulkCreateUsers(b, seed, pool, n)
			if err := seed.Close(); err != nil {
				b.Fatal(err)
			}
			b.Logf("seeded %d users in %v", n, time.Since(start).Round(time.Millisecond))
			s := openTest(b, path, nil)
			for _, c := range []struct {
				prefix  string
				matches map[int]int // by pool size
			}{
				{"user1", map[int]int{1_000: 111, 1_000_000: 111_111}},
				{"user123@", map[int]int{1_000: 1, 1_000_000: 1}},
				{"user12345", map[int]int{1_000: 0, 1_000_000: 11}},
			} {
				b.Run("prefix="+c.prefix, func(b *testing.B) {
					ctx := context.Background()
					q := store.UserQuery{PoolID: pool, Attr: "email", Value: c.prefix, Prefix: true, Limit: 60}
					want := c.matches[n]
					b.ReportAllocs()
					for b.Loop() {
						us, err := s.ListUsers(ctx, q)
						if err != nil {
							b.Fatal(err)
						}
						if len(us) != min(want, 60) {
							b.Fatalf("ListUsers returned %d users, want %d", len(us), min(want, 60))
						}
					}
				})
			}
		})
	}
}

// A whole user (row, index rows, aliases) is one statement of primary-key searches.
func TestWholeUserPlanSQLite(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "plan.db"), nil)
	pool := createBenchPool(t, s)
	createUsers(t, s, pool, 200)
	for name, q := range map[string]struct {
		sql  string
		args []any
	}{
		"get user":           {s.d.getUser, []any{pool, "user00001"}},
		"find user by alias": {s.d.findUserByAlias, []any{pool, "email", "user00001@example.com"}},
		"find user by index": {s.d.findUserByIndex, []any{pool, "email", "user00001@example.com"}},
		"find user by sub":   {s.d.findUserBySub, []any{pool, "00000001-0000-4000-8000-000000000001"}},
	} {
		sqlitePlan(t, s.r, name, q.sql, q.args) // fails on any scan or sort
	}
}

// Databases from before 0007 keep "username" and "sub" rows in user_index; the migration drops
// them (the count below). The reads after it only check that such a database still serves
// both (they no longer read user_index, so they would pass without the migration too).
func TestMigrateUserKeys(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testMigrateUserKeys(t, filepath.Join(t.TempDir(), "old.db")) })
	t.Run("postgres", func(t *testing.T) {
		testMigrateUserKeys(t, storetest.PostgresSchema(t, storetest.PostgresURL(t)))
	})
}

func testMigrateUserKeys(t *testing.T, dsn string) {
	ctx := t.Context()
	s := openTest(t, dsn, nil)
	pool := createBenchPool(t, s)
	createUsers(t, s, pool, 3)
	// The rows 0006 wrote, and the database as it was before 0007.
	for i := range 3 {
		u := benchUser(pool, i)
		for _, name := range []string{store.IndexUsername, store.IndexSub} {
			if _, err := s.w.ExecContext(ctx, sqlInsertIndexEntry, pool, name, u.Index[name], u.UsernameKey); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := s.w.ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = 7`); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = openTest(t, dsn, nil)
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM user_index WHERE name IN ('username', 'sub')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d username and sub rows left in user_index", n)
	}
	want := benchUser(pool, 1)
	got, err := s.FindUserByIndex(ctx, pool, store.IndexSub, want.Sub)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got.Index, want.Index) {
		t.Errorf("Index after the migration = %v, want %v", got.Index, want.Index)
	}
	us, err := s.ListUsers(ctx, store.UserQuery{PoolID: pool, Attr: store.IndexUsername, Value: "u", Prefix: true})
	if err != nil || len(us) != 3 {
		t.Errorf("ListUsers by username prefix after the migration = %d users, %v", len(us), err)
	}
}
