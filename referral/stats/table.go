package stats

import "slices"

// Table is one published table: a row per value of its dimension, a column per quarter
// (per day for the backlog), with each row's total and a totals row where the table has them.
type Table struct {
	Name     string   `json:"name"`
	Columns  []string `json:"columns"`
	Rows     []Row    `json:"rows"`
	Total    *Row     `json:"total,omitempty"`
	Withheld bool     `json:"withheld"` // too few to publish anything
}

// Row is a row of a table: its dimension's value (several when rows were merged so that
// none gives a count away), a cell per column, and its total over the period.
type Row struct {
	Keys  []string `json:"keys"`
	Cells []Cell   `json:"cells"`
	Total *Cell    `json:"total,omitempty"`
}

// Cell is one published number, or why it is not shown: "low" (a count from 1 to 4, or a
// time behind which 1 to 4 decisions stand), "withheld" (a count of 5 or more, hidden so that
// no "low" one can be worked out), or "none" (a time with no decision behind it). A cell that
// is not shown never carries its value.
type Cell struct {
	Value *int   `json:"value"`
	Mark  string `json:"mark,omitempty"`
}

// Cell marks as published.
const (
	MarkLow      = "low"
	MarkWithheld = "withheld"
	MarkNone     = "none"
)

// Times is how long a decision took, in calendar days, per quarter of the decision: the
// median and the 90th percentile.
type Times struct {
	Decision string `json:"decision"`
	Median   []Cell `json:"median"`
	P90      []Cell `json:"p90"`
}

// publish turns a protected table into what readers see: a number only where it is shown.
func publish(t *CountTable, g *grid, withheld bool) Table {
	out := Table{Name: t.Name, Columns: t.Columns, Rows: []Row{}, Withheld: withheld}
	if withheld {
		return out
	}
	row := func(i int, keys []string) Row {
		r := Row{Keys: keys, Cells: make([]Cell, g.c)}
		for j := range g.c {
			r.Cells[j] = g.cell(i, j)
		}
		if g.rowTot {
			c := g.cell(i, g.c)
			r.Total = &c
		}
		return r
	}
	for i, keys := range t.Keys {
		out.Rows = append(out.Rows, row(i, slices.Clone(keys)))
	}
	if g.colTot {
		total := row(g.r, []string{})
		out.Total = &total
	}
	return out
}

// cell is a position as published: its count only when shown.
func (g *grid) cell(i, j int) Cell {
	switch g.m[i][j] {
	case Low:
		return Cell{Mark: MarkLow}
	case Withheld:
		return Cell{Mark: MarkWithheld}
	}
	v := g.v[i][j]
	return Cell{Value: &v}
}

func Names(qs []Quarter) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.String()
	}
	return out
}
