package web

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// holdBed holds a bed at a shelter from the results, then shows the hold; with refer set, it
// also sends the referral with the hold, in one step, and shows her record. The form carries
// client-chosen IDs, so a double tap or a retry on a bad connection holds one bed and sends one
// referral. A refusal (the last bed went meanwhile, she has not agreed yet) shows her record
// with the reason.
func (s *Site) holdBed(c echo.Context) error {
	serviceID, err := idParam(c)
	if err != nil {
		return err
	}
	var typo referral.Problems
	in := referral.HoldInput{Reference: c.FormValue("reference"), Places: deref(formInt(&typo, "places", c.FormValue("places")))}
	if err := typo.Err(); err != nil {
		return err
	}
	in.ID, _ = uuid.Parse(c.FormValue("hold_id"))
	caseID, caseErr := uuid.Parse(c.FormValue("case_id"))
	if caseErr == nil {
		in.CaseID = &caseID
	}
	ctx := c.Request().Context()
	if c.FormValue("refer") != "on" || caseErr != nil {
		h, _, err := s.deps.Domain.CreateHold(ctx, serviceID, in)
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/holds/"+h.ID.String())
	}
	ref := referral.ReferralInput{CaseID: caseID}
	ref.ID, _ = uuid.Parse(c.FormValue("referral_id"))
	if _, _, err = s.deps.Domain.HoldAndRefer(ctx, serviceID, in, ref); err == nil {
		return c.Redirect(http.StatusSeeOther, "/cases/"+caseID.String()+"?notice=held_and_referred")
	}
	p, verr := s.caseView(c, caseID)
	if verr != nil {
		return verr
	}
	return s.refused(c, "case", p, err)
}

// holdData is one hold as its holder (or its shelter) sees it, with the referral sent with it.
type holdData struct {
	Hold     referral.Hold
	Service  referral.Service
	Referral *referral.Referral
	Holder   bool // the reader's organisation holds it: it may send the referral
}

func (s *Site) holdPage(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	f, err := s.deps.Domain.HoldFile(ctx, id)
	if err != nil {
		return err
	}
	svc, err := s.deps.Domain.Service(ctx, f.Hold.ServiceID)
	if err != nil {
		return err
	}
	a := referral.ActorFrom(ctx)
	p := s.newPage(c, "hold.title", holdData{Hold: f.Hold, Service: svc, Referral: f.Referral,
		Holder: a.OrganisationID == f.Hold.OrganisationID && referral.Authorize(a, referral.ActReferralSend, referral.Target{}) == nil})
	s.notice(c, p)
	return s.render(c, http.StatusOK, "hold", p)
}

func (s *Site) releaseHold(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if _, err := s.deps.Domain.ReleaseHold(c.Request().Context(), id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/holds/"+id.String()+"?notice=saved")
}
