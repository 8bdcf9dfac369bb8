-- An index for the periodic clean-up of expired refresh tokens. (Old delivered messages are
-- found through messages_inbox_created: inbox = false AND created_at < ...)
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);
