package api

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

const requestIDKey = "request_id"

// validRequestID keeps a caller's X-Request-ID only when it cannot smuggle anything into logs.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// requestID gives every request an ID: the caller's, when well-formed, or a new one.
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !validRequestID.MatchString(id) {
			b := make([]byte, 12)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Set(requestIDKey, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

func requestIDOf(c echo.Context) string {
	id, _ := c.Get(requestIDKey).(string)
	return id
}

// accessLog writes one line per request: the route pattern, never the raw path or query
// (which may hold names), and IDs only.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "(no route)"
		}
		attrs := []any{"method", c.Request().Method, "route", route, "status", c.Response().Status,
			"duration_ms", time.Since(start).Milliseconds(), "bytes", c.Response().Size, "request_id", requestIDOf(c)}
		if id, ok := referral.IdentityFrom(c.Request().Context()); ok {
			attrs = append(attrs, "user_id", id.User.ID.String(), "organisation_id", id.User.OrganisationID.String())
		}
		s.deps.Log.Info("request", attrs...)
		return nil
	}
}

// securityHeaders forbids framing, inline script and sniffing, and keeps pages holding
// people's details out of every cache.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
			"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), payment=()")
		h.Set("Cache-Control", "no-store")
		if s.Secure(c) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		return next(c)
	}
}

const authErrKey = "auth_error"

// authenticate finds who is calling: a Bearer token (API clients) or the session cookie
// (browsers). A bad token is remembered and refused by requireUser, so public endpoints still
// answer; a stale cookie just means signed out. Operational endpoints (health, metrics) never
// touch the database for this.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if isOperational(c) {
			return next(c)
		}
		r := c.Request()
		ctx := referral.WithRequest(r.Context(), referral.RequestMeta{RequestID: requestIDOf(c), ClientAddr: c.RealIP()})
		if h := r.Header.Get(echo.HeaderAuthorization); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			id, err := referral.Identity{}, error(referral.ErrUnauthenticated)
			if ok {
				id, err = s.deps.Domain.TokenIdentity(ctx, strings.TrimSpace(token))
			}
			switch {
			case err == nil:
				ctx = referral.WithIdentity(ctx, id)
			case referral.ErrorCode(err) == referral.CodeUnauthenticated:
				c.Set(authErrKey, err)
			default:
				return err
			}
		} else if ck, err := r.Cookie(s.cfg.SessionCookie); err == nil && ck.Value != "" {
			id, err := s.deps.Domain.SessionIdentity(ctx, ck.Value)
			switch {
			case err == nil:
				ctx = referral.WithIdentity(ctx, id)
			case referral.ErrorCode(err) != referral.CodeUnauthenticated:
				return err
			}
		}
		c.SetRequest(r.WithContext(ctx))
		return next(c)
	}
}

// negotiateLanguage picks the request's language; ?lang= also remembers the choice in a cookie.
func (s *Server) negotiateLanguage(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		cookie := langCookie(c)
		if q := c.QueryParam("lang"); q != "" {
			if code, ok := s.deps.Bundle.Canonical(q); ok {
				cookie = code
				c.SetCookie(s.LanguageCookie(c, code))
			}
		}
		var userLang string
		if id, ok := referral.IdentityFrom(c.Request().Context()); ok {
			userLang = id.User.Language
		}
		l := s.deps.Bundle.Negotiate(userLang, cookie, c.Request().Header.Get("Accept-Language"))
		c.SetRequest(c.Request().WithContext(i18n.WithLocalizer(c.Request().Context(), l)))
		c.Response().Header().Set("Content-Language", l.Code)
		c.Response().Header().Add(echo.HeaderVary, "Accept-Language")
		return next(c)
	}
}

const langCookieName = "lang"

func langCookie(c echo.Context) string {
	if ck, err := c.Cookie(langCookieName); err == nil {
		return ck.Value
	}
	return ""
}

// LanguageCookie returns the cookie remembering a language choice for a year.
func (s *Server) LanguageCookie(c echo.Context, code string) *http.Cookie {
	return &http.Cookie{Name: langCookieName, Value: code, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.Secure(c)}
}

// csrf protects every state-changing request a browser could be tricked into sending: browsers
// that send Sec-Fetch-Site pass when the request is same-origin; others must echo the token from
// the CSRF cookie in the X-CSRF-Token header or the _csrf form field. API requests without the
// session cookie (Bearer tokens, or nothing) carry no ambient credential and are exempt; pages,
// the sign-in form included, are not.
func (s *Server) csrf() echo.MiddlewareFunc {
	return middleware.CSRFWithConfig(middleware.CSRFConfig{
		Skipper: func(c echo.Context) bool {
			if strings.HasPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ") {
				return true
			}
			_, err := c.Cookie(s.cfg.SessionCookie)
			return isAPI(c) && err != nil
		},
		TokenLookup:    "header:" + echo.HeaderXCSRFToken + ",form:" + CSRFField,
		ContextKey:     CSRFContextKey,
		CookieName:     "harbour_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSameSite: http.SameSiteLaxMode,
		CookieSecure:   s.httpsURL,
		CookieMaxAge:   12 * 3600,
		ErrorHandler: func(_ error, c echo.Context) error {
			if isAPI(c) {
				return referral.Errorf(referral.CodeForbidden, "error.csrf_api", nil)
			}
			return referral.Errorf(referral.CodeForbidden, "error.csrf", nil)
		},
	})
}

// CSRFField is the form field, and CSRFContextKey the echo context key, of the CSRF token.
const (
	CSRFField      = "_csrf"
	CSRFContextKey = "csrf"
)

// requireUser refuses requests with no signed-in user (or a bad token).
func (s *Server) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := referral.IdentityFrom(c.Request().Context()); !ok {
			if err, bad := c.Get(authErrKey).(error); bad {
				return err
			}
			return referral.ErrUnauthenticated
		}
		return next(c)
	}
}

// requirePasswordSet refuses browser sessions that must first replace a temporary password.
func (s *Server) requirePasswordSet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if id, ok := referral.IdentityFrom(c.Request().Context()); ok && id.User.MustChangePassword && id.TokenID == uuid.Nil {
			return referral.Errorf(referral.CodeForbidden, "error.password.must_change", nil)
		}
		return next(c)
	}
}

// CSRFToken returns the request's CSRF token, for forms.
func (s *Server) CSRFToken(c echo.Context) string {
	t, _ := c.Get(CSRFContextKey).(string)
	return t
}
