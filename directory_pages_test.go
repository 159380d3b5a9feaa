package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/harbour-nrm/harbour/referral"
)

// demoServer is a server with the demo data set loaded, as `go run .` has.
func demoServer(t *testing.T) *testServer {
	t.Helper()
	s := startServer(t)
	if _, err := s.Domain.LoadDemo(cliCtx); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *testServer) demoSignIn(t *testing.T, email string) *http.Client {
	t.Helper()
	c := browser(t)
	res := s.submit(t, c, "/signin", "/signin", url.Values{"email": {email}, "password": {referral.DemoPassword}})
	read(t, res)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in %s: %d", email, res.StatusCode)
	}
	return c
}

// TestFindHelpAndHoldABed is a Brussels raid on the demo data: the officer asks for a bed tonight
// for a woman who speaks Wenzhounese, sees the choices in Chinese, holds a bed; the shelter
// sees her coming, confirms, checks her in.
func TestFindHelpAndHoldABed(t *testing.T) {
	s := demoServer(t)
	officer := s.demoSignIn(t, "officer@demo.harbour.test")
	q := url.Values{"categories": {"shelter", "legal", "medical", "counselling", "interpretation"}, "languages": {"wuu", "cmn"},
		"gender": {"female"}, "age": {"24"}, "city": {"Brussels"}, "country": {"BE"}, "tonight": {"on"}, "avoid": {"Antwerp"}}
	status, body := s.page(t, officer, "/help?"+q.Encode())
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
	var location string
	for range 2 { // a double tap holds one bed
		res := s.submit(t, officer, "/help?"+q.Encode(), form[1], url.Values{"hold_id": {holdID[1]}})
		read(t, res)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("hold: %d", res.StatusCode)
		}
		location = res.Header.Get("Location")
	}
	_, body = s.page(t, officer, location)
	contains(t, body, "床位预留", "已预留，等待庇护所确认", "地址保密（在Brussels）")

	staff := s.demoSignIn(t, "shelter@demo.harbour.test")
	_, board := s.page(t, staff, "/board")
	contains(t, board, "床位表", "莲花之家庇护所", "Brussels Police", "空 5")
	confirm := regexp.MustCompile(`action="(/board/confirm/[^"]+)"`).FindStringSubmatch(board)
	if confirm == nil {
		t.Fatal("no confirm button on the board")
	}
	res := s.submit(t, staff, "/board", confirm[1], url.Values{})
	read(t, res)
	_, body = s.page(t, officer, location)
	contains(t, body, "庇护所已确认", "Rue des Lotus 12")
	_, board = s.page(t, staff, "/board")
	checkin := regexp.MustCompile(`action="(/board/checkin/[^"]+)"`).FindStringSubmatch(board)
	res = s.submit(t, staff, "/board", checkin[1], url.Values{})
	read(t, res)
	_, board = s.page(t, staff, "/board")
	contains(t, board, "已入住", "办理离开")
}

func TestServiceFormPages(t *testing.T) {
	s := startServer(t)
	admin := s.user(t, "Maison Lotus", referral.KindShelter, "admin@lotus.example", referral.RoleOrgAdmin)
	_ = admin
	c := browser(t)
	s.signIn(t, c, "admin@lotus.example")
	res := s.submit(t, c, "/services/new", "/services", url.Values{"category": {"shelter"}, "name": {"莲花"}, "city": {""},
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
	for range 2 {
		res = s.submit(t, c, "/services/new", "/services", good)
		read(t, res)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d", res.StatusCode)
		}
	}
	_, body = s.page(t, c, "/services")
	if n := strings.Count(body, ">莲花</a>"); n != 1 {
		t.Fatalf("service listed %d times", n)
	}
	contains(t, body, "3 张床", "地址保密")
	edit := regexp.MustCompile(`href="(/services/[^"]+/edit)"`).FindStringSubmatch(body)
	_, body = s.page(t, c, edit[1])
	contains(t, body, `value="50.85"`, `value="pl, sw"`, `value="cmn" checked`)
}

func TestDirectoryPageRefusals(t *testing.T) {
	s := demoServer(t)
	who := map[string]*http.Client{"": browser(t)}
	for _, email := range []string{"officer", "shelter", "caseworker", "orgadmin", "admin"} {
		who[email] = s.demoSignIn(t, email+"@demo.harbour.test")
	}
	lotus := "019a0000-0000-7000-8000-000000000201"
	for _, tc := range []struct {
		path string
		want map[string]int
	}{
		{"/help", map[string]int{"": 303, "shelter": 403, "orgadmin": 403, "admin": 403, "officer": 200, "caseworker": 200}},
		{"/board", map[string]int{"": 303, "officer": 403, "orgadmin": 403, "caseworker": 403, "shelter": 200}},
		{"/services/new", map[string]int{"": 303, "officer": 403, "shelter": 403, "orgadmin": 200}},
		{"/services/" + lotus + "/edit", map[string]int{"": 303, "officer": 403, "shelter": 403, "orgadmin": 403}},
	} {
		for name, want := range tc.want {
			if status, _ := s.page(t, who[name], tc.path); status != want {
				t.Errorf("GET %s as %q: %d, want %d", tc.path, name, status, want)
			}
		}
	}
	for _, tc := range []struct {
		path string
		form url.Values
		want map[string]int
	}{
		{"/services/" + lotus, url.Values{"name": {"Taken"}, "category": {"shelter"}, "city": {"X"}, "country": {"BE"}},
			map[string]int{"": 303, "officer": 403, "shelter": 403, "orgadmin": 403}},
		{"/services/" + lotus + "/holds", url.Values{}, map[string]int{"": 303, "shelter": 403, "orgadmin": 403, "admin": 403}},
		{"/board/checkin/" + lotus, url.Values{}, map[string]int{"": 303, "officer": 404, "orgadmin": 404}},
		{"/board/walkin/" + lotus, url.Values{"reference": {"X"}}, map[string]int{"": 303, "officer": 403, "orgadmin": 403, "caseworker": 403}},
	} {
		for name, want := range tc.want {
			res := s.submit(t, who[name], "/", tc.path, cloneForm(tc.form))
			read(t, res)
			if res.StatusCode != want {
				t.Errorf("POST %s as %q: %d, want %d", tc.path, name, res.StatusCode, want)
			}
		}
	}
}
