package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/harbour-nrm/harbour/referral"
)

// withDirectory adds shelter staff (of the fixture's shelter and of another shelter) and a
// confidential Brussels shelter with three beds, owned by the fixture's shelter.
func withDirectory(t *testing.T) (*fixture, referral.Service) {
	f := newFixture(t)
	sys := referral.WithActor(context.Background(), referral.SystemActor("test"))
	kind := referral.KindShelter
	other, _, err := f.svc.CreateOrganisation(sys, referral.OrganisationInput{Name: ptr("Other shelter"), Kind: &kind, Country: ptr("BE")})
	if err != nil {
		t.Fatal(err)
	}
	for name, org := range map[string]referral.Organisation{"staff": f.shelter, "otherstaff": other} {
		roles := []referral.Role{referral.RoleShelterStaff}
		u, _, err := f.svc.CreateUser(sys, referral.UserInput{OrganisationID: org.ID, Email: ptr(name + "@example.org"),
			Name: ptr(name), Roles: &roles, Password: ptr(password)})
		if err != nil {
			t.Fatal(err)
		}
		_, secret, err := f.svc.CreateToken(sys, u.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		f.users[name], f.tokens[name] = u, secret
	}
	rec := f.call("POST", "/api/v1/services", "shelteradmin", `{"category":"shelter","name":"莲花妇女庇护所",
		"name_i18n":{"en":"Lotus women's shelter"},"languages":["cmn","wuu","fr"],"genders":["female"],
		"accepts_children":true,"address":"Rue Secrète 17","postal_code":"1000","city":"Brussels","country":"BE",
		"latitude":50.8467,"longitude":4.3525,"confidential":true,"open_always":true,"response_minutes":20,
		"capacity":{"bed":3}}`)
	status(t, rec, 201)
	return f, decode[referral.Service](t, rec)
}

func TestServiceRefusals(t *testing.T) {
	f, s := withDirectory(t)
	id := s.ID.String()
	hold := func() string { return `{"reference":"HB-7K3M-Q9"}` }
	type attempt struct {
		who  string
		want int
	}
	for _, tc := range []struct {
		name, method, path string
		body               func() string
		attempts           []attempt
	}{
		{"ListServices", "GET", "/api/v1/services", nil, []attempt{{"", 401}, {"officer", 200}}},
		{"CreateService", "POST", "/api/v1/services", func() string {
			return `{"organisation_id":"` + f.shelter.ID.String() + `","category":"legal","name":"X","city":"Brussels","country":"BE"}`
		}, []attempt{{"", 401}, {"officer", 403}, {"staff", 403}, {"orgadmin", 403}, {"shelteradmin", 201}}},
		{"GetService", "GET", "/api/v1/services/" + id, nil, []attempt{{"", 401}, {"officer", 200}}},
		{"PatchService", "PATCH", "/api/v1/services/" + id, func() string { return `{"response_minutes":25}` },
			[]attempt{{"", 401}, {"officer", 403}, {"staff", 403}, {"otherstaff", 403}, {"orgadmin", 403}, {"shelteradmin", 200}}},
		{"Occupancy", "GET", "/api/v1/services/" + id + "/occupancy", nil,
			[]attempt{{"", 401}, {"officer", 403}, {"otherstaff", 403}, {"shelteradmin", 403}, {"staff", 200}}},
		{"Match", "POST", "/api/v1/match", func() string { return `{"languages":["wuu"],"location":{"city":"Brussels"}}` },
			[]attempt{{"", 401}, {"staff", 403}, {"shelteradmin", 403}, {"officer", 200}}},
		{"CreateHold", "POST", "/api/v1/services/" + id + "/holds", hold,
			[]attempt{{"", 401}, {"staff", 403}, {"shelteradmin", 403}, {"officer", 201}}},
		{"ListHolds", "GET", "/api/v1/services/" + id + "/holds", nil, []attempt{{"", 401}, {"officer", 200}, {"staff", 200}}},
		{"WalkIn", "POST", "/api/v1/services/" + id + "/placements", func() string { return `{"reference":"HB-WALK-01"}` },
			[]attempt{{"", 401}, {"officer", 403}, {"otherstaff", 403}, {"shelteradmin", 403}, {"staff", 201}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, a := range tc.attempts {
				body := ""
				if tc.body != nil {
					body = tc.body()
				}
				rec := f.call(tc.method, tc.path, a.who, body)
				if rec.Code != a.want {
					t.Fatalf("as %q: %d, want %d; %s", a.who, rec.Code, a.want, rec.Body)
				}
				if a.want >= 400 {
					problem(t, rec)
				}
			}
		})
	}
}

func TestHoldEndpointRefusals(t *testing.T) {
	f, s := withDirectory(t)
	newHold := func() string {
		rec := f.call("POST", "/api/v1/services/"+s.ID.String()+"/holds", "officer", `{"reference":"HB-7K3M-Q9"}`)
		status(t, rec, 201)
		return decode[referral.Hold](t, rec).ID.String()
	}
	h := newHold()
	for _, a := range []struct {
		method, path, who string
		want              int
	}{
		{"GET", "/api/v1/holds/" + h, "", 401},
		{"GET", "/api/v1/holds/" + h, "otherstaff", 404},
		{"GET", "/api/v1/holds/" + h, "colleague", 200},
		{"GET", "/api/v1/holds/" + h, "staff", 200},
		{"POST", "/api/v1/holds/" + h + "/confirm", "officer", 403},
		{"POST", "/api/v1/holds/" + h + "/confirm", "otherstaff", 404},
		{"POST", "/api/v1/holds/" + h + "/checkin", "officer", 403},
		{"POST", "/api/v1/holds/" + h + "/checkin", "shelteradmin", 403},
		{"POST", "/api/v1/holds/" + h + "/checkin", "otherstaff", 404},
		{"POST", "/api/v1/holds/" + h + "/release", "otherstaff", 404},
		{"POST", "/api/v1/holds/" + h + "/confirm", "staff", 200},
		{"POST", "/api/v1/holds/" + h + "/checkin", "staff", 200},
	} {
		rec := f.call(a.method, a.path, a.who, "")
		if rec.Code != a.want {
			t.Fatalf("%s %s as %q: %d, want %d; %s", a.method, a.path, a.who, rec.Code, a.want, rec.Body)
		}
	}
	pl := decode[referral.Placement](t, f.call("POST", "/api/v1/holds/"+h+"/checkin", "staff", ""))
	for _, a := range []struct {
		method, path, who string
		want              int
	}{
		{"GET", "/api/v1/placements/" + pl.ID.String(), "otherstaff", 404},
		{"GET", "/api/v1/placements/" + pl.ID.String(), "officer", 200},
		{"POST", "/api/v1/placements/" + pl.ID.String() + "/checkout", "", 401},
		{"POST", "/api/v1/placements/" + pl.ID.String() + "/checkout", "officer", 403},
		{"POST", "/api/v1/placements/" + pl.ID.String() + "/checkout", "otherstaff", 404},
		{"POST", "/api/v1/placements/" + pl.ID.String() + "/checkout", "staff", 200},
	} {
		rec := f.call(a.method, a.path, a.who, "")
		if rec.Code != a.want {
			t.Fatalf("%s %s as %q: %d, want %d; %s", a.method, a.path, a.who, rec.Code, a.want, rec.Body)
		}
	}
	// Release: the holder's organisation or the shelter, nobody else.
	h2 := newHold()
	status(t, f.call("POST", "/api/v1/holds/"+h2+"/release", "orgadmin", ""), 403)
	status(t, f.call("POST", "/api/v1/holds/"+h2+"/release", "colleague", ""), 200)
}

// TestConcurrentHoldsOverHTTP is the acceptance test: 200 concurrent hold requests on a
// 3-bed shelter, through real HTTP, give exactly 3 holds and 197 clean 409 problems.
func TestConcurrentHoldsOverHTTP(t *testing.T) {
	f, s := withDirectory(t)
	srv := httptest.NewServer(f.srv.Echo)
	defer srv.Close()
	const requests = 200
	var wg sync.WaitGroup
	codes := make(chan int, requests)
	problems := make(chan string, requests)
	for range requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", srv.URL+"/api/v1/services/"+s.ID.String()+"/holds", strings.NewReader(`{"reference":"HB-RAID-01"}`))
			req.Header.Set("Authorization", "Bearer "+f.tokens["officer"])
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept-Language", "zh-CN")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			body := read(res)
			codes <- res.StatusCode
			if res.StatusCode == 409 {
				problems <- res.Header.Get("Content-Type") + " " + body
			}
		}()
	}
	wg.Wait()
	close(codes)
	close(problems)
	n := map[int]int{}
	for c := range codes {
		n[c]++
	}
	if n[201] != 3 || n[409] != requests-3 {
		t.Fatalf("statuses %v, want 3×201 and %d×409", n, requests-3)
	}
	for p := range problems {
		if !strings.HasPrefix(p, "application/problem+json") || !strings.Contains(p, `"detail":"床位不足：只剩 0 个空床位。"`) {
			t.Fatalf("409 is not a clean translated problem: %s", p)
		}
	}
}

