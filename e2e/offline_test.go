package e2e_test

import (
	"bufio"
	"context"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/harbour-nrm/harbour/demo"
)

// netConditions are the parameters of Network.emulateNetworkConditions, which (unlike the rule
// based command that replaced it in the protocol) also sets navigator.onLine and fires the
// online and offline events, as a phone losing signal does.
type netConditions struct {
	Offline            bool    `json:"offline"`
	Latency            float64 `json:"latency"`
	DownloadThroughput float64 `json:"downloadThroughput"`
	UploadThroughput   float64 `json:"uploadThroughput"`
}

var emulateNetwork = cdp.Command[netConditions, cdp.Empty]{Method: "Network.emulateNetworkConditions"}

// connection is the phone's connection, on the page and on Harbour's service worker: the page
// alone is not enough, since the worker would still reach the server. The worker's DevTools
// sessions stay open while the test runs: closing one would end its emulation.
type connection struct {
	page    context.Context
	workers map[target.ID]context.Context
}

// set cuts or restores the connection.
func (n *connection) set(t *testing.T, offline bool) {
	t.Helper()
	cond := netConditions{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}
	if _, err := chromedp.Call(n.page, emulateNetwork, cond); err != nil {
		t.Fatalf("page offline=%v: %v", offline, err)
	}
	targets, err := chromedp.CallBrowser(n.page, target.GetTargets, target.GetTargetsParams{})
	if err != nil {
		t.Fatal(err)
	}
	for _, info := range targets.TargetInfos {
		if info.Type == "service_worker" && n.workers[info.TargetID] == nil {
			worker, cancel := chromedp.NewContext(n.page, chromedp.WithTargetID(info.TargetID))
			t.Cleanup(cancel)
			n.workers[info.TargetID] = worker
		}
	}
	if len(n.workers) == 0 {
		t.Fatal("no service worker to take offline")
	}
	for _, worker := range n.workers {
		if _, err := chromedp.Call(worker, emulateNetwork, cond); err != nil {
			t.Fatalf("service worker offline=%v: %v", offline, err)
		}
	}
}

// requestsServed is how many requests the server has answered (its own metrics, which do not
// count the metrics page).
func requestsServed(t *testing.T, s *testServer) int {
	t.Helper()
	res, err := http.Get(s.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	n := 0.0
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "harbour_http_requests_total{") {
			if os.Getenv("HARBOUR_DEBUG_METRICS") != "" {
				t.Log(line)
			}
			v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
			if err != nil {
				t.Fatal(err)
			}
			n += v
		}
	}
	if n == 0 {
		t.Fatal("no request counted: the metrics changed")
	}
	return int(n)
}

// settledRequests waits until the phone has stopped talking to the server (the count holds
// still for a second), and returns the count.
func settledRequests(t *testing.T, s *testServer) int {
	t.Helper()
	n := requestsServed(t, s)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		time.Sleep(time.Second)
		m := requestsServed(t, s)
		if m == n {
			return n
		}
		n = m
	}
	t.Fatal("the phone never stopped talking to the server")
	return 0
}

