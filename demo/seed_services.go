package demo

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
)

// service creates one service of o (the domain checks it by the rules of CreateService).
func (s *seeder) service(o referral.Organisation, sl seedSlot) {
	p := s.places[sl.place]
	r := s.rng
	cat := sl.cat
	lang := seedOrgLanguage(p)
	labels, ok := seedServiceLabels[lang]
	if !ok {
		lang, labels = "en", seedServiceLabels["en"]
	}
	word := s.orgWord[o.ID]
	name := labels[cat] + " " + word + " – " + p.Name
	if lang == "en" {
		name = word + " " + labels[cat] + " " + p.Name
	}
	key := o.ID.String() + name
	if s.serviceNameCounts == nil {
		s.serviceNameCounts = map[string]int{}
	}
	s.serviceNameCounts[key]++
	if n := s.serviceNameCounts[key]; n > 1 {
		name += " " + strconv.Itoa(n)
	}
	var i18n map[string]string
	if lang != "en" {
		i18n = map[string]string{"en": word + " " + seedServiceLabels["en"][cat] + " " + p.Name}
	}
	lat, lon := seedOffset(p.Latitude, p.Longitude, math.Abs(r.NormFloat64())*p.sigma, r.Float64()*2*math.Pi)
	lat, lon = math.Round(lat*1e6)/1e6, math.Round(lon*1e6)/1e6
	languages, interpreter := s.languages(p, cat)
	in := referral.ServiceInput{
		ID: s.id(), OrganisationID: o.ID, Category: &cat, Name: &name, NameI18n: i18n,
		Description: ptr(seedDescriptions[cat]), Languages: &languages, Interpreter: &interpreter,
		City: &p.Name, Country: &p.Country, Latitude: ptr(&lat), Longitude: ptr(&lon),
		Accepting: ptr(r.Float64() < 0.9), Active: ptr(r.Float64() < 0.98),
	}
	s.eligibility(&in, cat)
	s.contact(&in, p, o, word)
	s.hours(&in, cat)
	if cat == referral.CategoryShelter || r.Float64() >= 0.05 { // a few give no response time
		in.ResponseMinutes = ptr(ptr(s.responseMinutes(cat)))
	}
	if cat == referral.CategoryShelter {
		in.Confidential = ptr(r.Float64() < 0.7)
		in.HoldMinutes = ptr(seedPick(r, []int{60, 120, 180, 240, 240, 240, 360, 480, 720, 1440}))
		in.Capacity = map[referral.Unit]int{referral.UnitBed: s.beds()}
		if *in.AcceptsChildren && r.Float64() < 0.6 {
			in.Capacity[referral.UnitFamilyRoom] = 1 + r.IntN(6)
		}
	}
	if r.Float64() < 0.2 {
		in.Conditions = ptr(seedPick(r, seedConditions))
	}
	s.services = append(s.services, in)
	for _, unit := range referral.Units {
		if total, ok := in.Capacity[unit]; ok {
			s.occupy(in.ID, unit, total)
		}
	}
}

// seedDescriptions describe each kind of service (in English; staff edit their own).
var seedDescriptions = map[referral.Category]string{
	referral.CategoryShelter:        "Safe, staffed accommodation for people identified as possible victims of trafficking, with support to rest, recover and decide what to do next.",
	referral.CategoryLegal:          "Free legal advice on residence, the recovery and reflection period, compensation and criminal proceedings.",
	referral.CategoryMedical:        "Medical check-ups, sexual and reproductive health care and referral to hospitals, whatever the person's status.",
	referral.CategoryCounselling:    "Trauma-informed counselling, individually or in groups, with an interpreter when needed.",
	referral.CategoryInterpretation: "Interpreters for interviews, medical visits and court hearings, in person or by phone.",
	referral.CategoryReturn:         "Information and support for a safe, voluntary return and reintegration in the country of origin.",
}

var seedConditions = []string{
	"Referral by the police, an NGO or the competent authority.",
	"Please call before coming.",
	"Stays of up to 90 days, renewable.",
	"No pets.",
	"Appointments within two working days.",
	"Free of charge; no documents needed.",
}

// eligibility says whom the service takes: shelters mostly women, some men; adults, youth
// (minors) or everyone; children with a parent; some specialised in forms of exploitation.
func (s *seeder) eligibility(in *referral.ServiceInput, cat referral.Category) {
	r := s.rng
	genders := []string{}
	minors, children := false, false
	var minAge, maxAge *int
	if cat == referral.CategoryShelter {
		switch g := r.Float64(); {
		case g < 0.55:
			genders = []string{"female"}
		case g < 0.67:
			genders = []string{"male"}
		case g < 0.72:
			genders = []string{"female", "other"}
		}
		switch a := r.Float64(); {
		case a < 0.12: // a youth shelter
			minors, minAge, maxAge = true, ptr(12+r.IntN(4)), ptr(seedPick(r, []int{17, 17, 17, 21}))
		case a < 0.77:
			minAge, children = ptr(18), r.Float64() < 0.45
			if r.Float64() < 0.1 {
				maxAge = ptr(seedPick(r, []int{25, 30}))
			}
		default:
			minors, children = r.Float64() < 0.25, r.Float64() < 0.4
		}
	} else {
		switch g := r.Float64(); {
		case g < 0.11:
			genders = []string{"female"}
		case g < 0.16:
			genders = []string{"male"}
		}
		switch a := r.Float64(); {
		case a < 0.78:
			minors = r.Float64() < 0.22
		case a < 0.95:
			minAge = ptr(18)
		default:
			minors, minAge, maxAge = true, ptr(12), ptr(25)
		}
		children = r.Float64() < 0.3
	}
	types := []string{}
	if r.Float64() >= 0.45 {
		n := seedPick(r, []int{1, 1, 1, 1, 1, 1, 2, 2, 2, 3})
		for len(types) < n {
			if t := seedWeighted(r, seedExploitation); !slices.Contains(types, t) {
				types = append(types, t)
			}
		}
	}
	in.Genders, in.AcceptsMinors, in.AcceptsChildren = &genders, &minors, &children
	in.MinAge, in.MaxAge, in.ExploitationTypes = &minAge, &maxAge, &types
}

