package referral_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
)

var brussels = [2]float64{50.8467, 4.3525}

// service creates a service of the shelter organisation at coordinates, adjusted by mods.
func (d *directory) service(t *testing.T, name string, cat referral.Category, at [2]float64, city string, mods ...func(*referral.ServiceInput)) referral.Service {
	t.Helper()
	lat, lon := at[0], at[1]
	in := referral.ServiceInput{OrganisationID: d.ShelterOrg.ID, Category: &cat, Name: &name, City: &city, Country: ptr("BE"),
		Latitude: ptr(&lat), Longitude: ptr(&lon), Languages: &[]string{"cmn"}, OpenAlways: ptr(true)}
	if cat == referral.CategoryShelter {
		in.Capacity = map[referral.Unit]int{referral.UnitBed: 4}
		in.AcceptsChildren = ptr(true)
	}
	for _, m := range mods {
		m(&in)
	}
	s, _, err := d.svc.CreateService(as(d.OrgAdmin), in)
	if err != nil {
		t.Fatalf("service %s: %v", name, err)
	}
	return s
}

func her() referral.Need {
	lat, lon := brussels[0], brussels[1]
	return referral.Need{Categories: []referral.Category{referral.CategoryShelter, referral.CategoryLegal},
		Languages: []string{"wuu", "cmn"}, Gender: "female", Age: ptr(24), ExploitationTypes: []string{"sexual"},
		Latitude: &lat, Longitude: &lon, Tonight: true, AvoidCities: []string{"Antwerp"}, Limit: 20}
}

func names(res referral.MatchResult, c referral.Category) []string {
	var out []string
	for _, m := range res.Results[c] {
		out = append(out, m.Service.Name)
	}
	return out
}

