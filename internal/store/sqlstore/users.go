package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cgip/cgip/internal/store"
)

// A user is one row of users plus one row of user_index per Index entry (but for the user's
// keys, store.IndexUsername and store.IndexSub, which its row holds) and one row of
// user_aliases per Aliases entry. Reads load the rows of users first and then the index rows and
// aliases of all of them in one more query (see loadEntries); outside InTx both run in one
// read-only transaction, so they see one snapshot.
const (
	userColumns = `u.pool_id, u.username_key, u.username, u.sub, u.enabled, u.status, u.attributes,
u.password_hash, u.password_history, u.extra, u.created_at, u.updated_at, u.version`

	sqlPoolIDExists = `SELECT 1 FROM user_pools WHERE id = $1`

	userInsertColumns = `pool_id, username_key, username, sub, enabled, status, attributes,
password_hash, password_history, extra, created_at, updated_at, version`
	// ON CONFLICT DO NOTHING without a target covers the username key and the sub.
	sqlInsertUser = `INSERT INTO users (` + userInsertColumns + `)
SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13
WHERE EXISTS (SELECT 1 FROM user_pools WHERE id = $1)
ON CONFLICT DO NOTHING`
	sqlUserExists      = `SELECT 1 FROM users WHERE pool_id = $1 AND username_key = $2`
	sqlGetUser         = `SELECT ` + userColumns + ` FROM users u WHERE u.pool_id = $1 AND u.username_key = $2`
	sqlFindUserByAlias = `SELECT ` + userColumns + ` FROM user_aliases a
JOIN users u ON u.pool_id = a.pool_id AND u.username_key = a.username_key
WHERE a.pool_id = $1 AND a.kind = $2 AND a.value = $3`
	sqlFindUserByIndex = `SELECT ` + userColumns + ` FROM user_index i
JOIN users u ON u.pool_id = i.pool_id AND u.username_key = i.username_key
WHERE i.pool_id = $1 AND i.name = $2 AND i.value = $3 ORDER BY i.username_key LIMIT 1`
	sqlFindUserBySub = `SELECT ` + userColumns + ` FROM users u WHERE u.pool_id = $1 AND u.sub = $2`
	sqlUpdateUser    = `UPDATE users SET username = $1, enabled = $2, status = $3, attributes = $4,
password_hash = $5, password_history = $6, extra = $7, updated_at = $8, version = version + 1
WHERE pool_id = $9 AND username_key = $10 AND version = $11`
	// sqlUpdateStoredUser updates a user whose stored entries the caller knows: only when
	// they are still that user's ($12, the Sub they were read with).
	sqlUpdateStoredUser  = sqlUpdateUser + ` AND sub = $12`
	sqlInsertIndexEntry  = `INSERT INTO user_index (pool_id, name, value, username_key) VALUES ($1, $2, $3, $4)`
	sqlUpdateIndexEntry  = `UPDATE user_index SET value = $3 WHERE pool_id = $1 AND name = $2 AND value = $5 AND username_key = $4`
	sqlDeleteIndexEntry  = `DELETE FROM user_index WHERE pool_id = $1 AND name = $2 AND value = $3 AND username_key = $4`
	sqlDeleteUserIndex   = `DELETE FROM user_index WHERE pool_id = $1 AND username_key = $2`
	sqlDeleteUserAliases = `DELETE FROM user_aliases WHERE pool_id = $1 AND username_key = $2`
	// Index rows, aliases, memberships and refresh tokens go with the user through ON DELETE
	// CASCADE.
	sqlDeleteUser = `DELETE FROM users WHERE pool_id = $1 AND username_key = $2`
	sqlCountUsers = `SELECT COUNT(*) FROM users WHERE pool_id = $1`

	sqlListUsers = `SELECT ` + userColumns + ` FROM users u
WHERE u.pool_id = $1 AND u.username_key > $2 ORDER BY u.username_key LIMIT $3`
	// A filtered page is one range of user_index's primary key (pool_id, name, value,
	// username_key), joined to users; its order is the key's, so the scan stops after LIMIT rows.
	// $1 pool, $2 attribute, $3 limit, $4/$5 the (value, username_key) the page starts after.
	sqlListUsersByIndex = `SELECT ` + userColumns + ` FROM user_index i
JOIN users u ON u.pool_id = i.pool_id AND u.username_key = i.username_key
WHERE i.pool_id = $1 AND i.name = $2 AND `
	sqlListUsersOrder = ` ORDER BY i.value, i.username_key LIMIT $3`
	// An exact value: the rows of that value after a username key.
	sqlListUsersByValue = sqlListUsersByIndex + `i.value = $4 AND i.username_key > $5` + sqlListUsersOrder
	// A prefix: the rows after (value, username key), up to $6 (the end of the prefix) when the
	// prefix has an end.
	sqlListUsersFrom    = sqlListUsersByIndex + `(i.value, i.username_key) > ($4, $5)` + sqlListUsersOrder
	sqlListUsersBetween = sqlListUsersByIndex + `(i.value, i.username_key) > ($4, $5) AND i.value < $6` + sqlListUsersOrder
)

