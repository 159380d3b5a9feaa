package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestIntakePages is the officer's flow on the pages, on the demo data: start an operation,
// record a woman found in it (a mistyped date is shown again with its message and nothing is
// saved), show her screen in French and in Arabic, record her answers, find help from her record
// and hold a bed for her; the board then says so.
func TestIntakePages(t *testing.T) {
	s := demoServer(t)
	officer := s.DemoSignIn(t, "officer@demo.harbour.test")
	res := s.Submit(t, officer, "/operations", "/operations", url.Values{"id": {newTestID()}, "name": {"Aktion Lotus"}, "area": {"Brussel-Noord"}})
	read(t, res)
	board := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(board, "/operations/") {
		t.Fatalf("create operation: %d %s", res.StatusCode, board)
	}
	_, body := s.Page(t, officer, board)
	contains(t, body, "Aktion Lotus", "还没有登记任何人")
	opID := strings.TrimPrefix(board, "/operations/")

	intake := "/cases/new?operation=" + opID
	_, form := s.Page(t, officer, intake)
	caseID := regexp.MustCompile(`name="id" value="([^"]+)"`).FindStringSubmatch(form)
	if caseID == nil {
		t.Fatal("the intake form has no client-chosen id")
	}
	her := url.Values{"id": {caseID[1]}, "operation_id": {opID}, "language": {"wuu"}, "gender": {"female"}, "age": {"24"},
		"birth_date": {"２００１-０４-２３"}, "name_original": {"王小梅"}, "needs": {"bed_tonight", "urgent_medical"},
		"exploitation_types": {"sexual"}, "found_city": {"Brussels"}}
	res = s.Submit(t, officer, intake, "/cases", cloneForm(her))
	body = read(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("full-width date: %d", res.StatusCode)
	}
	contains(t, body, "日期请用半角数字", `value="王小梅"`, `value="wuu" selected`, `value="bed_tonight" checked`)
	if n := s.Count(t, "cases"); n != 0 {
		t.Fatalf("%d cases saved from a refused form", n)
	}
	her.Set("birth_date", "2001-04-23")
	location := s.SubmitTwice(t, officer, intake, "/cases", her) // a double tap records her once
	if n := s.Count(t, "cases"); n != 1 || !strings.HasPrefix(location, "/cases/"+caseID[1]) {
		t.Fatalf("%d cases, redirected to %s", n, location)
	}
	_, body = s.Page(t, officer, location)
	contains(t, body, "当事人 HB-", "吴语", "王小梅", "给她看这一页", `lang="fr"`, "français", "尚未询问")

	screen := "/cases/" + caseID[1] + "/screen"
	_, body = s.Page(t, officer, screen+"?screen=fr")
	contains(t, body, `<html lang="fr" dir="ltr"`, "Vos droits", "简体中文", "Brussels Police")
	_, ar := s.Page(t, officer, screen+"?screen=ar")
	contains(t, ar, `<html lang="ar" dir="rtl"`)
	// Her screen in English leaves the officer's pages in Chinese.
	_, en := s.Page(t, officer, screen+"?screen=en")
	contains(t, en, `<html lang="en"`, "Your rights")
	if _, body := s.Page(t, officer, location); !strings.Contains(body, `<html lang="zh-Hans"`) {
		t.Fatal("showing her screen in English changed the officer's language")
	}
	answers := url.Values{"screen": {"fr"}, "support": {"yes"}, "share": {"yes"}, "nrm": {"no"}}
	for _, scope := range []string{"support", "share", "nrm"} {
		id := regexp.MustCompile(`name="` + scope + `_id" value="([^"]+)"`).FindStringSubmatch(body)
		if id == nil {
			t.Fatalf("no %s question on her screen", scope)
		}
		answers.Set(scope+"_id", id[1])
	}
	done := s.SubmitTwice(t, officer, screen+"?screen=fr", "/cases/"+caseID[1]+"/consents", answers)
	_, body = s.Page(t, officer, done)
	contains(t, body, "Merci", "返回当事人页面")
	if n := s.Count(t, "consents"); n != 3 {
		t.Fatalf("%d consent records, want 3 (a double tap records each once)", n)
	}
	_, body = s.Page(t, officer, location)
	if strings.Count(body, `"meta">同意 · `) != 2 || strings.Count(body, `"meta">不同意 · `) != 1 {
		t.Fatalf("consents not shown as given: %s", body)
	}

	// Later she withdraws her agreement to share her details: a new record, the old one kept.
	withdraw := regexp.MustCompile(`<input type="hidden" name="share" value="no"><input type="hidden" name="share_id" value="([^"]+)">`).FindStringSubmatch(body)
	if withdraw == nil {
		t.Fatal("no way to withdraw her agreement to share")
	}
	location = s.SubmitTwice(t, officer, location, "/cases/"+caseID[1]+"/consents",
		url.Values{"screen": {"zh-Hans"}, "share": {"no"}, "share_id": {withdraw[1]}, "back": {"case"}})
	_, body = s.Page(t, officer, location)
	if strings.Count(body, `"meta">同意 · `) != 1 || strings.Count(body, `"meta">不同意 · `) != 2 || s.Count(t, "consents") != 4 {
		t.Fatalf("after withdrawing: %d consent records", s.Count(t, "consents"))
	}
	help := regexp.MustCompile(`href="(/help\?[^"]+)"`).FindStringSubmatch(body)
	if help == nil {
		t.Fatal("no find-help link")
	}
	helpPath := strings.ReplaceAll(help[1], "&amp;", "&")
	_, body = s.Page(t, officer, helpPath)
	contains(t, body, "莲花之家庇护所", `name="case_id" value="`+caseID[1]+`"`)
	hold := regexp.MustCompile(`action="(/services/[^"]+/holds)">`).FindStringSubmatch(body)
	holdID := regexp.MustCompile(`name="hold_id" value="([^"]+)"`).FindStringSubmatch(body)
	ref := regexp.MustCompile(`name="reference" value="([^"]+)"`).FindStringSubmatch(body)
	s.SubmitTwice(t, officer, helpPath, hold[1], url.Values{"hold_id": {holdID[1]}, "case_id": {caseID[1]}, "reference": {ref[1]}})
	_, body = s.Page(t, officer, board)
	contains(t, body, ref[1], "已预留床位", "需要紧急医疗")

	// And she is referred to the shelter, once however often the button is tapped.
	_, body = s.Page(t, officer, helpPath)
	refer := regexp.MustCompile(`action="(/cases/[^"]+/referrals)">`).FindStringSubmatch(body)
	referralID := regexp.MustCompile(`name="referral_id" value="([^"]+)"`).FindStringSubmatch(body)
	serviceID := regexp.MustCompile(`name="service_id" value="([^"]+)"`).FindStringSubmatch(body)
	if refer == nil || referralID == nil || serviceID == nil {
		t.Fatal("no referral button")
	}
	location = s.SubmitTwice(t, officer, helpPath, refer[1], url.Values{"referral_id": {referralID[1]}, "service_id": {serviceID[1]}})
	_, body = s.Page(t, officer, location)
	contains(t, body, "转介已发出。", "莲花之家庇护所", "已发出，等待回复")
	if n := s.Count(t, "referrals"); n != 1 {
		t.Fatalf("%d referrals, want 1", n)
	}
}

