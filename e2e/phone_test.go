package e2e_test

// Browser tests: Harbour as a person on a phone uses it, in a real (headless) Chromium at
// 360×640, driven with chromedp, with axe-core for accessibility. They need
// /usr/bin/chromium (apt-get install chromium) and e2e/node_modules/axe-core
// (npm ci --prefix e2e): without them they skip, unless HARBOUR_BROWSER_REQUIRED=1 (CI),
// where they fail.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/device"

	"github.com/harbour-nrm/harbour/demo"
	"github.com/harbour-nrm/harbour/referral"
)

// browserTimeout bounds one test's whole browser session: a hang fails the test, it never
// waits for the go test deadline.
const browserTimeout = 2 * time.Minute

// phoneAcceptLanguage is the phone's language: Chinese, which Harbour serves as zh-Hans,
// unless a cookie or the user's settings choose otherwise. (Without it Chromium would send
// its own locale's, usually en-US.)
const phoneAcceptLanguage = "zh-CN,zh;q=0.9"

const axePath = "node_modules/axe-core/axe.min.js"

// needBrowserTool skips the test when a tool of the browser tests is missing, or fails it when
// HARBOUR_BROWSER_REQUIRED=1 (as CI sets), so that CI cannot pass by skipping.
func needBrowserTool(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("HARBOUR_BROWSER_REQUIRED") == "1" {
		t.Fatal(msg + " (HARBOUR_BROWSER_REQUIRED=1)")
	}
	t.Skip(msg)
}

// chromiumPath returns the Chromium to drive: $HARBOUR_CHROMIUM, or Debian's /usr/bin/chromium.
func chromiumPath(t *testing.T) string {
	t.Helper()
	path := os.Getenv("HARBOUR_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(path); err != nil {
		needBrowserTool(t, "no Chromium at %s (apt-get install -y chromium, or set HARBOUR_CHROMIUM): %v", path, err)
	}
	return path
}

// axeSource returns the text of axe.min.js, installed by `npm ci --prefix e2e`.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(axePath)
	if err != nil {
		needBrowserTool(t, "no axe-core (npm ci --prefix e2e): %v", err)
	}
	return string(b)
}

// newPhone starts the headless Chromium at exe, with a profile of its own (so no cookies),
// showing a Moto G4 (360×640) whose language is phoneAcceptLanguage, and returns its context.
// The browser ends, and its process is waited for, before the cleanups registered earlier run.
// So start the server first: the browser must be gone when the server shuts down, or a socket
// Chromium opened ahead of need holds the server's graceful shutdown (5 s) up until it fails.
func newPhone(t *testing.T, exe string) context.Context {
	t.Helper()
	ctx, _ := newPhoneWithProfile(t, exe, t.TempDir()) // removed after the browser has exited (cleanups run last-in first-out)
	return ctx
}

// newPhoneWithProfile starts the phone's browser on a given profile folder, so a test can close
// the browser and open it again on the same data; the returned function closes it.
func newPhoneWithProfile(t *testing.T, exe, profile string) (context.Context, func()) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
	)
	ctx, cancelTimeout := context.WithTimeout(context.Background(), browserTimeout)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	var once sync.Once
	closeBrowser := func() {
		once.Do(func() {
			cancelBrowser()
			cancelAlloc() // waits for the browser process to exit
			cancelTimeout()
		})
	}
	t.Cleanup(closeBrowser)
	ua := device.MotoG4.Device().UserAgent
	err := chromedp.Do(bctx,
		chromedp.Emulate(device.MotoG4),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetUserAgentOverride,
				emulation.SetUserAgentOverrideParams{UserAgent: ua, AcceptLanguage: phoneAcceptLanguage})
			return err
		}))
	if err != nil {
		t.Fatalf("start Chromium (%s): %v", exe, err)
	}
	// What the page's scripts report (uncaught exceptions, console errors), for a failing wait to tell.
	log := &pageLog{}
	if err := chromedp.Listen(bctx, log.record); err != nil {
		t.Fatal(err)
	}
	return context.WithValue(bctx, pageLogKey{}, log), closeBrowser
}