// filterQueries are the three shapes of a filtered page: an exact value after a username key,
// and a prefix's values after a (value, username key), with and without the prefix's end.
type filterQueries struct{ value, from, between string }

var (
	// indexFilter pages the rows of user_index: $1 pool, $2 attribute, $3 limit, $4 the value
	// or the value to start after, $5 the username key to start after, $6 the prefix's end.
	indexFilter = filterQueries{sqlListUsersByValue, sqlListUsersFrom, sqlListUsersBetween}
	// keyFilters page the users' own keys, which users' primary key and unique sub index keep
	// in order: $1 pool, $2 limit, $3 to $5 as $4 to $6 of indexFilter.
	keyFilters = map[string]filterQueries{
		store.IndexUsername: keyFilter("u.username_key"),
		store.IndexSub:      keyFilter("u.sub"),
	}
)

// keyFilter returns the filtered pages over a column of users unique per pool: its order is
// the page order, and the username key after a value matters only for that value's own user.
func keyFilter(column string) filterQueries {
	const head = `SELECT ` + userColumns + ` FROM users u WHERE u.pool_id = $1 AND `
	order := ` ORDER BY ` + column + ` LIMIT $2`
	after := column + ` >= $3 AND (` + column + ` > $3 OR u.username_key > $4)`
	return filterQueries{
		value:   head + column + ` = $3 AND u.username_key > $4` + order,
		from:    head + after + order,
		between: head + after + ` AND ` + column + ` < $5` + order,
	}
}

// maxKeysPerQuery bounds the username keys loadEntries binds in one statement: SQLite looks
// each $n parameter up in a list, so a statement's cost grows with the square of their number.
// A page of users (at most 60 in Cognito) takes one statement.
const maxKeysPerQuery = 100

// CreateUser inserts u with Version 1, its index rows and its aliases (timestamps as for
// CreateUserPool). ErrConflict if the username key, the sub or an alias is taken, ErrNotFound
// if the pool does not exist; either way nothing is written.
func (o ops) CreateUser(ctx context.Context, u *store.User) error {
	const op = "create user"
	created, updated := createTimes(u.CreatedAt, u.UpdatedAt)
	attrs, history, err := encodeUserDocs(u)
	if err != nil {
		return err
	}
	err = o.atomic(ctx, op, func() error {
		res, err := o.q.ExecContext(ctx, sqlInsertUser,
			u.PoolID, u.UsernameKey, u.Username, u.Sub, u.Enabled, u.Status, attrs,
			u.PasswordHash, history, text(u.Extra), created, updated, int64(1))
		if err != nil {
			return o.insertFailed(ctx, op, err)
		}
		if err := o.inserted(ctx, op, res, sqlPoolIDExists, u.PoolID); err != nil {
			return err
		}
		return o.insertEntries(ctx, op, u)
	})
	if err != nil {
		return err
	}
	u.CreatedAt, u.UpdatedAt, u.Version = created, updated, 1
	u.Stored = storedEntries(u, u.Sub)
	return nil
}

func (o ops) GetUser(ctx context.Context, poolID, usernameKey string) (*store.User, error) {
	return o.wholeUser(ctx, "get user", o.s.d.getUser, poolID, usernameKey)
}

