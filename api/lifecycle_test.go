package api_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/harbour-nrm/harbour/referral"
)

// lifecycleFixture is a police force referring children (no consent asked) to a shelter.
func lifecycleFixture(t testing.TB) (*fixture, func() string) {
	f, shelter := withDirectory(t)
	f.addUser("shelterworker", f.shelter, referral.RoleCaseworker)
	refer := func() string {
		t.Helper()
		c := decode[referral.Case](t, f.call("POST", "/api/v1/cases", "officer", `{"appears_minor":true}`))
		rec := f.call("POST", "/api/v1/referrals", "officer", `{"case_id":"`+c.ID.String()+`","service_id":"`+shelter.ID.String()+`"}`)
		status(t, rec, 201)
		return decode[referral.Referral](t, rec).ID.String()
	}
	return f, refer
}

// bodies are what each step says when taken.
var bodies = map[string]string{
	"accept": `{}`, "decline": `{"reason_code":"no_capacity","note":"full tonight"}`, "request_info": `{"note":"Does she need a cot?"}`,
	"answer_info": `{"note":"Yes, one cot."}`, "start": ``, "complete": `{"note":"Stayed two weeks; moved on to a safe house."}`, "withdraw": `{}`,
}

// who takes each step: the receiving shelter's staff, or the referring officer.
var taker = map[string]string{"accept": "staff", "decline": "staff", "request_info": "staff", "answer_info": "officer",
	"start": "staff", "complete": "staff", "withdraw": "officer"}

// reach takes a new referral to a status by the shortest way, and returns it.
func reach(t *testing.T, f *fixture, refer func() string, to referral.ReferralStatus) string {
	t.Helper()
	id := refer()
	path := map[referral.ReferralStatus][]string{
		referral.ReferralSent: nil, referral.ReferralInfoRequested: {"request_info"}, referral.ReferralAccepted: {"accept"},
		referral.ReferralInProgress: {"accept", "start"}, referral.ReferralDeclined: {"decline"},
		referral.ReferralCompleted: {"accept", "start", "complete"}, referral.ReferralWithdrawn: {"withdraw"},
	}[to]
	for _, step := range path {
		status(t, f.call("POST", "/api/v1/referrals/"+id+"/"+step, taker[step], bodies[step]), 200)
	}
	return id
}

// TestReferralLifecycle takes every step from every state, by the side that may: allowed steps
// move the referral and add one event; the others are a translated 409 and change nothing.
// Every allowed step, taken again (also from the state it led to), answers the same and records
// nothing more.
func TestReferralLifecycle(t *testing.T) {
	f, refer := lifecycleFixture(t)
	allowed := map[string][]referral.ReferralStatus{
		"accept": {"sent", "info_requested"}, "decline": {"sent", "info_requested"}, "request_info": {"sent"},
		"answer_info": {"info_requested"}, "start": {"accepted"}, "complete": {"in_progress"},
		"withdraw": {"sent", "info_requested", "accepted", "in_progress"},
	}
	target := map[string]referral.ReferralStatus{"accept": "accepted", "decline": "declined", "request_info": "info_requested",
		"answer_info": "sent", "start": "in_progress", "complete": "completed", "withdraw": "withdrawn"}
	states := []referral.ReferralStatus{"sent", "info_requested", "accepted", "in_progress", "declined", "completed", "withdrawn"}
	for _, action := range []string{"accept", "decline", "request_info", "answer_info", "start", "complete", "withdraw"} {
		for _, from := range states {
			t.Run(action+" from "+string(from), func(t *testing.T) {
				id := reach(t, f, refer, from)
				events := f.count("referral_events", "referral_id = $1", id)
				rec := f.call("POST", "/api/v1/referrals/"+id+"/"+action, taker[action], bodies[action], "Accept-Language", "zh-CN")
				if from == target[action] && action != "answer_info" {
					// Reached by this very step: a retry, answered as it stands, recording nothing.
					status(t, rec, 200)
					if n := f.count("referral_events", "referral_id = $1", id); n != events {
						t.Fatal("a retried step was recorded again")
					}
					return
				}
				if !slices.Contains(allowed[action], from) {
					status(t, rec, 409)
					if p := problem(t, rec); p.Detail != "这项转介现在的状态不允许这样做。" {
						t.Fatalf("problem %+v", p)
					}
					if n := f.count("referral_events", "referral_id = $1", id); n != events {
						t.Fatal("a refused step was recorded")
					}
					return
				}
				status(t, rec, 200)
				if got := decode[referral.Referral](t, rec).Status; got != target[action] {
					t.Fatalf("status %s, want %s", got, target[action])
				}
				// Again, as after a lost answer: the same, and nothing more recorded.
				status(t, f.call("POST", "/api/v1/referrals/"+id+"/"+action, taker[action], bodies[action]), 200)
				if n := f.count("referral_events", "referral_id = $1", id); n != events+1 {
					t.Fatalf("%d events after a retried step, want %d", n, events+1)
				}
			})
		}
	}
}

