-- 0002_users (SQLite): users with their filter rows and sign-in aliases, groups with their
-- members, and the outbox of messages. Everything hangs off user_pools through ON DELETE CASCADE,
-- and a user's index rows, aliases and memberships (and a group's memberships) also hang off
-- their user (group): deleting a pool, a user or a group is one statement.
-- Text compares bytewise (BINARY): ListUsers ranges over user_index.value and pages in that order.

CREATE TABLE users (
    pool_id          TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    username_key     TEXT    NOT NULL,
    username         TEXT    NOT NULL,
    sub              TEXT    NOT NULL,
    enabled          INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    status           TEXT    NOT NULL,
    attributes       TEXT    NOT NULL DEFAULT '{}', -- JSON object
    password_hash    TEXT    NOT NULL DEFAULT '',
    password_history TEXT    NOT NULL DEFAULT '[]', -- JSON array, newest first
    extra            TEXT,                          -- JSON, owned by the domain
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    version          INTEGER NOT NULL,
    PRIMARY KEY (pool_id, username_key),
    UNIQUE (pool_id, sub)
) STRICT;

-- One row per entry of User.Index. The primary key is the ListUsers filter: equality on
-- (pool_id, name), then a range over (value, username_key) in page order.
CREATE TABLE user_index (
    pool_id      TEXT NOT NULL,
    name         TEXT NOT NULL,
    value        TEXT NOT NULL,
    username_key TEXT NOT NULL,
    PRIMARY KEY (pool_id, name, value, username_key),
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE INDEX user_index_user ON user_index (pool_id, username_key);

-- One row per entry of User.Aliases; the primary key makes an alias value unique per pool and kind.
CREATE TABLE user_aliases (
    pool_id      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    value        TEXT NOT NULL,
    username_key TEXT NOT NULL,
    PRIMARY KEY (pool_id, kind, value),
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE INDEX user_aliases_user ON user_aliases (pool_id, username_key);

CREATE TABLE user_groups (
    pool_id    TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    config     TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    PRIMARY KEY (pool_id, name)
) STRICT;

CREATE TABLE group_members (
    pool_id      TEXT NOT NULL,
    group_name   TEXT NOT NULL,
    username_key TEXT NOT NULL,
    PRIMARY KEY (pool_id, group_name, username_key),
    FOREIGN KEY (pool_id, group_name) REFERENCES user_groups (pool_id, name) ON DELETE CASCADE,
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE INDEX group_members_user ON group_members (pool_id, username_key, group_name);

-- The outbox. seq (the rowid) is the insertion order: it breaks ties between messages created
-- in the same microsecond.
CREATE TABLE messages (
    seq         INTEGER PRIMARY KEY,
    id          TEXT    NOT NULL UNIQUE,
    pool_id     TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    username    TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    channel     TEXT    NOT NULL,
    destination TEXT    NOT NULL,
    payload     BLOB,
    status      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX messages_pool_created ON messages (pool_id, created_at, seq);
