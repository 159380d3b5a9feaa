package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"golang.org/x/net/html"
)

// In the demo data: Maison Lotus runs two shelters; the officer and the shelter's staff member.
const (
	lotusHouse    = "019a0000-0000-7000-8000-000000000201"
	lotusIxelles  = "019a0000-0000-7000-8000-000000000202"
	demoOfficerID = "019a0000-0000-7000-8000-000000000101"
	demoShelterID = "019a0000-0000-7000-8000-000000000102"
	demoPolice    = "Brussels Police – Anti-Trafficking Unit"
)

// referredWoman is an adult the demo officer recorded, who agreed to be referred, and the two
// referrals sent for her to Maison Lotus: first to its Ixelles shelter, then an urgent one to
// its main shelter.
type referredWoman struct {
	s                 *testServer
	officer, shelter  *http.Client
	caseID, reference string
	calm, urgent      string // the referrals' IDs
}

func referTwice(t *testing.T) referredWoman {
	t.Helper()
	s := demoServer(t)
	w := referredWoman{s: s, officer: s.DemoSignIn(t, "officer@demo.harbour.test"),
		shelter: s.DemoSignIn(t, "shelter@demo.harbour.test"), caseID: newTestID()}
	record := "/cases/" + w.caseID
	s.SubmitTwice(t, w.officer, "/cases/new", "/cases", url.Values{"id": {w.caseID}, "language": {"cmn"}, "gender": {"female"}, "age": {"29"}})
	s.SubmitTwice(t, w.officer, record, record+"/consents", url.Values{"screen": {"zh-Hans"}, "back": {"case"},
		"support": {"yes"}, "support_id": {newTestID()}, "share": {"yes"}, "share_id": {newTestID()}})
	w.calm, w.urgent = w.refer(t, lotusIxelles, false), w.refer(t, lotusHouse, true)
	_, body := s.Page(t, w.officer, record)
	w.reference = regexp.MustCompile(`HB-\w{4}-\w{2}$`).FindString(text(one(t, parseHTML(t, body), "h1")))
	if w.reference == "" {
		t.Fatal("her record's title lacks her reference")
	}
	return w
}

// refer sends her to a service as the officer and returns the referral's ID.
func (w referredWoman) refer(t *testing.T, service string, urgent bool) string {
	t.Helper()
	id, record := newTestID(), "/cases/"+w.caseID
	form := url.Values{"referral_id": {id}, "service_id": {service}}
	if urgent {
		form.Set("urgent", "on")
	}
	if to := w.s.SubmitTwice(t, w.officer, record, record+"/referrals", form); to != record+"?notice=referral_sent" {
		t.Fatalf("referral sent, then to %s", to)
	}
	return id
}

// stepForm is the form for a step on a referral as a page offers it: its hidden fields.
func (w referredWoman) stepForm(t *testing.T, c *http.Client, from, id, action string) url.Values {
	t.Helper()
	_, body := w.s.Page(t, c, from)
	form := one(t, parseHTML(t, body), `form[action="/referrals/`+id+"/"+action+`"]`)
	fields := url.Values{}
	for _, in := range find(form, "input[type=hidden]") {
		fields.Add(attr(in, "name"), attr(in, "value"))
	}
	return fields
}

// take posts a step's form from a page and returns the status, where it leads and the page.
func (w referredWoman) take(t *testing.T, c *http.Client, from, id, action string, form url.Values) (int, string, string) {
	t.Helper()
	res := w.s.Submit(t, c, from, "/referrals/"+id+"/"+action, cloneForm(form))
	body := read(t, res)
	return res.StatusCode, res.Header.Get("Location"), body
}

// status is where a referral stands, as its page says.
func (w referredWoman) status(t *testing.T, c *http.Client, id string) string {
	t.Helper()
	_, body := w.s.Page(t, c, "/referrals/"+id)
	return attr(one(t, parseHTML(t, body), "#referral-state span.tag[data-status]"), "data-status")
}

// events counts a referral's timeline events of one action.
func (w referredWoman) events(t *testing.T, id, action string) int {
	t.Helper()
	return w.s.Count(t, "referral_events WHERE referral_id = '"+id+"' AND action = '"+action+"'")
}

