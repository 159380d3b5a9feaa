package referral

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/text/language"
)

// HSDSFallbackCountry is the country given to a new service or organisation whose HSDS address
// names no valid country, when the import options name none: Harbour's first deployments are
// Belgian. Every use is reported as a warning.
const HSDSFallbackCountry = "BE"

// hsdsNoCity is the city recorded for a new service whose HSDS record has no address: Harbour
// requires a city, and a dash reads as "not known" in every language. A warning says so.
const hsdsNoCity = "—"

// HSDSImportOptions adjusts an import.
type HSDSImportOptions struct {
	// DefaultCountry (ISO 3166-1 alpha-2) is used for new records whose address gives no valid
	// country; empty means HSDSFallbackCountry.
	DefaultCountry string
}

// HSDSImportResult counts what an import did. Each service is imported on its own (its own
// transaction and audit event): one that cannot be imported is listed in Failures and the
// others still are.
type HSDSImportResult struct {
	Records              int                 `json:"records"`   // services in the file
	Created              int                 `json:"created"`   // new services
	Updated              int                 `json:"updated"`   // existing services that changed
	Unchanged            int                 `json:"unchanged"` // existing services already as in the file: not written
	Failed               int                 `json:"failed"`
	OrganisationsCreated int                 `json:"organisations_created"`
	Warnings             []HSDSImportWarning `json:"warnings"`
	Failures             []HSDSImportFailure `json:"failures"`
}

// HSDSImportWarning is something in the file that was left out or adjusted rather than refused.
type HSDSImportWarning struct {
	Record    int    `json:"record"` // position of the service in the file, from 0
	ServiceID string `json:"service_id,omitempty"`
	Field     string `json:"field"` // HSDS path, e.g. "service_at_locations[0].location.latitude"
	Code      string `json:"code"`  // stable, one of the hsdsWarn* codes
	Value     string `json:"value,omitempty"`
}

// HSDSImportFailure is a service that could not be imported, with the domain error saying why.
type HSDSImportFailure struct {
	Record    int    `json:"record"`
	ServiceID string `json:"service_id,omitempty"`
	Err       error  `json:"-"`
}

// Warning codes, stable for scripts reading the result.
const (
	hsdsWarnIDDerived          = "id_derived"
	hsdsWarnCoordinates        = "coordinates_invalid"
	hsdsWarnUnitUnknown        = "unit_unknown"
	hsdsWarnCapacityInvalid    = "capacity_invalid"
	hsdsWarnCapacityOver       = "capacity_available_over_maximum"
	hsdsWarnCapacityNoMaximum  = "capacity_no_maximum"
	hsdsWarnCapacityNotShelter = "capacity_not_shelter"
	hsdsWarnLanguage           = "language_unknown"
	hsdsWarnAge                = "age_invalid"
	hsdsWarnAgeOrder           = "age_order"
	hsdsWarnCountry            = "country_fallback"
	hsdsWarnCity               = "city_missing"
	hsdsWarnTimeZone           = "time_zone_fallback"
	hsdsWarnOrgByName          = "organisation_matched_by_name"
	hsdsWarnOrgKept            = "organisation_kept"
	hsdsWarnStatus             = "status_unknown"
	hsdsWarnSchedule           = "schedule_unsupported"
	hsdsWarnEmail              = "email_invalid"
	hsdsWarnPhone              = "phone_invalid"
	hsdsWarnTruncated          = "text_truncated"
	hsdsWarnAttributes         = "attributes_other_taxonomy"
	hsdsWarnLocations          = "locations_extra"
	hsdsWarnConfidential       = "confidential_not_shelter"
	hsdsWarnCategories         = "categories_several"
	hsdsWarnTranslation        = "translation_invalid"
)

