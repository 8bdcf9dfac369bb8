-- 0003_outbox (SQLite): the outbox becomes a delivery queue with an inbox view.
-- A message is claimed by setting lease_until and claim_token (ClaimMessages) and released by
-- clearing both (FinishMessage); SQLite's single writer serialises claims. Messages enqueued
-- before this migration are due at their creation time.

ALTER TABLE messages ADD COLUMN inbox           INTEGER NOT NULL DEFAULT 0 CHECK (inbox IN (0, 1));
ALTER TABLE messages ADD COLUMN quota_key       TEXT    NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN error           TEXT    NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN attempts        INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN sent_at         INTEGER;
ALTER TABLE messages ADD COLUMN lease_until     INTEGER;
ALTER TABLE messages ADD COLUMN claim_token     TEXT;

UPDATE messages SET next_attempt_at = created_at;

-- Claiming: the queued messages in due order; the index holds only queued messages, so it stays
-- small however many have been sent.
CREATE INDEX messages_due ON messages (next_attempt_at, seq) WHERE status = 'queued';
-- Quota counting: the messages of one quota created since a time.
CREATE INDEX messages_quota_created ON messages (quota_key, created_at);
-- The inbox API: inbox messages, and the messages to one destination, newest first.
CREATE INDEX messages_inbox_created ON messages (inbox, created_at, seq);
CREATE INDEX messages_destination_created ON messages (destination, created_at, seq);
-- Purging: the messages that still hold a payload (few, once purging has run).
CREATE INDEX messages_unpurged ON messages (created_at) WHERE payload IS NOT NULL;
