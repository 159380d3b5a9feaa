package i18n_test

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/locales"
)

func load(t *testing.T) *i18n.Bundle {
	t.Helper()
	b, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestStaffLanguagesComplete fails when a staff language lacks a message of the source file, or
// holds one the source does not (a stale or misspelt ID).
func TestStaffLanguagesComplete(t *testing.T) {
	b := load(t)
	src := b.Messages(i18n.Source)
	if len(src) < 100 {
		t.Fatalf("source has only %d messages", len(src))
	}
	for _, code := range i18n.StaffLanguages {
		msgs := b.Messages(code)
		for _, id := range sortedKeys(src) {
			if _, ok := msgs[id]; !ok {
				t.Errorf("%s: missing %q", code, id)
			}
		}
		for _, id := range sortedKeys(msgs) {
			if _, ok := src[id]; !ok {
				t.Errorf("%s: %q is not in the source language", code, id)
			}
		}
	}
}

// formsOf lists the plural forms a message defines.
func formsOf(m *goi18n.Message) []string {
	var out []string
	for _, f := range []struct {
		name, text string
	}{{"zero", m.Zero}, {"one", m.One}, {"two", m.Two}, {"few", m.Few}, {"many", m.Many}, {"other", m.Other}} {
		if f.text != "" {
			out = append(out, f.name)
		}
	}
	return out
}

// requiredForms lists the CLDR plural forms a language uses for whole numbers.
func requiredForms(tag language.Tag) []string {
	names := map[plural.Form]string{plural.Zero: "zero", plural.One: "one", plural.Two: "two", plural.Few: "few", plural.Many: "many", plural.Other: "other"}
	seen := map[string]bool{"other": true}
	for _, n := range append(counts(), 1_000_000) {
		seen[names[plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)]] = true
	}
	var out []string
	for _, f := range []string{"zero", "one", "two", "few", "many", "other"} {
		if seen[f] {
			out = append(out, f)
		}
	}
	return out
}

func counts() []int {
	out := make([]int, 0, 1001)
	for i := 0; i <= 1000; i++ {
		out = append(out, i)
	}
	return out
}

// TestPluralForms fails when a plural message (one that uses {{.Count}} or defines forms beyond
// "other" anywhere) lacks a form its language needs, or has one its language does not use, and
// when rendering it for any count up to 1000 (and a million) reports an error.
func TestPluralForms(t *testing.T) {
	b := load(t)
	isPlural := map[string]bool{}
	for _, code := range b.Files() {
		for id, m := range b.Messages(code) {
			if len(formsOf(m)) > 1 || countRef.MatchString(m.Other) {
				isPlural[id] = true
			}
		}
	}
	if len(isPlural) == 0 {
		t.Fatal("no plural messages found: the test would prove nothing")
	}
	for _, code := range i18n.StaffLanguages {
		want := requiredForms(language.MustParse(code))
		l := b.Localizer(code)
		for id, m := range b.Messages(code) {
			got := formsOf(m)
			if !isPlural[id] {
				if !slices.Equal(got, []string{"other"}) {
					t.Errorf("%s %s: not a plural message but defines %v", code, id, got)
				}
				continue
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s %s: plural forms %v, the language needs %v", code, id, got, want)
			}
			for _, n := range append(counts(), 1_000_000) {
				if _, err := l.Localize(id, map[string]any{"Count": n, "Min": 1, "Max": 2}); err != nil {
					t.Errorf("%s %s with Count=%d: %v", code, id, n, err)
					break
				}
			}
		}
	}
}

var (
	countRef = regexp.MustCompile(`{{\s*\.Count\s*}}`)
	dataRef  = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)
)

// TestPlaceholdersMatchSource fails when a translation uses template data the source message
// does not provide, or drops data the source shows (a translator's slip that loses a number).
func TestPlaceholdersMatchSource(t *testing.T) {
	b := load(t)
	src := b.Messages(i18n.Source)
	for _, code := range b.Files() {
		for id, m := range b.Messages(code) {
			s, ok := src[id]
			if !ok {
				continue
			}
			want, offered := refs(s.Other), dataOffered(s.Description)
			for r := range offered {
				want[r] = true
			}
			for _, text := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
				if text == "" {
					continue
				}
				for r := range refs(text) {
					if !want[r] {
						t.Errorf("%s %s: uses {{.%s}}, which the source does not provide", code, id, r)
					}
				}
			}
			for r := range want {
				if len(offered) == 0 && !refs(m.Other)[r] {
					t.Errorf("%s %s: drops {{.%s}}", code, id, r)
				}
			}
		}
	}
}

// dataOffered reads a source message's "data: A, B — ..." description: the data the code gives,
// of which a translation may use any.
func dataOffered(description string) map[string]bool {
	out := map[string]bool{}
	if list, ok := strings.CutPrefix(description, "data:"); ok {
		list, _, _ = strings.Cut(list, "—")
		for _, name := range strings.Split(list, ",") {
			out[strings.TrimSpace(name)] = true
		}
	}
	return out
}

func refs(s string) map[string]bool {
	out := map[string]bool{}
	for _, m := range dataRef.FindAllStringSubmatch(s, -1) {
		out[m[1]] = true
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestPersonLanguagesComplete fails when a language of her screen lacks one of its messages, or
// when a file that is only a person language holds anything else.
func TestPersonLanguagesComplete(t *testing.T) {
	b := load(t)
	src := b.Messages(i18n.Source)
	var person []string
	for _, id := range sortedKeys(src) {
		if strings.HasPrefix(id, i18n.PersonPrefix) {
			person = append(person, id)
		}
	}
	if len(person) < 20 {
		t.Fatalf("the source has only %d person messages", len(person))
	}
	for _, code := range i18n.PersonLanguages {
		msgs := b.Messages(code)
		for _, id := range person {
			if m, ok := msgs[id]; !ok || m.Other == "" {
				t.Errorf("%s: missing %q", code, id)
			}
		}
		if slices.Contains(i18n.StaffLanguages, code) {
			continue
		}
		for id := range msgs {
			if !strings.HasPrefix(id, i18n.PersonPrefix) {
				t.Errorf("%s is a person language only, but holds %q", code, id)
			}
		}
		l, ok := b.PersonLocalizer(code)
		if !ok || l.T("person.helpline", map[string]any{"Number": "116 016"}) == src["person.helpline"].Other {
			t.Errorf("%s: her screen is not in her language", code)
		}
	}
	if l, _ := b.PersonLocalizer("ar"); l.Dir() != "rtl" {
		t.Error("Arabic is not right to left")
	}
	if _, ok := b.PersonLocalizer("tlh"); ok {
		t.Error("a language without a file is offered")
	}
	if b.Localizer("fr").Code != i18n.Source {
		t.Error("a person language became a staff language")
	}
}