func (o ops) PeekUser(ctx context.Context, poolID, usernameKey string) (*store.User, error) {
	return getOne(ctx, o, "get user", scanUser, sqlGetUser, poolID, usernameKey)
}

func (o ops) FindUserByAlias(ctx context.Context, poolID, kind, value string) (*store.User, error) {
	return o.wholeUser(ctx, "find user by alias", o.s.d.findUserByAlias, poolID, kind, value)
}

// FindUserByIndex returns the first user (by username key) whose index entry name is value.
func (o ops) FindUserByIndex(ctx context.Context, poolID, name, value string) (*store.User, error) {
	switch name {
	case store.IndexUsername:
		return o.GetUser(ctx, poolID, value)
	case store.IndexSub:
		return o.wholeUser(ctx, "find user by sub", o.s.d.findUserBySub, poolID, value)
	}
	return o.wholeUser(ctx, "find user by index", o.s.d.findUserByIndex, poolID, name, value)
}

// wholeUser reads at most one user with its index rows and aliases in one statement (a query
// whose columns are userColumns and the dialect's userEntries), so it needs no transaction
// around it for a consistent read.
func (o ops) wholeUser(ctx context.Context, op, query string, args ...any) (*store.User, error) {
	return getOne(ctx, o, op, scanWholeUser, query, args...)
}

func scanWholeUser(row scanner) (*store.User, error) {
	var entries [2]string
	u, err := scanUserInto(row, &entries[0], &entries[1])
	if err != nil {
		return nil, err
	}
	if u.Index, err = decodeStrings(entries[0]); err != nil {
		return nil, fmt.Errorf("decoding index rows of a user of pool %s: %w", u.PoolID, err)
	}
	if u.Aliases, err = decodeStrings(entries[1]); err != nil {
		return nil, fmt.Errorf("decoding aliases of a user of pool %s: %w", u.PoolID, err)
	}
	addKeyEntries(u)
	u.Stored = storedEntries(u, u.Sub)
	return u, nil
}

// UpdateUser writes everything but the keys when the stored Version is u.Version, brings the
// user's index rows and aliases to u.Index and u.Aliases, and then increments u.Version and
// sets u.UpdatedAt (now, if zero). ErrConflict for a stale Version or an alias another user
// owns, ErrNotFound when the user is gone; either way nothing is written.
//
// With u.Stored (a user the store read) only the entries that changed are written, and when
// the aliases stay as they are no savepoint is needed: after the guarded UPDATE of the user's
// row nothing can fail but the database itself, which fails the transaction.
func (o ops) UpdateUser(ctx context.Context, u *store.User) error {
	const op = "update user"
	updated := nowIfZero(u.UpdatedAt)
	attrs, history, err := encodeUserDocs(u)
	if err != nil {
		return err
	}
	query, args := sqlUpdateUser, []any{u.Username, u.Enabled, u.Status, attrs, u.PasswordHash, history,
		text(u.Extra), updated, u.PoolID, u.UsernameKey, u.Version}
	old := u.Stored
	if old != nil {
		query, args = sqlUpdateStoredUser, append(args, old.Sub)
	}
	write := func() error {
		res, err := o.q.ExecContext(ctx, query, args...)
		if err != nil {
			return o.fail(ctx, op, err)
		}
		if err := o.updated(ctx, op, res, sqlUserExists, u.PoolID, u.UsernameKey); err != nil {
			return err
		}
		if old == nil {
			return o.replaceEntries(ctx, op, u)
		}
		if err := o.changeIndex(ctx, op, u, old.Index); err != nil {
			return err
		}
		if !maps.Equal(old.Aliases, u.Aliases) {
			return o.replaceAliases(ctx, op, u)
		}
		return nil
	}
	if old == nil || !maps.Equal(old.Aliases, u.Aliases) {
		err = o.atomic(ctx, op, write)
	} else {
		err = write()
	}
	if err != nil {
		return err
	}
	u.UpdatedAt = updated
	u.Version++
	sub := u.Sub
	if old != nil {
		sub = old.Sub // the Sub is a key: not written
	}
	u.Stored = storedEntries(u, sub)
	return nil
}

