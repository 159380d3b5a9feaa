package api_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/harbour-nrm/harbour/referral"
)

// withDirectory adds shelter staff (of the fixture's shelter and of another shelter), a decision
// maker of a competent authority, and a confidential Brussels shelter with three beds, owned by
// the fixture's shelter.
func withDirectory(t testing.TB) (*fixture, referral.Service) {
	f := newFixture(t)
	f.addUser("staff", f.shelter, referral.RoleShelterStaff)
	f.addUser("otherstaff", f.addOrganisation("Other shelter", referral.KindShelter), referral.RoleShelterStaff)
	f.addUser("decider", f.addOrganisation("Authority", referral.KindCompetentAuthority), referral.RoleDecisionMaker)
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
	tryEndpoints(t, f, []endpointCase{
		{"ListServices", "GET", "/api/v1/services", nil, []attempt{{"", 401}, {"officer", 200}}},
		{"CreateService", "POST", "/api/v1/services", func() string {
			return `{"organisation_id":"` + f.shelter.ID.String() + `","category":"legal","name":"X","city":"Brussels","country":"BE"}`
		}, []attempt{{"", 401}, {"officer", 403}, {"staff", 403}, {"orgadmin", 403}, {"admin", 403}, {"decider", 403}, {"shelteradmin", 201}}},
		{"GetService", "GET", "/api/v1/services/" + id, nil, []attempt{{"", 401}, {"officer", 200}}},
		{"PatchService", "PATCH", "/api/v1/services/" + id, func() string { return `{"response_minutes":25}` },
			[]attempt{{"", 401}, {"officer", 403}, {"staff", 403}, {"otherstaff", 403}, {"orgadmin", 403}, {"admin", 403}, {"decider", 403}, {"shelteradmin", 200}}},
		{"Occupancy", "GET", "/api/v1/services/" + id + "/occupancy", nil,
			[]attempt{{"", 401}, {"officer", 403}, {"otherstaff", 403}, {"shelteradmin", 403}, {"admin", 403}, {"decider", 403}, {"staff", 200}}},
		{"Match", "POST", "/api/v1/match", func() string { return `{"languages":["wuu"],"location":{"city":"Brussels"}}` },
			[]attempt{{"", 401}, {"staff", 403}, {"shelteradmin", 403}, {"admin", 403}, {"decider", 403}, {"officer", 200}}},
		{"CreateHold", "POST", "/api/v1/services/" + id + "/holds", hold,
			[]attempt{{"", 401}, {"staff", 403}, {"shelteradmin", 403}, {"admin", 403}, {"decider", 403}, {"officer", 201}}},
		// Anyone signed in may ask; TestListHoldsShowsOwnHoldsOnly checks what each is shown.
		{"ListHolds", "GET", "/api/v1/services/" + id + "/holds", nil, []attempt{{"", 401}, {"officer", 200}, {"staff", 200}}},
		{"WalkIn", "POST", "/api/v1/services/" + id + "/placements", func() string { return `{"reference":"HB-WALK-01"}` },
			[]attempt{{"", 401}, {"officer", 403}, {"otherstaff", 403}, {"shelteradmin", 403}, {"admin", 403}, {"decider", 403}, {"staff", 201}}},
	})
}

func TestHoldEndpointRefusals(t *testing.T) {
	f, s := withDirectory(t)
	newHold := func() string {
		rec := f.call("POST", "/api/v1/services/"+s.ID.String()+"/holds", "officer", `{"reference":"HB-7K3M-Q9"}`)
		status(t, rec, 201)
		return decode[referral.Hold](t, rec).ID.String()
	}
	h := "/api/v1/holds/" + newHold()
	tryEndpoints(t, f, []endpointCase{
		{"GetHold", "GET", h, nil,
			[]attempt{{"", 401}, {"otherstaff", 404}, {"admin", 404}, {"decider", 404}, {"colleague", 200}, {"staff", 200}}},
		{"ReleaseHold", "POST", h + "/release", nil, []attempt{{"", 401}, {"otherstaff", 404}, {"admin", 404}, {"decider", 404}}},
		{"ConfirmHold", "POST", h + "/confirm", nil,
			[]attempt{{"", 401}, {"officer", 403}, {"otherstaff", 404}, {"admin", 404}, {"decider", 404}, {"staff", 200}}},
		{"CheckIn", "POST", h + "/checkin", nil,
			[]attempt{{"", 401}, {"officer", 403}, {"shelteradmin", 403}, {"otherstaff", 404}, {"admin", 404}, {"decider", 404}, {"staff", 200}}},
	})
	pl := "/api/v1/placements/" + decode[referral.Placement](t, f.call("POST", h+"/checkin", "staff", "")).ID.String()
	// How she left is required: none, or one that is none, is refused with the field named, and she stays.
	for _, body := range []string{"", `{}`, `{"outcome":"vanished"}`, `{"outcome":"other"}`} {
		rec := f.call("POST", pl+"/checkout", "staff", body)
		status(t, rec, http.StatusUnprocessableEntity)
		if p := problem(t, rec); len(p.Errors) != 1 || (p.Errors[0].Field != "outcome" && p.Errors[0].Field != "note") {
			t.Fatalf("check-out %q: %+v", body, p.Errors)
		}
	}
	if got := decode[referral.Placement](t, f.call("GET", pl, "staff", "")); got.Status != referral.PlacementPresent {
		t.Fatalf("a refused check-out left her %s", got.Status)
	}
	tryEndpoints(t, f, []endpointCase{
		{"GetPlacement", "GET", pl, nil,
			[]attempt{{"", 401}, {"otherstaff", 404}, {"admin", 404}, {"decider", 404}, {"officer", 200}}},
		{"CheckOut", "POST", pl + "/checkout", func() string { return `{"outcome":"returned_home"}` },
			[]attempt{{"", 401}, {"officer", 403}, {"otherstaff", 404}, {"admin", 404}, {"decider", 404}, {"staff", 200}}},
	})
	// Release: the holder's organisation or the shelter, nobody else.
	h2 := "/api/v1/holds/" + newHold() + "/release"
	tryEndpoints(t, f, []endpointCase{
		{"ReleaseHeldHold", "POST", h2, nil, []attempt{{"orgadmin", 403}, {"otherstaff", 404}, {"colleague", 200}}},
	})
}

