-- 0001_init (PostgreSQL): user pools, app clients and server-wide secrets.
-- Keys use COLLATE "C" so that ids order bytewise, exactly as on SQLite, whatever the
-- database's default collation is. config stays TEXT (not JSONB) so it round-trips byte for byte.

CREATE TABLE user_pools (
    id         TEXT COLLATE "C" PRIMARY KEY,
    region     TEXT COLLATE "C" NOT NULL,
    account_id TEXT COLLATE "C" NOT NULL,
    name       TEXT        NOT NULL,
    config     TEXT,
    tags       TEXT        NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version    BIGINT      NOT NULL
);

CREATE INDEX user_pools_account_region_id ON user_pools (account_id, region, id);

CREATE TABLE clients (
    id         TEXT COLLATE "C" PRIMARY KEY,
    pool_id    TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name       TEXT        NOT NULL,
    secret     BYTEA,
    config     TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version    BIGINT      NOT NULL
);

CREATE INDEX clients_pool_id_id ON clients (pool_id, id);

CREATE TABLE secrets (
    name  TEXT COLLATE "C" PRIMARY KEY,
    value BYTEA NOT NULL
);
