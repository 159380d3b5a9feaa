// Package server wires Harbour's parts into one running program: the database (the embedded
// PostgreSQL or DATABASE_URL) with its migrations, the domain, the API and the pages on one HTTP
// handler, live alerts and the job queue. The command line (package main) reads the settings and
// calls it; tests start exactly the same server (server/servertest), so a page test and
// `harbour serve` run the same wiring. It holds no rule of its own.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/harbour-nrm/harbour/api"
	"github.com/harbour-nrm/harbour/demo"
	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/jobs"
	"github.com/harbour-nrm/harbour/locales"
	"github.com/harbour-nrm/harbour/mail"
	"github.com/harbour-nrm/harbour/migrations"
	"github.com/harbour-nrm/harbour/pgcluster"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/referral/live"
	"github.com/harbour-nrm/harbour/referral/nrm"
	"github.com/harbour-nrm/harbour/web"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Main is the whole program, so tests can start it exactly as `harbour serve` does:
// Open, then Serve until the context ends, then Close.
type Main struct {
	Config Config
	Log    *slog.Logger
	Out    io.Writer // where the address and demo sign-ins are printed
	Lang   string    // the shell's language, for messages of commands
	Domain *referral.Domain
	Bundle *i18n.Bundle
	DB     *referral.DB

	cluster  *pgcluster.Cluster // nil with DATABASE_URL
	listener net.Listener
	live     *live.Hub
	api      *api.Server
}

// NewMain returns a Main with the given configuration, logging as JSON to logw.
func NewMain(cfg Config, out, logw io.Writer) *Main {
	log := slog.New(slog.NewJSONHandler(logw, &slog.HandlerOptions{Level: cfg.LogLevel}))
	return &Main{Config: cfg, Log: log, Out: out}
}

// Embedded reports whether Harbour runs on its own PostgreSQL (DATABASE_URL unset).
func (m *Main) Embedded() bool { return m.Config.DatabaseURL == "" }

// Open connects to the database (starting or reusing the embedded one), applies migrations,
// refusing a schema newer than this binary, and prepares the domain and the languages.
func (m *Main) Open(ctx context.Context) error {
	dsn := m.Config.DatabaseURL
	if m.Embedded() {
		var err error
		if dsn, err = m.startEmbedded(ctx); err != nil {
			return err
		}
	}
	db, err := referral.OpenDB(ctx, dsn, m.Log)
	if err != nil {
		return err
	}
	m.DB = db
	if err := migrations.Up(ctx, db.SQL, m.Log); err != nil {
		return err
	}
	if m.Bundle, err = i18n.Load(locales.FS); err != nil {
		return err
	}
	cfg := referral.DefaultConfig()
	cfg.SessionIdle, cfg.SessionLifetime = m.Config.SessionIdle, m.Config.SessionLifetime
	cfg.Languages = i18n.StaffLanguages
	if m.Config.NRMDir != "" {
		if cfg.NRM, err = nrm.ShippedWith(os.DirFS(m.Config.NRMDir)); err != nil {
			return fmt.Errorf("HARBOUR_NRM_DIR: %w", err)
		}
	}
	m.Domain = referral.NewDomain(db.Gorm, cfg, m.Log)
	m.Domain.UseSearchDB(db.Search)
	return nil
}

// startEmbedded starts (or reuses) the private cluster and makes sure Harbour's database exists.
func (m *Main) startEmbedded(ctx context.Context) (string, error) {
	c, err := pgcluster.Start(ctx, pgcluster.Options{
		Dir: filepath.Join(m.Config.DataDir, "postgres"), Logger: m.Log, Durable: true,
	})
	if err != nil {
		return "", err
	}
	m.cluster = c
	conn, err := pgx.Connect(ctx, c.DSN("postgres"))
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "CREATE DATABASE harbour")
	var pgErr *pgconn.PgError
	if err != nil && !(errors.As(err, &pgErr) && pgErr.Code == "42P04") { // 42P04: already exists
		return "", err
	}
	return c.DSN("harbour"), nil
}

// Close closes the database and stops the embedded PostgreSQL if this process started it.
func (m *Main) Close() error {
	if m.DB != nil {
		m.DB.Close()
	}
	if m.cluster != nil {
		return m.cluster.Stop()
	}
	return nil
}

