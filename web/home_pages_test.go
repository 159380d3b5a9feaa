package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/harbour-nrm/harbour/referral"
)

// homeLines reads a home card's lines: each line's text and where it leads.
func homeLines(t *testing.T, body, card string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, li := range find(parseHTML(t, body), "#"+card+" li") {
		href := ""
		if a := find(li, "a"); len(a) == 1 {
			href = attr(a[0], "href")
		}
		out[text(li)] = href
	}
	return out
}

// Finding 2: every home shows the work waiting, each line a link: the officer with an operation
// today, a person without a bed and referrals waiting; the shelter with a referral waiting, its
// free beds and who it expects; the decision maker's queue in numbers; the org admin's house.
func TestHomesShowRealWork(t *testing.T) {
	s := demoServer(t)
	zh := s.Bundle.Localizer("zh-Hans")
	officer := demoAs(t, s, "officer")
	op, _, err := s.Domain.CreateOperation(officer, referral.OperationInput{ID: uuid.Must(uuid.NewV7()), Name: "Aktion Lotus"})
	if err != nil {
		t.Fatal(err)
	}
	c := brusselsWoman(t, s, true)
	if _, _, err := s.Domain.CreateCase(officer, referral.CaseInput{ID: uuid.Must(uuid.NewV7()), OperationID: &op.ID}); err != nil {
		t.Fatal(err)
	}
	r, _, err := s.Domain.SendReferral(officer, referral.ReferralInput{ID: uuid.Must(uuid.NewV7()), CaseID: c.ID, ServiceID: uuid.MustParse(lotusHouse)})
	if err != nil {
		t.Fatal(err)
	}

	_, body := s.Page(t, s.DemoSignIn(t, "officer@demo.harbour.test"), "/")
	ops := homeLines(t, body, "home-operations")
	if ops[zh.Message("home.operations.line", map[string]any{"Name": "Aktion Lotus", "Count": 1})] != "/operations/"+op.ID.String() {
		t.Fatalf("today's operations: %v", ops)
	}
	// She has a referral to a shelter nobody answered yet: she still has no bed.
	without := homeLines(t, body, "home-without-bed")
	if len(without) != 1 || !strings.Contains(strings.Join(keys(without), ""), c.Reference) || without[firstKey(without)] != "/cases/"+c.ID.String() {
		t.Fatalf("people without a bed: %v", without)
	}
	out := homeLines(t, body, "home-outbox")
	if out[zh.Message("home.waiting.all", map[string]any{"Count": 1})] != "/referrals?box=outbox&status=sent" ||
		out[zh.Message("home.waiting.urgent", map[string]any{"Count": 1})] == "" {
		t.Fatalf("referrals waiting: %v", out)
	}

	staff := s.DemoSignIn(t, "shelter@demo.harbour.test")
	_, body = s.Page(t, staff, "/")
	in := homeLines(t, body, "home-inbox")
	if in[zh.Message("home.waiting.all", map[string]any{"Count": 1})] != "/referrals?box=inbox&status=sent" {
		t.Fatalf("the shelter's inbox card: %v", in)
	}
	beds := homeLines(t, body, "home-beds")
	lotusBeds := zh.Message("home.beds.line", map[string]any{"Service": "莲花之家庇护所", "Unit": "bed", "Count": 6, "Total": 6})
	if beds[lotusBeds] != "/board" {
		t.Fatalf("free beds tonight: %v, want %q", beds, lotusBeds)
	}
	// The shelter accepts; the officer holds a bed there: it is expected, and she has a bed.
	if _, err := s.Domain.Transition(demoAs(t, s, "shelter"), r.ID, referral.ActionAccept, referral.StepInput{}); err != nil {
		t.Fatal(err)
	}
	h, _, err := s.Domain.CreateHold(officer, uuid.MustParse(lotusHouse), referral.HoldInput{ID: uuid.Must(uuid.NewV7()), CaseID: &c.ID})
	if err != nil {
		t.Fatal(err)
	}
	_, body = s.Page(t, staff, "/")
	arrivals := homeLines(t, body, "home-arrivals")
	if len(arrivals) != 1 || arrivals[firstKey(arrivals)] != "/holds/"+h.ID.String() || !strings.Contains(firstKey(arrivals), c.Reference) {
		t.Fatalf("arrivals expected: %v", arrivals)
	}
	if _, ok := homeLines(t, body, "home-beds")[zh.Message("home.beds.line", map[string]any{"Service": "莲花之家庇护所", "Unit": "bed", "Count": 5, "Total": 6})]; !ok {
		t.Fatal("the held bed still counts as free")
	}
	_, body = s.Page(t, s.DemoSignIn(t, "officer@demo.harbour.test"), "/")
	contains(t, body, zh.T("home.without_bed.empty", nil), zh.T("home.outbox.empty", nil))

	// The decision maker: a referral submitted today, due in five working days.
	uk := ukCase(t, s)
	if _, _, err := s.Domain.SubmitNRM(demoAs(t, s, "officer.uk"), referral.NRMInput{ID: uuid.Must(uuid.NewV7()), CaseID: uk.ID, Step: "submit"}); err != nil {
		t.Fatal(err)
	}
	_, body = s.Page(t, s.DemoSignIn(t, "decision.uk@demo.harbour.test"), "/")
	nrm := homeLines(t, body, "home-nrm")
	if nrm[zh.Message("home.nrm.new", map[string]any{"Count": 1})] != "/nrm?all=1" || nrm[zh.Message("home.nrm.overdue", map[string]any{"Count": 0})] != "/nrm" {
		t.Fatalf("the decision maker's card: %v", nrm)
	}

	// The org admin: a service that stopped taking referrals is listed, with its edit page.
	if err := s.DB.Gorm.Exec(`UPDATE services SET accepting = false WHERE id = '019a0000-0000-7000-8000-000000000203'`).Error; err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Domain.CreateUser(cliCtx, referral.UserInput{OrganisationID: uuid.MustParse("019a0000-0000-7000-8000-000000000003"),
		Email: ptr("haven.admin@example.org"), Name: ptr("Haven admin"), Roles: &[]referral.Role{referral.RoleOrgAdmin}, Password: ptr(testPassword)}); err != nil {
		t.Fatal(err)
	}
	c2 := browser(t)
	s.SignIn(t, c2, "haven.admin@example.org")
	_, body = s.Page(t, c2, "/")
	paused := homeLines(t, body, "home-services")
	if paused[zh.Message("home.services.paused", map[string]any{"Service": "哈文之家（鲁汶）"})] != "/services/019a0000-0000-7000-8000-000000000203/edit" {
		t.Fatalf("services not taking referrals: %v", paused)
	}
	users := homeLines(t, body, "home-users")
	if _, ok := users[zh.Message("home.users.active", map[string]any{"Count": 1})]; !ok {
		t.Fatalf("the org admin's users: %v", users)
	}
	// Cards are marked to be fetched again live, as the inbox is.
	if n := len(find(parseHTML(t, body), ".card[data-live][id]")); n < 2 {
		t.Fatalf("%d live cards", n)
	}
}

