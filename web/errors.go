package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// errorData is what the error page shows.
type errorData struct {
	Status  int
	Message string // translated
	Back    string // the page the person came from on this site, if any
}

// RenderError answers a failed page request: people who are not signed in go to the sign-in
// page; everyone else sees what went wrong in their language, with a way home. Internal errors
// are logged with the request ID only.
func (s *Site) RenderError(err error, c echo.Context) {
	status, messageID, data := http.StatusInternalServerError, "error.internal", map[string]any(nil)
	var de *referral.Error
	var he *echo.HTTPError
	switch {
	case errors.As(err, &de):
		status, messageID, data = s.cfg.Status(de.Code), de.MessageID, de.Data
	case errors.As(err, &he):
		status, messageID = he.Code, httpMessage(he.Code)
	}
	if status == http.StatusUnauthorized && c.Request().Method == http.MethodGet {
		_ = c.Redirect(http.StatusSeeOther, "/signin?next="+url.QueryEscape(c.Request().URL.RequestURI()))
		return
	}
	if status >= 500 {
		s.deps.Log.Error("page failed", "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
			"route", c.Path(), "error", err.Error())
	}
	back := ""
	if ref, err := url.Parse(c.Request().Referer()); err == nil && ref.Host == c.Request().Host && ref.Path != c.Request().URL.Path {
		back = localPath(ref.RequestURI())
	}
	p := s.newPage(c, "error.title", errorData{Status: status, Message: s.localizer(c).Message(messageID, data), Back: back})
	if rerr := s.render(c, status, "error", p); rerr != nil {
		s.deps.Log.Error("error page failed", "error", rerr.Error())
		_ = c.NoContent(status)
	}
}

func httpMessage(status int) string {
	switch status {
	case http.StatusNotFound:
		return "error.http.not_found"
	case http.StatusMethodNotAllowed:
		return "error.http.method_not_allowed"
	case http.StatusRequestEntityTooLarge:
		return "error.http.too_large"
	case http.StatusBadRequest:
		return "error.http.bad_request"
	case http.StatusForbidden:
		return "error.http.forbidden"
	}
	return "error.internal"
}