func TestMatchEndpoint(t *testing.T) {
	f, s := withDirectory(t)
	body := `{"categories":["shelter","legal"],"languages":["wuu","cmn"],"gender":"female","age":24,
		"children":1,"exploitation_types":["sexual"],"location":{"latitude":50.85,"longitude":4.36},"tonight":true}`
	rec := f.call("POST", "/api/v1/match", "officer", body, "Accept-Language", "zh-CN")
	status(t, rec, 200)
	res := decode[struct {
		Results map[string][]struct {
			Service struct {
				ID, Address   string
				Latitude      *float64
				AddressHidden bool `json:"address_hidden"`
			}
			Name    string
			Score   int
			Reasons []struct{ ID, Text string }
		}
	}](t, rec)
	shelters := res.Results["shelter"]
	if len(shelters) != 1 || shelters[0].Service.ID != s.ID.String() || res.Results["legal"] == nil {
		t.Fatalf("results %+v", res.Results)
	}
	top := shelters[0]
	texts := []string{}
	for _, r := range top.Reasons {
		texts = append(texts, r.Text)
	}
	joined := strings.Join(texts, "；")
	for _, want := range []string{"工作人员会说吴语（温州话、青田话）", "今晚还有 3 张空床", "可以带孩子入住", "全天 24 小时开放", "地址保密"} {
		if !strings.Contains(joined, want) {
			t.Errorf("reasons %q lack %q", joined, want)
		}
	}
	if top.Service.Address != "" || top.Service.Latitude != nil || !top.Service.AddressHidden || strings.Contains(rec.Body.String(), "Rue Secrète") {
		t.Fatal("the match response leaked the confidential address")
	}
	rec = f.call("POST", "/api/v1/match", "officer", body, "Accept-Language", "en")
	if !strings.Contains(rec.Body.String(), "Staff speak Wu (Wenzhounese, Qingtian)") || !strings.Contains(rec.Body.String(), `"name":"Lotus women's shelter"`) {
		t.Fatalf("English reasons or name missing: %s", rec.Body)
	}
	// Bad input is a translated problem and changes nothing.
	rec = f.call("POST", "/api/v1/match", "officer", `{"gender":"robot","children":-1,"location":{"latitude":95}}`)
	status(t, rec, 422)
	if p := problem(t, rec); len(p.Errors) < 3 {
		t.Fatalf("problem %+v", p)
	}
}

