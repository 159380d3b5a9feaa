package referral

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// DB bundles the connections to one database: a pgx pool (for work that wants pgx directly,
// such as job queues), a database/sql handle over the same pool, gorm on top of it, and a few
// connections of their own for the ranking statement (Domain.UseSearchDB).
type DB struct {
	Pool   *pgxpool.Pool
	SQL    *sql.DB
	Gorm   *gorm.DB
	Search *sql.DB

	searchPool *pgxpool.Pool
}

// OpenDB connects to the database at dsn (a URL or key/value string).
func OpenDB(ctx context.Context, dsn string, log *slog.Logger) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse database address: %w", err)
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	cfg.ConnConfig.RuntimeParams["application_name"] = "harbour"
	// Statements are prepared once per connection and their plans reused; no statement is big
	// enough to be worth compiling to machine code on the request path.
	cfg.ConnConfig.RuntimeParams["jit"] = "off"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	// The ranking statement is long and runs on every match: planning it for each request's
	// parameters costs more than running it, and its generic plan (index scan per category
	// from her point) is the right one for every point. Its connections keep that plan.
	scfg := cfg.Copy()
	scfg.MaxConns = max(2, cfg.MaxConns/2)
	scfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	scfg.ConnConfig.RuntimeParams["application_name"] = "harbour-search"
	searchPool, err := pgxpool.NewWithConfig(ctx, scfg)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	sqlDB := stdlib.OpenDBFromPool(pool)
	g, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), &gorm.Config{
		Logger:                 newGormLogger(log),
		SkipDefaultTransaction: true,
		TranslateError:         true,
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	})
	if err != nil {
		pool.Close()
		searchPool.Close()
		return nil, fmt.Errorf("open gorm: %w", err)
	}
	return &DB{Pool: pool, SQL: sqlDB, Gorm: g, Search: stdlib.OpenDBFromPool(searchPool), searchPool: searchPool}, nil
}

// Close closes every connection.
func (d *DB) Close() {
	_ = d.SQL.Close()
	_ = d.Search.Close()
	d.Pool.Close()
	d.searchPool.Close()
}

// newGormLogger logs slow queries and errors with the query text only: parameters (which may be a
// person's details) never reach the log.
func newGormLogger(log *slog.Logger) logger.Interface {
	if log == nil {
		log = slog.Default()
	}
	return logger.New(slogWriter{log}, logger.Config{
		SlowThreshold:             500 * time.Millisecond,
		LogLevel:                  logger.Warn,
		IgnoreRecordNotFoundError: true,
		ParameterizedQueries:      true,
		Colorful:                  false,
	})
}

type slogWriter struct{ log *slog.Logger }

func (w slogWriter) Printf(format string, args ...any) {
	w.log.Warn("database", "detail", fmt.Sprintf(format, args...))
}
