package sqlstore

import (
	"context"
	"time"

	"github.com/cgip/cgip/internal/store"
)

// Signing keys and refresh tokens (migration 0004). Both go with their pool through ON DELETE
// CASCADE; a refresh token also goes with its user (a foreign key to users), so DeleteUser and
// DeleteUserPool stay one statement each.
const (
	signingKeyColumns = `pool_id, kid, private, created_at`

	// The EXISTS check turns a missing pool into "no row inserted", as for clients.
	sqlInsertSigningKey = `INSERT INTO signing_keys (` + signingKeyColumns + `)
SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM user_pools WHERE id = $1)
ON CONFLICT DO NOTHING`
	sqlListSigningKeys = `SELECT ` + signingKeyColumns + ` FROM signing_keys
WHERE pool_id = $1 ORDER BY created_at, kid`
	sqlDeleteSigningKey = `DELETE FROM signing_keys WHERE pool_id = $1 AND kid = $2`

	refreshTokenColumns = `hash, pool_id, username_key, client_id, origin_jti, auth_time, created_at,
expires_at, revoked_at`

	// The EXISTS check turns a missing user (or pool) into "no row inserted" instead of a
	// foreign-key error, which on PostgreSQL would abort the surrounding transaction.
	sqlInsertRefreshToken = `INSERT INTO refresh_tokens (` + refreshTokenColumns + `)
SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
WHERE EXISTS (SELECT 1 FROM users WHERE pool_id = $2 AND username_key = $3)
ON CONFLICT DO NOTHING`
	sqlRefreshTokenExists = `SELECT 1 FROM refresh_tokens WHERE hash = $1`
	sqlGetRefreshToken    = `SELECT ` + refreshTokenColumns + ` FROM refresh_tokens WHERE hash = $1`
	// The newest token of a sign-in: an index range of refresh_tokens_origin, read backwards.
	sqlFindRefreshTokenByOrigin = `SELECT ` + refreshTokenColumns + ` FROM refresh_tokens
WHERE pool_id = $1 AND origin_jti = $2 ORDER BY created_at DESC, hash DESC LIMIT 1`
	// Only a valid token is revoked: a revoked one keeps the time it was revoked at.
	sqlRevokeRefreshToken = `UPDATE refresh_tokens SET revoked_at = $1 WHERE hash = $2 AND revoked_at IS NULL`
	// An index range of refresh_tokens_user.
	sqlRevokeUserRefreshTokens = `UPDATE refresh_tokens SET revoked_at = $1
WHERE pool_id = $2 AND username_key = $3 AND revoked_at IS NULL`
)

// ListSigningKeys returns the pool's keys oldest first (by CreatedAt, then kid bytewise); none
// for a pool that does not exist.
func (o ops) ListSigningKeys(ctx context.Context, poolID string) ([]store.SigningKey, error) {
	return queryAll(ctx, o, "list signing keys", scanSigningKey, sqlListSigningKeys, poolID)
}

// AddSigningKey inserts k; a zero CreatedAt becomes now, and k holds the stored time.
// ErrConflict if the pool has a key with that kid, ErrNotFound if the pool does not exist.
func (o ops) AddSigningKey(ctx context.Context, k *store.SigningKey) error {
	const op = "add signing key"
	created := nowIfZero(k.CreatedAt)
	private := k.Private
	if private == nil {
		private = []byte{}
	}
	res, err := o.q.ExecContext(ctx, sqlInsertSigningKey, k.PoolID, k.KID, private, created)
	if err != nil {
		return o.insertFailed(ctx, op, err)
	}
	if err := o.inserted(ctx, op, res, sqlPoolIDExists, k.PoolID); err != nil {
		return err
	}
	k.CreatedAt = created
	return nil
}

func (o ops) DeleteSigningKey(ctx context.Context, poolID, kid string) error {
	res, err := o.q.ExecContext(ctx, sqlDeleteSigningKey, poolID, kid)
	return o.deleted(ctx, "delete signing key", res, err)
}

