package sqlstore

import (
	"cmp"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// migrationFS holds the schema, one directory per dialect. Files are named
// NNNN_description.sql; both directories carry the same versions. A migration is never
// edited once released: a change is a new file.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

type migration struct {
	version int64
	name    string // file name
	sql     string
}

// loadMigrations reads the migrations of one dialect, ordered by version.
func loadMigrations(d *dialect) ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, d.migrations)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil || v <= 0 || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("sqlstore: bad migration file name %q", name)
		}
		b, err := migrationFS.ReadFile(path.Join(d.migrations, name))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return cmp.Compare(a.version, b.version) })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("sqlstore: two migrations with version %d", ms[i].version)
		}
	}
	return ms, nil
}

// migrate applies the pending migrations in one transaction and records them in
// schema_migrations. Concurrent Opens are serialized: on PostgreSQL by an advisory
// transaction lock (per schema), on SQLite by BEGIN IMMEDIATE. The transaction runs at the
// default isolation (READ COMMITTED on PostgreSQL), so that once the lock is held it sees the
// migrations another process has just committed.
func (s *Store) migrate(ctx context.Context) (err error) {
	ms, err := loadMigrations(s.d)
	if err != nil {
		return err
	}
	wrap := func(step string, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		return fmt.Errorf("sqlstore: migrate %s database: %s: %v", s.d.name, step, err)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return wrap("begin", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if s.d.migrationLock != "" {
		if _, err := tx.ExecContext(ctx, s.d.migrationLock); err != nil {
			return wrap("lock", err)
		}
	}
	if _, err := tx.ExecContext(ctx, s.d.migrationsTable); err != nil {
		return wrap("create schema_migrations", err)
	}
	applied := map[int64]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return wrap("read schema_migrations", err)
	}
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return wrap("read schema_migrations", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return wrap("read schema_migrations", err)
	}
	rows.Close()
	known := ms[len(ms)-1].version
	for v := range applied {
		if v > known {
			return fmt.Errorf("sqlstore: the %s database has schema version %d, newer than this build knows (%d); refusing to use it",
				s.d.name, v, known)
		}
	}
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return wrap(m.name, err)
		}
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
			m.version, m.name, dbTime(time.Now())); err != nil {
			return wrap(m.name, err)
		}
		s.log.LogAttrs(ctx, slog.LevelInfo, "applied database migration",
			slog.String("dialect", s.d.name), slog.String("migration", m.name))
	}
	if err := tx.Commit(); err != nil {
		return wrap("commit", err)
	}
	return nil
}