func TestMatchHardRules(t *testing.T) {
	d := newDirectory(t)
	near := [2]float64{50.85, 4.36}
	antwerp := [2]float64{51.2194, 4.4025}
	if err := d.svc.AddPlaces(t.Context(), []referral.Place{{Name: "Antwerp", Country: "BE", Latitude: antwerp[0], Longitude: antwerp[1]}}); err != nil {
		t.Fatal(err)
	}
	shelter := referral.CategoryShelter
	for _, tc := range []struct {
		name string
		need func(*referral.Need)
		mods []func(*referral.ServiceInput)
		at   [2]float64
		city string
		cat  referral.Category
		in   bool
	}{
		{name: "Control", in: true},
		{name: "NotAccepting", mods: mods(func(in *referral.ServiceInput) { in.Accepting = ptr(false) })},
		{name: "Inactive", mods: mods(func(in *referral.ServiceInput) { in.Active = ptr(false) })},
		{name: "MenOnly", mods: mods(func(in *referral.ServiceInput) { in.Genders = &[]string{"male"} })},
		{name: "WomenOnly", mods: mods(func(in *referral.ServiceInput) { in.Genders = &[]string{"female"} }), in: true},
		{name: "TooYoung", mods: mods(func(in *referral.ServiceInput) { in.MinAge = ptr(ptr(30)) })},
		{name: "TooOld", mods: mods(func(in *referral.ServiceInput) { in.MaxAge = ptr(ptr(20)) })},
		{name: "NoChildren", need: func(n *referral.Need) { n.Children = 1 },
			mods: mods(func(in *referral.ServiceInput) { in.AcceptsChildren = ptr(false) })},
		{name: "LegalIgnoresChildrenRule", need: func(n *referral.Need) { n.Children = 1 }, cat: referral.CategoryLegal,
			mods: mods(func(in *referral.ServiceInput) { in.AcceptsChildren = ptr(false) }), in: true},
		{name: "AdultsOnlyForMinor", need: func(n *referral.Need) { n.Age, n.AppearsMinor = nil, true },
			mods: mods(func(in *referral.ServiceInput) { in.AcceptsMinors = ptr(true); in.MinAge = ptr(ptr(18)) })},
		{name: "NoMinors", need: func(n *referral.Need) { n.Age = ptr(16) }},
		{name: "Minors", need: func(n *referral.Need) { n.Age = ptr(16) },
			mods: mods(func(in *referral.ServiceInput) { in.AcceptsMinors = ptr(true) }), in: true},
		{name: "OtherExploitation", mods: mods(func(in *referral.ServiceInput) { in.ExploitationTypes = &[]string{"labour"} })},
		{name: "SameExploitation", mods: mods(func(in *referral.ServiceInput) { in.ExploitationTypes = &[]string{"labour", "sexual"} }), in: true},
		{name: "NearAvoidedCity", at: [2]float64{51.17, 4.45}, city: "Mortsel"},
		{name: "InAvoidedCity", at: antwerp, city: "antwerp"},
		{name: "TooFar", at: [2]float64{40.4168, -3.7038}, city: "Madrid"},
		{name: "NoBedTonight", mods: mods(func(in *referral.ServiceInput) { in.Capacity = map[referral.Unit]int{referral.UnitBed: 0} })},
		{name: "NoBedButNotTonight", need: func(n *referral.Need) { n.Tonight = false },
			mods: mods(func(in *referral.ServiceInput) { in.Capacity = map[referral.Unit]int{referral.UnitBed: 0} }), in: true},
		{name: "NotEnoughBedsForFamily", need: func(n *referral.Need) { n.Children = 2 },
			mods: mods(func(in *referral.ServiceInput) { in.Capacity = map[referral.Unit]int{referral.UnitBed: 2} })},
		{name: "FamilyRoom", need: func(n *referral.Need) { n.Children = 2 },
			mods: mods(func(in *referral.ServiceInput) {
				in.Capacity = map[referral.Unit]int{referral.UnitBed: 1, referral.UnitFamilyRoom: 1}
			}), in: true},
		{name: "CategoryNotAsked", cat: referral.CategoryMedical},
	} {
		t.Run(tc.name, func(t *testing.T) {
			at, city, cat := tc.at, tc.city, tc.cat
			if city == "" {
				at, city = near, "Brussels"
			}
			if cat == "" {
				cat = shelter
			}
			d.service(t, tc.name, cat, at, city, tc.mods...)
			n := her()
			if tc.need != nil {
				tc.need(&n)
			}
			res, err := d.svc.Match(as(d.Officer), n)
			if err != nil {
				t.Fatal(err)
			}
			got := slices.Contains(names(res, cat), tc.name)
			if got != tc.in {
				t.Fatalf("%s in results = %v, want %v (results %v)", tc.name, got, tc.in, names(res, cat))
			}
		})
	}
}

func mods(f ...func(*referral.ServiceInput)) []func(*referral.ServiceInput) { return f }

func TestMatchOrder(t *testing.T) {
	d := newDirectory(t)
	shelter := referral.CategoryShelter
	langs := func(l ...string) func(*referral.ServiceInput) {
		return func(in *referral.ServiceInput) { in.Languages = &l }
	}
	d.service(t, "Mandarin nearby", shelter, [2]float64{50.85, 4.36}, "Brussels", langs("cmn"))
	d.service(t, "Wu far", shelter, [2]float64{50.45, 3.95}, "Mons", langs("wuu"))
	d.service(t, "Wu nearby", shelter, [2]float64{50.86, 4.35}, "Brussels", langs("fr", "wuu"))
	d.service(t, "Interpreter nearby", shelter, [2]float64{50.85, 4.35}, "Brussels", langs("fr"),
		func(in *referral.ServiceInput) { in.Interpreter = ptr(true) })
	d.service(t, "French nearby", shelter, [2]float64{50.85, 4.35}, "Brussels", langs("fr"))
	res, err := d.svc.Match(as(d.Officer), her())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Wu nearby", "Wu far", "Mandarin nearby", "Interpreter nearby", "French nearby"}
	if got := names(res, shelter); !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	top := res.Results[shelter][0]
	ids := map[string]map[string]any{}
	for _, r := range top.Reasons {
		ids[r.ID] = r.Data
	}
	if ids["match.reason.language"]["Language"] != "wuu" || ids["match.reason.beds"]["Count"] != 4 ||
		ids["match.reason.distance"] == nil || !has(ids, "match.reason.open_always") {
		t.Fatalf("reasons %+v", top.Reasons)
	}
	if top.Score <= res.Results[shelter][1].Score || top.DistanceKm == nil || *top.DistanceKm > 2 {
		t.Fatalf("top %+v", top)
	}
}

