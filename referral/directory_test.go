package referral_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
)

// directory is a test world: a police unit with an officer, and two shelters each with an org
// admin and staff.
type directory struct {
	*env
	police, shelterOrg, otherShelter                 referral.Organisation
	officer, orgAdmin, staff, otherAdmin, otherStaff referral.User
}

func newDirectory(t *testing.T) *directory {
	e := newEnv(t)
	d := &directory{env: e}
	d.police = e.org(t, "Police", referral.KindPolice)
	d.shelterOrg = e.org(t, "Maison Lotus", referral.KindShelter)
	d.otherShelter = e.org(t, "Huis Haven", referral.KindShelter)
	d.officer = e.user(t, d.police, "officer@police.example", referral.RoleOfficer)
	d.orgAdmin = e.user(t, d.shelterOrg, "admin@lotus.example", referral.RoleOrgAdmin)
	d.staff = e.user(t, d.shelterOrg, "staff@lotus.example", referral.RoleShelterStaff)
	d.otherAdmin = e.user(t, d.otherShelter, "admin@haven.example", referral.RoleOrgAdmin)
	d.otherStaff = e.user(t, d.otherShelter, "staff@haven.example", referral.RoleShelterStaff)
	return d
}

// shelterInput is a confidential Brussels shelter with the given beds, speaking Mandarin and Wu.
func shelterInput(org referral.Organisation, beds int) referral.ServiceInput {
	cat := referral.CategoryShelter
	lat, lon := 50.8467, 4.3525
	return referral.ServiceInput{OrganisationID: org.ID, Category: &cat, Name: ptr("Lotus women's shelter"),
		Languages: &[]string{"cmn", "wuu", "fr"}, Genders: &[]string{"female"}, AcceptsChildren: ptr(true),
		Address: ptr("Rue Secrète 1"), City: ptr("Brussels"), Country: ptr("BE"), Latitude: ptr(&lat), Longitude: ptr(&lon),
		Confidential: ptr(true), OpenAlways: ptr(true), Capacity: map[referral.Unit]int{referral.UnitBed: beds}}
}

func (d *directory) shelter(t *testing.T, beds int) referral.Service {
	t.Helper()
	s, _, err := d.svc.CreateService(as(d.orgAdmin), shelterInput(d.shelterOrg, beds))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestServices(t *testing.T) {
	d := newDirectory(t)
	t.Run("CreateAndRead", func(t *testing.T) {
		s := d.shelter(t, 3)
		if s.Capacity[referral.UnitBed] != 3 || s.HoldMinutes != 240 || !s.Accepting {
			t.Fatalf("service %+v", s)
		}
		own, err := d.svc.Service(as(d.staff), s.ID)
		if err != nil || own.Address != "Rue Secrète 1" || own.Latitude == nil {
			t.Fatalf("own staff read %+v %v", own, err)
		}
		other, err := d.svc.Service(as(d.officer), s.ID)
		if err != nil || other.Address != "" || other.Latitude != nil || !other.AddressHidden || other.City != "Brussels" {
			t.Fatalf("an officer saw the confidential address: %+v %v", other, err)
		}
	})
	t.Run("ErrOnlyOwningOrgAdminEdits", func(t *testing.T) {
		_, _, err := d.svc.CreateService(as(d.otherAdmin), shelterInput(d.shelterOrg, 1))
		code(t, err, referral.CodeForbidden)
		_, _, err = d.svc.CreateService(as(d.staff), shelterInput(d.shelterOrg, 1))
		code(t, err, referral.CodeForbidden)
		s := d.shelter(t, 2)
		_, err = d.svc.UpdateService(as(d.otherAdmin), s.ID, referral.ServiceInput{Name: ptr("Mine now")})
		code(t, err, referral.CodeForbidden)
		_, err = d.svc.UpdateService(as(d.officer), s.ID, referral.ServiceInput{Name: ptr("Mine now")})
		code(t, err, referral.CodeForbidden)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		in := shelterInput(d.shelterOrg, 2)
		cat := referral.Category("spa")
		in.Category = &cat
		in.Languages = &[]string{"cmn", "not a language!"}
		in.Genders = &[]string{"robot"}
		lat := 91.0
		in.Latitude = ptr(&lat)
		in.OpeningHours = &[]referral.OpeningHours{{Day: 8, Opens: "09:00", Closes: "17:00"}}
		_, _, err := d.svc.CreateService(as(d.orgAdmin), in)
		field(t, err, "category", "error.service.category")
		field(t, err, "languages", "error.service.language")
		field(t, err, "genders", "error.service.value")
		field(t, err, "latitude", "error.field.range")
		field(t, err, "opening_hours", "error.service.hours")
	})
	t.Run("ErrUnreadSavesNothing", func(t *testing.T) {
		// What the caller could not read is refused with the domain's own findings, and the
		// service is not created, so the corrected input creates it once.
		in := shelterInput(d.shelterOrg, 2)
		in.ID = uuid.Must(uuid.NewV7())
		in.Name = ptr(" ")
		in.Unread.Add("beds", "error.field.type", nil)
		_, _, err := d.svc.CreateService(as(d.orgAdmin), in)
		field(t, err, "beds", "error.field.type")
		field(t, err, "name", "error.field.required")
		if _, err := d.svc.Service(as(d.orgAdmin), in.ID); err != referral.ErrNotFound {
			t.Fatalf("refused service read back: %v", err)
		}
	})
	t.Run("LanguagesCanonical", func(t *testing.T) {
		in := shelterInput(d.shelterOrg, 1)
		in.Languages = &[]string{"zh-Hans", "WUU", "en-GB", "zh-HK", "cmn"}
		s, _, err := d.svc.CreateService(as(d.orgAdmin), in)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"cmn", "wuu", "en", "yue"}
		if len(s.Languages) != len(want) {
			t.Fatalf("languages %v, want %v", s.Languages, want)
		}
		for i := range want {
			if s.Languages[i] != want[i] {
				t.Fatalf("languages %v, want %v", s.Languages, want)
			}
		}
	})
	t.Run("ErrCapacityBelowUse", func(t *testing.T) {
		s := d.shelter(t, 2)
		if _, _, err := d.svc.CreateHold(as(d.officer), s.ID, referral.HoldInput{Places: 2}); err != nil {
			t.Fatal(err)
		}
		_, err := d.svc.UpdateService(as(d.orgAdmin), s.ID, referral.ServiceInput{Capacity: map[referral.Unit]int{referral.UnitBed: 1}})
		field(t, err, "capacity.bed", "error.service.capacity_in_use")
		if _, err := d.svc.UpdateService(as(d.orgAdmin), s.ID, referral.ServiceInput{Capacity: map[referral.Unit]int{referral.UnitBed: 5}}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("IdempotentCreate", func(t *testing.T) {
		in := shelterInput(d.shelterOrg, 1)
		in.ID = uuid.Must(uuid.NewV7())
		a, created, err := d.svc.CreateService(as(d.orgAdmin), in)
		if err != nil || !created {
			t.Fatal(err)
		}
		b, created, err := d.svc.CreateService(as(d.orgAdmin), in)
		if err != nil || created || b.ID != a.ID {
			t.Fatalf("retry: %v %v", created, err)
		}
	})
}