// TestInboxPage: the shelter's inbox lists what waits, urgent first, each with her reference,
// how long it has waited and the two-tap answers; the filters narrow it.
func TestInboxPage(t *testing.T) {
	w := referTwice(t)
	zh := w.s.Bundle.Localizer("zh-Hans")
	_, body := w.s.Page(t, w.shelter, "/referrals")
	doc := parseHTML(t, body)
	if box := attr(one(t, doc, "form.filters input[name=box]"), "value"); box != "inbox" || len(find(doc, `a[href="/referrals?box=outbox"]`)) != 0 {
		t.Fatalf("shelter staff see the %q box, or a link to an outbox", box)
	}
	items := find(doc, "#referral-list li")
	if len(items) != 2 {
		t.Fatalf("%d referrals in the inbox, want 2", len(items))
	}
	for i, want := range []struct {
		id, service string
		urgent      bool
	}{{w.urgent, "莲花之家庇护所", true}, {w.calm, "莲花之家（伊克塞尔）", false}} {
		li := items[i]
		if link := one(t, li, "a.main"); attr(link, "href") != "/referrals/"+want.id || text(link) != w.reference+" · "+want.service {
			t.Fatalf("line %d: %s to %s, want %s · %s", i, text(link), attr(link, "href"), w.reference, want.service)
		}
		if urgent := len(find(li, "span.tag.urgent")) == 1; urgent != want.urgent || (attr(li, "class") == "urgent") != want.urgent {
			t.Fatalf("line %d: urgent %v, want %v", i, urgent, want.urgent)
		}
		meta := text(one(t, li, "span.meta"))
		if !regexp.MustCompile(`已等待 \d+ 分钟`).MatchString(meta) || !strings.Contains(meta, zh.T("referral.from", map[string]any{"Organisation": demoPolice})) {
			t.Fatalf("line %d: %q lacks how long it waited or who sent it", i, meta)
		}
		checkAnswers(t, li, want.id)
	}

	_, body = w.s.Page(t, w.shelter, "/referrals?status=accepted")
	doc = parseHTML(t, body)
	if n := len(find(doc, "#referral-list li")); n != 0 || text(one(t, doc, "#referral-list p.empty")) != zh.T("referrals.empty_inbox", nil) {
		t.Fatalf("%d accepted referrals listed, want none and the empty message", n)
	}
	one(t, doc, "select#status option[value=accepted][selected]")
	for service, id := range map[string]string{lotusIxelles: w.calm, lotusHouse: w.urgent} {
		_, body = w.s.Page(t, w.shelter, "/referrals?service="+service)
		doc = parseHTML(t, body)
		items := find(doc, "#referral-list li a.main")
		if len(items) != 1 || attr(items[0], "href") != "/referrals/"+id {
			t.Fatalf("filtered by service %s: %d lines", service, len(items))
		}
		one(t, doc, `select#service option[value="`+service+`"][selected]`)
	}
}

// checkAnswers checks a waiting referral's line offers to accept it and to decline it with
// one button per reason, each a step with its own ID that comes back to the inbox.
func checkAnswers(t *testing.T, li *html.Node, id string) {
	t.Helper()
	accept := one(t, li, `form[method=post][action="/referrals/`+id+`/accept"]`)
	decline := one(t, li, `details.decline form[method=post][action="/referrals/`+id+`/decline"]`)
	var steps []string
	for _, form := range []*html.Node{accept, decline} {
		step := attr(one(t, form, "input[type=hidden][name=step_id]"), "value")
		if _, err := uuid.Parse(step); err != nil || attr(one(t, form, "input[type=hidden][name=back]"), "value") != "/referrals" {
			t.Fatalf("%s: step ID %q, or it does not come back to the inbox", attr(form, "action"), step)
		}
		steps = append(steps, step)
	}
	one(t, accept, "button[type=submit]")
	var reasons []string
	for _, b := range find(decline, "button[type=submit][name=reason_code]") {
		reasons = append(reasons, attr(b, "value"))
	}
	if !slices.Equal(reasons, referral.DeclineReasons) || len(reasons) != 5 || steps[0] == steps[1] {
		t.Fatalf("decline reasons %v, want %v, and step IDs %v apart", reasons, referral.DeclineReasons, steps)
	}
}

