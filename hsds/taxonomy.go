package hsds

import (
	"strings"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
)

// Harbour's own taxonomy says what HSDS has no field for (category, genders, exploitation
// types, …). It is for partner systems, so it is published in English; the app's own labels
// are translated in locales/.

// TaxonomyID identifies Harbour's taxonomy ("Harbour eligibility"). It, the IDs of its terms and
// of the capacity units are name-based (SHA-1) UUIDs, so every Harbour installation publishes
// the same IDs and partners can rely on them; TestHSDSTaxonomy pins them.
var TaxonomyID = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/harbour-nrm/harbour/hsds/taxonomy/eligibility"))

// termID returns the fixed ID of the term with this code.
func termID(code string) uuid.UUID { return uuid.NewSHA1(TaxonomyID, []byte(code)) }

// HSDS units of capacity: the fixed IDs of Harbour's bed and family room.
var (
	UnitBedID        = uuid.NewSHA1(TaxonomyID, []byte("unit/bed"))
	UnitFamilyRoomID = uuid.NewSHA1(TaxonomyID, []byte("unit/family_room"))
)

// unitNames are the English names of the units, as published.
var unitNames = map[referral.Unit]string{referral.UnitBed: "Bed", referral.UnitFamilyRoom: "Family room"}

// UnitOf returns the published HSDS unit for a capacity unit.
func UnitOf(u referral.Unit) Unit {
	id := UnitBedID
	if u == referral.UnitFamilyRoom {
		id = UnitFamilyRoomID
	}
	return Unit{ID: id.String(), Name: unitNames[u], Scheme: "Harbour", Identifier: string(u)}
}

// Term groups: the parent terms. A term's code is "group/value", e.g. "category/shelter".
const (
	groupCategory     = "category"
	groupGender       = "gender"
	groupEligibility  = "eligibility"
	groupExploitation = "exploitation"
	groupFeature      = "feature"
	groupTranslation  = "translation"
	groupKind         = "organisation_kind"
)

// Codes of the terms that are flags or carry a value.
const (
	termAcceptsMinors   = groupEligibility + "/accepts_minors"
	termAcceptsChildren = groupEligibility + "/accepts_children"
	termInterpreter     = groupFeature + "/interpreter"
	termConfidential    = groupFeature + "/confidential_location"
	termNameI18n        = groupTranslation + "/name"
	termDescriptionI18n = groupTranslation + "/description"
)

// term is one term of Harbour's taxonomy before it is published.
type term struct{ code, name, description string }

// English names of the values, as published in the taxonomy.
var (
	categoryNames = map[referral.Category]string{referral.CategoryShelter: "Shelter", referral.CategoryLegal: "Legal assistance",
		referral.CategoryMedical: "Medical care", referral.CategoryCounselling: "Counselling",
		referral.CategoryInterpretation: "Interpretation", referral.CategoryReturn: "Voluntary return",
		referral.CategoryOther: "Other help"}
	genderNames       = map[string]string{"female": "Women", "male": "Men", "other": "Other genders"}
	exploitationNames = map[string]string{"sexual": "Sexual exploitation", "labour": "Labour exploitation",
		"criminal": "Criminal exploitation", "domestic_servitude": "Domestic servitude", "organ_removal": "Organ removal",
		"forced_marriage": "Forced marriage", "illegal_adoption": "Illegal adoption", "surrogacy": "Exploitation of surrogacy",
		"other": "Other forms of exploitation"}
	kindNames = map[referral.OrganisationKind]string{referral.KindPolice: "Police unit", referral.KindShelter: "Shelter",
		referral.KindNGO: "NGO", referral.KindSpecialisedCentre: "Specialised centre for victims of trafficking",
		referral.KindLabourInspectorate: "Labour inspectorate", referral.KindCompetentAuthority: "Competent authority",
		referral.KindOther: "Organisation"}
)

