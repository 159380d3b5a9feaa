// Package pgtest gives every test its own PostgreSQL database, cloned from a template that the
// real migrations built. Call Main from TestMain; then New or Open in each test.
//
// With HARBOUR_TEST_DATABASE_URL set, databases are made on that server; otherwise each test
// binary starts a private throwaway cluster with pgcluster and stops it at the end.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/harbour-nrm/harbour/migrations"
	"github.com/harbour-nrm/harbour/pgcluster"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// quiet is the logger of everything pgtest starts: tests read results, not logs.
var quiet = slog.New(slog.DiscardHandler)

// env holds the server all of this binary's test databases live on.
var env struct {
	admin    string // DSN of a maintenance database on the server
	template string // name of the migrated template database
	prefix   string
	seq      atomic.Int64
}

// Main starts the server (unless HARBOUR_TEST_DATABASE_URL names one), builds the template,
// runs the tests and cleans up. Use it as `func TestMain(m *testing.M) { pgtest.Main(m) }`.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx := context.Background()
	env.prefix = fmt.Sprintf("t%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)
	env.template = env.prefix + "_template"
	if u := os.Getenv("HARBOUR_TEST_DATABASE_URL"); u != "" {
		env.admin = u
	} else {
		dir, err := os.MkdirTemp("", "hbt-")
		if err != nil {
			return fail(err)
		}
		defer os.RemoveAll(dir)
		// The cluster runs as an unprivileged user when we are root; it must reach the folder.
		if err := os.Chmod(dir, 0o755); err != nil {
			return fail(err)
		}
		c, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dir + "/pg", Logger: quiet, MaxConnections: 300})
		if err != nil {
			return fail(err)
		}
		defer c.Stop()
		env.admin = c.DSN("postgres")
	}
	if err := buildTemplate(ctx); err != nil {
		return fail(err)
	}
	defer exec(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, env.template))
	return m.Run()
}

func fail(err error) int {
	fmt.Fprintln(os.Stderr, "pgtest:", err)
	return 1
}

func buildTemplate(ctx context.Context) error {
	if err := exec(ctx, fmt.Sprintf(`CREATE DATABASE %s`, env.template)); err != nil {
		return err
	}
	db, err := sql.Open("pgx", withDatabase(env.admin, env.template))
	if err != nil {
		return err
	}
	defer db.Close()
	return migrations.Up(ctx, db, quiet)
}

func exec(ctx context.Context, stmt string) error {
	conn, err := pgx.Connect(ctx, env.admin)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, stmt)
	return err
}

// New creates a fresh migrated database for this test, dropped when the test ends, and
// returns its DSN.
func New(t testing.TB) string {
	t.Helper()
	return create(t, env.template)
}

// NewEmpty creates an empty database with no migrations applied, for migration tests.
func NewEmpty(t testing.TB) string {
	t.Helper()
	return create(t, "template0")
}

// create makes a database as a copy of template, dropped when the test ends.
func create(t testing.TB, template string) string {
	t.Helper()
	if env.admin == "" {
		t.Fatal("pgtest: call pgtest.Main from TestMain")
	}
	name := fmt.Sprintf("%s_%d", env.prefix, env.seq.Add(1))
	if err := exec(context.Background(), fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, template)); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		if err := exec(context.Background(), fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name)); err != nil {
			t.Errorf("pgtest: drop database: %v", err)
		}
	})
	return withDatabase(env.admin, name)
}

// Open creates a fresh database like New and opens it; it is closed when the test ends.
func Open(t testing.TB) *referral.DB {
	t.Helper()
	db, err := referral.OpenDB(context.Background(), New(t), quiet)
	if err != nil {
		t.Fatalf("pgtest: open: %v", err)
	}
	t.Cleanup(db.Close)
	return db
}

// withDatabase returns dsn (URL or key/value form) pointed at another database.
func withDatabase(dsn, name string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err == nil {
			u.Path = "/" + name
			return u.String()
		}
	}
	return dsn + " dbname=" + name // in key/value form the last value wins
}