// TestInboxTwoTapAnswers: accepting from the inbox goes back there once however often it is
// tapped; declining needs a reason, and a decline without one changes nothing.
func TestInboxTwoTapAnswers(t *testing.T) {
	w := referTwice(t)
	zh := w.s.Bundle.Localizer("zh-Hans")
	accept := w.stepForm(t, w.shelter, "/referrals", w.urgent, "accept")
	for range 2 {
		if status, to, _ := w.take(t, w.shelter, "/referrals", w.urgent, "accept", accept); status != http.StatusSeeOther || to != "/referrals?notice=referral_accept" {
			t.Fatalf("accept: %d to %q", status, to)
		}
	}
	if st, n := w.status(t, w.shelter, w.urgent), w.events(t, w.urgent, "accept"); st != "accepted" || n != 1 {
		t.Fatalf("after two taps: %s with %d accept events, want accepted with 1", st, n)
	}
	_, body := w.s.Page(t, w.shelter, "/referrals?notice=referral_accept")
	if notice := text(find(parseHTML(t, body), "p.notice")[0]); notice != zh.T("notice.referral_accept", nil) {
		t.Fatalf("notice %q", notice)
	}

	// From her referral's page, a decline without a reason is refused, and what was typed kept.
	page := "/referrals/" + w.calm
	decline := w.stepForm(t, w.shelter, page, w.calm, "decline")
	decline.Set("note", "今晚没有床位")
	status, _, body := w.take(t, w.shelter, page, w.calm, "decline", decline)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("decline without a reason: %d", status)
	}
	doc := parseHTML(t, body)
	if msg := text(one(t, doc, "#form-error")); msg != zh.N("form.fix_errors", 1, nil) {
		t.Fatalf("form error %q", msg)
	}
	field := one(t, doc, "select#reason-decline[aria-invalid=true]").Parent
	if msg := text(one(t, field, "p.field-error")); msg != zh.T("error.referral.reason", nil) {
		t.Fatalf("reason error %q", msg)
	}
	if note := text(one(t, doc, "textarea#note-decline")); note != "今晚没有床位" {
		t.Fatalf("the note came back as %q", note)
	}
	if st, n := w.status(t, w.shelter, w.calm), w.events(t, w.calm, "decline"); st != "sent" || n != 0 {
		t.Fatalf("after a refused decline: %s with %d decline events", st, n)
	}

	decline = w.stepForm(t, w.shelter, "/referrals", w.calm, "decline")
	decline.Set("reason_code", "no_capacity")
	if status, to, _ := w.take(t, w.shelter, "/referrals", w.calm, "decline", decline); status != http.StatusSeeOther || to != "/referrals?notice=referral_decline" {
		t.Fatalf("decline: %d to %q", status, to)
	}
	if st, n := w.status(t, w.shelter, w.calm), w.s.Count(t, "referral_events WHERE referral_id = '"+w.calm+"' AND reason_code = 'no_capacity'"); st != "declined" || n != 1 {
		t.Fatalf("after declining: %s with %d events saying no capacity", st, n)
	}
	if _, body := w.s.Page(t, w.shelter, "/referrals"); len(find(parseHTML(t, body), "#referral-list form")) != 0 {
		t.Fatal("answered referrals still offer answers in the inbox")
	}
}