// addKeyEntries puts the user's keys into its Index, where the domain expects them.
func addKeyEntries(u *store.User) {
	u.Index[store.IndexUsername], u.Index[store.IndexSub] = u.UsernameKey, u.Sub
}

// indexRows is the part of index the store keeps in user_index: all but the user's keys.
func indexRows(index map[string]string) map[string]string {
	_, username := index[store.IndexUsername]
	_, sub := index[store.IndexSub]
	if !username && !sub {
		return index
	}
	rows := maps.Clone(index)
	delete(rows, store.IndexUsername)
	delete(rows, store.IndexSub)
	return rows
}

// storedEntries is a copy of u's entries as just stored for the user with that sub.
func storedEntries(u *store.User, sub string) *store.StoredEntries {
	return &store.StoredEntries{Sub: sub, Index: maps.Clone(u.Index), Aliases: maps.Clone(u.Aliases)}
}

// replaceEntries replaces all of u's index rows and aliases.
func (o ops) replaceEntries(ctx context.Context, op string, u *store.User) error {
	if _, err := o.q.ExecContext(ctx, sqlDeleteUserIndex, u.PoolID, u.UsernameKey); err != nil {
		return o.fail(ctx, op, err)
	}
	if _, err := o.insertPairs(ctx, op, "user_index", "name", u.PoolID, u.UsernameKey, indexRows(u.Index)); err != nil {
		return err
	}
	return o.replaceAliases(ctx, op, u)
}

// replaceAliases replaces all of u's aliases; ErrConflict when another user owns one.
func (o ops) replaceAliases(ctx context.Context, op string, u *store.User) error {
	if _, err := o.q.ExecContext(ctx, sqlDeleteUserAliases, u.PoolID, u.UsernameKey); err != nil {
		return o.fail(ctx, op, err)
	}
	return o.insertAliases(ctx, op, u)
}

