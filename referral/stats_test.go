package referral_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/referral/nrm"
	"github.com/harbour-nrm/harbour/referral/referraltest"
	"github.com/harbour-nrm/harbour/referral/stats"
	"github.com/harbour-nrm/harbour/referral/stats/statstest"
)

// statsToday is the test clock's day: 2026Q4 is the current quarter.
var statsToday = nrm.Date(2026, time.November, 20)

// statsWorld is a domain on a fresh database with an organisation for each role the
// statistics are refused or shown to, and police in each jurisdiction of the population.
type statsWorld struct {
	e    *env
	as   map[string]context.Context // admin, dm (GB), dm_nl, officer, shelter_staff, caseworker, org_admin
	orgs map[string]uuid.UUID       // the police submitting in each jurisdiction
}

func newStatsWorld(tb testing.TB) *statsWorld {
	tb.Helper()
	rw := referraltest.New(tb)
	svc := rw.Domain
	w := &statsWorld{e: &env{World: rw, svc: svc, clock: rw.Clock, db: rw.DB}, as: map[string]context.Context{}, orgs: map[string]uuid.UUID{}}
	org := func(name string, kind referral.OrganisationKind, country string) referral.Organisation {
		o, _, err := svc.CreateOrganisation(system, referral.OrganisationInput{Name: &name, Kind: &kind, Country: &country})
		if err != nil {
			tb.Fatal(err)
		}
		return o
	}
	user := func(name string, o referral.Organisation, role referral.Role) {
		roles := []referral.Role{role}
		u, _, err := svc.CreateUser(system, referral.UserInput{OrganisationID: o.ID, Email: ptr(name + "@stats.example.org"),
			Name: ptr(name), Roles: &roles, Password: ptr(testPassword)})
		if err != nil {
			tb.Fatal(err)
		}
		w.as[name] = as(u)
	}
	for code, country := range map[string]string{"GB-EAW": "GB", "NL": "NL", "BE": "BE"} {
		w.orgs[code] = org("Police "+code, referral.KindPolice, country).ID
	}
	user("admin", org("Platform", referral.KindOther, "GB"), referral.RoleAdmin)
	authority := org("Single Competent Authority", referral.KindCompetentAuthority, "GB")
	user("dm", authority, referral.RoleDecisionMaker)
	user("org_admin", authority, referral.RoleOrgAdmin)
	user("dm_nl", org("Coordinatiecentrum", referral.KindCompetentAuthority, "NL"), referral.RoleDecisionMaker)
	police := org("Police GB", referral.KindPolice, "GB")
	user("officer", police, referral.RoleOfficer)
	shelter := org("Shelter GB", referral.KindShelter, "GB")
	user("shelter_staff", shelter, referral.RoleShelterStaff)
	user("caseworker", shelter, referral.RoleCaseworker)
	return w
}

// TestStatsPopulation checks every published number of the statistics of 20,000 referrals
// against the counts made in Go: each shown count exactly, each "<5" truly 1 to 4, each "[c]"
// truly 5 or more; no suppressed count can be worked out by the attacker, and the tables
// sharing the totals row show it alike.
func TestStatsPopulation(t *testing.T) {
	w := newStatsWorld(t)
	p := generatePopulation(20000, statsToday)
	start := time.Now()
	p.load(t, w.e, w.orgs)
	t.Logf("loaded %d records in %v", len(p.records), time.Since(start))
	all := w.e.svc.Jurisdictions().Codes()
	for _, tc := range []struct {
		name, who string
		q         referral.StatsQuery
		scope     []string
		from, to  string
	}{
		{"AdminGB", "admin", referral.StatsQuery{Jurisdiction: "GB-EAW"}, []string{"GB-EAW"}, "2025Q1", "2026Q4"},
		{"AdminAll", "admin", referral.StatsQuery{}, all, "2025Q1", "2026Q4"},
		{"DecisionMakerOwn", "dm", referral.StatsQuery{}, []string{"GB-EAW"}, "2025Q1", "2026Q4"},
		{"DecisionMakerNL", "dm_nl", referral.StatsQuery{Jurisdiction: "nl", From: "2025q2", To: "2026Q1"}, []string{"NL"}, "2025Q2", "2026Q1"},
		{"PastPeriod", "admin", referral.StatsQuery{Jurisdiction: "GB-EAW", From: "2024Q4", To: "2025Q4"}, []string{"GB-EAW"}, "2024Q4", "2025Q4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := w.e.svc.Stats(w.as[tc.who], tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if st.From.String() != tc.from || st.To.String() != tc.to || len(st.Quarters) != st.To.Since(st.From)+1 {
				t.Fatalf("period %s–%s (%d quarters), want %s–%s", st.From, st.To, len(st.Quarters), tc.from, tc.to)
			}
			var deciders []string
			for _, code := range tc.scope {
				j, _ := w.e.svc.Jurisdictions().Get(code)
				if slices.Contains(j.Decisions(), "rg") && slices.Contains(j.Decisions(), "cg") {
					deciders = append(deciders, code)
				}
			}
			checkStats(t, st, p.expect(tc.scope, deciders, st.Quarters))
		})
	}
}