// TestListHoldsShowsOwnHoldsOnly: a shelter's holds are listed to its own organisation and to the
// organisation that made each hold, never to another one.
func TestListHoldsShowsOwnHoldsOnly(t *testing.T) {
	f, s := withDirectory(t)
	path := "/api/v1/services/" + s.ID.String() + "/holds"
	rec := f.call("POST", path, "officer", `{"reference":"HB-7K3M-Q9"}`)
	status(t, rec, 201)
	held := decode[referral.Hold](t, rec).ID
	for who, want := range map[string]int{"officer": 1, "colleague": 1, "staff": 1, "shelteradmin": 1,
		"otherstaff": 0, "admin": 0, "decider": 0} {
		rec := f.call("GET", path, who, "")
		status(t, rec, 200)
		list := decode[struct{ Items []referral.Hold }](t, rec).Items
		if len(list) != want || (want == 1 && list[0].ID != held) {
			t.Errorf("%s is shown %d holds, want %d", who, len(list), want)
		}
	}
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
			Service map[string]any
			Name    string
			Score   int
			Reasons []struct{ ID, Text string }
		}
	}](t, rec)
	shelters := res.Results["shelter"]
	if len(shelters) != 1 || shelters[0].Service["id"] != s.ID.String() || res.Results["legal"] == nil {
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
	// A card has no address or coordinates, whoever asks.
	for _, key := range []string{"address", "postal_code", "latitude", "longitude"} {
		if _, ok := top.Service[key]; ok {
			t.Errorf("the card carries %q", key)
		}
	}
	if strings.Contains(rec.Body.String(), "Rue Secrète") || top.Service["phone"] == nil || top.Service["organisation_name"] == "" {
		t.Fatalf("card %v: the confidential address leaked, or the phone or organisation is missing", top.Service)
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
	for _, path := range []string{"/hsds/services", "/hsds/services/" + s.ID.String(), "/hsds/organizations",
		"/hsds/organizations/" + f.shelter.ID.String(), "/hsds/taxonomy"} {
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

func TestServicePaging(t *testing.T) {
	f, s := withDirectory(t)
	rec := f.call("POST", "/api/v1/services", "shelteradmin", `{"category":"legal","name":"Legal desk","city":"Brussels","country":"BE"}`)
	status(t, rec, 201)
	second := decode[referral.Service](t, rec).ID.String()
	var ids []string
	next := "/api/v1/services?limit=1&country=BE"
	for next != "" {
		rec := f.call("GET", next, "officer", "")
		status(t, rec, 200)
		page := decode[struct {
			Items []referral.Service
			Next  string
		}](t, rec)
		if len(page.Items) != 1 || (page.Next != "" && !strings.HasPrefix(page.Next, "/api/v1/services?")) {
			t.Fatalf("page %+v at %s", page, next)
		}
		ids = append(ids, page.Items[0].ID.String())
		next = page.Next
	}
	if len(ids) != 2 || ids[0] != s.ID.String() || ids[1] != second {
		t.Fatalf("paged through %v, want %s then %s", ids, s.ID, second)
	}
	// Every malformed parameter is named, in a stable order.
	rec = f.call("GET", "/api/v1/services?after=x&organisation_id=y&limit=0", "officer", "")
	status(t, rec, 422)
	var fields []string
	for _, e := range problem(t, rec).Errors {
		fields = append(fields, e.Field)
	}
	if want := []string{"organisation_id", "after", "limit"}; !slices.Equal(fields, want) {
		t.Fatalf("fields %v, want %v", fields, want)
	}
}

// TestDirectorySnapshot: the phone's copy for matching offline holds the services of the
// officer's country with their free beds, a confidential shelter's point only rounded, and no
// address; only officers and caseworkers get it.
func TestDirectorySnapshot(t *testing.T) {
	f, shelter := withDirectory(t)
	status(t, f.call("POST", "/api/v1/services/"+shelter.ID.String()+"/holds", "officer", `{}`), 201)
	rec := f.call("GET", "/api/v1/directory/snapshot", "officer", "")
	status(t, rec, 200)
	snap := decode[referral.Snapshot](t, rec)
	if snap.Country != "BE" || len(snap.Services) != 1 {
		t.Fatalf("snapshot %+v", snap)
	}
	got := snap.Services[0]
	if got.ID != shelter.ID || got.FreeBeds == nil || *got.FreeBeds != 2 || *got.Latitude != 50.8 || *got.Longitude != 4.4 ||
		!got.AcceptsChildren || len(got.Languages) != 3 {
		t.Fatalf("service %+v", got)
	}
	if strings.Contains(rec.Body.String(), "Rue Secrète") || strings.Contains(rec.Body.String(), `"address"`) {
		t.Fatal("the snapshot carries an address")
	}
	for _, who := range []string{"", "staff", "shelteradmin", "admin", "decider"} {
		want := 403
		if who == "" {
			want = 401
		}
		status(t, f.call("GET", "/api/v1/directory/snapshot", who, ""), want)
	}
}
