package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
)

// ukWoman is an adult recorded by the demo London officer, who agreed to an NRM referral.
func ukWoman(t *testing.T, s *testServer) (referral.Case, *http.Client) {
	t.Helper()
	officer := s.DemoSignIn(t, "officer.uk@demo.harbour.test")
	ident, err := s.Domain.UserByEmail(cliCtx, "officer.uk@demo.harbour.test")
	if err != nil {
		t.Fatal(err)
	}
	ctx := referral.WithActor(t.Context(), referral.Actor{UserID: ident.ID, OrganisationID: ident.OrganisationID, Roles: ident.Roles})
	c, _, err := s.Domain.CreateCase(ctx, referral.CaseInput{Language: "cmn", Gender: "female", Age: ptr(27), NameOriginal: "陈静"})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, _, err := s.Domain.RecordConsent(ctx, c.ID, referral.ConsentInput{Scope: referral.ConsentNRM, Given: &yes, Language: "zh-Hans"}); err != nil {
		t.Fatal(err)
	}
	return c, officer
}

// A refused NRM referral shows her record again with the reason and what was typed, and
// records nothing; the one that is sent, sent twice, is one record.
func TestNRMSubmitFormKeepsWhatWasTyped(t *testing.T) {
	s := demoServer(t)
	c, officer := ukWoman(t, s)
	page := "/cases/" + c.ID.String()
	id := uuid.Must(uuid.NewV7()).String()
	form := url.Values{"step": {"submit"}, "record_id": {id}, "exploitation_location": {"moon"}, "account": {"她说老板扣押了她的护照"}}
	res := s.Submit(t, officer, page, page+"/nrm", form)
	body := read(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad location: %d", res.StatusCode)
	}
	doc := parseHTML(t, body)
	if got := text(one(t, doc, "#account")); got != "她说老板扣押了她的护照" {
		t.Fatalf("the account typed was lost: %q", got)
	}
	if attr(one(t, doc, `#loc-submit`), "aria-invalid") != "true" || s.Count(t, "nrm_records") != 0 {
		t.Fatal("the bad field is not marked, or something was saved")
	}
	if attr(one(t, doc, `input[name="record_id"]`), "value") != id {
		t.Fatal("the corrected form would submit under another id")
	}
	form.Set("exploitation_location", "domestic")
	if to := s.SubmitTwice(t, officer, page, page+"/nrm", form); to != "/nrm/"+id+"?notice=nrm_submitted" {
		t.Fatalf("submitted, then to %s", to)
	}
	if n := s.Count(t, "nrm_records"); n != 1 {
		t.Fatalf("%d records after submitting twice", n)
	}
	_, body = s.Page(t, officer, "/nrm/"+id)
	if st := attr(one(t, parseHTML(t, body), "#nrm-state [data-nrm-state]"), "data-nrm-state"); st != "referred" {
		t.Fatalf("state %q", st)
	}
}

// The NRM pages refuse the wrong role and other organisations: the queue is for decision
// makers; a record, its steps and its letters are for its parties.
func TestNRMPageRefusals(t *testing.T) {
	s := demoServer(t)
	c, officer := ukWoman(t, s)
	page := "/cases/" + c.ID.String()
	id := uuid.Must(uuid.NewV7()).String()
	if to := s.SubmitTwice(t, officer, page, page+"/nrm", url.Values{"step": {"submit"}, "record_id": {id}}); !strings.HasPrefix(to, "/nrm/"+id) {
		t.Fatalf("submit led to %s", to)
	}
	who := map[string]*http.Client{"": browser(t), "officer.uk": officer}
	for _, name := range []string{"decision.uk", "decision", "officer", "shelter", "caseworker", "orgadmin", "admin"} {
		who[name] = s.DemoSignIn(t, name+"@demo.harbour.test")
	}
	for _, c := range []struct {
		path string
		want map[string]int
	}{
		{"/nrm", map[string]int{"": 303, "decision.uk": 200, "decision": 200, "officer.uk": 403, "officer": 403, "shelter": 403, "admin": 403}},
		{"/nrm/" + id, map[string]int{"": 303, "decision.uk": 200, "officer.uk": 200, "decision": 404, "officer": 404, "shelter": 404,
			"caseworker": 404, "orgadmin": 404, "admin": 404}},
	} {
		for name, want := range c.want {
			if status, _ := s.Page(t, who[name], c.path); status != want {
				t.Errorf("GET %s as %q: %d, want %d", c.path, name, status, want)
			}
		}
	}
	// Only the first responder that recorded her refers her: to anyone else her record is not found.
	for _, name := range []string{"officer", "shelter", "decision.uk", "caseworker"} {
		res := s.Submit(t, who[name], "/", page+"/nrm", url.Values{"step": {"duty_to_notify"}, "record_id": {uuid.Must(uuid.NewV7()).String()}})
		read(t, res)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s/nrm as %q: %d, want 404", page, name, res.StatusCode)
		}
	}
	// The Belgian decision maker's queue does not list her.
	if _, body := s.Page(t, who["decision"], "/nrm"); strings.Contains(body, c.Reference) {
		t.Error("Belgium's competent authority sees a UK referral")
	}
	step := func(name string) url.Values {
		return url.Values{"step": {"rg_positive"}, "step_id": {uuid.Must(uuid.NewV7()).String()}, "reasons": {"理由"}}
	}
	for name, want := range map[string]int{"officer.uk": 403, "decision": 404, "officer": 404, "admin": 404} {
		res := s.Submit(t, who[name], "/", "/nrm/"+id+"/steps", step(name))
		read(t, res)
		if res.StatusCode != want {
			t.Errorf("POST a decision as %q: %d, want %d", name, res.StatusCode, want)
		}
	}
	if n := s.Count(t, "nrm_events WHERE record_id = '"+id+"'"); n != 1 {
		t.Fatalf("refused steps recorded: %d events", n)
	}
	// Without reasons the form comes back, nothing recorded; with them, the letter follows.
	res := s.Submit(t, who["decision.uk"], "/nrm/"+id, "/nrm/"+id+"/steps", url.Values{"step": {"rg_positive"}, "step_id": {uuid.Must(uuid.NewV7()).String()}})
	if read(t, res); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("no reasons: %d", res.StatusCode)
	}
	if to := s.SubmitTwice(t, who["decision.uk"], "/nrm/"+id, "/nrm/"+id+"/steps", step("decision.uk")); to != "/nrm/"+id+"?notice=nrm_step" {
		t.Fatalf("decision led to %s", to)
	}
	var event string
	if err := s.DB.Gorm.Raw(`SELECT id FROM nrm_events WHERE record_id = ? AND decision = 'rg'`, id).Row().Scan(&event); err != nil {
		t.Fatal(err)
	}
	letter := "/nrm/" + id + "/letter/" + event
	for name, want := range map[string]int{"officer.uk": 200, "decision.uk": 200, "decision": 404, "officer": 404, "shelter": 404} {
		if status, _ := s.Page(t, who[name], letter); status != want {
			t.Errorf("GET the letter as %q: %d, want %d", name, status, want)
		}
	}
	_, body := s.Page(t, officer, letter+"?screen=en")
	if !strings.Contains(body, `lang="en"`) || !strings.Contains(body, "reasonable grounds to believe") || !strings.Contains(body, "陈静") {
		t.Fatalf("the English letter:\n%s", body)
	}
}