// bWaitJS evaluates a promise returning true until it does, or fails after 30 seconds (a loaded
// CI machine can be slow; a passing condition returns at once).
func bWaitJS(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); ; { // generous: a loaded CI machine runs other packages beside
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js, chromedp.EvalAwaitPromise))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => location.pathname + ' | online=' + navigator.onLine + ' | ' +
				((document.getElementById('offline-state') || {}).textContent || '') + ' | queue: ' +
				[...document.querySelectorAll('#queue li')].map((l) => l.dataset.status).join(',') + ' | app hidden=' +
				((document.getElementById('offline-app') || {}).hidden) + ' | controlled=' + !!navigator.serviceWorker.controller +
				' | databases=' + JSON.stringify(await Promise.race([indexedDB.databases(), new Promise((r) => setTimeout(() => r('hung'), 2000))])) +
				' | a new database opens: ' + await Promise.race([new Promise((r) => { const q = indexedDB.open('probe'); q.onsuccess = () => r('yes');
					q.onerror = () => r('error'); q.onblocked = () => r('blocked'); }), new Promise((r) => setTimeout(() => r('no answer in 3 s'), 3000))]) +
				' | user=' + (document.body.dataset.user || '') +
				' | loaded=' + performance.getEntriesByType('resource').map((e) => e.name.split('/').pop() + ':' + Math.round(e.duration)).join(','))()`,
				chromedp.EvalAwaitPromise))
			t.Fatalf("%s: not after 60 s (%v); the page: %s; its scripts said:\n%s", what, err, state, pageErrors(ctx))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestBrowserOffline: in a basement with no signal, on a phone. With the page and the service
// worker offline the officer opens Harbour, records two people (and a third with an age in
// full-width digits), hands the first her screen in French and records her answers, refers her to
// the best shelter from the phone's copy of the directory, reloads and sees it all waiting; the server hears nothing meanwhile. What
// waits is encrypted under a key the phone cannot give out. When the signal returns the two are
// sent, in order, with the references the phone showed, and the third is shown refused with the
// server's reason; sending them again records nobody twice. Signing out wipes the phone.
// bOfflineReady waits until the service worker controls the offline intake shown and keeps the
// offline pages, and the phone holds its copy of the directory.
func bOfflineReady(t *testing.T, ctx context.Context) {
	t.Helper()
	bWaitJS(t, ctx, "the service worker controls the page and keeps the offline pages", `(async () => {
		const reg = await navigator.serviceWorker.ready;
		if (!navigator.serviceWorker.controller) return false;
		for (const k of await caches.keys()) {
			const c = await caches.open(k);
			if (await c.match('/offline') && await c.match('/offline/screen?screen=ar')) {
				// and the copy of the directory is on the phone (never opening the app's database
				// before the app has made it: that would make it without its stores)
				if (!(await indexedDB.databases()).some((d) => d.name === 'harbour' && d.version === 1)) return false;
				return await new Promise((ok) => { const r = indexedDB.open('harbour', 1); r.onsuccess = () => {
					try {
						const g = r.result.transaction('meta').objectStore('meta').get('directory');
						g.onsuccess = () => { r.result.close(); ok(!!g.result); };
					} catch (e) { r.result.close(); ok(false); }
				}; });
			}
		}
		reg.active.postMessage({type: 'keep-offline', lang: document.documentElement.lang}); // ask again, as a page load does
		return false;
	})()`)
}

func TestBrowserOffline(t *testing.T) {
	t.Parallel() // slow, and shares nothing with other tests
	s, ctx, _, axe := demoOfficer(t)
	bVisit(t, ctx, s.URL+"/operations")
	bCreateOperation(t, ctx, "Aktion Lotus")
	bVisit(t, ctx, s.URL+"/offline")
	bOfflineReady(t, ctx)
	axeCheck(t, ctx, axe, "offline intake (online)")

	before := settledRequests(t, s)
	net := &connection{page: ctx, workers: map[target.ID]context.Context{}}
	net.set(t, true)
	bVisit(t, ctx, s.URL+"/") // any page, with no network, opens the offline intake
	if p := bState(t, ctx); p.H1 != "无信号登记" {
		t.Fatalf("offline, / shows %s %q", p.Path, p.H1)
	}
	bWaitJS(t, ctx, "the page knows it is offline", `Promise.resolve(!navigator.onLine && document.getElementById('offline-state').textContent.includes('没有网络'))`)
	for i, name := range []string{"王小梅", "李春花"} {
		bRun(t, ctx, "choose the operation", chromedp.Evaluate[bool](`(() => {
			const s = document.getElementById('operation_id'); s.value = s.options[1].value; return s.value !== ''; })()`))
		bRun(t, ctx, "choose her language", chromedp.SetValue(chromedp.CSS(`#language`), "wuu"))
		bRun(t, ctx, "type her name", chromedp.SendKeys(chromedp.CSS(`#name_original`), name))
		bRun(t, ctx, "tick a bed tonight", chromedp.Click(chromedp.CSS(`input[name="needs"][value="bed_tonight"]`)))
		bRun(t, ctx, "keep her", chromedp.Click(chromedp.CSS(`#offline-form button[type="submit"]`)))
		bWaitJS(t, ctx, "kept", `Promise.resolve(document.querySelectorAll('#queue li[data-kind="case"][data-status="waiting"]').length === `+strconv.Itoa(i+1)+
			` && document.getElementById('name_original').value === '')`)
		if i > 0 {
			continue
		}
		// The first is shown her screen, in French, with no signal, and answers.
		if st := bFollow(t, ctx, "show her screen", chromedp.Click(chromedp.CSS(`#offline-screen a[hreflang="fr"]`))); st != 200 {
			t.Fatalf("her screen offline: %d", st)
		}
		if p := bState(t, ctx); p.Lang != "fr" || p.H1 != "Ce qui va se passer" {
			t.Fatalf("her screen offline: lang %q, h1 %q", p.Lang, p.H1)
		}
		axeCheck(t, ctx, axe, "her screen (offline)")
		for _, answer := range []string{"support:yes", "share:yes", "nrm:no"} {
			scope, value, _ := strings.Cut(answer, ":")
			bRun(t, ctx, "she answers "+scope, chromedp.Click(chromedp.CSS(`input[name="`+scope+`"][value="`+value+`"]`)))
		}
		bRun(t, ctx, "she confirms", chromedp.Click(chromedp.CSS(`#offline-screen-form button[type="submit"]`)))
		bWaitJS(t, ctx, "she is thanked", `Promise.resolve(!document.getElementById('screen-done').hidden)`)
		if st := bFollow(t, ctx, "back to the officer", chromedp.Click(chromedp.CSS(`#screen-done a`))); st != 200 {
			t.Fatalf("back: %d", st)
		}
		bWaitJS(t, ctx, "her answers wait", `Promise.resolve(document.querySelectorAll('#queue li[data-kind="consent"][data-status="waiting"]').length === 3)`)
		// Help for her from the phone's copy of the directory: the shelter whose staff speak
		// Wenzhounese first; the officer refers her there.
		bWaitJS(t, ctx, "help from the copy", `Promise.resolve(!document.getElementById('offline-help').hidden)`)
		first := bRun(t, ctx, "read the first shelter", chromedp.Evaluate[string](`document.querySelector('#offline-matches .result').textContent`))
		if !strings.Contains(first, "莲花之家庇护所") || !strings.Contains(first, "工作人员会说她的语言") {
			t.Fatalf("first shelter offline: %q", first)
		}
		axeCheck(t, ctx, axe, "help for her (offline)")
		bRun(t, ctx, "refer her", chromedp.Click(chromedp.CSS(`#offline-matches .result button`)))
		bWaitJS(t, ctx, "the referral waits", `Promise.resolve(document.querySelectorAll('#queue li[data-kind="referral"][data-status="waiting"]').length === 1)`)
	}
	bWaitJS(t, ctx, "two people and her answers waiting", `Promise.resolve(document.querySelectorAll('#queue li[data-status="waiting"]').length === 6)`)
	// A third, whose age was typed with a Chinese keyboard's full-width digits: the server will
	// refuse it, and say why.
	bRun(t, ctx, "type an age", chromedp.SendKeys(chromedp.CSS(`#age`), "２４"))
	bRun(t, ctx, "keep her", chromedp.Click(chromedp.CSS(`#offline-form button[type="submit"]`)))
	bWaitJS(t, ctx, "seven waiting", `Promise.resolve(document.querySelectorAll('#queue li[data-status="waiting"]').length === 7)`)
	bVisit(t, ctx, s.URL+"/operations") // a reload, still offline
	bWaitJS(t, ctx, "still seven records waiting after a reload", `Promise.resolve(document.querySelectorAll('#queue li[data-status="waiting"]').length === 7)`)
	axeCheck(t, ctx, axe, "offline intake (offline, seven waiting)")
	refs := bRun(t, ctx, "read the references", chromedp.Evaluate[[]string](`[...document.querySelectorAll('#queue li[data-kind="case"] .main')].slice(0, 2).map(e => e.textContent)`))
	// On the phone: nothing of her in clear, under a key that cannot be read out.
	sealed := bRun(t, ctx, "read the queue as stored", chromedp.Evaluate[string](`new Promise((ok) => {
		const r = indexedDB.open('harbour'); r.onsuccess = () => {
			const db = r.result;
			const q = db.transaction('queue').objectStore('queue').getAll();
			q.onsuccess = async () => {
				const k = await new Promise((res) => { const g = db.transaction('meta').objectStore('meta').get('key'); g.onsuccess = () => res(g.result); });
				let exported = 'no';
				try { await crypto.subtle.exportKey('raw', k); exported = 'yes'; } catch (e) {}
				const texts = q.result.map((e) => new TextDecoder().decode(e.sealed.data));
				ok(JSON.stringify({extractable: k.extractable, exported, n: q.result.length}) + texts.join(''));
			};
		};
	})`, chromedp.EvalAwaitPromise))
	if !strings.HasPrefix(sealed, `{"extractable":false,"exported":"no","n":7}`) || strings.Contains(sealed, "王小梅") || strings.Contains(sealed, "wuu") {
		t.Fatalf("the queue as stored: %.200s", sealed)
	}
	if after := requestsServed(t, s); after != before {
		t.Fatalf("the server answered %d requests while the phone was offline", after-before)
	}
	if n := s.Count(t, "cases"); n != 0 {
		t.Fatalf("%d cases on the server before the signal returned", n)
	}

	net.set(t, false)
	bWaitJS(t, ctx, "two sent and one refused when the signal returns", `Promise.resolve(
		document.querySelectorAll('#queue li[data-status="sent"]').length === 6 &&
		document.querySelectorAll('#queue li[data-status="rejected"]').length === 1)`)
	refused := bRun(t, ctx, "read the refusal", chromedp.Evaluate[string](`document.querySelector('#queue li[data-status="rejected"]').textContent`))
	if !strings.Contains(refused, "被拒绝") || !strings.Contains(refused, "类型不对") {
		t.Fatalf("the refusal shows %q, want its reason", refused)
	}
	if n := s.Count(t, "cases"); n != 2 {
		t.Fatalf("%d cases on the server, want 2", n)
	}
	var answers string
	if err := s.DB.SQL.QueryRow(`SELECT string_agg(k.scope || '=' || k.given || '@' || k.language, ',' ORDER BY k.scope)
		FROM consents k JOIN cases c ON c.id = k.case_id WHERE c.name_original = '王小梅'`).Scan(&answers); err != nil {
		t.Fatal(err)
	}
	if answers != "nrm=false@fr,share=true@fr,support=true@fr" {
		t.Fatalf("her answers on the server: %s", answers)
	}
	var referred string
	if err := s.DB.SQL.QueryRow(`SELECT s.name || ':' || r.status || ':' || r.urgent FROM referrals r JOIN services s ON s.id = r.service_id
		JOIN cases c ON c.id = r.case_id WHERE c.name_original = '王小梅'`).Scan(&referred); err != nil {
		t.Fatal(err)
	}
	if referred != "Maison Lotus:sent:true" {
		t.Fatalf("her referral on the server: %s", referred)
	}
	sentRefs := bRun(t, ctx, "read the references", chromedp.Evaluate[[]string](`[...document.querySelectorAll('#queue li[data-kind="case"][data-status="sent"] .main')].map(e => e.textContent)`))
	if strings.Join(sentRefs, ",") != strings.Join(refs, ",") {
		t.Fatalf("references %v on the phone became %v on the server", refs, sentRefs)
	}
	var first, second string
	if err := s.DB.SQL.QueryRow(`SELECT string_agg(reference, ',' ORDER BY created_at), string_agg(name_original, ',' ORDER BY created_at) FROM cases
		WHERE organisation_id = '019a0000-0000-7000-8000-000000000001'`).Scan(&first, &second); err != nil {
		t.Fatal(err)
	}
	var filed int
	if err := s.DB.SQL.QueryRow(`SELECT count(*) FROM cases c JOIN operations o ON o.id = c.operation_id WHERE o.name = 'Aktion Lotus'`).Scan(&filed); err != nil || filed != 2 {
		t.Fatalf("%d people filed under the operation (%v), want 2", filed, err)
	}
	if first != strings.Join(refs, ",") || second != "王小梅,李春花" {
		t.Fatalf("the server holds %s / %s, want %v in the order recorded", first, second, refs)
	}
	// The same uploads again, as after an answer lost on the way: nobody is recorded twice.
	var ids string
	if err := s.DB.SQL.QueryRow(`SELECT string_agg(id::text, ',' ORDER BY created_at) FROM cases
		WHERE organisation_id = '019a0000-0000-7000-8000-000000000001'`).Scan(&ids); err != nil {
		t.Fatal(err)
	}
	again := bRun(t, ctx, "upload again", chromedp.Evaluate[[]int](`(async () => {
		const out = [];
		for (const id of '`+ids+`'.split(',')) {
			const r = await fetch('/api/v1/cases', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({id, language: 'wuu'})});
			out.push(r.status);
		}
		return out;
	})()`, chromedp.EvalAwaitPromise))
	if len(again) != 2 || again[0] != 200 || again[1] != 200 || s.Count(t, "cases") != 2 {
		t.Fatalf("uploading again answered %v and left %d cases", again, s.Count(t, "cases"))
	}
	// Another officer signing in on this phone finds nothing of the first one's.
	bRun(t, ctx, "leave something behind", chromedp.Evaluate[bool](`new Promise((ok) => {
		const r = indexedDB.open('harbour'); r.onsuccess = () => {
			const t = r.result.transaction(['meta', 'queue'], 'readwrite');
			t.objectStore('meta').put('someone-else', 'user');
			t.objectStore('queue').add({status: 'waiting', kind: 'case', reference: 'HB-XXXX-XX', at: 0});
			t.oncomplete = () => ok(true);
		};
	})`, chromedp.EvalAwaitPromise))
	bVisit(t, ctx, s.URL+"/offline")
	bWaitJS(t, ctx, "the other officer's queue is gone", `Promise.resolve(document.querySelectorAll('#queue li[data-status]').length === 0 &&
		document.querySelector('#queue li.empty') !== null)`)
	bSignOut(t, ctx)
	gone := bRun(t, ctx, "look for the queue", chromedp.Evaluate[bool](`indexedDB.databases().then((dbs) => dbs.some((d) => d.name === 'harbour'))`, chromedp.EvalAwaitPromise))
	if gone {
		t.Fatal("the queue is still on the phone after signing out")
	}
}

