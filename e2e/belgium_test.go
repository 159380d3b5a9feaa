package e2e_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/harbour-nrm/harbour/demo"
)

// TestBrowserBelgianPathOnPhone is Belgium's path on three phones: the Brussels police officer
// records a woman who speaks Wenzhounese and Mandarin, and from her record holds a bed at the
// specialised centre and refers her there in one tap; the centre's caseworker accepts from her
// home, opens what the woman agreed to share and asks for her reflection period; the
// Immigration Office decides on the registration attestation; her record on the officer's phone
// shows, in Chinese, the day it ends. Every page passes axe and fits 360 px.
func TestBrowserBelgianPathOnPhone(t *testing.T) {
	t.Parallel()
	s, officer, exe, axe := demoOfficer(t)
	bVisit(t, officer, s.URL+"/cases/new")
	bRun(t, officer, "she also understands Mandarin", chromedp.SetValue(chromedp.CSS(`#other_language_1`), "cmn"))
	bRun(t, officer, "tick a bed tonight", chromedp.Click(chromedp.CSS(`input[name="needs"][value="bed_tonight"]`)))
	record := bRecord(t, officer, "wuu", "27", "Brussels")
	if !strings.HasPrefix(record.H1, "当事人 HB-") {
		t.Fatalf("her record: %s %q", record.Path, record.H1)
	}
	// Her screen in her own written language: Mandarin's, first of her languages with one.
	if st := bFollow(t, officer, "show her screen", chromedp.Click(chromedp.CSS(`.screens a.button:not(.secondary)`))); st != 200 {
		t.Fatalf("her screen: %d", st)
	}
	if p := bState(t, officer); p.Lang != "zh-Hans" {
		t.Fatalf("her screen is in %q, want zh-Hans", p.Lang)
	}
	bAnswer(t, officer, "support:yes", "share:yes", "nrm:yes")
	bVisit(t, officer, s.URL+record.Path)
	if st := bFollow(t, officer, "find help for her", chromedp.Click(chromedp.CSS(`a[href^="/help?"]`))); st != 200 {
		t.Fatalf("find help: %d", st)
	}
	holdAndRefer := `form[action="/services/` + passerelle + `/holds"]:has(input[name="refer"]) button`
	if st := bFollow(t, officer, "hold a bed at the centre and refer her", chromedp.Click(chromedp.CSS(holdAndRefer))); st != 200 {
		t.Fatalf("hold and refer: %d", st)
	}
	if p := bState(t, officer); p.Path != record.Path {
		t.Fatalf("after hold and refer: %s", p.Path)
	}
	axeCheck(t, officer, axe, "her record, referred")

	centre := newPhone(t, exe)
	bVisit(t, centre, s.URL+"/")
	bSignInHome(t, centre, "centre@demo.harbour.test", demo.Password)
	axeCheck(t, centre, axe, "the centre's home")
	bNoSideScroll(t, "the centre's home", bState(t, centre))
	if st := bFollow(t, centre, "open the referrals waiting", chromedp.Click(chromedp.CSS(`#home-inbox a.main`))); st != 200 {
		t.Fatalf("inbox: %d", st)
	}
	if st := bFollow(t, centre, "open the referral", chromedp.Click(chromedp.CSS(`.referrals a.main`))); st != 200 {
		t.Fatalf("referral: %d", st)
	}
	if st := bFollow(t, centre, "accept", chromedp.Click(chromedp.CSS(`form[action$="/accept"] button`))); st != 200 {
		t.Fatalf("accept: %d", st)
	}
	if st := bFollow(t, centre, "open her record", chromedp.Click(chromedp.CSS(`a[href="`+record.Path+`"]`))); st != 200 {
		t.Fatalf("her record at the centre: %d", st)
	}
	axeCheck(t, centre, axe, "her record at the centre")
	bNoSideScroll(t, "her record at the centre", bState(t, centre))
	if st := bFollow(t, centre, "ask for her reflection period", chromedp.Click(chromedp.CSS(`form[action$="/nrm"] button[type="submit"]`))); st != 200 {
		t.Fatalf("request reflection: %d", st)
	}
	state := `document.querySelector('#nrm-state [data-nrm-state]').dataset.nrmState`
	if st := bRun(t, centre, "read the state", chromedp.Evaluate[string](state)); st != "reflection" {
		t.Fatalf("state after the centre's request: %q", st)
	}

	office := newPhone(t, exe)
	bVisit(t, office, s.URL+"/")
	bSignInHome(t, office, "decision@demo.harbour.test", demo.Password)
	bVisit(t, office, s.URL+"/nrm")
	if st := bFollow(t, office, "open her record", chromedp.Click(chromedp.CSS(`.queue li a.main`))); st != 200 {
		t.Fatalf("open: %d", st)
	}
	bRun(t, office, "write the reasons", chromedp.SendKeys(chromedp.CSS(`#reasons-issue_attestation`), "她已向检察官作出陈述。"))
	decide := `form[action$="/steps"]:has(input[name="step"][value="issue_attestation"]) button[type="submit"]`
	if st := bFollow(t, office, "issue the attestation", chromedp.Click(chromedp.CSS(decide))); st != 200 {
		t.Fatalf("decide: %d", st)
	}
	if st := bRun(t, office, "read the state", chromedp.Evaluate[string](state)); st != "attestation" {
		t.Fatalf("state after the decision: %q", st)
	}
	axeCheck(t, office, axe, "her NRM record at the Immigration Office")

	be, _ := s.Domain.Jurisdictions().Get("BE")
	end := be.Today(s.Domain.Now()).AddMonths(3)
	zh := s.Bundle.Localizer("zh-Hans")
	want := zh.T("nrm.timer.attestation", map[string]any{"Date": zh.Date(end.Civil(), time.UTC)})
	bVisit(t, officer, s.URL+record.Path)
	shown := bRun(t, officer, "read her NRM date", chromedp.Evaluate[string](`document.querySelector('#case-nrm [data-nrm-next]').textContent`))
	if shown != want {
		t.Fatalf("her record shows %q, want %q", shown, want)
	}
	bNoSideScroll(t, "her record with her attestation", bState(t, officer))
}
