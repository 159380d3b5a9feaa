package e2e_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/harbour-nrm/harbour/demo"
)

// TestBrowserNRMDecisionOnPhone: a London officer records a woman who agrees to an NRM
// referral and submits it from her record. The decision maker of the Single Competent
// Authority, on a phone, finds it in her queue and records a positive reasonable-grounds
// decision with reasons. The officer's page for her then shows the recovery period's end, 30
// days on, in Chinese: "恢复与考虑期至 2026年12月22日". Her decision letter says it too.
func TestBrowserNRMDecisionOnPhone(t *testing.T) {
	t.Parallel()
	exe, axe := chromiumPath(t), axeSource(t)
	s := startServer(t)
	if _, err := demo.Load(cliCtx, s.Domain); err != nil {
		t.Fatal(err)
	}
	officer := newPhone(t, exe)
	bVisit(t, officer, s.URL+"/")
	bSignInHome(t, officer, "officer.uk@demo.harbour.test", demo.Password)
	bVisit(t, officer, s.URL+"/cases/new")
	record := bRecord(t, officer, "cmn", "29", "London")
	bVisit(t, officer, s.URL+record.Path+"/screen?screen=zh-Hans")
	bAnswer(t, officer, "support:yes", "share:yes", "nrm:yes")
	bVisit(t, officer, s.URL+record.Path)
	bRun(t, officer, "write what happened", chromedp.SendKeys(chromedp.CSS(`#account`), "她在按摩店被迫工作，证件被扣押。"))
	if st := bFollow(t, officer, "submit her NRM referral", chromedp.Click(chromedp.CSS(`form[action$="/nrm"] button[type="submit"]`))); st != 200 {
		t.Fatalf("submit: %d", st)
	}
	submitted := bState(t, officer)
	if !strings.HasPrefix(submitted.Path, "/nrm/") {
		t.Fatalf("after submitting, the officer is on %s", submitted.Path)
	}
	state := `document.querySelector('#nrm-state [data-nrm-state]').dataset.nrmState`
	if st := bRun(t, officer, "read the state", chromedp.Evaluate[string](state)); st != "referred" {
		t.Fatalf("state after submitting: %q", st)
	}

	dm := newPhone(t, exe)
	bVisit(t, dm, s.URL+"/")
	bSignInHome(t, dm, "decision.uk@demo.harbour.test", demo.Password)
	bVisit(t, dm, s.URL+"/nrm")
	axeCheck(t, dm, axe, "decision queue")
	bNoSideScroll(t, "decision queue", bState(t, dm))
	due := bRun(t, dm, "read the due date", chromedp.Evaluate[string](`document.querySelector('.queue li [data-nrm-next]').textContent`))
	if !strings.HasPrefix(due, "合理理由裁定应于") {
		t.Fatalf("the queue shows %q, want the reasonable-grounds due date", due)
	}
	if st := bFollow(t, dm, "open her record", chromedp.Click(chromedp.CSS(`.queue li a.main`))); st != 200 {
		t.Fatalf("open: %d", st)
	}
	axeCheck(t, dm, axe, "NRM record")
	bNoSideScroll(t, "NRM record", bState(t, dm))
	bRun(t, dm, "write the reasons", chromedp.SendKeys(chromedp.CSS(`#reasons-rg_positive`), "陈述前后一致，有合理理由相信她是人口贩运的受害者。"))
	decide := `form[action$="/steps"]:has(input[name="step"][value="rg_positive"]) button[type="submit"]`
	if st := bFollow(t, dm, "record the positive decision", chromedp.Click(chromedp.CSS(decide))); st != 200 {
		t.Fatalf("decide: %d", st)
	}
	if st := bRun(t, dm, "read the state", chromedp.Evaluate[string](state)); st != "recovery_period" {
		t.Fatalf("state after the decision: %q", st)
	}
	bNoSideScroll(t, "NRM record after the decision", bState(t, dm))

	london, _ := time.LoadLocation("Europe/London")
	end := time.Now().In(london).AddDate(0, 0, 30)
	want := fmt.Sprintf("恢复与考虑期至 %d年%d月%d日", end.Year(), int(end.Month()), end.Day())
	bVisit(t, officer, s.URL+record.Path)
	shown := bRun(t, officer, "read her NRM date", chromedp.Evaluate[string](`document.querySelector('#case-nrm [data-nrm-next]').textContent`))
	if shown != want {
		t.Fatalf("her record shows %q, want %q", shown, want)
	}
	bNoSideScroll(t, "her record", bState(t, officer))
	bVisit(t, officer, s.URL+submitted.Path)
	if st := bFollow(t, officer, "open the decision letter", chromedp.Click(chromedp.CSS(`a[href*="/letter/"]`))); st != 200 {
		t.Fatalf("letter: %d", st)
	}
	letter := bRun(t, officer, "read the letter", chromedp.Evaluate[string](`document.querySelector('article').innerText`))
	wantDay := fmt.Sprintf("%d年%d月%d日", end.Year(), int(end.Month()), end.Day())
	if !strings.Contains(letter, "合理的理由") || !strings.Contains(letter, wantDay) || !strings.Contains(letter, "08000 121 700") {
		t.Fatalf("the letter says:\n%s", letter)
	}
	axeCheck(t, officer, axe, "decision letter")
	bNoSideScroll(t, "decision letter", bState(t, officer))
}
