package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/cgip/cgip/internal/apierr"
	"github.com/cgip/cgip/internal/courier"
	"github.com/cgip/cgip/internal/passhash"
	"github.com/cgip/cgip/internal/seal"
	"github.com/cgip/cgip/internal/store"
)

// Config wires a Service.
type Config struct {
	Store  store.Store
	Sealer *seal.Sealer
	Now    func() time.Time
	// PasswordHash sets the argon2id cost of new hashes (zero: passhash.Default).
	PasswordHash passhash.Params
	// Courier receives every message a change causes, inside the change's transaction.
	Courier *courier.Courier
	// Tokens signs and verifies JWTs; required for sign-in and the access-token operations.
	Tokens Tokens
	// Triggers invokes the pools' Lambda triggers (nil: pools' LambdaConfig is ignored).
	Triggers Triggers
	// SMSRoles checks pools' SMS roles and email identities (nil: no checks, as in --dev).
	SMSRoles SMSRoles
	// RecoveryRate is the account-recovery quota in requests a second per account (default 30).
	RecoveryRate float64
	// TimingFloor is the least time an answer that could reveal whether a user exists takes, for
	// clients with PreventUserExistenceErrors ENABLED (default 50 ms).
	TimingFloor time.Duration
	// PoolCacheTTL is how long a pool's record, once read, serves other requests of this node
	// (0: one second; negative: pools are read every time). See poolcache.go.
	PoolCacheTTL time.Duration
}

// Service implements the user-pool operations.
type Service struct {
	st         store.Store
	sealer     *seal.Sealer
	now        func() time.Time
	hashParams passhash.Params
	courier    *courier.Courier

	codeKeyMu  sync.Mutex
	codeKeyVal []byte

	tokens      Tokens
	triggers    Triggers
	smsRoles    SMSRoles
	pools       poolCache
	userCounts  userCounts
	recovery    recoveryLimiter
	timingFloor time.Duration
}

func New(cfg Config) *Service {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	params := cfg.PasswordHash
	if params == (passhash.Params{}) {
		params = passhash.Default
	}
	if cfg.RecoveryRate == 0 {
		cfg.RecoveryRate = 30
	}
	if cfg.TimingFloor == 0 {
		cfg.TimingFloor = 50 * time.Millisecond
	}
	if cfg.PoolCacheTTL == 0 {
		cfg.PoolCacheTTL = defaultPoolTTL
	}
	return &Service{
		st: cfg.Store, sealer: cfg.Sealer, hashParams: params, courier: cfg.Courier,
		recovery: recoveryLimiter{perSec: cfg.RecoveryRate}, timingFloor: cfg.TimingFloor, tokens: cfg.Tokens, triggers: cfg.Triggers,
		smsRoles: cfg.SMSRoles, pools: poolCache{ttl: cfg.PoolCacheTTL},
		userCounts: userCounts{ttl: cfg.PoolCacheTTL},
		now:        func() time.Time { return now().UTC().Truncate(time.Millisecond) },
	}
}

// copyMembers copies every member of src into dst that has the same name: Cognito's request and
// record shapes share member names (CreateUserPoolRequest -> UserPoolType, ...), so this avoids a
// hand-written copy of dozens of fields that would drift from the model.
func copyMembers(dst, src any) {
	b, err := json.Marshal(src)
	if err != nil {
		panic(err) // generated model types always marshal
	}
	if err := json.Unmarshal(b, dst); err != nil {
		panic(err)
	}
}

// maxConflictRetries bounds optimistic read-modify-write loops.
const maxConflictRetries = 10

// retryOnConflict runs a read-modify-write until it does not lose a race.
func retryOnConflict(ctx context.Context, fn func() error) error {
	var err error
	for range maxConflictRetries {
		if err = fn(); !errors.Is(err, store.ErrConflict) {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return apierr.ConcurrentModification("Too many concurrent modifications, please retry.")
}

func ptr[T any](v T) *T { return &v }