// changeIndex writes the index rows of u that differ from old, in name order. Index rows
// belong to one user each (username_key is part of the key), so none of this can conflict.
func (o ops) changeIndex(ctx context.Context, op string, u *store.User, old map[string]string) error {
	index, old := indexRows(u.Index), indexRows(old)
	names := slices.Collect(maps.Keys(index))
	for name := range old {
		if _, ok := index[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		was, had := old[name]
		now, has := index[name]
		var (
			query = sqlUpdateIndexEntry
			args  = []any{u.PoolID, name, now, u.UsernameKey, was}
		)
		switch {
		case had && has && was == now:
			continue
		case !had:
			query, args = sqlInsertIndexEntry, args[:4]
		case !has:
			query, args = sqlDeleteIndexEntry, []any{u.PoolID, name, was, u.UsernameKey}
		}
		if _, err := o.q.ExecContext(ctx, query, args...); err != nil {
			return o.fail(ctx, op, err)
		}
	}
	return nil
}

func (o ops) DeleteUser(ctx context.Context, poolID, usernameKey string) error {
	res, err := o.q.ExecContext(ctx, sqlDeleteUser, poolID, usernameKey)
	return o.deleted(ctx, "delete user", res, err)
}

// ListUsers returns at most q.Limit users (all of them if Limit <= 0): without q.Attr in
// username key order, with it the users whose index entry matches, in (value, username key)
// order.
func (o ops) ListUsers(ctx context.Context, q store.UserQuery) ([]store.User, error) {
	const op = "list users"
	lim := limit(store.Page{Limit: q.Limit})
	list := func(query string, args ...any) ([]store.User, error) {
		if q.SkipEntries {
			return queryAll(ctx, o, op, scanUser, query, args...)
		}
		return o.queryUsers(ctx, op, q.PoolID, query, args...)
	}
	if q.Attr == "" {
		return list(sqlListUsers, q.PoolID, q.After, lim)
	}
	filter, head := indexFilter, []any{q.PoolID, q.Attr, lim}
	if f, ok := keyFilters[q.Attr]; ok {
		filter, head = f, []any{q.PoolID, lim}
	}
	page := func(query string, args ...any) ([]store.User, error) {
		return list(query, append(head, args...)...)
	}
	if !q.Prefix {
		after := q.After
		switch {
		case q.AfterValue > q.Value:
			return nil, nil // the page starts after every match
		case q.AfterValue < q.Value:
			after = ""
		}
		return page(filter.value, q.Value, after)
	}
	// The page starts after the later of (AfterValue, After) and (Value, ""): the latter is
	// where the prefix's rows begin.
	from, after := q.Value, ""
	if q.AfterValue >= q.Value {
		from, after = q.AfterValue, q.After
	}
	if end, ok := prefixEnd(q.Value); ok {
		return page(filter.between, from, after, end)
	}
	return page(filter.from, from, after)
}

func (o ops) CountUsers(ctx context.Context, poolID string) (int64, error) {
	var n int64
	if err := o.q.QueryRowContext(ctx, sqlCountUsers, poolID).Scan(&n); err != nil {
		return 0, o.fail(ctx, "count users", err)
	}
	return n, nil
}

// queryUsers returns the users of pool poolID that the query selects (in its order), with their
// index rows and aliases.
func (o ops) queryUsers(ctx context.Context, op, poolID, query string, args ...any) ([]store.User, error) {
	us, err := queryAll(ctx, o, op, scanUser, query, args...)
	if err != nil {
		return nil, err
	}
	if err := o.loadEntries(ctx, op, poolID, us); err != nil {
		return nil, err
	}
	return us, nil
}

// loadEntries fills Index and Aliases of users (all of pool poolID) with one query per
// maxKeysPerQuery users.
func (o ops) loadEntries(ctx context.Context, op, poolID string, users []store.User) error {
	byKey := make(map[string]*store.User, len(users))
	for i := range users {
		u := &users[i]
		u.Index, u.Aliases = map[string]string{}, map[string]string{}
		addKeyEntries(u)
		byKey[u.UsernameKey] = u
	}
	for chunk := range slices.Chunk(users, maxKeysPerQuery) {
		args := make([]any, 0, 1+len(chunk))
		args = append(args, poolID)
		for _, u := range chunk {
			args = append(args, u.UsernameKey)
		}
		rows, err := o.q.QueryContext(ctx, sqlEntries(len(chunk)), args...)
		if err != nil {
			return o.fail(ctx, op, err)
		}
		for rows.Next() {
			var (
				alias            int
				key, name, value string
			)
			if err := rows.Scan(&alias, &key, &name, &value); err != nil {
				rows.Close()
				return o.fail(ctx, op, err)
			}
			if u := byKey[key]; u == nil {
				continue
			} else if alias == 1 {
				u.Aliases[name] = value
			} else {
				u.Index[name] = value
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return o.fail(ctx, op, err)
		}
	}
	for i := range users {
		users[i].Stored = storedEntries(&users[i], users[i].Sub)
	}
	return nil
}

// sqlEntries selects the index rows (0) and aliases (1) of n users of pool $1, keys $2 on.
func sqlEntries(n int) string {
	in := params(2, n)
	return `SELECT 0, username_key, name, value FROM user_index WHERE pool_id = $1 AND username_key IN (` + in + `)
UNION ALL
SELECT 1, username_key, kind, value FROM user_aliases WHERE pool_id = $1 AND username_key IN (` + in + `)`
}

// insertEntries inserts u's index rows and aliases (the user has none stored); ErrConflict when
// another user owns one of the aliases.
func (o ops) insertEntries(ctx context.Context, op string, u *store.User) error {
	if _, err := o.insertPairs(ctx, op, "user_index", "name", u.PoolID, u.UsernameKey, indexRows(u.Index)); err != nil {
		return err
	}
	return o.insertAliases(ctx, op, u)
}

// insertAliases inserts u's aliases (the user has none stored); ErrConflict when another user
// owns one of them.
func (o ops) insertAliases(ctx context.Context, op string, u *store.User) error {
	n, err := o.insertPairs(ctx, op, "user_aliases", "kind", u.PoolID, u.UsernameKey, u.Aliases)
	if err != nil {
		return err
	}
	if n < int64(len(u.Aliases)) {
		return store.ErrConflict
	}
	return nil
}

// insertPairs inserts one row (pool_id, <nameColumn>, value, username_key) per entry of m into
// table, in one statement, skipping rows whose key is taken; it returns how many it inserted.
func (o ops) insertPairs(ctx context.Context, op, table, nameColumn, poolID, usernameKey string, m map[string]string) (int64, error) {
	if len(m) == 0 {
		return 0, nil
	}
	var (
		query strings.Builder
		args  = make([]any, 0, 4*len(m))
	)
	fmt.Fprintf(&query, "INSERT INTO %s (pool_id, %s, value, username_key) VALUES ", table, nameColumn)
	// In key order, so that concurrent writers take row locks in one order.
	for i, name := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			query.WriteString(", ")
		}
		query.WriteString("(" + params(1+4*i, 4) + ")")
		args = append(args, poolID, name, m[name], usernameKey)
	}
	query.WriteString(" ON CONFLICT DO NOTHING")
	res, err := o.q.ExecContext(ctx, query.String(), args...)
	if err != nil {
		return 0, o.insertFailed(ctx, op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, o.fail(ctx, op, err)
	}
	return n, nil
}

// params returns n placeholders from $first on: "$2, $3, $4".
func params(first, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(first+i))
	}
	return b.String()
}

