// Package courier delivers every message cgip sends (invitations, verification and reset
// codes). Domain code renders a message and writes it to the outbox in the same transaction as
// the change that causes it (Enqueue); a worker in every node claims due messages, hands them
// to a transport (SMTP, SES, SNS, a webhook, or the inbox that tests read), retries with
// backoff and records the outcome. It also owns the message templates and Cognito's masking
// of destinations.
package courier
