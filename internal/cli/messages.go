package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
)

const messagesUsage = `Usage:
  cgip messages list [--to ADDR] [--user-pool-id ID] [--username NAME] [--kind KIND] [--limit N]
  cgip messages code --to ADDR [--wait 10s]     print the latest code sent to ADDR
  cgip messages clear                           empty the inbox

Flags common to all: --endpoint-url URL (default http://127.0.0.1:9229, or CGIP_ENDPOINT_URL).
Requests are signed (SigV4, service "cgip") with the AWS SDK's credentials when it finds any;
a server in --dev mode also answers unsigned requests.
`

// inboxMessage is the part of an inbox message the client reads.
type inboxMessage struct {
	Code string
}

func runMessages(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, messagesUsage)
		return 2
	}
	sub := args[0]
	fs := flag.NewFlagSet("cgip messages "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint-url", envOr("CGIP_ENDPOINT_URL", "http://127.0.0.1:9229"), "cgip server URL")
	to := fs.String("to", "", "destination address or phone number")
	pool := fs.String("user-pool-id", "", "user pool id")
	username := fs.String("username", "", "username")
	kind := fs.String("kind", "", "message kind (AdminCreateUser, ForgotPassword, ...)")
	limit := fs.Int("limit", 0, "at most this many messages")
	wait := fs.Duration("wait", 0, "wait up to this long for a matching message")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	c := &inboxClient{endpoint: *endpoint}
	q := url.Values{}
	for k, v := range map[string]string{"to": *to, "userPoolId": *pool, "username": *username, "kind": *kind} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if *limit > 0 {
		q.Set("limit", fmt.Sprint(*limit))
	}
	switch sub {
	case "list":
		body, err := c.do(ctx, http.MethodGet, q, *wait)
		if err != nil {
			fmt.Fprintln(stderr, "cgip messages:", err)
			return 1
		}
		_, _ = stdout.Write(body)
		return 0
	case "code":
		if *to == "" {
			fmt.Fprintln(stderr, "cgip messages code: --to is required")
			return 2
		}
		q.Set("limit", "1")
		body, err := c.do(ctx, http.MethodGet, q, *wait)
		if err != nil {
			fmt.Fprintln(stderr, "cgip messages:", err)
			return 1
		}
		var out struct{ Messages []inboxMessage }
		if err := json.Unmarshal(body, &out); err != nil {
			fmt.Fprintln(stderr, "cgip messages: unexpected answer:", err)
			return 1
		}
		if len(out.Messages) == 0 || out.Messages[0].Code == "" {
			fmt.Fprintf(stderr, "cgip messages: no code sent to %s\n", *to)
			return 1
		}
		fmt.Fprintln(stdout, out.Messages[0].Code)
		return 0
	case "clear":
		if _, err := c.do(ctx, http.MethodDelete, nil, 0); err != nil {
			fmt.Fprintln(stderr, "cgip messages:", err)
			return 1
		}
		return 0
	default:
		fmt.Fprintf(stderr, "cgip messages: unknown command %q\n\n%s", sub, messagesUsage)
		return 2
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

type inboxClient struct {
	endpoint string
}

// do sends one inbox request. A wait longer than the server's 30 s long poll is covered by
// repeated polls.
func (c *inboxClient) do(ctx context.Context, method string, q url.Values, wait time.Duration) ([]byte, error) {
	deadline := time.Now().Add(wait)
	for {
		left := time.Until(deadline)
		if left > 0 {
			q.Set("wait", min(left, 30*time.Second).Round(time.Millisecond).String())
		}
		body, err := c.once(ctx, method, q)
		if err != nil || method != http.MethodGet || time.Until(deadline) <= 0 || !emptyListing(body) {
			return body, err
		}
	}
}

func emptyListing(body []byte) bool {
	var out struct{ Messages []json.RawMessage }
	return json.Unmarshal(body, &out) == nil && len(out.Messages) == 0
}

func (c *inboxClient) once(ctx context.Context, method string, q url.Values) ([]byte, error) {
	return cgipRequest(ctx, c.endpoint, method, "/_cgip/messages", q, nil)
}

// cgipRequest sends one request to cgip's own endpoints (/_cgip/...), signed for the service
// "cgip", and returns the body of a success or the error the server answered.
func cgipRequest(ctx context.Context, endpoint, method, path string, q url.Values, body []byte) ([]byte, error) {
	u := endpoint + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if err := signCgip(ctx, req, body); err != nil {
		return nil, err
	}
	resp, err := (&http.Client{Timeout: 40 * time.Second}).Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		var e struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		if json.Unmarshal(out, &e) == nil && e.Type != "" {
			return nil, fmt.Errorf("%s: %s", e.Type, e.Message)
		}
		return nil, fmt.Errorf("%s", resp.Status)
	}
	return out, nil
}

// signCgip signs with the SDK's default credentials chain when it finds credentials.
func signCgip(ctx context.Context, req *http.Request, body []byte) error {
	// No instance-metadata lookups: on a laptop or CI runner they only add timeouts.
	cfg, err := config.LoadDefaultConfig(ctx, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	if err != nil || cfg.Credentials == nil {
		return nil
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return nil // no credentials anywhere: send unsigned (a --dev server accepts it)
	}
	region := cfg.Region
	if region == "" {
		region = "us-east-1"
	}
	sum := sha256.Sum256(body)
	return v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "cgip", region, time.Now())
}
