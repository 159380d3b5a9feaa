package web

import (
	"net/http"
	"strconv"

	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// notices are the confirmations a redirect may ask a page to show (?notice=...).
var notices = map[string]string{
	"signed_out":         "signin.signed_out",
	"saved":              "notice.saved",
	"nrm_submitted":      "notice.nrm_submitted",
	"dtn_reported":       "notice.dtn_reported",
	"nrm_step":           "notice.nrm_step",
	"referral_sent":      "notice.referral_sent",
	"referrals_sent":     "notice.referrals_sent",
	"held_and_referred":  "notice.held_and_referred",
	"password_changed":   "notice.password_changed",
	"notifications_read": "notice.notifications_read",
	// A step taken on a referral says so.
	"referral_accept":       "notice.referral_accept",
	"referral_decline":      "notice.referral_decline",
	"referral_request_info": "notice.referral_request_info",
	"referral_answer_info":  "notice.referral_answer_info",
	"referral_start":        "notice.referral_start",
	"referral_complete":     "notice.referral_complete",
	"referral_withdraw":     "notice.referral_withdraw",
}

func (s *Site) notice(c echo.Context, p *page) {
	if id, ok := notices[c.QueryParam("notice")]; ok {
		p.Notice = s.localizer(c).T(id, nil)
	}
}

func (s *Site) signInPage(c echo.Context) error {
	if _, ok := referral.IdentityFrom(c.Request().Context()); ok {
		return c.Redirect(http.StatusSeeOther, localPath(c.QueryParam("next")))
	}
	p := s.newPage(c, "signin.title", nil)
	p.Form.Values["next"] = localPath(c.QueryParam("next"))
	s.notice(c, p)
	return s.render(c, http.StatusOK, "signin", p)
}

// signIn checks the form and opens a session. A refusal shows the form again with the e-mail
// kept and the reason (wrong details, or how long to wait) in the person's language.
func (s *Site) signIn(c echo.Context) error {
	p := s.newPage(c, "signin.title", nil)
	p.Form.fill(c, "email", "next")
	res, err := s.deps.Domain.SignIn(c.Request().Context(), c.FormValue("email"), c.FormValue("password"))
	if err != nil {
		if e, ok := err.(*referral.Error); ok && e.RetryAfter > 0 {
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds()+0.999)))
		}
		return s.refused(c, "signin", p, err)
	}
	c.SetCookie(&http.Cookie{Name: s.cfg.SessionCookie, Value: res.Token, Path: "/", MaxAge: s.cfg.SessionMaxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.Secure(c)})
	if res.Identity.User.MustChangePassword {
		return c.Redirect(http.StatusSeeOther, "/settings/password")
	}
	return c.Redirect(http.StatusSeeOther, localPath(c.FormValue("next")))
}

// signOut ends the session and tells the browser to drop what it stored for Harbour: on a
// shared phone, nothing of the last person's work may remain.
func (s *Site) signOut(c echo.Context) error {
	if ck, err := c.Cookie(s.cfg.SessionCookie); err == nil {
		if err := s.deps.Domain.SignOut(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	c.SetCookie(&http.Cookie{Name: s.cfg.SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.Secure(c)})
	c.Response().Header().Set("Clear-Site-Data", `"cache", "storage"`)
	return c.Redirect(http.StatusSeeOther, "/signin?notice=signed_out")
}

// chooseLanguage is the language switcher: it remembers the choice in a cookie and, for a
// signed-in person, in their settings (which otherwise would win over the cookie).
func (s *Site) chooseLanguage(c echo.Context) error {
	code, ok := s.deps.Bundle.Canonical(c.FormValue("lang"))
	if !ok {
		return referral.Errorf(referral.CodeInvalid, "error.user.language", nil)
	}
	c.SetCookie(s.cfg.LanguageCookie(c, code))
	if _, signedIn := referral.IdentityFrom(c.Request().Context()); signedIn {
		if _, err := s.deps.Domain.UpdateProfile(c.Request().Context(), referral.ProfileInput{Language: &code}); err != nil {
			return err
		}
	}
	return c.Redirect(http.StatusSeeOther, localPath(c.FormValue("next")))
}
