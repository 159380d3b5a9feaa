package demo_test

import (
	"testing"

	"github.com/harbour-nrm/harbour/demo"
	"github.com/harbour-nrm/harbour/referral"
)

func TestLoadDemoIdempotent(t *testing.T) {
	e := newEnv(t)
	empty, err := e.svc.IsEmpty(t.Context())
	if err != nil || !empty {
		t.Fatalf("fresh database empty=%v %v", empty, err)
	}
	first, err := demo.Load(t.Context(), e.svc)
	if err != nil {
		t.Fatal(err)
	}
	// One per role, and for each jurisdiction's NRM who starts it and who decides.
	roles, emails := map[referral.Role]bool{}, map[string]bool{}
	for _, s := range first {
		roles[s.Role], emails[s.Email] = true, true
	}
	for _, email := range []string{"officer.uk", "decision.uk", "centre", "decision", "officer.nl", "inspector.nl", "decision.nl",
		"officer.de", "centre.de", "decision.de", "officer.es", "decision.es"} {
		if !emails[email+"@demo.harbour.test"] {
			t.Errorf("no demo sign-in %s@demo.harbour.test", email)
		}
	}
	if len(roles) != len(referral.Roles) {
		t.Fatalf("demo sign-ins cover %d roles, want %d", len(roles), len(referral.Roles))
	}
	counts := func() (orgs, users int64) {
		e.db.Gorm.Table("organisations").Count(&orgs)
		e.db.Gorm.Table("users").Count(&users)
		return
	}
	o1, u1 := counts()
	if _, err := demo.Load(t.Context(), e.svc); err != nil {
		t.Fatalf("second load: %v", err)
	}
	if o2, u2 := counts(); o2 != o1 || u2 != u1 {
		t.Fatalf("second load changed counts: %d/%d → %d/%d", o1, u1, o2, u2)
	}
	if _, err := e.svc.SignIn(t.Context(), "shelter@demo.harbour.test", demo.Password); err != nil {
		t.Fatalf("demo sign-in: %v", err)
	}
	id, _ := e.svc.UserByEmail(system, "shelter@demo.harbour.test")
	o, _ := e.svc.Organisation(system, id.OrganisationID)
	if o.Kind != referral.KindShelter || o.TimeZone != "Europe/Brussels" {
		t.Fatalf("demo shelter user belongs to %+v", o)
	}
}
