package api_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/harbour-nrm/harbour/referral"
)

// TestReferralsSent: an officer refers her to a service in state "sent", once however often the
// device retries; an adult must have agreed first; a child is referred without being asked;
// other forces and other roles are refused; the board says she was referred.
func TestReferralsSent(t *testing.T) {
	f, shelter := withDirectory(t)
	f.addUser("stranger", f.addOrganisation("Other police", referral.KindPolice), referral.RoleOfficer)
	op := decode[referral.Operation](t, f.call("POST", "/api/v1/operations", "officer", `{"name":"Lotus"}`))
	adult := decode[referral.Case](t, f.call("POST", "/api/v1/cases", "officer", `{"operation_id":"`+op.ID.String()+`","age":30}`))
	child := decode[referral.Case](t, f.call("POST", "/api/v1/cases", "officer", `{"appears_minor":true}`))
	send := func(who, caseID, extra string) *httptest.ResponseRecorder {
		return f.call("POST", "/api/v1/referrals", who, `{"case_id":"`+caseID+`","service_id":"`+shelter.ID.String()+`"`+extra+`}`, "Accept-Language", "zh-CN")
	}
	rec := send("officer", adult.ID.String(), "")
	status(t, rec, 409)
	if p := problem(t, rec); !strings.Contains(p.Detail, "还没有同意") {
		t.Fatalf("no consent: %+v", p)
	}
	status(t, f.call("POST", "/api/v1/cases/"+adult.ID.String()+"/consents", "officer", `{"scope":"support","given":true,"language":"zh-Hans"}`), 201)
	id := newID()
	hold := decode[referral.Hold](t, f.call("POST", "/api/v1/services/"+shelter.ID.String()+"/holds", "officer", `{"case_id":"`+adult.ID.String()+`"}`))
	first := send("officer", adult.ID.String(), `,"id":"`+id+`","urgent":true,"hold_id":"`+hold.ID.String()+`"`)
	status(t, first, 201)
	r := decode[referral.Referral](t, first)
	if r.Status != referral.ReferralSent || r.ToOrganisationID != f.shelter.ID || r.FromOrganisationID != f.police.ID || !r.Urgent {
		t.Fatalf("referral %+v", r)
	}
	status(t, send("officer", adult.ID.String(), `,"id":"`+id+`"`), 200)
	// A bed is held only for a person the holder's force recorded.
	theirs := decode[referral.Case](t, f.call("POST", "/api/v1/cases", "stranger", `{}`))
	rec = f.call("POST", "/api/v1/services/"+shelter.ID.String()+"/holds", "officer", `{"case_id":"`+theirs.ID.String()+`"}`)
	status(t, rec, 422)
	if p := problem(t, rec); len(p.Errors) != 1 || p.Errors[0].Field != "case_id" || f.count("holds", "case_id = $1", theirs.ID) != 0 {
		t.Fatalf("hold for another force's person: %+v", p)
	}
	status(t, send("officer", child.ID.String(), ""), 201) // a child is not asked
	for _, c := range []struct {
		who, caseID, extra string
		want               int
	}{
		{"", adult.ID.String(), "", 401},
		{"staff", adult.ID.String(), "", 403},
		{"orgadmin", adult.ID.String(), "", 403},
		{"stranger", adult.ID.String(), "", 422},                   // not her force's person
		{"stranger", adult.ID.String(), `,"id":"` + id + `"`, 409}, // nor its referral
		{"officer", adult.ID.String(), `,"hold_id":"` + newID() + `"`, 422},
		{"officer", adult.ID.String(), `,"note":"` + strings.Repeat("x", 1001) + `"`, 422},
	} {
		status(t, send(c.who, c.caseID, c.extra), c.want)
	}
	if n := f.count("referrals", "true"); n != 2 {
		t.Fatalf("%d referrals, want 2", n)
	}
	list := decode[struct{ Items []referral.Referral }](t, f.call("GET", "/api/v1/cases/"+adult.ID.String()+"/referrals", "colleague", ""))
	if len(list.Items) != 1 || list.Items[0].ID.String() != id {
		t.Fatalf("her referrals %+v", list.Items)
	}
	status(t, f.call("GET", "/api/v1/cases/"+adult.ID.String()+"/referrals", "stranger", ""), 404)
	status(t, f.call("GET", "/api/v1/cases/"+adult.ID.String()+"/referrals", "staff", ""), 404)
	board := decode[referral.Board](t, f.call("GET", "/api/v1/operations/"+op.ID.String(), "officer", ""))
	if len(board.Cases) != 1 || board.Cases[0].Status != referral.CaseBedHeld {
		t.Fatalf("board %+v: a held bed outranks the referral", board.Cases)
	}
	status(t, f.call("POST", "/api/v1/holds/"+hold.ID.String()+"/release", "officer", ""), 200)
	board = decode[referral.Board](t, f.call("GET", "/api/v1/operations/"+op.ID.String(), "officer", ""))
	if board.Cases[0].Status != referral.CaseReferred {
		t.Fatalf("board %+v, want referred", board.Cases)
	}
}