// TestReferralStepIdempotentByID: a step sent twice with its device-chosen ID is taken once,
// even when another step came in between; the ID cannot be reused for another step.
func TestReferralStepIdempotentByID(t *testing.T) {
	f, refer := lifecycleFixture(t)
	id := refer()
	step := newID()
	status(t, f.call("POST", "/api/v1/referrals/"+id+"/request_info", "staff", `{"id":"`+step+`","note":"Her shoe size?"}`), 200)
	status(t, f.call("POST", "/api/v1/referrals/"+id+"/answer_info", "officer", `{"note":"38"}`), 200)
	rec := f.call("POST", "/api/v1/referrals/"+id+"/request_info", "staff", `{"id":"`+step+`","note":"Her shoe size?"}`)
	status(t, rec, 200)
	if got := decode[referral.Referral](t, rec).Status; got != referral.ReferralSent {
		t.Fatalf("the retried question moved the referral to %s", got)
	}
	status(t, f.call("POST", "/api/v1/referrals/"+id+"/accept", "staff", `{"id":"`+step+`"}`), 409)
	timeline := decode[struct{ Items []referral.ReferralEvent }](t, f.call("GET", "/api/v1/referrals/"+id+"/events", "officer", ""))
	var steps []string
	for _, e := range timeline.Items {
		steps = append(steps, string(e.Action))
	}
	if len(steps) != 3 || steps[0] != "send" || steps[1] != "request_info" || steps[2] != "answer_info" || timeline.Items[1].Note != "Her shoe size?" {
		t.Fatalf("timeline %v", steps)
	}
}

// TestReferralStepRefusals: only the side a step belongs to, with a role for it, takes it;
// other organisations do not see the referral; bad words are named.
func TestReferralStepRefusals(t *testing.T) {
	f, refer := lifecycleFixture(t)
	id := refer()
	for _, c := range []struct {
		who, action, body string
		want              int
	}{
		{"", "accept", `{}`, 401},
		{"officer", "accept", `{}`, 403},      // the referrer cannot answer for the shelter
		{"staff", "withdraw", `{}`, 403},      // nor the shelter withdraw for the referrer
		{"staff", "answer_info", `{}`, 403},   // nor answer its own question
		{"otherstaff", "accept", `{}`, 404},   // another shelter does not see it
		{"shelteradmin", "accept", `{}`, 404}, // an org admin manages users, not referrals
		{"decider", "accept", `{}`, 404},
		{"staff", "fly", `{}`, 404},
		{"staff", "decline", `{"reason_code":"moon"}`, 422},
		{"staff", "decline", `{}`, 422},
		{"staff", "accept", `{"reason_code":"no_capacity"}`, 422},
		{"staff", "request_info", `{}`, 422},
	} {
		status(t, f.call("POST", "/api/v1/referrals/"+id+"/"+c.action, c.who, c.body), c.want)
	}
	if n := f.count("referral_events", "referral_id = $1", id); n != 1 {
		t.Fatalf("%d events after refused steps, want the send alone", n)
	}
	// The shelter's caseworker may answer too; both sides read the referral and its timeline.
	status(t, f.call("POST", "/api/v1/referrals/"+id+"/accept", "shelterworker", ``), 200)
	for _, who := range []string{"officer", "colleague", "staff", "shelterworker"} {
		status(t, f.call("GET", "/api/v1/referrals/"+id, who, ""), 200)
		status(t, f.call("GET", "/api/v1/referrals/"+id+"/events", who, ""), 200)
	}
	for _, who := range []string{"otherstaff", "shelteradmin", "orgadmin", "decider"} {
		status(t, f.call("GET", "/api/v1/referrals/"+id, who, ""), 404)
		status(t, f.call("GET", "/api/v1/referrals/"+id+"/events", who, ""), 404)
	}
	status(t, f.call("GET", "/api/v1/referrals/"+id+"/events", "", ""), 401)
}

