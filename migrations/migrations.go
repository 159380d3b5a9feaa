// Package migrations holds Harbour's versioned SQL schema, embedded in the binary, and applies it
// with goose. The schema is changed only here: gorm maps rows, it never migrates.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed *.sql
var files embed.FS

// lockID is the advisory lock that keeps two instances from migrating at the same moment.
const lockID = 7_306_425_118

// ErrSchemaTooNew means the database was migrated by a newer Harbour than this one.
var ErrSchemaTooNew = errors.New("database schema is newer than this Harbour knows")

// ErrSchemaBehind means migrations are pending.
var ErrSchemaBehind = errors.New("database schema has pending migrations")

// FS returns the embedded migration files.
func FS() fs.FS { return files }

func provider(db *sql.DB) (*goose.Provider, error) {
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(lockID))
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectPostgres, db, files,
		goose.WithSessionLocker(locker),
		goose.WithDisableGlobalRegistry(true),
	)
}

// Versions reports the schema version of the database (0 when never migrated) and the newest
// version this binary knows. It reads the version table directly, without goose's lock, so that
// readiness probes stay cheap.
func Versions(ctx context.Context, db *sql.DB) (current, known int64, err error) {
	var exists bool
	if err = db.QueryRowContext(ctx, `SELECT to_regclass('goose_db_version') IS NOT NULL`).Scan(&exists); err != nil || !exists {
		return 0, Latest(), err
	}
	err = db.QueryRowContext(ctx, `SELECT COALESCE(max(version_id), 0) FROM goose_db_version`).Scan(&current)
	return current, Latest(), err
}

// Latest is the newest migration version embedded in this binary.
func Latest() int64 { return latest() }

// latest reads the version from the files' names once: they are fixed at build time, and
// readiness probes ask on every call.
var latest = sync.OnceValue(func() int64 {
	matches, _ := fs.Glob(files, "*.sql")
	var latest int64
	for _, name := range matches {
		if v, err := goose.NumericComponent(name); err == nil && v > latest {
			latest = v
		}
	}
	return latest
})

// Up applies every pending migration, each in its own transaction. It refuses to touch a
// database whose schema is newer than this binary knows.
func Up(ctx context.Context, db *sql.DB, log *slog.Logger) error {
	current, known, err := Versions(ctx, db)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if current > known {
		return fmt.Errorf("%w (database at %d, this binary knows up to %d)", ErrSchemaTooNew, current, known)
	}
	p, err := provider(db)
	if err != nil {
		return err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	for _, r := range results {
		log.Info("migration applied", "version", r.Source.Version, "duration_ms", r.Duration.Milliseconds())
	}
	return nil
}

// Check returns nil when the database is exactly at the newest version this binary knows,
// ErrSchemaBehind or ErrSchemaTooNew otherwise.
func Check(ctx context.Context, db *sql.DB) error {
	current, known, err := Versions(ctx, db)
	switch {
	case err != nil:
		return err
	case current < known:
		return fmt.Errorf("%w (database at %d, binary at %d)", ErrSchemaBehind, current, known)
	case current > known:
		return fmt.Errorf("%w (database at %d, binary at %d)", ErrSchemaTooNew, current, known)
	}
	return nil
}
