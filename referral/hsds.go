package referral

import (
	"math"
	"strings"

	"github.com/google/uuid"
)

// This file holds the parts of the Human Services Data Specification (HSDS 3.1, Open Referral)
// that Harbour reads and writes, and Harbour's own taxonomy for what HSDS has no field for
// (category, genders, exploitation types, …). The JSON names are the specification's; a field
// the schema requires is always written, an optional one only when Harbour has a value.
// Identifiers are strings, not uuid.UUID, so that an import can report a malformed ID of one
// record instead of refusing the whole file.

// HSDSService is an HSDS service, fully nested as /services/{id} returns it.
type HSDSService struct {
	ID                     string                  `json:"id"`
	OrganizationID         string                  `json:"organization_id,omitempty"`
	Name                   string                  `json:"name"`
	Description            string                  `json:"description,omitempty"`
	Email                  string                  `json:"email,omitempty"`
	Status                 string                  `json:"status"`
	InterpretationServices string                  `json:"interpretation_services,omitempty"`
	EligibilityDescription string                  `json:"eligibility_description,omitempty"`
	MinimumAge             *float64                `json:"minimum_age,omitempty"`
	MaximumAge             *float64                `json:"maximum_age,omitempty"`
	LastModified           string                  `json:"last_modified,omitempty"`
	Phones                 []HSDSPhone             `json:"phones"`
	Schedules              []HSDSSchedule          `json:"schedules"`
	ServiceAtLocations     []HSDSServiceAtLocation `json:"service_at_locations"`
	Languages              []HSDSLanguage          `json:"languages"`
	Organization           *HSDSOrganization       `json:"organization,omitempty"`
	Capacities             []HSDSServiceCapacity   `json:"capacities"`
	Attributes             []HSDSAttribute         `json:"attributes"`
}

// HSDSOrganization is an HSDS organization: the body that delivers services.
type HSDSOrganization struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Attributes  []HSDSAttribute `json:"attributes,omitempty"`
}

// HSDSServiceAtLocation links a service to a location where it is delivered.
type HSDSServiceAtLocation struct {
	ID          string         `json:"id"`
	ServiceID   string         `json:"service_id,omitempty"`
	LocationID  string         `json:"location_id,omitempty"`
	Description string         `json:"description,omitempty"`
	Phones      []HSDSPhone    `json:"phones,omitempty"`
	Schedules   []HSDSSchedule `json:"schedules,omitempty"`
	Location    *HSDSLocation  `json:"location,omitempty"`
}

// HSDSLocation is where a service is delivered. A confidential shelter's location carries no
// coordinates.
type HSDSLocation struct {
	ID           string         `json:"id"`
	LocationType string         `json:"location_type"`
	Name         string         `json:"name,omitempty"`
	Description  string         `json:"description,omitempty"`
	Latitude     *float64       `json:"latitude,omitempty"`
	Longitude    *float64       `json:"longitude,omitempty"`
	Addresses    []HSDSAddress  `json:"addresses,omitempty"`
	Phones       []HSDSPhone    `json:"phones,omitempty"`
	Schedules    []HSDSSchedule `json:"schedules,omitempty"`
}

