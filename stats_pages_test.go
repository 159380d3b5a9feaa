package main

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/harbour-nrm/harbour/referral"
)

// statsServer has a decision maker in England and Wales and one in the Netherlands, an admin,
// the roles that are refused, and 40 NRM referrals this quarter in England and Wales, three
// of them women (a small count).
func statsServer(t *testing.T) (*testServer, map[string]*http.Client) {
	t.Helper()
	s := startServer(t)
	org := func(name string, kind referral.OrganisationKind, country string) {
		if _, _, err := s.Domain.CreateOrganisation(cliCtx, referral.OrganisationInput{Name: &name, Kind: &kind, Country: &country}); err != nil {
			t.Fatal(err)
		}
	}
	org("Single Competent Authority", referral.KindCompetentAuthority, "GB")
	org("Coordinatiecentrum", referral.KindCompetentAuthority, "NL")
	s.user(t, "Single Competent Authority", referral.KindCompetentAuthority, "dm@example.org", referral.RoleDecisionMaker)
	s.user(t, "Single Competent Authority", referral.KindCompetentAuthority, "orgadmin@example.org", referral.RoleOrgAdmin)
	s.user(t, "Coordinatiecentrum", referral.KindCompetentAuthority, "dmnl@example.org", referral.RoleDecisionMaker)
	police := s.user(t, "Police", referral.KindPolice, "officer@example.org", referral.RoleOfficer)
	s.user(t, "Shelter", referral.KindShelter, "staff@example.org", referral.RoleShelterStaff)
	s.user(t, "Shelter", referral.KindShelter, "caseworker@example.org", referral.RoleCaseworker)
	s.user(t, "Platform", referral.KindOther, "admin@example.org", referral.RoleAdmin)
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
	clients := map[string]*http.Client{"": browser(t)}
	for _, who := range []string{"dm", "dmnl", "orgadmin", "officer", "staff", "caseworker", "admin"} {
		clients[who] = browser(t)
		s.signIn(t, clients[who], who+"@example.org")
	}
	return s, clients
}

// TestStatsPageRefusals: the page and the file for decision makers (of their own
// jurisdiction) and admins only.
func TestStatsPageRefusals(t *testing.T) {
	s, clients := statsServer(t)
	for _, path := range []string{"/stats", "/stats.csv"} {
		for _, tc := range []struct {
			who, query string
			want       int
		}{
			{"", "", 303}, {"officer", "", 403}, {"staff", "", 403}, {"caseworker", "", 403}, {"orgadmin", "", 403},
			{"dm", "", 200}, {"dmnl", "", 200}, {"admin", "", 200}, {"admin", "?jurisdiction=all", 200},
			{"dm", "?jurisdiction=NL", 403}, {"dm", "?jurisdiction=all", 403}, {"dmnl", "?jurisdiction=GB-EAW", 403},
		} {
			if status, _ := s.page(t, clients[tc.who], path+tc.query); status != tc.want {
				t.Errorf("%s%s as %q: %d, want %d", path, tc.query, tc.who, status, tc.want)
			}
		}
	}
	for who, shown := range map[string]bool{"dm": true, "admin": true, "officer": false, "orgadmin": false} {
		_, body := s.page(t, clients[who], "/")
		if got := len(find(parseHTML(t, body), `nav a[href="/stats"]`)) == 1; got != shown {
			t.Errorf("%s: a link to the statistics in the navigation: %v, want %v", who, got, shown)
		}
	}
}

