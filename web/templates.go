package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"strings"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/i18n"
)

//go:embed templates
var templateFS embed.FS

// views holds every page, parsed once per language: views[lang][page].
type views map[string]map[string]*template.Template

// parseViews parses each page together with the layout and partials, then clones the set for
// every staff language with that language's translation functions bound.
func parseViews(b *i18n.Bundle, a *assets) (views, error) {
	pages, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	// The source language's translation functions stand in while parsing; each language's clone
	// binds its own below.
	base := template.New("").Funcs(b.Localizer(i18n.Source).Funcs()).
		Funcs(template.FuncMap{"asset": a.url, "fieldOf": fieldOf, "deref": deref, "newID": newID})
	base, err = base.ParseFS(templateFS, "templates/layout/*.html")
	if err != nil {
		return nil, err
	}
	out := views{}
	for _, lang := range b.Languages() {
		out[lang.Code] = map[string]*template.Template{}
	}
	for _, p := range pages {
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/pages/"), ".html")
		set, err := base.Clone()
		if err == nil {
			set, err = set.ParseFS(templateFS, p)
		}
		if err != nil {
			return nil, err
		}
		for _, lang := range b.Languages() {
			t, err := set.Clone()
			if err != nil {
				return nil, err
			}
			out[lang.Code][name] = t.Funcs(b.Localizer(lang.Code).Funcs())
		}
	}
	return out, nil
}

// render executes a page into a buffer, so a failing template never sends half a page.
func (v views) render(lang, page string, data any) ([]byte, error) {
	t, ok := v[lang][page]
	if !ok {
		return nil, fmt.Errorf("no page %q for %q", page, lang)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// deref reads an optional count in templates ({{deref .FreeBeds}}).
func deref(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}

// newID gives each "hold a bed" button its own client-chosen ID, so a double tap holds one bed.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// personViews holds her screen, parsed once per person language: personViews[lang].
type personViews map[string]*template.Template

// parseScreen parses her screen (a page of its own, without the staff layout) for every person
// language with that language's translation functions bound.
func parseScreen(b *i18n.Bundle, a *assets) (personViews, error) {
	base, err := template.New("").Funcs(b.Localizer(i18n.Source).Funcs()).Funcs(template.FuncMap{"asset": a.url, "newID": newID}).
		ParseFS(templateFS, "templates/person/*.html")
	if err != nil {
		return nil, err
	}
	out := personViews{}
	for _, lang := range b.PersonLanguageList() {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		l, _ := b.PersonLocalizer(lang.Code)
		out[lang.Code] = t.Funcs(l.Funcs())
	}
	return out, nil
}

// render executes her screen in one of the person languages.
func (v personViews) render(lang string, data any) ([]byte, error) {
	return v.renderPage(lang, "screen", data)
}

// renderPage executes one of her pages (her screen, a decision letter) in a person language.
func (v personViews) renderPage(lang, name string, data any) ([]byte, error) {
	t, ok := v[lang]
	if !ok {
		return nil, fmt.Errorf("no %s for %q", name, lang)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
