package web

import (
	"net/http"
	"net/url"

	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// homeCard is one card of a home page: a title, lines that each say what waits and link to it,
// what the card says when nothing waits, and where to go from it. All text is message IDs.
type homeCard struct {
	ID       string // the element's id, so live updates replace it
	Title    string
	Lines    []homeLine
	Empty    string
	Link     string
	LinkText string
}

// homeLine is one line of a card: a message with its data, and the page it opens ("" for none).
type homeLine struct {
	Href  string
	ID    string
	Data  map[string]any
	Alert bool // something is late
}

// homeData is a home page: quick actions, then the cards.
type homeData struct {
	Actions []navItem
	Cards   []homeCard
}

// home shows the signed-in person their work; anyone else gets the sign-in form.
func (s *Site) home(c echo.Context) error {
	id, ok := referral.IdentityFrom(c.Request().Context())
	if !ok {
		return s.signInPage(c)
	}
	h, err := s.deps.Domain.Home(c.Request().Context())
	if err != nil {
		return err
	}
	p := s.newPage(c, "home.title", nil)
	p.Data = homeData{Actions: homeActions(id.Actor()), Cards: s.homeCards(c, p, id, h)}
	return s.render(c, http.StatusOK, "home", p)
}

// homeActions are the first things an officer does on an action day.
func homeActions(a referral.Actor) []navItem {
	if !referral.CapabilitiesOf(a).RecordPeople {
		return nil
	}
	return []navItem{{Href: "/cases/new", Label: "home.action.record"}, {Href: "/help", Label: "home.action.help"},
		{Href: "/offline", Label: "home.action.offline"}}
}

// homeCards turns the domain's home into cards, in the order a person's day goes: alerts, what
// is happening today, then what waits.
func (s *Site) homeCards(c echo.Context, p *page, id referral.Identity, h referral.Home) []homeCard {
	l := s.localizer(c)
	var out []homeCard
	if p.Unread > 0 {
		out = append(out, homeCard{ID: "home-alerts", Title: "home.alerts.title", Lines: []homeLine{{Href: "/notifications",
			ID: "home.alerts.unread", Data: map[string]any{"Count": p.Unread}, Alert: true}}})
	}
	if h.Operations != nil {
		card := homeCard{ID: "home-operations", Title: "home.operations.title", Empty: "home.operations.empty", Link: "/operations",
			LinkText: "home.operations.all"}
		for _, o := range h.Operations {
			card.Lines = append(card.Lines, homeLine{Href: "/operations/" + o.ID.String(), ID: "home.operations.line",
				Data: map[string]any{"Name": o.Name, "Area": o.Area, "Count": o.People}})
		}
		out = append(out, card)
	}
	if w := h.WithoutBed; w != nil {
		card := homeCard{ID: "home-without-bed", Title: "home.without_bed.title", Empty: "home.without_bed.empty"}
		for _, person := range w.People {
			card.Lines = append(card.Lines, homeLine{Href: "/cases/" + person.CaseID.String(), ID: "home.without_bed.line",
				Data: map[string]any{"Reference": person.Reference, "Time": l.DateTime(person.At, p.Loc)}, Alert: true})
		}
		out = append(out, moreOf(card, w))
	}
	if o := h.Outbox; o != nil {
		out = append(out, waitingCard("home-outbox", "outbox", o))
	}
	if i := h.Inbox; i != nil {
		out = append(out, waitingCard("home-inbox", "inbox", i))
	}
	if h.Beds != nil {
		card := homeCard{ID: "home-beds", Title: "home.beds.title", Empty: "home.beds.empty", Link: "/board", LinkText: "home.beds.board"}
		for _, b := range h.Beds {
			card.Lines = append(card.Lines, homeLine{Href: "/board", ID: "home.beds.line", Data: map[string]any{
				"Service": b.NameI18n.In(p.Lang, b.Name), "Unit": string(b.Unit), "Count": b.Free, "Total": b.Total}, Alert: b.Free == 0})
		}
		out = append(out, card)
	}
	if a := h.Arrivals; a != nil {
		card := homeCard{ID: "home-arrivals", Title: "home.arrivals.title", Empty: "home.arrivals.empty"}
		for _, person := range a.People {
			card.Lines = append(card.Lines, homeLine{Href: "/holds/" + person.HoldID.String(), ID: "home.arrivals.line",
				Data: map[string]any{"Reference": person.Reference, "Time": l.DateTime(person.At, p.Loc)}})
		}
		out = append(out, moreOf(card, a))
	}
	if n := h.NRM; n != nil {
		out = append(out, homeCard{ID: "home-nrm", Title: "home.nrm.title", Link: "/nrm", LinkText: "home.nrm.queue", Lines: []homeLine{
			{Href: "/nrm", ID: "home.nrm.overdue", Data: map[string]any{"Count": n.Overdue}, Alert: n.Overdue > 0},
			{Href: "/nrm", ID: "home.nrm.due_today", Data: map[string]any{"Count": n.DueToday}},
			{Href: "/nrm?all=1", ID: "home.nrm.new", Data: map[string]any{"Count": n.New}},
		}})
	}
	can := referral.CapabilitiesOf(id.Actor())
	if can.Stats {
		out = append(out, homeCard{ID: "home-stats", Title: "home.stats.title", Empty: "home.stats.hint", Link: "/stats", LinkText: "home.stats.open"})
	}
	if ad := h.Admin; ad != nil {
		users := "/organisations/" + ad.OrganisationID.String() + "/users"
		out = append(out, homeCard{ID: "home-users", Title: "home.users.title", Link: users, LinkText: "home.users.manage", Lines: []homeLine{
			{Href: users, ID: "home.users.active", Data: map[string]any{"Count": ad.Users}},
			{Href: users, ID: "home.users.must_change", Data: map[string]any{"Count": ad.MustChange}, Alert: ad.MustChange > 0},
			{Href: users, ID: "home.users.tokens", Data: map[string]any{"Count": ad.Tokens}},
		}})
		card := homeCard{ID: "home-services", Title: "home.services.title", Empty: "home.services.all_accepting", Link: "/services",
			LinkText: "home.services.manage"}
		for _, sv := range ad.NotAccepting {
			card.Lines = append(card.Lines, homeLine{Href: "/services/" + sv.ID.String() + "/edit", ID: "home.services.paused",
				Data: map[string]any{"Service": sv.NameI18n.In(p.Lang, sv.Name)}, Alert: true})
		}
		out = append(out, card)
	}
	if can.Organisations {
		out = append(out, homeCard{ID: "home-admin", Title: "home.admin.title", Empty: "home.admin.hint", Link: "/admin/organisations",
			LinkText: "home.admin.organisations"})
	}
	if can.Audit {
		out = append(out, homeCard{ID: "home-audit", Title: "home.audit.title", Empty: "home.audit.hint", Link: "/audit",
			LinkText: "home.audit.open"})
	}
	return out
}

// waitingCard is an inbox or outbox (box) in numbers: waiting, urgent, late.
func waitingCard(id, box string, n *referral.HomeCount) homeCard {
	card := homeCard{ID: id, Title: "home." + box + ".title", Empty: "home." + box + ".empty", Link: "/referrals?box=" + box,
		LinkText: "home." + box + ".open"}
	if n.Waiting == 0 {
		return card
	}
	href := "/referrals?" + url.Values{"box": {box}, "status": {"sent"}}.Encode()
	card.Lines = []homeLine{{Href: href, ID: "home.waiting.all", Data: map[string]any{"Count": n.Waiting}}}
	if n.Urgent > 0 {
		card.Lines = append(card.Lines, homeLine{Href: href, ID: "home.waiting.urgent", Data: map[string]any{"Count": n.Urgent}, Alert: true})
	}
	if n.Late > 0 {
		card.Lines = append(card.Lines, homeLine{Href: href, ID: "home.waiting.late", Data: map[string]any{"Count": n.Late}, Alert: true})
	}
	return card
}

// moreOf adds a line saying how many more people a card holds than it lists.
func moreOf(card homeCard, p *referral.HomePeople) homeCard {
	if rest := p.Count - len(p.People); rest > 0 {
		card.Lines = append(card.Lines, homeLine{ID: "home.more", Data: map[string]any{"Count": rest}})
	}
	return card
}