// hsdsWarningTexts explain each code in English, for the command line and logs.
var hsdsWarningTexts = map[string]string{
	hsdsWarnIDDerived:          "the id is not a UUID; the record is stored under a UUID derived from it",
	hsdsWarnCoordinates:        "coordinates out of range or incomplete; left out",
	hsdsWarnUnitUnknown:        "not a Harbour unit (bed, family room); this capacity is ignored",
	hsdsWarnCapacityInvalid:    "not a whole number from 0 to 10000; this capacity is ignored",
	hsdsWarnCapacityOver:       "more available than the maximum; the maximum is kept as the capacity",
	hsdsWarnCapacityNoMaximum:  "no maximum; the available count is kept as the capacity",
	hsdsWarnCapacityNotShelter: "only shelters have a capacity in Harbour; ignored",
	hsdsWarnLanguage:           "not a language code; left out",
	hsdsWarnAge:                "not an age from 0 to 120; left out",
	hsdsWarnAgeOrder:           "the minimum age is above the maximum; both left out",
	hsdsWarnCountry:            "no valid ISO 3166-1 country code; the fallback country is used",
	hsdsWarnCity:               "no city; recorded as “" + hsdsNoCity + "” — set it in Harbour",
	hsdsWarnTimeZone:           "no default time zone for this country; the organisation is created with UTC",
	hsdsWarnOrgByName:          "an organisation of this name already exists under another id; the service is added to it",
	hsdsWarnOrgKept:            "the service already belongs to another organisation in Harbour; it is not moved",
	hsdsWarnStatus:             "unknown status; treated as active",
	hsdsWarnSchedule:           "cannot be expressed as weekly opening hours; ignored",
	hsdsWarnEmail:              "not a valid e-mail address; left out",
	hsdsWarnPhone:              "longer than 40 characters; left out",
	hsdsWarnTruncated:          "too long; shortened",
	hsdsWarnAttributes:         "attributes from other taxonomies are not kept",
	hsdsWarnLocations:          "Harbour keeps one location per service; the others are ignored",
	hsdsWarnConfidential:       "only a shelter can have a confidential location; ignored",
	hsdsWarnCategories:         "several categories; the first is kept",
	hsdsWarnTranslation:        "a translation with an invalid language tag; left out",
}

// String explains the warning in English.
func (w HSDSImportWarning) String() string {
	s := fmt.Sprintf("record %d", w.Record)
	if w.ServiceID != "" {
		s += " (" + w.ServiceID + ")"
	}
	s += ": " + w.Field
	if w.Value != "" {
		s += " " + w.Value
	}
	return s + ": " + hsdsWarningTexts[w.Code]
}

// ImportHSDS imports HSDS services with the default options; see ImportHSDSWith.
func (d *Domain) ImportHSDS(ctx context.Context, data []byte) (HSDSImportResult, error) {
	return d.ImportHSDSWith(ctx, data, HSDSImportOptions{})
}

// ImportHSDSWith imports HSDS 3.1 services from data: one service object, an array of them, or
// an HSDS page whose contents are services. Services and organisations keep their HSDS ids. A
// new service is created with CreateService and an existing one changed with UpdateService
// (same validation, authorization and audit as a person editing it); a service already as in
// the file is left untouched, so importing a file twice changes nothing the second time.
//
// A record carrying Harbour's taxonomy (as Harbour's own export does) is complete: a field it
// lacks is empty. Any other record may be partial (HSDS listings leave out nested data), so on
// an existing service only the fields it carries are changed. A confidential shelter's address
// and coordinates are never cleared by an import, since exports never carry them.
//
// Odd data is adjusted with a warning rather than refused: invalid coordinates, units other
// than bed and family room, unknown language codes, ages out of range, schedules that are not
// weekly. The error is for an unreadable document or a database failure.
func (d *Domain) ImportHSDSWith(ctx context.Context, data []byte, opts HSDSImportOptions) (HSDSImportResult, error) {
	res := HSDSImportResult{Warnings: []HSDSImportWarning{}, Failures: []HSDSImportFailure{}}
	if ActorFrom(ctx).IsZero() {
		return res, ErrUnauthenticated
	}
	if opts.DefaultCountry != "" && hsdsCountry(opts.DefaultCountry) == "" {
		return res, fieldError("country", "error.organisation.country", nil)
	}
	records, err := hsdsRecords(data)
	if err != nil {
		return res, err
	}
	res.Records = len(records)
	for i, raw := range records {
		imp := &hsdsImport{d: d, ctx: ctx, opts: opts, res: &res, record: i}
		outcome, err := imp.run(raw)
		var de *Error
		switch {
		case errors.As(err, &de):
			res.Failed++
			res.Failures = append(res.Failures, HSDSImportFailure{Record: i, ServiceID: imp.serviceID, Err: err})
		case err != nil:
			return res, err
		case outcome == hsdsCreated:
			res.Created++
		case outcome == hsdsUpdated:
			res.Updated++
		default:
			res.Unchanged++
		}
	}
	return res, nil
}

