package referral_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
)

// ukWorld is England & Wales: a police force (a first responder by kind), an NGO that is not
// one and an NGO marked one, the Single Competent Authority, a shelter, a second police force,
// and Belgium's competent authority (another jurisdiction).
type ukWorld struct {
	*env
	police, ngo, frNGO, sca, shelterOrg, otherPolice, beCA     referral.Organisation
	officer, caseworker, frCaseworker, dm, staff, otherOfficer referral.User
	beDM, scaAdmin                                             referral.User
}

func newUKWorld(t *testing.T) *ukWorld {
	e := newEnv(t)
	w := &ukWorld{env: e}
	mk := func(name string, kind referral.OrganisationKind, country string, fr bool) referral.Organisation {
		o, _, err := e.svc.CreateOrganisation(system, referral.OrganisationInput{Name: &name, Kind: &kind, Country: &country, FirstResponder: &fr})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	w.police = mk("Metropolitan Police", referral.KindPolice, "GB", false)
	w.ngo = mk("Community Advice", referral.KindNGO, "GB", false)
	w.frNGO = mk("Salvation Army", referral.KindNGO, "GB", true)
	w.sca = mk("Single Competent Authority", referral.KindCompetentAuthority, "GB", false)
	w.shelterOrg = mk("Safe House London", referral.KindShelter, "GB", false)
	w.otherPolice = mk("West Midlands Police", referral.KindPolice, "GB", false)
	w.beCA = mk("Belgian Immigration Office", referral.KindCompetentAuthority, "BE", false)
	w.officer = e.User(t, w.police, "officer@met.example", referral.RoleOfficer)
	w.caseworker = e.User(t, w.ngo, "cw@advice.example", referral.RoleCaseworker)
	w.frCaseworker = e.User(t, w.frNGO, "cw@salvation.example", referral.RoleCaseworker)
	w.dm = e.User(t, w.sca, "dm@sca.example", referral.RoleDecisionMaker)
	w.scaAdmin = e.User(t, w.sca, "admin@sca.example", referral.RoleOrgAdmin)
	w.staff = e.User(t, w.shelterOrg, "staff@safehouse.example", referral.RoleShelterStaff)
	w.otherOfficer = e.User(t, w.otherPolice, "officer@wmp.example", referral.RoleOfficer)
	w.beDM = e.User(t, w.beCA, "dm@be.example", referral.RoleDecisionMaker)
	return w
}

// person records an adult (or a child) as u, with her answer to the NRM question (nil: not asked).
func (w *ukWorld) person(t *testing.T, u referral.User, minor bool, nrmConsent *bool) referral.Case {
	t.Helper()
	in := referral.CaseInput{ID: newUUID(), Language: "cmn", Gender: "female", Nationality: "CN", NameOriginal: "李梅",
		NameLatin: "Li Mei", BirthDate: "1994-03-02", ExploitationTypes: []string{"sexual"}}
	if minor {
		in.BirthDate, in.AppearsMinor = "", true
	}
	c, _, err := w.svc.CreateCase(as(u), in)
	if err != nil {
		t.Fatal(err)
	}
	if nrmConsent != nil {
		if _, _, err := w.svc.RecordConsent(as(u), c.ID, referral.ConsentInput{ID: newUUID(), Scope: referral.ConsentNRM,
			Given: nrmConsent, Language: "zh-Hans"}); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func (w *ukWorld) submit(t *testing.T, u referral.User, c referral.Case) referral.NRMRecord {
	t.Helper()
	r, _, err := w.svc.SubmitNRM(as(u), referral.NRMInput{ID: newUUID(), CaseID: c.ID, Step: "submit", ExploitationLocation: "domestic",
		Account: "她说在按摩店被控制", CrimeReference: "CRIME-1"})
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return r
}

// at moves the test clock to a moment.
func (w *ukWorld) at(t time.Time) { w.clock.Set(t) }

func conflictMessage(t *testing.T, err error, id string) *referral.Error {
	t.Helper()
	e, ok := err.(*referral.Error)
	if !ok || e.Code != referral.CodeConflict || e.MessageID != id {
		t.Fatalf("error = %v, want conflict %s", err, id)
	}
	return e
}

// Only a first responder that recorded her submits in the UK; an adult needs her consent, a
// child does not; anyone else is refused.
func TestNRMOnlyFirstRespondersSubmit(t *testing.T) {
	w := newUKWorld(t)
	yes, no := true, false

	// An NGO that is not a first responder may record her, not refer her.
	c := w.person(t, w.caseworker, false, &yes)
	_, _, err := w.svc.SubmitNRM(as(w.caseworker), referral.NRMInput{ID: newUUID(), CaseID: c.ID, Step: "submit"})
	code(t, err, referral.CodeForbidden)
	// Marked a first responder, it may.
	c = w.person(t, w.frCaseworker, false, &yes)
	w.submit(t, w.frCaseworker, c)

	// Other roles are refused before anything is read.
	c = w.person(t, w.officer, false, &yes)
	for _, u := range []referral.User{w.dm, w.staff, w.scaAdmin} {
		_, _, err := w.svc.SubmitNRM(as(u), referral.NRMInput{ID: newUUID(), CaseID: c.ID, Step: "submit"})
		code(t, err, referral.CodeForbidden)
	}
	// Another police force cannot refer a person it did not record.
	_, _, err = w.svc.SubmitNRM(as(w.otherOfficer), referral.NRMInput{ID: newUUID(), CaseID: c.ID, Step: "submit"})
	field(t, err, "case_id", "error.nrm.case")

	// An adult: only with her consent.
	adult := w.person(t, w.officer, false, &no)
	_, _, err = w.svc.SubmitNRM(as(w.officer), referral.NRMInput{ID: newUUID(), CaseID: adult.ID, Step: "submit"})
	conflictMessage(t, err, "nrm.refused.consent")
	notAsked := w.person(t, w.officer, false, nil)
	_, _, err = w.svc.SubmitNRM(as(w.officer), referral.NRMInput{ID: newUUID(), CaseID: notAsked.ID, Step: "submit"})
	conflictMessage(t, err, "nrm.refused.consent")
	// A child, or someone who may be one: always, never asked.
	child := w.person(t, w.officer, true, nil)
	rec := w.submit(t, w.officer, child)
	if rec.AgeGroup != "child" || rec.State != "referred" || rec.Jurisdiction != "GB-EAW" {
		t.Fatalf("child's record = %+v", rec)
	}
	// Submitting again with the same ID returns the same record; another ID is a conflict.
	again, created, err := w.svc.SubmitNRM(as(w.officer), referral.NRMInput{ID: rec.ID, CaseID: child.ID, Step: "submit"})
	if err != nil || created || again.ID != rec.ID {
		t.Fatalf("retry = %v %v %v", again.ID, created, err)
	}
	_, _, err = w.svc.SubmitNRM(as(w.officer), referral.NRMInput{ID: newUUID(), CaseID: child.ID, Step: "submit"})
	conflictMessage(t, err, "error.nrm.exists")
	// Bad input is named field by field and nothing is made.
	_, _, err = w.svc.SubmitNRM(as(w.officer), referral.NRMInput{ID: newUUID(), CaseID: c.ID, Step: "submit", ExploitationLocation: "moon",
		Account: "bad\x00text"})
	field(t, err, "exploitation_location", "error.service.value")
	field(t, err, "account", "error.field.control")
	_, _, err = w.svc.SubmitNRM(as(w.officer), referral.NRMInput{ID: newUUID(), CaseID: c.ID, Step: "rg_positive"})
	field(t, err, "step", "error.nrm.step")
	if n := countAudit(t, w.env, "nrm.submit"); n != 2 {
		t.Fatalf("nrm.submit audited %d times, want 2", n)
	}
}

// An adult who does not agree is reported under the Duty to Notify with nothing that
// identifies her; the competent authority never sees her record.
func TestDutyToNotifyHoldsNoIdentifyingField(t *testing.T) {
	w := newUKWorld(t)
	no, yes := false, true
	c := w.person(t, w.officer, false, &no)
	rec, _, err := w.svc.SubmitNRM(as(w.officer), referral.NRMInput{ID: newUUID(), CaseID: c.ID, Step: "duty_to_notify",
		ExploitationLocation: "both", Account: "不应保存", ExploitationPlace: "12 High Street", SafeContact: "07700 900123"})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Kind != referral.NRMDutyToNotify || rec.State != "duty_to_notify" || rec.Person != nil || rec.Account != "" ||
		rec.ExploitationPlace != "" || rec.SafeContact != "" {
		t.Fatalf("dtn mark keeps her details: %+v", rec)
	}
	// The report's columns are exactly these: none names, dates or places her, or leads back.
	var cols []string
	if err := w.db.Gorm.Raw(`SELECT column_name FROM information_schema.columns WHERE table_name = 'dtn_reports' ORDER BY ordinal_position`).
		Scan(&cols).Error; err != nil {
		t.Fatal(err)
	}
	want := "id,jurisdiction,organisation_id,reported_on,exploitation_types,exploitation_location,gender,nationality,referrer_kind"
	if strings.Join(cols, ",") != want {
		t.Fatalf("dtn_reports columns = %v, want only %s", cols, want)
	}
	var row map[string]any
	if err := w.db.Gorm.Raw(`SELECT to_jsonb(d)::text AS j FROM dtn_reports d`).Scan(&row).Error; err != nil {
		t.Fatal(err)
	}
	dump, _ := row["j"].(string)
	for _, secret := range []string{"李梅", "Li Mei", "1994", c.Reference, c.ID.String(), rec.ID.String(), "High Street", "07700", "不应保存"} {
		if strings.Contains(dump, secret) {
			t.Fatalf("DtN report holds %q: %s", secret, dump)
		}
	}
	if !strings.Contains(dump, `"gender": "female"`) || !strings.Contains(dump, `"nationality": "CN"`) || !strings.Contains(dump, `"both"`) {
		t.Fatalf("DtN report lacks what is counted: %s", dump)
	}
	// A child is never reported anonymously, nor an adult who agreed.
	child := w.person(t, w.officer, true, nil)
	_, _, err = w.svc.SubmitNRM(as(w.officer), referral.NRMInput{ID: newUUID(), CaseID: child.ID, Step: "duty_to_notify"})
	conflictMessage(t, err, "nrm.refused.dtn_minor")
	agreed := w.person(t, w.officer, false, &yes)
	_, _, err = w.svc.SubmitNRM(as(w.officer), referral.NRMInput{ID: newUUID(), CaseID: agreed.ID, Step: "duty_to_notify"})
	conflictMessage(t, err, "nrm.refused.dtn_consent")
	// The competent authority neither sees the mark nor queues it.
	_, err = w.svc.NRMFile(as(w.dm), rec.ID)
	code(t, err, referral.CodeNotFound)
	q, _, err := w.svc.NRMQueue(as(w.dm), referral.NRMQueueFilter{All: true})
	if err != nil || len(q) != 0 {
		t.Fatalf("queue = %+v, %v", q, err)
	}
	// The officer's own record shows it was made, and it takes no further step.
	v, err := w.svc.NRMFile(as(w.officer), rec.ID)
	if err != nil || v.Record.State != "duty_to_notify" || len(v.Steps) != 0 {
		t.Fatalf("officer's view = %+v, %v", v, err)
	}
}

// The UK decisions: a reasonable-grounds decision due in 5 working days (a Friday before a
// bank holiday gives Monday week), only decision makers of the jurisdiction decide, a positive
// decision opens a recovery period of 30 days before which no conclusive decision may come,
// a negative one a 30-day window for reconsideration.
func TestNRMDecisionsAndTheirClocks(t *testing.T) {
	w := newUKWorld(t)
	yes := true
	// Friday 28 August 2026, 16:00 in London (BST); Monday 31 August is a bank holiday.
	w.at(time.Date(2026, 8, 28, 15, 0, 0, 0, time.UTC))
	c := w.person(t, w.officer, false, &yes)
	rec := w.submit(t, w.officer, c)
	if rec.NextTimer != "rg_decision" || rec.NextOn == nil || *rec.NextOn != "2026-09-07" || rec.Awaiting != "rg" {
		t.Fatalf("due = %s %v, want rg_decision on 2026-09-07", rec.NextTimer, rec.NextOn)
	}
	// The SCA's queue lists it; Belgium's competent authority does not see it.
	q, j, err := w.svc.NRMQueue(as(w.dm), referral.NRMQueueFilter{})
	if err != nil || j.Code != "GB-EAW" || len(q) != 1 || q[0].Reference != c.Reference || q[0].NextOn.String() != "2026-09-07" {
		t.Fatalf("queue = %+v %v", q, err)
	}
	q, _, err = w.svc.NRMQueue(as(w.beDM), referral.NRMQueueFilter{All: true})
	if err != nil || len(q) != 0 {
		t.Fatalf("Belgian queue = %+v %v", q, err)
	}
	for _, u := range []referral.User{w.officer, w.staff, w.scaAdmin} {
		_, _, err := w.svc.NRMQueue(as(u), referral.NRMQueueFilter{})
		code(t, err, referral.CodeForbidden)
	}
	_, err = w.svc.NRMFile(as(w.beDM), rec.ID)
	code(t, err, referral.CodeNotFound)

	// Only a decision maker decides: the officer who referred her may not.
	step := func(u referral.User, name, on, reasons string) (referral.NRMEvent, error) {
		ev, _, err := w.svc.TakeNRMStep(as(u), rec.ID, referral.NRMStepInput{ID: newUUID(), Step: name, On: on, Reasons: reasons})
		return ev, err
	}
	_, err = step(w.officer, "rg_positive", "", "x")
	code(t, err, referral.CodeForbidden)
	_, err = step(w.beDM, "rg_positive", "", "x")
	code(t, err, referral.CodeNotFound)
	_, err = step(w.otherOfficer, "rg_positive", "", "x")
	code(t, err, referral.CodeNotFound)
	// Reasons are required, a day in the future is refused; nothing is recorded.
	_, err = step(w.dm, "rg_positive", "", " ")
	field(t, err, "reasons", "error.field.required")
	_, err = step(w.dm, "rg_positive", "2026-09-30", "有合理理由")
	field(t, err, "on", "error.nrm.future")
	// A conclusive decision cannot come first.
	_, err = step(w.dm, "cg_positive", "", "x")
	conflictMessage(t, err, "nrm.refused.state")

	// Overdue: on Tuesday 8 September nobody has decided.
	w.at(time.Date(2026, 9, 7, 12, 0, 0, 0, time.UTC))
	q, _, _ = w.svc.NRMQueue(as(w.dm), referral.NRMQueueFilter{})
	if !q[0].DueToday || q[0].Overdue {
		t.Fatalf("on the due day: %+v", q[0].NRMBrief)
	}
	w.at(time.Date(2026, 9, 8, 8, 0, 0, 0, time.UTC))
	q, _, _ = w.svc.NRMQueue(as(w.dm), referral.NRMQueueFilter{})
	if !q[0].Overdue {
		t.Fatalf("a day late: %+v", q[0].NRMBrief)
	}
	ev, err := step(w.dm, "rg_positive", "", "陈述可信，有合理理由相信她是人口贩运的受害者。")
	if err != nil || ev.Decision != "rg" || ev.Outcome != "positive" || ev.DecidedOn != "2026-09-08" || *ev.ActorUserID != w.dm.ID {
		t.Fatalf("rg = %+v %v", ev, err)
	}
	v, err := w.svc.NRMFile(as(w.officer), rec.ID)
	if err != nil || v.Record.State != "recovery_period" || v.Next == nil || v.Next.On.String() != "2026-10-08" || v.Next.Timer != "recovery" {
		t.Fatalf("after RG: %+v next %+v %v", v.Record.State, v.Next, err)
	}
	// A conclusive decision 29 days after the reasonable-grounds decision is refused, naming
	// the first day it may come; on day 30 it may.
	w.at(time.Date(2026, 10, 7, 10, 0, 0, 0, time.UTC))
	_, err = step(w.dm, "cg_negative", "", "证据不足")
	e := conflictMessage(t, err, "nrm.refused.too_early.recovery")
	if d, ok := e.Data["Date"].(interface{ Civil() time.Time }); !ok || d.Civil().Format(time.DateOnly) != "2026-10-08" {
		t.Fatalf("refusal data = %+v", e.Data)
	}
	w.at(time.Date(2026, 10, 8, 10, 0, 0, 0, time.UTC))
	if _, err := step(w.dm, "cg_negative", "", "证据不足"); err != nil {
		t.Fatal(err)
	}
	// Negative: 30 days to ask for reconsideration, by the first responder (not the decision maker).
	_, err = step(w.dm, "reconsider_cg", "", "new evidence")
	code(t, err, referral.CodeForbidden)
	w.at(time.Date(2026, 11, 8, 10, 0, 0, 0, time.UTC)) // day 31
	_, err = step(w.officer, "reconsider_cg", "", "新证据")
	conflictMessage(t, err, "nrm.refused.closed.reconsideration")
	if _, err := step(w.officer, "reconsider_cg", "2026-11-07", "新证据：医疗报告"); err != nil { // recorded on day 30
		t.Fatal(err)
	}
	if _, err := step(w.dm, "cg_positive", "", "复议后认定"); err != nil {
		t.Fatal(err)
	}
	v, _ = w.svc.NRMFile(as(w.officer), rec.ID)
	if v.Record.State != "move_on" || v.Next == nil || v.Next.On.String() != "2026-12-23" || len(v.Events) != 5 {
		t.Fatalf("after CG: %s %+v %d events", v.Record.State, v.Next, len(v.Events))
	}
	// Retrying a step with the same ID records it once.
	id := newUUID()
	for range 2 {
		if _, _, err := w.svc.TakeNRMStep(as(w.officer), rec.ID, referral.NRMStepInput{ID: id, Step: "exit"}); err != nil {
			t.Fatal(err)
		}
	}
	v, _ = w.svc.NRMFile(as(w.officer), rec.ID)
	if v.Record.State != "exited" || len(v.Events) != 6 {
		t.Fatalf("exit twice: %s, %d events", v.Record.State, len(v.Events))
	}
}

// Who sees a record: the organisation that recorded her and the competent authority see it
// all; a shelter that took her in sees where it stands, not the decisions; any other
// organisation is told it does not exist.
func TestNRMOtherOrganisationCannotReadTheDecision(t *testing.T) {
	w := newUKWorld(t)
	yes := true
	c := w.person(t, w.officer, false, &yes)
	rec := w.submit(t, w.officer, c)
	if _, _, err := w.svc.TakeNRMStep(as(w.dm), rec.ID, referral.NRMStepInput{ID: newUUID(), Step: "rg_positive", Reasons: "机密理由"}); err != nil {
		t.Fatal(err)
	}
	for name, u := range map[string]referral.User{"other police": w.otherOfficer, "other jurisdiction": w.beDM, "shelter not hers": w.staff,
		"ngo": w.caseworker, "sca admin": w.scaAdmin} {
		if _, err := w.svc.NRMFile(as(u), rec.ID); referral.ErrorCode(err) != referral.CodeNotFound {
			t.Errorf("%s read it: %v", name, err)
		}
		if _, err := w.svc.NRMLetter(as(u), rec.ID, uuid.Nil); referral.ErrorCode(err) != referral.CodeNotFound {
			t.Errorf("%s read the letter: %v", name, err)
		}
	}
	v, err := w.svc.NRMFile(as(w.dm), rec.ID)
	if err != nil || !v.Full || v.Record.Person == nil || v.Record.Person.NameOriginal != "李梅" || v.Events[1].Reasons != "机密理由" {
		t.Fatalf("decision maker's view = %+v %v", v, err)
	}
	reads := countAudit(t, w.env, "nrm.read")

	// She is checked in at the shelter: its staff now see the state and the date, nothing more.
	admin := w.User(t, w.shelterOrg, "admin@safehouse.example", referral.RoleOrgAdmin)
	in := shelterInput(w.shelterOrg, 4)
	in.Country = ptr("GB")
	s, _, err := w.svc.CreateService(as(admin), in)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.svc.CheckInWalkIn(as(w.staff), s.ID, referral.PlacementInput{CaseID: &c.ID, Reference: c.Reference, Places: 1, Unit: referral.UnitBed}); err != nil {
		t.Fatal(err)
	}
	v, err = w.svc.NRMFile(as(w.staff), rec.ID)
	if err != nil || v.Full || v.Events != nil || v.Record.Person != nil || v.Record.Account != "" || v.Record.State != "recovery_period" || v.Next == nil {
		t.Fatalf("shelter's view = %+v %v", v, err)
	}
	if countAudit(t, w.env, "nrm.read") != reads {
		t.Fatal("a read without her details was audited as a full read")
	}
	if _, err := w.svc.NRMLetter(as(w.staff), rec.ID, v.Record.ID); referral.ErrorCode(err) != referral.CodeForbidden {
		t.Fatalf("shelter read the letter: %v", err)
	}
	// The officer's outbox shows where it stands beside her referral.
	yes = true
	if _, _, err := w.svc.RecordConsent(as(w.officer), c.ID, referral.ConsentInput{ID: newUUID(), Scope: referral.ConsentSupport,
		Given: &yes, Language: "zh-Hans"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.svc.SendReferral(as(w.officer), referral.ReferralInput{ID: newUUID(), CaseID: c.ID, ServiceID: s.ID}); err != nil {
		t.Fatal(err)
	}
	out, err := w.svc.Referrals(as(w.officer), referral.ReferralFilter{Box: "outbox"})
	if err != nil || len(out) != 1 || out[0].NRM == nil || out[0].NRM.State != "recovery_period" || out[0].NRM.NextTimer != "recovery" {
		t.Fatalf("outbox = %+v %v", out, err)
	}
	inbox, _ := w.svc.Referrals(as(w.staff), referral.ReferralFilter{Box: "inbox"})
	if len(inbox) != 1 || inbox[0].NRM != nil {
		t.Fatalf("the receiver's inbox carries the NRM state: %+v", inbox)
	}
	boards, err := w.svc.OccupancyBoard(as(w.staff))
	if err != nil || len(boards) != 1 || boards[0].NRM[c.ID.String()].State != "recovery_period" || boards[0].NRM[c.ID.String()].NextOn == nil {
		t.Fatalf("board = %+v %v", boards, err)
	}
}

// Reminders before a decision is due, and an overdue alert after, each once however often the
// sweep runs; periods that end without owing anything move the record to its next date.
func TestNRMDeadlineSweep(t *testing.T) {
	w := newUKWorld(t)
	yes := true
	w.at(time.Date(2026, 8, 28, 15, 0, 0, 0, time.UTC))
	rec := w.submit(t, w.officer, w.person(t, w.officer, false, &yes))
	alerts := func(kind, action string) int64 {
		var n int64
		w.db.Gorm.Table("notifications").Where("kind = ? AND action = ? AND nrm_record_id = ?", kind, action, rec.ID).Count(&n)
		return n
	}
	sweep := func() {
		t.Helper()
		if _, err := w.svc.NRMDeadlines(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if alerts("nrm_updated", "submit") != 1 {
		t.Fatal("the decision maker was not told of the new referral")
	}
	sweep()
	if alerts("nrm_deadline", "reminder") != 0 {
		t.Fatal("reminded a week early")
	}
	w.at(time.Date(2026, 9, 4, 9, 0, 0, 0, time.UTC)) // Friday, one working day before... the reminder is 1 calendar day
	sweep()
	if alerts("nrm_deadline", "reminder") != 0 {
		t.Fatal("reminded three days early")
	}
	w.at(time.Date(2026, 9, 6, 9, 0, 0, 0, time.UTC))
	sweep()
	sweep()
	if alerts("nrm_deadline", "reminder") != 1 {
		t.Fatalf("reminders = %d, want 1", alerts("nrm_deadline", "reminder"))
	}
	w.at(time.Date(2026, 9, 7, 22, 59, 0, 0, time.UTC)) // 23:59 in London: still the due day
	sweep()
	if alerts("nrm_deadline", "overdue") != 0 {
		t.Fatal("overdue before the day ended in London")
	}
	w.at(time.Date(2026, 9, 7, 23, 1, 0, 0, time.UTC))
	sweep()
	sweep()
	// The decision maker and the officer who referred her, once each.
	if n := alerts("nrm_deadline", "overdue"); n != 2 {
		t.Fatalf("overdue alerts = %d, want 2", n)
	}
	var overdue bool
	w.db.Gorm.Raw(`SELECT overdue FROM nrm_records WHERE id = ?`, rec.ID).Scan(&overdue)
	if !overdue {
		t.Fatal("record not marked overdue")
	}
}

// Decision makers deciding the same record at once: one decision is recorded, the others are
// told the record has moved on; the history stays one the jurisdiction can have made.
func TestNRMDecisionsAtOnce(t *testing.T) {
	w := newUKWorld(t)
	yes := true
	rec := w.submit(t, w.officer, w.person(t, w.officer, false, &yes))
	steps := []string{"rg_positive", "rg_negative"}
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			_, _, err := w.svc.TakeNRMStep(as(w.dm), rec.ID, referral.NRMStepInput{ID: newUUID(), Step: steps[i%2], Reasons: "理由"})
			errs <- err
		}()
	}
	ok := 0
	for range 8 {
		if err := <-errs; err == nil {
			ok++
		} else {
			conflictMessage(t, err, "nrm.refused.state")
		}
	}
	var events int64
	w.db.Gorm.Table("nrm_events").Where("record_id = ?", rec.ID).Count(&events)
	if ok != 1 || events != 2 {
		t.Fatalf("%d decisions taken, %d events; want 1 and 2", ok, events)
	}
	if _, err := w.svc.NRMFile(as(w.dm), rec.ID); err != nil {
		t.Fatalf("the history no longer replays: %v", err)
	}
}
