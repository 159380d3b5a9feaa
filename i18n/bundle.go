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

// PersonLanguages are the languages of the screens shown to the person herself (what happens
// next, her rights, the consent questions: the messages under PersonPrefix), in the order her
// language list shows them. Each must hold every such message of the source file; the staff
// languages hold them too.
var PersonLanguages = []string{"zh-Hans", "zh-Hant", "en", "fr", "nl", "de", "es", "ar"}

// PersonPrefix starts the IDs of the messages shown to the person herself.
const PersonPrefix = "person."

// Bundle holds every message in every language, and one Localizer per staff language.
type Bundle struct {
	bundle     *goi18n.Bundle
	tags       []language.Tag // StaffLanguages, parsed
	matcher    language.Matcher
	locs       map[string]*Localizer
	langs      []Language                   // the switcher's entries, made once
	person     []Language                   // PersonLanguages with their endonyms
	personLocs map[string]*Localizer        // by PersonLanguages code
	files      map[string][]*goi18n.Message // as parsed, by the file's language code
}

// Load reads every *.toml message file in fsys.
func Load(fsys fs.FS) (*Bundle, error) {
	b := &Bundle{bundle: goi18n.NewBundle(language.MustParse(Source)), locs: map[string]*Localizer{}, personLocs: map[string]*Localizer{}, files: map[string][]*goi18n.Message{}}
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
	for _, code := range PersonLanguages {
		if _, ok := b.files[code]; !ok {
			return nil, fmt.Errorf("no message file for %s", code)
		}
		l, ok := b.locs[code]
		if !ok {
			l = newLocalizer(b.bundle, language.MustParse(code), code)
		}
		b.personLocs[code] = l
		b.person = append(b.person, Language{Code: code, Endonym: l.Endonym()})
	}
	return b, nil
}

// PersonLocalizer returns the localizer for one of the PersonLanguages, and whether there is
// one; only messages under PersonPrefix may be asked of it.
func (b *Bundle) PersonLocalizer(code string) (*Localizer, bool) {
	l, ok := b.personLocs[code]
	return l, ok
}

// PersonLanguageList lists the person languages with their endonyms; callers must not change it.
func (b *Bundle) PersonLanguageList() []Language { return b.person }

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
