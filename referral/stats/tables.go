package stats

import "slices"

// CountTable is a table of counts before it is published: rows of a dimension's values (more
// than one value once rows were merged), columns of periods, and which totals it shows.
type CountTable struct {
	Name         string
	Columns      []string
	Keys         [][]string
	Counts       [][]int
	RowTotals    bool // a total per row (a column of totals)
	ColumnTotals bool // a total per column (a row of totals)
}

// Suppress publishes tables of counts that share one row of column totals (or a single
// table): every count from 1 to 4 is shown as "<5", and enough others are withheld that no
// such count can be worked out from the totals. The tables are not changed; merged rows and
// withheld tables show in the result. It is what Stats does to every table.
func Suppress(tables ...CountTable) []Table {
	ts := make([]*CountTable, len(tables))
	for n, t := range tables {
		c := t
		c.Keys, c.Counts = make([][]string, len(t.Keys)), make([][]int, len(t.Counts))
		for i := range t.Keys {
			c.Keys[i], c.Counts[i] = slices.Clone(t.Keys[i]), slices.Clone(t.Counts[i])
		}
		ts[n] = &c
	}
	grids, withheld := protectGroup(ts)
	out := make([]Table, len(ts))
	for n, t := range ts {
		out[n] = publish(t, grids[n], withheld[n])
	}
	return out
}

// protectGroup protects tables that publish the same row of column totals (every dimension
// of one population per quarter): the marks of that row are made the same in all of them, or
// a count hidden in one could be read in another. Tables whose counts cannot be protected are
// withheld whole; the bool says which.
func protectGroup(tables []*CountTable) ([]*grid, []bool) {
	grids, withheld := make([]*grid, len(tables)), make([]bool, len(tables))
	for n, t := range tables {
		grids[n], withheld[n] = protectTable(t, nil)
	}
	for {
		var shared []Mark
		for n, g := range grids {
			if withheld[n] || !g.colTot {
				continue
			}
			if shared == nil {
				shared = make([]Mark, g.c+1)
			}
			for j := range g.c + 1 {
				shared[j] = max(shared[j], g.m[g.r][j])
			}
		}
		changed := false
		for n, g := range grids {
			if withheld[n] || !g.markTotals(shared) {
				continue
			}
			changed = true
			if !g.protect() {
				grids[n], withheld[n] = protectTable(tables[n], shared)
			}
		}
		if !changed {
			return grids, withheld
		}
	}
}

// markTotals withholds in the totals row what another table withholds there; it reports
// whether it withheld anything.
func (g *grid) markTotals(shared []Mark) bool {
	changed := false
	for j, m := range shared {
		if g.colTot && m > g.m[g.r][j] {
			g.m[g.r][j], changed = m, true
		}
	}
	return changed
}

// protectTable protects one table, with the marks of its totals row at least those given.
// When no withholding can protect it, the rows that give a count away are merged with another
// (a rare nationality's four quarters of one person each), and when no merging can, it is
// withheld.
func protectTable(t *CountTable, totalRow []Mark) (*grid, bool) {
	for {
		g := newGrid(t.Counts, len(t.Columns), t.RowTotals, t.ColumnTotals)
		g.markTotals(totalRow)
		if g.protect() {
			return g, false
		}
		i, k, ok := g.mergeable()
		if !ok {
			return g, true
		}
		t.merge(i, k)
	}
}

// mergeable chooses two rows whose merging takes away what gives a count away: the row of a
// count that can be worked out, and the smallest other row, one with a count in the same
// column if there is one. It reports false when only the totals row is at fault.
func (g *grid) mergeable() (int, int, bool) {
	for _, p := range g.pinned() {
		if p.i == g.r {
			continue
		}
		k, kInColumn := -1, false
		for o := range g.r {
			if o == p.i {
				continue
			}
			in := p.j < g.c && g.v[o][p.j] > 0
			if k < 0 || in && !kInColumn || in == kInColumn && g.v[o][g.c] < g.v[k][g.c] {
				k, kInColumn = o, in
			}
		}
		if k >= 0 {
			return p.i, k, true
		}
	}
	return 0, 0, false
}

// merge adds row k to row i and removes it.
func (t *CountTable) merge(i, k int) {
	t.Keys[i] = append(t.Keys[i], t.Keys[k]...)
	for j := range t.Counts[i] {
		t.Counts[i][j] += t.Counts[k][j]
	}
	t.Keys = slices.Delete(t.Keys, k, k+1)
	t.Counts = slices.Delete(t.Counts, k, k+1)
}
