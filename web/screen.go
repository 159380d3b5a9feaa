package web

import (
	"net/http"
	"slices"

	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// screenChoice is one of her languages and the screen she may read in it: her own language's
// screen (Exact), or, for a language Harbour has no screen in, the closest ones.
type screenChoice struct {
	Spoken  string          // her language, as recorded
	Screen  *i18n.Language  // its own screen, if there is one
	Closest []i18n.Language // otherwise the screens closest to it, closest first
}

// screenChoices lists her languages in her order with the screen of each, and the best screen:
// the first of her languages that has one. There is no best screen when none of her languages
// has one: then the officer chooses, told what is closest, and nothing is chosen for her.
func (s *Site) screenChoices(spoken []string) (out []screenChoice, best string) {
	b := s.deps.Bundle
	for _, code := range spoken {
		ch := screenChoice{Spoken: code}
		if sc, ok := b.ScreenFor(code); ok {
			l, _ := b.PersonLanguage(sc)
			ch.Screen = &l
			if best == "" {
				best = sc
			}
		} else {
			for _, sc := range i18n.ClosestScreens(code) {
				if l, ok := b.PersonLanguage(sc); ok {
					ch.Closest = append(ch.Closest, l)
				}
			}
		}
		out = append(out, ch)
	}
	return out, best
}

// screenData is her screen: everything in her language, the officer's few words in theirs.
type screenData struct {
	Lang, Dir   string
	Languages   []i18n.Language
	CaseID      string
	Minor       bool
	Officer     string
	Org         string
	Helpline    string
	Done        bool
	CSRF        string
	OfficerBack string // in the officer's language
	OfficerLang string
	Scopes      []referral.ConsentScope
	Offline     bool // the copy kept on the phone: her case comes from the address's #fragment
}

// screenPage is the page the officer hands over: in her language, in plain words, what happens
// next, her rights, the helpline, and the consent questions. For a child the NRM question is
// not asked. Asked for a language it has no screen in (or, with none asked, when none of her
// languages has one), it tells the officer so instead, in the officer's language.
func (s *Site) screenPage(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cs, err := s.deps.Domain.Case(ctx, id)
	if err != nil {
		return err
	}
	lang := c.QueryParam("screen")
	if lang == "" { // her own: the first of her languages that has a screen
		_, lang = s.screenChoices(cs.Languages())
	}
	if _, ok := s.deps.Bundle.PersonLocalizer(lang); !ok {
		here := "/cases/" + id.String() + "/screen"
		return s.missingScreen(c, missingFor{Reference: cs.Reference, Languages: cs.Languages(), FoundCity: cs.FoundCity, Base: here,
			Back: "/cases/" + id.String()}, lang)
	}
	ident, _ := referral.IdentityFrom(ctx)
	minor := cs.Minor(s.deps.Domain.Now().In(ident.Organisation.Location()))
	d := s.screenData(c, lang, "screen.back")
	d.CaseID, d.Minor, d.Done = cs.ID.String(), minor, c.QueryParam("done") == "1"
	if minor { // a child is not asked about the NRM
		d.Scopes = slices.DeleteFunc(slices.Clone(d.Scopes), func(k referral.ConsentScope) bool { return k == referral.ConsentNRM })
	}
	return s.renderScreen(c, d)
}

// missingFor is the person a missing screen or letter was asked for, and where its page is.
type missingFor struct {
	Reference string
	Languages []string // hers, in her order
	FoundCity string   // where to look for interpreters near her
	Base      string   // the screen's or letter's address, to ask again with ?screen=
	Back      string   // her record (or her NRM record, for a letter)
}

// missingData is what the officer is told when her screen does not exist in a language.
type missingData struct {
	For          missingFor
	Asked        string          // the language asked for ("" when her language is not recorded)
	Closest      []i18n.Language // the screens closest to it, closest first
	Hers         []screenChoice  // her languages and their screens
	All          []i18n.Language // every screen
	Interpreters []referral.Match
	Searched     bool // interpreters were looked for (an asked language)
}

// missingScreen tells the officer that her screen (or letter) does not exist in the language
// asked for (or, with none asked, in any of hers), with the screens closest to it, her
// languages' screens, and interpreters near her who speak it. It never shows her a screen in a
// language nobody chose.
func (s *Site) missingScreen(c echo.Context, f missingFor, asked string) error {
	if asked == "" && len(f.Languages) > 0 {
		asked = f.Languages[0]
	}
	d := missingData{For: f, Asked: asked, All: s.deps.Bundle.PersonLanguageList()}
	d.Hers, _ = s.screenChoices(f.Languages)
	for _, sc := range i18n.ClosestScreens(asked) {
		if l, ok := s.deps.Bundle.PersonLanguage(sc); ok {
			d.Closest = append(d.Closest, l)
		}
	}
	p := s.newPage(c, "screen_missing.title", &d)
	if asked != "" {
		ident, _ := referral.IdentityFrom(c.Request().Context())
		res, err := s.deps.Domain.Match(c.Request().Context(), referral.Need{Categories: []referral.Category{referral.CategoryInterpretation},
			Languages: []string{asked}, City: f.FoundCity, Country: ident.Organisation.Country, Limit: 3})
		if err == nil { // interpreters are a help here, not a condition: the page shows without them
			d.Searched = true
			d.Interpreters = slices.DeleteFunc(res.Results[referral.CategoryInterpretation], func(m referral.Match) bool {
				return !slices.Contains(m.Service.Languages, asked) // one who does not speak it is no help here
			})
		}
	}
	return s.render(c, http.StatusNotFound, "screen-missing", p)
}

// screenData is what every copy of her screen shows in lang: the officer and organisation (the
// signed-in user's), the helpline of the organisation's country, every consent question, and
// the way back for the officer (back, a message ID) in the officer's language.
func (s *Site) screenData(c echo.Context, lang, back string) screenData {
	l, _ := s.deps.Bundle.PersonLocalizer(lang)
	ident, _ := referral.IdentityFrom(c.Request().Context())
	staff := s.localizer(c)
	return screenData{Lang: lang, Dir: l.Dir(), Languages: s.deps.Bundle.PersonLanguageList(), Officer: ident.User.Name,
		Org: ident.Organisation.Name, Helpline: referral.Helplines[ident.Organisation.Country], CSRF: s.cfg.CSRFToken(c),
		OfficerBack: staff.T(back, nil), OfficerLang: staff.Code, Scopes: referral.ConsentScopes}
}

// renderScreen answers with her screen; it is never kept by a browser's cache.
func (s *Site) renderScreen(c echo.Context, d screenData) error {
	b, err := s.screen.render(d.Lang, d)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(http.StatusOK, b)
}

// offlineScreen is her screen as the phone keeps it for use with no signal: the same words,
// for no case in particular. The offline script reads her case from the address's fragment
// (never sent to the server), asks the NRM question only of an adult, and queues her answers.
func (s *Site) offlineScreen(c echo.Context) error {
	if err := authorize(c, referral.ActCaseCreate, referral.Target{}); err != nil {
		return err
	}
	lang := c.QueryParam("screen")
	if _, ok := s.deps.Bundle.PersonLocalizer(lang); !ok {
		return referral.ErrNotFound
	}
	d := s.screenData(c, lang, "screen.back_offline")
	d.Offline = true
	return s.renderScreen(c, d)
}
