package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/harbour-nrm/harbour/jobs"
	"github.com/harbour-nrm/harbour/pgcluster/pgtest"
	"github.com/harbour-nrm/harbour/referral"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func ptr[T any](v T) *T { return &v }

// TestHoldExpiryOnTwoInstances runs two queues on one database, as two app instances would:
// every lapsed hold is recorded as expired exactly once, with one audit event.
func TestHoldExpiryOnTwoInstances(t *testing.T) {
	db := pgtest.Open(t)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := referral.DefaultConfig()
	cfg.Argon2 = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	now := time.Date(2026, 11, 20, 22, 0, 0, 0, time.UTC)
	domain := func() *referral.Domain {
		d := referral.NewDomain(db.Gorm, cfg, quiet)
		d.SetClock(func() time.Time { return now })
		return d
	}
	d := domain()
	sys := referral.WithActor(context.Background(), referral.SystemActor("test"))
	police, _, _ := d.CreateOrganisation(sys, referral.OrganisationInput{Name: ptr("Police"), Kind: ptr(referral.KindPolice), Country: ptr("BE")})
	shelter, _, _ := d.CreateOrganisation(sys, referral.OrganisationInput{Name: ptr("Shelter"), Kind: ptr(referral.KindShelter), Country: ptr("BE")})
	roles := []referral.Role{referral.RoleOfficer}
	officer, _, err := d.CreateUser(sys, referral.UserInput{OrganisationID: police.ID, Email: ptr("o@example.org"), Name: ptr("O"), Roles: &roles, Password: ptr("a long enough password")})
	if err != nil {
		t.Fatal(err)
	}
	cat := referral.CategoryShelter
	svc, _, err := d.CreateService(sys, referral.ServiceInput{OrganisationID: shelter.ID, Category: &cat, Name: ptr("S"), City: ptr("Brussels"),
		Country: ptr("BE"), HoldMinutes: ptr(15), Capacity: map[referral.Unit]int{referral.UnitBed: 5}})
	if err != nil {
		t.Fatal(err)
	}
	as := referral.WithActor(context.Background(), referral.Actor{UserID: officer.ID, OrganisationID: police.ID, Roles: roles})
	for range 3 {
		if _, _, err := d.CreateHold(as, svc.ID, referral.HoldInput{}); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(16 * time.Minute) // every hold has lapsed

	for range 2 {
		q, err := jobs.New(db.Pool, domain(), quiet, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = q.Stop(ctx)
		})
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		var open int64
		db.Gorm.Table("holds").Where("status = 'active'").Count(&open)
		if open == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d holds still active 20 s after the queues started", open)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // let a second, duplicate run finish if there were one
	var events, expired int64
	db.Gorm.Table("audit_events").Where("action = 'hold.expire'").Count(&events)
	db.Gorm.Table("holds").Where("status = 'expired'").Count(&expired)
	if events != 3 || expired != 3 {
		t.Fatalf("%d holds expired with %d audit events, want 3 and 3", expired, events)
	}
}
