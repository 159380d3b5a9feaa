package i18n

import (
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// RegionName names a country (ISO 3166-1 alpha-2) in this language from CLDR, or returns the
// code itself when it is not one CLDR names.
func (l *Localizer) RegionName(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if name := display.Regions(l.Tag).Name(r); name != "" {
		return name
	}
	return code
}
