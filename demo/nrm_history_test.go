package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/demo"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/referral/nrm"
	"github.com/harbour-nrm/harbour/referral/stats"
)

// demoHistoryOrg is the organisation of the demo's generated NRM history.
const demoHistoryOrg = "019a0000-0000-7000-9000-000000000001"

// demoJurisdictions are those the generated history covers.
var demoJurisdictions = []string{"GB-EAW", "BE", "NL", "DE", "ES"}

// TestDemoNRMHistory: the demo's generated NRM history loads once however often the demo is
// loaded; each of the five jurisdictions' statistics then publish counts in every table of
// referrals and of decisions; every generated record replays under its jurisdiction's rules,
// dates included, to an end before today; none awaits a decision, runs a timer, names anyone,
// or shows in a demo decision maker's queue; the deadline job alerts nobody about them.
func TestDemoNRMHistory(t *testing.T) {
	e := newEnv(t)
	start := time.Now()
	if _, err := demo.Load(t.Context(), e.svc); err != nil {
		t.Fatal(err)
	}
	t.Logf("demo with its NRM history loaded in %v", time.Since(start))
	counts := func() map[string]int64 {
		out := map[string]int64{}
		for table, where := range map[string]string{
			"organisations": "true", "users": "true", "cases": "true", "nrm_records": "true", "nrm_events": "true",
			"dtn_reports": "true", "notifications": "true", "audit_events": "action = 'demo.nrm_history'",
			"generated": "organisation_id = '" + demoHistoryOrg + "'",
		} {
			name := table
			if table == "generated" {
				table = "nrm_records"
			}
			var n int64
			if err := e.db.Gorm.Table(table).Where(where).Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			out[name] = n
		}
		return out
	}
	once := counts()
	if once["generated"] < 1000 || once["audit_events"] != 1 || once["notifications"] != 0 {
		t.Fatalf("after one load: %v", once)
	}
	again := time.Now()
	if _, err := demo.Load(t.Context(), e.svc); err != nil {
		t.Fatal(err)
	}
	t.Logf("second load in %v", time.Since(again))
	if twice := counts(); !equalCounts(once, twice) {
		t.Fatalf("loaded twice: %v, once: %v", twice, once)
	}
	var users int64
	e.db.Gorm.Table("users").Where("organisation_id = ?", demoHistoryOrg).Count(&users)
	if users != 0 {
		t.Fatalf("the history's organisation has %d users", users)
	}

	t.Run("Statistics", func(t *testing.T) { checkDemoStats(t, e) })
	t.Run("Rules", func(t *testing.T) { checkDemoReplay(t, e) })
	t.Run("NothingOwed", func(t *testing.T) {
		var owed int64
		e.db.Gorm.Raw(`SELECT count(*) FROM nrm_records r JOIN cases c ON c.id = r.case_id WHERE r.organisation_id = ?
			AND (r.awaiting <> '' OR r.next_on IS NOT NULL OR r.overdue OR r.person IS NOT NULL OR r.kind <> 'nrm'
				OR c.name_original <> '' OR c.name_latin <> '' OR c.reference NOT LIKE 'HB-DEMO-_____')`, demoHistoryOrg).Scan(&owed)
		if owed != 0 {
			t.Fatalf("%d generated records await something, name someone, or have a reference like a real one", owed)
		}
		for _, email := range []string{"decision@demo.harbour.test", "decision.uk@demo.harbour.test"} {
			u, err := e.svc.UserByEmail(system, email)
			if err != nil {
				t.Fatal(err)
			}
			items, _, err := e.svc.NRMQueue(as(u), referral.NRMQueueFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if strings.HasPrefix(it.Reference, "HB-DEMO-") {
					t.Errorf("%s's queue lists the generated %s", email, it.Reference)
				}
			}
		}
		if _, err := e.svc.NRMDeadlines(context.Background()); err != nil {
			t.Fatal(err)
		}
		var told int64
		e.db.Gorm.Raw(`SELECT count(*) FROM notifications n JOIN nrm_records r ON r.id = n.nrm_record_id
			WHERE r.organisation_id = ?`, demoHistoryOrg).Scan(&told)
		if told != 0 {
			t.Fatalf("the deadline job told someone about %d generated records", told)
		}
	})
}

func equalCounts(a, b map[string]int64) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}

