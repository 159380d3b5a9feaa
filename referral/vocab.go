package referral

import (
	"slices"

	"golang.org/x/text/language"
)

// Category is the kind of help a service gives.
type Category string

// Service categories; the database's service_categories table lists the same, and more may be
// added there and here together.
const (
	CategoryShelter        Category = "shelter"
	CategoryLegal          Category = "legal"
	CategoryMedical        Category = "medical"
	CategoryCounselling    Category = "counselling"
	CategoryInterpretation Category = "interpretation"
	CategoryReturn         Category = "return"
	CategoryOther          Category = "other"
)

// Categories lists every category in the order pages show them.
var Categories = []Category{CategoryShelter, CategoryLegal, CategoryMedical, CategoryCounselling,
	CategoryInterpretation, CategoryReturn, CategoryOther}

// Unit is what a shelter's capacity is counted in.
type Unit string

// Capacity units.
const (
	UnitBed        Unit = "bed"
	UnitFamilyRoom Unit = "family_room"
)

// Units lists the capacity units.
var Units = []Unit{UnitBed, UnitFamilyRoom}

// Genders a service may limit itself to; a service listing none serves everyone.
var Genders = []string{"female", "male", "other"}

// ExploitationTypes are the forms of exploitation (Directive 2011/36/EU as amended in 2024);
// a service listing none serves them all.
var ExploitationTypes = []string{"sexual", "labour", "criminal", "domestic_servitude", "organ_removal",
	"forced_marriage", "illegal_adoption", "surrogacy", "other"}

// ChineseVarieties are recorded with their ISO 639-3 codes, dialect apart from nationality:
// Mandarin, Wu (Wenzhou, Qingtian), Southern Min, Eastern Min (Fuzhou), Cantonese.
var ChineseVarieties = []string{"cmn", "wuu", "nan", "cdo", "yue"}

// CommonLanguages are offered first when choosing languages: the Chinese varieties, then the
// languages of the people and staff Harbour serves most.
var CommonLanguages = append(slices.Clone(ChineseVarieties),
	"en", "fr", "nl", "de", "es", "it", "pt", "ro", "bg", "hu", "vi", "th", "ar")

// canonicalLanguage returns the code Harbour stores for a spoken language, or "" when code is
// not one. Spoken languages are compared by language, not region or script, so the base code is
// kept ("en-GB" is "en"); generic Chinese ("zh", "zh-Hans", "zh-TW") is Mandarin, "cmn", except
// in Hong Kong and Macau, where it is Cantonese, "yue".
func canonicalLanguage(code string) string {
	tag, err := language.Parse(cleanCode(code))
	if err != nil {
		return ""
	}
	base, conf := tag.Base()
	if conf != language.Exact {
		return ""
	}
	if base.String() == "zh" {
		if region, _ := tag.Region(); region.String() == "HK" || region.String() == "MO" {
			return "yue"
		}
		return "cmn"
	}
	return base.String()
}
