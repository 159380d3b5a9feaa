package api

import (
	"net/http"
	"time"

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

// serviceView is a service of the directory as the API shows it. A confidential shelter's
// address, postal code and coordinates are empty for readers who may not see them, and
// address_hidden says so.
type serviceView struct {
	ID                uuid.UUID               `json:"id"`
	OrganisationID    uuid.UUID               `json:"organisation_id"`
	Category          referral.Category       `json:"category"`
	Name              string                  `json:"name"`
	NameI18n          referral.Texts          `json:"name_i18n"`
	Description       string                  `json:"description"`
	DescriptionI18n   referral.Texts          `json:"description_i18n"`
	Languages         []string                `json:"languages"`
	Interpreter       bool                    `json:"interpreter"`
	Genders           []string                `json:"genders"`
	MinAge            *int                    `json:"min_age"`
	MaxAge            *int                    `json:"max_age"`
	AcceptsMinors     bool                    `json:"accepts_minors"`
	AcceptsChildren   bool                    `json:"accepts_children"`
	ExploitationTypes []string                `json:"exploitation_types"`
	Conditions        string                  `json:"conditions"`
	Address           string                  `json:"address"`
	PostalCode        string                  `json:"postal_code"`
	City              string                  `json:"city"`
	Region            string                  `json:"region"`
	Country           string                  `json:"country"`
	Latitude          *float64                `json:"latitude"`
	Longitude         *float64                `json:"longitude"`
	Confidential      bool                    `json:"confidential"`
	OpenAlways        bool                    `json:"open_always"`
	OpeningHours      []referral.OpeningHours `json:"opening_hours"`
	Accepting         bool                    `json:"accepting"`
	ResponseMinutes   *int                    `json:"response_minutes"`
	HoldMinutes       int                     `json:"hold_minutes"`
	Phone             string                  `json:"phone"`
	Email             string                  `json:"email"`
	Active            bool                    `json:"active"`
	CreatedAt         time.Time               `json:"created_at"`
	UpdatedAt         time.Time               `json:"updated_at"`
	Capacity          map[referral.Unit]int   `json:"capacity"`
	AddressHidden     bool                    `json:"address_hidden"`
}

func newServiceView(s referral.Service) serviceView {
	return serviceView{ID: s.ID, OrganisationID: s.OrganisationID, Category: s.Category, Name: s.Name, NameI18n: s.NameI18n,
		Description: s.Description, DescriptionI18n: s.DescriptionI18n, Languages: s.Languages, Interpreter: s.Interpreter,
		Genders: s.Genders, MinAge: s.MinAge, MaxAge: s.MaxAge, AcceptsMinors: s.AcceptsMinors, AcceptsChildren: s.AcceptsChildren,
		ExploitationTypes: s.ExploitationTypes, Conditions: s.Conditions, Address: s.Address, PostalCode: s.PostalCode,
		City: s.City, Region: s.Region, Country: s.Country, Latitude: s.Latitude, Longitude: s.Longitude,
		Confidential: s.Confidential, OpenAlways: s.OpenAlways, OpeningHours: s.OpeningHours, Accepting: s.Accepting,
		ResponseMinutes: s.ResponseMinutes, HoldMinutes: s.HoldMinutes, Phone: s.Phone, Email: s.Email, Active: s.Active,
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, Capacity: s.Capacity, AddressHidden: s.AddressHidden}
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
	return created(c, isNew, "/api/v1/services/"+svc.ID.String(), newServiceView(svc))
}

func (s *Server) getService(c echo.Context) error {
	return viewByID(c, s.deps.Domain.Service, newServiceView)
}

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
	return c.JSON(http.StatusOK, newServiceView(svc))
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
	return paged(c, viewAll(list, newServiceView), limit, "after", func(s serviceView) string { return s.ID.String() })
}
