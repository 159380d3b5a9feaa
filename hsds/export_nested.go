package hsds

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// This file maps one service to a fully nested HSDS service: its location, schedules, languages,
// capacities and attributes. Nested records get IDs derived from the service's, so partners can
// follow them from one export to the next.

// nestedID derives the ID of a record nested in a Harbour record (its location, address,
// languages, …): the same on every export, so partners can follow them between exports.
func nestedID(base uuid.UUID, name string) string { return uuid.NewSHA1(base, []byte(name)).String() }

// timestamp writes a time as HSDS date-times are written, with milliseconds.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

// weekdays are the iCal weekdays, Monday (Harbour's day 1) first.
var weekdays = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

// Harbour's text for the HSDS fields that are free text for people to read.
const (
	interpreterText  = "An interpreter can be arranged for languages the staff do not speak."
	confidentialText = "Confidential address: only the city and province are published. The shelter gives the address to a referrer once it confirms a bed hold."
	alwaysOpenText   = "Open 24 hours a day, every day."
)

// fromService maps one service. A confidential shelter's street address, postal code and
// coordinates are left out here, whatever the reader could see in Harbour: the rule lives in
// the mapping, so no caller can forget it.
func fromService(s referral.Service, org provider, used map[referral.Unit]int, now time.Time) Service {
	id := s.ID.String()
	orgPublished := org.published
	h := Service{
		ID: id, OrganizationID: s.OrganisationID.String(), Name: s.Name, Description: s.Description, Email: s.Email,
		Status: status(s), EligibilityDescription: s.Conditions, LastModified: timestamp(s.UpdatedAt),
		Organization: &orgPublished,
		Phones:       []Phone{}, Languages: []Language{}, Capacities: []ServiceCapacity{},
	}
	if s.Interpreter {
		h.InterpretationServices = interpreterText
	}
	if s.MinAge != nil {
		h.MinimumAge = ptr(float64(*s.MinAge))
	}
	if s.MaxAge != nil {
		h.MaximumAge = ptr(float64(*s.MaxAge))
	}
	if s.Phone != "" {
		h.Phones = append(h.Phones, Phone{ID: nestedID(s.ID, "phone"), Number: s.Phone})
	}
	zone := org.zone
	if zone == nil {
		zone = time.UTC
	}
	h.Schedules = schedules(s, zone, now)
	h.ServiceAtLocations = []ServiceAtLocation{location(s)}
	for _, code := range s.Languages {
		h.Languages = append(h.Languages, Language{ID: nestedID(s.ID, "language/"+code), ServiceID: id,
			Code: code, Name: languageName(code)})
	}
	for _, unit := range referral.Units {
		total, ok := s.Capacity[unit]
		if !ok {
			continue
		}
		u := UnitOf(unit)
		h.Capacities = append(h.Capacities, ServiceCapacity{ID: nestedID(s.ID, "capacity/"+string(unit)), ServiceID: id,
			Unit: &u, Available: ptr(float64(max(total-used[unit], 0))), Maximum: ptr(float64(total)),
			Updated: timestamp(now)})
	}
	h.Attributes = serviceAttributes(s)
	return h
}

// status tells partners whether to send people: a service not accepting referrals for now
// is "temporarily closed".
func status(s referral.Service) string {
	switch {
	case !s.Active:
		return "inactive"
	case !s.Accepting:
		return "temporarily closed"
	}
	return "active"
}

// location is the one place a Harbour service is delivered.
func location(s referral.Service) ServiceAtLocation {
	loc := Location{ID: nestedID(s.ID, "location"), LocationType: "physical"}
	addr := Address{ID: nestedID(s.ID, "address"), LocationID: loc.ID, City: s.City, StateProvince: s.Region,
		Country: s.Country, AddressType: "physical"}
	if s.Confidential {
		loc.Description = confidentialText
	} else {
		addr.Address1, addr.PostalCode = s.Address, s.PostalCode
		if s.Latitude != nil && s.Longitude != nil {
			loc.Latitude, loc.Longitude = ptr(*s.Latitude), ptr(*s.Longitude)
		}
	}
	loc.Addresses = []Address{addr}
	return ServiceAtLocation{ID: nestedID(s.ID, "service_at_location"), ServiceID: s.ID.String(), LocationID: loc.ID, Location: &loc}
}

