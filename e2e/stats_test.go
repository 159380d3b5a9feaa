package e2e_test

import (
	"context"
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/harbour-nrm/harbour/demo"
	"github.com/harbour-nrm/harbour/server/servertest"
)

// bHeading is the first period heading of a statistics table, where the phone shows it.
type bHeading struct {
	Section string  `json:"section"`
	Text    string  `json:"text"`
	Left    float64 `json:"left"`
	Right   float64 `json:"right"`
}

// bFirstPeriodsJS reads, for each statistics table, the heading of its first period (the
// column after the categories' labels) and where it is on the screen.
const bFirstPeriodsJS = `[...document.querySelectorAll('table.stats')].map(t => {
	const th = t.querySelectorAll('thead th')[1], r = th.getBoundingClientRect();
	return {section: t.closest('section').id, text: th.textContent.trim(), left: r.left, right: r.right};
})`

// TestBrowserStatsOnPhone opens the statistics on a phone, 360 px wide: the wide tables
// scroll inside their cards, never the page; every table shows the newest period first, its
// heading in view without scrolling sideways (the newest quarter; today for the backlog); and,
// where axe-core is installed (CI), the page passes its checks, charts and tables included,
// also with the demo's generated history, where every table has its chart.
func TestBrowserStatsOnPhone(t *testing.T) {
	t.Parallel() // slow, and shares nothing with other tests
	exe := chromiumPath(t)
	s, _ := servertest.StartStatistics(t)
	// The demo, with its generated NRM history: every table has a chart. (Servers first: the
	// browsers must be gone before they shut down.)
	demoSrv := startServer(t)
	if _, err := demo.Load(cliCtx, demoSrv.Domain); err != nil {
		t.Fatal(err)
	}
	ctx := newPhone(t, exe)
	bVisit(t, ctx, s.URL+"/")
	bSignInHome(t, ctx, "admin@example.org", testPassword)
	axe := ""
	if _, err := os.Stat(axePath); err == nil || os.Getenv("HARBOUR_BROWSER_REQUIRED") == "1" {
		axe = axeSource(t)
	}
	demoPhone := newPhone(t, exe)
	bVisit(t, demoPhone, demoSrv.URL+"/")
	bSignInHome(t, demoPhone, "decision.uk@demo.harbour.test", demo.Password)
	for _, tc := range []struct {
		ctx        context.Context
		base       string
		path, lang string
	}{
		{ctx, s.URL, "/stats?jurisdiction=GB-EAW", "zh-Hans"}, {ctx, s.URL, "/stats?jurisdiction=all&lang=en", "en"},
		{ctx, s.URL, "/stats?from=2026-Q1", ""}, {demoPhone, demoSrv.URL, "/stats", "zh-Hans"},
	} {
		ctx := tc.ctx
		t.Run(tc.path, func(t *testing.T) {
			bRun(t, ctx, "open "+tc.path, chromedp.Navigate(tc.base+tc.path))
			p := bState(t, ctx)
			if p.H1 == "" || p.Path != "/stats" {
				t.Fatalf("%s shows %q at %s", tc.path, p.H1, p.Path)
			}
			bNoSideScroll(t, tc.path, p)
			if tc.lang != "" {
				newest := s.QuarterText(tc.lang, servertest.CurrentQuarter())
				headings := bRun(t, ctx, "read the tables' first periods", chromedp.Evaluate[[]bHeading](bFirstPeriodsJS))
				if len(headings) < 8 {
					t.Fatalf("%d tables", len(headings))
				}
				for _, h := range headings {
					if h.Section != "stats-backlog-section" && h.Text != newest {
						t.Errorf("%s: the first period is %q, want the newest, %q", h.Section, h.Text, newest)
					}
					if h.Left < 0 || h.Right > float64(p.InnerWidth) {
						t.Errorf("%s: %q is at %.0f–%.0f px, outside the %d px screen", h.Section, h.Text, h.Left, h.Right, p.InnerWidth)
					}
				}
			}
			if axe != "" {
				axeCheck(t, ctx, axe, "statistics "+tc.path)
			}
		})
	}
}
