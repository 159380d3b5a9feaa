package i18n

import "golang.org/x/text/language"

// Negotiate picks a request's language, in DESIGN.md's order: the signed-in user's setting, then
// the lang cookie, then the Accept-Language header matched against the staff languages, then
// the source language.
func (b *Bundle) Negotiate(userSetting, cookie, acceptLanguage string) *Localizer {
	for _, code := range []string{userSetting, cookie} {
		if l, ok := b.lookup(code); ok {
			return l
		}
	}
	if l, ok := b.match(acceptLanguage); ok {
		return l
	}
	return b.locs[Source]
}

// Canonical returns the staff language code that code names (any case, e.g. "ZH-hans"), and
// whether there is one.
func (b *Bundle) Canonical(code string) (string, bool) {
	l, ok := b.lookup(code)
	if !ok {
		return "", false
	}
	return l.Code, true
}

func (b *Bundle) lookup(code string) (*Localizer, bool) {
	if code == "" {
		return nil, false
	}
	if l, ok := b.locs[code]; ok {
		return l, true
	}
	tag, err := language.Parse(code)
	if err != nil {
		return nil, false
	}
	l, ok := b.locs[tag.String()]
	return l, ok
}

func (b *Bundle) match(acceptLanguage string) (*Localizer, bool) {
	if acceptLanguage == "" {
		return nil, false
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return nil, false
	}
	_, i, confidence := b.matcher.Match(tags...)
	if confidence == language.No {
		return nil, false
	}
	return b.locs[StaffLanguages[i]], true
}
