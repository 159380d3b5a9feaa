package web

import (
	"log/slog"
	"net/http"

	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// Config wires the pages to the HTTP layer they share with the API.
type Config struct {
	SessionCookie  string                    // name of the session cookie
	SessionMaxAge  int                       // seconds a session cookie is kept by the browser
	Secure         func(echo.Context) bool   // whether cookies must be Secure
	CSRFToken      func(echo.Context) string // the request's CSRF token, for forms
	LanguageCookie func(echo.Context, string) *http.Cookie
	Status         func(referral.Code) int // the HTTP status of a domain error (the API's table)
}

// Deps are what the pages work with.
type Deps struct {
	Domain *referral.Domain
	Bundle *i18n.Bundle
	Log    *slog.Logger
}

// Site is Harbour's pages.
type Site struct {
	cfg    Config
	deps   Deps
	views  views
	screen personViews
	assets *assets
}

// New parses every page in every staff language and loads the static assets.
func New(cfg Config, deps Deps) (*Site, error) {
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	v, err := parseViews(deps.Bundle, a)
	if err != nil {
		return nil, err
	}
	sv, err := parseScreen(deps.Bundle, a)
	if err != nil {
		return nil, err
	}
	return &Site{cfg: cfg, deps: deps, views: v, screen: sv, assets: a}, nil
}

// Register adds the pages to e, in one table read top to bottom.
func (s *Site) Register(e *echo.Echo) {
	e.GET("/static/*", s.assets.serve)
	e.GET("/favicon.ico", s.assets.favicon)
	e.GET("/sw.js", s.serviceWorker)
	e.GET("/manifest.webmanifest", s.manifest)

	e.GET("/", s.home, s.passwordSet)
	e.GET("/signin", s.signInPage)
	e.POST("/signin", s.signIn)
	e.POST("/signout", s.signOut)
	e.POST("/language", s.chooseLanguage)

	me := e.Group("", s.signedIn)
	me.GET("/settings", s.settingsPage)
	me.POST("/settings", s.saveSettings)
	me.GET("/settings/password", s.passwordPage)
	me.POST("/settings/password", s.changePassword)
	me.GET("/settings/notifications", s.notificationSettingsPage)
	me.POST("/settings/notifications", s.saveNotificationSettings)
	me.GET("/notifications", s.notificationsPage)
	me.POST("/notifications/read", s.readNotifications)
	me.GET("/notifications/:id", s.openNotification)

	// Every page of a signed-in person's work, once they chose their own password.
	work := e.Group("", s.signedIn, s.passwordSet)
	work.GET("/admin/organisations", s.organisationsPage)
	work.GET("/admin/organisations/new", s.newOrganisationPage)
	work.POST("/admin/organisations", s.createOrganisation)
	work.GET("/admin/organisations/:id", s.organisationPage)
	work.POST("/admin/organisations/:id", s.updateOrganisation)
	work.GET("/organisations/:id/users", s.usersPage)
	work.GET("/organisations/:id/users/new", s.newUserPage)
	work.POST("/organisations/:id/users", s.createUser)
	work.GET("/users/:id", s.userPage)
	work.POST("/users/:id", s.updateUser)
	work.POST("/users/:id/password", s.resetPassword)
	work.GET("/audit", s.auditPage)
	work.GET("/audit/verify", s.verifyAuditPage)

	work.GET("/services", s.servicesPage)
	work.GET("/services/new", s.newServicePage)
	work.POST("/services", s.createService)
	work.GET("/services/:id/edit", s.editServicePage)
	work.POST("/services/:id", s.updateService)
	work.POST("/services/:id/holds", s.holdBed)
	work.GET("/holds/:id", s.holdPage)
	work.POST("/holds/:id/release", s.releaseHold)
	work.GET("/offline", s.offlinePage)
	work.GET("/offline/screen", s.offlineScreen)
	work.GET("/operations", s.operationsPage)
	work.POST("/operations", s.createOperation)
	work.GET("/operations/:id", s.operationPage)
	work.GET("/cases/new", s.intakePage)
	work.POST("/cases", s.createCase)
	work.GET("/cases/:id", s.casePage)
	work.GET("/cases/:id/screen", s.screenPage)
	work.POST("/cases/:id/consents", s.recordConsents)
	work.POST("/cases/:id/referrals", s.sendReferral)
	work.POST("/cases/:id/nrm", s.submitNRM)
	work.GET("/nrm", s.nrmQueuePage)
	work.GET("/nrm/:id", s.nrmPage)
	work.POST("/nrm/:id/steps", s.nrmStep)
	work.GET("/nrm/:id/letter/:event", s.nrmLetter)
	work.GET("/referrals", s.referralsPage)
	work.GET("/referrals/:id", s.referralPage)
	work.POST("/referrals/:id/:action", s.referralStep)
	work.GET("/help", s.helpPage)
	work.GET("/board", s.boardPage)
	work.POST("/board/:action/:id", s.boardAction)
	work.GET("/stats", s.statsPage)
	work.GET("/stats.csv", s.statsCSV)
}