func TestConfidentialAddressInAPI(t *testing.T) {
	f, s := withDirectory(t)
	for who, visible := range map[string]bool{"staff": true, "shelteradmin": true, "officer": false, "otherstaff": false, "admin": false} {
		body := f.call("GET", "/api/v1/services/"+s.ID.String(), who, "").Body.String()
		if strings.Contains(body, "Rue Secrète") != visible || strings.Contains(body, "50.8467") != visible {
			t.Errorf("%s sees the address: %v, want %v", who, !visible, visible)
		}
		list := f.call("GET", "/api/v1/services", who, "").Body.String()
		if strings.Contains(list, "Rue Secrète") != visible {
			t.Errorf("%s sees the address in the list: %v, want %v", who, !visible, visible)
		}
	}
}

func read(res *http.Response) string {
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

func TestHSDSEndpoints(t *testing.T) {
	f, s := withDirectory(t)
	for _, path := range []string{"/hsds/services", "/hsds/services/" + s.ID.String(), "/hsds/organizations", "/hsds/taxonomy"} {
		rec := f.call("GET", path, "", "")
		status(t, rec, 401)
		problem(t, rec)
		for _, who := range []string{"officer", "otherstaff", "staff", "admin"} {
			rec := f.call("GET", path, who, "")
			status(t, rec, 200)
			// Not even the shelter's own staff get the confidential address through HSDS.
			if strings.Contains(rec.Body.String(), "Rue Secrète") || strings.Contains(rec.Body.String(), "50.8467") {
				t.Fatalf("%s as %s leaks the confidential address", path, who)
			}
		}
	}
	page := decode[struct {
		TotalItems int  `json:"total_items"`
		PageNumber int  `json:"page_number"`
		Empty      bool `json:"empty"`
		Contents   []struct {
			Name string
		}
	}](t, f.call("GET", "/hsds/services?page=1&per_page=10", "officer", ""))
	if page.TotalItems != 1 || page.PageNumber != 1 || page.Empty || page.Contents[0].Name != "莲花妇女庇护所" {
		t.Fatalf("page %+v", page)
	}
	status(t, f.call("GET", "/hsds/services?page=zero", "officer", ""), 422)
	status(t, f.call("GET", "/hsds/services/"+newID(), "officer", ""), 404)
}
