package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// consentRow is what holds for one consent question, as message IDs.
type consentRow struct {
	Scope    string    // consent.scope.*
	State    string    // consent.state.*
	At       time.Time // of the answer; zero when none
	Withdraw string    // the scope, when she may withdraw what she agreed to
}

// consentRows says, for each question, her latest answer, that it was not asked yet, or that a
// child is not asked.
func consentRows(consents []referral.Consent, minor bool) []consentRow {
	state := referral.ConsentState(consents)
	var out []consentRow
	for _, scope := range referral.ConsentScopes {
		r := consentRow{Scope: "consent.scope." + string(scope), State: "consent.state.not_asked"}
		if k, ok := state[scope]; ok {
			r.State, r.At = "consent.state.refused", k.RecordedAt
			if k.Given {
				r.State, r.Withdraw = "consent.state.given", string(scope)
			}
		} else if scope == referral.ConsentNRM && minor {
			r.State = "consent.state.child"
		}
		out = append(out, r)
	}
	return out
}

// recordConsents records her answers from her screen, one record per question answered.
func (s *Site) recordConsents(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	lang := c.FormValue("screen")
	if _, ok := s.deps.Bundle.PersonLocalizer(lang); !ok {
		return referral.ErrNotFound
	}
	for _, scope := range referral.ConsentScopes {
		answer := c.FormValue(string(scope))
		if answer != "yes" && answer != "no" {
			continue // not asked, or not answered: nothing is recorded
		}
		given := answer == "yes"
		recordID, _ := uuid.Parse(c.FormValue(string(scope) + "_id"))
		if _, _, err := s.deps.Domain.RecordConsent(c.Request().Context(), id, referral.ConsentInput{ID: recordID,
			Scope: scope, Given: &given, Language: lang}); err != nil {
			return err
		}
	}
	if c.FormValue("back") == "case" { // withdrawn from her record, at her word
		return c.Redirect(http.StatusSeeOther, "/cases/"+id.String()+"?notice=saved")
	}
	return c.Redirect(http.StatusSeeOther, "/cases/"+id.String()+"/screen?screen="+url.QueryEscape(lang)+"&done=1")
}