// TestIntakePageRefusals: only officers and caseworkers record people, and only their own
// organisation sees them.
func TestIntakePageRefusals(t *testing.T) {
	s := demoServer(t)
	officer := s.DemoSignIn(t, "officer@demo.harbour.test")
	res := s.Submit(t, officer, "/operations", "/operations", url.Values{"name": {"Aktion"}})
	read(t, res)
	board := res.Header.Get("Location")
	res = s.Submit(t, officer, "/cases/new", "/cases", url.Values{"language": {"cmn"}})
	read(t, res)
	record := strings.TrimSuffix(res.Header.Get("Location"), "?notice=saved")
	who := map[string]*http.Client{"": browser(t), "officer": officer}
	for _, email := range []string{"shelter", "caseworker", "decision", "orgadmin", "admin"} {
		who[email] = s.DemoSignIn(t, email+"@demo.harbour.test")
	}
	for _, c := range []struct {
		path string
		want map[string]int
	}{
		{"/operations", map[string]int{"": 303, "shelter": 403, "decision": 403, "orgadmin": 403, "admin": 403, "caseworker": 200, "officer": 200}},
		{board, map[string]int{"": 303, "shelter": 404, "caseworker": 404, "orgadmin": 404, "officer": 200}},
		{"/cases/new", map[string]int{"": 303, "shelter": 403, "decision": 403, "orgadmin": 403, "officer": 200}},
		{record, map[string]int{"": 303, "shelter": 404, "caseworker": 404, "orgadmin": 404, "admin": 404, "officer": 200}},
		{record + "/screen?screen=de", map[string]int{"": 303, "shelter": 404, "caseworker": 404, "officer": 200}},
		{"/offline", map[string]int{"": 303, "shelter": 403, "decision": 403, "orgadmin": 403, "admin": 403, "caseworker": 200, "officer": 200}},
		{"/offline/screen?screen=ar", map[string]int{"": 303, "shelter": 403, "orgadmin": 403, "officer": 200}},
		{"/offline/screen?screen=tlh", map[string]int{"officer": 404}},
	} {
		for name, want := range c.want {
			if status, _ := s.Page(t, who[name], c.path); status != want {
				t.Errorf("GET %s as %q: %d, want %d", c.path, name, status, want)
			}
		}
	}
	for name, want := range map[string]int{"shelter": 404, "caseworker": 404, "orgadmin": 404} {
		res := s.Submit(t, who[name], "/", record+"/consents", url.Values{"screen": {"en"}, "support": {"yes"}})
		read(t, res)
		if res.StatusCode != want {
			t.Errorf("POST consents as %q: %d, want %d", name, res.StatusCode, want)
		}
	}
	if n := s.Count(t, "consents"); n != 0 {
		t.Fatalf("%d consents recorded by refused users", n)
	}
	// Nor do they start operations or record people.
	for _, c := range []struct {
		path string
		form url.Values
	}{{"/operations", url.Values{"name": {"Not theirs"}}}, {"/cases", url.Values{"language": {"cmn"}}}} {
		for name, want := range map[string]int{"shelter": 403, "decision": 403, "orgadmin": 403} {
			res := s.Submit(t, who[name], "/", c.path, cloneForm(c.form))
			read(t, res)
			if res.StatusCode != want {
				t.Errorf("POST %s as %q: %d, want %d", c.path, name, res.StatusCode, want)
			}
		}
	}
	if ops, people := s.Count(t, "operations"), s.Count(t, "cases"); ops != 1 || people != 1 {
		t.Fatalf("%d operations and %d cases after refused forms, want the officer's 1 and 1", ops, people)
	}
	// She has not been asked yet: the referral is refused on her record, with the reason.
	lotus := "019a0000-0000-7000-8000-000000000201"
	res = s.Submit(t, officer, record, record+"/referrals", url.Values{"referral_id": {newTestID()}, "service_id": {lotus}})
	if body := read(t, res); res.StatusCode != http.StatusConflict || !strings.Contains(body, "她还没有同意被转介") {
		t.Fatalf("referral without consent: %d", res.StatusCode)
	}
	for name, want := range map[string]int{"shelter": 404, "caseworker": 404, "orgadmin": 404} {
		res := s.Submit(t, who[name], "/", record+"/referrals", url.Values{"service_id": {lotus}})
		read(t, res)
		if res.StatusCode != want {
			t.Errorf("POST referrals as %q: %d, want %d", name, res.StatusCode, want)
		}
	}
	if n := s.Count(t, "referrals"); n != 0 {
		t.Fatalf("%d referrals sent by refused users or without consent", n)
	}
}
