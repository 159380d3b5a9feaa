package e2e_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/harbour-nrm/harbour/demo"
)

// TestBrowserReferralAnsweredLive: on a phone the officer records a woman, she agrees, and the
// officer refers her to the Brussels shelter. The shelter's night worker, signed in on another
// phone, finds it on top of her inbox and accepts it in one tap. The officer's page, left open,
// shows "accepted" and the alert badge without being reloaded.
func TestBrowserReferralAnsweredLive(t *testing.T) {
	t.Parallel() // slow, and shares nothing with other tests
	s, officer, exe, axe := demoOfficer(t)

	bVisit(t, officer, s.URL+"/cases/new")
	record := bRecord(t, officer, "cmn", "31", "Brussels")
	reference := strings.TrimPrefix(record.H1, "当事人 ")
	bVisit(t, officer, s.URL+record.Path+"/screen?screen=zh-Hans")
	bAnswer(t, officer, "support:yes", "share:yes", "nrm:no")
	var lotus string
	if err := s.DB.Gorm.Raw(`SELECT id FROM services WHERE organisation_id = '019a0000-0000-7000-8000-000000000002'
		AND category = 'shelter' ORDER BY name LIMIT 1`).Row().Scan(&lotus); err != nil {
		t.Fatal(err)
	}
	bVisit(t, officer, s.URL+record.Path)
	if st := bFollow(t, officer, "find help for her", chromedp.Click(chromedp.CSS(`a[href^="/help?"]`))); st != 200 {
		t.Fatalf("find help: %d", st)
	}
	send := `.result form[action$="/referrals"]:has(input[name="service_id"][value="` + lotus + `"]) button`
	if st := bFollow(t, officer, "refer her to the Brussels shelter", chromedp.Click(chromedp.CSS(send))); st != 200 {
		t.Fatalf("referral: %d", st)
	}
	statusJS := `document.querySelector('#case-referrals [data-status]').dataset.status`
	if st := bRun(t, officer, "read the referral's status", chromedp.Evaluate[string](statusJS)); st != "sent" {
		t.Fatalf("after sending: %q", st)
	}
	// A mark on this very page: it is still there after the update only if the page was not loaded again.
	bRun(t, officer, "mark the page", chromedp.Evaluate[bool](`window.stillThisPage = true`))

	shelter := newPhone(t, exe)
	bVisit(t, shelter, s.URL+"/")
	bSignInHome(t, shelter, "shelter@demo.harbour.test", demo.Password)
	if badge := bRun(t, shelter, "read her badge", chromedp.Evaluate[string](`document.querySelector('[data-unread]').textContent`)); badge != "1" {
		t.Fatalf("the shelter's badge says %q, want 1 new referral", badge)
	}
	bVisit(t, shelter, s.URL+"/referrals")
	axeCheck(t, shelter, axe, "inbox")
	bNoSideScroll(t, "inbox", bState(t, shelter))
	first := bRun(t, shelter, "read the first referral", chromedp.Evaluate[string](`document.querySelector('.referrals li .main').textContent`))
	if !strings.HasPrefix(first, reference) {
		t.Fatalf("the inbox starts with %q, want %s", first, reference)
	}
	age := bRun(t, shelter, "read how long it waits", chromedp.Evaluate[string](`document.querySelector('.referrals li .meta').textContent`))
	if !strings.Contains(age, "已等待") {
		t.Fatalf("no waiting time in %q", age)
	}
	accepted := time.Now()
	if st := bFollow(t, shelter, "accept in one tap", chromedp.Click(chromedp.CSS(`.referrals li form[action$="/accept"] button`))); st != 200 {
		t.Fatalf("accept: %d", st)
	}

	bWaitJS(t, officer, "the officer's page shows accepted", statusJS+` === 'accepted'`)
	seen := time.Since(accepted)
	t.Logf("accept tapped → officer's open page shows accepted: %v (loopback, including the shelter's page load)", seen)
	text := bRun(t, officer, "read the status", chromedp.Evaluate[string](`document.querySelector('#case-referrals [data-status]').textContent`))
	if text != "已接受" {
		t.Fatalf("status %q, want 已接受", text)
	}
	if !bRun(t, officer, "check the page was not reloaded", chromedp.Evaluate[bool](`window.stillThisPage === true`)) {
		t.Fatal("the officer's page was reloaded")
	}
	bWaitJS(t, officer, "the officer's badge shows the alert", `document.querySelector('[data-unread]').textContent === '1' && !document.querySelector('[data-unread]').hidden`)
	bWaitJS(t, officer, "the officer's status line says what happened", `document.querySelector('[data-live-status]').textContent.includes('`+reference+`')`)
	bNoSideScroll(t, "her record, updated", bState(t, officer))

	// The referral's page, from the alert: its timeline on both sides.
	if st := bFollow(t, officer, "open the alerts", chromedp.Click(chromedp.CSS(`a.alerts`))); st != 200 {
		t.Fatalf("alerts: %d", st)
	}
	axeCheck(t, officer, axe, "alerts")
	if st := bFollow(t, officer, "open the alert", chromedp.Click(chromedp.CSS(`#notification-list a`))); st != 200 {
		t.Fatalf("alert: %d", st)
	}
	if p := bState(t, officer); !strings.HasPrefix(p.Path, "/referrals/") {
		t.Fatalf("the alert led to %s", p.Path)
	}
	axeCheck(t, officer, axe, "referral")
	timeline := bRun(t, officer, "read the timeline", chromedp.Evaluate[string](`document.querySelector('#referral-timeline').textContent`))
	if !strings.Contains(timeline, "已发出") || !strings.Contains(timeline, "已接受") {
		t.Fatalf("timeline %q", timeline)
	}
}
