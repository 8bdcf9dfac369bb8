package userpool

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/cgip/cgip/internal/apierr"
)

// recoveryLimiter is the account-recovery request quota: a token bucket per account on this
// node (SPEC table row 11; 30 requests a second by default).
type recoveryLimiter struct {
	mu      sync.Mutex
	perSec  float64
	buckets map[string]*rate.Limiter
}

func (l *recoveryLimiter) allow(account string) bool {
	if l.perSec <= 0 {
		return true
	}
	l.mu.Lock()
	b := l.buckets[account]
	if b == nil {
		if l.buckets == nil {
			l.buckets = map[string]*rate.Limiter{}
		}
		b = rate.NewLimiter(rate.Limit(l.perSec), max(1, int(l.perSec)))
		l.buckets[account] = b
	}
	l.mu.Unlock()
	return b.Allow()
}

// recoveryRate refuses a reset request over the account's quota (text our choice, SPEC).
func (s *Service) recoveryRate(p *pool) error {
	if !s.recovery.allow(p.rec.AccountID) {
		return apierr.TooManyRequests("Too many requests")
	}
	return nil
}

// evenOut makes answers to clients with PreventUserExistenceErrors ENABLED take at least
// timingFloor, so that existing and unknown users cannot be told apart by response time.
func (s *Service) evenOut(c *client, start time.Time) {
	if !c.preventsExistenceErrors() {
		return
	}
	if d := s.timingFloor - time.Since(start); d > 0 {
		time.Sleep(d)
	}
}
