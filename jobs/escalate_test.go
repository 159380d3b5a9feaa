package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/jobs"
	"github.com/harbour-nrm/harbour/locales"
	"github.com/harbour-nrm/harbour/mail"
	"github.com/harbour-nrm/harbour/mail/mailtest"
	"github.com/harbour-nrm/harbour/pgcluster/pgtest"
	"github.com/harbour-nrm/harbour/referral"
)

// world is a police force and a shelter organisation with two shelters in Brussels, an officer
// who recorded a person, and the shelter's staff, on one database with a clock the test moves.
type world struct {
	t        *testing.T
	db       *referral.DB
	now      time.Time
	cfg      referral.Config
	d        *referral.Domain
	officer  context.Context
	officerU uuid.UUID
	staffU   uuid.UUID
	first    referral.Service // answers within 30 minutes
	second   referral.Service // the next best
	person   referral.Case
}

func newWorld(t *testing.T) *world {
	w := &world{t: t, db: pgtest.Open(t), now: time.Date(2026, 11, 21, 1, 50, 0, 0, time.UTC)}
	w.cfg = referral.DefaultConfig()
	w.cfg.Argon2 = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	w.cfg.Languages = []string{"zh-Hans", "en"}
	w.d = w.domain()
	sys := referral.WithActor(context.Background(), referral.SystemActor("test"))
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	police, _, err := w.d.CreateOrganisation(sys, referral.OrganisationInput{Name: ptr("Police"), Kind: ptr(referral.KindPolice), Country: ptr("BE")})
	must(err)
	shelter, _, err := w.d.CreateOrganisation(sys, referral.OrganisationInput{Name: ptr("Shelter"), Kind: ptr(referral.KindShelter), Country: ptr("BE")})
	must(err)
	user := func(org referral.Organisation, email string, role referral.Role) uuid.UUID {
		roles := []referral.Role{role}
		u, _, err := w.d.CreateUser(sys, referral.UserInput{OrganisationID: org.ID, Email: ptr(email), Name: ptr(email), Roles: &roles, Password: ptr("a long enough password")})
		must(err)
		return u.ID
	}
	w.officerU = user(police, "officer@police.test", referral.RoleOfficer)
	w.staffU = user(shelter, "night@shelter.test", referral.RoleShelterStaff)
	w.officer = referral.WithActor(context.Background(), referral.Actor{UserID: w.officerU, OrganisationID: police.ID, Roles: []referral.Role{referral.RoleOfficer}})
	service := func(name string, lat float64) referral.Service {
		cat := referral.CategoryShelter
		s, _, err := w.d.CreateService(sys, referral.ServiceInput{OrganisationID: shelter.ID, Category: &cat, Name: ptr(name), City: ptr("Brussels"),
			Country: ptr("BE"), Latitude: ptr(ptr(lat)), Longitude: ptr(ptr(4.35)), OpenAlways: ptr(true), ResponseMinutes: ptr(ptr(30)),
			Languages: &[]string{"cmn"}, AcceptsMinors: ptr(true), Capacity: map[referral.Unit]int{referral.UnitBed: 5}})
		must(err)
		return s
	}
	w.first, w.second = service("First", 50.85), service("Second", 50.86)
	w.person, _, err = w.d.CreateCase(w.officer, referral.CaseInput{Language: "cmn", Gender: "female", AppearsMinor: true,
		NameOriginal: "王小红", BirthDate: "2009-05-01", Needs: []string{"bed_tonight"}})
	must(err)
	return w
}

func (w *world) domain() *referral.Domain {
	d := referral.NewDomain(w.db.Gorm, w.cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	d.SetClock(func() time.Time { return w.now })
	return d
}

// start runs a queue as one app instance would, and asks it to escalate now.
func (w *world) start(send jobs.Send) *jobs.Queue {
	q, err := jobs.New(w.db.Pool, w.domain(), slog.New(slog.NewTextHandler(io.Discard, nil)), send)
	if err != nil {
		w.t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = q.Stop(ctx)
	})
	return q
}