// prefixEnd returns the least string greater than every string that starts with prefix, so
// that prefix <= value < end selects the values with that prefix; ok is false when there is no
// such string (the prefix is empty, or made of the largest character only).
//
// Values are valid UTF-8 (PostgreSQL stores nothing else), and in UTF-8 bytewise order is code
// point order, so the end is the prefix with its last character incremented (carrying past
// U+10FFFF, skipping the surrogates). Incrementing the last byte instead would select the same
// values but can yield invalid UTF-8, which PostgreSQL refuses as a parameter: "п" is D0 BF, and
// D0 C0 is no character. A prefix that is not valid UTF-8 (SQLite only) gets its last byte
// incremented, carrying past 0xFF.
func prefixEnd(prefix string) (end string, ok bool) {
	if utf8.ValidString(prefix) {
		rs := []rune(prefix)
		for i := len(rs) - 1; i >= 0; i-- {
			switch rs[i] {
			case utf8.MaxRune:
				continue
			case 0xD7FF:
				rs[i] = 0xE000
			default:
				rs[i]++
			}
			return string(rs[:i+1]), true
		}
		return "", false
	}
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xFF {
			b[i]++
			return string(b[:i+1]), true
		}
	}
	return "", false
}

// encodeUserDocs encodes u's JSON columns: attributes (an object, "{}" when empty) and password
// history (an array, "[]" when empty).
func encodeUserDocs(u *store.User) (attrs, history string, err error) {
	if attrs, err = encodeStrings("attributes", u.Attributes); err != nil {
		return "", "", err
	}
	if len(u.PasswordHistory) == 0 {
		return attrs, "[]", nil
	}
	b, err := json.Marshal(u.PasswordHistory)
	if err != nil {
		return "", "", fmt.Errorf("store: encoding password history: %w", err)
	}
	return attrs, string(b), nil
}

// scanUser reads the userColumns of one row; Index and Aliases are loadEntries' job. Its errors
// are logged, so they name no user.
func scanUser(row scanner) (*store.User, error) { return scanUserInto(row) }

// scanUserInto scans userColumns and then any further columns into more.
func scanUserInto(row scanner, more ...any) (*store.User, error) {
	var (
		u                store.User
		attrs, history   string
		created, updated timeScanner
	)
	dest := append([]any{&u.PoolID, &u.UsernameKey, &u.Username, &u.Sub, &u.Enabled, &u.Status, &attrs,
		&u.PasswordHash, &history, &u.Extra, &created, &updated, &u.Version}, more...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt = created.t, updated.t
	var err error
	if u.Attributes, err = decodeStrings(attrs); err != nil {
		return nil, fmt.Errorf("decoding attributes of a user of pool %s: %w", u.PoolID, err)
	}
	if history == "[]" { // most users: no history kept
		return &u, nil
	}
	if err := json.Unmarshal([]byte(history), &u.PasswordHistory); err != nil {
		return nil, fmt.Errorf("decoding password history of a user of pool %s: %w", u.PoolID, err)
	}
	if len(u.PasswordHistory) == 0 {
		u.PasswordHistory = nil
	}
	return &u, nil
}