// hsdsRecords splits a document into its service records.
func hsdsRecords(data []byte) ([]json.RawMessage, error) {
	data = bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if !json.Valid(data) {
		return nil, Errorf(CodeInvalid, "error.body.json", nil)
	}
	switch data[0] {
	case '[':
		var list []json.RawMessage
		err := json.Unmarshal(data, &list)
		return list, err
	case '{':
		var page struct {
			Contents []json.RawMessage `json:"contents"`
		}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(data, &keys); err != nil {
			return nil, err
		}
		if _, isPage := keys["contents"]; isPage {
			if err := json.Unmarshal(data, &page); err != nil {
				return nil, fieldError("contents", "error.field.type", nil)
			}
			return page.Contents, nil
		}
		return []json.RawMessage{data}, nil
	}
	return nil, Errorf(CodeInvalid, "error.body.json", nil)
}

type hsdsOutcome int

const (
	hsdsUnchanged hsdsOutcome = iota
	hsdsCreated
	hsdsUpdated
)

// hsdsImport is the import of one record.
type hsdsImport struct {
	d         *Domain
	ctx       context.Context
	opts      HSDSImportOptions
	res       *HSDSImportResult
	record    int
	serviceID string
}

func (imp *hsdsImport) warn(field, code, value string) {
	imp.res.Warnings = append(imp.res.Warnings, HSDSImportWarning{Record: imp.record, ServiceID: imp.serviceID,
		Field: field, Code: code, Value: value})
}

// hsdsTags are the record's attributes from Harbour's taxonomy, by term code, in order.
type hsdsTags struct {
	codes []string
	attrs map[string][]HSDSAttribute
}

func (t hsdsTags) has(code string) bool { return len(t.attrs[code]) > 0 }