var seedExploitation = []seedWeight[string]{
	{"sexual", 42}, {"labour", 28}, {"criminal", 9}, {"domestic_servitude", 9}, {"forced_marriage", 5},
	{"organ_removal", 1}, {"illegal_adoption", 1}, {"surrogacy", 2}, {"other", 3},
}

// contact gives the service an address, phone and (mostly) an e-mail address.
func (s *seeder) contact(in *referral.ServiceInput, p seedPlace, o referral.Organisation, word string) {
	r := s.rng
	lang := seedOrgLanguage(p)
	streets, ok := seedStreets[lang]
	if !ok {
		lang, streets = "en", seedStreets["en"]
	}
	street, no := seedPick(r, streets), 1+r.IntN(180)
	address := fmt.Sprintf("%s %d", street, no)
	if lang == "en" {
		address = fmt.Sprintf("%d %s", no, street)
	}
	c := seedCountries[p.Country]
	var postal strings.Builder
	for _, ch := range c.Postal {
		switch ch {
		case '9':
			postal.WriteByte(byte('0' + r.IntN(10)))
		case 'A':
			postal.WriteByte(byte('A' + r.IntN(26)))
		default:
			postal.WriteRune(ch)
		}
	}
	phone := fmt.Sprintf("%s %d %03d %02d %02d", c.Phone, 1+r.IntN(99), r.IntN(1000), r.IntN(100), r.IntN(100))
	in.Address, in.PostalCode, in.Phone = &address, ptr(postal.String()), &phone
	if r.Float64() < 0.75 {
		in.Email = ptr(fmt.Sprintf("intake.%d@%s-%s.example", 1+r.IntN(9), seedSlug(word), strings.ToLower(o.Country)))
	}
}

// hours: shelters take people day and night; others keep office hours, some an evening
// outreach running past midnight, a few a 24-hour line.
func (s *seeder) hours(in *referral.ServiceInput, cat referral.Category) {
	r := s.rng
	always := r.Float64() < 0.1
	if cat == referral.CategoryShelter {
		always = r.Float64() < 0.88
	}
	in.OpenAlways = &always
	if always {
		return
	}
	var hours []referral.OpeningHours
	days := func(from, to int, opens, closes string) {
		for d := from; d <= to; d++ {
			hours = append(hours, referral.OpeningHours{Day: d, Opens: opens, Closes: closes})
		}
	}
	switch r.IntN(7) {
	case 0, 1:
		days(1, 5, "09:00", "17:00")
	case 2:
		days(1, 5, "08:30", "16:30")
	case 3:
		days(1, 4, "09:00", "18:00")
		days(5, 5, "09:00", "14:00")
	case 4:
		days(1, 5, "09:00", "12:30")
		days(1, 5, "13:30", "17:00")
	case 5:
		days(1, 5, "10:00", "18:00")
		days(6, 6, "10:00", "14:00")
	default:
		if cat == referral.CategoryMedical || cat == referral.CategoryCounselling {
			days(1, 7, "20:00", "02:00") // street outreach
		} else {
			days(2, 2, "13:00", "19:00")
			days(4, 4, "13:00", "19:00")
		}
	}
	in.OpeningHours = &hours
}

func (s *seeder) responseMinutes(cat referral.Category) int {
	hi := 2880.0
	if cat == referral.CategoryShelter && s.rng.Float64() < 0.7 {
		hi = 720
	}
	m := math.Exp(math.Log(15) + s.rng.Float64()*(math.Log(hi)-math.Log(15)))
	switch {
	case m < 120:
		return max(15, int(math.Round(m/5))*5)
	case m < 1440:
		return int(math.Round(m/15)) * 15
	default:
		return min(2880, int(math.Round(m/60))*60)
	}
}

// beds: small shelters of a few beds, most of eight to twenty, some large ones up to forty.
func (s *seeder) beds() int {
	switch r := s.rng.Float64(); {
	case r < 0.4:
		return 2 + s.rng.IntN(7)
	case r < 0.85:
		return 8 + s.rng.IntN(13)
	default:
		return 20 + s.rng.IntN(21)
	}
}

// occupy places people in a shelter: most are partly full, some full, some nearly empty.
func (s *seeder) occupy(service uuid.UUID, unit referral.Unit, total int) {
	r := s.rng
	var used int
	switch f := r.Float64(); {
	case f < 0.08:
		used = total
	case f < 0.18:
		used = 0
	default:
		used = int(float64(total) * (0.2 + 0.75*r.Float64()))
	}
	for used > 0 {
		places := 1
		if unit == referral.UnitBed {
			places = min(used, seedPick(r, []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3}))
		}
		at := s.now.Add(-time.Duration(1+r.IntN(120*24)) * time.Hour).Truncate(time.Minute)
		s.placements = append(s.placements, referral.Placement{ID: s.id(), ServiceID: service, Unit: unit, Places: places,
			Status: referral.PlacementPresent, CheckedInAt: at, CreatedAt: at, UpdatedAt: at})
		used -= places
	}
}
