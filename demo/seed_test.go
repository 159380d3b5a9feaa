package demo_test

import (
	"slices"
	"testing"

	"github.com/harbour-nrm/harbour/demo"
	"github.com/harbour-nrm/harbour/referral"
)

// seedSmall seeds a small directory: every real city is there, and as many invented towns.
var seedSmall = demo.SeedOptions{Services: 4000, Cities: 700, Seed: 7}

func seedChecksum(t *testing.T, e *env) string {
	t.Helper()
	var sum string
	err := e.db.Gorm.Raw(`SELECT md5(string_agg(concat_ws('|', s.id, o.name, s.name, s.city, s.country, s.category,
		s.languages, s.genders, s.latitude, s.longitude, s.min_age, s.max_age, s.exploitation_types), ',' ORDER BY s.id))
		FROM services s JOIN organisations o ON o.id = s.organisation_id`).Scan(&sum).Error
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func TestSeedDirectory(t *testing.T) {
	e := newEnv(t)
	police := e.Org(t, "Test Police Brussels", referral.KindPolice)
	officer := e.User(t, police, "officer@seed.test", referral.RoleOfficer)

	st, err := demo.Seed(system, e.svc, seedSmall)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded %+v", st)
	if st.Services != seedSmall.Services || st.Cities != seedSmall.Cities || st.PlacesAdded != seedSmall.Cities {
		t.Fatalf("stats %+v", st)
	}
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := e.db.Gorm.Raw(q, args...).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM services`); n != st.Services {
		t.Errorf("%d services, stats say %d", n, st.Services)
	}
	if n := count(`SELECT count(*) FROM organisations`); n != st.Organisations+1 {
		t.Errorf("%d organisations, stats say %d (+1 police)", n, st.Organisations)
	}
	if n := count(`SELECT count(*) FROM places`); n != st.Cities {
		t.Errorf("%d places, stats say %d", n, st.Cities)
	}
	if n := count(`SELECT count(*) FROM placements`); n != st.Placements || n == 0 {
		t.Errorf("%d placements, stats say %d", n, st.Placements)
	}
	if ratio := float64(st.Services) / float64(st.Organisations); ratio < 2.5 || ratio > 8 {
		t.Errorf("%.1f services per organisation", ratio)
	}
	if n := count(`SELECT count(DISTINCT country) FROM services`); n != 28 {
		t.Errorf("services in %d countries, want the EU-27 and the UK", n)
	}
	if n := count(`SELECT count(*) FROM organisations o WHERE kind = 'police'`); n == 0 {
		t.Error("no police units")
	}
	if n := count(`SELECT count(*) FROM services WHERE point IS NULL`); n != 0 {
		t.Errorf("%d services without a point", n)
	}
	var cats []string
	e.db.Gorm.Raw(`SELECT DISTINCT category FROM services ORDER BY 1`).Scan(&cats)
	for _, c := range []referral.Category{referral.CategoryShelter, referral.CategoryLegal, referral.CategoryMedical,
		referral.CategoryCounselling, referral.CategoryInterpretation, referral.CategoryReturn} {
		if !slices.Contains(cats, string(c)) {
			t.Errorf("no %s services (have %v)", c, cats)
		}
	}
	shelters := count(`SELECT count(*) FROM services WHERE category = 'shelter'`)
	if pct := 100 * count(`SELECT count(*) FROM services WHERE category = 'shelter' AND confidential`) / shelters; pct < 60 || pct > 80 {
		t.Errorf("%d%% of shelters confidential", pct)
	}
	if pct := 100 * count(`SELECT count(*) FROM services WHERE interpreter`) / st.Services; pct < 30 || pct > 50 {
		t.Errorf("%d%% with interpreters", pct)
	}
	if n := count(`SELECT count(*) FROM services WHERE confidential AND category <> 'shelter'`); n != 0 {
		t.Errorf("%d confidential services that are not shelters", n)
	}
	full := count(`SELECT count(*) FROM service_capacity c WHERE unit = 'bed' AND total > 0 AND total =
		(SELECT sum(places) FROM placements p WHERE p.service_id = c.service_id AND p.unit = 'bed' AND status = 'present')`)
	if full == 0 || full > shelters/4 {
		t.Errorf("%d of %d shelters full", full, shelters)
	}
	if n := count(`SELECT count(*) FROM service_capacity c WHERE total <
		(SELECT coalesce(sum(places), 0) FROM placements p WHERE p.service_id = c.service_id AND p.unit = c.unit)`); n != 0 {
		t.Errorf("%d shelters over capacity", n)
	}
	// Mandarin-speaking shelters near Brussels, as after a raid there, and Wenzhounese spoken
	// in the region.
	near := `SELECT count(*) FROM services WHERE category IN ? AND jsonb_exists(languages, ?)
		AND earth_distance(ll_to_earth(50.8503, 4.3517), point) < ?`
	if n := count(near, []string{"shelter"}, "cmn", 60000); n == 0 {
		t.Error("no Mandarin-speaking shelter within 60 km of Brussels")
	}
	if n := count(near, []string{"shelter", "legal", "medical", "counselling", "interpretation"}, "wuu", 100000); n == 0 {
		t.Error("no Wenzhounese spoken within 100 km of Brussels")
	}
	if n := count(`SELECT count(*) FROM audit_events WHERE action = 'directory.seed' AND record_type = 'directory'
		AND detail->>'services' = '4000'`); n != 1 {
		t.Errorf("%d seed audit events", n)
	}

	// Every seeded service passes the rules a person editing it must follow.
	var sample []referral.Service
	if err := e.db.Gorm.Order("id").Limit(60).Find(&sample).Error; err != nil {
		t.Fatal(err)
	}
	for _, s := range sample {
		in := referral.ServiceInput{Category: &s.Category, Name: &s.Name, NameI18n: s.NameI18n, Description: &s.Description,
			Languages: &s.Languages, Interpreter: &s.Interpreter, Genders: &s.Genders, MinAge: &s.MinAge, MaxAge: &s.MaxAge,
			AcceptsMinors: &s.AcceptsMinors, AcceptsChildren: &s.AcceptsChildren, ExploitationTypes: &s.ExploitationTypes,
			Conditions: &s.Conditions, Address: &s.Address, PostalCode: &s.PostalCode, City: &s.City, Region: &s.Region,
			Country: &s.Country, Latitude: &s.Latitude, Longitude: &s.Longitude, Confidential: &s.Confidential,
			OpenAlways: &s.OpenAlways, OpeningHours: &s.OpeningHours, Accepting: &s.Accepting,
			ResponseMinutes: &s.ResponseMinutes, HoldMinutes: &s.HoldMinutes, Phone: &s.Phone, Email: &s.Email, Active: &s.Active}
		if _, err := e.svc.UpdateService(system, s.ID, in); err != nil {
			t.Fatalf("seeded service %s (%s) breaks the rules: %v", s.ID, s.Name, err)
		}
	}

	// A Wenzhounese-speaking woman found in Brussels gets help nearby, in her language first.
	res, err := e.svc.Match(as(officer), referral.Need{Categories: []referral.Category{referral.CategoryShelter,
		referral.CategoryLegal, referral.CategoryMedical}, Languages: []string{"wuu", "cmn"}, Gender: "female",
		Age: ptr(24), City: "Brussels", Tonight: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.From == nil || res.From.Name != "Brussels" {
		t.Fatalf("measured from %+v", res.From)
	}
	for _, c := range []referral.Category{referral.CategoryShelter, referral.CategoryLegal, referral.CategoryMedical} {
		if len(res.Results[c]) == 0 {
			t.Fatalf("no %s for her", c)
		}
	}
	top := res.Results[referral.CategoryShelter][0]
	if !slices.Contains(top.Service.Languages, "wuu") && !slices.Contains(top.Service.Languages, "cmn") {
		t.Errorf("top shelter %q speaks %v", top.Service.Name, top.Service.Languages)
	}
	if top.DistanceKm == nil || *top.DistanceKm > 400 {
		t.Errorf("top shelter %q is not within 400 km: %+v", top.Service.Name, top)
	}

	// The same seed twice is refused; another seed adds a second directory beside the first.
	_, err = demo.Seed(system, e.svc, seedSmall)
	code(t, err, referral.CodeConflict)
	other := seedSmall
	other.Seed, other.Services, other.Cities = 8, 300, 400
	st2, err := demo.Seed(system, e.svc, other)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT count(*) FROM services`); n != st.Services+st2.Services {
		t.Errorf("%d services after two seeds", n)
	}
}

