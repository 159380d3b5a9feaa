package statstest_test

import (
	"fmt"
	"testing"

	"github.com/harbour-nrm/harbour/referral/stats"
	"github.com/harbour-nrm/harbour/referral/stats/statstest"
)

// TestAttackerFindsWhatItMust proves the attacker works: it works out a lone "<5" from its
// row's total, two "<5" summing to 2 or 8, a "<5" next to a "[c]" summing to 6, and what a
// chain of rows and columns gives away; and it leaves a safe table alone.
func TestAttackerFindsWhatItMust(t *testing.T) {
	n := func(v int) stats.Cell { return stats.Cell{Value: &v} }
	low, wh := stats.Cell{Mark: stats.MarkLow}, stats.Cell{Mark: stats.MarkWithheld}
	table := func(rows [][]stats.Cell, totals []stats.Cell) stats.Table {
		tbl := stats.Table{Name: "t"}
		for j := range len(rows[0]) - 1 {
			tbl.Columns = append(tbl.Columns, fmt.Sprint(j))
		}
		for i, r := range rows {
			total := r[len(r)-1]
			tbl.Rows = append(tbl.Rows, stats.Row{Keys: []string{fmt.Sprint(i)}, Cells: r[:len(r)-1], Total: &total})
		}
		if totals != nil {
			total := totals[len(totals)-1]
			tbl.Total = &stats.Row{Cells: totals[:len(totals)-1], Total: &total}
		}
		return tbl
	}
	for _, tc := range []struct {
		name   string
		tbl    stats.Table
		pinned int
	}{
		{"LoneLow", table([][]stats.Cell{{n(10), low, n(13)}}, nil), 1},
		{"TwoLowSumTwo", table([][]stats.Cell{{low, low, n(2)}}, nil), 2},
		{"TwoLowSumEight", table([][]stats.Cell{{low, low, n(8)}}, nil), 2},
		{"LowBesideWithheldSumSix", table([][]stats.Cell{{low, wh, n(6)}}, nil), 2},
		{"Chain", table([][]stats.Cell{{low, wh, n(20)}, {n(7), wh, n(20)}}, []stats.Cell{n(9), n(31), n(40)}), 3},
		{"Safe", table([][]stats.Cell{{low, wh, n(20)}, {wh, low, n(20)}}, []stats.Cell{n(20), n(20), n(40)}), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := statstest.WorkedOut(t, tc.tbl, nil); len(got) != tc.pinned {
				t.Fatalf("worked out %d suppressed numbers, want %d: %+v", len(got), tc.pinned, got)
			}
		})
	}
}
