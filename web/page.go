package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// page is what every template receives: the language, who is signed in, the navigation, the
// CSRF token for forms, and the page's own data.
type page struct {
	Lang      string
	Dir       string
	Title     string // message ID of the page title
	Identity  *referral.Identity
	CSRF      string
	Path      string // the current path, for the language switcher to come back to
	Languages []i18n.Language
	Nav       []navItem
	Notice    string // a translated confirmation, e.g. after saving
	Form      form
	Unread    int            // the person's unread alerts (the badge)
	Loc       *time.Location // the organisation's time zone, for dates
	Data      any
}

// navItem is one entry of the navigation bar.
type navItem struct {
	Href    string
	Label   string // message ID
	Current bool
}

// newPage prepares the common part of a page for this request.
func (s *Site) newPage(c echo.Context, title string, data any) *page {
	l := s.localizer(c)
	p := &page{Lang: l.Code, Dir: l.Dir(), Title: title, CSRF: s.cfg.CSRFToken(c), Path: c.Request().URL.Path,
		Languages: s.deps.Bundle.Languages(), Data: data, Form: newForm(), Loc: time.UTC}
	if id, ok := referral.IdentityFrom(c.Request().Context()); ok {
		p.Identity = &id
		p.Loc = id.Organisation.Location()
		p.Nav = navFor(id, p.Path)
		// The badge is a nicety: a page still shows when it cannot be counted.
		p.Unread, _ = s.deps.Domain.Unread(c.Request().Context())
	}
	return p
}

func (s *Site) localizer(c echo.Context) *i18n.Localizer {
	return i18n.From(c.Request().Context(), s.deps.Bundle.Localizer(i18n.Source))
}

// navFor lists what the user's roles give them, home first, as the domain says they may
// (referral.CapabilitiesOf): a menu never offers what would be refused.
func navFor(id referral.Identity, current string) []navItem {
	can := referral.CapabilitiesOf(id.Actor())
	items := []navItem{{Href: "/", Label: "nav.home"}}
	add := func(ok bool, href, label string) {
		if ok {
			items = append(items, navItem{Href: href, Label: label})
		}
	}
	add(can.RecordPeople, "/operations", "nav.operations")
	add(can.RecordPeople, "/help", "nav.help")
	add(can.Inbox || can.Outbox, "/referrals", "nav.referrals")
	add(can.Board, "/board", "nav.board")
	add(can.NRMQueue, "/nrm", "nav.nrm")
	add(can.Stats, "/stats", "stats.nav")
	add(can.Services, "/services", "nav.services")
	add(can.Organisations, "/admin/organisations", "nav.organisations")
	add(can.Users, "/organisations/"+id.User.OrganisationID.String()+"/users", "nav.users")
	add(can.Audit, "/audit", "nav.audit")
	items = append(items, navItem{Href: "/settings", Label: "nav.settings"})
	for i := range items {
		items[i].Current = items[i].Href == current || (items[i].Href != "/" && strings.HasPrefix(current, items[i].Href+"/"))
	}
	return items
}

// render writes a page with the given status.
func (s *Site) render(c echo.Context, status int, name string, p *page) error {
	b, err := s.views.render(p.Lang, name, p)
	if err != nil {
		return err
	}
	return c.HTMLBlob(status, b)
}

// refused shows page p again with err's messages on its form, answering with the error's
// status. An error that is not the domain's has nothing to show on a form: it is returned for
// the error page.
func (s *Site) refused(c echo.Context, name string, p *page, err error) error {
	status := p.Form.refuse(err, s.localizer(c), s.cfg.Status)
	if status == 0 {
		return err
	}
	return s.render(c, status, name, p)
}

// idParam is the record ID in the path; a path whose ID is no ID names nothing.
func idParam(c echo.Context) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return uuid.Nil, referral.ErrNotFound
	}
	return id, nil
}

// authorize asks the domain whether the signed-in person may do act to target, for pages that
// show a form before anything reaches the domain.
func authorize(c echo.Context, act referral.Action, target referral.Target) error {
	return referral.Authorize(referral.ActorFrom(c.Request().Context()), act, target)
}

// signedIn sends people who are not signed in to the sign-in page, and back here afterwards.
func (s *Site) signedIn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := referral.IdentityFrom(c.Request().Context()); !ok {
			return c.Redirect(http.StatusSeeOther, "/signin?next="+url.QueryEscape(c.Request().URL.RequestURI()))
		}
		return next(c)
	}
}

// passwordSet sends people with a temporary password to choose their own first.
func (s *Site) passwordSet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if id, ok := referral.IdentityFrom(c.Request().Context()); ok && id.User.MustChangePassword {
			return c.Redirect(http.StatusSeeOther, "/settings/password")
		}
		return next(c)
	}
}

// localPath returns next if it is a path on this site, else "/": a sign-in link must not be
// able to send people elsewhere.
func localPath(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}
