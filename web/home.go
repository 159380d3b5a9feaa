package web

import (
	"net/http"

	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// section is one card of a home page: what will appear there, and where to go.
type section struct {
	Title string // message IDs
	Empty string
	Link  string
	Label string
}

// sectionsFor lists, per role, what that person's home will hold. Most are still empty: each
// says what will appear there, so nobody wonders whether something failed to load.
func sectionsFor(id referral.Identity) []section {
	a := id.Actor()
	org := "/organisations/" + id.User.OrganisationID.String() + "/users"
	var out []section
	add := func(r referral.Role, s ...section) {
		if a.Has(r) {
			out = append(out, s...)
		}
	}
	add(referral.RoleOfficer,
		section{Title: "home.officer.help", Empty: "home.officer.help_hint", Link: "/help", Label: "home.officer.help_link"},
		section{Title: "home.officer.operations", Empty: "home.officer.operations_empty", Link: "/operations", Label: "home.officer.operations_link"},
		section{Title: "home.officer.referrals", Empty: "home.officer.referrals_empty"})
	add(referral.RoleShelterStaff,
		section{Title: "home.shelter.incoming", Empty: "home.shelter.incoming_empty"},
		section{Title: "home.shelter.beds", Empty: "home.shelter.beds_hint", Link: "/board", Label: "home.shelter.beds_link"})
	add(referral.RoleCaseworker,
		section{Title: "home.caseworker.inbox", Empty: "home.caseworker.inbox_empty"})
	add(referral.RoleDecisionMaker,
		section{Title: "home.decision.queue", Empty: "home.decision.queue_hint", Link: "/nrm", Label: "home.decision.queue_link"},
		section{Title: "home.decision.stats", Empty: "home.decision.stats_hint", Link: "/stats", Label: "home.decision.stats_link"})
	add(referral.RoleOrgAdmin,
		section{Title: "home.orgadmin.users", Empty: "home.orgadmin.users_hint", Link: org, Label: "home.orgadmin.users_link"},
		section{Title: "home.orgadmin.services", Empty: "home.orgadmin.services_hint", Link: "/services", Label: "home.orgadmin.services_link"})
	add(referral.RoleAdmin,
		section{Title: "home.admin.organisations", Empty: "home.admin.organisations_hint", Link: "/admin/organisations", Label: "home.admin.organisations_link"},
		section{Title: "home.admin.audit", Empty: "home.admin.audit_hint", Link: "/audit", Label: "home.admin.audit_link"})
	return out
}

// home shows the signed-in person their work; anyone else gets the sign-in form.
func (s *Site) home(c echo.Context) error {
	id, ok := referral.IdentityFrom(c.Request().Context())
	if !ok {
		return s.signInPage(c)
	}
	return s.render(c, http.StatusOK, "home", s.newPage(c, "home.title", sectionsFor(id)))
}
