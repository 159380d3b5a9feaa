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
	return c.JSON(http.StatusOK, s.me(c, id))
}

func (s *Server) me(c echo.Context, id referral.Identity) meResponse {
	auth := "session"
	if id.SessionID == uuid.Nil {
		auth = "token"
	}
	user := viewUser(id.User)
	return meResponse{User: user, Organisation: viewOrganisation(id.Organisation),
		Roles: user.Roles, Language: s.Localizer(c).Code, Auth: auth}
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
	l := s.deps.Bundle.Negotiate(u.Language, langCookie(c), c.Request().Header.Get("Accept-Language"))
	resp := s.me(c, id)
	resp.Language = l.Code
	return c.JSON(http.StatusOK, resp)
}
