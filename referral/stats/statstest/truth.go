package statstest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/harbour-nrm/harbour/referral/stats"
)

// Truth is what a published table stands for: for each published row (merged rows summed),
// its true counts and total, and the true totals row.
type Truth struct {
	Rows   [][]int // each with its total last
	Totals []int   // the totals row, grand total last
}

// TruthOf sums a table's true counts as the published rows group them.
func TruthOf(t testing.TB, in stats.CountTable, out stats.Table) Truth {
	t.Helper()
	index := map[string]int{}
	for i, k := range in.Keys {
		index[k[0]] = i
	}
	c := len(in.Columns)
	tr := Truth{Totals: make([]int, c+1)}
	for _, r := range out.Rows {
		row := make([]int, c+1)
		for _, k := range r.Keys {
			i, ok := index[k]
			if !ok {
				t.Fatalf("published row %v names no row", r.Keys)
			}
			for j, v := range in.Counts[i] {
				row[j] += v
				row[c] += v
			}
		}
		tr.Rows = append(tr.Rows, row)
		for j := range row {
			tr.Totals[j] += row[j]
		}
	}
	return tr
}

// CheckCell fails for a shown number that is not the true one, a "<5" that is not 1 to 4, and
// a "[c]" that is below 5 (a zero above all).
func CheckCell(t testing.TB, name string, c stats.Cell, v int) {
	t.Helper()
	switch c.Mark {
	case "":
		if c.Value == nil || *c.Value != v {
			t.Errorf("%s: shown %v, true %d", name, c.Value, v)
		}
	case stats.MarkLow:
		if c.Value != nil || v < 1 || v > 4 {
			t.Errorf("%s: <5 (value %v), true %d", name, c.Value, v)
		}
	case stats.MarkWithheld:
		if c.Value != nil || v < 5 {
			t.Errorf("%s: [c] (value %v), true %d", name, c.Value, v)
		}
	default:
		t.Errorf("%s: mark %q", name, c.Mark)
	}
}

// CheckTable compares a published table with the Truth, cell by cell.
func CheckTable(t testing.TB, out stats.Table, tr Truth) {
	t.Helper()
	c := len(out.Columns)
	for i, r := range out.Rows {
		for j, cell := range r.Cells {
			CheckCell(t, fmt.Sprintf("%s %v %s", out.Name, r.Keys, out.Columns[j]), cell, tr.Rows[i][j])
		}
		if r.Total != nil {
			CheckCell(t, fmt.Sprintf("%s %v total", out.Name, r.Keys), *r.Total, tr.Rows[i][c])
		}
	}
	if out.Total != nil {
		for j, cell := range out.Total.Cells {
			CheckCell(t, fmt.Sprintf("%s total %s", out.Name, out.Columns[j]), cell, tr.Totals[j])
		}
		if out.Total.Total != nil {
			CheckCell(t, out.Name+" grand total", *out.Total.Total, tr.Totals[c])
		}
	}
}

// Suppressed counts the table's Suppressed cells by mark.
func Suppressed(tbl stats.Table) map[string]int {
	out := map[string]int{}
	count := func(c stats.Cell) { out[c.Mark]++ }
	for _, r := range tbl.Rows {
		for _, c := range r.Cells {
			count(c)
		}
		if r.Total != nil {
			count(*r.Total)
		}
	}
	if tbl.Total != nil {
		for _, c := range tbl.Total.Cells {
			count(c)
		}
		if tbl.Total.Total != nil {
			count(*tbl.Total.Total)
		}
	}
	return out
}

// Show writes a published table as text, for messages.
func Show(tbl stats.Table) string {
	var b strings.Builder
	cell := func(c stats.Cell) string {
		switch c.Mark {
		case stats.MarkLow:
			return "<5"
		case stats.MarkWithheld:
			return "[c]"
		}
		return fmt.Sprint(*c.Value)
	}
	line := func(r stats.Row) {
		for _, c := range r.Cells {
			b.WriteString(cell(c) + "\t")
		}
		if r.Total != nil {
			b.WriteString("| " + cell(*r.Total))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	for _, r := range tbl.Rows {
		line(r)
	}
	if tbl.Total != nil {
		line(*tbl.Total)
	}
	return b.String()
}
