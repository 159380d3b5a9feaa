package referral

import (
	"regexp"
	"slices"
	"strings"

	"github.com/google/uuid"
	"golang.org/x/text/language"
)

// ServiceInput is what an organisation sets about one of its services. On update, nil fields
// are left as they are; slices and maps, when given, replace what was there.
type ServiceInput struct {
	ID                uuid.UUID // client-chosen on create (optional)
	OrganisationID    uuid.UUID // create only
	Category          *Category
	Name              *string
	NameI18n          map[string]string
	Description       *string
	DescriptionI18n   map[string]string
	Languages         *[]string
	Interpreter       *bool
	Genders           *[]string
	MinAge            **int // a nil *int clears the limit
	MaxAge            **int
	AcceptsMinors     *bool
	AcceptsChildren   *bool
	ExploitationTypes *[]string
	Conditions        *string
	Address           *string
	PostalCode        *string
	City              *string
	Region            *string
	Country           *string
	Latitude          **float64
	Longitude         **float64
	Confidential      *bool
	OpenAlways        *bool
	OpeningHours      *[]OpeningHours
	Accepting         *bool
	ResponseMinutes   **int
	HoldMinutes       *int
	Phone             *string
	Email             *string
	Active            *bool
	Capacity          map[Unit]int

	// Unread is what the caller could not read into the fields above (a number that is not
	// one): the input is refused with these and the domain's own findings, and nothing is saved.
	Unread Problems
}

// apply validates the input into s.
func (in ServiceInput) apply(s *Service, creating bool) error {
	p := Problems{fields: slices.Clone(in.Unread.fields)}
	if in.Category != nil || creating {
		s.Category = Category(cleanCode(string(deref(in.Category))))
		if !slices.Contains(Categories, s.Category) {
			p.Add("category", "error.service.category", nil)
		}
	}
	set(&p, in.Name, &s.Name, "name", true, 200, creating)
	set(&p, in.Description, &s.Description, "description", false, 4000, creating)
	set(&p, in.Conditions, &s.Conditions, "conditions", false, 2000, creating)
	set(&p, in.Address, &s.Address, "address", false, 300, creating)
	set(&p, in.PostalCode, &s.PostalCode, "postal_code", false, 20, creating)
	set(&p, in.City, &s.City, "city", true, 100, creating)
	set(&p, in.Region, &s.Region, "region", false, 100, creating)
	set(&p, in.Phone, &s.Phone, "phone", false, 40, creating)
	if in.NameI18n != nil || creating {
		s.NameI18n = translations(&p, "name_i18n", in.NameI18n, 200)
	}
	if in.DescriptionI18n != nil || creating {
		s.DescriptionI18n = translations(&p, "description_i18n", in.DescriptionI18n, 4000)
	}
	if in.Country != nil || creating {
		var ok bool
		if s.Country, ok = countryCode(deref(in.Country)); !ok {
			p.Add("country", "error.organisation.country", nil)
		}
	}
	if in.Email != nil {
		if s.Email = cleanCode(*in.Email); s.Email != "" {
			s.Email = cleanEmail(&p, s.Email)
		}
	}
	if in.Languages != nil || creating {
		s.Languages = languages(&p, deref(in.Languages))
	}
	if in.Genders != nil || creating {
		s.Genders = oneOf(&p, "genders", deref(in.Genders), Genders)
	}
	if in.ExploitationTypes != nil || creating {
		s.ExploitationTypes = oneOf(&p, "exploitation_types", deref(in.ExploitationTypes), ExploitationTypes)
	}
	setFlag(in.Interpreter, &s.Interpreter, false, creating)
	setFlag(in.AcceptsMinors, &s.AcceptsMinors, false, creating)
	setFlag(in.AcceptsChildren, &s.AcceptsChildren, false, creating)
	setFlag(in.Confidential, &s.Confidential, false, creating)
	setFlag(in.OpenAlways, &s.OpenAlways, false, creating)
	setFlag(in.Accepting, &s.Accepting, true, creating)
	setFlag(in.Active, &s.Active, true, creating)
	in.applyNumbers(&p, s, creating)
	if in.OpeningHours != nil || creating {
		s.OpeningHours = openingHours(&p, deref(in.OpeningHours))
	}
	in.applyCapacity(&p, s, creating)
	if s.Confidential && s.Category != CategoryShelter {
		p.Add("confidential", "error.service.confidential_shelter", nil)
	}
	return p.Err()
}

