package api

import (
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// userView is a user as the API shows it (never the password hash).
type userView struct {
	ID                 uuid.UUID       `json:"id"`
	OrganisationID     uuid.UUID       `json:"organisation_id"`
	Email              string          `json:"email"`
	Name               string          `json:"name"`
	Language           string          `json:"language"`
	Roles              []referral.Role `json:"roles"`
	Active             bool            `json:"active"`
	MustChangePassword bool            `json:"must_change_password"`
	CreatedAt          time.Time       `json:"created_at"`
	UpdatedAt          time.Time       `json:"updated_at"`
}

func newUserView(u referral.User) userView {
	roles := u.Roles
	if roles == nil {
		roles = []referral.Role{}
	}
	return userView{ID: u.ID, OrganisationID: u.OrganisationID, Email: u.Email, Name: u.Name, Language: u.Language,
		Roles: roles, Active: u.Active, MustChangePassword: u.MustChangePassword, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
}

// userRequest is the body of a user create or update; absent fields are left unchanged.
type userRequest struct {
	ID             *uuid.UUID       `json:"id"`
	OrganisationID *uuid.UUID       `json:"organisation_id"`
	Email          *string          `json:"email"`
	Name           *string          `json:"name"`
	Language       *string          `json:"language"`
	Roles          *[]referral.Role `json:"roles"`
	Active         *bool            `json:"active"`
	Password       *string          `json:"password"`
}

func (r userRequest) input() referral.UserInput {
	return referral.UserInput{ID: orZero(r.ID), OrganisationID: orZero(r.OrganisationID), Email: r.Email, Name: r.Name,
		Language: r.Language, Roles: r.Roles, Active: r.Active, Password: r.Password}
}

// listUsers lists the users of the organisation the path names.
func (s *Server) listUsers(c echo.Context) error {
	return itemsByID(c, s.deps.Domain.ListUsers, newUserView)
}

func (s *Server) createUser(c echo.Context) error {
	var req userRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, isNew, err := s.deps.Domain.CreateUser(c.Request().Context(), req.input())
	if err != nil {
		return err
	}
	return created(c, isNew, "/api/v1/users/"+u.ID.String(), newUserView(u))
}

func (s *Server) getUser(c echo.Context) error {
	return viewByID(c, s.deps.Domain.User, newUserView)
}

func (s *Server) patchUser(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req userRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if (req.ID != nil && *req.ID != id) || req.OrganisationID != nil || req.Password != nil {
		return referral.Errorf(referral.CodeInvalid, "error.user.patch_fields", nil)
	}
	u, err := s.deps.Domain.UpdateUser(c.Request().Context(), id, req.input())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newUserView(u))
}

type passwordRequest struct {
	Password string `json:"password"`
}

func (s *Server) resetPassword(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req passwordRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := s.deps.Domain.ResetPassword(c.Request().Context(), id, req.Password); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
