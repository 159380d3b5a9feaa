package hsds_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/harbour-nrm/harbour/hsds"
	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/locales"
)

// termIDs finds the published IDs of Harbour's terms by code, as a partner would.
func termIDs() map[string]string {
	out := map[string]string{}
	for _, t := range hsds.TaxonomyTerms() {
		out[t.Code] = t.ID
	}
	return out
}

// oddRecords is a file that earns every warning the import gives.
func oddRecords() string {
	ids := termIDs()
	tag := func(code, label string) string {
		return fmt.Sprintf(`{"id": "a-%s", "taxonomy_term_id": %q, "label": %q, "value": "x"}`, label, ids[code], label)
	}
	return `[{"id": "service-one", "name": "` + strings.Repeat("N", 201) + `", "status": "open", "email": "not-an-address",
		"minimum_age": 150,
		"organization": {"id": "org-one", "name": "Odd Data NGO", "description": "x"},
		"service_at_locations": [
			{"id": "sal1", "location": {"id": "l1", "location_type": "physical", "latitude": 100, "longitude": 5,
				"addresses": [{"id": "ad1", "address_1": "Main 1", "city": "Ghent", "state_province": "",
					"postal_code": "123456789012345678901", "country": "XX", "address_type": "physical"}]}},
			{"id": "sal2", "location": {"id": "l2", "location_type": "virtual"}}],
		"languages": [{"id": "lang", "code": "!!"}],
		"phones": [{"id": "ph", "number": "` + strings.Repeat("1", 41) + `"}],
		"schedules": [{"id": "s", "freq": "MONTHLY", "byday": "2MO", "opens_at": "09:00", "closes_at": "12:00"}],
		"capacities": [
			{"id": "c1", "unit": {"id": "u1", "name": "Kilogram"}, "available": 1, "updated": "2026-01-01T00:00:00Z"},
			{"id": "c2", "unit": {"id": "u2", "name": "bed"}, "available": 3, "updated": "2026-01-01T00:00:00Z"},
			{"id": "c3", "unit": {"id": "u3", "name": "beds"}, "available": 5, "maximum": 2, "updated": "2026-01-01T00:00:00Z"},
			{"id": "c4", "unit": {"id": "u4", "name": "family room"}, "maximum": 1.5, "updated": "2026-01-01T00:00:00Z"}],
		"attributes": [` + strings.Join([]string{tag("category/legal", "l"), tag("category/medical", "m"),
		tag("feature/confidential_location", "c"), tag("translation/name", "!!"),
		`{"id": "o1", "taxonomy_term_id": "other-1"}`, `{"id": "o2", "taxonomy_term_id": "other-2"}`}, ", ") + `]},
	{"id": "019a0000-0000-7000-8000-0000000000c2", "name": "Ages", "status": "active", "minimum_age": 30, "maximum_age": 20,
		"organization": {"name": "odd data ngo", "description": "x"}},
	{"id": "019a0000-0000-7000-8000-0000000000c3", "name": "Far away", "status": "active",
		"organization": {"id": "019a0000-0000-7000-8000-0000000000d3", "name": "Far NGO", "description": "x"},
		"service_at_locations": [{"id": "sal", "location": {"id": "l", "location_type": "physical",
			"addresses": [{"id": "ad", "address_1": "1 Main St", "city": "Springfield", "state_province": "",
				"postal_code": "1", "country": "US", "address_type": "physical"}]}}]},
	{"id": "019a0000-0000-7000-8000-0000000000c3", "name": "Far away",
		"organization": {"id": "019a0000-0000-7000-8000-0000000000d4", "name": "Other NGO", "description": "x"}}]`
}

// TestHSDSImportWarnings shows every warning of an import told in Chinese and in English: a
// message with its data, never a message ID or a hole where data is missing.
func TestHSDSImportWarnings(t *testing.T) {
	e := newEnv(t)
	res, err := e.hsds.Import(system, []byte(oddRecords()))
	if err != nil || res.Failed != 0 {
		t.Fatalf("import %+v %v", res, err)
	}
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	zh, en := bundle.Localizer("zh-Hans"), bundle.Localizer("en")
	seen := map[string]bool{}
	for _, w := range res.Warnings {
		seen[w.MessageID] = true
		var texts []string
		for _, l := range []*i18n.Localizer{zh, en} {
			text, err := l.Localize(w.MessageID, w.Data)
			if err != nil || strings.Contains(text, "<no value>") || strings.Contains(text, "hsds.") {
				t.Errorf("%s in %s: %q %v", w.Code, l.Code, text, err)
			}
			texts = append(texts, text)
		}
		if texts[0] == texts[1] {
			t.Errorf("%s: the same in Chinese and English: %q", w.Code, texts[0])
		}
		t.Logf("%s\n  zh-Hans: %s\n  en: %s", w.Field, texts[0], texts[1])
	}
	var missing []string
	for _, code := range []string{"id_derived", "coordinates_invalid", "unit_unknown", "capacity_invalid",
		"capacity_available_over_maximum", "capacity_no_maximum", "capacity_not_shelter", "language_unknown",
		"age_invalid", "age_order", "country_fallback", "country_invalid", "city_missing", "time_zone_fallback",
		"organisation_matched_by_name", "organisation_kept", "status_unknown", "schedule_unsupported", "email_invalid",
		"phone_invalid", "text_truncated", "postal_code_too_long", "attributes_other_taxonomy", "locations_extra",
		"confidential_not_shelter", "categories_several", "translation_invalid"} {
		if !seen["hsds.warning."+code] {
			missing = append(missing, code)
		}
	}
	if len(missing) > 0 {
		t.Errorf("warnings not given: %v", missing)
	}

	// One warning as the command line shows it, in each language.
	i := slices.IndexFunc(res.Warnings, func(w hsds.ImportWarning) bool { return w.Code == "coordinates_invalid" })
	w := res.Warnings[i]
	if got := zh.T(w.MessageID, w.Data); got != "坐标 100, 5 超出范围或不完整，未导入" {
		t.Errorf("in Chinese: %q", got)
	}
	if got := en.T(w.MessageID, w.Data); got != "coordinates 100, 5 out of range or incomplete; left out" {
		t.Errorf("in English: %q", got)
	}
	if w.Record != 0 || w.Field != "service_at_locations[0].location.latitude" {
		t.Errorf("warning %+v", w)
	}
	i = slices.IndexFunc(res.Warnings, func(w hsds.ImportWarning) bool { return w.Code == "attributes_other_taxonomy" })
	if got := en.T(res.Warnings[i].MessageID, res.Warnings[i].Data); got != "2 attributes from other taxonomies are not kept" {
		t.Errorf("plural in English: %q", got)
	}
}
