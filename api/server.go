package api

import (
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/referral/live"
	"github.com/labstack/echo-contrib/echoprometheus"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
)

// Config holds the HTTP settings shared by the API and the pages.
type Config struct {
	PublicURL      string       // the address people use; an https:// one makes every cookie Secure
	TrustedProxies []*net.IPNet // proxies whose X-Forwarded-For names the client
	SessionCookie  string       // name of the session cookie
	BodyLimit      string       // largest request body, e.g. "1M"
}

// DefaultConfig returns the settings used when none are given.
func DefaultConfig() Config {
	return Config{PublicURL: "http://127.0.0.1:8080", SessionCookie: "harbour_session", BodyLimit: "1M"}
}

// Deps are what the API works with.
type Deps struct {
	Domain   *referral.Domain
	Bundle   *i18n.Bundle
	DB       *referral.DB
	Log      *slog.Logger
	Registry *prometheus.Registry
	Live     *live.Hub // live alerts; without it the live stream is unavailable
}

// Server is the echo instance with Harbour's middleware, operational endpoints and /api/v1.
// The web package adds its pages to the same instance.
type Server struct {
	Echo     *echo.Echo
	cfg      Config
	deps     Deps
	httpsURL bool                      // the public address is https: every cookie is Secure
	pages    func(error, echo.Context) // renders errors of non-API requests as pages

	streamsEnd chan struct{} // closed by EndStreams
	endStreams sync.Once
}

// New builds the server: middleware, error handling, and every API route.
func New(cfg Config, deps Deps) *Server {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	s := &Server{Echo: e, cfg: cfg, deps: deps, httpsURL: strings.HasPrefix(cfg.PublicURL, "https://"),
		streamsEnd: make(chan struct{})}
	e.IPExtractor = ipExtractor(cfg.TrustedProxies)
	e.HTTPErrorHandler = s.handleError
	e.Use(
		middleware.RecoverWithConfig(middleware.RecoverConfig{LogErrorFunc: s.logPanic}),
		s.requestID,
		s.accessLog,
		echoprometheus.NewMiddlewareWithConfig(echoprometheus.MiddlewareConfig{
			Namespace: "harbour", Subsystem: "http", Registerer: deps.Registry, DoNotUseRequestPathFor404: true,
			Skipper: func(c echo.Context) bool { return c.Path() == "/metrics" },
		}),
		s.securityHeaders,
		middleware.BodyLimit(cfg.BodyLimit),
		// Level 2: half the CPU of the default level for a few per cent more bytes (a 30 kB match
		// answer is 4.3 kB instead of 3.9 kB), which suits a 2-core server on an action day.
		middleware.GzipWithConfig(middleware.GzipConfig{MinLength: 1024, Level: 2,
			Skipper: func(c echo.Context) bool { return strings.HasSuffix(c.Path(), "/stream") }}),
		s.authenticate,
		s.negotiateLanguage,
		s.csrf(),
	)
	s.routes(e)
	return s
}