// values returns the values of the tags of one group ("gender" → ["female"]), in order.
func (t hsdsTags) values(group string) []string {
	out := []string{}
	for _, code := range t.codes {
		if g, v, ok := strings.Cut(code, "/"); ok && g == group && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// hsdsReadTags sorts attributes into Harbour's and the others. A term is Harbour's by its fixed ID,
// or by its code when the term names Harbour's taxonomy.
func hsdsReadTags(attrs []HSDSAttribute) (tags hsdsTags, others int) {
	tags.attrs = map[string][]HSDSAttribute{}
	for _, a := range attrs {
		t, ok := hsdsHarbourTerm(a)
		if !ok {
			others++
			continue
		}
		if !tags.has(t.code) {
			tags.codes = append(tags.codes, t.code)
		}
		tags.attrs[t.code] = append(tags.attrs[t.code], a)
	}
	return tags, others
}

func hsdsHarbourTerm(a HSDSAttribute) (hsdsTerm, bool) {
	ids := []string{a.TaxonomyTermID}
	if a.TaxonomyTerm != nil {
		ids = append(ids, a.TaxonomyTerm.ID)
	}
	for _, id := range ids {
		if t, ok := hsdsTermsByID[strings.ToLower(strings.TrimSpace(id))]; ok {
			return t, true
		}
	}
	if tt := a.TaxonomyTerm; tt != nil && tt.Code != "" {
		ours := strings.EqualFold(tt.TaxonomyID, HSDSTaxonomyID.String()) ||
			(tt.TaxonomyDetail != nil && strings.EqualFold(tt.TaxonomyDetail.ID, HSDSTaxonomyID.String()))
		if t, ok := hsdsTermsByID[hsdsTermID(tt.Code).String()]; ours && ok {
			return t, true
		}
	}
	return hsdsTerm{}, false
}

// run imports one record.
func (imp *hsdsImport) run(raw json.RawMessage) (hsdsOutcome, error) {
	var h HSDSService
	var present map[string]json.RawMessage
	if err := json.Unmarshal(raw, &present); err != nil {
		return 0, fieldError("service", "error.field.type", nil)
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		field := "service"
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			field = te.Field
		}
		return 0, fieldError(field, "error.field.type", nil)
	}
	imp.serviceID = strings.TrimSpace(h.ID)
	if imp.serviceID == "" {
		return 0, fieldError("id", "error.field.required", nil)
	}
	id, err := uuid.Parse(imp.serviceID)
	if err != nil {
		id = uuid.NewSHA1(HSDSTaxonomyID, []byte("service/"+imp.serviceID))
		imp.warn("id", hsdsWarnIDDerived, id.String())
	}
	imp.serviceID = id.String()

	db := imp.d.db.WithContext(imp.ctx)
	var existing *Service
	if s, err := loadService(db, id); err == nil {
		existing = &s
	} else if err != ErrNotFound {
		return 0, err
	}
	creating := existing == nil

	tags, others := hsdsReadTags(h.Attributes)
	if others > 0 {
		imp.warn("attributes", hsdsWarnAttributes, fmt.Sprint(others))
	}
	// A record tagged with Harbour's taxonomy came from a Harbour export: it is complete.
	complete := creating || len(tags.codes) > 0
	has := func(key string) bool {
		_, ok := present[key]
		return complete || ok
	}

	place := imp.pickLocation(h)
	org, err := imp.organisation(h, existing, place)
	if err != nil {
		return 0, err
	}

	in := ServiceInput{ID: id}
	category := imp.category(tags, creating, &in)
	if category == "" {
		category = existing.Category
	}
	in.Name = ptr(imp.text("name", h.Name, 200))
	if has("description") {
		in.Description = ptr(imp.text("description", h.Description, 4000))
	}
	if has("eligibility_description") {
		in.Conditions = ptr(imp.text("eligibility_description", h.EligibilityDescription, 2000))
	}
	if has("email") {
		imp.email(h.Email, creating, &in)
	}
	if has("status") {
		imp.status(h.Status, &in)
	}
	imp.ages(h, has, &in)
	if has("languages") {
		in.Languages = ptr(imp.languages(h.Languages))
	}
	imp.flags(h, tags, has, category, &in)
	imp.phone(h, has, &in)
	imp.schedules(h, has, &in)
	confidential := (in.Confidential != nil && *in.Confidential) || (in.Confidential == nil && existing != nil && existing.Confidential)
	imp.place(place, creating, complete, confidential, org, &in)
	if has("capacities") {
		imp.capacities(h.Capacities, complete, category, &in)
	}

	if creating {
		in.OrganisationID = org.ID
		if _, _, err := imp.d.CreateService(imp.ctx, in); err != nil {
			return 0, err
		}
		return hsdsCreated, nil
	}
	// Only those who may edit the service learn that it is already as in the file.
	if err := Authorize(ActorFrom(imp.ctx), ActServiceUpdate, Target{OrganisationID: existing.OrganisationID}); err != nil {
		return 0, err
	}
	candidate := *existing
	candidate.Capacity = maps.Clone(existing.Capacity)
	if err := in.apply(&candidate, false); err == nil && hsdsSameService(*existing, candidate) {
		return hsdsUnchanged, nil
	}
	if _, err := imp.d.UpdateService(imp.ctx, id, in); err != nil {
		return 0, err
	}
	return hsdsUpdated, nil
}

// hsdsSameService reports whether an update would change nothing: timestamps aside, with
// empty and missing lists alike and a zero capacity the same as none.
func hsdsSameService(a, b Service) bool {
	norm := func(s Service) Service {
		s.CreatedAt, s.UpdatedAt, s.AddressHidden = time.Time{}, time.Time{}, false
		capacity := map[Unit]int{}
		for u, n := range s.Capacity {
			if n != 0 {
				capacity[u] = n
			}
		}
		s.Capacity = capacity
		for _, l := range []*[]string{&s.Languages, &s.Genders, &s.ExploitationTypes} {
			if *l == nil {
				*l = []string{}
			}
		}
		if s.OpeningHours == nil {
			s.OpeningHours = []OpeningHours{}
		}
		if s.NameI18n == nil {
			s.NameI18n = Texts{}
		}
		if s.DescriptionI18n == nil {
			s.DescriptionI18n = Texts{}
		}
		return s
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

// text makes free text from another system acceptable to Harbour's rules: line breaks and tabs
// become spaces, other control characters and broken UTF-8 go, and text over the limit is
// shortened with a warning.
func (imp *hsdsImport) text(field, s string, max int) string {
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
		imp.warn(field, hsdsWarnTruncated, "")
	}
	return s
}

// category sets the category from Harbour's tag; a new service without one is "other".
func (imp *hsdsImport) category(tags hsdsTags, creating bool, in *ServiceInput) Category {
	values := tags.values(hsdsTermCategory)
	if len(values) > 1 {
		imp.warn("attributes", hsdsWarnCategories, strings.Join(values, ","))
	}
	var c Category
	switch {
	case len(values) > 0:
		c = Category(values[0])
	case creating:
		c = CategoryOther
	default:
		return ""
	}
	in.Category = &c
	return c
}

func (imp *hsdsImport) email(email string, creating bool, in *ServiceInput) {
	e := cleanCode(email)
	if e != "" {
		var p Problems
		if e = cleanEmail(&p, e); p.Err() != nil {
			imp.warn("email", hsdsWarnEmail, email)
			if !creating {
				return
			}
			e = ""
		}
	}
	in.Email = &e
}

// status: "temporarily closed" is a service not accepting referrals for now; "inactive" and
// "defunct" are services no longer offered.
func (imp *hsdsImport) status(status string, in *ServiceInput) {
	active, accepting := true, true
	switch strings.ToLower(strings.TrimSpace(status)) {
	case "active":
	case "temporarily closed":
		accepting = false
	case "inactive", "defunct":
		active = false
	default:
		imp.warn("status", hsdsWarnStatus, status)
	}
	in.Active = &active
	if active {
		in.Accepting = &accepting
	}
}

func (imp *hsdsImport) ages(h HSDSService, has func(string) bool, in *ServiceInput) {
	age := func(field string, v *float64) *int {
		if v == nil {
			return nil
		}
		n := math.Round(*v)
		if math.IsNaN(n) || n < 0 || n > 120 {
			imp.warn(field, hsdsWarnAge, fmt.Sprint(*v))
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
		imp.warn("minimum_age", hsdsWarnAgeOrder, fmt.Sprintf("%d > %d", *lo, *hi))
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
func (imp *hsdsImport) languages(langs []HSDSLanguage) []string {
	out := []string{}
	for i, l := range langs {
		c := canonicalLanguage(l.Code)
		if c == "" {
			imp.warn(fmt.Sprintf("languages[%d].code", i), hsdsWarnLanguage, l.Code)
			continue
		}
		out = append(out, c)
	}
	return out
}

// flags reads who the service serves and what it offers from Harbour's tags; without them, the
// interpreter flag follows HSDS's interpretation_services text.
func (imp *hsdsImport) flags(h HSDSService, tags hsdsTags, has func(string) bool, category Category, in *ServiceInput) {
	if len(tags.codes) == 0 {
		if has("interpretation_services") {
			in.Interpreter = ptr(strings.TrimSpace(h.InterpretationServices) != "")
		}
		return
	}
	in.Genders = ptr(tags.values(hsdsTermGender))
	in.ExploitationTypes = ptr(tags.values(hsdsTermExploitation))
	in.AcceptsMinors = ptr(tags.has(hsdsTermAcceptsMinors))
	in.AcceptsChildren = ptr(tags.has(hsdsTermAcceptsChildren))
	in.Interpreter = ptr(tags.has(hsdsTermInterpreter))
	confidential := tags.has(hsdsTermConfidential)
	if confidential && category != CategoryShelter {
		imp.warn("attributes", hsdsWarnConfidential, "")
		confidential = false
	}
	in.Confidential = &confidential
	in.NameI18n = imp.translations(tags.attrs[hsdsTermNameI18n], 200)
	in.DescriptionI18n = imp.translations(tags.attrs[hsdsTermDescriptionI18n], 4000)
}

// translations reads translation tags: the label is the language tag, the value the text.
func (imp *hsdsImport) translations(attrs []HSDSAttribute, max int) map[string]string {
	out := map[string]string{}
	for _, a := range attrs {
		tag, err := language.Parse(strings.TrimSpace(a.Label))
		if err != nil {
			imp.warn("attributes.label", hsdsWarnTranslation, a.Label)
			continue
		}
		if text := imp.text("attributes.value", a.Value, max); text != "" {
			out[tag.String()] = text
		}
	}
	return out
}

// phone takes the service's first phone number, else its location's.
func (imp *hsdsImport) phone(h HSDSService, has func(string) bool, in *ServiceInput) {
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
			imp.warn("phones[0].number", hsdsWarnPhone, number)
			return
		}
	}
	in.Phone = &number
}

var (
	hsdsClock = regexp.MustCompile(`^([01][0-9]|2[0-4]):([0-5][0-9])(:[0-5][0-9](\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$`)
)

// hsdsClockTime reads an HSDS time ("10:00:00", "09:00-05:00", "09:00Z") as Harbour's "HH:MM"
// in the organisation's time zone: the offset is dropped, since opening hours follow the
// local clock through summer time.
func hsdsClockTime(s string) (string, bool) {
	m := hsdsClock.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || (m[1] == "24" && m[2] != "00") {
		return "", false
	}
	return m[1] + ":" + m[2], true
}

// schedules reads weekly schedules (the service's, else its location's) as opening hours; all
// seven days from 00:00 to 23:59 (or 24:00) is open always.
func (imp *hsdsImport) schedules(h HSDSService, has func(string) bool, in *ServiceInput) {
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
	hours := []OpeningHours{}
	for i, sch := range list {
		f := fmt.Sprintf("%s[%d]", field, i)
		freq := strings.ToUpper(strings.TrimSpace(sch.Freq))
		opens, okOpens := hsdsClockTime(sch.OpensAt)
		closes, okCloses := hsdsClockTime(sch.ClosesAt)
		var days []int
		for _, day := range strings.Split(sch.ByDay, ",") {
			if n := slices.Index(hsdsDays, strings.ToUpper(strings.TrimSpace(day))); n >= 0 {
				days = append(days, n+1)
			} else {
				days = nil // "2MO" (monthly) or a typo: not weekly hours
				break
			}
		}
		if (freq != "WEEKLY" && freq != "") || !okOpens || !okCloses || len(days) == 0 {
			imp.warn(f, hsdsWarnSchedule, fmt.Sprintf("%s %s %s–%s", sch.Freq, sch.ByDay, sch.OpensAt, sch.ClosesAt))
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
			hours = append(hours, OpeningHours{Day: day, Opens: opens, Closes: closes})
		}
	}
	if always {
		hours = []OpeningHours{}
	}
	in.OpenAlways, in.OpeningHours = &always, &hours
}

// hsdsPlace is the location chosen for a service, with its address.
type hsdsPlace struct {
	field    string
	location *HSDSLocation
	address  *HSDSAddress
}

// pickLocation chooses the service's location: the first physical one, else the first; and of
// its addresses the first physical one, else the first.
func (imp *hsdsImport) pickLocation(h HSDSService) hsdsPlace {
	var p hsdsPlace
	n := 0
	for i, sal := range h.ServiceAtLocations {
		if sal.Location == nil {
			continue
		}
		n++
		if p.location == nil || (p.location.LocationType != "physical" && sal.Location.LocationType == "physical") {
			p.location, p.field = sal.Location, fmt.Sprintf("service_at_locations[%d].location", i)
		}
	}
	if n > 1 {
		imp.warn("service_at_locations", hsdsWarnLocations, fmt.Sprint(n-1))
	}
	if p.location != nil {
		for i := range p.location.Addresses {
			a := &p.location.Addresses[i]
			if p.address == nil || (p.address.AddressType != "physical" && a.AddressType == "physical") {
				p.address = a
			}
		}
	}
	return p
}

// country returns the address's country when it is an ISO 3166-1 alpha-2 code.
func (p hsdsPlace) country() string {
	if p.address == nil {
		return ""
	}
	return hsdsCountry(p.address.Country)
}

func hsdsCountry(s string) string {
	if c, ok := countryCode(s); ok {
		return c
	}
	return ""
}

// place sets the address and coordinates. A new service without a city or country gets the
// fallbacks; a confidential shelter's address and coordinates are kept when the record has
// none, as Harbour's exports never carry them.
func (imp *hsdsImport) place(p hsdsPlace, creating, complete, confidential bool, org Organisation, in *ServiceInput) {
	if p.address != nil {
		a := *p.address
		f := p.field + ".addresses[0]"
		if city := imp.text(f+".city", a.City, 100); city != "" {
			in.City = &city
		}
		region := a.StateProvince
		if strings.TrimSpace(region) == "" {
			region = a.Region
		}
		in.Region = ptr(imp.text(f+".state_province", region, 100))
		street := strings.TrimSpace(imp.text(f+".address_1", a.Address1, 300))
		if extra := imp.text(f+".address_2", a.Address2, 300); extra != "" {
			street = strings.TrimPrefix(street+", "+extra, ", ")
		}
		street = imp.text(f+".address_1", street, 300)
		postal := imp.text(f+".postal_code", a.PostalCode, 1000)
		if utf8.RuneCountInString(postal) > 20 {
			imp.warn(f+".postal_code", hsdsWarnTruncated, postal)
			postal = ""
		}
		if !(confidential && street == "" && postal == "") {
			in.Address, in.PostalCode = &street, &postal
		}
		if c := p.country(); c != "" {
			in.Country = &c
		} else if creating {
			imp.warn(f+".country", hsdsWarnCountry, a.Country+" → "+org.Country)
			in.Country = &org.Country
		}
	}
	where := "service_at_locations"
	if p.location != nil {
		where = p.field + ".addresses"
	}
	if creating && in.City == nil {
		imp.warn(where, hsdsWarnCity, "")
		in.City = ptr(hsdsNoCity)
	}
	if creating && in.Country == nil {
		imp.warn(where, hsdsWarnCountry, "→ "+org.Country)
		in.Country = &org.Country
	}
	if p.location == nil {
		return
	}
	lat, lon := p.location.Latitude, p.location.Longitude
	switch {
	case lat != nil && lon != nil && *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180:
		in.Latitude, in.Longitude = ptr(ptr(*lat)), ptr(ptr(*lon))
	case lat != nil || lon != nil:
		imp.warn(p.field+".latitude", hsdsWarnCoordinates, fmt.Sprintf("%v, %v", deref(lat), deref(lon)))
		if creating {
			in.Latitude, in.Longitude = ptr[*float64](nil), ptr[*float64](nil)
		}
	case complete && !confidential:
		in.Latitude, in.Longitude = ptr[*float64](nil), ptr[*float64](nil)
	}
}

// capacities reads beds and family rooms (by Harbour's unit IDs, or a unit named or identified
// as such); other units are ignored. The capacity is the maximum; the count available is
// Harbour's to compute from holds and placements.
func (imp *hsdsImport) capacities(list []HSDSServiceCapacity, complete bool, category Category, in *ServiceInput) {
	capacity := map[Unit]int{}
	for i, c := range list {
		f := fmt.Sprintf("capacities[%d]", i)
		unit, ok := hsdsUnit(c.Unit)
		if !ok {
			name := ""
			if c.Unit != nil {
				name = c.Unit.Name
			}
			imp.warn(f+".unit", hsdsWarnUnitUnknown, name)
			continue
		}
		v := c.Maximum
		switch {
		case v == nil && c.Available != nil:
			imp.warn(f+".maximum", hsdsWarnCapacityNoMaximum, "")
			v = c.Available
		case v != nil && c.Available != nil && *c.Available > *v:
			imp.warn(f+".available", hsdsWarnCapacityOver, fmt.Sprintf("%v > %v", *c.Available, *v))
		}
		if v == nil || *v != math.Trunc(*v) || *v < 0 || *v > 10000 {
			imp.warn(f+".maximum", hsdsWarnCapacityInvalid, fmt.Sprint(deref(v)))
			continue
		}
		capacity[unit] = int(*v)
	}
	if category != CategoryShelter {
		if len(capacity) > 0 {
			imp.warn("capacities", hsdsWarnCapacityNotShelter, "")
		}
		return
	}
	if len(capacity) > 0 || complete {
		in.Capacity = capacity
	}
}

func hsdsUnit(u *HSDSUnit) (Unit, bool) {
	if u == nil {
		return "", false
	}
	switch id := strings.ToLower(strings.TrimSpace(u.ID)); id {
	case HSDSUnitBedID.String():
		return UnitBed, true
	case HSDSUnitFamilyRoomID.String():
		return UnitFamilyRoom, true
	}
	for _, v := range []string{u.Identifier, u.Name} {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "bed", "beds":
			return UnitBed, true
		case "family_room", "family room", "family rooms":
			return UnitFamilyRoom, true
		}
	}
	return "", false
}

// organisation finds or creates the service's organisation. An existing service stays with
// its organisation. A new one goes to the organisation with the record's organization id, or
// of the same name; failing both, the organisation is created with that id: kind from
// Harbour's tag (else NGO), country from the service's address (else the fallback), and the
// country's time zone (else UTC). Existing organisations are left as they are.
func (imp *hsdsImport) organisation(h HSDSService, existing *Service, p hsdsPlace) (Organisation, error) {
	db := imp.d.db.WithContext(imp.ctx)
	var o Organisation
	rawID := strings.TrimSpace(h.OrganizationID)
	if h.Organization != nil && strings.TrimSpace(h.Organization.ID) != "" {
		rawID = strings.TrimSpace(h.Organization.ID)
	}
	orgID := uuid.Nil
	if rawID != "" {
		var err error
		if orgID, err = uuid.Parse(rawID); err != nil {
			orgID = uuid.NewSHA1(HSDSTaxonomyID, []byte("organization/"+rawID))
			imp.warn("organization.id", hsdsWarnIDDerived, orgID.String())
		}
	}
	if existing != nil {
		if err := db.First(&o, "id = ?", existing.OrganisationID).Error; err != nil {
			return o, err
		}
		if orgID != uuid.Nil && orgID != o.ID {
			imp.warn("organization.id", hsdsWarnOrgKept, o.ID.String())
		}
		return o, nil
	}
	if orgID != uuid.Nil {
		var found []Organisation
		if err := db.Where("id = ?", orgID).Limit(1).Find(&found).Error; err != nil {
			return o, err
		}
		if len(found) == 1 {
			return found[0], nil
		}
	}
	if h.Organization == nil || strings.TrimSpace(h.Organization.Name) == "" {
		return o, fieldError("organization", "error.user.organisation", nil)
	}
	name := imp.text("organization.name", h.Organization.Name, 200)
	var found []Organisation
	if err := db.Where("lower(name) = lower(?)", name).Limit(1).Find(&found).Error; err != nil {
		return o, err
	}
	if len(found) == 1 {
		imp.warn("organization.name", hsdsWarnOrgByName, found[0].ID.String())
		return found[0], nil
	}
	kind := KindNGO
	tags, _ := hsdsReadTags(h.Organization.Attributes)
	if kinds := tags.values(hsdsTermKind); len(kinds) > 0 {
		kind = OrganisationKind(kinds[0])
	}
	country := p.country()
	if country == "" {
		country = hsdsCountry(imp.opts.DefaultCountry)
		if country == "" {
			country = HSDSFallbackCountry
		}
		imp.warn("organization", hsdsWarnCountry, "→ "+country)
	}
	zone := defaultTimeZones[country]
	if zone == "" {
		zone = "UTC"
		imp.warn("organization", hsdsWarnTimeZone, country)
	}
	o, created, err := imp.d.CreateOrganisation(imp.ctx, OrganisationInput{ID: orgID, Name: &name, Kind: &kind,
		Country: &country, TimeZone: &zone})
	if created {
		imp.res.OrganisationsCreated++
	}
	return o, err
}