// checkStats compares published statistics with the expected counts and attacks every table.
func checkStats(t *testing.T, st referral.Stats, x expected) {
	t.Helper()
	known := map[int]int{} // the dimensions' totals row, wherever one of them shows a cell
	var dims []stats.Table
	marks := map[string]int{}
	for _, tbl := range st.Tables {
		if tbl.Withheld {
			t.Errorf("%s: withheld", tbl.Name)
			continue
		}
		if !slices.Equal(tbl.Columns, x.columns[tbl.Name]) && x.columns[tbl.Name] != nil {
			t.Errorf("%s: columns %v, want %v", tbl.Name, tbl.Columns, x.columns[tbl.Name])
		}
		rows := x.tables[tbl.Name]
		tr := statstest.Truth{Totals: make([]int, len(tbl.Columns)+1)}
		listed := map[string]bool{}
		for _, r := range tbl.Rows {
			row := make([]int, len(tbl.Columns)+1)
			for _, k := range r.Keys {
				listed[k] = true
				for j, v := range rows[k] {
					row[j] += v
					row[len(tbl.Columns)] += v
				}
			}
			tr.Rows = append(tr.Rows, row)
			for j, v := range row {
				tr.Totals[j] += v
			}
		}
		for k, counts := range rows {
			if !listed[k] && slices.ContainsFunc(counts, func(v int) bool { return v > 0 }) {
				t.Errorf("%s: %s has counts %v but no row", tbl.Name, k, counts)
			}
		}
		statstest.CheckTable(t, tbl, tr)
		for k, n := range statstest.Suppressed(tbl) {
			marks[k] += n
		}
		if slices.Contains(stats.Dimensions, tbl.Name) {
			dims = append(dims, tbl)
			for j, c := range append(slices.Clone(tbl.Total.Cells), *tbl.Total.Total) {
				if c.Value != nil {
					known[j] = *c.Value
				}
			}
		}
	}
	if marks[stats.MarkLow] == 0 || marks[stats.MarkWithheld] == 0 {
		t.Errorf("marks %v: the population has no small counts, so the test proves nothing", marks)
	}
	for _, tbl := range st.Tables {
		statstest.Attack(t, tbl, known)
	}
	for _, tbl := range dims[1:] {
		if a, b := statstest.Show(stats.Table{Total: tbl.Total}), statstest.Show(stats.Table{Total: dims[0].Total}); a != b {
			t.Errorf("%s shows the totals %s, %s shows %s", tbl.Name, a, dims[0].Name, b)
		}
	}
	checkTimes(t, st, x)
}

// checkTimes compares the decision times with the medians and 90th percentiles of the delays.
func checkTimes(t *testing.T, st referral.Stats, x expected) {
	t.Helper()
	if len(st.Times) == 0 && (st.Jurisdiction == "GB-EAW" || st.Jurisdiction == referral.AllJurisdictions) {
		t.Fatal("no decision times")
	}
	for _, tm := range st.Times {
		for i, list := range x.times[tm.Decision] {
			name := fmt.Sprintf("%s time %s", tm.Decision, st.Quarters[i])
			for _, c := range []struct {
				cell stats.Cell
				f    float64
			}{{tm.Median[i], 0.5}, {tm.P90[i], 0.9}} {
				switch n := len(list); {
				case n == 0:
					if c.cell.Mark != stats.MarkNone || c.cell.Value != nil {
						t.Errorf("%s: %+v, want none", name, c.cell)
					}
				case n < 5:
					if c.cell.Mark != stats.MarkLow || c.cell.Value != nil {
						t.Errorf("%s: %+v over %d decisions, want low", name, c.cell, n)
					}
				default:
					if c.cell.Value == nil || *c.cell.Value != percentileDisc(list, c.f) {
						t.Errorf("%s (%v): %+v, want %d", name, c.f, c.cell, percentileDisc(list, c.f))
					}
				}
			}
		}
	}
}

