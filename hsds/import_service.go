package hsds

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/harbour-nrm/harbour/referral"
	"golang.org/x/text/language"
)

// This file reads the service's own fields from an HSDS record into the input CreateService and
// UpdateService take, adjusting odd data with a warning rather than refusing it.

// text makes free text from another system acceptable to Harbour's rules: line breaks and tabs
// become spaces, other control characters and broken UTF-8 go, and text over the limit is
// shortened with a warning.
func (imp *importer) text(field, s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", " ")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > max {
		s = strings.TrimSpace(string([]rune(s)[:max]))
		imp.warn(field, warnTruncated, map[string]any{"Max": max})
	}
	return s
}

// category sets the category from Harbour's tag; a new service without one is "other".
func (imp *importer) category(tags tagSet, creating bool, in *referral.ServiceInput) referral.Category {
	values := tags.values(groupCategory)
	if len(values) > 1 {
		imp.warn("attributes", warnCategories, map[string]any{"Categories": strings.Join(values, ", "), "Category": values[0]})
	}
	var c referral.Category
	switch {
	case len(values) > 0:
		c = referral.Category(values[0])
	case creating:
		c = referral.CategoryOther
	default:
		return ""
	}
	in.Category = &c
	return c
}

// email keeps a valid address; an invalid one leaves an existing service's address as it is.
func (imp *importer) email(email string, creating bool, in *referral.ServiceInput) {
	e, ok := referral.CleanEmail(email)
	if !ok {
		imp.warn("email", warnEmail, map[string]any{"Email": email})
		if !creating {
			return
		}
		e = ""
	}
	in.Email = &e
}

// status: "temporarily closed" is a service not accepting referrals for now; "inactive" and
// "defunct" are services no longer offered.
func (imp *importer) status(status string, in *referral.ServiceInput) {
	active, accepting := true, true
	switch strings.ToLower(strings.TrimSpace(status)) {
	case "active":
	case "temporarily closed":
		accepting = false
	case "inactive", "defunct":
		active = false
	default:
		imp.warn("status", warnStatus, map[string]any{"Status": status})
	}
	in.Active = &active
	if active {
		in.Accepting = &accepting
	}
}

// ages keeps ages from 0 to 120, in order, as whole years.
func (imp *importer) ages(h Service, has func(string) bool, in *referral.ServiceInput) {
	age := func(field string, v *float64) *int {
		if v == nil {
			return nil
		}
		n := math.Round(*v)
		if math.IsNaN(n) || n < 0 || n > 120 {
			imp.warn(field, warnAge, map[string]any{"Age": *v})
			return nil
		}
		return ptr(int(n))
	}
	var lo, hi *int
	if has("minimum_age") {
		lo = age("minimum_age", h.MinimumAge)
	}
	if has("maximum_age") {
		hi = age("maximum_age", h.MaximumAge)
	}
	if lo != nil && hi != nil && *lo > *hi {
		imp.warn("minimum_age", warnAgeOrder, map[string]any{"Minimum": *lo, "Maximum": *hi})
		lo, hi = nil, nil
	}
	if has("minimum_age") {
		in.MinAge = &lo
	}
	if has("maximum_age") {
		in.MaxAge = &hi
	}
}

// languages keeps the codes Harbour understands, canonical as ServiceInput would make them.
func (imp *importer) languages(langs []Language) []string {
	out := []string{}
	for i, l := range langs {
		c := referral.CanonicalLanguage(l.Code)
		if c == "" {
			imp.warn(fmt.Sprintf("languages[%d].code", i), warnLanguage, map[string]any{"Code": l.Code})
			continue
		}
		out = append(out, c)
	}
	return out
}

// flags reads who the service serves and what it offers from Harbour's tags; without them, the
// interpreter flag follows HSDS's interpretation_services text.
func (imp *importer) flags(h Service, tags tagSet, has func(string) bool, category referral.Category, in *referral.ServiceInput) {
	if len(tags.codes) == 0 {
		if has("interpretation_services") {
			in.Interpreter = ptr(strings.TrimSpace(h.InterpretationServices) != "")
		}
		return
	}
	in.Genders = ptr(tags.values(groupGender))
	in.ExploitationTypes = ptr(tags.values(groupExploitation))
	in.AcceptsMinors = ptr(tags.has(termAcceptsMinors))
	in.AcceptsChildren = ptr(tags.has(termAcceptsChildren))
	in.Interpreter = ptr(tags.has(termInterpreter))
	confidential := tags.has(termConfidential)
	if confidential && category != referral.CategoryShelter {
		imp.warn("attributes", warnConfidential, nil)
		confidential = false
	}
	in.Confidential = &confidential
	in.NameI18n = imp.translations(tags.attrs[termNameI18n], 200)
	in.DescriptionI18n = imp.translations(tags.attrs[termDescriptionI18n], 4000)
}