// Handler builds the HTTP handler: the API and the pages on one echo instance.
func (m *Main) Handler() (http.Handler, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(m.DB.SQL, "harbour"))
	acfg := api.DefaultConfig()
	acfg.PublicURL, acfg.TrustedProxies = m.Config.PublicURL, m.Config.TrustedProxies
	if m.live == nil {
		m.live = live.New()
	}
	srv := api.New(acfg, api.Deps{Domain: m.Domain, Bundle: m.Bundle, DB: m.DB, Log: m.Log, Registry: reg, Live: m.live})
	m.api = srv
	site, err := web.New(web.Config{
		SessionCookie: acfg.SessionCookie, SessionMaxAge: int(m.Config.SessionLifetime.Seconds()),
		Secure: srv.Secure, CSRFToken: srv.CSRFToken, LanguageCookie: srv.LanguageCookie, Status: api.Status,
	}, web.Deps{Domain: m.Domain, Bundle: m.Bundle, Log: m.Log})
	if err != nil {
		return nil, err
	}
	site.Register(srv.Echo)
	srv.SetPageErrorHandler(site.RenderError)
	return srv.Echo, nil
}

// Listen opens the server's address; Addr reports it (useful with port 0 in tests).
func (m *Main) Listen() error {
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return err
	}
	m.listener = ln
	return nil
}

// Addr is the address the server listens on.
func (m *Main) Addr() string { return m.listener.Addr().String() }

// Serve answers requests until ctx ends, then shuts down gracefully: requests under way may
// finish for up to five seconds.
func (m *Main) Serve(ctx context.Context) error {
	h, err := m.Handler()
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(m.Log.Handler(), slog.LevelWarn)}
	hs.RegisterOnShutdown(m.api.EndStreams)
	go m.live.Run(ctx, m.DB.Pool.Config().ConnConfig.Copy(), m.Log)
	send, err := m.mailer()
	if err != nil {
		return err
	}
	queue, err := jobs.New(m.DB.Pool, m.Domain, m.Log, send)
	if err != nil {
		return err
	}
	// The queue outlives ctx: it is stopped below, after the HTTP server, so jobs finish.
	if err := queue.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	defer func() {
		stop, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := queue.Stop(stop); err != nil {
			m.Log.Warn("job queue stop", "error", err.Error())
		}
	}()
	go m.sweepSessions(ctx)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(m.listener) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	m.Log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		// Requests still running after five seconds are cut off: stopping on time matters
		// more (an orchestrator kills what does not stop).
		m.Log.Warn("graceful shutdown timed out; closing remaining connections")
		return hs.Close()
	}
	return nil
}

// mailer sends notification e-mails through HARBOUR_SMTP_URL, or, without one (development),
// writes them to DataDir/log/mail.
func (m *Main) mailer() (jobs.Send, error) {
	var sender mail.Sender
	if m.Config.SMTPURL != "" {
		s, err := mail.NewSMTP(m.Config.SMTPURL, m.Config.MailFrom)
		if err != nil {
			return nil, fmt.Errorf("HARBOUR_SMTP_URL: %w", err)
		}
		sender = s
	} else {
		sender = mail.NewFolder(filepath.Join(m.Config.DataDir, "log", "mail"), m.Config.MailFrom)
	}
	return jobs.Mailer(sender, m.Bundle, m.Config.PublicURL), nil
}

// sweepSessions deletes dead sessions now and then; harmless when several instances do it.
func (m *Main) sweepSessions(ctx context.Context) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := m.Domain.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
				m.Log.Warn("session sweep failed", "error", err.Error())
			} else if n > 0 {
				m.Log.Info("sessions swept", "count", n)
			}
		}
	}
}

// LoadDemoIfEmpty loads the demo data into a new embedded database (unless HARBOUR_DEMO=0) and
// prints the demo sign-ins whenever the demo accounts exist.
func (m *Main) LoadDemoIfEmpty(ctx context.Context) error {
	if !m.Embedded() || !m.Config.Demo {
		return nil
	}
	empty, err := m.Domain.IsEmpty(ctx)
	if err != nil {
		return err
	}
	if empty {
		if _, err := demo.Load(ctx, m.Domain); err != nil {
			return err
		}
	}
	signIns, err := demo.SignIns(ctx, m.Domain)
	if err != nil {
		return err
	}
	PrintSignIns(m.Out, signIns)
	return nil
}

// PrintSignIns prints the demo sign-ins, one per line with the role first.
func PrintSignIns(w io.Writer, signIns []demo.SignIn) {
	if len(signIns) == 0 {
		return
	}
	fmt.Fprintf(w, "Demo sign-ins (password %s):\n", demo.Password)
	for _, s := range signIns {
		fmt.Fprintf(w, "  %-15s %s\n", s.Role, s.Email)
	}
}
