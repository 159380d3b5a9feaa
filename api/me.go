package api

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// meResponse says who is calling: the user, their organisation and roles, the language their
// requests are answered in, and how they signed in.
type meResponse struct {
	User         userView         `json:"user"`
	Organisation organisationView `json:"organisation"`
	Roles        []referral.Role  `json:"roles"`
	Language     string           `json:"language"`
	Auth         string           `json:"auth"`
}

func (s *Server) getMe(c echo.Context) error {
	id, _ := referral.IdentityFrom(c.Request().Context())
	return c.JSON(http.StatusOK, me(id, s.Localizer(c).Code))
}

// me describes the signed-in identity, whose requests are answered in language.
func me(id referral.Identity, language string) meResponse {
	auth := "session"
	if id.SessionID == uuid.Nil {
		auth = "token"
	}
	user := newUserView(id.User)
	return meResponse{User: user, Organisation: newOrganisationView(id.Organisation), Roles: user.Roles, Language: language, Auth: auth}
}

type profileRequest struct {
	Name     *string `json:"name"`
	Language *string `json:"language"`
}

func (s *Server) patchMe(c echo.Context) error {
	var req profileRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := s.deps.Domain.UpdateProfile(ctx, referral.ProfileInput{Name: req.Name, Language: req.Language})
	if err != nil {
		return err
	}
	id, _ := referral.IdentityFrom(ctx)
	id.User = u
	// The answer is in the language the changed profile gets from now on.
	l := s.deps.Bundle.Negotiate(u.Language, langCookie(c), c.Request().Header.Get("Accept-Language"))
	return c.JSON(http.StatusOK, me(id, l.Code))
}
