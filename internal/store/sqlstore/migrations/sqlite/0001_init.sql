-- 0001_init (SQLite): user pools, app clients and server-wide secrets.
-- Timestamps are INTEGER microseconds since the Unix epoch (UTC); the driver binds time.Time
-- that way because Open sets _time_integer_format=unix_micro. Ids compare bytewise (BINARY),
-- which is the order ListUserPools and ListClients page in.

CREATE TABLE user_pools (
    id         TEXT    NOT NULL PRIMARY KEY,
    region     TEXT    NOT NULL,
    account_id TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    config     TEXT,
    tags       TEXT    NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version    INTEGER NOT NULL
) STRICT;

CREATE INDEX user_pools_account_region_id ON user_pools (account_id, region, id);

CREATE TABLE clients (
    id         TEXT    NOT NULL PRIMARY KEY,
    pool_id    TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    secret     BLOB,
    config     TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version    INTEGER NOT NULL
) STRICT;

CREATE INDEX clients_pool_id_id ON clients (pool_id, id);

CREATE TABLE secrets (
    name  TEXT NOT NULL PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;
