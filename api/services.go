package api

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// serviceRequest is the body of a service create or update; absent fields are left unchanged.
type serviceRequest struct {
	ID                *uuid.UUID               `json:"id"`
	OrganisationID    *uuid.UUID               `json:"organisation_id"`
	Category          *string                  `json:"category"`
	Name              *string                  `json:"name"`
	NameI18n          map[string]string        `json:"name_i18n"`
	Description       *string                  `json:"description"`
	DescriptionI18n   map[string]string        `json:"description_i18n"`
	Languages         *[]string                `json:"languages"`
	Interpreter       *bool                    `json:"interpreter"`
	Genders           *[]string                `json:"genders"`
	MinAge            optional[int]            `json:"min_age"`
	MaxAge            optional[int]            `json:"max_age"`
	AcceptsMinors     *bool                    `json:"accepts_minors"`
	AcceptsChildren   *bool                    `json:"accepts_children"`
	ExploitationTypes *[]string                `json:"exploitation_types"`
	Conditions        *string                  `json:"conditions"`
	Address           *string                  `json:"address"`
	PostalCode        *string                  `json:"postal_code"`
	City              *string                  `json:"city"`
	Region            *string                  `json:"region"`
	Country           *string                  `json:"country"`
	Latitude          optional[float64]        `json:"latitude"`
	Longitude         optional[float64]        `json:"longitude"`
	Confidential      *bool                    `json:"confidential"`
	OpenAlways        *bool                    `json:"open_always"`
	OpeningHours      *[]referral.OpeningHours `json:"opening_hours"`
	Accepting         *bool                    `json:"accepting"`
	ResponseMinutes   optional[int]            `json:"response_minutes"`
	HoldMinutes       *int                     `json:"hold_minutes"`
	Phone             *string                  `json:"phone"`
	Email             *string                  `json:"email"`
	Active            *bool                    `json:"active"`
	Capacity          map[referral.Unit]int    `json:"capacity"`
}

func (r serviceRequest) input() referral.ServiceInput {
	in := referral.ServiceInput{ID: orZero(r.ID), OrganisationID: orZero(r.OrganisationID),
		Name: r.Name, NameI18n: r.NameI18n, Description: r.Description, DescriptionI18n: r.DescriptionI18n,
		Languages: r.Languages, Interpreter: r.Interpreter, Genders: r.Genders, MinAge: r.MinAge.ptr(), MaxAge: r.MaxAge.ptr(),
		AcceptsMinors: r.AcceptsMinors, AcceptsChildren: r.AcceptsChildren, ExploitationTypes: r.ExploitationTypes,
		Conditions: r.Conditions, Address: r.Address, PostalCode: r.PostalCode, City: r.City, Region: r.Region,
		Country: r.Country, Latitude: r.Latitude.ptr(), Longitude: r.Longitude.ptr(), Confidential: r.Confidential,
		OpenAlways: r.OpenAlways, OpeningHours: r.OpeningHours, Accepting: r.Accepting, ResponseMinutes: r.ResponseMinutes.ptr(),
		HoldMinutes: r.HoldMinutes, Phone: r.Phone, Email: r.Email, Active: r.Active, Capacity: r.Capacity,
	}
	if r.Category != nil {
		c := referral.Category(*r.Category)
		in.Category = &c
	}
	return in
}

func (s *Server) createService(c echo.Context) error {
	var req serviceRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	in := req.input()
	if req.OrganisationID == nil { // by default, a service of the caller's own organisation
		in.OrganisationID = referral.ActorFrom(c.Request().Context()).OrganisationID
	}
	svc, isNew, err := s.deps.Domain.CreateService(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return created(c, isNew, "/api/v1/services/"+svc.ID.String(), svc)
}

func (s *Server) getService(c echo.Context) error { return byID(c, s.deps.Domain.Service) }

func (s *Server) patchService(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req serviceRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if (req.ID != nil && *req.ID != id) || req.OrganisationID != nil {
		return referral.Errorf(referral.CodeInvalid, "error.id_mismatch", nil)
	}
	svc, err := s.deps.Domain.UpdateService(c.Request().Context(), id, req.input())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, svc)
}

// listServices pages through the directory by ID: ?after=<last id> continues.
func (s *Server) listServices(c echo.Context) error {
	q := queryParams{c: c}
	f := referral.ServiceFilter{Category: referral.Category(c.QueryParam("category")), Country: c.QueryParam("country"),
		OrganisationID: q.uuid("organisation_id"), After: q.uuid("after")}
	limit := q.limit(100, 500)
	if err := q.err(); err != nil {
		return err
	}
	f.Limit = limit + 1 // one more tells whether another page follows
	list, err := s.deps.Domain.ListServices(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return paged(c, list, limit, "after", func(s referral.Service) string { return s.ID.String() })
}
