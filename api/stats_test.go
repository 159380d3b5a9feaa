package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/referral/stats"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// statsFixture adds the roles that read or are refused statistics, a competent authority in
// England and Wales and one in the Netherlands, and forty NRM referrals this quarter in
// England and Wales: three women among them, a small count.
func statsFixture(t *testing.T) *fixture {
	f := newFixture(t)
	org := func(name string, kind referral.OrganisationKind, country string) referral.Organisation {
		o, _, err := f.svc.CreateOrganisation(sys, referral.OrganisationInput{Name: &name, Kind: &kind, Country: &country})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	f.addUser("dm", org("Single Competent Authority", referral.KindCompetentAuthority, "GB"), referral.RoleDecisionMaker)
	f.addUser("dm_nl", org("Coordinatiecentrum", referral.KindCompetentAuthority, "NL"), referral.RoleDecisionMaker)
	f.addUser("staff", f.shelter, referral.RoleShelterStaff)
	f.addUser("caseworker", f.shelter, referral.RoleCaseworker)
	err := f.db.Gorm.Exec(`INSERT INTO cases (id, reference, organisation_id, created_at, updated_at)
		SELECT gen_random_uuid(), 'HB-STAT-' || g, ?, now(), now() FROM generate_series(1, 40) g`, f.police.ID).Error
	if err == nil {
		err = f.db.Gorm.Exec(`INSERT INTO nrm_records (id, case_id, kind, jurisdiction, organisation_id, submitted_at, submitted_on,
			state, gender, nationality, referrer_kind, updated_at)
		SELECT gen_random_uuid(), c.id, 'nrm', 'GB-EAW', ?, now(), date_trunc('quarter', now() AT TIME ZONE 'Europe/London')::date,
			'referred', CASE WHEN (row_number() OVER ()) % 13 = 0 THEN 'female' ELSE 'male' END, (ARRAY['AL', 'VN', 'VN', 'GB', 'GB', 'GB', 'GB', 'GB'])[1 + (row_number() OVER ()) % 8], 'police', now()
		FROM cases c WHERE c.reference LIKE 'HB-STAT-%'`, f.police.ID).Error
	}
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestStatsRefusals: only decision makers and admins, a decision maker only for the
// jurisdiction of the organisation's country.
func TestStatsRefusals(t *testing.T) {
	f := statsFixture(t)
	tryEndpoints(t, f, []endpointCase{
		{"Own", "GET", "/api/v1/stats", nil, []attempt{{"", 401}, {"officer", 403}, {"staff", 403}, {"caseworker", 403},
			{"orgadmin", 403}, {"shelteradmin", 403}, {"dm", 200}, {"dm_nl", 200}, {"admin", 200}}},
		{"OtherJurisdiction", "GET", "/api/v1/stats?jurisdiction=NL", nil, []attempt{{"", 401}, {"officer", 403}, {"dm", 403}, {"dm_nl", 200}, {"admin", 200}}},
		{"All", "GET", "/api/v1/stats?jurisdiction=all", nil, []attempt{{"dm", 403}, {"dm_nl", 403}, {"admin", 200}}},
		{"BadQuarter", "GET", "/api/v1/stats?from=2026-1", nil, []attempt{{"", 401}, {"officer", 403}, {"dm", 422}}},
	})
}

// TestStatsAPI reads a decision maker's statistics: valid against the OpenAPI document, small
// counts without their value, the read audited; and a bad quarter is a translated field error.
func TestStatsAPI(t *testing.T) {
	f := statsFixture(t)
	rec := f.call("GET", "/api/v1/stats", "dm", "")
	status(t, rec, 200)
	validResponse(t, f, "/api/v1/stats", rec)
	st := decode[referral.Stats](t, rec)
	if st.Jurisdiction != "GB-EAW" || len(st.Quarters) != 8 || st.To != st.Quarters[7] || len(st.Times) != 2 {
		t.Fatalf("jurisdiction %s, quarters %v, %d times", st.Jurisdiction, st.Quarters, len(st.Times))
	}
	var nationality *stats.Table
	for i := range st.Tables {
		if st.Tables[i].Name == "nationality" {
			nationality = &st.Tables[i]
		}
	}
	if nationality == nil || nationality.Total == nil || *nationality.Total.Total.Value != 40 {
		t.Fatalf("nationality table %+v", nationality)
	}
	// 40 this quarter: GB 25, VN 10, AL 5 — nothing small, so every nationality shows.
	for _, r := range nationality.Rows {
		if c := r.Cells[7]; c.Value == nil || c.Mark != "" {
			t.Fatalf("%v this quarter: %+v", r.Keys, c)
		}
	}
	if !strings.Contains(rec.Body.String(), `"mark":"low"`) {
		t.Fatalf("no small counts in %s", rec.Body)
	}
	var n int64
	f.db.Gorm.Table("audit_events").Where("action = 'stats.read' AND record_id = 'GB-EAW'").Count(&n)
	if n != 1 {
		t.Fatalf("%d reads audited", n)
	}

	rec = f.call("GET", "/api/v1/stats?from=2026Q9&to=2030Q1", "dm", "", "Accept-Language", "en")
	status(t, rec, 422)
	p := problem(t, rec)
	if len(p.Errors) != 1 || p.Errors[0].Field != "from" || !strings.Contains(p.Errors[0].Detail, "2026Q3") {
		t.Fatalf("problem %+v", p)
	}
	rec = f.call("GET", "/api/v1/stats?jurisdiction=XX", "admin", "")
	status(t, rec, 422)
	if p := problem(t, rec); len(p.Errors) != 1 || p.Errors[0].Field != "jurisdiction" || strings.HasPrefix(p.Errors[0].Detail, "stats.") {
		t.Fatalf("problem %+v", p)
	}
}

// validResponse checks a response against the OpenAPI document the server serves.
func validResponse(t *testing.T, f *fixture, path string, rec *httptest.ResponseRecorder) {
	t.Helper()
	doc, err := libopenapi.NewDocument(f.call("GET", "/api/v1/openapi.json", "", "").Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	req, _ := http.NewRequestWithContext(context.Background(), "GET", "http://127.0.0.1:8080"+path, nil)
	if ok, problems := v.ValidateHttpResponse(req, rec.Result()); !ok {
		for _, p := range problems {
			t.Errorf("%s: %s", p.Message, p.Reason)
			for _, e := range p.SchemaValidationErrors {
				t.Errorf("  %s: %s", e.FieldPath, e.Reason)
			}
		}
	}
}
