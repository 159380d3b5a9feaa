package referral_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
)

func TestCreateOrganisation(t *testing.T) {
	e := newEnv(t)
	t.Run("OK", func(t *testing.T) {
		o := e.Org(t, "Brussels Police", referral.KindPolice)
		if o.TimeZone != "Europe/Brussels" || !o.Active || o.Country != "BE" {
			t.Fatalf("organisation = %+v", o)
		}
		if n := countAudit(t, e, "organisation.create"); n != 1 {
			t.Fatalf("audit events = %d, want 1", n)
		}
	})
	t.Run("FullWidthCountryAndNamesInAnyScript", func(t *testing.T) {
		o, _, err := e.svc.CreateOrganisation(system, referral.OrganisationInput{
			Name: ptr("  港湾庇护所  "), Kind: ptr(referral.KindShelter), Country: ptr("ｂｅ")})
		if err != nil {
			t.Fatal(err)
		}
		if o.Country != "BE" || o.Name != "港湾庇护所" {
			t.Fatalf("organisation = %+v", o)
		}
	})
	t.Run("ErrInvalidFields", func(t *testing.T) {
		_, _, err := e.svc.CreateOrganisation(system, referral.OrganisationInput{
			Name: ptr("bad \xff name"), Kind: ptr(referral.OrganisationKind("bank")), Country: ptr("XX"), TimeZone: ptr("Mars/Base")})
		field(t, err, "name", "error.field.encoding")
		field(t, err, "kind", "error.organisation.kind")
		field(t, err, "country", "error.organisation.country")
		field(t, err, "time_zone", "error.organisation.time_zone")
	})
	t.Run("ErrNameRequired", func(t *testing.T) {
		_, _, err := e.svc.CreateOrganisation(system, referral.OrganisationInput{Name: ptr("   "), Kind: ptr(referral.KindNGO), Country: ptr("GB")})
		field(t, err, "name", "error.field.required")
	})
	t.Run("ErrNameTaken", func(t *testing.T) {
		_, _, err := e.svc.CreateOrganisation(system, referral.OrganisationInput{Name: ptr("BRUSSELS police"), Kind: ptr(referral.KindPolice), Country: ptr("BE")})
		field(t, err, "name", "error.organisation.name_taken")
	})
	t.Run("IdempotentRetry", func(t *testing.T) {
		in := referral.OrganisationInput{ID: uuid.Must(uuid.NewV7()), Name: ptr("Legal Aid Ghent"), Kind: ptr(referral.KindNGO), Country: ptr("BE")}
		first, created, err := e.svc.CreateOrganisation(system, in)
		if err != nil || !created {
			t.Fatalf("first create: %v %v", created, err)
		}
		again, created, err := e.svc.CreateOrganisation(system, in)
		if err != nil || created || again.ID != first.ID {
			t.Fatalf("retry: created=%v err=%v", created, err)
		}
		in.Name = ptr("Something else")
		_, _, err = e.svc.CreateOrganisation(system, in)
		code(t, err, referral.CodeConflict)
	})
}

func TestOrganisationAuthorization(t *testing.T) {
	e := newEnv(t)
	police := e.Org(t, "Police", referral.KindPolice)
	other := e.Org(t, "Shelter", referral.KindShelter)
	platform := e.Org(t, "Platform", referral.KindOther)
	officer := e.User(t, police, "officer@example.org", referral.RoleOfficer)
	orgAdmin := e.User(t, police, "orgadmin@example.org", referral.RoleOrgAdmin)
	admin := e.User(t, platform, "admin@example.org", referral.RoleAdmin)

	t.Run("OnlyAdminCreates", func(t *testing.T) {
		in := referral.OrganisationInput{Name: ptr("New"), Kind: ptr(referral.KindNGO), Country: ptr("BE")}
		_, _, err := e.svc.CreateOrganisation(as(officer), in)
		code(t, err, referral.CodeForbidden)
		_, _, err = e.svc.CreateOrganisation(as(orgAdmin), in)
		code(t, err, referral.CodeForbidden)
		if _, _, err := e.svc.CreateOrganisation(as(admin), in); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("MembersReadOwnOnly", func(t *testing.T) {
		if _, err := e.svc.Organisation(as(officer), police.ID); err != nil {
			t.Fatal(err)
		}
		_, err := e.svc.Organisation(as(officer), other.ID)
		code(t, err, referral.CodeNotFound)
		_, err = e.svc.ListOrganisations(as(orgAdmin))
		code(t, err, referral.CodeForbidden)
	})
	t.Run("OrgAdminCannotUpdateOwnOrganisation", func(t *testing.T) {
		_, err := e.svc.UpdateOrganisation(as(orgAdmin), police.ID, referral.OrganisationInput{Name: ptr("Renamed")})
		code(t, err, referral.CodeForbidden)
		_, err = e.svc.UpdateOrganisation(as(orgAdmin), other.ID, referral.OrganisationInput{Name: ptr("Renamed")})
		code(t, err, referral.CodeNotFound)
	})
	t.Run("KindChangeKeepsRolesValid", func(t *testing.T) {
		_, err := e.svc.UpdateOrganisation(as(admin), police.ID, referral.OrganisationInput{Kind: ptr(referral.KindShelter)})
		field(t, err, "kind", "error.organisation.kind_roles")
		o, err := e.svc.UpdateOrganisation(as(admin), police.ID, referral.OrganisationInput{TimeZone: ptr("Europe/London")})
		if err != nil || o.TimeZone != "Europe/London" {
			t.Fatalf("update: %+v %v", o, err)
		}
	})
	t.Run("Unauthenticated", func(t *testing.T) {
		_, err := e.svc.ListOrganisations(t.Context())
		code(t, err, referral.CodeUnauthenticated)
	})
}
