package web

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// offlineData is the offline intake page: the form's choices and the words its script shows,
// in the officer's language (the script itself holds no text).
type offlineData struct {
	Operations  []referral.Operation // the organisation's latest, to file her under
	Screens     []i18n.Language      // the languages of her screen
	Languages   []string
	OtherFields []numbered // the languages she also understands, in her order
	Genders     []string
	Needs       []string
	Messages    map[string]string   // message ID → text, for the queue's statuses
	ScreenFor   map[string][]string // spoken language → her screen (one) or the closest screens (several, "~" first)
}

// offlineMessages are what the offline script writes on the page.
var offlineMessages = []string{"offline.status.waiting", "offline.status.sent",
	"offline.status.rejected", "offline.state.online", "offline.state.offline", "offline.state.signin",
	"offline.empty", "offline.saved", "offline.kind.consent", "offline.kind.referral", "offline.refer", "offline.referred",
	"offline.match.language", "offline.match.beds", "offline.match.none", "offline.copy", "offline.choose", "offline.send_chosen",
	"offline.screen_missing", "offline.chosen_queued",
	"category.shelter", "category.legal", "category.medical", "category.counselling"}

// offlinePage is the intake that works with no signal: the service worker keeps it, its script
// keeps what the officer records in an encrypted queue on the phone and sends it, in order,
// when the network returns. Every record carries the ID the phone chose, so a retry never makes
// a second one.
func (s *Site) offlinePage(c echo.Context) error {
	if err := authorize(c, referral.ActCaseCreate, referral.Target{}); err != nil {
		return err
	}
	l := s.localizer(c)
	words := map[string]string{}
	for _, id := range offlineMessages {
		words[id] = l.T(id, map[string]any{"Language": "{language}"}) // the script names her language
	}
	ops, err := s.deps.Domain.Operations(c.Request().Context())
	if err != nil {
		return err
	}
	p := s.newPage(c, "offline.title", offlineData{Operations: ops[:min(len(ops), 20)], Screens: s.deps.Bundle.PersonLanguageList(), Languages: referral.CommonLanguages, OtherFields: otherLanguageFields[:2],
		Genders: referral.Genders, Needs: referral.Needs, Messages: words, ScreenFor: s.screenTable(referral.CommonLanguages)})
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "offline", p)
}

// screenTable tells the offline script which screen each spoken language reads: its own, or,
// marked "~", the closest ones, so the phone orders the screens by her languages and never
// chooses one for her in silence.
func (s *Site) screenTable(spoken []string) map[string][]string {
	out := map[string][]string{}
	for _, code := range spoken {
		if sc, ok := s.deps.Bundle.ScreenFor(code); ok {
			out[code] = []string{sc}
		} else if closest := i18n.ClosestScreens(code); len(closest) > 0 {
			out[code] = append([]string{"~"}, closest...)
		}
	}
	return out
}

// precached are the static files the service worker keeps, with the offline page.
var precached = []string{"app.css", "app.js", "icon.svg", "icon-192.png", "icon-512.png"}

// serviceWorker answers /sw.js: the script is fixed, and the list of what it keeps (with a
// version made from those files' hashed names) is written into it, so a new release replaces
// the old cache.
func (s *Site) serviceWorker(c echo.Context) error {
	urls := []string{"/offline"}
	for _, lang := range s.deps.Bundle.PersonLanguageList() {
		urls = append(urls, "/offline/screen?screen="+lang.Code)
	}
	for _, name := range precached {
		u, err := s.assets.url(name)
		if err != nil {
			return err
		}
		urls = append(urls, u)
	}
	sum := sha256.Sum256([]byte(strings.Join(urls, "\n")))
	list, err := json.Marshal(urls)
	if err != nil {
		return err
	}
	js := strings.NewReplacer("__VERSION__", hex.EncodeToString(sum[:8]), "__PRECACHE__", string(list)).Replace(swSource)
	h := c.Response().Header()
	h.Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, "text/javascript; charset=utf-8", []byte(js))
}

// manifest answers /manifest.webmanifest: Harbour as an installable app, named in the
// request's language.
func (s *Site) manifest(c echo.Context) error {
	l := s.localizer(c)
	icon := func(name, size, typ string) map[string]string {
		u, _ := s.assets.url(name)
		return map[string]string{"src": u, "sizes": size, "type": typ, "purpose": "any"}
	}
	m := map[string]any{
		"name": l.T("app.name", nil), "short_name": l.T("app.name", nil), "lang": l.Code, "dir": l.Dir(),
		"start_url": "/", "scope": "/", "display": "standalone", "background_color": "#ffffff", "theme_color": "#0b5563",
		"icons": []map[string]string{icon("icon-192.png", "192x192", "image/png"), icon("icon-512.png", "512x512", "image/png"),
			icon("icon.svg", "any", "image/svg+xml")},
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/manifest+json", b)
}

// swSource is the service worker; serviceWorker fills in its version and list.
//
//go:embed sw.js
var swSource string