// TestReferralBoxes: the shelter's inbox puts what waits first, urgent on top; the officer's
// outbox shows where each referral stands; other organisations see neither.
func TestReferralBoxes(t *testing.T) {
	f, refer := lifecycleFixture(t)
	answered, waiting := refer(), refer()
	status(t, f.call("POST", "/api/v1/referrals/"+answered+"/accept", "staff", ``), 200)
	inbox := decode[struct{ Items []referral.Referral }](t, f.call("GET", "/api/v1/referrals?box=inbox", "staff", ""))
	if len(inbox.Items) != 2 || inbox.Items[0].ID.String() != waiting || inbox.Items[1].Status != referral.ReferralAccepted {
		t.Fatalf("inbox %+v", inbox.Items)
	}
	outbox := decode[struct{ Items []referral.Referral }](t, f.call("GET", "/api/v1/referrals?box=outbox&status=accepted", "colleague", ""))
	if len(outbox.Items) != 1 || outbox.Items[0].ID.String() != answered {
		t.Fatalf("outbox %+v", outbox.Items)
	}
	for _, c := range []struct {
		who, query string
		want       int
	}{{"otherstaff", "box=inbox", 200}, {"shelteradmin", "box=inbox", 403}, {"", "box=inbox", 401}, {"staff", "box=mine", 422}} {
		rec := f.call("GET", "/api/v1/referrals?"+c.query, c.who, "")
		status(t, rec, c.want)
		if c.who == "otherstaff" && len(decode[struct{ Items []referral.Referral }](t, rec).Items) != 0 {
			t.Fatal("another shelter sees this shelter's inbox")
		}
	}
}

