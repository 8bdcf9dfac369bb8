package sqlstore

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// dialect is everything that differs between SQLite and PostgreSQL: the driver, the migration
// directory and a few statements. The queries themselves are shared: both drivers bind $1..$n
// positionally and both understand INSERT ... ON CONFLICT DO NOTHING and UPDATE ... RETURNING.
type dialect struct {
	name   string // what Store.Dialect reports
	driver string // database/sql driver name
	// migrations is the directory of the embedded migration files.
	migrations string
	// migrationLock, when not empty, is executed first in the migration transaction so that
	// processes starting together apply migrations one after the other.
	migrationLock string
	// migrationsTable creates the table that records applied migrations, if it is missing.
	migrationsTable string
	// claimMessages is ClaimMessages' statement: PostgreSQL skips the rows concurrent claims
	// hold locked (FOR UPDATE SKIP LOCKED), SQLite needs no lock (one writer at a time).
	claimMessages string
	// userEntries are two more columns for a user query: its index rows and its aliases as JSON
	// objects, so that one statement (one snapshot, no transaction) reads a whole user.
	userEntries string
	// getUser, findUserByAlias, findUserByIndex and findUserBySub read one whole user (see
	// wholeUser).
	getUser, findUserByAlias, findUserByIndex, findUserBySub string
}

var (
	sqliteDialect = &dialect{
		name:       "sqlite",
		driver:     "sqlite",
		migrations: "migrations/sqlite",
		// The migration transaction starts with BEGIN IMMEDIATE (_txlock=immediate), which
		// already holds the database's write lock.
		migrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
) STRICT`,
		claimMessages: sqlClaimMessagesSQLite,
		userEntries: `,
(SELECT json_group_object(ix.name, ix.value) FROM user_index ix WHERE ix.pool_id = u.pool_id AND ix.username_key = u.username_key),
(SELECT json_group_object(al.kind, al.value) FROM user_aliases al WHERE al.pool_id = u.pool_id AND al.username_key = u.username_key)`,
	}
	postgresDialect = &dialect{
		name:       "postgres",
		driver:     "pgx",
		migrations: "migrations/postgres",
		// One lock per schema: 0x63676970 is "cgip".
		migrationLock: `SELECT pg_advisory_xact_lock(1667721584, hashtext(coalesce(current_schema(), '')))`,
		migrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    BIGINT      PRIMARY KEY,
    name       TEXT        NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL
)`,
		claimMessages: sqlClaimMessagesPostgres,
		userEntries: `,
(SELECT COALESCE(json_object_agg(ix.name, ix.value), '{}')::text FROM user_index ix WHERE ix.pool_id = u.pool_id AND ix.username_key = u.username_key),
(SELECT COALESCE(json_object_agg(al.kind, al.value), '{}')::text FROM user_aliases al WHERE al.pool_id = u.pool_id AND al.username_key = u.username_key)`,
	}
)

func init() {
	for _, d := range []*dialect{sqliteDialect, postgresDialect} {
		whole := func(q string) string { return strings.Replace(q, userColumns, userColumns+d.userEntries, 1) }
		d.getUser, d.findUserByAlias, d.findUserByIndex = whole(sqlGetUser), whole(sqlFindUserByAlias), whole(sqlFindUserByIndex)
		d.findUserBySub = whole(sqlFindUserBySub)
	}
}

// sqliteBusyTimeout is how long an SQLite connection waits for another process's write lock
// before the statement fails with SQLITE_BUSY (which InTx then retries).
const sqliteBusyTimeout = 5 * time.Second

// target is a parsed DSN: the dialect and the data source names of the connection pools.
type target struct {
	d     *dialect
	write string // writes, transactions and migrations
	read  string // reads outside transactions; "" means: use the write pool
	// single: the database lives in one connection (in-memory SQLite), so the pool must never
	// open a second one nor close the first.
	single bool
}

