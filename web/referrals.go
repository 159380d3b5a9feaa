package web

import (
	"net/http"
	"net/url"

	"github.com/google/uuid"
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

// boxesFor lists the boxes a person works with: the inbox for those who answer referrals, the
// outbox for those who send them, the inbox first.
func boxesFor(a referral.Actor) []string {
	var out []string
	if a.Has(referral.RoleShelterStaff) || a.Has(referral.RoleCaseworker) {
		out = append(out, "inbox")
	}
	if a.Has(referral.RoleOfficer) || a.Has(referral.RoleCaseworker) {
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

// notificationsData is a person's alerts.
type notificationsData struct {
	Items  []referral.Notification
	Unread int
}

func (s *Site) notificationsPage(c echo.Context) error {
	list, unread, err := s.deps.Domain.Notifications(c.Request().Context(), 50)
	if err != nil {
		return err
	}
	p := s.newPage(c, "notifications.title", notificationsData{Items: list, Unread: unread})
	s.notice(c, p)
	return s.render(c, http.StatusOK, "notifications", p)
}

// openNotification marks an alert read and goes where it leads (e-mails link here).
func (s *Site) openNotification(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	n, err := s.deps.Domain.Notification(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, n.Link())
}

func (s *Site) readNotifications(c echo.Context) error {
	if err := s.deps.Domain.MarkNotificationsRead(c.Request().Context()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/notifications?notice=notifications_read")
}

// notificationSettingsData is the form of what a person chooses to be told.
type notificationSettingsData struct {
	Kinds    []referral.NotificationKind
	Settings referral.NotificationSettings
}

func (s *Site) notificationSettingsPage(c echo.Context) error {
	v, err := s.deps.Domain.MyNotificationSettings(c.Request().Context())
	if err != nil {
		return err
	}
	p := s.newPage(c, "notify_settings.title", notificationSettingsData{Kinds: referral.NotificationKinds, Settings: v})
	s.notice(c, p)
	return s.render(c, http.StatusOK, "notify-settings", p)
}

func (s *Site) saveNotificationSettings(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	in := referral.NotificationSettings{Email: form.Get("email") == "on", Language: form.Get("language")}
	for _, k := range form["kinds"] {
		in.Kinds = append(in.Kinds, referral.NotificationKind(k))
	}
	if _, err := s.deps.Domain.SaveNotificationSettings(c.Request().Context(), in); err != nil {
		p := s.newPage(c, "notify_settings.title", notificationSettingsData{Kinds: referral.NotificationKinds, Settings: in})
		return s.refused(c, "notify-settings", p, err)
	}
	return c.Redirect(http.StatusSeeOther, "/settings/notifications?notice=saved")
}
