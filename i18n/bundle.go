package i18n

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Source is the language every message is written in first, and the default.
const Source = "zh-Hans"

// StaffLanguages are the complete interface languages, in the order the switcher shows them.
// Each must hold every message of the source file.
var StaffLanguages = []string{"zh-Hans", "en"}

// Bundle holds every message in every language, and one Localizer per staff language.
type Bundle struct {
	bundle  *goi18n.Bundle
	tags    []language.Tag // StaffLanguages, parsed
	matcher language.Matcher
	locs    map[string]*Localizer
	langs   []Language                   // the switcher's entries, made once
	files   map[string][]*goi18n.Message // as parsed, by the file's language code
}

// Load reads every *.toml message file in fsys.
func Load(fsys fs.FS) (*Bundle, error) {
	b := &Bundle{bundle: goi18n.NewBundle(language.MustParse(Source)), locs: map[string]*Localizer{}, files: map[string][]*goi18n.Message{}}
	b.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	files, err := fs.Glob(fsys, "*.toml")
	if err != nil {
		return nil, err
	}
	for _, name := range files {
		f, err := b.bundle.LoadMessageFileFS(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", name, err)
		}
		b.files[strings.TrimSuffix(path.Base(name), ".toml")] = f.Messages
	}
	for _, code := range StaffLanguages {
		if _, ok := b.files[code]; !ok {
			return nil, fmt.Errorf("no message file for %s", code)
		}
		tag := language.MustParse(code)
		b.tags = append(b.tags, tag)
		b.locs[code] = newLocalizer(b.bundle, tag, code)
		b.langs = append(b.langs, Language{Code: code, Endonym: b.locs[code].Endonym()})
	}
	b.matcher = language.NewMatcher(b.tags)
	return b, nil
}

// Localizer returns the localizer for a staff language, or for the source language when code
// is not one.
func (b *Bundle) Localizer(code string) *Localizer {
	if l, ok := b.locs[code]; ok {
		return l
	}
	return b.locs[Source]
}

// Language is one entry of the language switcher.
type Language struct {
	Code    string // BCP 47, as in <html lang>
	Endonym string // the language's name in itself
}

// Languages lists the staff languages with their endonyms, for the switcher. Every page shows
// it, so it is made once; callers must not change it.
func (b *Bundle) Languages() []Language { return b.langs }

// Messages returns the messages a language's file defines, by ID, for completeness tests.
func (b *Bundle) Messages(code string) map[string]*goi18n.Message {
	out := make(map[string]*goi18n.Message, len(b.files[code]))
	for _, m := range b.files[code] {
		out[m.ID] = m
	}
	return out
}

// Files lists the language codes that have a message file.
func (b *Bundle) Files() []string {
	out := make([]string, 0, len(b.files))
	for code := range b.files {
		out = append(out, code)
	}
	return out
}