// checkDemoStats reads each jurisdiction's statistics as an admin, and the demo decision
// makers' own: every table of referrals and the decisions publish at least one count above 0.
func checkDemoStats(t *testing.T, e *env) {
	admin := e.User(t, e.Org(t, "Statistics office", referral.KindOther), "stats-admin@example.org", referral.RoleAdmin)
	dm := func(email string) context.Context {
		u, err := e.svc.UserByEmail(system, email)
		if err != nil {
			t.Fatal(err)
		}
		return as(u)
	}
	cases := map[string]context.Context{"BE (decision maker)": dm("decision@demo.harbour.test"),
		"GB-EAW (decision maker)": dm("decision.uk@demo.harbour.test")}
	for _, code := range demoJurisdictions {
		cases[code] = as(admin)
	}
	for name, ctx := range cases {
		code, _, _ := strings.Cut(name, " ")
		st, err := e.svc.Stats(ctx, referral.StatsQuery{Jurisdiction: code})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		published := 0
		for _, tbl := range st.Tables {
			shown := 0
			for _, r := range tbl.Rows {
				for _, c := range append(r.Cells, derefCell(r.Total)) {
					if c.Value != nil && *c.Value > 0 {
						shown++
					}
				}
			}
			published += shown
			if tbl.Name != stats.Backlog && tbl.Name != stats.DtN && shown == 0 {
				t.Errorf("%s: table %s publishes no count (withheld %v)", name, tbl.Name, tbl.Withheld)
			}
		}
		t.Logf("%s: %d published counts above 0 over %s–%s", name, published, st.From, st.To)
	}
}

func derefCell(c *stats.Cell) stats.Cell {
	if c == nil {
		return stats.Cell{}
	}
	return *c
}

// checkDemoReplay replays every generated record's events, read back from the database, under
// its jurisdiction's rules with the engine's checks (who, dates, windows, limits): each is a
// history the jurisdiction allows, ending in the state stored, before today, with nothing owed.
func checkDemoReplay(t *testing.T, e *env) {
	var rows []struct {
		ID                                     uuid.UUID
		Jurisdiction, State, AgeGroup          string
		SubmittedOn                            time.Time
		Transition, ToState, Decision, Outcome string
		DecidedOn                              time.Time
	}
	err := e.db.Gorm.Raw(`SELECT r.id, r.jurisdiction, r.state, r.age_group, r.submitted_on, e.transition, e.to_state,
			e.decision, e.outcome, e.decided_on
		FROM nrm_records r JOIN nrm_events e ON e.record_id = r.id WHERE r.organisation_id = ?
		ORDER BY r.id, e.at, e.id`, demoHistoryOrg).Scan(&rows).Error
	if err != nil {
		t.Fatal(err)
	}
	set := e.svc.Jurisdictions()
	day := func(t time.Time) nrm.Day { return nrm.Date(t.Year(), t.Month(), t.Day()) }
	perJurisdiction := map[string]int{}
	for i := 0; i < len(rows); {
		r := rows[i]
		j, ok := set.Get(r.Jurisdiction)
		if !ok {
			t.Fatalf("record %s: jurisdiction %q", r.ID, r.Jurisdiction)
		}
		today := j.Today(e.svc.Now())
		first := stats.QuarterOf(today).Add(-8).Start()
		if s := day(r.SubmittedOn); s.Before(first) || !s.Before(stats.QuarterOf(today).Start()) {
			t.Errorf("record %s submitted on %s, outside the 8 complete quarters before %s", r.ID, s, today)
		}
		party := nrm.Party{Minor: r.AgeGroup == "child", Consent: true,
			Who: []nrm.Who{nrm.FirstResponder, nrm.Referrer, nrm.SupportProvider, nrm.DecisionMaker}}
		var events []nrm.Event
		taken, _ := j.Replay(nil)
		for ; i < len(rows) && rows[i].ID == r.ID; i++ {
			ev := rows[i]
			on := day(ev.DecidedOn)
			tr, _ := j.Transition(ev.Transition)
			if tr == nil || tr.To != ev.ToState || tr.Decision != ev.Decision || tr.Outcome != ev.Outcome || !on.Before(today) {
				t.Fatalf("record %s: event %s to %s (%s/%s) on %s", r.ID, ev.Transition, ev.ToState, ev.Decision, ev.Outcome, on)
			}
			if taken, err = j.Take(taken, ev.Transition, party, on); err != nil {
				t.Fatalf("record %s (%s): %s on %s refused: %v", r.ID, r.Jurisdiction, ev.Transition, on, err)
			}
			events = append(events, nrm.Event{Transition: ev.Transition, On: on})
		}
		status, err := j.Replay(events)
		if err != nil {
			t.Fatalf("record %s: %v", r.ID, err)
		}
		st, _ := j.State(status.State)
		if status.State != r.State || st.Awaiting != "" || len(status.Running) != 0 {
			t.Fatalf("record %s (%s) ends in %s (stored %s), awaiting %q, %d timers running", r.ID, r.Jurisdiction,
				status.State, r.State, st.Awaiting, len(status.Running))
		}
		perJurisdiction[r.Jurisdiction]++
	}
	for _, code := range demoJurisdictions {
		if perJurisdiction[code] < 200 {
			t.Errorf("%s: %d generated records, want a few hundred", code, perJurisdiction[code])
		}
	}
	t.Logf("replayed %d events of %v records", len(rows), perJurisdiction)
}
