package demo

import (
	"context"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
)

// places lets a search by city name ("Brussels") measure distances.
var places = []referral.Place{
	{Name: "Brussels", Country: "BE", Latitude: 50.8467, Longitude: 4.3525},
	{Name: "Bruxelles", Country: "BE", Latitude: 50.8467, Longitude: 4.3525},
	{Name: "Brussel", Country: "BE", Latitude: 50.8467, Longitude: 4.3525},
	{Name: "Antwerp", Country: "BE", Latitude: 51.2194, Longitude: 4.4025},
	{Name: "Antwerpen", Country: "BE", Latitude: 51.2194, Longitude: 4.4025},
	{Name: "Ghent", Country: "BE", Latitude: 51.0543, Longitude: 3.7174},
	{Name: "Leuven", Country: "BE", Latitude: 50.8798, Longitude: 4.7005},
	{Name: "Liège", Country: "BE", Latitude: 50.6326, Longitude: 5.5797},
	{Name: "Charleroi", Country: "BE", Latitude: 50.4108, Longitude: 4.4446},
	{Name: "Namur", Country: "BE", Latitude: 50.4674, Longitude: 4.8720},
	{Name: "Mons", Country: "BE", Latitude: 50.4542, Longitude: 3.9567},
	{Name: "Rotterdam", Country: "NL", Latitude: 51.9244, Longitude: 4.4777},
	{Name: "Amsterdam", Country: "NL", Latitude: 52.3676, Longitude: 4.9041},
	{Name: "Berlin", Country: "DE", Latitude: 52.5200, Longitude: 13.4050},
	{Name: "Barcelona", Country: "ES", Latitude: 41.3874, Longitude: 2.1686},
	{Name: "Alicante", Country: "ES", Latitude: 38.3452, Longitude: -0.4810},
	{Name: "London", Country: "GB", Latitude: 51.5072, Longitude: -0.1276},
}

// service is one demo service: the organisation it belongs to and what it offers.
type service struct {
	id, org string
	in      referral.ServiceInput
}

