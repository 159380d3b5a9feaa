package web

import (
	"net/http"
	"slices"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/referral/nrm"
)

// nrmFields are the NRM referral form's fields, kept when a refused form is shown again.
var nrmFields = []string{"step", "exploitation_location", "exploitation_place", "account", "crime_reference", "local_authority",
	"safe_contact", "police_contact", "contact_phone"}

// submitNRM makes her NRM referral (or Duty to Notify report) from her record's page; a refusal
// shows her record again with the reason and what was typed.
func (s *Site) submitNRM(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in := referral.NRMInput{CaseID: id, Step: c.FormValue("step"), ExploitationLocation: c.FormValue("exploitation_location"),
		ExploitationPlace: c.FormValue("exploitation_place"), Account: c.FormValue("account"), CrimeReference: c.FormValue("crime_reference"),
		LocalAuthority: c.FormValue("local_authority"), SafeContact: c.FormValue("safe_contact"), PoliceContact: c.FormValue("police_contact") == "on",
		ContactPhone: c.FormValue("contact_phone")}
	in.ID, _ = uuid.Parse(c.FormValue("record_id"))
	rec, _, err := s.deps.Domain.SubmitNRM(c.Request().Context(), in)
	if err == nil {
		if rec.Kind == referral.NRMDutyToNotify {
			return c.Redirect(http.StatusSeeOther, "/cases/"+id.String()+"?notice=dtn_reported")
		}
		return c.Redirect(http.StatusSeeOther, "/nrm/"+rec.ID.String()+"?notice=nrm_submitted")
	}
	p, verr := s.caseView(c, id)
	if verr != nil {
		return verr // her record is not the reader's to see: it is not found
	}
	p.Form.fill(c, nrmFields...)
	p.Form.Values["record_id"] = c.FormValue("record_id")
	return s.refused(c, "case", p, err)
}

// nrmData is an NRM record's page: the record as the reader may see it, its events the
// latest first, and today in its jurisdiction (the latest day a step may be dated).
type nrmData struct {
	View  referral.NRMView
	Today nrm.Day
}

func (s *Site) nrmPage(c echo.Context) error {
	p, err := s.nrmView(c)
	if err != nil {
		return err
	}
	s.notice(c, p)
	return s.render(c, http.StatusOK, "nrm", p)
}

func (s *Site) nrmView(c echo.Context) (*page, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, err
	}
	v, err := s.deps.Domain.NRMFile(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	slices.Reverse(v.Events) // the latest first, as her history
	return s.newPage(c, "nrm.title", nrmData{View: v, Today: v.Jurisdiction.Today(s.deps.Domain.Now())}), nil
}

// nrmStep takes a step on an NRM record (a decision, a request, an exit) and shows the record
// again; a refused step (too early, a window closed, no reasons) shows it with the reason and
// what was typed.
func (s *Site) nrmStep(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in := referral.NRMStepInput{Step: c.FormValue("step"), On: c.FormValue("on"), Reasons: c.FormValue("reasons")}
	in.ID, _ = uuid.Parse(c.FormValue("step_id"))
	if _, _, err = s.deps.Domain.TakeNRMStep(c.Request().Context(), id, in); err == nil {
		return c.Redirect(http.StatusSeeOther, "/nrm/"+id.String()+"?notice=nrm_step")
	}
	p, verr := s.nrmView(c)
	if verr != nil {
		return err
	}
	p.Form.fill(c, "step", "on", "reasons")
	return s.refused(c, "nrm", p, err)
}

// nrmQueueData is the decision maker's queue.
type nrmQueueData struct {
	Items        []referral.NRMQueueItem
	Jurisdiction *nrm.Jurisdiction
	Awaiting     string
	All          bool
	Decisions    []string
}

// nrmQueuePage is the competent authority's queue: what awaits a decision, overdue first.
func (s *Site) nrmQueuePage(c echo.Context) error {
	f := referral.NRMQueueFilter{Awaiting: c.QueryParam("awaiting"), All: c.QueryParam("all") == "1"}
	items, j, err := s.deps.Domain.NRMQueue(c.Request().Context(), f)
	if err != nil {
		return err
	}
	var awaited []string
	for _, st := range j.States {
		if st.Awaiting != "" && !slices.Contains(awaited, st.Awaiting) {
			awaited = append(awaited, st.Awaiting)
		}
	}
	p := s.newPage(c, "nrm.queue.title", nrmQueueData{Items: items, Jurisdiction: j, Awaiting: f.Awaiting, All: f.All, Decisions: awaited})
	s.notice(c, p)
	return s.render(c, http.StatusOK, "nrm-queue", p)
}

// letterData is a decision letter as it is printed for her, in her language.
type letterData struct {
	Lang, Dir       string
	Languages       []i18n.Language
	L               referral.NRMLetter
	Date, NextDate  string
	Step, NextTimer string
	Helpline        string
	Back, BackLabel string
	StaffLang       string // the language of BackLabel: the reader's, not hers
}

// nrmLetter is a decision letter for her, in her language (or the one chosen), printable.
func (s *Site) nrmLetter(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	eventID, err := uuid.Parse(c.Param("event"))
	if err != nil {
		return referral.ErrNotFound
	}
	l, err := s.deps.Domain.NRMLetter(c.Request().Context(), id, eventID)
	if err != nil {
		return err
	}
	here := "/nrm/" + id.String() + "/letter/" + eventID.String()
	lang := c.QueryParam("screen")
	if lang == "" { // hers: the first of her languages that has a screen
		_, lang = s.screenChoices(l.Languages)
	}
	pl, ok := s.deps.Bundle.PersonLocalizer(lang)
	if !ok {
		return s.missingScreen(c, missingFor{Reference: l.Reference, Languages: l.Languages, Base: here, Back: "/nrm/" + id.String()}, lang)
	}
	staff := s.localizer(c)
	date := func(d nrm.Day) string {
		return pl.T("person.letter.date", map[string]any{"Year": d.Civil().Year(), "Month": int(d.Civil().Month()), "Day": d.Civil().Day()})
	}
	d := letterData{Lang: lang, Dir: pl.Dir(), Languages: s.deps.Bundle.PersonLanguageList(), L: l, Date: date(l.Event.DecidedOn.Day()),
		Step: l.Event.Transition, Helpline: referral.Helplines[l.Country], Back: "/nrm/" + id.String(),
		BackLabel: staff.T("nrm.letter.back", nil), StaffLang: staff.Code}
	if l.Clock != nil {
		d.NextTimer, d.NextDate = l.Clock.Timer.Name, date(l.Clock.Shown())
	}
	b, err := s.screen.renderPage(lang, "letter", d)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(http.StatusOK, b)
}
