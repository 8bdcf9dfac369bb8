-- 0003_outbox (PostgreSQL): the outbox becomes a delivery queue with an inbox view.
-- A message is claimed by setting lease_until and claim_token (ClaimMessages) and released by
-- clearing both (FinishMessage); workers skip rows another claim holds locked (SKIP LOCKED) or
-- leased. Messages enqueued before this migration are due at their creation time.

ALTER TABLE messages
    ADD COLUMN inbox           BOOLEAN          NOT NULL DEFAULT FALSE,
    ADD COLUMN quota_key       TEXT COLLATE "C" NOT NULL DEFAULT '',
    ADD COLUMN error           TEXT             NOT NULL DEFAULT '',
    ADD COLUMN attempts        INTEGER          NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at TIMESTAMPTZ,
    ADD COLUMN sent_at         TIMESTAMPTZ,
    ADD COLUMN lease_until     TIMESTAMPTZ,
    ADD COLUMN claim_token     TEXT COLLATE "C";

UPDATE messages SET next_attempt_at = created_at;

ALTER TABLE messages ALTER COLUMN next_attempt_at SET NOT NULL;

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