// TestStatsPage: the decision maker's statistics in Chinese: a chart with its title and
// description for each dimension, a real table beside it, small counts as "<5", the legend,
// and a link to the file; a bad quarter comes back with its message and what was typed.
func TestStatsPage(t *testing.T) {
	s, clients := statsServer(t)
	status, body := s.page(t, clients["dm"], "/stats")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	doc := parseHTML(t, body)
	contains(t, body, `<html lang="zh-Hans"`, "国家转介机制统计", "英格兰和威尔士", "如何阅读这些数字")
	gender := one(t, doc, `section#stats-gender-section`)
	// The men's total is withheld to protect the women's "<5", and neither is drawn: no chart.
	if charts := find(gender, "svg"); len(charts) != 0 {
		t.Fatal("a chart of suppressed totals")
	}
	nationality := one(t, doc, `section#stats-nationality-section`)
	svg := one(t, nationality, `svg[role="img"]`)
	labelled := strings.Fields(attr(svg, "aria-labelledby"))
	if len(labelled) != 2 || text(one(t, svg, "title#"+labelled[0])) != "按国籍：所选期间的合计" || text(one(t, svg, "desc#"+labelled[1])) == "" {
		t.Fatalf("chart not described: %s", attr(svg, "aria-labelledby"))
	}
	if bars := find(svg, "rect"); len(bars) != 3 {
		t.Fatalf("%d nationality bars, want 3", len(bars))
	}
	contains(t, text(nationality), "英国", "越南", "阿尔巴尼亚")
	table := one(t, gender, "table")
	if text(one(t, table, "caption")) != "按性别" || len(find(table, `th[scope="col"]`)) != 10 {
		t.Fatalf("gender table: caption %q, %d column headers", text(one(t, table, "caption")), len(find(table, `th[scope="col"]`)))
	}
	var female []string
	for _, row := range find(table, "tbody tr") {
		if text(one(t, row, `th[scope="row"]`)) == "女性" {
			for _, td := range find(row, "td") {
				female = append(female, text(td))
			}
		}
	}
	if len(female) != 9 || female[7] != "<5" || female[8] != "<5" || female[0] != "0" {
		t.Fatalf("women's row %v", female)
	}
	csvLink := one(t, doc, `a[href^="/stats.csv?"]`)
	if !strings.Contains(attr(csvLink, "href"), "jurisdiction=GB-EAW") {
		t.Fatalf("file link %s", attr(csvLink, "href"))
	}

	status, body = s.page(t, clients["dm"], "/stats?from=2026-Q1&to=2026Q4")
	if status != 422 {
		t.Fatalf("bad quarter: %d", status)
	}
	doc = parseHTML(t, body)
	if in := one(t, doc, "input#from"); attr(in, "value") != "2026-Q1" || attr(in, "aria-invalid") != "true" {
		t.Fatalf("from field %v", in.Attr)
	}
	contains(t, body, "请按年份加季度的格式填写，例如 2026Q3。")
	var reads int
	if err := s.DB.SQL.QueryRow(`SELECT count(*) FROM audit_events WHERE action = 'stats.read'`).Scan(&reads); err != nil || reads != 1 {
		t.Fatalf("%d reads audited (%v), want 1: the refused filter read nothing", reads, err)
	}

	_, body = s.page(t, clients["dm"], "/stats?lang=en")
	contains(t, body, "NRM statistics", "By gender", "Waiting for a reasonable grounds decision", "Q4 2026")
}

// TestStatsCSV: the file opens in Excel in Chinese (UTF-8 with a byte-order mark), with
// translated headers and small counts as on the page.
func TestStatsCSV(t *testing.T) {
	s, clients := statsServer(t)
	res, err := clients["dm"].Get(s.URL + "/stats.csv")
	if err != nil {
		t.Fatal(err)
	}
	body := read(t, res)
	if ct, cd := res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"); ct != "text/csv; charset=utf-8" ||
		!strings.HasPrefix(cd, `attachment; filename="harbour-stats-GB-EAW-`) {
		t.Fatalf("Content-Type %q, Content-Disposition %q", ct, cd)
	}
	b, ok := bytes.CutPrefix([]byte(body), []byte("\uFEFF"))
	if !ok {
		t.Fatal("no byte-order mark")
	}
	records, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(records[0], ",") != "表格,类别,期间,数值" {
		t.Fatalf("headers %v", records[0])
	}
	found := map[string]string{}
	for _, r := range records[1:] {
		if r[0] == "按性别" {
			found[r[1]+" "+r[2]] = r[3]
		}
	}
	if found["女性 合计"] != "<5" || found["男性 合计"] != "[c]" || found["合计 合计"] != "40" {
		t.Fatalf("gender lines %v", found)
	}
}