// TestReferralPageRefusals: another shelter does not find the referral; the referrer may not
// answer for the shelter; people who neither send nor answer referrals have no box.
func TestReferralPageRefusals(t *testing.T) {
	w := referTwice(t)
	s := w.s
	s.User(t, "Huis Haven Shelter Antwerp", referral.KindShelter, "staff@haven.example", referral.RoleShelterStaff)
	s.User(t, "Maison Lotus Shelter Brussels", referral.KindShelter, "admin@lotus.example", referral.RoleOrgAdmin)
	who := map[string]*http.Client{"": browser(t), "officer": w.officer, "shelter": w.shelter,
		"decision": s.DemoSignIn(t, "decision@demo.harbour.test")}
	for name, email := range map[string]string{"haven": "staff@haven.example", "admin": "admin@lotus.example"} {
		who[name] = browser(t)
		s.SignIn(t, who[name], email)
	}
	page := "/referrals/" + w.urgent
	for _, c := range []struct {
		path string
		want map[string]int
	}{
		{"/referrals", map[string]int{"": 303, "admin": 403, "decision": 403, "haven": 200, "officer": 200, "shelter": 200}},
		{page, map[string]int{"": 303, "haven": 404, "admin": 404, "decision": 404, "officer": 200, "shelter": 200}},
	} {
		for name, want := range c.want {
			if status, _ := s.Page(t, who[name], c.path); status != want {
				t.Errorf("GET %s as %q: %d, want %d", c.path, name, status, want)
			}
		}
	}
	if _, body := s.Page(t, who["haven"], "/referrals"); len(find(parseHTML(t, body), "#referral-list li")) != 0 {
		t.Error("another shelter's inbox lists Maison Lotus's referrals")
	}
	for _, c := range []struct{ who, action string }{{"haven", "accept"}, {"admin", "accept"}, {"officer", "accept"}, {"shelter", "explode"}} {
		want := map[string]int{"haven": 404, "admin": 404, "officer": 403, "shelter": 404}[c.who]
		if status, _, _ := w.take(t, who[c.who], "/", w.urgent, c.action, url.Values{"step_id": {newTestID()}, "back": {"/referrals"}}); status != want {
			t.Errorf("POST %s/%s as %q: %d, want %d", page, c.action, c.who, status, want)
		}
	}
	if st, n := w.status(t, w.shelter, w.urgent), s.Count(t, "referral_events WHERE referral_id = '"+w.urgent+"'"); st != "sent" || n != 1 {
		t.Fatalf("after refused steps: %s with %d events, want sent with 1", st, n)
	}
}

// TestOutboxAndNotifications: the officer is told the shelter accepted; opening the alert
// reads it and leads to the referral; the outbox shows where each referral stands.
func TestOutboxAndNotifications(t *testing.T) {
	w := referTwice(t)
	s, zh := w.s, w.s.Bundle.Localizer("zh-Hans")
	w.take(t, w.shelter, "/referrals", w.urgent, "accept", w.stepForm(t, w.shelter, "/referrals", w.urgent, "accept"))

	_, body := s.Page(t, w.officer, "/notifications")
	doc := parseHTML(t, body)
	items := find(doc, "#notification-list li")
	if len(items) != 1 || attr(items[0], "class") != "unread" || badge(t, doc) != "1" {
		t.Fatalf("%d alerts, the badge says %q, want one unread", len(items), badge(t, doc))
	}
	alert := one(t, items[0], "a.main")
	if want := zh.T("notification.referral_updated.accept", map[string]any{"Reference": w.reference}); text(alert) != want || !strings.Contains(want, w.reference) {
		t.Fatalf("alert %q, want %q", text(alert), want)
	}
	if to := redirect(t, s, w.officer, attr(alert, "href")); to != "/referrals/"+w.urgent {
		t.Fatalf("the alert leads to %q", to)
	}
	_, body = s.Page(t, w.officer, "/notifications")
	if doc = parseHTML(t, body); badge(t, doc) != "0" || !hasAttr(one(t, doc, "span.badge[data-unread]"), "hidden") ||
		len(find(doc, "#notification-list li.unread")) != 0 {
		t.Fatalf("after opening it the badge says %q", badge(t, doc))
	}

	// The shelter's own alerts are not the officer's to open.
	_, body = s.Page(t, w.shelter, "/notifications")
	theirs := find(parseHTML(t, body), "#notification-list a.main")
	if len(theirs) != 2 {
		t.Fatalf("the shelter has %d alerts, want 2 referrals received", len(theirs))
	}
	if status, _ := s.Page(t, w.officer, attr(theirs[0], "href")); status != http.StatusNotFound {
		t.Fatalf("another person's alert: %d", status)
	}
	if _, body = s.Page(t, w.shelter, "/referrals"); badge(t, parseHTML(t, body)) != "2" {
		t.Fatal("the officer's attempt read the shelter's alert")
	}
	if to := w.s.SubmitTwice(t, w.shelter, "/notifications", "/notifications/read", url.Values{}); to != "/notifications?notice=notifications_read" {
		t.Fatalf("read all, then to %q", to)
	}
	if _, body = s.Page(t, w.shelter, "/notifications"); badge(t, parseHTML(t, body)) != "0" {
		t.Fatal("reading all left alerts unread")
	}

	_, body = s.Page(t, w.officer, "/referrals?box=outbox")
	lines := find(parseHTML(t, body), "#referral-list li")
	if len(lines) != 2 {
		t.Fatalf("%d referrals in the outbox, want 2", len(lines))
	}
	for i, want := range []struct{ id, status string }{{w.urgent, "accepted"}, {w.calm, "sent"}} {
		tag := one(t, lines[i], "span.tag[data-status]")
		if attr(one(t, lines[i], "a.main"), "href") != "/referrals/"+want.id || attr(tag, "data-status") != want.status ||
			text(tag) != zh.T("referral.status."+want.status, nil) || len(find(lines[i], "form")) != 0 {
			t.Fatalf("outbox line %d: %s %q, want %s %s and no answers", i, attr(tag, "data-status"), text(tag), want.id, want.status)
		}
	}
}

