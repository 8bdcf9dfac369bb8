package sqlstore

import (
	"context"
	"errors"
	"log/slog"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// opError is what a caller sees when the database fails in a way that is not the caller's
// fault. It names the operation only: the driver's message (which may quote SQL) is logged,
// never returned, and the error wraps nothing, so errors.Is matches no sentinel.
type opError struct {
	op string
	// retry: the failure was a serialization failure, deadlock or lock timeout, so running
	// the whole transaction again may succeed. InTx (and the single-statement writes) do.
	retry bool
}

func (e *opError) Error() string { return "store: " + e.op + " failed" }

// failure is the class of a driver error.
type failure int

const (
	failOther      failure = iota
	failUnique             // a duplicate key
	failForeignKey         // a referenced row is missing
	failRetry              // serialization failure, deadlock, busy/locked database
)

// classify maps the two drivers' errors onto failure classes. This is the one place where the
// drivers' error types are known.
func classify(err error) failure {
	if pe, ok := errors.AsType[*pgconn.PgError](err); ok {
		switch pe.Code {
		case "23505": // unique_violation
			return failUnique
		case "23503": // foreign_key_violation
			return failForeignKey
		case "40001", "40P01": // serialization_failure, deadlock_detected
			return failRetry
		}
		return failOther
	}
	if se, ok := errors.AsType[*sqlite.Error](err); ok {
		// Extended result codes are on, so Code is e.g. SQLITE_CONSTRAINT_UNIQUE; the low
		// byte is the primary code.
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_UNIQUE:
			return failUnique
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return failForeignKey
		}
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return failRetry
		}
	}
	return failOther
}

// fail turns an unexpected driver error into what the caller may see: the context's error if
// the context is done (or the driver reports a cancellation), otherwise an opaque *opError.
// The driver's message goes to the logger.
func (s *Store) fail(ctx context.Context, op string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	switch {
	case errors.Is(err, context.Canceled):
		return context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		return context.DeadlineExceeded
	}
	retry := classify(err) == failRetry
	level := slog.LevelError
	if retry {
		level = slog.LevelDebug // expected under contention; InTx retries it
	}
	s.log.LogAttrs(ctx, level, "store operation failed",
		slog.String("op", op), slog.String("dialect", s.d.name), slog.Bool("retryable", retry),
		slog.String("error", err.Error()))
	return &opError{op: op, retry: retry}
}

// retryable reports whether err (possibly wrapped by fn) asks for the transaction to be rerun.
func retryable(err error) bool {
	oe, ok := errors.AsType[*opError](err)
	return ok && oe.retry
}
