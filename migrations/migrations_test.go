package migrations_test

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/harbour-nrm/harbour/migrations"
	"github.com/harbour-nrm/harbour/pgcluster/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var quiet = slog.New(slog.DiscardHandler)

func open(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", pgtest.NewEmpty(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestUpFromEmpty(t *testing.T) {
	db, ctx := open(t), context.Background()
	if err := migrations.Check(ctx, db); !errors.Is(err, migrations.ErrSchemaBehind) {
		t.Fatalf("empty database: %v, want ErrSchemaBehind", err)
	}
	if err := migrations.Up(ctx, db, quiet); err != nil {
		t.Fatal(err)
	}
	if err := migrations.Check(ctx, db); err != nil {
		t.Fatalf("after Up: %v", err)
	}
	for _, table := range []string{"organisations", "users", "user_roles", "roles", "sessions", "api_tokens", "signin_throttle", "audit_events", "audit_chain", "services", "service_capacity", "holds", "placements", "places", "river_job"} {
		var exists bool
		if err := db.QueryRow(`SELECT to_regclass($1) IS NOT NULL`, table).Scan(&exists); err != nil || !exists {
			t.Errorf("table %s missing (%v)", table, err)
		}
	}
	if err := migrations.Up(ctx, db, quiet); err != nil {
		t.Fatalf("second Up: %v", err)
	}
}

// TestDownAndUpAgain proves every migration's Down undoes its Up, so a failed deploy can be
// rolled back.
func TestDownAndUpAgain(t *testing.T) {
	db, ctx := open(t), context.Background()
	if err := migrations.Up(ctx, db, quiet); err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 0); err != nil {
		t.Fatalf("down: %v", err)
	}
	var tables int
	if err := db.QueryRow(`SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'goose_db_version'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Fatalf("%d tables left after migrating down", tables)
	}
	if err := migrations.Up(ctx, db, quiet); err != nil {
		t.Fatalf("up again: %v", err)
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	db, ctx := open(t), context.Background()
	if err := migrations.Up(ctx, db, quiet); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, true)`, migrations.Latest()+1); err != nil {
		t.Fatal(err)
	}
	if err := migrations.Up(ctx, db, quiet); !errors.Is(err, migrations.ErrSchemaTooNew) {
		t.Fatalf("Up on a newer schema: %v", err)
	}
	if err := migrations.Check(ctx, db); !errors.Is(err, migrations.ErrSchemaTooNew) {
		t.Fatalf("Check on a newer schema: %v", err)
	}
}