// TestStatsRefused: only decision makers and admins read statistics, a decision maker only of
// the jurisdiction of the organisation's country.
func TestStatsRefused(t *testing.T) {
	w := newStatsWorld(t)
	for _, who := range []string{"officer", "shelter_staff", "caseworker", "org_admin"} {
		_, err := w.e.svc.Stats(w.as[who], referral.StatsQuery{})
		code(t, err, referral.CodeForbidden)
	}
	_, err := w.e.svc.Stats(context.Background(), referral.StatsQuery{})
	code(t, err, referral.CodeUnauthenticated)
	for _, j := range []string{"NL", "all", "be"} {
		_, err := w.e.svc.Stats(w.as["dm"], referral.StatsQuery{Jurisdiction: j})
		code(t, err, referral.CodeForbidden)
	}
	for _, tc := range []struct{ who, asked, got string }{
		{"dm", "", "GB-EAW"}, {"dm", "gb-eaw", "GB-EAW"}, {"dm_nl", "", "NL"}, {"admin", "", "all"}, {"admin", "ES", "ES"},
	} {
		st, err := w.e.svc.Stats(w.as[tc.who], referral.StatsQuery{Jurisdiction: tc.asked})
		if err != nil || st.Jurisdiction != tc.got {
			t.Fatalf("%s asking %q: %q, %v; want %s", tc.who, tc.asked, st.Jurisdiction, err, tc.got)
		}
	}
	if n := countAudit(t, w.e, "stats.read"); n != 5 {
		t.Fatalf("%d reads audited, want 5 (refusals are not reads)", n)
	}
	var detail referral.Detail
	if err := w.e.db.Gorm.Table("audit_events").Select("detail").Where("action = 'stats.read'").Order("id").Limit(1).Scan(&detail).Error; err != nil {
		t.Fatal(err)
	}
	if detail["jurisdiction"] != "GB-EAW" || detail["from"] != "2025Q1" || detail["to"] != "2026Q4" {
		t.Fatalf("audit detail %v", detail)
	}
}

// TestStatsBadInput: a malformed or impossible period or an unknown jurisdiction is a field
// error, and nothing is audited.
func TestStatsBadInput(t *testing.T) {
	w := newStatsWorld(t)
	for _, tc := range []struct {
		q            referral.StatsQuery
		field, msgID string
	}{
		{referral.StatsQuery{From: "2026-Q1"}, "from", "stats.error.quarter"},
		{referral.StatsQuery{To: "2026Q5"}, "to", "stats.error.quarter"},
		{referral.StatsQuery{From: "１９９９Q1"}, "from", "stats.error.quarter"},
		{referral.StatsQuery{To: "2027Q1"}, "to", "stats.error.future"},
		{referral.StatsQuery{From: "2026Q3", To: "2026Q1"}, "from", "stats.error.order"},
		{referral.StatsQuery{From: "2020Q1", To: "2026Q1"}, "from", "stats.error.span"},
		{referral.StatsQuery{Jurisdiction: "FR"}, "jurisdiction", "stats.error.jurisdiction"},
	} {
		_, err := w.e.svc.Stats(w.as["admin"], tc.q)
		field(t, err, tc.field, tc.msgID)
	}
	// The future's error names the current quarter, for the message to show.
	_, err := w.e.svc.Stats(w.as["admin"], referral.StatsQuery{To: "2027Q1"})
	if e, ok := err.(*referral.Error); !ok || len(e.Fields) != 1 || e.Fields[0].Data["Quarter"] != "2026Q4" {
		t.Fatalf("future quarter: %#v", err)
	}
	// Full-width digits, as a Chinese keyboard types them, are read as digits.
	st, err := w.e.svc.Stats(w.as["admin"], referral.StatsQuery{From: "２０２６Ｑ１", To: "2026q2"})
	if err != nil || st.From.String() != "2026Q1" || len(st.Quarters) != 2 {
		t.Fatalf("full-width quarter: %+v, %v", st.Quarters, err)
	}
	if n := countAudit(t, w.e, "stats.read"); n != 1 {
		t.Fatalf("%d reads audited, want 1", n)
	}
}

// BenchmarkStats measures one jurisdiction's statistics over 8 quarters of the 20,000-referral
// population (its 14,000 in England and Wales): the statements, the suppression and the audit.
func BenchmarkStats(b *testing.B) {
	w := newStatsWorld(b)
	generatePopulation(20000, statsToday).load(b, w.e, w.orgs)
	for _, bc := range []struct{ name, j string }{{"GB", "GB-EAW"}, {"All", "all"}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := w.e.svc.Stats(w.as["admin"], referral.StatsQuery{Jurisdiction: bc.j}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
