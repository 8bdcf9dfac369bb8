package server

import (
	"errors"
	"log/slog"
	"time"

	"github.com/cgip/cgip/internal/passhash"
)

// Config is everything `cgip serve` can be told.
type Config struct {
	Listen    string // host:port
	DataDir   string // SQLite file and master key live here
	Memory    bool   // SQLite in memory
	Database  string // postgres://... (PostgreSQL)
	Region    string // default region
	AccountID string
	Dev       bool // accept any credentials without checking signatures
	// CORSOrigin is the Access-Control-Allow-Origin answer.
	CORSOrigin string
	// MasterKey is the base64 key that seals secrets at rest; empty means the key file in
	// DataDir (created on first start), or an ephemeral key with Memory.
	MasterKey string
	// Now is the clock STS sessions expire by (time.Now when nil; tests move it forward).
	Now func() time.Time
	// RootAccessKeyID and RootSecretAccessKey fix the root credential; empty means the stored
	// one (generated and printed once on first start).
	RootAccessKeyID     string
	RootSecretAccessKey string
	// PasswordHash is the argon2id cost of new password hashes (zero: the OWASP minimum).
	PasswordHash passhash.Params
	Messages     Messages
	// LambdaEndpoint is where Lambda triggers are invoked (the Invoke API); empty means AWS.
	LambdaEndpoint string
	// LambdaOverrides maps function ARNs to URLs the event is POSTed to instead.
	LambdaOverrides map[string]string
	// RecoveryRate is the account-recovery quota (AdminResetUserPassword, ForgotPassword) in
	// requests a second per account on each node; 0 means 30, negative means no quota.
	RecoveryRate float64
	// PoolCacheTTL is how long the server reuses a pool's settings and user count once read
	// (changes made through the server itself are seen at once). 0 means one second on SQLite
	// and no reuse on PostgreSQL, where every node must see the others' changes at once;
	// negative means pools are read on every request.
	PoolCacheTTL time.Duration
	// PublicURL is how clients reach this server (JWKS and discovery links); empty means
	// http://<listen address>.
	PublicURL string
	// IssuerBase is the part of token issuers before "/<poolId>": empty means PublicURL;
	// "cognito" means https://cognito-idp.<region>.amazonaws.com, for verifiers that hard-code
	// Cognito's issuer.
	IssuerBase string
	Logger     *slog.Logger
}

// Messages configures delivery (README "Message delivery"). Without a transport for a channel,
// its messages stay in the inbox.
type Messages struct {
	SMTPURL string // smtp://user:pass@host:587 (STARTTLS), smtps://... (TLS), ?tls=none
	// SES sends the email of EmailSendingAccount=DEVELOPER pools through Amazon SES v2,
	// with the AWS SDK's credentials; SESEndpoint overrides the endpoint.
	SES         bool
	SESEndpoint string
	// SMSChannel is "inbox" (default), "sns" (Amazon SNS Publish) or "webhook".
	SMSChannel    string
	SNSEndpoint   string
	WebhookURL    string
	WebhookSecret string // HMAC-SHA256 key for X-Cgip-Signature
	// Inbox also keeps every message readable through the inbox API.
	Inbox bool
	// SMS sandbox and origination rules.
	SMSSandbox           bool
	SMSVerifiedNumbers   []string
	SMSOriginationNumber string
	DailyEmailLimit      int
	MaxAttempts          int
	Retention            time.Duration
	// Interval is how often a node looks for due messages (default 250 ms).
	Interval time.Duration
}

// Defaults as documented in the README.
const (
	DefaultListen    = "127.0.0.1:9229"
	DefaultDataDir   = "./cgip-data"
	DefaultRegion    = "us-east-1"
	DefaultAccountID = "000000000000"
)

func (c *Config) validate() error {
	if c.Memory && c.Database != "" {
		return errors.New("choose one storage: --memory or --database, not both")
	}
	if (c.RootAccessKeyID == "") != (c.RootSecretAccessKey == "") {
		return errors.New("set both CGIP_ROOT_ACCESS_KEY_ID and CGIP_ROOT_SECRET_ACCESS_KEY, or neither")
	}
	if len(c.AccountID) != 12 || !isDigits(c.AccountID) {
		return errors.New("--account-id must be 12 digits")
	}
	if c.Region == "" {
		return errors.New("--region must not be empty")
	}
	return nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
