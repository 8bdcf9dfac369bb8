package store

import (
	"context"
	"time"
)

// SigningKey is one RSA key a pool signs tokens with. Private is the PKCS#8 key sealed by the
// tokens package. Keys are kept oldest first; the newest signs, all are published (JWKS) until
// deleted, so rotation needs no downtime on any node.
type SigningKey struct {
	PoolID    string
	KID       string
	Private   []byte
	CreatedAt time.Time
}

// RefreshToken is an issued refresh token, known only by the hash of its value.
type RefreshToken struct {
	Hash        string // hex SHA-256 of the token
	PoolID      string
	UsernameKey string
	ClientID    string
	OriginJTI   string // the session the token belongs to (origin_jti of the tokens it mints)
	AuthTime    time.Time
	CreatedAt   time.Time
	ExpiresAt   time.Time
	RevokedAt   time.Time // zero while valid
}

// AuthTx is the tokens part of Tx.
type AuthTx interface {
	// ListSigningKeys lists a pool's keys, oldest first.
	ListSigningKeys(ctx context.Context, poolID string) ([]SigningKey, error)
	// AddSigningKey: ErrConflict when the kid exists, ErrNotFound without the pool.
	AddSigningKey(ctx context.Context, k *SigningKey) error
	DeleteSigningKey(ctx context.Context, poolID, kid string) error

	// CreateRefreshToken: ErrConflict when the hash exists, ErrNotFound without the pool or user.
	CreateRefreshToken(ctx context.Context, t *RefreshToken) error
	GetRefreshToken(ctx context.Context, hash string) (*RefreshToken, error)
	// FindRefreshTokenByOrigin finds the newest refresh token of a sign-in by its origin_jti
	// (revoked or not): access tokens of that sign-in are valid only while it is not revoked.
	FindRefreshTokenByOrigin(ctx context.Context, poolID, originJTI string) (*RefreshToken, error)
	// RevokeRefreshToken sets RevokedAt (once: an already revoked token keeps its time).
	RevokeRefreshToken(ctx context.Context, hash string, at time.Time) error
	// RevokeUserRefreshTokens revokes every valid refresh token of a user, returning how many.
	RevokeUserRefreshTokens(ctx context.Context, poolID, usernameKey string, at time.Time) (int64, error)
	// DeleteExpiredRefreshTokens deletes the refresh tokens that expired before before.
	DeleteExpiredRefreshTokens(ctx context.Context, before time.Time) (int64, error)
}
