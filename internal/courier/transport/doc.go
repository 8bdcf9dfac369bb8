// Package transport delivers rendered courier messages (verification codes,
// invitations, password-reset links) over SMTP, Amazon SES v2, Amazon SNS
// SMS and signed HTTP webhooks. Every transport implements Transport and
// reports failures that retrying cannot fix as *Permanent, so the outbox
// worker can fail such a message at once instead of retrying it; any other
// error is temporary. The package is a leaf: it knows nothing of user pools
// or the outbox, only of the Envelope it is handed.
package transport
