package referral_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/referral/referraltest"
)

// directory is a test world: a police unit with an officer, and two shelters each with an org
// admin and staff (referraltest.Directory).
type directory struct {
	*env
	referraltest.Directory
}

func newDirectory(t *testing.T) *directory {
	e := newEnv(t)
	return &directory{env: e, Directory: e.MakeDirectory(t)}
}

var shelterInput = referraltest.ShelterInput

func (d *directory) shelter(t *testing.T, beds int) referral.Service {
	t.Helper()
	s, _, err := d.svc.CreateService(as(d.OrgAdmin), shelterInput(d.ShelterOrg, beds))
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
		own, err := d.svc.Service(as(d.Staff), s.ID)
		if err != nil || own.Address != "Rue Secrète 1" || own.Latitude == nil {
			t.Fatalf("own staff read %+v %v", own, err)
		}
		other, err := d.svc.Service(as(d.Officer), s.ID)
		if err != nil || other.Address != "" || other.Latitude != nil || !other.AddressHidden || other.City != "Brussels" {
			t.Fatalf("an officer saw the confidential address: %+v %v", other, err)
		}
	})
	t.Run("ErrOnlyOwningOrgAdminEdits", func(t *testing.T) {
		_, _, err := d.svc.CreateService(as(d.OtherAdmin), shelterInput(d.ShelterOrg, 1))
		code(t, err, referral.CodeForbidden)
		_, _, err = d.svc.CreateService(as(d.Staff), shelterInput(d.ShelterOrg, 1))
		code(t, err, referral.CodeForbidden)
		s := d.shelter(t, 2)
		_, err = d.svc.UpdateService(as(d.OtherAdmin), s.ID, referral.ServiceInput{Name: ptr("Mine now")})
		code(t, err, referral.CodeForbidden)
		_, err = d.svc.UpdateService(as(d.Officer), s.ID, referral.ServiceInput{Name: ptr("Mine now")})
		code(t, err, referral.CodeForbidden)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		in := shelterInput(d.ShelterOrg, 2)
		cat := referral.Category("spa")
		in.Category = &cat
		in.Languages = &[]string{"cmn", "not a language!"}
		in.Genders = &[]string{"robot"}
		lat := 91.0
		in.Latitude = ptr(&lat)
		in.OpeningHours = &[]referral.OpeningHours{{Day: 8, Opens: "09:00", Closes: "17:00"}}
		_, _, err := d.svc.CreateService(as(d.OrgAdmin), in)
		field(t, err, "category", "error.service.category")
		field(t, err, "languages", "error.service.language")
		field(t, err, "genders", "error.service.value")
		field(t, err, "latitude", "error.field.range")
		field(t, err, "opening_hours", "error.service.hours")
	})
	t.Run("ErrUnreadSavesNothing", func(t *testing.T) {
		// What the caller could not read is refused with the domain's own findings, and the
		// service is not created, so the corrected input creates it once.
		in := shelterInput(d.ShelterOrg, 2)
		in.ID = uuid.Must(uuid.NewV7())
		in.Name = ptr(" ")
		in.Unread.Add("beds", "error.field.type", nil)
		_, _, err := d.svc.CreateService(as(d.OrgAdmin), in)
		field(t, err, "beds", "error.field.type")
		field(t, err, "name", "error.field.required")
		if _, err := d.svc.Service(as(d.OrgAdmin), in.ID); err != referral.ErrNotFound {
			t.Fatalf("refused service read back: %v", err)
		}
	})
	t.Run("LanguagesCanonical", func(t *testing.T) {
		in := shelterInput(d.ShelterOrg, 1)
		in.Languages = &[]string{"zh-Hans", "WUU", "en-GB", "zh-HK", "cmn"}
		s, _, err := d.svc.CreateService(as(d.OrgAdmin), in)
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
		if _, _, err := d.svc.CreateHold(as(d.Officer), s.ID, referral.HoldInput{Places: 2}); err != nil {
			t.Fatal(err)
		}
		_, err := d.svc.UpdateService(as(d.OrgAdmin), s.ID, referral.ServiceInput{Capacity: map[referral.Unit]int{referral.UnitBed: 1}})
		field(t, err, "capacity.bed", "error.service.capacity_in_use")
		if _, err := d.svc.UpdateService(as(d.OrgAdmin), s.ID, referral.ServiceInput{Capacity: map[referral.Unit]int{referral.UnitBed: 5}}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("IdempotentCreate", func(t *testing.T) {
		in := shelterInput(d.ShelterOrg, 1)
		in.ID = uuid.Must(uuid.NewV7())
		a, created, err := d.svc.CreateService(as(d.OrgAdmin), in)
		if err != nil || !created {
			t.Fatal(err)
		}
		b, created, err := d.svc.CreateService(as(d.OrgAdmin), in)
		if err != nil || created || b.ID != a.ID {
			t.Fatalf("retry: %v %v", created, err)
		}
	})
}