// TestBrowserQueueSurvivesClosing: what the officer recorded with no signal is still on the phone
// after the browser is closed, and is sent when it is opened again with a signal.
func TestBrowserQueueSurvivesClosing(t *testing.T) {
	t.Parallel() // slow, and shares nothing with other tests
	exe := chromiumPath(t)
	s := startServer(t)
	if _, err := demo.Load(cliCtx, s.Domain); err != nil {
		t.Fatal(err)
	}
	profile := t.TempDir()
	ctx, closeBrowser := newPhoneWithProfile(t, exe, profile)
	bVisit(t, ctx, s.URL+"/")
	bSignInHome(t, ctx, "officer@demo.harbour.test", demo.Password)
	bVisit(t, ctx, s.URL+"/offline")
	bWaitJS(t, ctx, "the offline page is kept", `(async () => {
		const reg = await navigator.serviceWorker.ready;
		for (const k of await caches.keys()) { if (await (await caches.open(k)).match('/offline')) return !!navigator.serviceWorker.controller; }
		reg.active.postMessage({type: 'keep-offline', lang: document.documentElement.lang}); // ask again, as a page load does
		return false;
	})()`)
	net := &connection{page: ctx, workers: map[target.ID]context.Context{}}
	net.set(t, true)
	bVisit(t, ctx, s.URL+"/")
	if p := bState(t, ctx); p.H1 != "无信号登记" {
		t.Fatalf("offline, / shows %s %q", p.Path, p.H1)
	}
	bWaitJS(t, ctx, "the offline intake is ready", `Promise.resolve(!document.getElementById('offline-app').hidden)`)
	bRun(t, ctx, "type her name", chromedp.SendKeys(chromedp.CSS(`#name_original`), "王小梅"))
	bRun(t, ctx, "keep her", chromedp.Click(chromedp.CSS(`#offline-form button[type="submit"]`)))
	bWaitJS(t, ctx, "kept", `Promise.resolve(document.querySelectorAll('#queue li[data-status="waiting"]').length === 1)`)
	closeBrowser()
	if n := s.Count(t, "cases"); n != 0 {
		t.Fatalf("%d cases sent with no signal", n)
	}

	again, _ := newPhoneWithProfile(t, exe, profile)
	bVisit(t, again, s.URL+"/")
	if bState(t, again).SignInForm { // the browser may not have kept the session: the same officer signs in again
		bSignInHome(t, again, "officer@demo.harbour.test", demo.Password)
	}
	bVisit(t, again, s.URL+"/offline")
	bWaitJS(t, again, "sent once the browser is open again", `Promise.resolve(document.querySelectorAll('#queue li[data-status="sent"]').length === 1)`)
	if n := s.Count(t, "cases"); n != 1 {
		t.Fatalf("%d cases after reopening, want 1", n)
	}
}
