package referral_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/harbour-nrm/harbour/referral"
)

// auditTrail creates an organisation with an admin and some audited history, partly written
// by concurrent transactions.
func auditTrail(t *testing.T) (*env, referral.User) {
	e := newEnv(t)
	platform := e.Org(t, "Platform", referral.KindOther)
	admin := e.User(t, platform, "admin@example.org", referral.RoleAdmin)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("Org %d", i)
			_, _, err := e.svc.CreateOrganisation(as(admin), referral.OrganisationInput{Name: &name, Kind: ptr(referral.KindNGO), Country: ptr("NL")})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return e, admin
}

func TestAuditChain(t *testing.T) {
	e, admin := auditTrail(t)
	v, err := e.svc.VerifyAudit(as(admin))
	if err != nil || !v.OK || v.Checked != 10 {
		t.Fatalf("verification = %+v, %v; want OK over 10 events", v, err)
	}
	events, err := e.svc.ListAudit(as(admin), referral.AuditFilter{Action: "organisation."})
	if err != nil || len(events) != 9 { // the platform and eight concurrent ones
		t.Fatalf("listed %d organisation events, %v", len(events), err)
	}
	for _, ev := range events {
		if ev.RecordID == "" || ev.At.IsZero() {
			t.Fatalf("event %+v lacks record or time", ev)
		}
	}
}

func TestAuditAppendOnly(t *testing.T) {
	e, _ := auditTrail(t)
	if err := e.db.Gorm.Exec(`UPDATE audit_events SET action = 'x' WHERE id = 1`).Error; err == nil {
		t.Fatal("an audit event was updated")
	}
	if err := e.db.Gorm.Exec(`DELETE FROM audit_events WHERE id = 1`).Error; err == nil {
		t.Fatal("an audit event was deleted")
	}
	if err := e.db.Gorm.Exec(`TRUNCATE audit_events`).Error; err == nil {
		t.Fatal("the audit trail was truncated")
	}
}

func TestAuditTamperDetected(t *testing.T) {
	for _, tc := range []struct {
		name, sql string
		problem   string
		at        int64
	}{
		{"ChangedField", `UPDATE audit_events SET record_id = 'someone-else' WHERE id = 4`, "hash", 4},
		{"ChangedDetail", `UPDATE audit_events SET detail = '{"roles":"admin"}' WHERE id = 2`, "hash", 2},
		{"DeletedEvent", `DELETE FROM audit_events WHERE id = 5`, "link", 6},
		{"DeletedNewest", `DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)`, "head", 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, admin := auditTrail(t)
			// Only someone with the database owner's powers can get past the trigger.
			for _, stmt := range []string{`ALTER TABLE audit_events DISABLE TRIGGER USER`, tc.sql, `ALTER TABLE audit_events ENABLE TRIGGER USER`} {
				if err := e.db.Gorm.Exec(stmt).Error; err != nil {
					t.Fatal(err)
				}
			}
			v, err := e.svc.VerifyAudit(as(admin))
			if err != nil {
				t.Fatal(err)
			}
			if v.OK || v.Problem != tc.problem || v.BrokenAt != tc.at {
				t.Fatalf("verification = %+v, want broken at %d (%s)", v, tc.at, tc.problem)
			}
		})
	}
}

func TestAuditAuthorization(t *testing.T) {
	e, _ := auditTrail(t)
	police := e.Org(t, "Police", referral.KindPolice)
	other := e.Org(t, "Other police", referral.KindPolice)
	orgAdmin := e.User(t, police, "orgadmin@police.example", referral.RoleOrgAdmin)
	officer := e.User(t, police, "officer@police.example", referral.RoleOfficer)
	e.User(t, other, "orgadmin@other.example", referral.RoleOrgAdmin)

	_, err := e.svc.ListAudit(as(officer), referral.AuditFilter{})
	code(t, err, referral.CodeForbidden)
	_, err = e.svc.VerifyAudit(as(orgAdmin))
	code(t, err, referral.CodeForbidden)
	_, err = e.svc.ListAudit(as(orgAdmin), referral.AuditFilter{OrganisationID: other.ID})
	code(t, err, referral.CodeForbidden)
	_, err = e.svc.ListAudit(as(officer), referral.AuditFilter{OrganisationID: police.ID})
	code(t, err, referral.CodeForbidden)
	_, err = e.svc.ListAudit(t.Context(), referral.AuditFilter{OrganisationID: police.ID})
	code(t, err, referral.CodeUnauthenticated)
	// An org admin sees their own organisation's events only.
	if _, err := e.svc.UpdateProfile(as(orgAdmin), referral.ProfileInput{Language: ptr("en")}); err != nil {
		t.Fatal(err)
	}
	events, err := e.svc.ListAudit(as(orgAdmin), referral.AuditFilter{})
	if err != nil || len(events) != 1 || *events[0].ActorOrganisationID != police.ID {
		t.Fatalf("org admin saw %d events: %v", len(events), err)
	}
}
