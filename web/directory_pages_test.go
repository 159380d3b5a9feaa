package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/harbour-nrm/harbour/referral"
)

// TestFindHelpAndHoldABed is a Brussels raid on the demo data: the officer asks for a bed tonight
// for a woman who speaks Wenzhounese, sees the choices in Chinese, holds a bed; the shelter
// sees her coming, confirms, checks her in.
func TestFindHelpAndHoldABed(t *testing.T) {
	s := demoServer(t)
	officer := s.DemoSignIn(t, "officer@demo.harbour.test")
	q := url.Values{"categories": {"shelter", "legal", "medical", "counselling", "interpretation"}, "languages": {"wuu", "cmn"},
		"gender": {"female"}, "age": {"24"}, "city": {"Brussels"}, "country": {"BE"}, "tonight": {"on"}, "avoid": {"Antwerp"}}
	status, body := s.Page(t, officer, "/help?"+q.Encode())
	if status != 200 {
		t.Fatalf("help: %d", status)
	}
	contains(t, body, `<html lang="zh-Hans"`, "莲花之家庇护所", "工作人员会说吴语（温州话、青田话）", "今晚还有 6 张空床",
		"团结律师法律援助", "布鲁塞尔口译队", "地址保密", "距离从 Brussels 算起")
	if strings.Contains(body, "Rue des Lotus") || strings.Contains(body, "哈文之家（安特卫普）") {
		t.Fatal("the results show a confidential address, or a shelter in the city she must avoid")
	}
	if strings.Index(body, "莲花之家庇护所") > strings.Index(body, "哈文之家（鲁汶）") {
		t.Fatal("the Wenzhounese-speaking shelter is not ranked first")
	}
	form := regexp.MustCompile(`action="(/services/[^"]+/holds)">`).FindStringSubmatch(body)
	holdID := regexp.MustCompile(`name="hold_id" value="([^"]+)"`).FindStringSubmatch(body)
	if form == nil || holdID == nil {
		t.Fatal("no hold button")
	}
	location := s.SubmitTwice(t, officer, "/help?"+q.Encode(), form[1], url.Values{"hold_id": {holdID[1]}}) // holds one bed
	_, body = s.Page(t, officer, location)
	contains(t, body, "床位预留", "已预留，等待庇护所确认", "地址保密（在Brussels）")

	staff := s.DemoSignIn(t, "shelter@demo.harbour.test")
	_, board := s.Page(t, staff, "/board")
	contains(t, board, "床位表", "莲花之家庇护所", "Brussels Police", "空 5")
	confirm := regexp.MustCompile(`action="(/board/confirm/[^"]+)"`).FindStringSubmatch(board)
	if confirm == nil {
		t.Fatal("no confirm button on the board")
	}
	res := s.Submit(t, staff, "/board", confirm[1], url.Values{})
	read(t, res)
	_, body = s.Page(t, officer, location)
	contains(t, body, "庇护所已确认", "Rue des Lotus 12")
	_, board = s.Page(t, staff, "/board")
	checkin := regexp.MustCompile(`action="(/board/checkin/[^"]+)"`).FindStringSubmatch(board)
	res = s.Submit(t, staff, "/board", checkin[1], url.Values{})
	read(t, res)
	_, board = s.Page(t, staff, "/board")
	contains(t, board, "已入住", "办理离开")
}

func TestServiceFormPages(t *testing.T) {
	s := startServer(t)
	s.User(t, "Maison Lotus", referral.KindShelter, "admin@lotus.example", referral.RoleOrgAdmin)
	c := browser(t)
	s.SignIn(t, c, "admin@lotus.example")
	res := s.Submit(t, c, "/services/new", "/services", url.Values{"category": {"shelter"}, "name": {"莲花"}, "city": {""},
		"country": {"BE"}, "beds": {"three"}, "latitude": {"50,85"}, "longitude": {"4.35"}, "languages": {"wuu"}, "opens_1": {"25:00"}, "closes_1": {"17:00"}})
	body := read(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %d", res.StatusCode)
	}
	contains(t, body, "必填。", `value="莲花"`, `value="three"`, "开放时间有误", `value="wuu" checked`)
	id := regexp.MustCompile(`name="id" value="([^"]+)"`).FindStringSubmatch(body)
	good := url.Values{"id": {id[1]}, "category": {"shelter"}, "name": {"莲花"}, "city": {"Brussels"}, "country": {"BE"},
		"beds": {"3"}, "latitude": {"50,85"}, "longitude": {"4.35"}, "languages": {"wuu", "cmn"}, "other_languages": {"pl, sw"},
		"open_always": {"on"}, "accepting": {"on"}, "active": {"on"}, "hold_minutes": {"240"}, "confidential": {"on"}}
	s.SubmitTwice(t, c, "/services/new", "/services", good) // creates one service
	_, body = s.Page(t, c, "/services")
	if n := strings.Count(body, ">莲花</a>"); n != 1 {
		t.Fatalf("service listed %d times", n)
	}
	contains(t, body, "3 张床", "地址保密")
	edit := regexp.MustCompile(`href="(/services/[^"]+/edit)"`).FindStringSubmatch(body)
	_, body = s.Page(t, c, edit[1])
	contains(t, body, `value="50.85"`, `value="pl, sw"`, `value="cmn" checked`)
}

