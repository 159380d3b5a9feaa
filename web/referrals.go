package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// age is how long something has waited, in the largest whole unit that reads well:
// "referral.age.minutes", ".hours" or ".days" with N.
type age struct {
	Unit string
	N    int
}

func ageOf(minutes int) age {
	switch {
	case minutes < 120:
		return age{"minutes", max(0, minutes)}
	case minutes < 48*60:
		return age{"hours", minutes / 60}
	}
	return age{"days", minutes / (24 * 60)}
}

// referralLine is one referral in a box.
type referralLine struct {
	referral.ReferralItem
	Age   age
	Late  bool // waiting past its response window
	Steps []referral.ReferralAction
}

// referralsData is an inbox or outbox with its filters.
type referralsData struct {
	Box        string // inbox or outbox
	Boxes      []string
	Items      []referralLine
	Statuses   []referral.ReferralStatus
	Status     string
	Services   []referral.Service // the organisation's own, to filter the inbox by
	Service    string
	Operations []referral.Operation // to filter the outbox by
	Operation  string
	Reasons    []string
	Back       string // this page's address, to come back to after a step
}

// boxesFor lists the boxes a person works with, as the domain says they may: the inbox for
// those who answer referrals, the outbox for those who send them, the inbox first.
func boxesFor(a referral.Actor) []string {
	can := referral.CapabilitiesOf(a)
	var out []string
	if can.Inbox {
		out = append(out, "inbox")
	}
	if can.Outbox {
		out = append(out, "outbox")
	}
	return out
}

// referralsPage is the inbox (what waits first, urgent on top, how long each has waited, accept
// or decline in two taps) or the outbox (where each referral stands), filtered by status and
// by service or operation.
func (s *Site) referralsPage(c echo.Context) error {
	ctx := c.Request().Context()
	a := referral.ActorFrom(ctx)
	boxes := boxesFor(a)
	if len(boxes) == 0 {
		return referral.ErrForbidden
	}
	d := referralsData{Box: boxes[0], Boxes: boxes, Statuses: referral.ReferralStatuses, Reasons: referral.DeclineReasons,
		Status: c.QueryParam("status"), Service: c.QueryParam("service"), Operation: c.QueryParam("operation"),
		Back: c.Request().URL.RequestURI()}
	if b := c.QueryParam("box"); b == "inbox" || b == "outbox" {
		d.Box = b
	}
	f := referral.ReferralFilter{Box: d.Box, Status: referral.ReferralStatus(d.Status)}
	f.ServiceID, _ = uuid.Parse(d.Service)
	f.OperationID, _ = uuid.Parse(d.Operation)
	items, err := s.deps.Domain.Referrals(ctx, f)
	if err != nil {
		return err
	}
	now := s.deps.Domain.Now()
	for _, it := range items {
		d.Items = append(d.Items, referralLine{ReferralItem: it, Age: ageOf(it.Since(now)), Late: it.Waiting() && now.After(it.RespondBy),
			Steps: referral.StepsFor(a, it.Referral)})
	}
	if d.Box == "inbox" {
		if d.Services, err = s.deps.Domain.ListServices(ctx, referral.ServiceFilter{OrganisationID: a.OrganisationID}); err != nil {
			return err
		}
	} else if d.Operations, err = s.deps.Domain.Operations(ctx); err != nil {
		return err
	}
	p := s.newPage(c, "referrals.title", d)
	s.notice(c, p)
	return s.render(c, http.StatusOK, "referrals", p)
}

// referralData is one referral's page.
type referralData struct {
	Item       referral.ReferralItem
	Person     referral.SharedPerson
	Events     []referral.ReferralEvent
	Steps      []referral.ReferralAction
	Reasons    []string
	Receiver   bool // the reader's organisation runs the service
	Age        age
	Suggestion *referral.SuggestedService
	Back       string
}

// referralPage shows a referral to either side: where it stands, what the receiver may know of
// her (an audited read), its timeline, and the steps the reader may take.
func (s *Site) referralPage(c echo.Context) error {
	p, err := s.referralView(c)
	if err != nil {
		return err
	}
	s.notice(c, p)
	return s.render(c, http.StatusOK, "referral", p)
}

func (s *Site) referralView(c echo.Context) (*page, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	d := s.deps.Domain
	f, err := d.ReferralFile(ctx, id)
	if err != nil {
		return nil, err
	}
	a, it := referral.ActorFrom(ctx), f.Item
	v := referralData{Item: it, Person: f.Person, Events: f.Events, Reasons: referral.DeclineReasons, Receiver: a.OrganisationID == it.ToOrganisationID,
		Steps: referral.StepsFor(a, it.Referral), Age: ageOf(it.Since(d.Now())), Back: "/referrals/" + id.String()}
	if it.Status == referral.ReferralExpired && !v.Receiver {
		if v.Suggestion, err = d.Suggestion(ctx, id); err != nil {
			return nil, err
		}
	}
	return s.newPage(c, "referral.title", v), nil
}

// referralStep takes one step (accept, decline with its reason, ask, answer, start, complete,
// withdraw) from a box or a referral's page, and goes back there. A refused step shows the
// referral's page again with the reason, and what was typed.
func (s *Site) referralStep(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in := referral.StepInput{ReasonCode: c.FormValue("reason_code"), Note: c.FormValue("note")}
	in.ID, _ = uuid.Parse(c.FormValue("step_id"))
	_, err = s.deps.Domain.Transition(c.Request().Context(), id, referral.ReferralAction(c.Param("action")), in)
	if err == nil {
		back := localPath(c.FormValue("back"))
		u, _ := url.Parse(back)
		q := u.Query()
		q.Set("notice", "referral_"+c.Param("action"))
		u.RawQuery = q.Encode()
		return c.Redirect(http.StatusSeeOther, u.String())
	}
	p, verr := s.referralView(c)
	if verr != nil {
		return err
	}
	p.Form.fill(c, "note", "reason_code")
	p.Form.Values["action"] = c.Param("action")
	return s.refused(c, "referral", p, err)
}

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