// parseDSN maps the forms Open accepts onto a driver and its data source names:
//
//	postgres://... postgresql://...   PostgreSQL through pgx, passed on unchanged
//	:memory:                          a private in-memory SQLite database
//	file:<path>[?params]              SQLite; params other than ours are kept
//	<path>                            SQLite, same as file:<path>
func parseDSN(dsn string) (target, error) {
	switch {
	case dsn == "":
		return target{}, errors.New("sqlstore: empty DSN")
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return target{d: postgresDialect, write: dsn}, nil
	}

	var base, rawQuery string
	switch {
	case dsn == ":memory:":
		base = dsn
	case strings.HasPrefix(dsn, "file:"):
		base, rawQuery, _ = strings.Cut(dsn, "?")
	default:
		base = "file:" + sqliteURIPath(dsn)
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return target{}, fmt.Errorf("sqlstore: bad SQLite DSN parameters: %v", err)
	}
	memory := base == ":memory:" || strings.HasPrefix(base, "file::memory:") || q.Get("mode") == "memory"

	// Our settings replace the caller's versions of the same keys and pragmas.
	for _, k := range []string{"_txlock", "_time_integer_format", "_query_only",
		"_busy_timeout", "_timeout", "_foreign_keys", "_fk", "_journal_mode", "_journal", "_synchronous", "_sync"} {
		q.Del(k)
	}
	q["_pragma"] = slices.DeleteFunc(q["_pragma"], func(p string) bool {
		name := strings.ToLower(strings.TrimSpace(p))
		if i := strings.IndexAny(name, "(= "); i >= 0 {
			name = name[:i]
		}
		switch name {
		case "busy_timeout", "foreign_keys", "journal_mode", "synchronous", "query_only":
			return true
		}
		return false
	})
	if len(q["_pragma"]) == 0 {
		q.Del("_pragma")
	}

	// Every connection of either pool gets these (modernc applies DSN parameters to each new
	// connection). time.Time binds as INTEGER microseconds, matching the schema.
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", sqliteBusyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	// Savepoint and sort spill files in memory: measured ~30% faster CreateUser inside InTx.
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Set("_time_integer_format", "unix_micro")

	read := cloneValues(q)
	// Page caches (per connection; SQLite's default is 2 MiB): a million-user database is over
	// a gigabyte, and a page missing from the cache is a system call. The writer's cache holds
	// the indexes' upper levels that random keys (subs, emails) land in; each reader's holds
	// what its ListUsers pages and point reads walk. Bounded: 64 + 4 x 16 MiB at most. A
	// cache_size in the DSN wins.
	if !slices.ContainsFunc(q["_pragma"], func(p string) bool { return strings.HasPrefix(strings.ToLower(strings.TrimSpace(p)), "cache_size") }) {
		q.Add("_pragma", "cache_size(-65536)")
		read.Add("_pragma", "cache_size(-16384)")
	}
	// Write pool: WAL (a persistent property of the file, set by the first writer) and BEGIN
	// IMMEDIATE so a transaction holds the write lock from its start and a read-then-write
	// never fails to upgrade. Commits are durable before anyone hears of them, but the sync is
	// the group commit's (groupcommit.go): SQLite itself does not sync the log on commit
	// (synchronous=NORMAL; still FULL at checkpoints).
	sync := "synchronous(FULL)"
	if !memory {
		q.Add("_pragma", "journal_mode(WAL)")
		sync = "synchronous(NORMAL)"
	}
	q.Add("_pragma", sync)
	q.Set("_txlock", "immediate")
	t := target{d: sqliteDialect, write: base + "?" + q.Encode(), single: memory}
	if !memory {
		// Read pool: many connections reading WAL snapshots, refused any write.
		read.Add("_pragma", "query_only(1)")
		t.read = base + "?" + read.Encode()
	}
	return t, nil
}

// sqliteURIPath turns a file system path into the path part of an SQLite file: URI.
func sqliteURIPath(p string) string {
	p = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
	if strings.HasPrefix(p, "/") {
		return "//" + p // file:///abs/path: empty authority, so "//x" is not read as a host
	}
	return p
}

func cloneValues(v url.Values) url.Values {
	c := make(url.Values, len(v))
	for k, vs := range v {
		c[k] = slices.Clone(vs)
	}
	return c
}