func TestMatchRefusalsAndInput(t *testing.T) {
	d := newDirectory(t)
	_, err := d.svc.Match(as(d.Staff), her())
	code(t, err, referral.CodeForbidden)
	_, err = d.svc.Match(t.Context(), her())
	code(t, err, referral.CodeUnauthenticated)
	n := her()
	n.Gender, n.Children, n.Languages = "robot", 99, []string{"??"}
	_, err = d.svc.Match(as(d.Officer), n)
	field(t, err, "gender", "error.service.value")
	field(t, err, "children", "error.field.range")
	field(t, err, "languages", "error.service.language")
}

func TestMatchByCityName(t *testing.T) {
	d := newDirectory(t)
	d.service(t, "Lotus", referral.CategoryShelter, brussels, "Brussels")
	n := her()
	n.Latitude, n.Longitude, n.City = nil, nil, "brussels"
	res, err := d.svc.Match(as(d.Officer), n)
	if err != nil {
		t.Fatal(err)
	}
	if res.From == nil || res.From.Name != "Brussels" || len(res.Results[referral.CategoryShelter]) != 1 {
		t.Fatalf("from %+v, results %v", res.From, names(res, referral.CategoryShelter))
	}
}

func has(m map[string]map[string]any, k string) bool {
	_, ok := m[k]
	return ok
}

// TestVocabularyBitsMatchSchema keeps the generated gender_bits and exploitation_bits columns
// (their vocabularies are written in the migration) in the order of referral.Genders and
// referral.ExploitationTypes, which matching uses to set her bits.
func TestVocabularyBitsMatchSchema(t *testing.T) {
	d := newDirectory(t)
	for i, g := range referral.Genders {
		for j, x := range referral.ExploitationTypes {
			if i > 0 && j > 0 {
				continue
			}
			s := d.service(t, g+"-"+x, referral.CategoryLegal, brussels, "Brussels", func(in *referral.ServiceInput) {
				in.Genders, in.ExploitationTypes = &[]string{g}, &[]string{x}
			})
			var genderBits, exploitationBits int
			if err := d.db.SQL.QueryRow(`SELECT gender_bits, exploitation_bits FROM services WHERE id = $1`, s.ID).Scan(&genderBits, &exploitationBits); err != nil {
				t.Fatal(err)
			}
			if genderBits != 1<<i || exploitationBits != 1<<j {
				t.Fatalf("%s/%s: bits %b/%b, want %b/%b", g, x, genderBits, exploitationBits, 1<<i, 1<<j)
			}
		}
	}
}

func TestMatchBedsOnlyForShelters(t *testing.T) {
	d := newDirectory(t)
	d.service(t, "Shelter", referral.CategoryShelter, brussels, "Brussels")
	d.service(t, "Lawyers", referral.CategoryLegal, brussels, "Brussels")
	res, err := d.svc.Match(as(d.Officer), her())
	if err != nil {
		t.Fatal(err)
	}
	if m := res.Results[referral.CategoryLegal]; len(m) != 1 || m[0].FreeBeds != nil {
		t.Fatalf("legal results %+v speak of beds", m)
	}
	for _, r := range res.Results[referral.CategoryLegal][0].Reasons {
		if r.ID == "match.reason.beds" {
			t.Fatal("a lawyer's reasons mention free beds")
		}
	}
	if m := res.Results[referral.CategoryShelter]; len(m) != 1 || m[0].FreeBeds == nil || *m[0].FreeBeds != 4 {
		t.Fatalf("shelter results %+v", m)
	}
}