// routes is the one table of the API, read top to bottom.
func (s *Server) routes(e *echo.Echo) {
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", echoprometheus.NewHandlerWithConfig(echoprometheus.HandlerConfig{Gatherer: s.deps.Registry}))

	v1 := e.Group("/api/v1")
	v1.GET("/openapi.json", s.openAPI)

	// Everything else needs a signed-in user who has replaced any temporary password; /me
	// answers before that, so a client can tell why it was refused.
	signedIn := []echo.MiddlewareFunc{s.requireUser, s.requirePasswordSet}
	v1.GET("/me", s.getMe, s.requireUser)
	v1.PATCH("/me", s.patchMe, s.requireUser)

	v1.GET("/me/notifications", s.getNotificationSettings, signedIn...)
	v1.PUT("/me/notifications", s.putNotificationSettings, signedIn...)
	v1.GET("/notifications", s.listNotifications, signedIn...)
	v1.GET("/notifications/stream", s.notificationStream, signedIn...)
	v1.POST("/notifications/read", s.readNotifications, signedIn...)
	v1.GET("/notifications/:id", s.getNotification, signedIn...)

	v1.GET("/organisations", s.listOrganisations, signedIn...)
	v1.POST("/organisations", s.createOrganisation, signedIn...)
	v1.GET("/organisations/:id", s.getOrganisation, signedIn...)
	v1.PATCH("/organisations/:id", s.patchOrganisation, signedIn...)
	v1.GET("/organisations/:id/users", s.listUsers, signedIn...)

	v1.POST("/users", s.createUser, signedIn...)
	v1.GET("/users/:id", s.getUser, signedIn...)
	v1.PATCH("/users/:id", s.patchUser, signedIn...)
	v1.POST("/users/:id/password", s.resetPassword, signedIn...)
	v1.GET("/users/:id/tokens", s.listTokens, signedIn...)

	v1.POST("/tokens", s.createToken, signedIn...)
	v1.DELETE("/tokens/:id", s.revokeToken, signedIn...)

	v1.GET("/audit", s.listAudit, signedIn...)
	v1.GET("/audit/verify", s.verifyAudit, signedIn...)

	v1.GET("/services", s.listServices, signedIn...)
	v1.POST("/services", s.createService, signedIn...)
	v1.GET("/services/:id", s.getService, signedIn...)
	v1.PATCH("/services/:id", s.patchService, signedIn...)
	v1.GET("/services/:id/occupancy", s.occupancy, signedIn...)
	v1.GET("/services/:id/holds", s.listHolds, signedIn...)
	v1.POST("/services/:id/holds", s.createHold, signedIn...)
	v1.POST("/services/:id/placements", s.checkInWalkIn, signedIn...)
	v1.POST("/match", s.match, signedIn...)
	v1.GET("/directory/snapshot", s.directorySnapshot, signedIn...)
	v1.GET("/stats", s.getStats, signedIn...)

	v1.GET("/operations", s.listOperations, signedIn...)
	v1.POST("/operations", s.createOperation, signedIn...)
	v1.GET("/operations/:id", s.getOperation, signedIn...)
	v1.POST("/cases", s.createCase, signedIn...)
	v1.GET("/cases/:id", s.getCase, signedIn...)
	v1.GET("/cases/:id/consents", s.listConsents, signedIn...)
	v1.POST("/cases/:id/consents", s.recordConsent, signedIn...)
	v1.GET("/cases/:id/referrals", s.listCaseReferrals, signedIn...)
	v1.GET("/referrals", s.listReferrals, signedIn...)
	v1.POST("/referrals", s.sendReferral, signedIn...)
	v1.GET("/referrals/:id", s.getReferral, signedIn...)
	v1.GET("/referrals/:id/events", s.referralEvents, signedIn...)
	v1.GET("/referrals/:id/person", s.referralPerson, signedIn...)
	v1.POST("/referrals/:id/:action", s.referralStep, signedIn...)
	v1.GET("/nrm", s.nrmQueue, signedIn...)
	v1.POST("/nrm", s.submitNRM, signedIn...)
	v1.GET("/nrm/:id", s.getNRM, signedIn...)
	v1.POST("/nrm/:id/steps", s.nrmStep, signedIn...)

	v1.GET("/holds/:id", s.getHold, signedIn...)
	v1.POST("/holds/:id/release", s.releaseHold, signedIn...)
	v1.POST("/holds/:id/confirm", s.confirmHold, signedIn...)
	v1.POST("/holds/:id/checkin", s.checkIn, signedIn...)
	v1.GET("/placements/:id", s.getPlacement, signedIn...)
	v1.POST("/placements/:id/checkout", s.checkOut, signedIn...)

	// HSDS 3.1, read-only, for partner directories: any signed-in user or token.
	hsds := e.Group("/hsds")
	hsds.GET("/services", s.hsdsServices, signedIn...)
	hsds.GET("/services/:id", s.hsdsService, signedIn...)
	hsds.GET("/organizations", s.hsdsOrganizations, signedIn...)
	hsds.GET("/organizations/:id", s.hsdsOrganization, signedIn...)
	hsds.GET("/taxonomy", s.hsdsTaxonomy, signedIn...)
}

// SetPageErrorHandler makes errors of requests outside /api/ render as pages.
func (s *Server) SetPageErrorHandler(h func(error, echo.Context)) { s.pages = h }

// Secure reports whether cookies must be marked Secure: the public address is https, or this
// request arrived over TLS.
func (s *Server) Secure(c echo.Context) bool {
	return s.httpsURL || c.Scheme() == "https"
}

// isAPI reports whether a request is answered in JSON: the API, HSDS and the operational endpoints.
func isAPI(c echo.Context) bool {
	p := c.Request().URL.Path
	return strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/hsds/") || isOperational(c)
}

// isOperational reports the endpoints load balancers and monitoring call.
func isOperational(c echo.Context) bool {
	switch c.Request().URL.Path {
	case "/healthz", "/readyz", "/metrics":
		return true
	}
	return false
}

func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

func (s *Server) logPanic(c echo.Context, err error, stack []byte) error {
	s.deps.Log.Error("panic", "request_id", requestIDOf(c), "route", c.Path(), "error", err.Error(), "stack", string(stack))
	return err
}

// handleError answers every error: problem+json for the API, a page for everything else.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if s.pages != nil && !isAPI(c) {
		s.pages(err, c)
		return
	}
	s.WriteProblem(c, err)
}

// WriteProblem writes err as problem+json in the request's language, logging internal errors.
func (s *Server) WriteProblem(c echo.Context, err error) {
	l := s.Localizer(c)
	p := problemFor(err, l)
	p.RequestID = requestIDOf(c)
	if p.Status >= 500 {
		s.deps.Log.Error("request failed", "request_id", p.RequestID, "route", c.Path(), "error", err.Error())
	}
	h := c.Response().Header()
	if ra := retryAfter(err); ra != "" {
		h.Set("Retry-After", ra)
	}
	if p.Status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="harbour"`)
	}
	h.Set(echo.HeaderContentType, "application/problem+json")
	h.Set("Content-Language", l.Code)
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(p.Status)
		return
	}
	_ = c.JSON(p.Status, p)
}

// Localizer returns the request's localizer, negotiating one if the middleware has not yet run.
func (s *Server) Localizer(c echo.Context) *i18n.Localizer {
	if l := i18n.From(c.Request().Context(), nil); l != nil {
		return l
	}
	return s.deps.Bundle.Negotiate("", langCookie(c), c.Request().Header.Get("Accept-Language"))
}
