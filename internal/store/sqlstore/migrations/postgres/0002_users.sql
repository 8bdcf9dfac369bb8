-- 0002_users (PostgreSQL): users with their filter rows and sign-in aliases, groups with their
-- members, and the outbox of messages. Everything hangs off user_pools through ON DELETE CASCADE,
-- and a user's index rows, aliases and memberships (and a group's memberships) also hang off
-- their user (group): deleting a pool, a user or a group is one statement.
-- Keys and index values use COLLATE "C": ListUsers ranges over user_index.value and pages in
-- that order, which must be bytewise (as on SQLite) for the range to match a prefix and to use
-- the index. JSON columns stay TEXT so they round-trip byte for byte.

CREATE TABLE users (
    pool_id          TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    username_key     TEXT COLLATE "C" NOT NULL,
    username         TEXT        NOT NULL,
    sub              TEXT COLLATE "C" NOT NULL,
    enabled          BOOLEAN     NOT NULL,
    status           TEXT        NOT NULL,
    attributes       TEXT        NOT NULL DEFAULT '{}', -- JSON object
    password_hash    TEXT        NOT NULL DEFAULT '',
    password_history TEXT        NOT NULL DEFAULT '[]', -- JSON array, newest first
    extra            TEXT,                              -- JSON, owned by the domain
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT      NOT NULL,
    PRIMARY KEY (pool_id, username_key),
    UNIQUE (pool_id, sub)
);

-- One row per entry of User.Index. The primary key is the ListUsers filter: equality on
-- (pool_id, name), then a range over (value, username_key) in page order.
CREATE TABLE user_index (
    pool_id      TEXT COLLATE "C" NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    value        TEXT COLLATE "C" NOT NULL,
    username_key TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (pool_id, name, value, username_key),
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
);

CREATE INDEX user_index_user ON user_index (pool_id, username_key);

-- One row per entry of User.Aliases; the primary key makes an alias value unique per pool and kind.
CREATE TABLE user_aliases (
    pool_id      TEXT COLLATE "C" NOT NULL,
    kind         TEXT COLLATE "C" NOT NULL,
    value        TEXT COLLATE "C" NOT NULL,
    username_key TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (pool_id, kind, value),
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
);

CREATE INDEX user_aliases_user ON user_aliases (pool_id, username_key);

CREATE TABLE user_groups (
    pool_id    TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name       TEXT COLLATE "C" NOT NULL,
    config     TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version    BIGINT      NOT NULL,
    PRIMARY KEY (pool_id, name)
);

CREATE TABLE group_members (
    pool_id      TEXT COLLATE "C" NOT NULL,
    group_name   TEXT COLLATE "C" NOT NULL,
    username_key TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (pool_id, group_name, username_key),
    FOREIGN KEY (pool_id, group_name) REFERENCES user_groups (pool_id, name) ON DELETE CASCADE,
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
);

CREATE INDEX group_members_user ON group_members (pool_id, username_key, group_name);

-- The outbox. seq is the insertion order: it breaks ties between messages created in the same
-- microsecond.
CREATE TABLE messages (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          TEXT COLLATE "C" NOT NULL UNIQUE,
    pool_id     TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    username    TEXT        NOT NULL,
    kind        TEXT        NOT NULL,
    channel     TEXT        NOT NULL,
    destination TEXT        NOT NULL,
    payload     BYTEA,
    status      TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX messages_pool_created ON messages (pool_id, created_at, seq);
