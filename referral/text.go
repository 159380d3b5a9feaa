package referral

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// cleanText checks and normalises free text typed by a person in any script: it must be valid
// UTF-8 without control characters; it is returned in NFC with surrounding space removed.
// Problems are added under field.
func cleanText(p *Problems, field, s string, required bool, max int) string {
	if !utf8.ValidString(s) {
		p.Add(field, "error.field.encoding", nil)
		return ""
	}
	s = strings.TrimSpace(norm.NFC.String(s))
	for _, r := range s {
		if unicode.IsControl(r) {
			p.Add(field, "error.field.control", nil)
			return ""
		}
	}
	n := utf8.RuneCountInString(s)
	switch {
	case required && n == 0:
		p.Add(field, "error.field.required", nil)
	case n > max:
		p.Add(field, "error.field.too_long", map[string]any{"Max": max})
	}
	return s
}

// cleanCode normalises a code typed on any keyboard: full-width letters and digits (as a Chinese
// input method produces) become ASCII, and space is trimmed.
func cleanCode(s string) string {
	if !utf8.ValidString(s) {
		return "\uFFFD"
	}
	return strings.TrimSpace(width.Fold.String(s))
}
