package stats_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/harbour-nrm/harbour/referral/stats"
	"github.com/harbour-nrm/harbour/referral/stats/statstest"
)

// countTable is a test table of counts, rows named r0, r1, …
func countTable(counts [][]int, rowTotals, columnTotals bool) stats.CountTable {
	t := stats.CountTable{Name: "t", Counts: counts, RowTotals: rowTotals, ColumnTotals: columnTotals}
	for j := range counts[0] {
		t.Columns = append(t.Columns, fmt.Sprintf("c%d", j))
	}
	for i := range counts {
		t.Keys = append(t.Keys, []string{fmt.Sprintf("r%d", i)})
	}
	return t
}

func TestSuppress(t *testing.T) {
	t.Run("NothingSmallNothingHidden", func(t *testing.T) {
		in := countTable([][]int{{10, 0, 7}, {5, 12, 0}}, true, true)
		out := stats.Suppress(in)[0]
		statstest.CheckTable(t, out, statstest.TruthOf(t, in, out))
		if s := statstest.Suppressed(out); s[stats.MarkLow]+s[stats.MarkWithheld] != 0 {
			t.Fatalf("suppressed %v in a table without small counts", s)
		}
	})
	t.Run("LowNeedsAPartner", func(t *testing.T) {
		in := countTable([][]int{{10, 3, 7}, {5, 12, 9}, {20, 30, 6}}, true, true)
		out := stats.Suppress(in)[0]
		statstest.CheckTable(t, out, statstest.TruthOf(t, in, out))
		statstest.Attack(t, out, nil)
		if s := statstest.Suppressed(out); s[stats.MarkLow] != 1 || s[stats.MarkWithheld] < 3 {
			t.Fatalf("suppressed %v: one <5 needs a partner in its row and its column, and they theirs", s)
		}
	})
	t.Run("TwoOnesInARowAreNotEnough", func(t *testing.T) {
		// 1 + 1 in a row totalling 2: both <5, yet each is 1; more must go.
		in := countTable([][]int{{1, 1, 0}, {9, 8, 30}, {6, 11, 14}}, true, true)
		out := stats.Suppress(in)[0]
		statstest.CheckTable(t, out, statstest.TruthOf(t, in, out))
		statstest.Attack(t, out, nil)
	})
	t.Run("NeverAZero", func(t *testing.T) {
		in := countTable([][]int{{2, 0, 0, 0}, {0, 0, 9, 0}, {7, 0, 0, 8}}, true, true)
		out := stats.Suppress(in)[0]
		statstest.CheckTable(t, out, statstest.TruthOf(t, in, out)) // a [c] on a zero fails here
		statstest.Attack(t, out, nil)
	})
	t.Run("FourOnesAreMerged", func(t *testing.T) {
		// A row of four quarters of one person each totals 4: "<5" everywhere still says it all.
		in := countTable([][]int{{1, 1, 1, 1}, {20, 30, 25, 40}, {9, 8, 7, 6}}, true, true)
		out := stats.Suppress(in)[0]
		if out.Withheld || len(out.Rows) != 2 || !slices.Equal(out.Rows[0].Keys, []string{"r0", "r2"}) {
			t.Fatalf("rows %+v: want r0 merged with the smallest row with a count beside it, r2", out.Rows)
		}
		statstest.CheckTable(t, out, statstest.TruthOf(t, in, out))
		statstest.Attack(t, out, nil)
	})
	t.Run("TooFewIsWithheld", func(t *testing.T) {
		// Four people, one a quarter: the totals row alone gives every count away.
		in := countTable([][]int{{1, 0, 1, 0}, {0, 1, 0, 1}}, true, true)
		if out := stats.Suppress(in)[0]; !out.Withheld || len(out.Rows) != 0 || out.Total != nil {
			t.Fatalf("published %+v", out)
		}
	})
	t.Run("SharedTotalsMarkedAlike", func(t *testing.T) {
		// The same 4 people in quarter c1 by gender and by age: the totals row's "<5" needs a
		// partner, which must be the same in both tables.
		gender := countTable([][]int{{30, 3, 20}, {25, 1, 22}}, true, true)
		age := countTable([][]int{{50, 4, 40}, {5, 0, 2}}, true, true)
		out := stats.Suppress(gender, age)
		if a, b := statstest.Show(stats.Table{Total: out[0].Total}), statstest.Show(stats.Table{Total: out[1].Total}); a != b {
			t.Fatalf("totals rows differ:\n%s\n%s", a, b)
		}
		for n, in := range []stats.CountTable{gender, age} {
			statstest.CheckTable(t, out[n], statstest.TruthOf(t, in, out[n]))
			statstest.Attack(t, out[n], nil)
		}
	})
	t.Run("NoTotalsOnlyPrimary", func(t *testing.T) {
		in := countTable([][]int{{3, 40}, {0, 2}}, false, false)
		out := stats.Suppress(in)[0]
		statstest.CheckTable(t, out, statstest.TruthOf(t, in, out))
		if s := statstest.Suppressed(out); s[stats.MarkLow] != 2 || s[stats.MarkWithheld] != 0 {
			t.Fatalf("suppressed %v", s)
		}
	})
	t.Run("InputUnchanged", func(t *testing.T) {
		in := countTable([][]int{{1, 1, 1, 1}, {9, 8, 7, 6}}, true, true)
		stats.Suppress(in)
		if len(in.Keys) != 2 || in.Counts[1][0] != 9 {
			t.Fatalf("the table was changed: %+v", in)
		}
	})
}