// TestServiceNumberCorrected: a new service whose beds are not a number is refused with the
// reason and nothing saved; the corrected form creates it once, with its beds.
func TestServiceNumberCorrected(t *testing.T) {
	s := startServer(t)
	s.User(t, "Maison Lotus", referral.KindShelter, "admin@lotus.example", referral.RoleOrgAdmin)
	c := browser(t)
	s.SignIn(t, c, "admin@lotus.example")
	_, body := s.Page(t, c, "/services/new")
	id := regexp.MustCompile(`name="id" value="([^"]+)"`).FindStringSubmatch(body)
	if id == nil {
		t.Fatal("no client-chosen ID on the new service form")
	}
	form := url.Values{"id": {id[1]}, "category": {"shelter"}, "name": {"莲花"}, "city": {"Brussels"}, "country": {"BE"},
		"beds": {"three"}, "open_always": {"on"}, "accepting": {"on"}, "active": {"on"}}
	res := s.Submit(t, c, "/services/new", "/services", form)
	body = read(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("beds=three: %d", res.StatusCode)
	}
	// Refused means nothing saved: the same new-service form comes back, with the same
	// client-chosen ID, the value as typed and the reason.
	action := regexp.MustCompile(`<form class="stack" method="post" action="([^"]+)">`).FindStringSubmatch(body)
	if action == nil || action[1] != "/services" {
		t.Fatalf("the refused form posts to %v, want /services (a new service)", action)
	}
	contains(t, body, `name="id" value="`+id[1]+`"`, `value="three"`, s.Bundle.Localizer("zh-Hans").T("error.field.type", nil))
	if _, list := s.Page(t, c, "/services"); strings.Contains(list, ">莲花</a>") {
		t.Fatal("a refused service was saved")
	}
	form.Set("beds", "3")
	res = s.Submit(t, c, "/services/new", "/services", form)
	read(t, res)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("corrected: %d", res.StatusCode)
	}
	_, body = s.Page(t, c, "/services")
	if n := strings.Count(body, ">莲花</a>"); n != 1 {
		t.Fatalf("service listed %d times", n)
	}
	contains(t, body, "3 张床")
}

