// Package sqlstore implements store.Store once, over database/sql, for SQLite (modernc.org/sqlite,
// pure Go: the embedded default) and PostgreSQL (pgx: the multi-node backend). Both dialects run
// the same Go code and the same queries; what differs (driver, DSN settings, schema types, the
// migration lock) is data in dialect.go and the per-dialect migrations embedded under
// migrations/, applied by Open and recorded in schema_migrations. Errors callers may act on are
// store.ErrNotFound and store.ErrConflict; any other database failure is returned as an opaque
// "store: <op> failed" (context cancellation passes through) and its detail goes to
// Options.Logger. Stored times are UTC with microsecond precision, Tags come back as a non-nil
// map, Config bytes come back exactly as written (nil stays nil). A user is a row of users plus
// one row per Index entry (user_index, whose primary key serves ListUsers' filters as one range
// scan; the username and sub entries are the user's own keys, served by users' own indexes) and
// per alias (user_aliases, whose primary key makes aliases unique): outside InTx a call
// that reads or writes several tables runs in a transaction of its own (a read-only snapshot for
// reads), and inside InTx a failed CreateUser or UpdateUser is undone through a savepoint.
// The outbox (messages) is also the couriers' queue: ClaimMessages leases due messages in one
// UPDATE ... RETURNING, whose pick PostgreSQL runs FOR UPDATE SKIP LOCKED so that processes
// sharing a database claim disjoint sets (SQLite's single writer serialises claims), and gives
// each message a fresh claim token that FinishMessage must present.
// Signing keys and refresh tokens (known by their hash only) hang off their pool, and refresh
// tokens also off their user, through ON DELETE CASCADE: DeleteUser and DeleteUserPool take a
// user's tokens with them in their one statement.
// IAM entities (iam_* tables) are keyed by account and lower-cased name, keep the spelling given,
// and are independent of the pools; PolicyDocuments reads a principal's inline and attached
// documents in one UNION ALL over primary keys, since it runs on every authorized request.
package sqlstore
