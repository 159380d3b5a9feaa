package i18n

import (
	"slices"
	"strconv"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Data returns message data with conventional values put into this language, so domain messages
// read naturally: "Language" holds a language code (shown as the language's name), "Type" an
// exploitation type, "Day" an ISO weekday (1 = Monday), "Category" a service category, "Scope" a consent question, "Km" a
// distance, "Step" an NRM step, "NRMState" an NRM state; any value with a Civil method (a
// calendar day) is written as a date. Other values pass through.
func (l *Localizer) Data(data map[string]any) map[string]any {
	if len(data) == 0 {
		return data
	}
	out := make(map[string]any, len(data))
	for k, v := range data {
		out[k] = v
		if d, ok := v.(interface{ Civil() time.Time }); ok {
			out[k] = l.Date(d.Civil(), time.UTC) // a calendar day (referral/nrm.Day)
			continue
		}
		switch k {
		case "Language":
			if code, ok := v.(string); ok {
				out[k] = l.LanguageName(code)
			}
		case "Type":
			if t, ok := v.(string); ok {
				out[k] = l.T("exploitation."+t, nil)
			}
		case "Scope":
			if c, ok := v.(string); ok {
				out[k] = l.T("consent.scope."+c, nil)
			}
		case "Category":
			if c, ok := v.(string); ok {
				out[k] = l.T("category."+c, nil)
			}
		case "Day":
			if d, ok := v.(int); ok && d >= 1 && d <= 7 {
				out[k] = l.T("weekday."+strconv.Itoa(d), nil)
			}
		case "Step":
			if st, ok := v.(string); ok {
				out[k] = l.T("nrm.step."+st, nil)
			}
		case "NRMState":
			if st, ok := v.(string); ok {
				out[k] = l.T("nrm.state."+st, nil)
			}
		case "Km":
			if km, ok := v.(float64); ok {
				out[k] = l.printer.Sprintf("%.1f", km)
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