// TestDirectoryPageRefusals checks every page of the directory, holds and the bed board:
// signed-out visitors are sent to sign in, a wrong role is refused, and another organisation's
// holds and placements are not found — and the right person gets through.
func TestDirectoryPageRefusals(t *testing.T) {
	s := demoServer(t)
	who := map[string]*http.Client{"": browser(t)}
	for _, email := range []string{"officer", "shelter", "caseworker", "decision", "orgadmin", "admin"} {
		who[email] = s.DemoSignIn(t, email+"@demo.harbour.test")
	}
	// Staff of the other demo shelter, Huis Haven: another organisation to Maison Lotus.
	s.User(t, "Huis Haven Shelter Antwerp", referral.KindShelter, "staff@haven.example", referral.RoleShelterStaff)
	who["haven"] = browser(t)
	s.SignIn(t, who["haven"], "staff@haven.example")

	lotus := "019a0000-0000-7000-8000-000000000201"
	get := func(path string, want map[string]int) {
		t.Helper()
		for name, want := range want {
			if status, _ := s.Page(t, who[name], path); status != want {
				t.Errorf("GET %s as %q: %d, want %d", path, name, status, want)
			}
		}
	}
	post := func(path string, form url.Values, want map[string]int) {
		t.Helper()
		for name, want := range want {
			res := s.Submit(t, who[name], "/", path, cloneForm(form))
			read(t, res)
			if res.StatusCode != want {
				t.Errorf("POST %s as %q: %d, want %d", path, name, res.StatusCode, want)
			}
		}
	}
	get("/help", map[string]int{"": 303, "shelter": 403, "decision": 403, "orgadmin": 403, "admin": 403, "officer": 200, "caseworker": 200})
	get("/board", map[string]int{"": 303, "officer": 403, "decision": 403, "orgadmin": 403, "caseworker": 403, "shelter": 200, "haven": 200})
	get("/services", map[string]int{"": 303, "officer": 200, "orgadmin": 200})
	get("/services/new", map[string]int{"": 303, "officer": 403, "shelter": 403, "decision": 403, "orgadmin": 200})
	get("/services/"+lotus+"/edit", map[string]int{"": 303, "officer": 403, "shelter": 403, "orgadmin": 403})
	post("/services", url.Values{"name": {"Taken"}, "category": {"legal"}, "city": {"X"}, "country": {"BE"}},
		map[string]int{"": 303, "officer": 403, "shelter": 403, "caseworker": 403})
	post("/services/"+lotus, url.Values{"name": {"Taken"}, "category": {"shelter"}, "city": {"X"}, "country": {"BE"}},
		map[string]int{"": 303, "officer": 403, "shelter": 403, "orgadmin": 403})
	post("/services/"+lotus+"/holds", url.Values{}, map[string]int{"": 303, "shelter": 403, "decision": 403, "orgadmin": 403, "admin": 403})
	post("/board/checkin/"+lotus, url.Values{}, map[string]int{"": 303, "officer": 404, "orgadmin": 404})
	post("/board/walkin/"+lotus, url.Values{"reference": {"X"}},
		map[string]int{"": 303, "officer": 403, "orgadmin": 403, "caseworker": 403, "haven": 403})

	// Another organisation's records are not listed.
	for _, c := range []struct{ who, path string }{{"orgadmin", "/services"}, {"haven", "/board"}} {
		if _, body := s.Page(t, who[c.who], c.path); strings.Contains(body, lotus) {
			t.Errorf("%s of another organisation lists Maison Lotus's shelter", c.path)
		}
	}
	if _, body := s.Page(t, who["shelter"], "/board"); !strings.Contains(body, lotus) {
		t.Error("Maison Lotus's board lacks its own shelter")
	}

	// A bed the police officer holds at Maison Lotus, and a woman who walked in there.
	res := s.Submit(t, who["officer"], "/help", "/services/"+lotus+"/holds", url.Values{})
	read(t, res)
	hold := strings.TrimPrefix(res.Header.Get("Location"), "/holds/")
	if res.StatusCode != http.StatusSeeOther || hold == "" {
		t.Fatalf("hold: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	res = s.Submit(t, who["shelter"], "/board", "/board/walkin/"+lotus, url.Values{"reference": {"HB-WALK-IN"}})
	read(t, res)
	_, board := s.Page(t, who["shelter"], "/board")
	checkout := regexp.MustCompile(`action="(/board/checkout/[^"]+)"`).FindStringSubmatch(board)
	if res.StatusCode != http.StatusSeeOther || checkout == nil {
		t.Fatalf("walk-in: %d, no check-out button on the board", res.StatusCode)
	}

	get("/holds/"+hold, map[string]int{"": 303, "caseworker": 404, "haven": 404, "admin": 404,
		"officer": 200, "orgadmin": 200, "shelter": 200})
	post("/holds/"+hold+"/release", url.Values{}, map[string]int{"": 303, "caseworker": 404, "haven": 404, "orgadmin": 403})
	for _, action := range []string{"confirm", "checkin"} {
		post("/board/"+action+"/"+hold, url.Values{},
			map[string]int{"": 303, "officer": 403, "orgadmin": 403, "caseworker": 404, "haven": 404})
	}
	post("/board/release/"+hold, url.Values{}, map[string]int{"": 303, "orgadmin": 403, "caseworker": 404, "haven": 404})
	post(checkout[1], url.Values{}, map[string]int{"": 303, "officer": 404, "orgadmin": 404, "haven": 404})
	post("/board/evict/"+hold, url.Values{}, map[string]int{"shelter": 404})

	// The right people get through.
	post("/board/confirm/"+hold, url.Values{}, map[string]int{"shelter": 303})
	post(checkout[1], url.Values{"outcome": {"moved_shelter"}}, map[string]int{"shelter": 303})
	post("/holds/"+hold+"/release", url.Values{}, map[string]int{"officer": 303})
}

// TestWalkInNeedsANumber: a walk-in's number of places that is not a number is refused with the
// reason on the board, and nobody is checked in.
func TestWalkInNeedsANumber(t *testing.T) {
	s := demoServer(t)
	staff := s.DemoSignIn(t, "shelter@demo.harbour.test")
	_, before := s.Page(t, staff, "/board")
	res := s.Submit(t, staff, "/board", "/board/walkin/019a0000-0000-7000-8000-000000000201",
		url.Values{"reference": {"HB-TWO"}, "places": {"两"}})
	body := read(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("places=两: %d", res.StatusCode)
	}
	zh := s.Bundle.Localizer("zh-Hans")
	contains(t, body, zh.N("form.fix_errors", 1, nil), zh.T("error.field.type", nil))
	_, after := s.Page(t, staff, "/board")
	if strings.Contains(after, "HB-TWO") || strings.Count(after, "/board/checkout/") != strings.Count(before, "/board/checkout/") {
		t.Fatal("a refused walk-in was checked in")
	}
}
