package server

import (
	"errors"
	"log/slog"

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
	// RootAccessKeyID and RootSecretAccessKey fix the root credential; empty means the stored
	// one (generated and printed once on first start).
	RootAccessKeyID     string
	RootSecretAccessKey string
	// PasswordHash is the argon2id cost of new password hashes (zero: the OWASP minimum).
	PasswordHash passhash.Params
	Logger       *slog.Logger
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
