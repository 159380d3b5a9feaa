package referral_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/referral/nrm"
	"github.com/harbour-nrm/harbour/referral/stats"
	"github.com/jackc/pgx/v5"
)

// The statistics are checked against a population generated here, deterministically: 20,000
// NRM referrals from 2024Q4 to the test clock's day (2026-11-20) in three jurisdictions, skewed
// as the 2024 UK figures are (31% children, 74% male, many nationalities, so small counts
// occur), with RG, CG and disqualification decisions after known delays, and Duty to Notify
// reports. The expected numbers are counted in Go from the generated data, never by SQL.

// popEvent is a decision taken on a generated record.
type popEvent struct {
	decision, outcome, transition string
	on                            nrm.Day
}

// popRecord is a generated NRM referral.
type popRecord struct {
	id, caseID   uuid.UUID
	jurisdiction string
	submitted    nrm.Day
	dims         map[string]string // by dimension, as the statistics count them
	referrerKind string            // as stored ("" for none)
	events       []popEvent
}

// popDtN is a generated Duty to Notify report.
type popDtN struct {
	jurisdiction string
	on           nrm.Day
}

// population is the generated data and the organisations it belongs to.
type population struct {
	records []popRecord
	dtn     []popDtN
	today   nrm.Day
}

// weighted picks a value with the given weights.
func weighted(rng *rand.Rand, values []string, weights []float64) string {
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	x := rng.Float64() * sum
	for i, w := range weights {
		if x < w {
			return values[i]
		}
		x -= w
	}
	return values[len(values)-1]
}

// nationalities are referred in a long tail: the first many, the last few.
var nationalities = []string{"GB", "AL", "VN", "ER", "SD", "RO", "CN", "IR", "AF", "EG", "IQ", "NG", "PL", "IN", "ET",
	"SY", "PK", "KW", "LT", "BG", "SO", "TR", "GH", "HU", "UA", "SK", "CZ", "MA", "DZ", "TN", "LY", "YE", "BD", "LK",
	"PH", "TH", "MY", "ID", "BR", "CO", "VE", "PE", "MX", "JM", "CM", "CI", "SN", "GN", "ML", "SL", "LR", "CD", "UG",
	"KE", "TZ", "ZW", "ZA", "NP", "MM", "KH", "LA", "MN", "KZ", "UZ", "GE", "AM", "MD", "RS", "XK", "BA", "MK", "ME"}

// generatePopulation makes n records and their decisions, the same for the same seed.
func generatePopulation(n int, today nrm.Day) population {
	rng := rand.New(rand.NewPCG(20, 26))
	p := population{today: today}
	first := nrm.Date(2024, time.October, 1)
	span := first.DaysUntil(today) + 1
	natWeights := make([]float64, len(nationalities)+1)
	for i := range nationalities {
		natWeights[i] = 1 / math.Pow(float64(i+1), 1.6)
	}
	natWeights[len(nationalities)] = 0.01
	nats := append(slices.Clone(nationalities), "unknown")
	exploitation := append(slices.Clone(referral.ExploitationTypes), "not_specified")
	for range n {
		r := popRecord{id: uuid.New(), caseID: uuid.New(), submitted: first.AddDays(rng.IntN(span)),
			jurisdiction: weighted(rng, []string{"GB-EAW", "NL", "BE"}, []float64{70, 20, 10})}
		r.referrerKind = weighted(rng, []string{"police", "ngo", "other", "shelter", "competent_authority", ""},
			[]float64{45, 25, 20, 5, 0.05, 4})
		r.dims = map[string]string{
			// sexual, labour, criminal, domestic servitude, organ removal, forced marriage,
			// illegal adoption, surrogacy, other; not specified
			"exploitation_type":     weighted(rng, exploitation, []float64{20, 35, 25, 8, 0.02, 0.5, 0.02, 0.05, 3, 8}),
			"age_group":             weighted(rng, []string{"adult", "child", "unknown"}, []float64{65, 31, 4}),
			"gender":                weighted(rng, []string{"male", "female", "other", "unknown"}, []float64{74, 24, 0.2, 1.8}),
			"nationality":           weighted(rng, nats, natWeights),
			"exploitation_location": weighted(rng, []string{"domestic", "overseas", "both", "unknown"}, []float64{55, 25, 15, 5}),
			"referrer_kind":         r.referrerKind,
			"jurisdiction":          r.jurisdiction,
		}
		if r.referrerKind == "" {
			r.dims["referrer_kind"] = "unknown"
		}
		r.events = decide(rng, r, today)
		p.records = append(p.records, r)
	}
	for range 1500 {
		p.dtn = append(p.dtn, popDtN{jurisdiction: weighted(rng, []string{"GB-EAW", "NL"}, []float64{85, 15}),
			on: first.AddDays(rng.IntN(span))})
	}
	return p
}

