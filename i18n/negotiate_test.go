package i18n_test

import (
	"testing"
	"time"

	"github.com/harbour-nrm/harbour/i18n"
)

func TestNegotiate(t *testing.T) {
	b := load(t)
	for _, tc := range []struct {
		name, user, cookie, accept, want string
	}{
		{"NothingIsChinese", "", "", "", "zh-Hans"},
		{"AcceptLanguageEnglish", "", "", "en-GB,en;q=0.9", "en"},
		{"AcceptLanguageChinaChinese", "", "", "zh-CN,zh;q=0.9,en;q=0.5", "zh-Hans"},
		{"UnsupportedFallsToSource", "", "", "fr-BE", "zh-Hans"},
		{"BestSupportedOfSeveral", "", "", "fr;q=1, en;q=0.5", "en"},
		{"BrokenHeaderIgnored", "", "", ";;;q=abc", "zh-Hans"},
		{"CookieBeatsHeader", "", "en", "zh-CN", "en"},
		{"CookieAnyCase", "", "ZH-hans", "en", "zh-Hans"},
		{"UnknownCookieIgnored", "", "klingon", "en", "en"},
		{"UserSettingBeatsAll", "zh-Hans", "en", "en", "zh-Hans"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := b.Negotiate(tc.user, tc.cookie, tc.accept).Code; got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestEndonymsAndDirection(t *testing.T) {
	b := load(t)
	names := map[string]string{}
	for _, l := range b.Languages() {
		names[l.Code] = l.Endonym
	}
	if names["zh-Hans"] != "简体中文" || names["en"] != "English" {
		t.Fatalf("endonyms = %v", names)
	}
	if b.Languages()[0].Code != i18n.Source {
		t.Fatal("the switcher must list the source language first")
	}
	if d := b.Localizer("en").Dir(); d != "ltr" {
		t.Fatalf("en dir = %s", d)
	}
}

func TestDatesAndPlurals(t *testing.T) {
	b := load(t)
	brussels, _ := time.LoadLocation("Europe/Brussels")
	at := time.Date(2027, 1, 11, 23, 30, 0, 0, time.UTC) // already 12 January in Brussels
	if got := b.Localizer("zh-Hans").DateTime(at, brussels); got != "2027年1月12日 00:30" {
		t.Errorf("zh-Hans: %q", got)
	}
	if got := b.Localizer("en").Date(at, brussels); got != "12 Jan 2027" {
		t.Errorf("en: %q", got)
	}
	en := b.Localizer("en")
	if got := en.N("error.signin.slow_down", 1, nil); got != "Too many attempts. Wait 1 second and try again." {
		t.Errorf("en one: %q", got)
	}
	if got := en.T("error.signin.slow_down", map[string]any{"Count": 8}); got != "Too many attempts. Wait 8 seconds and try again." {
		t.Errorf("en other: %q", got)
	}
	if got := b.Localizer("zh-Hans").N("audit.verified", 1, nil); got != "审计记录完整：已核验 1 条记录，哈希链没有断开。" {
		t.Errorf("zh-Hans: %q", got)
	}
}

// TestPersonLanguagesAreNotStaffLanguages: the staff interface is never negotiated into a
// language that has only her screen.
func TestPersonLanguagesAreNotStaffLanguages(t *testing.T) {
	b := load(t)
	if l := b.Negotiate("fr", "ar", "de"); l.Code != i18n.Source {
		t.Fatalf("negotiated %s", l.Code)
	}
	if _, ok := b.Canonical("es"); ok {
		t.Fatal("es accepted as a staff language")
	}
}

// TestEndonym: a language's name in itself, for her to find; none for the Chinese varieties,
// whose Chinese names already are.
func TestEndonym(t *testing.T) {
	for code, want := range map[string]string{"ro": "română", "vi": "Tiếng Việt", "ar": "العربية", "wuu": "", "cmn": "", "yue": "", "!!": ""} {
		if got := i18n.Endonym(code); got != want {
			t.Errorf("Endonym(%q) = %q, want %q", code, got, want)
		}
	}
}
