package web

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// organisationForm is the data of the organisation form: the kinds to choose from and, when
// editing, the organisation.
type organisationForm struct {
	Kinds        []referral.OrganisationKind
	Organisation *referral.Organisation
}

var organisationFields = []string{"name", "kind", "country", "time_zone", "active"}

func (s *Site) organisationsPage(c echo.Context) error {
	orgs, err := s.deps.Domain.ListOrganisations(c.Request().Context())
	if err != nil {
		return err
	}
	p := s.newPage(c, "organisations.title", orgs)
	s.notice(c, p)
	return s.render(c, http.StatusOK, "organisations", p)
}

// organisationFormPage prepares the organisation form: a new organisation when o is nil.
func (s *Site) organisationFormPage(c echo.Context, o *referral.Organisation) *page {
	title := "organisations.new"
	if o != nil {
		title = "organisations.edit"
	}
	return s.newPage(c, title, organisationForm{Kinds: referral.OrganisationKinds, Organisation: o})
}

func (s *Site) newOrganisationPage(c echo.Context) error {
	if err := authorize(c, referral.ActOrganisationCreate, referral.Target{}); err != nil {
		return err
	}
	p := s.organisationFormPage(c, nil)
	p.Form.Values["id"] = newID() // a retried submit creates nothing twice
	p.Form.Values["active"] = "on"
	return s.render(c, http.StatusOK, "organisation", p)
}

func organisationInput(c echo.Context) referral.OrganisationInput {
	name, kind, country, tz := c.FormValue("name"), referral.OrganisationKind(c.FormValue("kind")), c.FormValue("country"), c.FormValue("time_zone")
	active := c.FormValue("active") == "on"
	return referral.OrganisationInput{Name: &name, Kind: &kind, Country: &country, TimeZone: &tz, Active: &active}
}

func (s *Site) createOrganisation(c echo.Context) error {
	in := organisationInput(c)
	in.ID, _ = uuid.Parse(c.FormValue("id"))
	o, _, err := s.deps.Domain.CreateOrganisation(c.Request().Context(), in)
	if err != nil {
		p := s.organisationFormPage(c, nil)
		p.Form.fill(c, append(organisationFields, "id")...)
		keepID(p.Form)
		return s.refused(c, "organisation", p, err)
	}
	return c.Redirect(http.StatusSeeOther, "/admin/organisations/"+o.ID.String()+"?notice=saved")
}

func (s *Site) organisationPage(c echo.Context) error {
	o, err := s.organisationParam(c)
	if err != nil {
		return err
	}
	if err := authorize(c, referral.ActOrganisationUpdate, referral.Target{OrganisationID: o.ID}); err != nil {
		return err
	}
	p := s.organisationFormPage(c, &o)
	p.Form.Values = map[string]string{"name": o.Name, "kind": string(o.Kind), "country": o.Country, "time_zone": o.TimeZone}
	if o.Active {
		p.Form.Values["active"] = "on"
	}
	s.notice(c, p)
	return s.render(c, http.StatusOK, "organisation", p)
}

func (s *Site) updateOrganisation(c echo.Context) error {
	o, err := s.organisationParam(c)
	if err != nil {
		return err
	}
	if _, err := s.deps.Domain.UpdateOrganisation(c.Request().Context(), o.ID, organisationInput(c)); err != nil {
		p := s.organisationFormPage(c, &o)
		p.Form.fill(c, organisationFields...)
		return s.refused(c, "organisation", p, err)
	}
	return c.Redirect(http.StatusSeeOther, "/admin/organisations/"+o.ID.String()+"?notice=saved")
}

func (s *Site) organisationParam(c echo.Context) (referral.Organisation, error) {
	id, err := idParam(c)
	if err != nil {
		return referral.Organisation{}, err
	}
	return s.deps.Domain.Organisation(c.Request().Context(), id)
}