// pageLog keeps the last errors a phone's pages reported.
type pageLog struct {
	mu    sync.Mutex
	lines []string
}

type pageLogKey struct{}

// record keeps an uncaught exception or a console error; it runs in chromedp's read loop, so it
// only appends.
func (l *pageLog) record(ev any) {
	var line string
	switch ev := ev.(type) {
	case *cdpruntime.EventExceptionThrown:
		line = "exception: " + ev.ExceptionDetails.Text
		if ex := ev.ExceptionDetails.Exception; ex != nil {
			line += " " + ex.Description
		}
	case *cdpruntime.EventConsoleAPICalled:
		if ev.Type != cdpruntime.ConsoleAPICalledTypeError && ev.Type != cdpruntime.ConsoleAPICalledTypeWarning {
			return
		}
		for _, a := range ev.Args {
			line += " " + string(a.Value) + a.Description
		}
		line = "console " + string(ev.Type) + ":" + line
	default:
		return
	}
	l.mu.Lock()
	l.lines = append(l.lines[max(0, len(l.lines)-19):], line)
	l.mu.Unlock()
}

// pageErrors is what the phone's pages reported lately.
func pageErrors(ctx context.Context) string {
	l, ok := ctx.Value(pageLogKey{}).(*pageLog)
	if !ok {
		return ""
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// bRun runs a browser action and fails the test on error.
func bRun[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// bVisit loads url and fails the test unless the page answers 200.
func bVisit(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	res := bRun(t, ctx, "open "+url, chromedp.NavigateResponse(url))
	if res.Status != 200 {
		t.Fatalf("open %s: status %d", url, res.Status)
	}
}

// bFollow runs actions that make the page navigate (a click on a submit button), waits for the
// page that results (after redirects) to load, and returns its status.
func bFollow(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) int64 {
	t.Helper()
	res, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return res.Status
}

// bPage is what the tests read of a loaded page.
type bPage struct {
	Lang        string   `json:"lang"`
	H1          string   `json:"h1"`
	Path        string   `json:"path"`
	Cards       []string `json:"cards"`
	SignInForm  bool     `json:"signInForm"`
	SignOut     bool     `json:"signOut"`
	ScrollWidth int      `json:"scrollWidth"`
	InnerWidth  int      `json:"innerWidth"`
}

const bPageJS = `(() => {
	const h1 = document.querySelector('main h1') || document.querySelector('h1');
	return {
		lang: document.documentElement.lang,
		h1: h1 ? h1.textContent.trim() : '',
		path: location.pathname,
		cards: [...document.querySelectorAll('.cards .card h2')].map(e => e.textContent.trim()),
		signInForm: !!document.querySelector('form[action="/signin"] #password'),
		signOut: !!document.querySelector('header form[action="/signout"] button'),
		scrollWidth: document.documentElement.scrollWidth,
		innerWidth: window.innerWidth,
	};
})()`

func bState(t *testing.T, ctx context.Context) bPage {
	t.Helper()
	return bRun(t, ctx, "read the page", chromedp.Evaluate[bPage](bPageJS))
}

// bNoSideScroll fails unless the page fits the phone's width.
func bNoSideScroll(t *testing.T, where string, p bPage) {
	t.Helper()
	if p.InnerWidth != 360 {
		t.Errorf("%s: window.innerWidth = %d, want the phone's 360", where, p.InnerWidth)
	}
	if p.ScrollWidth > p.InnerWidth {
		t.Errorf("%s: scrolls sideways at %d px: document.documentElement.scrollWidth = %d", where, p.InnerWidth, p.ScrollWidth)
	}
}

// bSignIn fills in and submits the sign-in form of the page shown.
func bSignIn(t *testing.T, ctx context.Context, email, password string) int64 {
	t.Helper()
	bRun(t, ctx, "type the e-mail", chromedp.SendKeys(chromedp.CSS(`form[action="/signin"] #email`), email))
	bRun(t, ctx, "type the password", chromedp.SendKeys(chromedp.CSS(`form[action="/signin"] #password`), password))
	return bFollow(t, ctx, "submit the sign-in form", chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type="submit"]`)))
}

// bSignInHome signs in on the page shown and fails unless it lands, signed in, on the home page.
func bSignInHome(t *testing.T, ctx context.Context, email, password string) {
	t.Helper()
	if st := bSignIn(t, ctx, email, password); st != 200 {
		t.Fatalf("sign in as %s: status %d", email, st)
	}
	if p := bState(t, ctx); p.Path != "/" || !p.SignOut {
		t.Fatalf("%s not signed in: path=%q h1=%q", email, p.Path, p.H1)
	}
}

// bSignOut presses the header's sign-out button.
func bSignOut(t *testing.T, ctx context.Context) {
	t.Helper()
	if st := bFollow(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`header form[action="/signout"] button`))); st != 200 {
		t.Fatalf("sign out: status %d", st)
	}
}

func TestBrowserSignInOnPhone(t *testing.T) {
	t.Parallel() // slow, and shares nothing with other tests
	exe := chromiumPath(t)
	s := startServer(t)
	ctx := newPhone(t, exe)
	officer := s.User(t, "Police Brussels", referral.KindPolice, "officer@police.example", referral.RoleOfficer)

	// Signed out, no cookies: the sign-in form, in the phone's language.
	bVisit(t, ctx, s.URL+"/")
	p := bState(t, ctx)
	if p.Lang != "zh-Hans" || p.H1 != "登录" || !p.SignInForm {
		t.Fatalf("signed out, / shows lang=%q h1=%q sign-in form=%v; want zh-Hans, 登录, the form", p.Lang, p.H1, p.SignInForm)
	}
	bNoSideScroll(t, "sign-in page", p)

	if st := bSignIn(t, ctx, officer.Email, testPassword); st != 200 {
		t.Fatalf("sign in: status %d", st)
	}
	p = bState(t, ctx)
	if p.Path != "/" || p.Lang != "zh-Hans" || p.H1 != "我的工作" {
		t.Fatalf("after sign-in: path=%q lang=%q h1=%q; want /, zh-Hans, 我的工作", p.Path, p.Lang, p.H1)
	}
	zh := s.Bundle.Localizer("zh-Hans")
	want := []string{zh.T("home.operations.title", nil), zh.T("home.without_bed.title", nil), zh.T("home.outbox.title", nil)}
	if !slices.Equal(p.Cards, want) {
		t.Errorf("officer's home shows cards %q, want %q", p.Cards, want)
	}
	if !p.SignOut {
		t.Error("home page has no sign-out button in the header")
	}
	bNoSideScroll(t, "home page", p)

	// The language switcher: English, kept in the user's settings.
	if st := bFollow(t, ctx, "choose English", chromedp.Click(chromedp.CSS(`form.languages button[name="lang"][value="en"]`))); st != 200 {
		t.Fatalf("choose English: status %d", st)
	}
	p = bState(t, ctx)
	if p.Lang != "en" || p.H1 != "My work" {
		t.Fatalf("after choosing English: lang=%q h1=%q; want en, My work", p.Lang, p.H1)
	}
	bNoSideScroll(t, "home page (en)", p)
	bRun(t, ctx, "reload", chromedp.Reload())
	if p = bState(t, ctx); p.Lang != "en" || p.H1 != "My work" {
		t.Fatalf("after reload: lang=%q h1=%q; want en, My work", p.Lang, p.H1)
	}
	u, err := s.Domain.User(cliCtx, officer.ID)
	if err != nil {
		t.Fatal(err)
	}
	if u.Language != "en" {
		t.Errorf("the officer's settings hold language %q after the switch, want en", u.Language)
	}

	// Sign out: the sign-in page, still in English (the lang cookie stays on the phone).
	bSignOut(t, ctx)
	p = bState(t, ctx)
	if p.Lang != "en" || p.H1 != "Sign in" || !p.SignInForm || p.SignOut {
		t.Fatalf("after sign-out: lang=%q h1=%q sign-in form=%v sign-out button=%v; want en, Sign in, the form, none",
			p.Lang, p.H1, p.SignInForm, p.SignOut)
	}
	bVisit(t, ctx, s.URL+"/")
	if p = bState(t, ctx); !p.SignInForm || p.SignOut {
		t.Fatalf("after sign-out, / is not the sign-in page (h1=%q): the session survived", p.H1)
	}
}

// axeViolation is one failed rule of an axe-core run, with the elements that fail it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  json.RawMessage `json:"target"`
		HTML    string          `json:"html"`
		Summary string          `json:"summary"`
	} `json:"nodes"`
}

const axeRunJS = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})
	.then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
		nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary}))})))`

// axeViolations injects axe-core into the page shown and returns what it finds there.
func axeViolations(t *testing.T, ctx context.Context, axe, name string) []axeViolation {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
		t.Fatalf("%s: inject axe-core: %v", name, err)
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeRunJS, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: run axe-core: %v", name, err)
	}
	return vs
}

// axePage is a page to check, and the name its failures are reported under.
type axePage struct{ name, path string }

// axeCheckPages opens each page under base and checks it with axeCheck.
func axeCheckPages(t *testing.T, ctx context.Context, axe, base string, pages ...axePage) {
	t.Helper()
	for _, pg := range pages {
		bVisit(t, ctx, base+pg.path)
		axeCheck(t, ctx, axe, pg.name+" ("+pg.path+")")
	}
}

// axeCheck runs axe-core on the page shown and reports each violation, and a page wider than
// the phone, as a test error named after the page.
func axeCheck(t *testing.T, ctx context.Context, axe, name string) {
	t.Helper()
	for _, v := range axeViolations(t, ctx, axe, name) {
		var b strings.Builder
		fmt.Fprintf(&b, "%s: axe %s (%s): %s — %d element(s)", name, v.ID, v.Impact, v.Help, len(v.Nodes))
		if len(v.Nodes) > 0 {
			n := v.Nodes[0]
			fmt.Fprintf(&b, "; first %s %s\n\t%s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n\t"))
		}
		t.Error(b.String())
	}
	bNoSideScroll(t, name, bState(t, ctx))
}

func TestBrowserAccessibility(t *testing.T) {
	t.Parallel() // slow, and shares nothing with other tests
	exe, axe := chromiumPath(t), axeSource(t)
	s := startServer(t)
	ctx := newPhone(t, exe)
	orgAdmin := s.User(t, "Police Brussels", referral.KindPolice, "orgadmin@police.example", referral.RoleOrgAdmin)
	officer := s.User(t, "Police Brussels", referral.KindPolice, "officer@police.example", referral.RoleOfficer)
	admin := s.User(t, "Harbour Platform", referral.KindOther, "admin@platform.example", referral.RoleAdmin)
	org := "/organisations/" + orgAdmin.OrganisationID.String()

	// First, that the harness sees a violation: an image with no text alternative.
	bRun(t, ctx, "open a faulty page", chromedp.Navigate(`data:text/html,<!doctype html><html lang="en"><title>t</title><main><img src="data:,"></main>`))
	if vs := axeViolations(t, ctx, axe, "faulty page"); !slices.ContainsFunc(vs, func(v axeViolation) bool { return v.ID == "image-alt" }) {
		t.Fatalf("axe-core missed an <img> with no alt: it found %+v", vs)
	}

	bVisit(t, ctx, s.URL+"/")
	if p := bState(t, ctx); p.Lang != "zh-Hans" || !p.SignInForm {
		t.Fatalf("signed out, / shows lang=%q h1=%q; want zh-Hans and the sign-in form", p.Lang, p.H1)
	}
	axeCheck(t, ctx, axe, "sign-in page")

	if st := bSignIn(t, ctx, orgAdmin.Email, "not the password at all"); st == 200 {
		t.Fatal("a wrong password was accepted")
	}
	bRun(t, ctx, "wait for the sign-in error", chromedp.WaitVisible(chromedp.CSS("#form-error")))
	axeCheck(t, ctx, axe, "sign-in page after a failed sign-in")

	// An organisation's administrator.
	bVisit(t, ctx, s.URL+"/")
	bSignInHome(t, ctx, orgAdmin.Email, testPassword)
	axeCheck(t, ctx, axe, "home page (org admin)")
	axeCheckPages(t, ctx, axe, s.URL,
		axePage{"settings", "/settings"},
		axePage{"change password", "/settings/password"},
		axePage{"users of the organisation", org + "/users"},
		axePage{"new user form", org + "/users/new"},
		axePage{"a user's page", "/users/" + officer.ID.String()})
	bSignOut(t, ctx)
	axeCheck(t, ctx, axe, "sign-in page after sign-out (notice)")

	// The platform's administrator.
	bSignInHome(t, ctx, admin.Email, testPassword)
	axeCheck(t, ctx, axe, "home page (admin)")
	axeCheckPages(t, ctx, axe, s.URL,
		axePage{"organisations", "/admin/organisations"},
		axePage{"new organisation form", "/admin/organisations/new"},
		axePage{"an organisation's page", "/admin/organisations/" + orgAdmin.OrganisationID.String()},
		axePage{"audit trail", "/audit"})
}

// TestBrowserFindHelpOnPhone is a Brussels raid on the demo data, on a phone: the officer asks
// for a bed tonight for a woman who speaks Wenzhounese, reads the choices in Chinese and holds
// a bed; the shelter worker sees her coming on the board. Every page passes axe at 360 px.
func TestBrowserFindHelpOnPhone(t *testing.T) {
	t.Parallel() // slow, and shares nothing with other tests
	s, ctx, exe, axe := demoOfficer(t)
	bVisit(t, ctx, s.URL+"/help")
	axeCheck(t, ctx, axe, "find help form")
	bRun(t, ctx, "tick Wenzhounese", chromedp.Click(chromedp.CSS(`input[name="languages"][value="wuu"]`)))
	bRun(t, ctx, "type the city", chromedp.SendKeys(chromedp.CSS(`#city`), "Brussels"))
	if st := bFollow(t, ctx, "search", chromedp.Click(chromedp.CSS(`form[action="/help"] button[type="submit"]`))); st != 200 {
		t.Fatalf("search: %d", st)
	}
	first := bRun(t, ctx, "read the first shelter", chromedp.Evaluate[[]string](`(() => {
		const r = document.querySelector('#cat-shelter').closest('section').querySelector('.result');
		return [r.querySelector('h3').textContent, r.querySelector('.reasons').textContent];
	})()`))
	if first[0] != "莲花之家庇护所" || !strings.Contains(first[1], "工作人员会说吴语") || !strings.Contains(first[1], "今晚还有") {
		t.Fatalf("first shelter %q with reasons %q", first[0], first[1])
	}
	axeCheck(t, ctx, axe, "find help results")
	if st := bFollow(t, ctx, "hold a bed", chromedp.Click(chromedp.CSS(`.result form button[type="submit"]`))); st != 200 {
		t.Fatalf("hold: %d", st)
	}
	if p := bState(t, ctx); !strings.HasPrefix(p.Path, "/holds/") || p.H1 != "床位预留" {
		t.Fatalf("after holding: %s %q", p.Path, p.H1)
	}
	axeCheck(t, ctx, axe, "bed hold")

	staff := newPhone(t, exe)
	bVisit(t, staff, s.URL+"/")
	bSignInHome(t, staff, "shelter@demo.harbour.test", demo.Password)
	bVisit(t, staff, s.URL+"/board")
	if n := bRun(t, staff, "count expected arrivals", chromedp.Evaluate[int](`document.querySelectorAll('form[action^="/board/checkin/"]').length`)); n != 1 {
		t.Fatalf("%d expected arrivals on the board, want 1", n)
	}
	axeCheck(t, staff, axe, "bed board")

	admin := newPhone(t, exe)
	bVisit(t, admin, s.URL+"/")
	bSignInHome(t, admin, "orgadmin@demo.harbour.test", demo.Password)
	axeCheckPages(t, admin, axe, s.URL, axePage{"services", "/services"}, axePage{"new service form", "/services/new"})
}

// TestBrowserIntakeOnPhone is the raid on a phone, in Chinese: the officer starts an operation,
// records a woman who speaks Wenzhounese, hands her screen over in French, records her
// answers, shows the screen in Arabic (right to left), finds help from her record, holds a bed
// and sends a referral; the board then shows the bed held. Every page passes axe and fits 360 px.
func TestBrowserIntakeOnPhone(t *testing.T) {
	t.Parallel() // slow, and shares nothing with other tests
	s, ctx, _, axe := demoOfficer(t)
	bVisit(t, ctx, s.URL+"/operations")
	axeCheck(t, ctx, axe, "operations")
	bCreateOperation(t, ctx, "Aktion Lotus")
	if p := bState(t, ctx); p.H1 != "Aktion Lotus" {
		t.Fatalf("after creating: %s %q", p.Path, p.H1)
	}
	axeCheck(t, ctx, axe, "operation board (empty)")

	if st := bFollow(t, ctx, "record a person", chromedp.Click(chromedp.CSS(`a[href^="/cases/new"]`))); st != 200 {
		t.Fatalf("intake form: %d", st)
	}
	axeCheck(t, ctx, axe, "intake form")
	bNoSideScroll(t, "intake form", bState(t, ctx))
	bRun(t, ctx, "tick a bed tonight", chromedp.Click(chromedp.CSS(`input[name="needs"][value="bed_tonight"]`)))
	bRun(t, ctx, "type her name", chromedp.SendKeys(chromedp.CSS(`#name_original`), "王小梅"))
	record := bRecord(t, ctx, "wuu", "24", "Brussels")
	if !strings.HasPrefix(record.H1, "当事人 HB-") {
		t.Fatalf("her record: %s %q", record.Path, record.H1)
	}
	axeCheck(t, ctx, axe, "her record")

	if st := bFollow(t, ctx, "show her screen in French", chromedp.Click(chromedp.CSS(`a[hreflang="fr"]`))); st != 200 {
		t.Fatalf("her screen: %d", st)
	}
	if p := bState(t, ctx); p.Lang != "fr" || p.H1 != "Ce qui va se passer" {
		t.Fatalf("her screen: lang %q, h1 %q", p.Lang, p.H1)
	}
	axeCheck(t, ctx, axe, "her screen (French)")
	bNoSideScroll(t, "her screen", bState(t, ctx))
	bAnswer(t, ctx, "support:yes", "share:yes", "nrm:no")
	axeCheck(t, ctx, axe, "her screen, done")
	bVisit(t, ctx, s.URL+record.Path+"/screen?screen=ar")
	dir := bRun(t, ctx, "read the direction", chromedp.Evaluate[string](`document.documentElement.dir`))
	if p := bState(t, ctx); p.Lang != "ar" || dir != "rtl" {
		t.Fatalf("Arabic screen: lang %q dir %q", p.Lang, dir)
	}
	axeCheck(t, ctx, axe, "her screen (Arabic)")
	bNoSideScroll(t, "her screen in Arabic", bState(t, ctx))

	bVisit(t, ctx, s.URL+record.Path)
	consents := bRun(t, ctx, "read her consents", chromedp.Evaluate[string](`document.querySelector('#consents').closest('section').textContent`))
	if strings.Count(consents, "不同意") != 1 || strings.Contains(consents, "尚未询问") {
		t.Fatalf("her consents on her record: %q", consents)
	}
	if st := bFollow(t, ctx, "find help for her", chromedp.Click(chromedp.CSS(`a[href^="/help?"]`))); st != 200 {
		t.Fatalf("find help: %d", st)
	}
	if st := bFollow(t, ctx, "hold a bed", chromedp.Click(chromedp.CSS(`.result form button[type="submit"]`))); st != 200 {
		t.Fatalf("hold: %d", st)
	}
	bVisit(t, ctx, s.URL+record.Path)
	if st := bFollow(t, ctx, "find help again", chromedp.Click(chromedp.CSS(`a[href^="/help?"]`))); st != 200 {
		t.Fatalf("find help: %d", st)
	}
	axeCheck(t, ctx, axe, "find help for her")
	if st := bFollow(t, ctx, "send a referral", chromedp.Click(chromedp.CSS(`.result form[action$="/referrals"] button`))); st != 200 {
		t.Fatalf("referral: %d", st)
	}
	sent := bRun(t, ctx, "read her referrals", chromedp.Evaluate[string](`document.querySelector('#referrals').closest('section').textContent`))
	if !strings.Contains(sent, "已发出，等待回复") {
		t.Fatalf("her referrals: %q", sent)
	}
	axeCheck(t, ctx, axe, "her record with a referral")
	bVisit(t, ctx, s.URL+"/operations")
	if st := bFollow(t, ctx, "open the board", chromedp.Click(chromedp.CSS(`.list a[href^="/operations/"]`))); st != 200 {
		t.Fatalf("board: %d", st)
	}
	status := bRun(t, ctx, "read her status", chromedp.Evaluate[string](`document.querySelector('.list .tag').textContent`))
	if status != "已预留床位" {
		t.Fatalf("status on the board %q, want 已预留床位", status)
	}
	axeCheck(t, ctx, axe, "operation board")
}

// demoOfficer starts Harbour on the demo data and a phone signed in as its officer; it returns
// the browser and axe-core for tests that open more phones or check pages.
func demoOfficer(t *testing.T) (s *testServer, ctx context.Context, exe, axe string) {
	t.Helper()
	exe, axe = chromiumPath(t), axeSource(t)
	s = startServer(t)
	if _, err := demo.Load(cliCtx, s.Domain); err != nil {
		t.Fatal(err)
	}
	ctx = newPhone(t, exe)
	bVisit(t, ctx, s.URL+"/")
	bSignInHome(t, ctx, "officer@demo.harbour.test", demo.Password)
	return s, ctx, exe, axe
}

// bRecord fills in the rest of the intake form shown (her language, gender female, age, where
// she was found), saves it, and returns her record's page.
func bRecord(t *testing.T, ctx context.Context, language, age, city string) bPage {
	t.Helper()
	bRun(t, ctx, "choose her language", chromedp.SetValue(chromedp.CSS(`#language`), language))
	bRun(t, ctx, "choose her gender", chromedp.SetValue(chromedp.CSS(`#gender`), "female"))
	bRun(t, ctx, "type her age", chromedp.SendKeys(chromedp.CSS(`#age`), age))
	bRun(t, ctx, "type the city", chromedp.SendKeys(chromedp.CSS(`#found_city`), city))
	if st := bFollow(t, ctx, "save her", chromedp.Click(chromedp.CSS(`form[action="/cases"] button[type="submit"]`))); st != 200 {
		t.Fatalf("save: %d", st)
	}
	return bState(t, ctx)
}

// bAnswer records her answers ("support:yes", …) on her screen shown, and sends them.
func bAnswer(t *testing.T, ctx context.Context, answers ...string) {
	t.Helper()
	for _, answer := range answers {
		scope, value, _ := strings.Cut(answer, ":")
		bRun(t, ctx, "she answers "+scope, chromedp.Click(chromedp.CSS(`input[name="`+scope+`"][value="`+value+`"]`)))
	}
	if st := bFollow(t, ctx, "send her answers", chromedp.Click(chromedp.CSS(`form[action$="/consents"] button[type="submit"]`))); st != 200 {
		t.Fatalf("answers: %d", st)
	}
}

// bCreateOperation starts an operation on the operations page shown, and fails unless its board follows.
func bCreateOperation(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	bRun(t, ctx, "name the operation", chromedp.SendKeys(chromedp.CSS(`#name`), name))
	if st := bFollow(t, ctx, "create the operation", chromedp.Click(chromedp.CSS(`form[action="/operations"] button[type="submit"]`))); st != 200 {
		t.Fatalf("create operation: %d", st)
	}
}