// terms lists every term, parents first within each group, in a fixed order.
var terms = func() []term {
	var out []term
	add := func(code, name, description string) { out = append(out, term{code, name, description}) }
	add(groupCategory, "Category", "The kind of help a service gives; each service has exactly one.")
	for _, c := range referral.Categories {
		add(groupCategory+"/"+string(c), categoryNames[c], "Service category: "+categoryNames[c]+".")
	}
	add(groupGender, "Gender", "The service is limited to people of the genders tagged; a service with no gender tag serves everyone.")
	for _, g := range referral.Genders {
		add(groupGender+"/"+g, genderNames[g], "The service accepts "+lowerFirst(genderNames[g])+".")
	}
	add(groupEligibility, "Eligibility", "Who else the service accepts.")
	add(termAcceptsMinors, "Accepts minors", "The service accepts people under 18 on their own.")
	add(termAcceptsChildren, "Accepts a parent with children", "The service accepts a parent together with their children.")
	add(groupExploitation, "Form of exploitation", "The service is specialised in the forms of exploitation tagged (Directive 2011/36/EU as amended in 2024); a service with no such tag serves them all.")
	for _, e := range referral.ExploitationTypes {
		add(groupExploitation+"/"+e, exploitationNames[e], "The service serves victims of "+lowerFirst(exploitationNames[e])+".")
	}
	add(groupFeature, "Feature", "What else the service offers or how it works.")
	add(termInterpreter, "Interpreter available", "The service can arrange an interpreter for languages its staff do not speak.")
	add(termConfidential, "Confidential location", "The address is confidential: only the city and province are published, and the shelter gives the address to a referrer once it confirms a bed hold.")
	add(groupTranslation, "Translation", "A translation of a service's text; the attribute's label is the BCP 47 language tag and its value the translated text.")
	add(termNameI18n, "Name translation", "The service's name in the language given by the attribute's label.")
	add(termDescriptionI18n, "Description translation", "The service's description in the language given by the attribute's label.")
	add(groupKind, "Organisation kind", "What an organisation is.")
	for _, k := range referral.OrganisationKinds {
		add(groupKind+"/"+string(k), kindNames[k], "The organisation is: "+lowerFirst(kindNames[k])+".")
	}
	return out
}()

// lowerFirst puts a name in the middle of a sentence; "NGO" stays an acronym.
func lowerFirst(s string) string {
	if s == "" || s == "NGO" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}

// termsByID finds Harbour's terms by their published ID.
var termsByID = func() map[string]term {
	out := map[string]term{}
	for _, t := range terms {
		out[termID(t.code).String()] = t
	}
	return out
}()

// TaxonomyInfo returns Harbour's taxonomy, "Harbour eligibility".
func TaxonomyInfo() Taxonomy {
	return Taxonomy{ID: TaxonomyID.String(), Name: "Harbour eligibility", Version: "1",
		Description: "Harbour's terms for services to victims of human trafficking: category, genders served, " +
			"eligibility, forms of exploitation, features (interpreter, confidential location), translations " +
			"of a service's texts, and kinds of organisation. Term IDs never change."}
}

// TaxonomyTerms returns every term of Harbour's taxonomy, each group's parent first.
func TaxonomyTerms() []TaxonomyTerm {
	out := make([]TaxonomyTerm, len(terms))
	for i, t := range terms {
		out[i] = t.published()
	}
	return out
}

// published returns the term as HSDS publishes it.
func (t term) published() TaxonomyTerm {
	out := TaxonomyTerm{ID: termID(t.code).String(), Code: t.code, Name: t.name, Description: t.description,
		Taxonomy: "Harbour eligibility", TaxonomyID: TaxonomyID.String(), Language: "en"}
	if group, _, ok := strings.Cut(t.code, "/"); ok {
		out.ParentID = termID(group).String()
	}
	return out
}

// Units returns the capacity units Harbour publishes.
func Units() []Unit {
	out := make([]Unit, len(referral.Units))
	for i, u := range referral.Units {
		out[i] = UnitOf(u)
	}
	return out
}

// TaxonomyDocument is what `harbour hsds export` writes to taxonomy.json and /hsds/taxonomy
// answers: the taxonomy, its terms and the capacity units, for partners to resolve the
// attributes and capacities.
type TaxonomyDocument struct {
	Taxonomy      Taxonomy       `json:"taxonomy"`
	TaxonomyTerms []TaxonomyTerm `json:"taxonomy_terms"`
	Units         []Unit         `json:"units"`
}

// TaxonomyExport returns the taxonomy document.
func TaxonomyExport() TaxonomyDocument {
	return TaxonomyDocument{Taxonomy: TaxonomyInfo(), TaxonomyTerms: TaxonomyTerms(), Units: Units()}
}