func services() []service {
	cat := func(c referral.Category) *referral.Category { return &c }
	str := func(s string) *string { return &s }
	strs := func(s ...string) *[]string { return &s }
	yes := func() *bool { b := true; return &b }
	at := func(v float64) **float64 { p := &v; return &p }
	minutes := func(n int) **int { p := &n; return &p }
	weekdays := func(opens, closes string) *[]referral.OpeningHours {
		h := make([]referral.OpeningHours, 0, 5)
		for d := 1; d <= 5; d++ {
			h = append(h, referral.OpeningHours{Day: d, Opens: opens, Closes: closes})
		}
		return &h
	}
	lotus, haven, legal, medical, counselling := "019a0000-0000-7000-8000-000000000002", "019a0000-0000-7000-8000-000000000003",
		"019a0000-0000-7000-8000-000000000004", "019a0000-0000-7000-8000-000000000005", "019a0000-0000-7000-8000-000000000006"
	passerelle, berlinCentre := "019a0000-0000-7000-8000-00000000000b", "019a0000-0000-7000-8000-000000000010"
	return []service{
		{"019a0000-0000-7000-8000-000000000201", lotus, referral.ServiceInput{Category: cat(referral.CategoryShelter),
			Name: str("Maison Lotus"), NameI18n: map[string]string{"zh-Hans": "莲花之家庇护所", "en": "Lotus House shelter"},
			Description: str("Shelter for women and their children; staff speak Mandarin and Wenzhounese."),
			Languages:   strs("cmn", "wuu", "fr", "en"), Interpreter: yes(), Genders: strs("female"), AcceptsChildren: yes(),
			ExploitationTypes: strs("sexual", "labour", "domestic_servitude"), Address: str("Rue des Lotus 12"), PostalCode: str("1000"),
			City: str("Brussels"), Country: str("BE"), Latitude: at(50.8531), Longitude: at(4.3487), Confidential: yes(),
			OpenAlways: yes(), ResponseMinutes: minutes(20), Phone: str("+32 2 000 01 01"),
			Capacity: map[referral.Unit]int{referral.UnitBed: 6, referral.UnitFamilyRoom: 2}}},
		{"019a0000-0000-7000-8000-000000000202", lotus, referral.ServiceInput{Category: cat(referral.CategoryShelter),
			Name: str("Maison Lotus – Ixelles"), NameI18n: map[string]string{"zh-Hans": "莲花之家（伊克塞尔）", "en": "Lotus House – Ixelles"},
			Languages: strs("cmn", "fr"), Genders: strs("female"), ExploitationTypes: strs("sexual"),
			Address: str("Rue Cachée 3"), PostalCode: str("1050"), City: str("Brussels"), Country: str("BE"),
			Latitude: at(50.8276), Longitude: at(4.3722), Confidential: yes(), OpenAlways: yes(), ResponseMinutes: minutes(30),
			Capacity: map[referral.Unit]int{referral.UnitBed: 3}}},
		{"019a0000-0000-7000-8000-000000000203", haven, referral.ServiceInput{Category: cat(referral.CategoryShelter),
			Name: str("Huis Haven Leuven"), NameI18n: map[string]string{"zh-Hans": "哈文之家（鲁汶）", "en": "Haven House Leuven"},
			Languages: strs("nl", "fr", "en", "ro"), Interpreter: yes(), AcceptsChildren: yes(), AcceptsMinors: yes(),
			Address: str("Havenstraat 5"), PostalCode: str("3000"), City: str("Leuven"), Country: str("BE"),
			Latitude: at(50.8823), Longitude: at(4.7138), Confidential: yes(), OpenAlways: yes(), ResponseMinutes: minutes(60),
			Capacity: map[referral.Unit]int{referral.UnitBed: 10, referral.UnitFamilyRoom: 1}}},
		{"019a0000-0000-7000-8000-000000000204", haven, referral.ServiceInput{Category: cat(referral.CategoryShelter),
			Name: str("Huis Haven Antwerpen"), NameI18n: map[string]string{"zh-Hans": "哈文之家（安特卫普）", "en": "Haven House Antwerp"},
			Languages: strs("nl", "en", "cmn"), Genders: strs("female"), Address: str("Kaai 9"), PostalCode: str("2000"),
			City: str("Antwerp"), Country: str("BE"), Latitude: at(51.2260), Longitude: at(4.4010), Confidential: yes(),
			OpenAlways: yes(), ResponseMinutes: minutes(45), Capacity: map[referral.Unit]int{referral.UnitBed: 8}}},
		{"019a0000-0000-7000-8000-000000000205", legal, referral.ServiceInput{Category: cat(referral.CategoryLegal),
			Name: str("Juristes Solidaires"), NameI18n: map[string]string{"zh-Hans": "团结律师法律援助", "en": "Solidarity Lawyers legal aid"},
			Description: str("Free legal advice on residence, the NRM and compensation."),
			Languages:   strs("fr", "nl", "en", "cmn"), Interpreter: yes(), ExploitationTypes: strs("sexual", "labour"),
			Address: str("Boulevard du Midi 40"), PostalCode: str("1000"), City: str("Brussels"), Country: str("BE"),
			Latitude: at(50.8378), Longitude: at(4.3358), OpeningHours: weekdays("09:00", "18:00"), ResponseMinutes: minutes(240),
			Phone: str("+32 2 000 02 02")}},
		{"019a0000-0000-7000-8000-000000000206", medical, referral.ServiceInput{Category: cat(referral.CategoryMedical),
			Name: str("Medisch Centrum Noord"), NameI18n: map[string]string{"zh-Hans": "北区医疗中心", "en": "North Medical Centre"},
			Description: str("Medical care without papers; sexual health; women doctors available."),
			Languages:   strs("nl", "fr", "en"), Interpreter: yes(), Address: str("Noordstraat 101"), PostalCode: str("1030"),
			City: str("Brussels"), Country: str("BE"), Latitude: at(50.8663), Longitude: at(4.3700),
			OpeningHours: weekdays("08:00", "20:00"), ResponseMinutes: minutes(60), Phone: str("+32 2 000 03 03")}},
		{"019a0000-0000-7000-8000-000000000207", counselling, referral.ServiceInput{Category: cat(referral.CategoryCounselling),
			Name: str("Espace Écoute"), NameI18n: map[string]string{"zh-Hans": "倾听空间心理辅导", "en": "Listening Space counselling"},
			Description: str("Trauma counselling; one counsellor speaks Mandarin."),
			Languages:   strs("fr", "cmn", "en"), Genders: strs("female"), Address: str("Rue de la Paix 8"), PostalCode: str("1050"),
			City: str("Brussels"), Country: str("BE"), Latitude: at(50.8340), Longitude: at(4.3650),
			OpeningHours: weekdays("10:00", "19:00"), ResponseMinutes: minutes(1440)}},
		{"019a0000-0000-7000-8000-000000000208", legal, referral.ServiceInput{Category: cat(referral.CategoryInterpretation),
			Name: str("Tolken Brussel"), NameI18n: map[string]string{"zh-Hans": "布鲁塞尔口译队", "en": "Brussels interpreters"},
			Description: str("Phone and on-site interpreters, day and night."),
			Languages:   strs("cmn", "wuu", "nan", "cdo", "yue", "ro", "bg", "vi", "th"), City: str("Brussels"), Country: str("BE"),
			Latitude: at(50.8467), Longitude: at(4.3525), OpenAlways: yes(), ResponseMinutes: minutes(15),
			Phone: str("+32 2 000 04 04")}},
		{"019a0000-0000-7000-8000-000000000209", passerelle, referral.ServiceInput{Category: cat(referral.CategoryShelter),
			Name: str("Centre Passerelle"), NameI18n: map[string]string{"zh-Hans": "桥梁中心（专门援助中心）", "en": "Passerelle Centre (specialised centre)"},
			Description: str("Recognised specialised centre: a safe bed, guidance, and the request for her residence documents."),
			Languages:   strs("fr", "nl", "en"), Interpreter: yes(), Genders: strs("female"), AcceptsChildren: yes(),
			Address: str("Rue du Passage 21"), PostalCode: str("1000"), City: str("Brussels"), Country: str("BE"),
			Latitude: at(50.8503), Longitude: at(4.3517), Confidential: yes(), OpenAlways: yes(), ResponseMinutes: minutes(30),
			Phone: str("+32 2 000 05 05"), Capacity: map[referral.Unit]int{referral.UnitBed: 4, referral.UnitFamilyRoom: 1}}},
		{"019a0000-0000-7000-8000-00000000020a", berlinCentre, referral.ServiceInput{Category: cat(referral.CategoryCounselling),
			Name: str("Fachberatungsstelle Berlin"), NameI18n: map[string]string{"zh-Hans": "柏林专门咨询中心", "en": "Berlin specialised counselling centre"},
			Description: str("Specialised counselling for victims of trafficking; accompanies the reflection period."),
			Languages:   strs("de", "en", "ru", "vi"), Interpreter: yes(), City: str("Berlin"), Country: str("DE"),
			Latitude: at(52.5200), Longitude: at(13.4050), OpeningHours: weekdays("09:00", "17:00"), ResponseMinutes: minutes(240),
			Phone: str("+49 30 0000 0606")}},
	}
}

// loadServices adds the demo directory: enough for a raid in Brussels to show real choices.
func loadServices(ctx context.Context, d *referral.Domain) error {
	if err := d.AddPlaces(ctx, places); err != nil {
		return err
	}
	for _, s := range services() {
		in := s.in
		in.ID, in.OrganisationID = uuid.MustParse(s.id), uuid.MustParse(s.org)
		if _, _, err := d.CreateService(ctx, in); err != nil && referral.ErrorCode(err) != referral.CodeConflict {
			return err
		}
	}
	return nil
}