// CreateRefreshToken inserts t; a zero CreatedAt becomes now, a zero RevokedAt stays zero (the
// token is valid), and t holds the stored times. ErrConflict if the hash exists, ErrNotFound if
// the pool or the user does not exist.
func (o ops) CreateRefreshToken(ctx context.Context, t *store.RefreshToken) error {
	const op = "create refresh token"
	created := nowIfZero(t.CreatedAt)
	authTime, expires := dbTime(t.AuthTime), dbTime(t.ExpiresAt)
	revoked, revokedArg := nullTime(t.RevokedAt)
	res, err := o.q.ExecContext(ctx, sqlInsertRefreshToken, t.Hash, t.PoolID, t.UsernameKey, t.ClientID,
		t.OriginJTI, authTime, created, expires, revokedArg)
	if err != nil {
		return o.insertFailed(ctx, op, err)
	}
	// No row: either the hash is taken or the user (or its pool) is missing.
	if err := o.inserted(ctx, op, res, sqlRefreshTokenExists, t.Hash); err != nil {
		return err
	}
	t.AuthTime, t.CreatedAt, t.ExpiresAt, t.RevokedAt = authTime, created, expires, revoked
	return nil
}

func (o ops) GetRefreshToken(ctx context.Context, hash string) (*store.RefreshToken, error) {
	return o.getRefreshToken(ctx, "get refresh token", sqlGetRefreshToken, hash)
}

// FindRefreshTokenByOrigin returns the refresh token of the pool whose OriginJTI is originJTI;
// should a sign-in have several (rotation), the newest (by CreatedAt, then hash), revoked or
// not. ErrNotFound if there is none, and always for an empty originJTI (a token without the
// claim belongs to no sign-in).
func (o ops) FindRefreshTokenByOrigin(ctx context.Context, poolID, originJTI string) (*store.RefreshToken, error) {
	if originJTI == "" {
		return nil, store.ErrNotFound
	}
	return o.getRefreshToken(ctx, "find refresh token by origin", sqlFindRefreshTokenByOrigin, poolID, originJTI)
}

func (o ops) getRefreshToken(ctx context.Context, op, query string, args ...any) (*store.RefreshToken, error) {
	return getOne(ctx, o, op, scanRefreshToken, query, args...)
}

// RevokeRefreshToken sets the token's RevokedAt to at (now, if zero) unless it is revoked
// already, in which case it keeps its time and the call succeeds. ErrNotFound if the token does
// not exist.
func (o ops) RevokeRefreshToken(ctx context.Context, hash string, at time.Time) error {
	const op = "revoke refresh token"
	res, err := o.q.ExecContext(ctx, sqlRevokeRefreshToken, nowIfZero(at), hash)
	if err != nil {
		return o.fail(ctx, op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return o.fail(ctx, op, err)
	}
	if n > 0 {
		return nil
	}
	switch found, err := o.exists(ctx, sqlRefreshTokenExists, hash); {
	case err != nil:
		return o.fail(ctx, op, err)
	case found:
		return nil // revoked before
	default:
		return store.ErrNotFound
	}
}

// RevokeUserRefreshTokens sets RevokedAt to at (now, if zero) on every token of the user that
// is not revoked yet (expired ones included) and returns how many it revoked; 0 for a user
// without tokens or that does not exist.
func (o ops) RevokeUserRefreshTokens(ctx context.Context, poolID, usernameKey string, at time.Time) (int64, error) {
	return o.execCount(ctx, "revoke user refresh tokens", sqlRevokeUserRefreshTokens, nowIfZero(at), poolID, usernameKey)
}

const sqlDeleteExpiredRefreshTokens = `DELETE FROM refresh_tokens WHERE expires_at < $1`

func (o ops) DeleteExpiredRefreshTokens(ctx context.Context, before time.Time) (int64, error) {
	return o.execCount(ctx, "delete expired refresh tokens", sqlDeleteExpiredRefreshTokens, dbTime(before))
}

func scanSigningKey(row scanner) (*store.SigningKey, error) {
	var (
		k       store.SigningKey
		created timeScanner
	)
	if err := row.Scan(&k.PoolID, &k.KID, &k.Private, &created); err != nil {
		return nil, err
	}
	k.CreatedAt = created.t
	return &k, nil
}

func scanRefreshToken(row scanner) (*store.RefreshToken, error) {
	var (
		t                         store.RefreshToken
		authTime, created, expire timeScanner
		revoked                   nullTimeScanner
	)
	if err := row.Scan(&t.Hash, &t.PoolID, &t.UsernameKey, &t.ClientID, &t.OriginJTI,
		&authTime, &created, &expire, &revoked); err != nil {
		return nil, err
	}
	t.AuthTime, t.CreatedAt, t.ExpiresAt, t.RevokedAt = authTime.t, created.t, expire.t, revoked.t
	return &t, nil
}
