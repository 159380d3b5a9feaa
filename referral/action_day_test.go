package referral_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/harbour-nrm/harbour/referral"
)

// actionDay is a Belgian police force, a shelter and a specialised centre, each with a service.
type actionDay struct {
	*env
	officer, staff, centre referral.User
	bed, centreBed         referral.Service
}

func newActionDay(t *testing.T) *actionDay {
	t.Helper()
	e := newEnv(t)
	w := &actionDay{env: e}
	police, shelter := e.Org(t, "Police", referral.KindPolice), e.Org(t, "Shelter", referral.KindShelter)
	centre := e.Org(t, "Centre", referral.KindSpecialisedCentre)
	w.officer = e.User(t, police, "officer@example.org", referral.RoleOfficer)
	w.staff = e.User(t, shelter, "staff@example.org", referral.RoleShelterStaff)
	w.centre = e.User(t, centre, "centre@example.org", referral.RoleCaseworker)
	w.bed, w.centreBed = e.shelterOf(t, shelter, "Beds"), e.shelterOf(t, centre, "Centre beds")
	return w
}

// shelterOf adds a shelter service of two beds in Brussels.
func (e *env) shelterOf(t *testing.T, o referral.Organisation, name string) referral.Service {
	t.Helper()
	cat := referral.CategoryShelter
	s, _, err := e.svc.CreateService(system, referral.ServiceInput{OrganisationID: o.ID, Category: &cat, Name: &name, City: ptr("Brussels"),
		Country: ptr("BE"), Capacity: map[referral.Unit]int{referral.UnitBed: 2}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// woman records an adult who needs a bed tonight and agreed to be referred.
func (w *actionDay) woman(t *testing.T, needs ...string) referral.Case {
	t.Helper()
	c, _, err := w.svc.CreateCase(as(w.officer), referral.CaseInput{ID: uuid.Must(uuid.NewV7()), Age: ptr(30), Needs: needs})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, _, err := w.svc.RecordConsent(as(w.officer), c.ID, referral.ConsentInput{Scope: referral.ConsentSupport, Given: &yes, Language: "zh-Hans"}); err != nil {
		t.Fatal(err)
	}
	return c
}

func messageOf(err error) string {
	var e *referral.Error
	switch {
	case errors.As(err, &e) && len(e.Fields) > 0:
		return e.Fields[0].MessageID
	case errors.As(err, &e):
		return e.MessageID
	}
	return ""
}

// A referral to a shelter goes with the bed her organisation holds for her there, is urgent when
// she needs a bed tonight, and is sent once to a service while it is open.
func TestReferralTakesTheHeldBed(t *testing.T) {
	w := newActionDay(t)
	c := w.woman(t, "bed_tonight")
	h, _, err := w.svc.CreateHold(as(w.officer), w.bed.ID, referral.HoldInput{CaseID: &c.ID})
	if err != nil {
		t.Fatal(err)
	}
	if h.Reference != c.Reference {
		t.Fatalf("the hold's reference %q, want hers %q", h.Reference, c.Reference)
	}
	r, _, err := w.svc.SendReferral(as(w.officer), referral.ReferralInput{CaseID: c.ID, ServiceID: w.bed.ID})
	if err != nil {
		t.Fatal(err)
	}
	if r.HoldID == nil || *r.HoldID != h.ID || !r.Urgent {
		t.Fatalf("referral hold %v urgent %v, want the held bed and urgent", r.HoldID, r.Urgent)
	}
	if _, _, err := w.svc.SendReferral(as(w.officer), referral.ReferralInput{CaseID: c.ID, ServiceID: w.bed.ID}); messageOf(err) != "error.referral.already_open" {
		t.Fatalf("a second open referral to the same service: %v", err)
	}
	if _, err := w.svc.Transition(as(w.staff), r.ID, referral.ActionAccept, referral.StepInput{}); err != nil {
		t.Fatal(err)
	}
	if h, _ = w.svc.Hold(as(w.officer), h.ID); h.Status != referral.HoldConfirmed {
		t.Fatalf("accepting left the hold %s", h.Status)
	}
	// Someone who needs no bed tonight: not urgent unless the officer says so.
	calm := w.woman(t)
	r, _, err = w.svc.SendReferral(as(w.officer), referral.ReferralInput{CaseID: calm.ID, ServiceID: w.bed.ID})
	if err != nil || r.Urgent || r.HoldID != nil {
		t.Fatalf("a referral for someone who needs no bed tonight: urgent %v hold %v (%v)", r.Urgent, r.HoldID, err)
	}
}

// Hold and refer is one step: a refused referral leaves no bed held; a retry holds and sends once.
func TestHoldAndReferIsOneStep(t *testing.T) {
	w := newActionDay(t)
	c, _, err := w.svc.CreateCase(as(w.officer), referral.CaseInput{ID: uuid.Must(uuid.NewV7()), Age: ptr(30)}) // she has not answered
	if err != nil {
		t.Fatal(err)
	}
	hold, ref := referral.HoldInput{ID: uuid.Must(uuid.NewV7()), CaseID: &c.ID}, referral.ReferralInput{ID: uuid.Must(uuid.NewV7()), CaseID: c.ID}
	if _, _, err := w.svc.HoldAndRefer(as(w.officer), w.bed.ID, hold, ref); messageOf(err) != "error.referral.no_consent" {
		t.Fatalf("without her consent: %v", err)
	}
	if l, _ := w.svc.ListHolds(as(w.officer), w.bed.ID); len(l) != 0 {
		t.Fatalf("a refused referral left %d beds held", len(l))
	}
	c = w.woman(t, "bed_tonight")
	hold.CaseID, ref.CaseID = &c.ID, c.ID
	for range 2 {
		h, r, err := w.svc.HoldAndRefer(as(w.officer), w.bed.ID, hold, ref)
		if err != nil || h.ID != hold.ID || r.ID != ref.ID || *r.HoldID != h.ID {
			t.Fatalf("hold and refer: %v %v %v", h.ID, r.ID, err)
		}
	}
	if l, _ := w.svc.ListHolds(as(w.officer), w.bed.ID); len(l) != 1 {
		t.Fatalf("%d beds held after a retry", len(l))
	}
	if _, _, err := w.svc.HoldAndRefer(as(w.staff), w.bed.ID, referral.HoldInput{}, referral.ReferralInput{CaseID: c.ID}); !errors.Is(err, referral.ErrForbidden) {
		t.Errorf("shelter staff held and referred: %v", err)
	}
	// Another organisation's caseworker may hold and refer, but not for a person it did not record.
	if _, _, err := w.svc.HoldAndRefer(as(w.centre), w.bed.ID, referral.HoldInput{CaseID: &c.ID}, referral.ReferralInput{CaseID: c.ID}); messageOf(err) != "error.referral.case" {
		t.Errorf("another organisation held and referred her: %v", err)
	}
}

// Her stay moves the referral that brought her: arriving starts it (accepting it if nobody had),
// leaving completes it with the outcome; a check-out needs an outcome, and "other" a note.
func TestStayMovesItsReferral(t *testing.T) {
	w := newActionDay(t)
	c := w.woman(t, "bed_tonight")
	h, r, err := w.svc.HoldAndRefer(as(w.officer), w.bed.ID, referral.HoldInput{CaseID: &c.ID}, referral.ReferralInput{CaseID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := w.svc.CheckIn(as(w.staff), h.ID, uuid.Nil)
	if err != nil {
		t.Fatal(err)
	}
	events := func() []referral.ReferralAction {
		list, err := w.svc.ReferralEvents(as(w.officer), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []referral.ReferralAction
		for _, e := range list {
			out = append(out, e.Action)
		}
		return out
	}
	if got := events(); len(got) != 3 || got[1] != referral.ActionAccept || got[2] != referral.ActionStart {
		t.Fatalf("after her arrival: %v, want send, accept, start", got)
	}
	for _, bad := range []referral.CheckOutInput{{}, {Outcome: "eloped"}, {Outcome: referral.OutcomeOther}} {
		if _, err := w.svc.CheckOut(as(w.staff), pl.ID, bad); referral.ErrorCode(err) != referral.CodeInvalid {
			t.Fatalf("check-out %+v: %v", bad, err)
		}
	}
	if _, err := w.svc.CheckOut(as(w.officer), pl.ID, referral.CheckOutInput{Outcome: referral.OutcomeReturnedHome}); !errors.Is(err, referral.ErrForbidden) {
		t.Fatalf("the officer checked her out: %v", err)
	}
	out, err := w.svc.CheckOut(as(w.staff), pl.ID, referral.CheckOutInput{Outcome: referral.OutcomeOther, Note: "went to her sister"})
	if err != nil || out.Outcome != referral.OutcomeOther || out.OutcomeNote != "went to her sister" {
		t.Fatalf("check-out: %+v %v", out, err)
	}
	list, _ := w.svc.ReferralEvents(as(w.officer), r.ID)
	last := list[len(list)-1]
	if last.Action != referral.ActionComplete || last.ReasonCode != "other" || last.Note != "went to her sister" {
		t.Fatalf("the last step %+v, want complete with the outcome", last)
	}
	if now, _ := w.svc.Referral(as(w.officer), r.ID); now.Status != referral.ReferralCompleted {
		t.Fatalf("referral %s after she left", now.Status)
	}
}

// In Belgium the centre that accepted a referral for her starts her NRM; the police that
// recorded her and a shelter that supports her may not; an organisation that does not support
// her does not see her at all.
func TestBelgianCentreIsTheFirstResponder(t *testing.T) {
	w := newActionDay(t)
	c := w.woman(t)
	submit := func(u referral.User) error {
		_, _, err := w.svc.SubmitNRM(as(u), referral.NRMInput{CaseID: c.ID, Step: "request_reflection"})
		return err
	}
	if err := submit(w.centre); messageOf(err) != "error.nrm.case" {
		t.Fatalf("a centre that does not support her: %v", err)
	}
	for _, s := range []referral.Service{w.bed, w.centreBed} {
		r, _, err := w.svc.SendReferral(as(w.officer), referral.ReferralInput{CaseID: c.ID, ServiceID: s.ID})
		if err != nil {
			t.Fatal(err)
		}
		who := w.staff
		if s.ID == w.centreBed.ID {
			who = w.centre
		}
		if _, err := w.svc.Transition(as(who), r.ID, referral.ActionAccept, referral.StepInput{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []referral.User{w.officer, w.staff} {
		if err := submit(u); !errors.Is(err, referral.ErrForbidden) {
			t.Errorf("%s started her Belgian NRM: %v", u.Email, err)
		}
	}
	if err := submit(w.centre); err != nil {
		t.Fatal(err)
	}
	f, err := w.svc.CaseFile(as(w.centre), c.ID)
	if err != nil || f.Owner || f.Shared || f.NRM == nil || f.NRM.Record.State != "reflection" || f.Case.NameOriginal != "" {
		t.Fatalf("the centre's view of her record: owner %v shared %v nrm %+v (%v)", f.Owner, f.Shared, f.NRM, err)
	}
}

// statements counts the SQL statements gorm runs (its logger traces each one once).
type statements struct {
	logger.Interface
	n atomic.Int64
}

func (s *statements) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	s.n.Add(1)
}

// Each home card is read by one statement: the officer's (operations, people without a bed,
// outbox), the shelter's (inbox, beds, arrivals), the decision maker's and the org admin's,
// plus the organisation's time zone (and, for a decision maker, its jurisdiction).
func TestHomeReadsOneStatementPerCard(t *testing.T) {
	w := newActionDay(t)
	w.woman(t, "bed_tonight")
	count := &statements{Interface: logger.Discard}
	d := referral.NewDomain(w.db.Gorm.Session(&gorm.Session{Logger: count}), referral.DefaultConfig(), nil)
	sca := w.Org(t, "Authority", referral.KindCompetentAuthority)
	shelter, err := w.svc.Organisation(system, w.bed.OrganisationID)
	if err != nil {
		t.Fatal(err)
	}
	admin := w.User(t, shelter, "admin@example.org", referral.RoleOrgAdmin)
	for _, c := range []struct {
		who   referral.User
		cards int
	}{
		{w.officer, 3}, {w.staff, 3}, {w.centre, 4}, // a caseworker: the officer's three cards and the inbox
		{w.User(t, sca, "dm@example.org", referral.RoleDecisionMaker), 2}, {admin, 2},
	} {
		count.n.Store(0)
		h, err := d.Home(as(c.who))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d statements", c.who.Email, count.n.Load())
		if got := count.n.Load(); got > int64(c.cards)+1 {
			t.Errorf("%s's home ran %d statements for %d cards: %+v", c.who.Email, got, c.cards, h)
		}
	}
}