// HSDSAddress is a location's address. The schema requires address_1 and postal_code, so a
// confidential shelter's are written as empty strings: only its city and province are published.
type HSDSAddress struct {
	ID            string `json:"id"`
	LocationID    string `json:"location_id,omitempty"`
	Address1      string `json:"address_1"`
	Address2      string `json:"address_2,omitempty"`
	City          string `json:"city"`
	Region        string `json:"region,omitempty"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

// HSDSLanguage is a language a service is delivered in: an ISO 639-1 or 639-3 code and its
// English name.
type HSDSLanguage struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	Name      string `json:"name,omitempty"`
	Code      string `json:"code,omitempty"`
	Note      string `json:"note,omitempty"`
}

// HSDSPhone is a telephone number.
type HSDSPhone struct {
	ID          string `json:"id"`
	Number      string `json:"number"`
	Type        string `json:"type,omitempty"`
	Description string `json:"description,omitempty"`
}

// HSDSSchedule is a weekly opening period in iCal terms (freq, byday, opens_at, closes_at).
type HSDSSchedule struct {
	ID          string `json:"id"`
	ServiceID   string `json:"service_id,omitempty"`
	Freq        string `json:"freq,omitempty"`
	ByDay       string `json:"byday,omitempty"`
	OpensAt     string `json:"opens_at,omitempty"`
	ClosesAt    string `json:"closes_at,omitempty"`
	Description string `json:"description,omitempty"`
}

// HSDSServiceCapacity is how many units of a service (beds, family rooms) are free now and
// at most.
type HSDSServiceCapacity struct {
	ID          string    `json:"id"`
	ServiceID   string    `json:"service_id,omitempty"`
	Unit        *HSDSUnit `json:"unit"`
	Available   *float64  `json:"available"`
	Maximum     *float64  `json:"maximum,omitempty"`
	Description string    `json:"description,omitempty"`
	Updated     string    `json:"updated"`
}

// HSDSUnit is what a capacity is counted in.
type HSDSUnit struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Scheme     string `json:"scheme,omitempty"`
	Identifier string `json:"identifier,omitempty"`
}

// HSDSAttribute tags a record with a taxonomy term, optionally with a value.
type HSDSAttribute struct {
	ID             string            `json:"id"`
	LinkID         string            `json:"link_id,omitempty"`
	TaxonomyTermID string            `json:"taxonomy_term_id,omitempty"`
	LinkType       string            `json:"link_type,omitempty"`
	LinkEntity     string            `json:"link_entity,omitempty"`
	Value          string            `json:"value,omitempty"`
	Label          string            `json:"label,omitempty"`
	TaxonomyTerm   *HSDSTaxonomyTerm `json:"taxonomy_term,omitempty"`
}

// HSDSTaxonomyTerm is one term of a taxonomy.
type HSDSTaxonomyTerm struct {
	ID             string        `json:"id"`
	Code           string        `json:"code,omitempty"`
	Name           string        `json:"name"`
	Description    string        `json:"description"`
	ParentID       string        `json:"parent_id,omitempty"`
	Taxonomy       string        `json:"taxonomy,omitempty"`
	TaxonomyDetail *HSDSTaxonomy `json:"taxonomy_detail,omitempty"`
	Language       string        `json:"language,omitempty"`
	TaxonomyID     string        `json:"taxonomy_id,omitempty"`
}

// HSDSTaxonomy is a published list of terms.
type HSDSTaxonomy struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Version     string `json:"version,omitempty"`
}

// HSDSPage is one page of an HSDS listing. Pages are numbered from 1; size is the number of
// records in this page (as the HSDS OpenAPI document describes it), and empty says whether
// this page holds none.
type HSDSPage[T any] struct {
	TotalItems int  `json:"total_items"`
	TotalPages int  `json:"total_pages"`
	PageNumber int  `json:"page_number"`
	Size       int  `json:"size"`
	FirstPage  bool `json:"first_page"`
	LastPage   bool `json:"last_page"`
	Empty      bool `json:"empty"`
	Contents   []T  `json:"contents"`
}

// Paging limits of the HSDS listings. The maximum is ListServices' own, so a page is one read.
const (
	HSDSDefaultPageSize = 50
	HSDSMaxPageSize     = 500
)

// hsdsPaging turns the asked page and size into valid ones: page 1 and the default size when
// missing, sizes above the maximum capped.
func hsdsPaging(page, size int) (int, int) {
	if page < 1 {
		page = 1
	}
	switch {
	case size < 1:
		size = HSDSDefaultPageSize
	case size > HSDSMaxPageSize:
		size = HSDSMaxPageSize
	}
	return page, size
}

// hsdsOffset returns where page `page` starts, and false when it is past the last page (so a
// huge page number can neither overflow nor wrap around to the first page).
func hsdsOffset(page, size int, total int64) (int, bool) {
	if int64(page-1) >= (total+int64(size)-1)/int64(size) {
		return 0, false
	}
	return (page - 1) * size, true
}

// newHSDSPage describes page number `page` of `total` records split `size` to a page.
func newHSDSPage[T any](contents []T, total int64, page, size int) HSDSPage[T] {
	if contents == nil {
		contents = []T{} // "contents": [] rather than null
	}
	pages := int(math.Ceil(float64(total) / float64(size)))
	return HSDSPage[T]{
		TotalItems: int(total), TotalPages: pages, PageNumber: page, Size: len(contents),
		FirstPage: page == 1, LastPage: page >= pages, Empty: len(contents) == 0, Contents: contents,
	}
}

// HSDSTaxonomyID identifies Harbour's taxonomy ("Harbour eligibility"). It, the IDs of its
// terms and of the capacity units are name-based (SHA-1) UUIDs, so every Harbour installation
// publishes the same IDs and partners can rely on them; TestHSDSTaxonomy pins them.
var HSDSTaxonomyID = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/harbour-nrm/harbour/hsds/taxonomy/eligibility"))

// hsdsTermID returns the fixed ID of the term with this code.
func hsdsTermID(code string) uuid.UUID { return uuid.NewSHA1(HSDSTaxonomyID, []byte(code)) }

// HSDS units of capacity: the fixed IDs of Harbour's bed and family room.
var (
	HSDSUnitBedID        = uuid.NewSHA1(HSDSTaxonomyID, []byte("unit/bed"))
	HSDSUnitFamilyRoomID = uuid.NewSHA1(HSDSTaxonomyID, []byte("unit/family_room"))
)

// hsdsUnitNames are the English names of the units, as published.
var hsdsUnitNames = map[Unit]string{UnitBed: "Bed", UnitFamilyRoom: "Family room"}

// HSDSUnitOf returns the published HSDS unit for a capacity unit.
func HSDSUnitOf(u Unit) HSDSUnit {
	id := HSDSUnitBedID
	if u == UnitFamilyRoom {
		id = HSDSUnitFamilyRoomID
	}
	return HSDSUnit{ID: id.String(), Name: hsdsUnitNames[u], Scheme: "Harbour", Identifier: string(u)}
}

// Term groups: the parent terms. A term's code is "group/value", e.g. "category/shelter".
const (
	hsdsTermCategory     = "category"
	hsdsTermGender       = "gender"
	hsdsTermEligibility  = "eligibility"
	hsdsTermExploitation = "exploitation"
	hsdsTermFeature      = "feature"
	hsdsTermTranslation  = "translation"
	hsdsTermKind         = "organisation_kind"
)

// Codes of the terms that are flags or carry a value.
const (
	hsdsTermAcceptsMinors   = hsdsTermEligibility + "/accepts_minors"
	hsdsTermAcceptsChildren = hsdsTermEligibility + "/accepts_children"
	hsdsTermInterpreter     = hsdsTermFeature + "/interpreter"
	hsdsTermConfidential    = hsdsTermFeature + "/confidential_location"
	hsdsTermNameI18n        = hsdsTermTranslation + "/name"
	hsdsTermDescriptionI18n = hsdsTermTranslation + "/description"
)

// hsdsTerm is one term of Harbour's taxonomy before it is published.
type hsdsTerm struct{ code, name, description string }

// English names of the values, as published in the taxonomy (the app's own labels are
// translated in locales/; the taxonomy is for partner systems and is in English).
var (
	hsdsCategoryNames = map[Category]string{CategoryShelter: "Shelter", CategoryLegal: "Legal assistance",
		CategoryMedical: "Medical care", CategoryCounselling: "Counselling", CategoryInterpretation: "Interpretation",
		CategoryReturn: "Voluntary return", CategoryOther: "Other help"}
	hsdsGenderNames       = map[string]string{"female": "Women", "male": "Men", "other": "Other genders"}
	hsdsExploitationNames = map[string]string{"sexual": "Sexual exploitation", "labour": "Labour exploitation",
		"criminal": "Criminal exploitation", "domestic_servitude": "Domestic servitude", "organ_removal": "Organ removal",
		"forced_marriage": "Forced marriage", "illegal_adoption": "Illegal adoption", "surrogacy": "Exploitation of surrogacy",
		"other": "Other forms of exploitation"}
	hsdsKindNames = map[OrganisationKind]string{KindPolice: "Police unit", KindShelter: "Shelter", KindNGO: "NGO",
		KindSpecialisedCentre: "Specialised centre for victims of trafficking", KindLabourInspectorate: "Labour inspectorate",
		KindCompetentAuthority: "Competent authority", KindOther: "Organisation"}
)

// hsdsTerms lists every term, parents first within each group, in a fixed order.
var hsdsTerms = func() []hsdsTerm {
	var out []hsdsTerm
	add := func(code, name, description string) { out = append(out, hsdsTerm{code, name, description}) }
	add(hsdsTermCategory, "Category", "The kind of help a service gives; each service has exactly one.")
	for _, c := range Categories {
		add(hsdsTermCategory+"/"+string(c), hsdsCategoryNames[c], "Service category: "+hsdsCategoryNames[c]+".")
	}
	add(hsdsTermGender, "Gender", "The service is limited to people of the genders tagged; a service with no gender tag serves everyone.")
	for _, g := range Genders {
		add(hsdsTermGender+"/"+g, hsdsGenderNames[g], "The service accepts "+hsdsLowerFirst(hsdsGenderNames[g])+".")
	}
	add(hsdsTermEligibility, "Eligibility", "Who else the service accepts.")
	add(hsdsTermAcceptsMinors, "Accepts minors", "The service accepts people under 18 on their own.")
	add(hsdsTermAcceptsChildren, "Accepts a parent with children", "The service accepts a parent together with their children.")
	add(hsdsTermExploitation, "Form of exploitation", "The service is specialised in the forms of exploitation tagged (Directive 2011/36/EU as amended in 2024); a service with no such tag serves them all.")
	for _, e := range ExploitationTypes {
		add(hsdsTermExploitation+"/"+e, hsdsExploitationNames[e], "The service serves victims of "+hsdsLowerFirst(hsdsExploitationNames[e])+".")
	}
	add(hsdsTermFeature, "Feature", "What else the service offers or how it works.")
	add(hsdsTermInterpreter, "Interpreter available", "The service can arrange an interpreter for languages its staff do not speak.")
	add(hsdsTermConfidential, "Confidential location", "The address is confidential: only the city and province are published, and the shelter gives the address to a referrer once it confirms a bed hold.")
	add(hsdsTermTranslation, "Translation", "A translation of a service's text; the attribute's label is the BCP 47 language tag and its value the translated text.")
	add(hsdsTermNameI18n, "Name translation", "The service's name in the language given by the attribute's label.")
	add(hsdsTermDescriptionI18n, "Description translation", "The service's description in the language given by the attribute's label.")
	add(hsdsTermKind, "Organisation kind", "What an organisation is.")
	for _, k := range OrganisationKinds {
		add(hsdsTermKind+"/"+string(k), hsdsKindNames[k], "The organisation is: "+hsdsLowerFirst(hsdsKindNames[k])+".")
	}
	return out
}()

func hsdsLowerFirst(s string) string {
	if s == "" || s == "NGO" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}

// hsdsTermsByID finds Harbour's terms by their published ID.
var hsdsTermsByID = func() map[string]hsdsTerm {
	out := map[string]hsdsTerm{}
	for _, t := range hsdsTerms {
		out[hsdsTermID(t.code).String()] = t
	}
	return out
}()

// HSDSTaxonomyInfo returns Harbour's taxonomy, "Harbour eligibility".
func HSDSTaxonomyInfo() HSDSTaxonomy {
	return HSDSTaxonomy{ID: HSDSTaxonomyID.String(), Name: "Harbour eligibility", Version: "1",
		Description: "Harbour's terms for services to victims of human trafficking: category, genders served, " +
			"eligibility, forms of exploitation, features (interpreter, confidential location), translations " +
			"of a service's texts, and kinds of organisation. Term IDs never change."}
}

// HSDSTaxonomyTerms returns every term of Harbour's taxonomy, each group's parent first.
func HSDSTaxonomyTerms() []HSDSTaxonomyTerm {
	out := make([]HSDSTaxonomyTerm, len(hsdsTerms))
	for i, t := range hsdsTerms {
		out[i] = t.published()
	}
	return out
}

// published returns the term as HSDS publishes it.
func (t hsdsTerm) published() HSDSTaxonomyTerm {
	out := HSDSTaxonomyTerm{ID: hsdsTermID(t.code).String(), Code: t.code, Name: t.name, Description: t.description,
		Taxonomy: "Harbour eligibility", TaxonomyID: HSDSTaxonomyID.String(), Language: "en"}
	if group, _, ok := strings.Cut(t.code, "/"); ok {
		out.ParentID = hsdsTermID(group).String()
	}
	return out
}

// HSDSUnits returns the capacity units Harbour publishes.
func HSDSUnits() []HSDSUnit {
	out := make([]HSDSUnit, len(Units))
	for i, u := range Units {
		out[i] = HSDSUnitOf(u)
	}
	return out
}

// HSDSTaxonomyDocument is what `harbour hsds export` writes to taxonomy.json: the taxonomy,
// its terms and the capacity units, for partners to resolve the attributes and capacities.
type HSDSTaxonomyDocument struct {
	Taxonomy      HSDSTaxonomy       `json:"taxonomy"`
	TaxonomyTerms []HSDSTaxonomyTerm `json:"taxonomy_terms"`
	Units         []HSDSUnit         `json:"units"`
}

// HSDSTaxonomyExport returns the taxonomy document.
func HSDSTaxonomyExport() HSDSTaxonomyDocument {
	return HSDSTaxonomyDocument{Taxonomy: HSDSTaxonomyInfo(), TaxonomyTerms: HSDSTaxonomyTerms(), Units: HSDSUnits()}
}