func TestSeedDeterministic(t *testing.T) {
	opts := demo.SeedOptions{Services: 500, Cities: 400, Seed: 42}
	var sums []string
	for range 2 {
		e := newEnv(t)
		if _, err := demo.Seed(system, e.svc, opts); err != nil {
			t.Fatal(err)
		}
		sums = append(sums, seedChecksum(t, e))
	}
	if sums[0] != sums[1] {
		t.Fatalf("the same seed gave two directories: %s, %s", sums[0], sums[1])
	}
	e := newEnv(t)
	opts.Seed = 43
	if _, err := demo.Seed(system, e.svc, opts); err != nil {
		t.Fatal(err)
	}
	if seedChecksum(t, e) == sums[0] {
		t.Fatal("another seed gave the same directory")
	}
}

func TestSeedRefusals(t *testing.T) {
	e := newEnv(t)
	org := e.Org(t, "Platform Administration", referral.KindOther)
	admin := e.User(t, org, "admin@seed.test", referral.RoleAdmin)
	_, err := demo.Seed(as(admin), e.svc, seedSmall)
	code(t, err, referral.CodeForbidden)
	_, err = demo.Seed(t.Context(), e.svc, seedSmall)
	code(t, err, referral.CodeUnauthenticated)
	_, err = demo.Seed(system, e.svc, demo.SeedOptions{Services: -1, Cities: 2_000_000})
	field(t, err, "services", "error.field.range")
	field(t, err, "cities", "error.field.range")
	var n int64
	e.db.Gorm.Table("services").Count(&n)
	if n != 0 {
		t.Fatalf("%d services after refusals", n)
	}
}
