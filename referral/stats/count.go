package stats

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/harbour-nrm/harbour/referral/nrm"
	"gorm.io/gorm"
)

// The statistics read only nrm_records' counted columns, nrm_events and dtn_reports: never a
// case, never a name. Each statement filters by jurisdiction only when one is asked for, so the
// (jurisdiction, submitted_on) index serves it.

// dimensionsSQL counts NRM referrals per quarter of submission, for each dimension in
// one pass (grouping sets). Each dimension's value column is the one not null in its set.
const dimensionsSQL = `SELECT CASE WHEN GROUPING(exploitation_type) = 0 THEN 'exploitation_type'
		WHEN GROUPING(age_group) = 0 THEN 'age_group' WHEN GROUPING(gender) = 0 THEN 'gender'
		WHEN GROUPING(nationality) = 0 THEN 'nationality' WHEN GROUPING(exploitation_location) = 0 THEN 'exploitation_location'
		WHEN GROUPING(referrer_kind) = 0 THEN 'referrer_kind' ELSE 'jurisdiction' END AS dim,
	COALESCE(exploitation_type, age_group, gender, nationality, exploitation_location, referrer_kind, jurisdiction) AS val,
	q, count(*) AS n
FROM (SELECT date_trunc('quarter', r.submitted_on::timestamp)::date AS q, r.exploitation_type, r.age_group, r.gender,
		r.nationality, r.exploitation_location, CASE WHEN r.referrer_kind = '' THEN 'unknown' ELSE r.referrer_kind END AS referrer_kind,
		r.jurisdiction
	FROM nrm_records r WHERE r.kind = 'nrm' AND r.submitted_on >= @from AND r.submitted_on < @to %s) r
GROUP BY GROUPING SETS ((q, exploitation_type), (q, age_group), (q, gender), (q, nationality), (q, exploitation_location),
	(q, referrer_kind), (q, jurisdiction))`

// decisionsSQL counts decisions by decision and outcome per quarter of the decision.
const decisionsSQL = `SELECT e.decision || '/' || e.outcome AS val, date_trunc('quarter', e.decided_on::timestamp)::date AS q, count(*) AS n
FROM nrm_events e JOIN nrm_records r ON r.id = e.record_id
WHERE e.decision <> '' AND r.kind = 'nrm' AND e.decided_on >= @from AND e.decided_on < @to`

// firstsSQL is each record's first RG decision, first positive one, first CG decision and
// first disqualification: what decision times and the backlog are made of. A record awaits an
// RG decision from its submission until its first RG decision, and a CG decision from its
// positive RG decision until its first CG decision or disqualification (each stop comes on or
// after its start): the "waits" rows count starts and stops per day, and the backlog at the
// end of a day is the starts before it less the stops before it. Each record is read once
// whatever the number of days.
const firstsSQL = `WITH firsts AS MATERIALIZED (
	SELECT r.submitted_on,
		min(e.decided_on) FILTER (WHERE e.decision = 'rg') AS rg_on,
		min(e.decided_on) FILTER (WHERE e.decision = 'rg' AND e.outcome = 'positive') AS rg_pos_on,
		min(e.decided_on) FILTER (WHERE e.decision = 'cg') AS cg_on,
		min(e.decided_on) FILTER (WHERE e.decision = 'disqualification') AS dq_on
	FROM nrm_records r LEFT JOIN nrm_events e ON e.record_id = r.id AND e.decision IN ('rg', 'cg', 'disqualification')
	WHERE r.kind = 'nrm' AND r.submitted_on < @until %s
	GROUP BY r.id, r.submitted_on
)
SELECT 'time' AS kind, 'rg' AS val, date_trunc('quarter', rg_on::timestamp)::date AS at, count(*) AS n,
	percentile_disc(0.5) WITHIN GROUP (ORDER BY rg_on - submitted_on) AS median,
	percentile_disc(0.9) WITHIN GROUP (ORDER BY rg_on - submitted_on) AS p90
FROM firsts WHERE rg_on >= @from AND rg_on < @to GROUP BY 3
UNION ALL
SELECT 'time', 'cg', date_trunc('quarter', cg_on::timestamp)::date, count(*),
	percentile_disc(0.5) WITHIN GROUP (ORDER BY cg_on - rg_pos_on),
	percentile_disc(0.9) WITHIN GROUP (ORDER BY cg_on - rg_pos_on)
FROM firsts WHERE rg_pos_on IS NOT NULL AND cg_on >= @from AND cg_on < @to GROUP BY 3
UNION ALL
SELECT 'waits', 'rg_start', submitted_on, count(*), NULL, NULL FROM firsts GROUP BY 3
UNION ALL
SELECT 'waits', 'rg_stop', rg_on, count(*), NULL, NULL FROM firsts WHERE rg_on IS NOT NULL GROUP BY 3
UNION ALL
SELECT 'waits', 'cg_start', rg_pos_on, count(*), NULL, NULL FROM firsts WHERE rg_pos_on IS NOT NULL GROUP BY 3
UNION ALL
SELECT 'waits', 'cg_stop', least(cg_on, dq_on), count(*), NULL, NULL FROM firsts
WHERE rg_pos_on IS NOT NULL AND least(cg_on, dq_on) IS NOT NULL GROUP BY 3`

