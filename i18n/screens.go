package i18n

import (
	"slices"

	"golang.org/x/text/language"
)

// Her screen is written, and a spoken language is not always written the way it is spoken:
// Mandarin is what Simplified Chinese text reads as, but Wu, Min, Hakka and Cantonese speakers
// read a Chinese text that is not their own language. Those have no screen of their own; the
// written Chinese screens are the closest, shown to the officer as closest, never chosen for her
// in silence.

// closestScreens lists, for a spoken language with no screen of its own, the screens closest to
// it, closest first.
var closestScreens = map[string][]string{
	"wuu": {"zh-Hans", "zh-Hant"}, // Wu (Wenzhou, Qingtian): the mainland writes Simplified
	"nan": {"zh-Hans", "zh-Hant"}, // Southern Min (Fujian); Taiwan writes Traditional
	"cdo": {"zh-Hans", "zh-Hant"}, // Eastern Min (Fuzhou)
	"hak": {"zh-Hans", "zh-Hant"}, // Hakka
	"gan": {"zh-Hans", "zh-Hant"},
	"hsn": {"zh-Hans", "zh-Hant"},
	"cjy": {"zh-Hans", "zh-Hant"},
	"yue": {"zh-Hant", "zh-Hans"}, // Cantonese: Hong Kong and Macau write Traditional
}

// ScreenFor returns her screen in a spoken language (a code as cases store them: "cmn",
// "fr"), and whether there is one: Mandarin reads the Simplified Chinese screen; any other
// language reads the screen of its own code, if Harbour has it.
func (b *Bundle) ScreenFor(spoken string) (string, bool) {
	if spoken == "cmn" || spoken == "zh" {
		return "zh-Hans", true
	}
	if _, ok := b.personLocs[spoken]; ok {
		return spoken, true
	}
	if tag, err := language.Parse(spoken); err == nil {
		if base, conf := tag.Base(); conf == language.Exact && base.String() != "zh" {
			if _, ok := b.personLocs[base.String()]; ok {
				return base.String(), true
			}
		}
	}
	return "", false
}

// ClosestScreens returns the screens closest to a spoken language that has none of its own,
// closest first (Wu → Simplified Chinese); nil when no screen is close.
func ClosestScreens(spoken string) []string { return slices.Clone(closestScreens[spoken]) }

// PersonLanguage returns a person language with its endonym, and whether it is one.
func (b *Bundle) PersonLanguage(code string) (Language, bool) {
	i := slices.IndexFunc(b.person, func(l Language) bool { return l.Code == code })
	if i < 0 {
		return Language{}, false
	}
	return b.person[i], true
}
