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

	admin := e.Group("", s.signedIn, s.passwordSet)
	admin.GET("/admin/organisations", s.organisationsPage)
	admin.GET("/admin/organisations/new", s.newOrganisationPage)
	admin.POST("/admin/organisations", s.createOrganisation)
	admin.GET("/admin/organisations/:id", s.organisationPage)
	admin.POST("/admin/organisations/:id", s.updateOrganisation)
	admin.GET("/organisations/:id/users", s.usersPage)
	admin.GET("/organisations/:id/users/new", s.newUserPage)
	admin.POST("/organisations/:id/users", s.createUser)
	admin.GET("/users/:id", s.userPage)
	admin.POST("/users/:id", s.updateUser)
	admin.POST("/users/:id/password", s.resetPassword)
	admin.GET("/audit", s.auditPage)
	admin.GET("/audit/verify", s.verifyAuditPage)

	admin.GET("/services", s.servicesPage)
	admin.GET("/services/new", s.newServicePage)
	admin.POST("/services", s.createService)
	admin.GET("/services/:id/edit", s.editServicePage)
	admin.POST("/services/:id", s.updateService)
	admin.POST("/services/:id/holds", s.holdBed)
	admin.GET("/holds/:id", s.holdPage)
	admin.POST("/holds/:id/release", s.releaseHold)
	admin.GET("/offline", s.offlinePage)
	admin.GET("/offline/screen", s.offlineScreen)
	admin.GET("/operations", s.operationsPage)
	admin.POST("/operations", s.createOperation)
	admin.GET("/operations/:id", s.operationPage)
	admin.GET("/cases/new", s.intakePage)
	admin.POST("/cases", s.createCase)
	admin.GET("/cases/:id", s.casePage)
	admin.GET("/cases/:id/screen", s.screenPage)
	admin.POST("/cases/:id/consents", s.recordConsents)
	admin.POST("/cases/:id/referrals", s.sendReferral)
	admin.POST("/cases/:id/nrm", s.submitNRM)
	admin.GET("/nrm", s.nrmQueuePage)
	admin.GET("/nrm/:id", s.nrmPage)
	admin.POST("/nrm/:id/steps", s.nrmStep)
	admin.GET("/nrm/:id/letter/:event", s.nrmLetter)
	admin.GET("/referrals", s.referralsPage)
	admin.GET("/referrals/:id", s.referralPage)
	admin.POST("/referrals/:id/:action", s.referralStep)
	admin.GET("/help", s.helpPage)
	admin.GET("/board", s.boardPage)
	admin.POST("/board/:action/:id", s.boardAction)
	admin.GET("/stats", s.statsPage)
	admin.GET("/stats.csv", s.statsCSV)
}