func (in ServiceInput) applyNumbers(p *Problems, s *Service, creating bool) {
	if in.MinAge != nil {
		s.MinAge = *in.MinAge
	}
	if in.MaxAge != nil {
		s.MaxAge = *in.MaxAge
	}
	for field, v := range map[string]*int{"min_age": s.MinAge, "max_age": s.MaxAge} {
		if v != nil && (*v < 0 || *v > 120) {
			p.Add(field, "error.field.range", map[string]any{"Min": 0, "Max": 120})
		}
	}
	if s.MinAge != nil && s.MaxAge != nil && *s.MinAge > *s.MaxAge {
		p.Add("max_age", "error.service.age_order", nil)
	}
	if in.Latitude != nil {
		s.Latitude = *in.Latitude
	}
	if in.Longitude != nil {
		s.Longitude = *in.Longitude
	}
	checkCoordinates(p, s.Latitude, s.Longitude)
	if in.ResponseMinutes != nil {
		s.ResponseMinutes = *in.ResponseMinutes
		if v := s.ResponseMinutes; v != nil && (*v < 1 || *v > 10080) {
			p.Add("response_minutes", "error.field.range", map[string]any{"Min": 1, "Max": 10080})
		}
	}
	if in.HoldMinutes != nil {
		s.HoldMinutes = *in.HoldMinutes
	} else if creating {
		s.HoldMinutes = 240
	}
	if s.HoldMinutes < 15 || s.HoldMinutes > 2880 {
		p.Add("hold_minutes", "error.field.range", map[string]any{"Min": 15, "Max": 2880})
	}
}

// applyCapacity takes beds and family rooms for shelters only.
func (in ServiceInput) applyCapacity(p *Problems, s *Service, creating bool) {
	if s.Category != CategoryShelter {
		if len(in.Capacity) > 0 {
			p.Add("capacity", "error.service.capacity_shelter", nil)
		}
		s.Capacity = map[Unit]int{} // no longer a shelter: its beds go (if none is in use)
		return
	}
	if in.Capacity == nil && !creating {
		return
	}
	capacity := map[Unit]int{}
	for unit, n := range in.Capacity {
		switch {
		case !slices.Contains(Units, unit):
			p.Add("capacity", "error.service.unit", map[string]any{"Unit": string(unit)})
		case n < 0 || n > 10000:
			p.Add("capacity."+string(unit), "error.field.range", map[string]any{"Min": 0, "Max": 10000})
		default:
			capacity[unit] = n
		}
	}
	s.Capacity = capacity
}

// checkCoordinates adds a problem when only one of latitude and longitude is given, or either
// is off the globe.
func checkCoordinates(p *Problems, lat, lon *float64) {
	switch {
	case (lat == nil) != (lon == nil):
		p.Add("latitude", "error.service.coordinates_pair", nil)
	case lat != nil && (*lat < -90 || *lat > 90):
		p.Add("latitude", "error.field.range", map[string]any{"Min": -90, "Max": 90})
	case lon != nil && (*lon < -180 || *lon > 180):
		p.Add("longitude", "error.field.range", map[string]any{"Min": -180, "Max": 180})
	}
}

// countryCode normalises a country code typed on any keyboard and reports whether it is an
// ISO 3166-1 alpha-2 code.
func countryCode(s string) (string, bool) {
	c := strings.ToUpper(cleanCode(s))
	r, err := language.ParseRegion(c)
	return c, err == nil && r.IsCountry() && len(c) == 2
}

func set(p *Problems, in *string, dst *string, field string, required bool, max int, creating bool) {
	if in != nil || creating {
		*dst = cleanText(p, field, deref(in), required, max)
	}
}

func setFlag(in *bool, dst *bool, def, creating bool) {
	switch {
	case in != nil:
		*dst = *in
	case creating:
		*dst = def
	}
}

func translations(p *Problems, field string, in map[string]string, max int) Texts {
	out := Texts{}
	for code, text := range in {
		tag, err := language.Parse(cleanCode(code))
		if err != nil {
			p.Add(field, "error.service.translation_language", map[string]any{"Code": code})
			continue
		}
		if t := cleanText(p, field+"."+tag.String(), text, false, max); t != "" {
			out[tag.String()] = t
		}
	}
	return out
}

func languages(p *Problems, in []string) []string { return languagesOf(p, "languages", in) }

// languagesOf cleans a list of language codes, in its order, reporting bad ones on field.
func languagesOf(p *Problems, field string, in []string) []string {
	out := []string{}
	for _, code := range in {
		c := canonicalLanguage(code)
		switch {
		case c == "":
			p.Add(field, "error.service.language", map[string]any{"Code": code})
		case !slices.Contains(out, c):
			out = append(out, c)
		}
	}
	if len(out) > 40 {
		p.Add(field, "error.field.range", map[string]any{"Min": 0, "Max": 40})
	}
	return out
}

func oneOf(p *Problems, field string, in, allowed []string) []string {
	out := []string{}
	for _, v := range in {
		v = cleanCode(v)
		switch {
		case !slices.Contains(allowed, v):
			p.Add(field, "error.service.value", map[string]any{"Value": v})
		case !slices.Contains(out, v):
			out = append(out, v)
		}
	}
	return out
}

var clock = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$`)

func openingHours(p *Problems, in []OpeningHours) []OpeningHours {
	out := []OpeningHours{}
	for _, h := range in {
		h.Opens, h.Closes = cleanCode(h.Opens), cleanCode(h.Closes)
		if h.Day < 1 || h.Day > 7 || !clock.MatchString(h.Opens) || !clock.MatchString(h.Closes) || h.Opens == h.Closes {
			p.Add("opening_hours", "error.service.hours", nil)
			continue
		}
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, b OpeningHours) int {
		if a.Day != b.Day {
			return a.Day - b.Day
		}
		return strings.Compare(a.Opens, b.Opens)
	})
	return out
}