// ukCase is an adult the London police recorded, with her consent to the NRM referral.
func ukCase(t *testing.T, s *testServer) referral.Case {
	t.Helper()
	ctx := demoAs(t, s, "officer.uk")
	c, _, err := s.Domain.CreateCase(ctx, referral.CaseInput{ID: uuid.Must(uuid.NewV7()), Language: "cmn", Gender: "female", Age: ptr(31)})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, _, err := s.Domain.RecordConsent(ctx, c.ID, referral.ConsentInput{ID: uuid.Must(uuid.NewV7()), Scope: referral.ConsentNRM, Given: &yes,
		Language: "zh-Hans"}); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestHomePageWeight: a busy officer's and a busy shelter's home stay within the inbox's
// budget (forty referrals waiting, forty people without a bed).
func TestHomePageWeight(t *testing.T) {
	s := demoServer(t)
	officer := demoAs(t, s, "officer")
	for i := range 40 {
		c, _, err := s.Domain.CreateCase(officer, referral.CaseInput{ID: uuid.Must(uuid.NewV7()), AppearsMinor: true, Language: "wuu",
			Needs: []string{"bed_tonight"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Domain.SendReferral(officer, referral.ReferralInput{ID: uuid.Must(uuid.NewV7()), CaseID: c.ID,
			ServiceID: uuid.MustParse([]string{lotusHouse, lotusIxelles}[i%2]), Urgent: i%5 == 0}); err != nil {
			t.Fatal(err)
		}
	}
	for _, email := range []string{"officer", "shelter", "decision", "orgadmin", "admin"} {
		c := s.DemoSignIn(t, email+"@demo.harbour.test")
		c.Transport = &http.Transport{DisableCompression: true}
		req, _ := http.NewRequest("GET", s.URL+"/", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		t.Logf("%s's home: %d B gzip", email, len(b))
		if res.StatusCode != 200 || len(b) > inboxBudget {
			t.Errorf("%s's home: %d, %d B compressed, more than the budget of %d B", email, res.StatusCode, len(b), inboxBudget)
		}
	}
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func firstKey(m map[string]string) string {
	for k := range m {
		return k
	}
	return ""
}
