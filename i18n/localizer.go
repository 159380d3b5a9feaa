package i18n

import (
	"fmt"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"
)

// Localizer speaks one language: messages, plurals, numbers and dates.
type Localizer struct {
	Tag     language.Tag
	Code    string // the tag as written in <html lang>, e.g. "zh-Hans"
	l       *goi18n.Localizer
	printer *message.Printer
}

func newLocalizer(b *goi18n.Bundle, tag language.Tag, code string) *Localizer {
	// The source language is the fallback for any message a translation lacks; tests make
	// sure no staff language lacks one.
	return &Localizer{Tag: tag, Code: code, l: goi18n.NewLocalizer(b, code, Source), printer: message.NewPrinter(tag)}
}

// T translates a message with named template data. When the data holds an integer "Count",
// the message's plural form for that count is chosen (CLDR rules). A message missing
// everywhere shows its ID, which tests prevent from ever reaching a user.
func (l *Localizer) T(id string, data map[string]any) string {
	s, err := l.Localize(id, data)
	if err != nil && s == "" {
		return id
	}
	return s
}

// Localize is T with the error go-i18n reports: a message missing in this language (then the
// source language's text is returned), a plural form missing, or a template that fails.
func (l *Localizer) Localize(id string, data map[string]any) (string, error) {
	cfg := &goi18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if n, ok := data["Count"].(int); ok {
		cfg.PluralCount = n
	}
	return l.l.Localize(cfg)
}

// List translates the messages format names for each code ("org.kind_%s") and joins them as
// this language writes a list.
func (l *Localizer) List(format string, codes []string) string {
	out := ""
	for i, code := range codes {
		if i > 0 {
			out += l.T("list.separator", nil)
		}
		out += l.T(fmt.Sprintf(format, code), nil)
	}
	return out
}

// N translates a message in its plural form for count, given to the message as {{.Count}}.
func (l *Localizer) N(id string, count int, data map[string]any) string {
	d := map[string]any{"Count": count}
	for k, v := range data {
		d[k] = v
	}
	return l.T(id, d)
}

// Number formats an integer with the language's digit grouping.
func (l *Localizer) Number(n int) string { return l.printer.Sprint(n) }

// Dir is the text direction, "rtl" or "ltr", for <html dir>.
func (l *Localizer) Dir() string { return Direction(l.Tag) }

// Endonym is the language's name in itself, e.g. "简体中文" or "English".
func (l *Localizer) Endonym() string {
	if name := display.Self.Name(l.Tag); name != "" {
		return name
	}
	return l.Code
}

// Direction returns "rtl" for languages written right to left, else "ltr".
func Direction(tag language.Tag) string {
	script, _ := tag.Script()
	switch script.String() {
	case "Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg":
		return "rtl"
	}
	return "ltr"
}

// Date formats a day in the language's style, in the given time zone.
func (l *Localizer) Date(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return l.T("format.date", map[string]any{
		"Year": t.Year(), "Month": int(t.Month()), "Day": t.Day(), "MonthName": l.T(monthIDs[t.Month()-1], nil),
	})
}

// DateTime formats a moment in the language's style, in the given time zone.
func (l *Localizer) DateTime(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return l.T("format.datetime", map[string]any{
		"Date": l.Date(t, loc), "Time": t.Format("15:04"),
	})
}

var monthIDs = [12]string{
	"format.month_1", "format.month_2", "format.month_3", "format.month_4", "format.month_5", "format.month_6",
	"format.month_7", "format.month_8", "format.month_9", "format.month_10", "format.month_11", "format.month_12",
}