// decide generates a record's decisions, none after today.
func decide(rng *rand.Rand, r popRecord, today nrm.Day) []popEvent {
	var out []popEvent
	take := func(decision, outcome, transition string, on nrm.Day) bool {
		if on.After(today) {
			return false
		}
		out = append(out, popEvent{decision, outcome, transition, on})
		return true
	}
	delay := func(short, long int) int {
		if rng.IntN(10) < 8 {
			return 1 + rng.IntN(short)
		}
		return 1 + rng.IntN(long)
	}
	switch r.jurisdiction {
	case "NL":
		ok := rng.IntN(10) < 7
		take("temporary_permit", map[bool]string{true: "positive", false: "negative"}[ok], "grant_temporary_permit",
			r.submitted.AddDays(delay(60, 120)))
		return out
	case "BE":
		take("attestation", "positive", "issue_attestation", r.submitted.AddDays(delay(40, 90)))
		return out
	}
	rgOn := r.submitted.AddDays(delay(14, 200))
	positive := rng.IntN(100) < 53
	if !take("rg", map[bool]string{true: "positive", false: "negative"}[positive], "rg", rgOn) {
		return out
	}
	if !positive {
		if rng.IntN(10) != 0 {
			return out
		}
		rgOn = rgOn.AddDays(30 + rng.IntN(60)) // reconsidered, then positive
		if !take("rg", "positive", "rg_positive", rgOn) {
			return out
		}
	}
	if rng.IntN(100) < 3 {
		take("disqualification", "disqualified", "disqualify", rgOn.AddDays(10+rng.IntN(200)))
		return out
	}
	take("cg", map[bool]string{true: "positive", false: "negative"}[rng.IntN(100) < 56], "cg", rgOn.AddDays(30+delay(200, 500)))
	return out
}

// load inserts the population with COPY: minimal cases (the foreign key), their records, the
// decisions and the reports, each record submitted by its jurisdiction's police.
func (p population) load(tb testing.TB, e *env, orgs map[string]uuid.UUID) {
	tb.Helper()
	ctx := context.Background()
	day := func(d nrm.Day) time.Time { return d.Civil() }
	var cases, records, events, reports [][]any
	for i, r := range p.records {
		at := r.submitted.Civil().Add(10 * time.Hour)
		org := orgs[r.jurisdiction]
		cases = append(cases, []any{r.caseID, fmt.Sprintf("HB-STAT-%05d", i), org, at, at})
		records = append(records, []any{r.id, r.caseID, "nrm", r.jurisdiction, org, at, day(r.submitted), "referred",
			r.dims["exploitation_type"], r.dims["age_group"], r.dims["gender"], r.dims["nationality"],
			r.dims["exploitation_location"], r.referrerKind, at})
		for _, ev := range r.events {
			events = append(events, []any{uuid.New(), r.id, ev.transition, "referred", "referred", ev.decision, ev.outcome,
				day(ev.on), ev.on.Civil().Add(12 * time.Hour)})
		}
	}
	for _, d := range p.dtn {
		reports = append(reports, []any{uuid.New(), d.jurisdiction, orgs[d.jurisdiction], day(d.on)})
	}
	for _, c := range []struct {
		table   string
		columns []string
		rows    [][]any
	}{
		{"cases", []string{"id", "reference", "organisation_id", "created_at", "updated_at"}, cases},
		{"nrm_records", []string{"id", "case_id", "kind", "jurisdiction", "organisation_id", "submitted_at", "submitted_on",
			"state", "exploitation_type", "age_group", "gender", "nationality", "exploitation_location", "referrer_kind", "updated_at"}, records},
		{"nrm_events", []string{"id", "record_id", "transition", "from_state", "to_state", "decision", "outcome", "decided_on", "at"}, events},
		{"dtn_reports", []string{"id", "jurisdiction", "organisation_id", "reported_on"}, reports},
	} {
		if _, err := e.db.Pool.CopyFrom(ctx, pgx.Identifier{c.table}, c.columns, pgx.CopyFromRows(c.rows)); err != nil {
			tb.Fatalf("copy %s: %v", c.table, err)
		}
	}
	if _, err := e.db.Pool.Exec(ctx, "ANALYZE"); err != nil {
		tb.Fatal(err)
	}
}