// schedules writes opening hours as weekly schedules, one per distinct period with the
// days it applies to. Times carry the organisation's UTC offset now, as HSDS asks; the
// description names the time zone, since the offset changes with summer time.
func schedules(s referral.Service, zone *time.Location, now time.Time) []Schedule {
	offset := now.In(zone).Format("Z07:00")
	if s.OpenAlways {
		return []Schedule{{ID: nestedID(s.ID, "schedule/always"), ServiceID: s.ID.String(), Freq: "WEEKLY",
			ByDay: strings.Join(weekdays, ","), OpensAt: "00:00" + offset, ClosesAt: "23:59" + offset, Description: alwaysOpenText}}
	}
	type period struct{ opens, closes string }
	var order []period
	days := map[period][]string{}
	for _, oh := range s.OpeningHours {
		p := period{oh.Opens, oh.Closes}
		if _, ok := days[p]; !ok {
			order = append(order, p)
		}
		days[p] = append(days[p], weekdays[oh.Day-1])
	}
	out := []Schedule{}
	for _, p := range order {
		text := "Local time, " + zone.String() + "."
		if p.closes <= p.opens {
			text = "Closes the next day. " + text
		}
		out = append(out, Schedule{ID: nestedID(s.ID, "schedule/"+p.opens+"-"+p.closes), ServiceID: s.ID.String(),
			Freq: "WEEKLY", ByDay: strings.Join(days[p], ","), OpensAt: p.opens + offset, ClosesAt: p.closes + offset,
			Description: text})
	}
	return out
}

// serviceAttributes tags a service with Harbour's terms: its category, then who it serves,
// what it offers, and its translations.
func serviceAttributes(s referral.Service) []Attribute {
	tag := func(code, value, label string) Attribute {
		return attribute(s.ID, "service", code, value, label)
	}
	out := []Attribute{tag(groupCategory+"/"+string(s.Category), "", "")}
	flag := func(on bool, code string) {
		if on {
			out = append(out, tag(code, "", ""))
		}
	}
	for _, g := range s.Genders {
		out = append(out, tag(groupGender+"/"+g, "", ""))
	}
	flag(s.AcceptsMinors, termAcceptsMinors)
	flag(s.AcceptsChildren, termAcceptsChildren)
	for _, e := range s.ExploitationTypes {
		out = append(out, tag(groupExploitation+"/"+e, "", ""))
	}
	flag(s.Interpreter, termInterpreter)
	flag(s.Confidential, termConfidential)
	for _, tr := range []struct {
		code  string
		texts referral.Texts
	}{{termNameI18n, s.NameI18n}, {termDescriptionI18n, s.DescriptionI18n}} {
		for _, lang := range slices.Sorted(maps.Keys(tr.texts)) {
			out = append(out, tag(tr.code, tr.texts[lang], lang))
		}
	}
	return out
}

// attribute links a record to one of Harbour's terms, nesting the term so a reader
// without taxonomy.json still sees what it means.
func attribute(link uuid.UUID, entity, code, value, label string) Attribute {
	term := termsByID[termID(code).String()].published()
	group, _, _ := strings.Cut(code, "/")
	return Attribute{ID: nestedID(link, "attribute/"+code+"/"+label), LinkID: link.String(), TaxonomyTermID: term.ID,
		LinkType: group, LinkEntity: entity, Value: value, Label: label, TaxonomyTerm: &term}
}

// languageNames are English names for the Chinese varieties Harbour records apart, which
// x/text would all call "Chinese".
var languageNames = map[string]string{"cmn": "Mandarin Chinese", "wuu": "Wu Chinese (Wenzhounese, Qingtian)",
	"nan": "Southern Min Chinese (Hokkien)", "cdo": "Eastern Min Chinese (Fuzhou)", "yue": "Cantonese"}

// languageName returns the English name of a language code, or the code when unknown.
func languageName(code string) string {
	if n := languageNames[code]; n != "" {
		return n
	}
	if tag, err := language.Parse(code); err == nil {
		if n := display.English.Languages().Name(tag); n != "" {
			return n
		}
	}
	return code
}
