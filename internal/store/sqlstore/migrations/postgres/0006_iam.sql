-- 0006_iam (PostgreSQL): IAM accounts, users, roles, access keys, inline and managed policies
-- and the attachments of managed policies to users and roles.
-- Users and roles are keyed by (account_id, name_key), name_key being the lower-cased name: names
-- are unique per account without regard to case, and the spelling given is kept in name. Inline
-- policies, attachments and access keys name their user or role by that key. None of these rows
-- refer to iam_users or iam_roles (nor to user pools): the domain refuses to delete a user or role
-- that has keys or policies, and a deletion never fails because of rows left behind.
-- An attachment goes with its managed policy through ON DELETE CASCADE. It repeats the policy's
-- name (policies are never renamed), so that a principal's attachments read in name order from
-- the primary key: PolicyDocuments, which runs on every authorized request, reads one range of
-- iam_inline_policies' key and one of iam_attachments' key.
-- Keys and ordered names use COLLATE "C" (bytewise, as on SQLite). Documents stay TEXT so they
-- round-trip byte for byte.

CREATE TABLE iam_accounts (
    id         TEXT COLLATE "C" PRIMARY KEY,
    name       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE iam_users (
    account_id TEXT COLLATE "C" NOT NULL,
    name_key   TEXT COLLATE "C" NOT NULL, -- lower-cased name
    name       TEXT        NOT NULL,
    id         TEXT        NOT NULL,
    path       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, name_key)
);

CREATE TABLE iam_roles (
    account_id           TEXT COLLATE "C" NOT NULL,
    name_key             TEXT COLLATE "C" NOT NULL, -- lower-cased name
    name                 TEXT        NOT NULL,
    id                   TEXT        NOT NULL,
    path                 TEXT        NOT NULL,
    description          TEXT        NOT NULL,
    trust_policy         TEXT        NOT NULL, -- JSON, as given
    max_session_duration INTEGER     NOT NULL, -- seconds
    created_at           TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, name_key)
);

-- user_key is the lower-cased user name, '' for the root identity of the account.
CREATE TABLE iam_access_keys (
    id         TEXT COLLATE "C" PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL,
    user_key   TEXT COLLATE "C" NOT NULL,
    user_name  TEXT        NOT NULL,
    secret     BYTEA       NOT NULL, -- sealed by the caller
    active     BOOLEAN     NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- ListAccessKeys: a user's keys, oldest first.
CREATE INDEX iam_access_keys_user ON iam_access_keys (account_id, user_key, created_at, id);

CREATE TABLE iam_inline_policies (
    account_id     TEXT COLLATE "C" NOT NULL,
    kind           TEXT COLLATE "C" NOT NULL CHECK (kind IN ('user', 'role')),
    principal_key  TEXT COLLATE "C" NOT NULL, -- lower-cased user or role name
    principal_name TEXT NOT NULL,
    name           TEXT COLLATE "C" NOT NULL, -- case-sensitive
    document       TEXT NOT NULL,
    PRIMARY KEY (account_id, kind, principal_key, name)
);

CREATE TABLE iam_managed_policies (
    arn         TEXT COLLATE "C" PRIMARY KEY,
    account_id  TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    id          TEXT        NOT NULL,
    path        TEXT        NOT NULL,
    description TEXT        NOT NULL,
    document    TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    -- ListManagedPolicies pages by name.
    UNIQUE (account_id, name)
);

CREATE TABLE iam_attachments (
    account_id    TEXT COLLATE "C" NOT NULL,
    kind          TEXT COLLATE "C" NOT NULL CHECK (kind IN ('user', 'role')),
    principal_key TEXT COLLATE "C" NOT NULL, -- lower-cased user or role name
    policy_name   TEXT COLLATE "C" NOT NULL, -- the policy's name, for the order
    policy_arn    TEXT COLLATE "C" NOT NULL REFERENCES iam_managed_policies (arn) ON DELETE CASCADE,
    PRIMARY KEY (account_id, kind, principal_key, policy_name, policy_arn)
);

-- AttachmentCount, and the cascade from iam_managed_policies.
CREATE INDEX iam_attachments_policy ON iam_attachments (policy_arn);