// badge is what the header's unread badge says.
func badge(t *testing.T, doc *html.Node) string {
	t.Helper()
	return text(one(t, doc, "header span.badge[data-unread]"))
}

// redirect fetches a page that must redirect and returns where to.
func redirect(t *testing.T, s *testServer, c *http.Client, path string) string {
	t.Helper()
	res, err := c.Get(s.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	read(t, res)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("GET %s: %d, want a redirect", path, res.StatusCode)
	}
	return res.Header.Get("Location")
}

// TestNotificationSettingsPage: someone who no longer wants to hear of new referrals is not
// told of them, and still hears of the rest; an unknown language is refused with the reason.
func TestNotificationSettingsPage(t *testing.T) {
	w := referTwice(t)
	s, zh := w.s, w.s.Bundle.Localizer("zh-Hans")
	received := "notifications WHERE user_id = '" + demoShelterID + "' AND kind = 'referral_received'"
	if n := s.Count(t, received); n != 2 {
		t.Fatalf("%d alerts of referrals received, want 2", n)
	}
	_, body := s.Page(t, w.shelter, "/settings/notifications")
	if n := len(find(parseHTML(t, body), "input[type=checkbox][name=kinds][checked]")); n != len(referral.NotificationKinds) {
		t.Fatalf("%d kinds ticked by default, want all %d", n, len(referral.NotificationKinds))
	}
	rest := url.Values{"kinds": {"referral_updated", "referral_overdue", "hold_lapsing"}, "email": {"on"}, "language": {""}}
	if to := s.SubmitTwice(t, w.shelter, "/settings/notifications", "/settings/notifications", rest); to != "/settings/notifications?notice=saved" {
		t.Fatalf("saved, then to %q", to)
	}
	_, body = s.Page(t, w.shelter, "/settings/notifications?notice=saved")
	doc := parseHTML(t, body)
	if text(find(doc, "p.notice")[0]) != zh.T("notice.saved", nil) || hasAttr(one(t, doc, "input[name=kinds][value=referral_received]"), "checked") ||
		len(find(doc, "input[name=kinds][checked]")) != 3 || !hasAttr(one(t, doc, "input[name=email]"), "checked") {
		t.Fatal("the saved form does not show referral_received unticked and the rest ticked")
	}

	// One open referral per service: the shelter declines the calm one, and a third goes there.
	if _, err := s.Domain.Transition(demoAs(t, s, "shelter"), uuid.MustParse(w.calm), referral.ActionDecline,
		referral.StepInput{ReasonCode: "no_capacity"}); err != nil {
		t.Fatal(err)
	}
	third := w.refer(t, lotusIxelles, false)
	if n := s.Count(t, received); n != 2 {
		t.Fatalf("%d alerts of referrals received after unticking them, want still 2", n)
	}
	page := "/referrals/" + third
	if status, _, _ := w.take(t, w.officer, page, third, "withdraw", w.stepForm(t, w.officer, page, third, "withdraw")); status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", status)
	}
	if n := s.Count(t, "notifications WHERE user_id = '"+demoShelterID+"' AND kind = 'referral_updated'"); n != 1 {
		t.Fatalf("%d alerts of a referral withdrawn, want 1: the other kinds are still wanted", n)
	}

	wrong := cloneForm(rest)
	wrong.Set("language", "xx")
	res := s.Submit(t, w.shelter, "/settings/notifications", "/settings/notifications", wrong)
	doc = parseHTML(t, read(t, res))
	if res.StatusCode != http.StatusUnprocessableEntity || text(one(t, doc, "#form-error")) != zh.N("form.fix_errors", 1, nil) {
		t.Fatalf("language=xx: %d", res.StatusCode)
	}
	one(t, doc, "select#language[aria-invalid=true]")
	if msg := text(one(t, doc, "#language-error p.field-error")); msg != zh.T("error.user.language", nil) {
		t.Fatalf("language error %q", msg)
	}
	_, body = s.Page(t, w.shelter, "/settings/notifications")
	if n := len(find(parseHTML(t, body), "select#language option[selected]")); n != 0 {
		t.Fatal("a refused language was saved")
	}
}

