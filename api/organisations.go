package api

import (
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// organisationView is an organisation as the API shows it.
type organisationView struct {
	ID       uuid.UUID                 `json:"id"`
	Name     string                    `json:"name"`
	Kind     referral.OrganisationKind `json:"kind"`
	Country  string                    `json:"country"`
	TimeZone string                    `json:"time_zone"`
	Active   bool                      `json:"active"`
	// FirstResponder: may submit NRM referrals though its kind is not a first responder.
	FirstResponder bool      `json:"first_responder"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

func newOrganisationView(o referral.Organisation) organisationView {
	return organisationView{ID: o.ID, Name: o.Name, Kind: o.Kind, Country: o.Country, TimeZone: o.TimeZone,
		Active: o.Active, FirstResponder: o.FirstResponder, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
}

// organisationRequest is the body of a create or update; absent fields are left unchanged.
type organisationRequest struct {
	ID       *uuid.UUID `json:"id"`
	Name     *string    `json:"name"`
	Kind     *string    `json:"kind"`
	Country  *string    `json:"country"`
	TimeZone *string    `json:"time_zone"`
	Active   *bool      `json:"active"`
	// FirstResponder marks it a first responder for the NRM one by one.
	FirstResponder *bool `json:"first_responder"`
}

func (r organisationRequest) input() referral.OrganisationInput {
	in := referral.OrganisationInput{ID: orZero(r.ID), Name: r.Name, Country: r.Country, TimeZone: r.TimeZone, Active: r.Active,
		FirstResponder: r.FirstResponder}
	if r.Kind != nil {
		k := referral.OrganisationKind(*r.Kind)
		in.Kind = &k
	}
	return in
}

func (s *Server) listOrganisations(c echo.Context) error {
	orgs, err := s.deps.Domain.ListOrganisations(c.Request().Context())
	if err != nil {
		return err
	}
	return items(c, viewAll(orgs, newOrganisationView))
}

func (s *Server) createOrganisation(c echo.Context) error {
	var req organisationRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	o, isNew, err := s.deps.Domain.CreateOrganisation(c.Request().Context(), req.input())
	if err != nil {
		return err
	}
	return created(c, isNew, "/api/v1/organisations/"+o.ID.String(), newOrganisationView(o))
}

func (s *Server) getOrganisation(c echo.Context) error {
	return viewByID(c, s.deps.Domain.Organisation, newOrganisationView)
}

func (s *Server) patchOrganisation(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req organisationRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.ID != nil && *req.ID != id {
		return referral.Errorf(referral.CodeInvalid, "error.id_mismatch", nil)
	}
	o, err := s.deps.Domain.UpdateOrganisation(c.Request().Context(), id, req.input())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newOrganisationView(o))
}
