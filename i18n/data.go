package i18n

import (
	"slices"
	"strconv"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// coded names the data keys whose value is a code with a message of its own: the message ID
// is the prefix and the code.
var coded = map[string]string{
	"Type":     "exploitation.",      // an exploitation type
	"Scope":    "consent.scope.",     // a consent question
	"Category": "category.",          // a service category
	"Step":     "nrm.step.",          // an NRM step
	"NRMState": "nrm.state.",         // an NRM state
	"Outcome":  "placement.outcome.", // how a stay at a shelter ended
	"Unit":     "unit.",              // a bed or a family room
}

// Data returns message data with conventional values put into this language, so domain messages
// read naturally: "Language" holds a language code (shown as the language's name), "Day" an
// ISO weekday (1 = Monday), "Km" a distance, the keys of coded a code with a message of its own;
// any value with a Civil method (a calendar day, referral/nrm.Day) is written as a date. Other
// values pass through.
func (l *Localizer) Data(data map[string]any) map[string]any {
	if len(data) == 0 {
		return data
	}
	out := make(map[string]any, len(data))
	for k, v := range data {
		out[k] = v
		switch v := v.(type) {
		case interface{ Civil() time.Time }:
			out[k] = l.Date(v.Civil(), time.UTC)
		case string:
			if prefix, ok := coded[k]; ok {
				out[k] = l.T(prefix+v, nil)
			} else if k == "Language" {
				out[k] = l.LanguageName(v)
			}
		case int:
			if k == "Day" && v >= 1 && v <= 7 {
				out[k] = l.T("weekday."+strconv.Itoa(v), nil)
			}
		case float64:
			if k == "Km" {
				out[k] = l.printer.Sprintf("%.1f", v)
			}
		}
	}
	return out
}

// Message translates a domain message (a reason, an error) with its data put into this language.
func (l *Localizer) Message(id string, data map[string]any) string { return l.T(id, l.Data(data)) }

// LanguageName names a spoken language in this language: from the messages for the languages
// Harbour knows best (dialects included), else from CLDR, else the code itself.
func (l *Localizer) LanguageName(code string) string {
	if s, err := l.Localize("language."+code, nil); err == nil {
		return s
	}
	if tag, err := language.Parse(code); err == nil {
		if name := display.Languages(l.Tag).Name(tag); name != "" {
			return name
		}
	}
	return code
}

// Endonym is a language's name in itself (CLDR), for a person to recognise her language in a
// list: "română", "Tiếng Việt". It is empty for the Chinese varieties, whose names in the
// staff's Chinese already are their own, and for languages CLDR does not name in themselves.
func Endonym(code string) string {
	tag, err := language.Parse(code)
	if err != nil {
		return ""
	}
	if base, _ := tag.Base(); slices.Contains([]string{"zh", "cmn", "wuu", "yue", "nan", "cdo", "hak"}, base.String()) {
		return ""
	}
	return display.Self.Name(tag)
}