// TestSuppressRandomTables publishes many random small tables and, for each, checks every
// number against the statstest.Truth, runs the attacker, and enumerates every table a reader could
// believe in: each suppressed number must be able to take at least two values.
func TestSuppressRandomTables(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 3))
	draw := func() int {
		switch p := rng.IntN(10); {
		case p < 4:
			return 0
		case p < 8:
			return 1 + rng.IntN(4)
		default:
			return 5 + rng.IntN(8)
		}
	}
	for n := range 400 {
		rows, cols := 2+rng.IntN(2), 2+rng.IntN(2)
		counts := make([][]int, rows)
		for i := range counts {
			counts[i] = make([]int, cols)
			for j := range counts[i] {
				counts[i][j] = draw()
			}
		}
		in := countTable(counts, true, true)
		out := stats.Suppress(in)[0]
		if out.Withheld {
			continue
		}
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			tr := statstest.TruthOf(t, in, out)
			statstest.CheckTable(t, out, tr)
			statstest.Attack(t, out, nil)
			enumerate(t, out, tr)
		})
	}
}

// enumerate lists every table of counts consistent with what a published table shows and
// fails when a suppressed number takes one value in all of them, or the statstest.Truth is not among them.
func enumerate(t *testing.T, out stats.Table, tr statstest.Truth) {
	t.Helper()
	rows, cols := len(out.Rows), len(out.Columns)
	type pos struct{ i, j int }
	var free []pos // suppressed counts inside the table
	for i, r := range out.Rows {
		for j, c := range r.Cells {
			if c.Mark != "" {
				free = append(free, pos{i, j})
			}
		}
	}
	limit := tr.Totals[cols] // no count exceeds the grand total, whatever a reader believes
	if g := out.Total.Total; g.Mark == stats.MarkLow {
		limit = 4
	} else if g.Mark == stats.MarkWithheld {
		limit += 20
	}
	x := make([][]int, rows)
	for i := range x {
		x[i] = make([]int, cols)
		for j, c := range out.Rows[i].Cells {
			if c.Value != nil {
				x[i][j] = *c.Value
			}
		}
	}
	// What each suppressed number was seen to be: the free counts, then the row totals, the
	// column totals and the grand total.
	seen := make([]map[int]bool, len(free)+rows+cols+1)
	for k := range seen {
		seen[k] = map[int]bool{}
	}
	slotName := func(k int) string {
		switch {
		case k < len(free):
			return fmt.Sprintf("row %d col %d", free[k].i, free[k].j)
		case k < len(free)+rows:
			return fmt.Sprintf("row %d total", k-len(free))
		case k < len(free)+rows+cols:
			return fmt.Sprintf("total col %d", k-len(free)-rows)
		}
		return "grand total"
	}
	fits := func(c stats.Cell, v int) bool {
		switch c.Mark {
		case stats.MarkLow:
			return v >= 1 && v <= 4
		case stats.MarkWithheld:
			return v >= 5
		}
		return *c.Value == v
	}
	// The last suppressed count of a row with a shown total is what the total leaves; a
	// column whose shown (or "<5") total is already passed is abandoned early.
	last := map[int]bool{}
	for k, p := range free {
		last[k] = k+1 == len(free) || free[k+1].i != p.i
	}
	colMax := make([]int, cols)
	for j, c := range out.Total.Cells {
		switch c.Mark {
		case "":
			colMax[j] = *c.Value
		case stats.MarkLow:
			colMax[j] = 4
		default:
			colMax[j] = limit * rows
		}
	}
	colSum := func(j int) int {
		s := 0
		for i := range rows {
			s += x[i][j]
		}
		return s
	}
	consistent := 0
	var walk func(k int)
	walk = func(k int) {
		if k < len(free) {
			p := free[k]
			c := out.Rows[p.i].Cells[p.j]
			lo, hi := 1, 4
			if c.Mark == stats.MarkWithheld {
				// Counts here are at most 24 (two merged rows of 12): trying fewer values can
				// only hide an alternative, so a cap may fail the test wrongly, never pass it.
				lo, hi = 5, min(limit, 25)
			}
			if total := out.Rows[p.i].Total; last[k] && total.Value != nil {
				rest := 0
				for j := range cols {
					if j != p.j {
						rest += x[p.i][j]
					}
				}
				lo, hi = max(lo, *total.Value-rest), min(hi, *total.Value-rest)
			}
			for v := lo; v <= hi; v++ {
				x[p.i][p.j] = v
				if colSum(p.j) <= colMax[p.j] {
					walk(k + 1)
				}
			}
			x[p.i][p.j] = 0
			return
		}
		totals, grand := make([]int, cols), 0
		rowSums := make([]int, rows)
		for i := range rows {
			for j := range cols {
				rowSums[i] += x[i][j]
				totals[j] += x[i][j]
				grand += x[i][j]
			}
			if !fits(*out.Rows[i].Total, rowSums[i]) {
				return
			}
		}
		for j := range cols {
			if !fits(out.Total.Cells[j], totals[j]) {
				return
			}
		}
		if !fits(*out.Total.Total, grand) {
			return
		}
		consistent++
		for k, p := range free {
			seen[k][x[p.i][p.j]] = true
		}
		for i := range rows {
			if out.Rows[i].Total.Mark != "" {
				seen[len(free)+i][rowSums[i]] = true
			}
		}
		for j := range cols {
			if out.Total.Cells[j].Mark != "" {
				seen[len(free)+rows+j][totals[j]] = true
			}
		}
		if out.Total.Total.Mark != "" {
			seen[len(seen)-1][grand] = true
		}
	}
	walk(0)
	if consistent == 0 {
		t.Fatalf("no table fits what %v publishes", out)
	}
	for k, values := range seen {
		if len(values) == 1 {
			t.Errorf("%s is suppressed, but every table a reader could believe in gives it %v (table %s)", slotName(k), values, statstest.Show(out))
		}
	}
	for k, p := range free {
		if !seen[k][tr.Rows[p.i][p.j]] {
			t.Errorf("row %d col %d: the statstest.Truth %d is not among the tables found", p.i, p.j, tr.Rows[p.i][p.j])
		}
	}
}
