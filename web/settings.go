package web

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// settingsData is the person's own API tokens (the profile form shows the rest).
type settingsData struct {
	Tokens []referral.APIToken
}

func (s *Site) settingsPage(c echo.Context) error {
	id, _ := referral.IdentityFrom(c.Request().Context())
	p, err := s.settings(c, id)
	if err != nil {
		return err
	}
	p.Form.Values["name"], p.Form.Values["language"] = id.User.Name, id.User.Language
	s.notice(c, p)
	return s.render(c, http.StatusOK, "settings", p)
}

func (s *Site) settings(c echo.Context, id referral.Identity) (*page, error) {
	tokens, err := s.deps.Domain.ListTokens(c.Request().Context(), id.User.ID)
	if err != nil {
		return nil, err
	}
	return s.newPage(c, "settings.title", settingsData{Tokens: tokens}), nil
}

// saveSettings changes the person's name, language, or revokes one of their tokens.
func (s *Site) saveSettings(c echo.Context) error {
	ctx := c.Request().Context()
	id, _ := referral.IdentityFrom(ctx)
	if revoke := c.FormValue("revoke"); revoke != "" {
		tid, err := uuid.Parse(revoke)
		if err != nil {
			return referral.ErrNotFound
		}
		if _, err := s.deps.Domain.RevokeToken(ctx, tid); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/settings?notice=saved")
	}
	name, lang := c.FormValue("name"), c.FormValue("language")
	if _, err := s.deps.Domain.UpdateProfile(ctx, referral.ProfileInput{Name: &name, Language: &lang}); err != nil {
		p, perr := s.settings(c, id)
		if perr != nil {
			return perr
		}
		p.Form.fill(c, "name", "language")
		return s.refused(c, "settings", p, err)
	}
	return c.Redirect(http.StatusSeeOther, "/settings?notice=saved")
}

func (s *Site) passwordPage(c echo.Context) error {
	return s.render(c, http.StatusOK, "password", s.newPage(c, "password.title", nil))
}

// changePassword replaces the person's password; the new one is typed twice.
func (s *Site) changePassword(c echo.Context) error {
	ctx := c.Request().Context()
	id, _ := referral.IdentityFrom(ctx)
	next := c.FormValue("new_password")
	var typo referral.Problems
	if next != c.FormValue("confirm_password") {
		typo.Add("confirm_password", "error.password.mismatch", nil)
	}
	err := typo.Err()
	if err == nil {
		err = s.deps.Domain.ChangePassword(ctx, c.FormValue("current_password"), next, id.SessionID)
	}
	if err != nil {
		return s.refused(c, "password", s.newPage(c, "password.title", nil), err)
	}
	return c.Redirect(http.StatusSeeOther, "/settings?notice=password_changed")
}