// dtnSQL counts Duty to Notify reports per jurisdiction and quarter.
const dtnSQL = `SELECT jurisdiction AS val, date_trunc('quarter', reported_on::timestamp)::date AS q, count(*) AS n
FROM dtn_reports WHERE reported_on >= @from AND reported_on < @to`

// countRow is one row of a counting statement.
type countRow struct {
	Dim, Val string
	Q        time.Time
	N        int
}

// firstRow is one row of the decision times and backlog statement: a decision's times in a
// quarter, or how many records started or stopped waiting on a day.
type firstRow struct {
	Kind, Val   string
	At          time.Time
	N           int
	Median, P90 *int
}

// Count runs the counting statements on tx for the scope and period, and publishes their
// tables and the decision times. values lists a closed dimension's values, zeros included, in
// the order shown (nil for an open one: its values are listed as found).
func Count(tx *gorm.DB, s Scope, st Period, values func(dim string) []string) ([]Table, []Times, error) {
	from, to := st.From.Start(), st.To.End()
	args := map[string]any{"from": from.String(), "to": to.String(), "j": s.Code}
	only := ""
	if s.One != nil {
		only = " AND r.jurisdiction = @j"
	}
	var dims, decisions, dtn []countRow
	if err := tx.Raw(fmt.Sprintf(dimensionsSQL, only), args).Scan(&dims).Error; err != nil {
		return nil, nil, err
	}
	if err := tx.Raw(decisionsSQL+only+" GROUP BY 1, 2", args).Scan(&decisions).Error; err != nil {
		return nil, nil, err
	}
	dtnOnly := ""
	if s.One != nil {
		dtnOnly = " AND jurisdiction = @j"
	}
	if err := tx.Raw(dtnSQL+dtnOnly+" GROUP BY 1, 2", args).Scan(&dtn).Error; err != nil {
		return nil, nil, err
	}
	quarters := Names(st.Quarters)
	col := func(t time.Time) int { return QuarterOf(nrm.Date(t.Year(), t.Month(), t.Day())).Since(st.From) }

	// The dimensions share their totals row: they are protected together.
	var group []CountTable
	for _, t := range dimensionTables(dims, s, values, quarters, col) {
		group = append(group, *t)
	}
	tables := Suppress(group...)
	single := func(t *CountTable) { tables = append(tables, Suppress(*t)...) }
	single(countsTable(Decisions, quarters, s.DecisionRows(), decisions, col, false))
	var times []Times
	if s.Decides("rg") && s.Decides("cg") {
		var backlog *CountTable
		var err error
		if times, backlog, err = firsts(tx, s, st, args); err != nil {
			return nil, nil, err
		}
		single(backlog)
	}
	single(countsTable(DtN, quarters, s.Codes(), dtn, col, false))
	return tables, times, nil
}

