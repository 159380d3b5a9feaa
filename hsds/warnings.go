package hsds

import "strings"

// ImportWarning is something in the file that was left out or adjusted rather than refused. It
// is told as a message ID with named data, translated where it is shown (`harbour hsds import`
// prints it in the shell's language), never as text in one language.
type ImportWarning struct {
	Record    int            `json:"record"` // position of the service in the file, from 0
	ServiceID string         `json:"service_id,omitempty"`
	Field     string         `json:"field"`      // HSDS path, e.g. "service_at_locations[0].location.latitude"
	Code      string         `json:"code"`       // stable for scripts, one of the warn* codes
	MessageID string         `json:"message_id"` // what happened and what Harbour did, in locales/
	Data      map[string]any `json:"data,omitempty"`
}

// Warning codes, stable for scripts reading the result. Each is told by the message
// "hsds.warning.<code>" unless warn is given another.
const (
	warnIDDerived          = "id_derived"                      // data: ID
	warnCoordinates        = "coordinates_invalid"             // data: Latitude, Longitude
	warnUnitUnknown        = "unit_unknown"                    // data: Unit
	warnCapacityInvalid    = "capacity_invalid"                // data: Value
	warnCapacityOver       = "capacity_available_over_maximum" // data: Available, Maximum
	warnCapacityNoMaximum  = "capacity_no_maximum"
	warnCapacityNotShelter = "capacity_not_shelter"
	warnLanguage           = "language_unknown" // data: Code
	warnAge                = "age_invalid"      // data: Age
	warnAgeOrder           = "age_order"        // data: Minimum, Maximum
	warnCountry            = "country_fallback" // data: Country, and Given with msgCountryInvalid
	warnCity               = "city_missing"     // data: City
	warnTimeZone           = "time_zone_fallback"
	warnOrgByName          = "organisation_matched_by_name" // data: Organisation (its ID)
	warnOrgKept            = "organisation_kept"            // data: Organisation (its ID)
	warnStatus             = "status_unknown"               // data: Status
	warnSchedule           = "schedule_unsupported"         // data: Freq, ByDay, Opens, Closes
	warnEmail              = "email_invalid"                // data: Email
	warnPhone              = "phone_invalid"                // data: Phone
	warnTruncated          = "text_truncated"               // data: Max; PostalCode with msgPostalCodeTooLong
	warnAttributes         = "attributes_other_taxonomy"    // data: Count
	warnLocations          = "locations_extra"              // data: Count
	warnConfidential       = "confidential_not_shelter"
	warnCategories         = "categories_several"  // data: Categories, Category
	warnTranslation        = "translation_invalid" // data: Tag
)

// Messages for codes that cover two cases a reader should tell apart.
const (
	msgCountryInvalid    = "hsds.warning.country_invalid"      // a country given, but not a code: data Given, Country
	msgPostalCodeTooLong = "hsds.warning.postal_code_too_long" // left out, not shortened: data PostalCode
)

// warningMessage returns the message ID that tells a code.
func warningMessage(code string) string { return "hsds.warning." + code }

// warn records a warning about the record being imported, told by its code's message.
func (imp *importer) warn(field, code string, data map[string]any) {
	imp.warnWith(field, code, warningMessage(code), data)
}

// warnWith records a warning told by another message than its code's.
func (imp *importer) warnWith(field, code, messageID string, data map[string]any) {
	imp.res.Warnings = append(imp.res.Warnings, ImportWarning{Record: imp.record, ServiceID: imp.serviceID,
		Field: field, Code: code, MessageID: messageID, Data: data})
}

// warnCountry warns that a new record gets the fallback country, saying what the record gave
// instead when it gave anything.
func (imp *importer) warnCountry(field, given, country string) {
	if strings.TrimSpace(given) == "" {
		imp.warn(field, warnCountry, map[string]any{"Country": country})
		return
	}
	imp.warnWith(field, warnCountry, msgCountryInvalid, map[string]any{"Given": given, "Country": country})
}
