package servertest

import (
	"net/http"
	"testing"
	"time"

	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/referral/nrm"
	"github.com/harbour-nrm/harbour/referral/stats"
)

// StartStatistics is Start with a small NRM population to count: competent authorities in GB
// and NL with their decision makers (dm@, dmnl@, orgadmin@example.org), police, shelter and
// platform users, and 40 referrals in England & Wales this quarter; it returns a signed-in
// client for each ("" for nobody). Three of the referrals are of women: a small count.
func StartStatistics(t testing.TB) (*Server, map[string]*http.Client) {
	t.Helper()
	s := Start(t)
	org := func(name string, kind referral.OrganisationKind, country string) {
		if _, _, err := s.Domain.CreateOrganisation(System, referral.OrganisationInput{Name: &name, Kind: &kind, Country: &country}); err != nil {
			t.Fatal(err)
		}
	}
	org("Single Competent Authority", referral.KindCompetentAuthority, "GB")
	org("Coordinatiecentrum", referral.KindCompetentAuthority, "NL")
	s.User(t, "Single Competent Authority", referral.KindCompetentAuthority, "dm@example.org", referral.RoleDecisionMaker)
	s.User(t, "Single Competent Authority", referral.KindCompetentAuthority, "orgadmin@example.org", referral.RoleOrgAdmin)
	s.User(t, "Coordinatiecentrum", referral.KindCompetentAuthority, "dmnl@example.org", referral.RoleDecisionMaker)
	police := s.User(t, "Police", referral.KindPolice, "officer@example.org", referral.RoleOfficer)
	s.User(t, "Shelter", referral.KindShelter, "staff@example.org", referral.RoleShelterStaff)
	s.User(t, "Shelter", referral.KindShelter, "caseworker@example.org", referral.RoleCaseworker)
	s.User(t, "Platform", referral.KindOther, "admin@example.org", referral.RoleAdmin)
	if _, err := s.DB.SQL.Exec(`INSERT INTO cases (id, reference, organisation_id, created_at, updated_at)
		SELECT gen_random_uuid(), 'HB-STAT-' || g, $1, now(), now() FROM generate_series(1, 40) g`, police.OrganisationID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.SQL.Exec(`INSERT INTO nrm_records (id, case_id, kind, jurisdiction, organisation_id, submitted_at, submitted_on,
			state, gender, nationality, referrer_kind, updated_at)
		SELECT gen_random_uuid(), c.id, 'nrm', 'GB-EAW', $1, now(), date_trunc('quarter', now() AT TIME ZONE 'Europe/London')::date,
			'referred', CASE WHEN (row_number() OVER ()) % 13 = 0 THEN 'female' ELSE 'male' END,
			(ARRAY['AL', 'VN', 'VN', 'GB', 'GB', 'GB', 'GB', 'GB'])[1 + (row_number() OVER ()) % 8], 'police', now()
		FROM cases c WHERE c.reference LIKE 'HB-STAT-%'`, police.OrganisationID); err != nil {
		t.Fatal(err)
	}
	clients := map[string]*http.Client{"": Browser(t)}
	for _, who := range []string{"dm", "dmnl", "orgadmin", "officer", "staff", "caseworker", "admin"} {
		clients[who] = Browser(t)
		s.SignIn(t, clients[who], who+"@example.org")
	}
	return s, clients
}

// CurrentQuarter is the quarter it is in England and Wales, where StartStatistics's referrals are.
func CurrentQuarter() stats.Quarter {
	london, _ := time.LoadLocation("Europe/London")
	return stats.QuarterOf(nrm.DayOf(time.Now(), london))
}

// QuarterText is a quarter as the statistics page writes it in a language.
func (s *Server) QuarterText(lang string, q stats.Quarter) string {
	return s.Bundle.Localizer(lang).T("stats.quarter", map[string]any{"Year": q.Year, "Quarter": q.N})
}
