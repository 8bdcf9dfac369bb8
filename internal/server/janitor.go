package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/cgip/cgip/internal/store"
)

const (
	janitorEvery = 10 * time.Minute
	// A refresh token's row is the session its access tokens check, and an access token lives
	// at most a day: keep rows a day (and an hour of margin) past their expiry.
	refreshTokenGrace = 25 * time.Hour
	// Delivered messages (bodies purged after --message-retention) keep their row this long,
	// for the daily quota and for looking back at what was sent.
	messageRowRetention = 30 * 24 * time.Hour
)

// janitor deletes what no one needs any more: refresh tokens long expired and old delivered
// messages. Several nodes may run it at once; the deletes are idempotent.
func janitor(ctx context.Context, st store.Store, log *slog.Logger) {
	tick := time.NewTicker(janitorEvery)
	defer tick.Stop()
	for {
		now := time.Now()
		if n, err := st.DeleteExpiredRefreshTokens(ctx, now.Add(-refreshTokenGrace)); err != nil && ctx.Err() == nil {
			log.Warn("deleting expired refresh tokens failed", "error", err)
		} else if n > 0 {
			log.Info("deleted expired refresh tokens", "count", n)
		}
		if n, err := st.DeleteMessages(ctx, now.Add(-messageRowRetention)); err != nil && ctx.Err() == nil {
			log.Warn("deleting old messages failed", "error", err)
		} else if n > 0 {
			log.Info("deleted old messages", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