// translations reads translation tags: the label is the language tag, the value the text.
func (imp *importer) translations(attrs []Attribute, max int) map[string]string {
	out := map[string]string{}
	for _, a := range attrs {
		tag, err := language.Parse(strings.TrimSpace(a.Label))
		if err != nil {
			imp.warn("attributes.label", warnTranslation, map[string]any{"Tag": a.Label})
			continue
		}
		if text := imp.text("attributes.value", a.Value, max); text != "" {
			out[tag.String()] = text
		}
	}
	return out
}

// phone takes the service's first phone number, else its location's.
func (imp *importer) phone(h Service, has func(string) bool, in *referral.ServiceInput) {
	phones := h.Phones
	for _, sal := range h.ServiceAtLocations {
		if len(phones) == 0 {
			phones = sal.Phones
		}
		if len(phones) == 0 && sal.Location != nil {
			phones = sal.Location.Phones
		}
	}
	if len(phones) == 0 && !has("phones") {
		return
	}
	number := ""
	if len(phones) > 0 {
		// Spreadsheet exports (the official example among them) leave quotes around numbers.
		number = strings.Trim(imp.text("phones[0].number", phones[0].Number, 1000), `"' `)
		if utf8.RuneCountInString(number) > 40 {
			imp.warn("phones[0].number", warnPhone, map[string]any{"Phone": number})
			return
		}
	}
	in.Phone = &number
}

// clockPattern is an HSDS time: hours and minutes, perhaps seconds, perhaps an offset.
var clockPattern = regexp.MustCompile(`^([01][0-9]|2[0-4]):([0-5][0-9])(:[0-5][0-9](\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$`)

// clockTime reads an HSDS time ("10:00:00", "09:00-05:00", "09:00Z") as Harbour's "HH:MM"
// in the organisation's time zone: the offset is dropped, since opening hours follow the
// local clock through summer time.
func clockTime(s string) (string, bool) {
	m := clockPattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || (m[1] == "24" && m[2] != "00") {
		return "", false
	}
	return m[1] + ":" + m[2], true
}

// schedules reads weekly schedules (the service's, else its location's) as opening hours; all
// seven days from 00:00 to 23:59 (or 24:00) is open always.
func (imp *importer) schedules(h Service, has func(string) bool, in *referral.ServiceInput) {
	list, field := h.Schedules, "schedules"
	for i, sal := range h.ServiceAtLocations {
		if len(list) == 0 && len(sal.Schedules) > 0 {
			list, field = sal.Schedules, fmt.Sprintf("service_at_locations[%d].schedules", i)
		}
		if len(list) == 0 && sal.Location != nil && len(sal.Location.Schedules) > 0 {
			list, field = sal.Location.Schedules, fmt.Sprintf("service_at_locations[%d].location.schedules", i)
		}
	}
	if len(list) == 0 && !has("schedules") {
		return
	}
	always := false
	hours := []referral.OpeningHours{}
	for i, sch := range list {
		f := fmt.Sprintf("%s[%d]", field, i)
		freq := strings.ToUpper(strings.TrimSpace(sch.Freq))
		opens, okOpens := clockTime(sch.OpensAt)
		closes, okCloses := clockTime(sch.ClosesAt)
		var days []int
		for _, day := range strings.Split(sch.ByDay, ",") {
			if n := slices.Index(weekdays, strings.ToUpper(strings.TrimSpace(day))); n >= 0 {
				days = append(days, n+1)
			} else {
				days = nil // "2MO" (monthly) or a typo: not weekly hours
				break
			}
		}
		if (freq != "WEEKLY" && freq != "") || !okOpens || !okCloses || len(days) == 0 {
			imp.warn(f, warnSchedule, map[string]any{"Freq": sch.Freq, "ByDay": sch.ByDay, "Opens": sch.OpensAt, "Closes": sch.ClosesAt})
			continue
		}
		if opens == "24:00" {
			opens = "00:00"
		}
		if opens == closes { // a whole day
			closes = "24:00"
		}
		if len(days) == 7 && opens == "00:00" && (closes == "23:59" || closes == "24:00") {
			always = true
			continue
		}
		for _, day := range days {
			hours = append(hours, referral.OpeningHours{Day: day, Opens: opens, Closes: closes})
		}
	}
	if always {
		hours = []referral.OpeningHours{}
	}
	in.OpenAlways, in.OpeningHours = &always, &hours
}
