package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/harbour-nrm/harbour/referral"
)

// ukFixture adds England & Wales: a police force with an officer, the Single Competent
// Authority with a decision maker and an org admin, and a second police force.
func ukFixture(t *testing.T) *fixture {
	f := newFixture(t)
	mk := func(name string, kind referral.OrganisationKind) referral.Organisation {
		o, _, err := f.svc.CreateOrganisation(sys, referral.OrganisationInput{Name: &name, Kind: &kind, Country: ptr("GB")})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	met, sca, wmp := mk("Met", referral.KindPolice), mk("SCA", referral.KindCompetentAuthority), mk("WMP", referral.KindPolice)
	f.addUser("ukofficer", met, referral.RoleOfficer)
	f.addUser("dm", sca, referral.RoleDecisionMaker)
	f.addUser("scaadmin", sca, referral.RoleOrgAdmin)
	f.addUser("ukother", wmp, referral.RoleOfficer)
	return f
}

// adultWhoAgreed records an adult as the UK officer, with her consent to the NRM referral.
func adultWhoAgreed(t *testing.T, f *fixture) referral.Case {
	c, _, err := f.svc.CreateCase(asUser(f, "ukofficer"), referral.CaseInput{Language: "cmn", Gender: "female", BirthDate: "1990-05-01",
		NameOriginal: "王芳", Nationality: "CN"})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, _, err := f.svc.RecordConsent(asUser(f, "ukofficer"), c.ID, referral.ConsentInput{Scope: referral.ConsentNRM, Given: &yes, Language: "zh-Hans"}); err != nil {
		t.Fatal(err)
	}
	return c
}

// Every NRM endpoint refuses the wrong role and another organisation, and explains a refused
// decision in the caller's language with the day that applies.
func TestNRMEndpointsRefuse(t *testing.T) {
	f := ukFixture(t)
	c := adultWhoAgreed(t, f)
	id := newID()
	body := fmt.Sprintf(`{"id":%q,"case_id":%q,"step":"submit","exploitation_location":"domestic","account":"她被控制"}`, id, c.ID)

	status(t, f.call(http.MethodPost, "/api/v1/nrm", "", body), http.StatusUnauthorized)
	for _, who := range []string{"dm", "scaadmin", "shelteradmin", "orgadmin"} {
		if rec := f.call(http.MethodPost, "/api/v1/nrm", who, body); rec.Code != http.StatusForbidden {
			t.Errorf("%s submitted: %d %s", who, rec.Code, rec.Body)
		}
	}
	rec := f.call(http.MethodPost, "/api/v1/nrm", "ukother", body)
	status(t, rec, http.StatusUnprocessableEntity)
	if p := problem(t, rec); len(p.Errors) != 1 || p.Errors[0].Field != "case_id" {
		t.Fatalf("another force: %+v", p)
	}
	status(t, f.call(http.MethodPost, "/api/v1/nrm", "ukofficer", body), http.StatusCreated)
	status(t, f.call(http.MethodPost, "/api/v1/nrm", "ukofficer", body), http.StatusOK) // the same id: the same record

	// The queue: decision makers only; a Belgian officer or the UK officer is refused.
	for _, who := range []string{"ukofficer", "officer", "scaadmin", "admin"} {
		if rec := f.call(http.MethodGet, "/api/v1/nrm", who, ""); rec.Code != http.StatusForbidden {
			t.Errorf("%s read the queue: %d", who, rec.Code)
		}
	}
	q := decode[struct {
		Items []referral.NRMQueueItem `json:"items"`
	}](t, f.call(http.MethodGet, "/api/v1/nrm", "dm", ""))
	if len(q.Items) != 1 || q.Items[0].Reference != c.Reference || q.Items[0].NextTimer != "rg_decision" {
		t.Fatalf("queue = %+v", q.Items)
	}

	// The record: nobody else sees it, not even that it exists.
	for _, who := range []string{"ukother", "officer", "shelteradmin", "scaadmin", "admin"} {
		if rec := f.call(http.MethodGet, "/api/v1/nrm/"+id, who, ""); rec.Code != http.StatusNotFound {
			t.Errorf("%s read it: %d", who, rec.Code)
		}
	}
	status(t, f.call(http.MethodGet, "/api/v1/nrm/"+id, "", ""), http.StatusUnauthorized)
	view := decode[struct {
		Full   bool               `json:"full"`
		Record referral.NRMRecord `json:"record"`
		Steps  []string           `json:"steps"`
	}](t, f.call(http.MethodGet, "/api/v1/nrm/"+id, "dm", ""))
	if !view.Full || view.Record.Person == nil || view.Record.Account != "她被控制" || !strings.Contains(strings.Join(view.Steps, ","), "rg_positive") {
		t.Fatalf("decision maker's view = %+v", view)
	}

	// Decisions: only the decision maker; the officer may see it but not decide.
	decide := func(step string) string { return fmt.Sprintf(`{"id":%q,"step":%q,"reasons":"理由"}`, newID(), step) }
	rec = f.call(http.MethodPost, "/api/v1/nrm/"+id+"/steps", "ukofficer", decide("rg_positive"))
	status(t, rec, http.StatusForbidden)
	status(t, f.call(http.MethodPost, "/api/v1/nrm/"+id+"/steps", "ukother", decide("rg_positive")), http.StatusNotFound)
	status(t, f.call(http.MethodPost, "/api/v1/nrm/"+id+"/steps", "", decide("rg_positive")), http.StatusUnauthorized)
	rec = f.call(http.MethodPost, "/api/v1/nrm/"+id+"/steps", "dm", `{"step":"rg_positive","reasons":""}`)
	status(t, rec, http.StatusUnprocessableEntity)
	if p := problem(t, rec); len(p.Errors) != 1 || p.Errors[0].Field != "reasons" {
		t.Fatalf("no reasons: %+v", p)
	}
	status(t, f.call(http.MethodPost, "/api/v1/nrm/"+id+"/steps", "dm", decide("rg_positive")), http.StatusCreated)
	// A conclusive decision the same day: refused, with the first day it may come, translated.
	london, _ := time.LoadLocation("Europe/London")
	first := time.Now().In(london).AddDate(0, 0, 30)
	rec = f.call(http.MethodPost, "/api/v1/nrm/"+id+"/steps", "dm", decide("cg_positive"))
	status(t, rec, http.StatusConflict)
	zh := fmt.Sprintf("%d年%d月%d日", first.Year(), int(first.Month()), first.Day())
	if p := problem(t, rec); !strings.Contains(p.Detail, "最终认定裁定最早可在 "+zh) {
		t.Fatalf("zh-Hans detail = %q, want the day %s", p.Detail, zh)
	}
	rec = f.call(http.MethodPost, "/api/v1/nrm/"+id+"/steps", "dm", decide("cg_positive"), "Accept-Language", "en")
	if p := problem(t, rec); !strings.Contains(p.Detail, "at the earliest") || !strings.Contains(p.Detail, first.Format("2 Jan 2006")) {
		t.Fatalf("en detail = %q", p.Detail)
	}
}
