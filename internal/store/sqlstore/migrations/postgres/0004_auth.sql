-- 0004_auth (PostgreSQL): the pools' token signing keys and the issued refresh tokens.
-- Both hang off user_pools through ON DELETE CASCADE. A refresh token also hangs off its user
-- (pool_id, username_key), as the user's index rows, aliases and memberships do: deleting a pool
-- or a user deletes their tokens in the same statement, so a user created again under the same
-- name inherits no session. Keys use COLLATE "C" (bytewise, as on SQLite).

-- Keys are listed oldest first: (created_at, kid).
CREATE TABLE signing_keys (
    pool_id    TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    kid        TEXT COLLATE "C" NOT NULL,
    private    BYTEA       NOT NULL, -- PKCS#8, sealed by the tokens package
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (pool_id, kid)
);

-- A refresh token is known by the hex SHA-256 of its value only. revoked_at is NULL while it is
-- valid.
CREATE TABLE refresh_tokens (
    hash         TEXT COLLATE "C" PRIMARY KEY,
    pool_id      TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    username_key TEXT COLLATE "C" NOT NULL,
    client_id    TEXT COLLATE "C" NOT NULL,
    origin_jti   TEXT COLLATE "C" NOT NULL,
    auth_time    TIMESTAMPTZ NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ,
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
);

-- RevokeUserRefreshTokens, and the cascade from users.
CREATE INDEX refresh_tokens_user ON refresh_tokens (pool_id, username_key);
-- FindRefreshTokenByOrigin (every request that presents an access token): the newest token of
-- a sign-in.
CREATE INDEX refresh_tokens_origin ON refresh_tokens (pool_id, origin_jti, created_at, hash);