func TestMatchWidensWhenNothingNear(t *testing.T) {
	d := newDirectory(t)
	// The only lawyers are 190 km away: beyond the first search (50 km) and the next ring, within the third.
	d.service(t, "Lawyers far away", referral.CategoryLegal, [2]float64{49.6116, 6.1319}, "Luxembourg")
	res, err := d.svc.Match(as(d.Officer), her())
	if err != nil {
		t.Fatal(err)
	}
	if got := names(res, referral.CategoryLegal); len(got) != 1 {
		t.Fatalf("legal results %v: the search did not widen", got)
	}
}

// TestMatchServiceCard keeps each result's card true to the service as reading it returns it,
// without any address or coordinates (even where the reader may see them), with the shelter's
// free beds, and opening hours read in the organisation's time zone.
func TestMatchServiceCard(t *testing.T) {
	d := newDirectory(t)
	hidden := d.shelter(t, 3)
	seen, _, err := d.svc.CreateService(as(d.OtherAdmin), shelterInput(d.OtherShelter, 2))
	if err != nil {
		t.Fatal(err)
	}
	h, _, err := d.svc.CreateHold(as(d.Officer), seen.ID, referral.HoldInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.svc.ConfirmHold(as(d.OtherStaff), h.ID); err != nil {
		t.Fatal(err)
	}
	// 09:00 UTC on a Friday is 10:00 in Brussels: open from 09:30 there, not yet in UTC.
	hours := []referral.OpeningHours{{Day: 5, Opens: "09:30", Closes: "17:00"}}
	lawyers := d.service(t, "Lawyers", referral.CategoryLegal, brussels, "Brussels", func(in *referral.ServiceInput) {
		in.OpenAlways, in.OpeningHours = ptr(false), &hours
		in.NameI18n = map[string]string{"zh-Hans": "律师"}
		in.Phone, in.Email, in.Region = ptr("+32 2 555 01 01"), ptr("law@example.org"), ptr("Brussels-Capital")
	})
	res, err := d.svc.Match(as(d.Officer), her())
	if err != nil {
		t.Fatal(err)
	}
	got := map[uuid.UUID]referral.Match{}
	for _, ms := range res.Results {
		for _, m := range ms {
			got[m.Service.ID] = m
		}
	}
	for _, id := range []uuid.UUID{hidden.ID, seen.ID, lawyers.ID} {
		m, ok := got[id]
		if !ok {
			t.Fatalf("%s not matched", id)
		}
		s, err := d.svc.Service(as(d.Officer), id)
		if err != nil {
			t.Fatal(err)
		}
		org := map[uuid.UUID]string{d.ShelterOrg.ID: d.ShelterOrg.Name, d.OtherShelter.ID: d.OtherShelter.Name}[s.OrganisationID]
		want := referral.ServiceCard{ID: s.ID, OrganisationID: s.OrganisationID, OrganisationName: org, Category: s.Category,
			Name: s.Name, NameI18n: s.NameI18n, Languages: s.Languages, Interpreter: s.Interpreter, City: s.City, Region: s.Region,
			Country: s.Country, Confidential: s.Confidential, OpenAlways: s.OpenAlways, OpeningHours: s.OpeningHours,
			ResponseMinutes: s.ResponseMinutes, HoldMinutes: s.HoldMinutes, Phone: s.Phone, Email: s.Email}
		a, _ := json.Marshal(m.Service)
		b, _ := json.Marshal(want)
		if string(a) != string(b) {
			t.Fatalf("card\n%s\nwant, from the service as read\n%s", a, b)
		}
		for _, secret := range []string{s.Address, s.PostalCode, `"latitude"`, `"address"`} {
			if secret != "" && strings.Contains(string(a), secret) {
				t.Fatalf("card %s shows %q", a, secret)
			}
		}
	}
	if b := got[seen.ID].FreeBeds; b == nil || *b != 1 {
		t.Fatalf("free beds %v, want 1 (2 beds, 1 held)", b)
	}
	last := got[lawyers.ID].Reasons[len(got[lawyers.ID].Reasons)-1]
	if last.ID != "match.reason.open_now" || last.Data["Time"] != "17:00" {
		t.Fatalf("opening reason %+v, want open now until 17:00 Brussels time", last)
	}
}
