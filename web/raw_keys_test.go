package web_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	"golang.org/x/net/html"

	"github.com/harbour-nrm/harbour/referral"
)

// messageShaped is a token that reads like a message ID ("nrm.state.", "home.title"): lower-case
// words joined by dots. A page shows one when a message is missing or a code has no message.
var messageShaped = regexp.MustCompile(`^[a-z][a-z0-9_]*\.[a-z0-9_]+(\.[a-z0-9_]*)*$`)

// notMessages are tokens of that shape that pages may show: abbreviations people write.
var notMessages = map[string]bool{"e.g.": true, "i.e.": true, "etc.": true}

// rawKeys returns the message-shaped tokens a page shows to a reader: in its text and in the
// attributes people read or hear (see web/templates_test.go).
func rawKeys(body string) []string {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return []string{"unparseable page"}
	}
	var out []string
	check := func(s string) {
		for _, tok := range strings.FieldsFunc(s, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '@')
		}) {
			if messageShaped.MatchString(tok) && !notMessages[tok] && !strings.Contains(tok, "@") {
				out = append(out, tok)
			}
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style" || n.Data == "code") {
			return // code shown as code (an audit action's code, which admins filter by)
		}
		if n.Type == html.TextNode {
			check(n.Data)
		}
		for _, a := range n.Attr {
			switch a.Key {
			case "title", "alt", "placeholder", "aria-label", "aria-description", "label":
				check(a.Val)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// TestNoRawMessageKeysOnAnyPage renders every page as every demo role sees it, in both staff
// languages, over records with their optional parts missing (a person with nothing but her
// reference, a shelter stay with no NRM record, a hold with no person) as well as full ones,
// and fails on anything that reads like a message ID.
func TestNoRawMessageKeysOnAnyPage(t *testing.T) {
	s := demoServer(t)
	paths := rawKeyFixtures(t, s)
	for _, email := range []string{"officer", "shelter", "caseworker", "decision", "orgadmin", "admin", "centre", "officer.uk", "decision.uk"} {
		c := s.DemoSignIn(t, email+"@demo.harbour.test")
		for _, lang := range []string{"zh-Hans", "en"} {
			s.Page(t, c, "/?lang="+lang)
			for _, path := range paths {
				status, body := s.Page(t, c, path)
				if status >= 500 {
					t.Errorf("%s (%s) %s: %d", email, lang, path, status)
				}
				if keys := rawKeys(body); len(keys) > 0 {
					t.Errorf("%s (%s) %s (%d) shows %q", email, lang, path, status, keys)
				}
			}
		}
	}
}

// rawKeyFixtures records what the pages are looked at over, and returns every page's path.
func rawKeyFixtures(t *testing.T, s *testServer) []string {
	t.Helper()
	d := s.Domain
	as := func(email string) context.Context {
		u, err := d.UserByEmail(cliCtx, email+"@demo.harbour.test")
		if err != nil {
			t.Fatal(err)
		}
		return referral.WithActor(context.Background(), referral.Actor{UserID: u.ID, OrganisationID: u.OrganisationID, Roles: u.Roles})
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	officer, shelter, centre := as("officer"), as("shelter"), as("centre")
	op, _, err := d.CreateOperation(officer, referral.OperationInput{ID: uuid.Must(uuid.NewV7()), Name: "Raw keys"})
	must(err)
	// Nothing but her reference.
	bare, _, err := d.CreateCase(officer, referral.CaseInput{ID: uuid.Must(uuid.NewV7()), OperationID: &op.ID})
	must(err)
	// Everything: languages in her order, consents, a referral the centre accepted, her NRM.
	full, _, err := d.CreateCase(officer, referral.CaseInput{ID: uuid.Must(uuid.NewV7()), OperationID: &op.ID, Language: "wuu",
		OtherLanguages: []string{"cmn"}, Gender: "female", Age: ptr(24), Nationality: "CN", NameOriginal: "王芳", Needs: []string{"bed_tonight"}})
	must(err)
	yes := true
	for _, scope := range referral.ConsentScopes {
		_, _, err := d.RecordConsent(officer, full.ID, referral.ConsentInput{ID: uuid.Must(uuid.NewV7()), Scope: scope, Given: &yes, Language: "zh-Hans"})
		must(err)
	}
	passerelle := uuid.MustParse("019a0000-0000-7000-8000-000000000209")
	lotus := uuid.MustParse("019a0000-0000-7000-8000-000000000201")
	ref, _, err := d.SendReferral(officer, referral.ReferralInput{ID: uuid.Must(uuid.NewV7()), CaseID: full.ID, ServiceID: passerelle})
	must(err)
	_, err = d.Transition(centre, ref.ID, referral.ActionAccept, referral.StepInput{})
	must(err)
	rec, _, err := d.SubmitNRM(centre, referral.NRMInput{ID: uuid.Must(uuid.NewV7()), CaseID: full.ID, Step: "request_reflection"})
	must(err)
	// A hold with no person, and a stay at Maison Lotus for the person with nothing recorded.
	hold, _, err := d.CreateHold(officer, lotus, referral.HoldInput{ID: uuid.Must(uuid.NewV7())})
	must(err)
	held, _, err := d.CreateHold(officer, lotus, referral.HoldInput{ID: uuid.Must(uuid.NewV7()), CaseID: &bare.ID})
	must(err)
	_, err = d.CheckIn(shelter, held.ID, uuid.Nil)
	must(err)
	var nrmPaths []string
	for _, id := range []uuid.UUID{rec.ID} {
		nrmPaths = append(nrmPaths, "/nrm/"+id.String())
	}
	paths := []string{"/", "/operations", "/operations/" + op.ID.String(), "/cases/new", "/cases/new?operation=" + op.ID.String(),
		"/cases/" + bare.ID.String(), "/cases/" + full.ID.String(), "/cases/" + bare.ID.String() + "/screen",
		"/cases/" + full.ID.String() + "/screen?screen=ro", "/cases/" + full.ID.String() + "/screen?screen=wuu",
		"/help", "/help?categories=shelter&categories=legal&city=Brussels&case=" + full.ID.String() + "&reference=" + full.Reference,
		"/holds/" + hold.ID.String(), "/holds/" + held.ID.String(), "/referrals", "/referrals?box=outbox", "/referrals?box=inbox",
		"/referrals/" + ref.ID.String(), "/notifications", "/settings", "/settings/notifications", "/settings/password", "/board",
		"/nrm", "/nrm?all=1", "/stats", "/services", "/services/new", "/services/" + lotus.String() + "/edit",
		"/admin/organisations", "/admin/organisations/new", "/admin/organisations/019a0000-0000-7000-8000-000000000001",
		"/organisations/019a0000-0000-7000-8000-000000000001/users", "/users/019a0000-0000-7000-8000-000000000101",
		"/audit", "/audit/verify", "/offline", "/no-such-page", "/cases/" + uuid.Must(uuid.NewV7()).String()}
	for _, l := range []string{"zh-Hans", "zh-Hant", "en", "fr", "nl", "de", "es", "ar"} {
		paths = append(paths, "/cases/"+full.ID.String()+"/screen?screen="+l, "/offline/screen?screen="+l)
	}
	return append(paths, nrmPaths...)
}
