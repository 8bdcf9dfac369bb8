package transport

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Webhook headers.
const (
	SignatureHeader = "X-Cgip-Signature"  // "sha256=" + hex HMAC-SHA256 of the body
	MessageIDHeader = "X-Cgip-Message-Id" // Envelope.ID, for receivers to drop duplicates
)

const (
	// DefaultWebhookTimeout bounds one POST when the client sets no timeout.
	DefaultWebhookTimeout = 10 * time.Second
	// maxWebhookResponse caps how much of a reply is read before the
	// connection is released; the body itself is ignored.
	maxWebhookResponse = 64 << 10
	signaturePrefix    = "sha256="
)

// Webhook POSTs messages as signed JSON to an HTTP endpoint, which then
// delivers them (typically SMS through a provider cgip does not speak).
type Webhook struct {
	url    string
	secret []byte
	client *http.Client
}

// NewWebhook returns a webhook transport. A nil client means one with
// DefaultWebhookTimeout that does not follow redirects: a redirect would
// carry one-time codes to a URL nobody configured.
func NewWebhook(url string, secret []byte, client *http.Client) *Webhook {
	if client == nil {
		client = &http.Client{
			Timeout: DefaultWebhookTimeout,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		}
	}
	// Copied so the caller may wipe or reuse its slice.
	return &Webhook{url: url, secret: bytes.Clone(secret), client: client}
}

// Name implements Transport.
func (w *Webhook) Name() string { return "webhook" }

// webhookPayload is the JSON body; field order is the wire order.
type webhookPayload struct {
	To         string `json:"to"`
	Body       string `json:"body"`
	UserPoolID string `json:"userPoolId"`
	Username   string `json:"username"`
	Kind       string `json:"kind"`
	ID         string `json:"id"`
}

// Send implements Transport: 2xx is success; 4xx other than 408 and 429 is
// Permanent; anything else, including 3xx, is temporary.
func (w *Webhook) Send(ctx context.Context, e *Envelope) error {
	if e == nil {
		return permanentf("webhook: nil envelope")
	}
	// net/http would refuse it anyway, but as a temporary error.
	if err := checkHeaderText("id", e.ID); err != nil {
		return permanentf("webhook: %w", err)
	}
	// An empty key makes the signature forgeable by anyone.
	if len(w.secret) == 0 {
		return permanentf("webhook: no signing secret configured")
	}
	body, err := json.Marshal(webhookPayload{
		To: e.To, Body: e.Body, UserPoolID: e.UserPoolID,
		Username: e.Username, Kind: e.Kind, ID: e.ID,
	})
	if err != nil {
		return permanentf("webhook: %v", err)
	}
	if w.client.Timeout == 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultWebhookTimeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		// Only a malformed configured URL gets here.
		return permanentf("webhook: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(SignatureHeader, sign(body, w.secret))
	req.Header.Set(MessageIDHeader, e.ID)

	resp, err := w.client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxWebhookResponse))
	_ = resp.Body.Close()

	code := resp.StatusCode
	switch {
	case code >= 200 && code < 300:
		return nil
	case code >= 400 && code < 500 && code != http.StatusRequestTimeout && code != http.StatusTooManyRequests:
		return permanentf("webhook: %s", resp.Status)
	default:
		return fmt.Errorf("webhook: %s", resp.Status)
	}
}

func sign(body, secret []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return signaturePrefix + hex.EncodeToString(mac.Sum(nil))
}

// VerifySignature reports whether header (the X-Cgip-Signature value) is the
// HMAC-SHA256 of body under secret. The comparison is constant-time, and an
// empty secret never verifies.
func VerifySignature(body []byte, header string, secret []byte) bool {
	if len(secret) == 0 {
		return false
	}
	hexSig, ok := strings.CutPrefix(header, signaturePrefix)
	if !ok {
		return false
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}