// settled waits until no job of kind is waiting or running.
func (w *world) settled(kind string) {
	deadline := time.Now().Add(20 * time.Second)
	for {
		var busy int64
		w.db.Gorm.Table("river_job").Where("kind = ? AND state NOT IN ('completed', 'cancelled', 'discarded')", kind).Count(&busy)
		if busy == 0 {
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("%d %s jobs still pending after 20 s", busy, kind)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (w *world) count(table, where string, args ...any) int64 {
	var n int64
	if err := w.db.Gorm.Table(table).Where(where, args...).Count(&n).Error; err != nil {
		w.t.Fatal(err)
	}
	return n
}

// TestEscalationOnTwoInstances: an urgent referral nobody answers within the service's window
// expires once, and its officer gets exactly one alert naming the next best shelter, although
// two app instances run the job, each asked several times. The clock is the test's.
func TestEscalationOnTwoInstances(t *testing.T) {
	w := newWorld(t)
	r, _, err := w.d.SendReferral(w.officer, referral.ReferralInput{ID: uuid.Must(uuid.NewV7()), CaseID: w.person.ID, ServiceID: w.first.ID, Urgent: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := w.now.Add(30 * time.Minute); !r.RespondBy.Equal(want) {
		t.Fatalf("respond by %v, want %v (the service's 30-minute window)", r.RespondBy, want)
	}
	w.now = w.now.Add(29 * time.Minute) // not yet
	queues := []*jobs.Queue{w.start(nil), w.start(nil)}
	w.settled("escalate")
	if n := w.count("referrals", "id = ? AND status = 'sent'", r.ID); n != 1 {
		t.Fatal("the referral expired before its window ended")
	}

	w.now = w.now.Add(2 * time.Minute) // the window has passed
	for range 3 {
		for _, q := range queues {
			if err := q.Enqueue(context.Background(), jobs.EscalateArgs{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	w.settled("escalate")

	if n := w.count("referrals", "id = ? AND status = 'expired'", r.ID); n != 1 {
		t.Fatal("the referral did not expire")
	}
	if n := w.count("referral_events", "referral_id = ? AND action = 'expire'", r.ID); n != 1 {
		t.Fatalf("%d expire events, want 1", n)
	}
	if n := w.count("audit_events", "action = 'referral.expire' AND record_id = ?", r.ID.String()); n != 1 {
		t.Fatalf("%d audit events, want 1", n)
	}
	var alerts []referral.Notification
	w.db.Gorm.Where("kind = ?", referral.NoteReferralOverdue).Find(&alerts)
	if len(alerts) != 1 {
		t.Fatalf("%d overdue alerts, want exactly 1", len(alerts))
	}
	a := alerts[0]
	if a.UserID != w.officerU || a.ReferralID == nil || *a.ReferralID != r.ID || !a.Urgent || a.Reference != w.person.Reference {
		t.Fatalf("alert %+v: want the officer, this referral, urgent, her reference", a)
	}
	if a.SuggestedServiceID == nil || *a.SuggestedServiceID != w.second.ID {
		t.Fatalf("suggested %v, want the second shelter %v", a.SuggestedServiceID, w.second.ID)
	}
	// The officer sees the suggestion on the referral's page.
	s, err := w.d.Suggestion(w.officer, r.ID)
	if err != nil || s == nil || s.ID != w.second.ID {
		t.Fatalf("suggestion %+v, %v", s, err)
	}
	// A non-urgent referral expires too, and its officer is told, without a suggestion.
	quiet, _, err := w.d.SendReferral(w.officer, referral.ReferralInput{ID: uuid.Must(uuid.NewV7()), CaseID: w.person.ID, ServiceID: w.second.ID})
	if err != nil {
		t.Fatal(err)
	}
	w.now = w.now.Add(31 * time.Minute)
	if err := queues[0].Enqueue(context.Background(), jobs.EscalateArgs{}); err != nil {
		t.Fatal(err)
	}
	w.settled("escalate")
	if n := w.count("notifications", "referral_id = ? AND kind = ? AND suggested_service_id IS NULL", quiet.ID, referral.NoteReferralOverdue); n != 1 {
		t.Fatalf("%d alerts for the non-urgent referral, want 1 without a suggestion", n)
	}
}

// TestHoldLapseAlertOnce: the shelter's staff are told once of a hold lapsing within 30 minutes,
// however often and on however many instances the sweep runs; not before.
func TestHoldLapseAlertOnce(t *testing.T) {
	w := newWorld(t)
	h, _, err := w.d.CreateHold(w.officer, w.first.ID, referral.HoldInput{CaseID: &w.person.ID})
	if err != nil {
		t.Fatal(err)
	}
	w.now = h.ExpiresAt.Add(-31 * time.Minute)
	queues := []*jobs.Queue{w.start(nil), w.start(nil)}
	w.settled("escalate")
	if n := w.count("notifications", "kind = ?", referral.NoteHoldLapsing); n != 0 {
		t.Fatalf("%d alerts 31 minutes before the hold lapses", n)
	}
	w.now = h.ExpiresAt.Add(-29 * time.Minute)
	for range 3 {
		for _, q := range queues {
			if err := q.Enqueue(context.Background(), jobs.EscalateArgs{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	w.settled("escalate")
	if n := w.count("notifications", "kind = ? AND hold_id = ? AND user_id = ?", referral.NoteHoldLapsing, h.ID, w.staffU); n != 1 {
		t.Fatalf("%d lapse alerts for the shelter's staff, want 1", n)
	}
	if n := w.count("notifications", "kind = ?", referral.NoteHoldLapsing); n != 1 {
		t.Fatalf("%d lapse alerts in all, want 1 (the officer is not the shelter)", n)
	}
}

// TestReferralMailThroughSMTP: the shelter's staff get an e-mail for a new referral through a
// real SMTP conversation, in their language, with a link and no name or birth date; it is
// sent once with two instances delivering.
func TestReferralMailThroughSMTP(t *testing.T) {
	w := newWorld(t)
	srv := mailtest.Start(t)
	sender, err := mail.NewSMTP(srv.URL(), "Harbour <noreply@harbour.test>")
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	send := jobs.Mailer(sender, bundle, "https://harbour.test/")
	r, _, err := w.d.SendReferral(w.officer, referral.ReferralInput{ID: uuid.Must(uuid.NewV7()), CaseID: w.person.ID, ServiceID: w.first.ID, Urgent: true})
	if err != nil {
		t.Fatal(err)
	}
	queues := []*jobs.Queue{w.start(send), w.start(send)}
	for _, q := range queues {
		if err := q.Enqueue(context.Background(), jobs.DeliverMailArgs{}); err != nil {
			t.Fatal(err)
		}
	}
	got := srv.Wait(t, 1, 20*time.Second)
	w.settled("deliver_mail")
	if len(srv.Messages()) != 1 {
		t.Fatalf("%d e-mails, want 1", len(srv.Messages()))
	}
	m := got[0]
	var id uuid.UUID
	if err := w.db.Gorm.Raw("SELECT id FROM notifications WHERE referral_id = ? AND user_id = ?", r.ID, w.staffU).Row().Scan(&id); err != nil {
		t.Fatal(err)
	}
	if len(m.To) != 1 || m.To[0] != "night@shelter.test" {
		t.Fatalf("to %v", m.To)
	}
	if m.Subject != "【紧急】有新的转介等待处理" {
		t.Fatalf("subject %q, want the urgent zh-Hans subject", m.Subject)
	}
	if !strings.Contains(m.Text, "https://harbour.test/notifications/"+id.String()) {
		t.Fatalf("no link to the alert in %q", m.Text)
	}
	for _, secret := range []string{"王小红", "2009-05-01", w.person.Reference, r.ID.String(), w.person.ID.String()} {
		if strings.Contains(string(m.Raw), secret) || strings.Contains(m.Text, secret) {
			t.Fatalf("the e-mail carries %q", secret)
		}
	}
	if n := w.count("notifications", "id = ? AND email = 'sent'", id); n != 1 {
		t.Fatal("the alert is not marked as mailed")
	}

	// She chooses English e-mails and no e-mail about new referrals: the next one is in the
	// app only.
	staff := referral.WithActor(context.Background(), referral.Actor{UserID: w.staffU, Roles: []referral.Role{referral.RoleShelterStaff}})
	if _, err := w.d.SaveNotificationSettings(staff, referral.NotificationSettings{Kinds: []referral.NotificationKind{referral.NoteHoldLapsing}, Email: true, Language: "en"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.d.SendReferral(w.officer, referral.ReferralInput{ID: uuid.Must(uuid.NewV7()), CaseID: w.person.ID, ServiceID: w.second.ID}); err != nil {
		t.Fatal(err)
	}
	if n := w.count("notifications", "user_id = ?", w.staffU); n != 1 {
		t.Fatalf("%d alerts for her, want still 1: she chose not to hear of new referrals", n)
	}
	h, _, err := w.d.CreateHold(w.officer, w.first.ID, referral.HoldInput{})
	if err != nil {
		t.Fatal(err)
	}
	w.now = h.ExpiresAt.Add(-10 * time.Minute)
	if _, err := w.d.AlertLapsingHolds(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := queues[0].Enqueue(context.Background(), jobs.DeliverMailArgs{}); err != nil {
		t.Fatal(err)
	}
	got = srv.Wait(t, 2, 20*time.Second)
	if got[1].Subject != "A bed hold is about to lapse" || !strings.Contains(got[1].Text, "lapses within 30 minutes") {
		t.Fatalf("e-mail %q: %q, want the English one she chose, with the warning's 30 minutes", got[1].Subject, got[1].Text)
	}
}

// TestEscalationConcurrent: eight sweeps at the very same moment, as eight instances would
// run them, expire twenty overdue referrals once each and alert once for each.
func TestEscalationConcurrent(t *testing.T) {
	w := newWorld(t)
	for range 20 { // twenty children, one open referral each (one at a time per person and service)
		c, _, err := w.d.CreateCase(w.officer, referral.CaseInput{Language: "cmn", Gender: "female", AppearsMinor: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.d.SendReferral(w.officer, referral.ReferralInput{ID: uuid.Must(uuid.NewV7()), CaseID: c.ID, ServiceID: w.first.ID, Urgent: true}); err != nil {
			t.Fatal(err)
		}
	}
	w.now = w.now.Add(time.Hour)
	start := make(chan struct{})
	counts := make(chan int, 8)
	for range 8 {
		d := w.domain()
		go func() {
			<-start
			n, err := d.ExpireReferrals(context.Background())
			if err != nil {
				t.Error(err)
			}
			counts <- n
		}()
	}
	close(start)
	total := 0
	for range 8 {
		total += <-counts
	}
	if total != 20 {
		t.Fatalf("the sweeps expired %d referrals between them, want 20", total)
	}
	if n := w.count("notifications", "kind = ?", referral.NoteReferralOverdue); n != 20 {
		t.Fatalf("%d alerts, want 20", n)
	}
	if n := w.count("referral_events", "action = 'expire'"); n != 20 {
		t.Fatalf("%d expire events, want 20", n)
	}
}