// TestCaseHistory: her record tells what happened to her, the latest first, and reading it is
// audited.
func TestCaseHistory(t *testing.T) {
	w := referTwice(t)
	s, zh := w.s, w.s.Bundle.Localizer("zh-Hans")
	w.take(t, w.shelter, "/referrals", w.urgent, "accept", w.stepForm(t, w.shelter, "/referrals", w.urgent, "accept"))
	reads := "audit_events WHERE action = 'case.read' AND record_type = 'case' AND record_id = '" + w.caseID +
		"' AND actor_user_id = '" + demoOfficerID + "'"
	before := s.Count(t, reads)
	_, body := s.Page(t, w.officer, "/cases/"+w.caseID)
	if after := s.Count(t, reads); after != before+1 {
		t.Fatalf("reading her record wrote %d audit events, want 1", after-before)
	}
	history := one(t, parseHTML(t, body), "section#case-history")
	if h := text(one(t, history, "h2")); h != zh.T("case.history", nil) {
		t.Fatalf("history titled %q", h)
	}
	// A service is named in the reader's language.
	service := func(id string, name string) []string {
		return []string{zh.Message(id, map[string]any{"Service": name})}
	}
	want := [][]string{
		service("history.referral.accept", "莲花之家庇护所"),
		service("history.referral.send", "莲花之家庇护所"),
		service("history.referral.send", "莲花之家（伊克塞尔）"),
		{zh.Message("history.consent.yes", map[string]any{"Scope": "share"})},
		{zh.Message("history.consent.yes", map[string]any{"Scope": "support"})},
		{zh.Message("history.recorded", map[string]any{"Reference": w.reference})},
	}
	var got []string
	for _, li := range find(history, "ol li span.main") {
		got = append(got, text(li))
	}
	if len(got) != len(want) {
		t.Fatalf("history %q, want %d moments", got, len(want))
	}
	for i := range want {
		if !slices.Contains(want[i], got[i]) {
			t.Fatalf("moment %d of %q is %q, want one of %q", i, got, got[i], want[i])
		}
	}
}

// TestReferralPageAudited: the shelter reading a referral's page reads her shared details; it is
// one audited read of her case, naming the referral, and the page shows what she agreed to share.
func TestReferralPageAudited(t *testing.T) {
	w := referTwice(t)
	reads := "audit_events WHERE action = 'case.read' AND record_id = '" + w.caseID + "' AND actor_user_id = '" + demoShelterID +
		"' AND detail->>'via_referral' = '" + w.urgent + "' AND detail->>'shared' = 'yes'"
	before := w.s.Count(t, reads)
	code, body := w.s.Page(t, w.shelter, "/referrals/"+w.urgent)
	if code != 200 {
		t.Fatalf("referral page: %d", code)
	}
	if after := w.s.Count(t, reads); after != before+1 {
		t.Fatalf("reading the referral's page wrote %d audit events, want 1", after-before)
	}
	if !strings.Contains(text(one(t, parseHTML(t, body), "section[aria-labelledby=person]")), "29") {
		t.Fatal("the page does not show her age, which she agreed to share")
	}
}