// firsts computes decision times and the backlog: at the end of each quarter, and today for
// the current one (and after the last, when the period has ended).
func firsts(tx *gorm.DB, s Scope, st Period, args map[string]any) ([]Times, *CountTable, error) {
	var days []nrm.Day
	for _, q := range st.Quarters {
		if q.End().After(st.Today) {
			break
		}
		days = append(days, q.End().AddDays(-1))
	}
	days = append(days, st.Today)
	columns := make([]string, len(days))
	for i, day := range days {
		columns[i] = day.String()
	}
	// Only records of jurisdictions that make both decisions can await them.
	var deciders []string
	for _, j := range s.In {
		if slices.Contains(j.Decisions(), "rg") && slices.Contains(j.Decisions(), "cg") {
			deciders = append(deciders, j.Code)
		}
	}
	args["until"], args["deciders"] = days[len(days)-1].AddDays(1).String(), "{"+strings.Join(deciders, ",")+"}"
	var rows []firstRow
	if err := tx.Raw(fmt.Sprintf(firstsSQL, "AND r.jurisdiction = ANY(CAST(CAST(@deciders AS text) AS text[]))"), args).Scan(&rows).Error; err != nil {
		return nil, nil, err
	}
	var times []Times
	for _, decision := range []string{"rg", "cg"} {
		times = append(times, decisionTimes(decision, rows, st))
	}
	backlog := &CountTable{Name: Backlog, Columns: columns}
	for _, decision := range []string{"rg", "cg"} {
		counts := make([]int, len(columns))
		for _, r := range rows {
			sign := map[string]int{decision + "_start": 1, decision + "_stop": -1}[r.Val]
			if r.Kind != "waits" || sign == 0 {
				continue
			}
			on := nrm.Date(r.At.Year(), r.At.Month(), r.At.Day())
			for j, day := range days {
				if !on.After(day) {
					counts[j] += sign * r.N
				}
			}
		}
		backlog.Keys, backlog.Counts = append(backlog.Keys, []string{decision}), append(backlog.Counts, counts)
	}
	return times, backlog, nil
}

// decisionTimes publishes a decision's median and 90th percentile per quarter; a time behind
// which fewer than 5 decisions stand is not shown.
func decisionTimes(decision string, rows []firstRow, st Period) Times {
	t := Times{Decision: decision, Median: make([]Cell, len(st.Quarters)), P90: make([]Cell, len(st.Quarters))}
	for i := range st.Quarters {
		t.Median[i], t.P90[i] = Cell{Mark: MarkNone}, Cell{Mark: MarkNone}
	}
	for _, r := range rows {
		if r.Kind != "time" || r.Val != decision {
			continue
		}
		i := QuarterOf(nrm.Date(r.At.Year(), r.At.Month(), r.At.Day())).Since(st.From)
		if i < 0 || i >= len(st.Quarters) {
			continue
		}
		if r.N < Least {
			t.Median[i], t.P90[i] = Cell{Mark: MarkLow}, Cell{Mark: MarkLow}
			continue
		}
		t.Median[i], t.P90[i] = Cell{Value: r.Median}, Cell{Value: r.P90}
	}
	return t
}

// dimensionTables builds a table per dimension from the counts; all share their totals row.
func dimensionTables(rows []countRow, s Scope, values func(string) []string, quarters []string, col func(time.Time) int) []*CountTable {
	var out []*CountTable
	for _, dim := range Dimensions {
		if dim == "jurisdiction" && s.One != nil {
			continue // one jurisdiction's table would repeat the totals
		}
		var mine []countRow
		for _, r := range rows {
			if r.Dim == dim {
				mine = append(mine, r)
			}
		}
		out = append(out, countsTable(dim, quarters, values(dim), mine, col, true))
	}
	return out
}

// countsTable lays counts out as a table: a row for each listed value, zeros included, then
// for each value found beyond them (sorted, "unknown" last); a column per quarter.
func countsTable(name string, columns, values []string, rows []countRow, col func(time.Time) int, grouped bool) *CountTable {
	t := &CountTable{Name: name, Columns: columns, RowTotals: true, ColumnTotals: true}
	index := map[string]int{}
	add := func(v string) {
		index[v] = len(t.Keys)
		t.Keys = append(t.Keys, []string{v})
		t.Counts = append(t.Counts, make([]int, len(columns)))
	}
	for _, v := range values {
		add(v)
	}
	var extra []string
	for _, r := range rows {
		if _, ok := index[r.Val]; !ok && !slices.Contains(extra, r.Val) {
			extra = append(extra, r.Val)
		}
	}
	sort.Slice(extra, func(a, b int) bool {
		return extra[a] != "unknown" && (extra[b] == "unknown" || extra[a] < extra[b])
	})
	for _, v := range extra {
		add(v)
	}
	for _, r := range rows {
		if j := col(r.Q); j >= 0 && j < len(columns) {
			t.Counts[index[r.Val]][j] += r.N
		}
	}
	// A table of one row repeats its totals: only tables that share their totals row with
	// others (the dimensions) keep it, so that it is marked as in the others.
	t.ColumnTotals = grouped || len(t.Keys) > 1
	return t
}
