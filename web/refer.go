package web

import (
	"errors"
	"net/http"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// sendReferral refers her from the results of "find help": to one service (service_id), or to
// every service chosen (services), each sent on its own, with a bed held at the shelter chosen
// for one (hold). One refused does not hold back the others: her record then lists what was
// sent and, for the rest, why not. Each form carries the IDs its referrals will have, so a double
// tap or a retry on a bad connection sends each once.
func (s *Site) sendReferral(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if len(form["services"]) == 0 {
		in := referral.ReferralInput{CaseID: id, Urgent: form.Get("urgent") == "on"}
		in.ID, _ = uuid.Parse(form.Get("referral_id"))
		in.ServiceID, _ = uuid.Parse(form.Get("service_id"))
		if hold, err := uuid.Parse(form.Get("hold_id")); err == nil {
			in.HoldID = &hold
		}
		if _, _, err = s.deps.Domain.SendReferral(ctx, in); err == nil {
			return c.Redirect(http.StatusSeeOther, "/cases/"+id.String()+"?notice=referral_sent")
		}
		p, verr := s.caseView(c, id)
		if verr != nil {
			return verr
		}
		return s.refused(c, "case", p, err)
	}
	var results []referral.ReferralResult
	held, _ := uuid.Parse(form.Get("hold"))
	for _, v := range form["services"] {
		service, err := uuid.Parse(v)
		if err != nil {
			continue // not a service: nothing to send
		}
		in := referral.ReferralInput{CaseID: id, ServiceID: service, Urgent: form.Get("urgent") == "on"}
		in.ID, _ = uuid.Parse(form.Get("referral_" + v))
		if service == held { // the shelter she will sleep at tonight: a bed held with the referral
			hold := referral.HoldInput{CaseID: &id}
			hold.ID, _ = uuid.Parse(form.Get("hold_id"))
			_, r, err := s.deps.Domain.HoldAndRefer(ctx, service, hold, in)
			results = append(results, referral.ReferralResult{Input: in, Referral: r, Err: err})
			continue
		}
		results = append(results, s.deps.Domain.SendReferrals(ctx, []referral.ReferralInput{in})...)
	}
	return s.referralsSent(c, id, results)
}

// batchLine is what came of one referral of several sent at once.
type batchLine struct {
	ServiceID  uuid.UUID
	ReferralID uuid.UUID // "" when refused
	Reason     string    // why it was refused, translated
}

// referralsSent answers referrals sent at once: her record with a notice when all went, or her
// record listing what was sent and what was refused, and why.
func (s *Site) referralsSent(c echo.Context, id uuid.UUID, results []referral.ReferralResult) error {
	lines, refused := []batchLine{}, 0
	l := s.localizer(c)
	for _, r := range results {
		line := batchLine{ServiceID: r.Input.ServiceID, ReferralID: r.Referral.ID}
		if r.Err != nil {
			msg, ok := refusal(r.Err, l)
			if !ok {
				return r.Err
			}
			line.Reason, line.ReferralID = msg, uuid.Nil
			refused++
		}
		lines = append(lines, line)
	}
	if refused == 0 && len(lines) > 0 {
		return c.Redirect(http.StatusSeeOther, "/cases/"+id.String()+"?notice=referrals_sent")
	}
	p, err := s.caseView(c, id)
	if err != nil {
		return err
	}
	d := p.Data.(caseData)
	d.Batch = lines
	d.BatchNames, err = s.serviceNames(c, lines, p.Lang)
	if err != nil {
		return err
	}
	p.Data = d
	status := http.StatusOK
	if refused == len(lines) {
		status = http.StatusConflict
	}
	return s.render(c, status, "case", p)
}

// serviceNames names the services of a batch in the page's language.
func (s *Site) serviceNames(c echo.Context, lines []batchLine, lang string) (map[uuid.UUID]string, error) {
	out := map[uuid.UUID]string{}
	for _, line := range lines {
		sv, err := s.deps.Domain.Service(c.Request().Context(), line.ServiceID)
		if err != nil {
			out[line.ServiceID] = line.ServiceID.String()[:8] // a service that is gone: its ID's start
			continue
		}
		out[line.ServiceID] = sv.NameI18n.In(lang, sv.Name)
	}
	return out, nil
}

// refusal is a domain error as one line in the reader's language; false for any other error.
func refusal(err error, l *i18n.Localizer) (string, bool) {
	var de *referral.Error
	if !errors.As(err, &de) {
		return "", false
	}
	msg := l.Message(de.MessageID, de.Data)
	for _, f := range de.Fields {
		msg = l.Message(f.MessageID, f.Data)
	}
	return msg, true
}

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
