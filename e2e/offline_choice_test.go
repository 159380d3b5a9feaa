package e2e_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// TestBrowserOfflineLanguagesAndSeveralReferrals: with no signal, the officer records a woman
// who speaks Wenzhounese and also Mandarin; her screens come in her order, Mandarin's first,
// with nothing missing; she agrees on her screen to be referred; two services chosen from the phone's copy of the directory are queued
// together and sent when the signal returns, with her languages in order. A Romanian woman's
// screen is missing, and the officer is told so rather than handed another language.
func TestBrowserOfflineLanguagesAndSeveralReferrals(t *testing.T) {
	t.Parallel()
	s, ctx, _, axe := demoOfficer(t)
	bVisit(t, ctx, s.URL+"/offline")
	bOfflineReady(t, ctx)
	net := &connection{page: ctx, workers: map[target.ID]context.Context{}}
	net.set(t, true)
	bVisit(t, ctx, s.URL+"/offline")
	bRun(t, ctx, "choose her language", chromedp.SetValue(chromedp.CSS(`#language`), "wuu"))
	bRun(t, ctx, "she also understands Mandarin", chromedp.SetValue(chromedp.CSS(`#other_language_1`), "cmn"))
	bRun(t, ctx, "type her name", chromedp.SendKeys(chromedp.CSS(`#name_original`), "周小燕"))
	bRun(t, ctx, "tick a bed tonight", chromedp.Click(chromedp.CSS(`input[name="needs"][value="bed_tonight"]`)))
	bRun(t, ctx, "keep her", chromedp.Click(chromedp.CSS(`#offline-form button[type="submit"]`)))
	bWaitJS(t, ctx, "help from the copy", `Promise.resolve(!document.getElementById('offline-help').hidden)`)
	screens := bRun(t, ctx, "read her screens", chromedp.Evaluate[[]string](`[...document.querySelectorAll('#offline-screens a')].map(a => a.dataset.screen + (a.classList.contains('secondary') ? '' : '*'))`))
	if len(screens) == 0 || screens[0] != "zh-Hans*" || strings.Contains(strings.Join(screens[1:], ""), "*") {
		t.Fatalf("her screens offline: %v, want Mandarin's first and alone marked", screens)
	}
	if hidden := bRun(t, ctx, "is a screen missing?", chromedp.Evaluate[bool](`document.getElementById('offline-screen-missing').hidden`)); !hidden {
		t.Fatal("a screen is said to be missing for a woman who reads Chinese")
	}
	// She reads her screen in Mandarin and agrees to be referred.
	if st := bFollow(t, ctx, "show her screen", chromedp.Click(chromedp.CSS(`#offline-screens a.button:not(.secondary)`))); st != 200 {
		t.Fatalf("her screen offline: %d", st)
	}
	bRun(t, ctx, "she agrees to support", chromedp.Click(chromedp.CSS(`input[name="support"][value="yes"]`)))
	bRun(t, ctx, "she confirms", chromedp.Click(chromedp.CSS(`#offline-screen-form button[type="submit"]`)))
	bWaitJS(t, ctx, "she is thanked", `Promise.resolve(!document.getElementById('screen-done').hidden)`)
	if st := bFollow(t, ctx, "back to the officer", chromedp.Click(chromedp.CSS(`#screen-done a`))); st != 200 {
		t.Fatalf("back: %d", st)
	}
	bWaitJS(t, ctx, "help for her again", `Promise.resolve(!document.getElementById('offline-help').hidden)`)
	axeCheck(t, ctx, axe, "help for her, choosing several (offline)")
	if n := bRun(t, ctx, "choose help of two kinds", chromedp.Evaluate[int](`(() => {
		const boxes = [...document.querySelectorAll('#offline-matches ol')].map((ol) => ol.querySelector('input[type="checkbox"]')).filter(Boolean).slice(0, 2);
		boxes.forEach((b) => b.click());
		return boxes.length; })()`)); n != 2 {
		t.Fatalf("%d kinds of help to choose from", n)
	}
	bRun(t, ctx, "queue them together", chromedp.Click(chromedp.CSS(`#offline-send-chosen`)))
	bWaitJS(t, ctx, "two referrals wait", `Promise.resolve(document.querySelectorAll('#queue li[data-kind="referral"][data-status="waiting"]').length === 2)`)

	// A Romanian woman: no screen in her language, and the officer is told.
	bRun(t, ctx, "choose her language", chromedp.SetValue(chromedp.CSS(`#language`), "ro"))
	bRun(t, ctx, "keep her", chromedp.Click(chromedp.CSS(`#offline-form button[type="submit"]`)))
	bWaitJS(t, ctx, "the missing screen is said", `Promise.resolve(!document.getElementById('offline-screen-missing').hidden)`)
	missing := bRun(t, ctx, "read it", chromedp.Evaluate[string](`document.getElementById('offline-screen-missing').textContent`))
	if !strings.Contains(missing, "罗马尼亚语") {
		t.Fatalf("the missing screen says %q", missing)
	}

	net.set(t, false)
	bWaitJS(t, ctx, "all sent when the signal returns", `Promise.resolve(document.querySelectorAll('#queue li[data-status="sent"]').length === 5 ||
		document.querySelectorAll('#queue li[data-status="rejected"]').length > 0)`)
	if refused := bRun(t, ctx, "read refusals", chromedp.Evaluate[string](`[...document.querySelectorAll('#queue li[data-status="rejected"]')].map(l => l.textContent).join(' | ')`)); refused != "" {
		t.Fatalf("refused when sent: %s", refused)
	}
	var langs string
	var referred int
	if err := s.DB.SQL.QueryRow(`SELECT c.language || ' ' || (c.other_languages->>0), (SELECT count(*) FROM referrals r WHERE r.case_id = c.id)
		FROM cases c WHERE c.name_original = '周小燕'`).Scan(&langs, &referred); err != nil {
		t.Fatal(err)
	}
	if langs != "wuu cmn" || referred != 2 {
		t.Fatalf("on the server: languages %q, %d referrals", langs, referred)
	}
}