// expected is what the statistics must say, counted in Go.
type expected struct {
	tables  map[string]map[string][]int // table → row key → a count per column
	columns map[string][]string
	times   map[string][][]int // decision → per quarter, the sorted delays
}

// expect counts the population as the statistics of jurisdictions in scope over quarters must;
// deciders are the jurisdictions that make RG and CG decisions, whose records alone await them.
func (p population) expect(scope, deciders []string, quarters []stats.Quarter) expected {
	x := expected{tables: map[string]map[string][]int{}, columns: map[string][]string{}, times: map[string][][]int{}}
	cols := make([]string, len(quarters))
	for i, q := range quarters {
		cols[i] = q.String()
	}
	col := func(d nrm.Day) int {
		i := stats.QuarterOf(d).Since(quarters[0])
		if i < 0 || i >= len(quarters) {
			return -1
		}
		return i
	}
	count := func(table, key string, j int) {
		if j < 0 {
			return
		}
		if x.tables[table] == nil {
			x.tables[table], x.columns[table] = map[string][]int{}, cols
		}
		if x.tables[table][key] == nil {
			x.tables[table][key] = make([]int, len(x.columns[table]))
		}
		x.tables[table][key][j]++
	}
	days := p.backlogDays(quarters)
	x.columns[stats.Backlog] = nil
	for _, d := range days {
		x.columns[stats.Backlog] = append(x.columns[stats.Backlog], d.String())
	}
	x.tables[stats.Backlog] = map[string][]int{"rg": make([]int, len(days)), "cg": make([]int, len(days))}
	x.times["rg"], x.times["cg"] = make([][]int, len(quarters)), make([][]int, len(quarters))
	for _, r := range p.records {
		if !slices.Contains(scope, r.jurisdiction) {
			continue
		}
		for _, dim := range stats.Dimensions {
			if dim != "jurisdiction" || len(scope) > 1 {
				count(dim, r.dims[dim], col(r.submitted))
			}
		}
		var rg, rgPos, cg, dq *nrm.Day
		for _, ev := range r.events {
			count(stats.Decisions, ev.decision+"/"+ev.outcome, col(ev.on))
			on := ev.on
			switch {
			case ev.decision == "rg" && rg == nil:
				rg = &on
				if ev.outcome == "positive" {
					rgPos = &on
				}
			case ev.decision == "rg" && ev.outcome == "positive" && rgPos == nil:
				rgPos = &on
			case ev.decision == "cg" && cg == nil:
				cg = &on
			case ev.decision == "disqualification" && dq == nil:
				dq = &on
			}
		}
		if rg != nil && col(*rg) >= 0 {
			x.times["rg"][col(*rg)] = append(x.times["rg"][col(*rg)], r.submitted.DaysUntil(*rg))
		}
		if rgPos != nil && cg != nil && col(*cg) >= 0 {
			x.times["cg"][col(*cg)] = append(x.times["cg"][col(*cg)], rgPos.DaysUntil(*cg))
		}
		if !slices.Contains(deciders, r.jurisdiction) {
			continue
		}
		before := func(d *nrm.Day, end nrm.Day) bool { return d != nil && d.Before(end) }
		for j, d := range days {
			end := d.AddDays(1)
			if r.submitted.Before(end) && !before(rg, end) {
				x.tables[stats.Backlog]["rg"][j]++
			}
			if before(rgPos, end) && !before(cg, end) && !before(dq, end) {
				x.tables[stats.Backlog]["cg"][j]++
			}
		}
	}
	for _, d := range p.dtn {
		if slices.Contains(scope, d.jurisdiction) {
			count(stats.DtN, d.jurisdiction, col(d.on))
		}
	}
	for _, ts := range x.times {
		for _, list := range ts {
			sort.Ints(list)
		}
	}
	return x
}

// backlogDays are the days the backlog is counted at: each quarter's last day, today for the
// current one, and today after a period that has ended.
func (p population) backlogDays(quarters []stats.Quarter) []nrm.Day {
	var out []nrm.Day
	for _, q := range quarters {
		if last := q.End().AddDays(-1); last.Before(p.today) {
			out = append(out, last)
		}
	}
	return append(out, p.today)
}

// percentileDisc is PostgreSQL's percentile_disc: the first value whose position reaches the
// fraction.
func percentileDisc(sorted []int, f float64) int {
	k := int(math.Ceil(f * float64(len(sorted))))
	return sorted[max(k, 1)-1]
}