// TestReferralPersonMinimisation: the receiver sees exactly what she agreed to share with it;
// nothing after she withdraws; never where she was found; every read audited.
func TestReferralPersonMinimisation(t *testing.T) {
	f, shelter := withDirectory(t)
	c := decode[referral.Case](t, f.call("POST", "/api/v1/cases", "officer", `{"age":30,"name_original":"王小梅","language":"wuu",
		"found_at":"Rue Cachée 3","indicators":["deceptive_recruitment"]}`))
	consent := func(scope string, given bool, orgs string) {
		t.Helper()
		body := `{"scope":"` + scope + `","given":` + map[bool]string{true: "true", false: "false"}[given] + `,"language":"zh-Hans"` + orgs + `}`
		status(t, f.call("POST", "/api/v1/cases/"+c.ID.String()+"/consents", "officer", body), 201)
	}
	consent("support", true, "")
	rec := f.call("POST", "/api/v1/referrals", "officer", `{"case_id":"`+c.ID.String()+`","service_id":"`+shelter.ID.String()+`"}`)
	status(t, rec, 201)
	path := "/api/v1/referrals/" + decode[referral.Referral](t, rec).ID.String() + "/person"
	read := func(who string) referral.SharedPerson {
		t.Helper()
		rec := f.call("GET", path, who, "")
		status(t, rec, 200)
		for _, secret := range []string{"Rue Cachée", "found_at", "indicators", "deceptive_recruitment"} {
			if strings.Contains(rec.Body.String(), secret) {
				t.Fatalf("%s reads %q", who, secret)
			}
		}
		return decode[referral.SharedPerson](t, rec)
	}
	if p := read("staff"); p.Shared || p.NameOriginal != "" || p.Language != "" || p.Reference != c.Reference {
		t.Fatalf("before she agreed to share: %+v", p)
	}
	consent("share", true, `,"organisations":["`+f.shelter.ID.String()+`"]`)
	if p := read("staff"); !p.Shared || p.NameOriginal != "王小梅" || p.Language != "wuu" || *p.Age != 30 {
		t.Fatalf("after she agreed: %+v", p)
	}
	consent("share", true, `,"organisations":["`+f.police.ID.String()+`"]`) // with others only
	if p := read("staff"); p.Shared || p.NameOriginal != "" {
		t.Fatalf("shared with others only: %+v", p)
	}
	consent("share", true, "")
	if p := read("staff"); !p.Shared {
		t.Fatalf("shared with those who help her: %+v", p)
	}
	consent("share", false, "") // withdrawn
	if p := read("staff"); p.Shared || p.NameOriginal != "" || p.Gender != "" || p.Age != nil {
		t.Fatalf("after she withdrew: %+v", p)
	}
	if p := read("officer"); !p.Shared || p.NameOriginal != "王小梅" {
		t.Fatalf("the referrer, who recorded her: %+v", p)
	}
	for _, who := range []string{"otherstaff", "shelteradmin", "decider"} {
		status(t, f.call("GET", path, who, ""), 404)
	}
	if n := f.count("audit_events", "action = 'case.read' AND record_id = $1 AND detail->>'via_referral' IS NOT NULL", c.ID.String()); n != 6 {
		t.Fatalf("%d reads audited, want 6", n)
	}
}

// TestAcceptingConfirmsTheHold: a shelter accepting a referral that came with a bed held there
// expects her: the hold is confirmed, and the officer may now see the address.
func TestAcceptingConfirmsTheHold(t *testing.T) {
	f, shelter := withDirectory(t)
	c := decode[referral.Case](t, f.call("POST", "/api/v1/cases", "officer", `{"appears_minor":true}`))
	hold := decode[referral.Hold](t, f.call("POST", "/api/v1/services/"+shelter.ID.String()+"/holds", "officer", `{"case_id":"`+c.ID.String()+`"}`))
	rec := f.call("POST", "/api/v1/referrals", "officer", `{"case_id":"`+c.ID.String()+`","service_id":"`+shelter.ID.String()+`","hold_id":"`+hold.ID.String()+`"}`)
	status(t, rec, 201)
	id := decode[referral.Referral](t, rec).ID.String()
	if strings.Contains(f.call("GET", "/api/v1/services/"+shelter.ID.String(), "officer", "").Body.String(), "Rue Secrète") {
		t.Fatal("the address shows before the shelter accepted")
	}
	status(t, f.call("POST", "/api/v1/referrals/"+id+"/accept", "staff", ``), 200)
	if h := decode[referral.Hold](t, f.call("GET", "/api/v1/holds/"+hold.ID.String(), "officer", "")); h.Status != referral.HoldConfirmed {
		t.Fatalf("hold %s after acceptance, want confirmed", h.Status)
	}
	if !strings.Contains(f.call("GET", "/api/v1/services/"+shelter.ID.String(), "officer", "").Body.String(), "Rue Secrète") {
		t.Fatal("the officer cannot find the shelter that expects her")
	}
}
