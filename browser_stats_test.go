package main

import (
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserStatsOnPhone opens the statistics on a phone, 360 px wide: the wide tables
// scroll inside their cards, never the page; and, where axe-core is installed (CI), the page
// passes its checks, charts and tables included.
func TestBrowserStatsOnPhone(t *testing.T) {
	t.Parallel() // slow, and shares nothing with other tests
	exe := chromiumPath(t)
	s, _ := statsServer(t)
	ctx := newPhone(t, exe)
	bVisit(t, ctx, s.URL+"/")
	bSignInHome(t, ctx, "admin@example.org", testPassword)
	axe := ""
	if _, err := os.Stat(axePath); err == nil || os.Getenv("HARBOUR_BROWSER_REQUIRED") == "1" {
		axe = axeSource(t)
	}
	for _, path := range []string{"/stats?jurisdiction=GB-EAW", "/stats?jurisdiction=all&lang=en", "/stats?from=2026-Q1"} {
		t.Run(path, func(t *testing.T) {
			bRun(t, ctx, "open "+path, chromedp.Navigate(s.URL+path))
			p := bState(t, ctx)
			if p.H1 == "" || p.Path != "/stats" {
				t.Fatalf("%s shows %q at %s", path, p.H1, p.Path)
			}
			bNoSideScroll(t, path, p)
			if axe != "" {
				axeCheck(t, ctx, axe, "statistics "+path)
			}
		})
	}
}
