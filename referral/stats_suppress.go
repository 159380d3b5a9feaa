package referral

import "slices"

// Mark says how a published count is shown.
type Mark uint8

// Marks. A count from 1 to 4 is Low ("<5"); Withheld ("[c]") hides a count of 5 or more so that
// no Low count can be worked out from the totals. Zeros are always shown: a Withheld cell is
// never a zero.
const (
	Shown Mark = iota
	Low
	Withheld
)

// Bounds a reader knows of a suppressed count: Low is 1 to 4; Withheld is 5 or more, with no
// upper bound but the totals.
const (
	lowMin, lowMax = 1, 4
	withheldMin    = lowMax + 1
	unbounded      = 1 << 40
)

// markOf is a count's primary mark.
func markOf(v int) Mark {
	if v >= lowMin && v <= lowMax {
		return Low
	}
	return Shown
}

// cell names a position in a grid: row, column.
type cell struct{ i, j int }

// grid is a table of counts as published: r×c counts, with a column of row totals (at column
// c) and a row of column totals (at row r) when it has them, and each position's mark.
type grid struct {
	r, c           int
	rowTot, colTot bool
	v              [][]int
	m              [][]Mark
	lines          [][]cell // each: the parts, then their total last
	through        map[cell][]int
	safe           map[cell]bool // suppressed counts found not to be worked out: withholding more keeps them so
}

// newGrid adds the totals the table publishes to its counts and marks every count of 1 to 4.
func newGrid(counts [][]int, c int, rowTot, colTot bool) *grid {
	r := len(counts)
	g := &grid{r: r, c: c, rowTot: rowTot, colTot: colTot, through: map[cell][]int{}, safe: map[cell]bool{}}
	g.v, g.m = make([][]int, r+1), make([][]Mark, r+1)
	for i := range r + 1 {
		g.v[i], g.m[i] = make([]int, c+1), make([]Mark, c+1)
		if i < r {
			copy(g.v[i], counts[i])
		}
	}
	for i := range r {
		for j := range c {
			g.v[i][c] += g.v[i][j]
			g.v[r][j] += g.v[i][j]
			g.v[r][c] += g.v[i][j]
		}
	}
	for _, p := range g.published() {
		g.m[p.i][p.j] = markOf(g.v[p.i][p.j])
	}
	g.addLines()
	return g
}

// published lists the positions the table shows: the counts and the totals it has.
func (g *grid) published() []cell {
	var out []cell
	for i := range g.r + 1 {
		for j := range g.c + 1 {
			if (i < g.r || g.colTot) && (j < g.c || g.rowTot) && (i < g.r || j < g.c || g.rowTot && g.colTot) {
				out = append(out, cell{i, j})
			}
		}
	}
	return out
}

// addLines lists the sums a reader can check: each row with its total, each column with its
// total, and the totals' own row and column.
func (g *grid) addLines() {
	add := func(parts []cell, total cell) {
		g.lines = append(g.lines, append(parts, total))
	}
	if g.rowTot {
		for i := range g.r {
			var parts []cell
			for j := range g.c {
				parts = append(parts, cell{i, j})
			}
			add(parts, cell{i, g.c})
		}
	}
	if g.colTot {
		for j := range g.c {
			var parts []cell
			for i := range g.r {
				parts = append(parts, cell{i, j})
			}
			add(parts, cell{g.r, j})
		}
	}
	if g.rowTot && g.colTot {
		var row, col []cell
		for j := range g.c {
			row = append(row, cell{g.r, j})
		}
		for i := range g.r {
			col = append(col, cell{i, g.c})
		}
		add(row, cell{g.r, g.c})
		add(col, cell{g.r, g.c})
	}
	for n, l := range g.lines {
		for _, p := range l {
			g.through[p] = append(g.through[p], n)
		}
	}
}

func (g *grid) suppressed(p cell) bool { return g.m[p.i][p.j] != Shown }

func (g *grid) isTotal(p cell) bool { return p.i == g.r || p.j == g.c }

// protect adds Withheld marks until no suppressed count can be worked out: every line holding a
// suppressed count holds at least two, and bounds propagated through every line leave each
// suppressed count more than one value. It reports false when no more counts can be withheld
// and some count still can be worked out (four counts of 1 in a line whose total is 4: the
// layout itself gives them away).
func (g *grid) protect() bool {
	for {
		if g.pairLines() {
			continue
		}
		pinned := g.pinned()
		if len(pinned) == 0 {
			return true
		}
		added := false
		for _, p := range pinned {
			if q, ok := g.complement(g.through[p], p); ok {
				g.m[q.i][q.j] = Withheld
				added = true
			}
		}
		if !added {
			return false
		}
	}
}

// pairLines withholds a second count in every line that suppresses exactly one; it reports
// whether it withheld any.
func (g *grid) pairLines() bool {
	changed := false
	for n, l := range g.lines {
		single := cell{-1, -1}
		count := 0
		for _, p := range l {
			if g.suppressed(p) {
				count++
				single = p
			}
		}
		if count != 1 {
			continue
		}
		if q, ok := g.complement([]int{n}, single); ok {
			g.m[q.i][q.j] = Withheld
			changed = true
		}
	}
	return changed
}

// complement chooses a shown, non-zero count in one of the lines to withhold beside p: a count
// rather than a total, one that also completes another line holding a single suppressed count,
// and the smallest, so that as little as possible is hidden.
func (g *grid) complement(lines []int, p cell) (cell, bool) {
	best, found := cell{}, false
	var bestScore [3]int
	for _, n := range lines {
		for _, q := range g.lines[n] {
			if q == p || g.suppressed(q) || g.v[q.i][q.j] == 0 {
				continue
			}
			score := [3]int{0, g.crossing(q, n), g.v[q.i][q.j]}
			if g.isTotal(q) {
				score[0] = 1
			}
			if !found || slices.Compare(score[:], bestScore[:]) < 0 {
				best, bestScore, found = q, score, true
			}
		}
	}
	return best, found
}

// crossing rates the other lines through q: 0 when withholding q completes one that
// suppresses a single count, 1 when they all already suppress two or more, 2 when withholding
// q starts a new line of suppression.
func (g *grid) crossing(q cell, line int) int {
	rate := 1
	for _, n := range g.through[q] {
		if n == line {
			continue
		}
		count := 0
		for _, p := range g.lines[n] {
			if g.suppressed(p) {
				count++
			}
		}
		switch {
		case count == 1:
			return 0
		case count == 0:
			rate = 2
		}
	}
	return rate
}

// pinned returns the suppressed counts that every table consistent with what is published
// gives the same value, so a reader can work them out. A table with its totals is a flow
// network (source → row → column → sink, the grand total back to the source), each count an
// arc with the bounds a reader knows: a shown count exactly, Low 1 to 4, Withheld 5 or more.
// Its matrix is totally unimodular, so a count can take another whole value in some consistent
// table exactly when a cycle of the residual network of the true table runs through its arc.
// This is exact, where propagating bounds line by line misses what combining lines reveals.
// Withholding more only adds residual arcs, so a count once found safe stays safe.
func (g *grid) pinned() []cell {
	net := g.network()
	var out []cell
	for k, a := range net.arcs {
		if a.p.i < 0 || !g.suppressed(a.p) || g.safe[a.p] {
			continue
		}
		up := a.v < a.hi && net.reaches(a.to, a.from, k)
		if up || a.v > a.lo && net.reaches(a.from, a.to, k) {
			g.safe[a.p] = true
		} else {
			out = append(out, a.p)
		}
	}
	return out
}

// flowArc is a published position as an arc of the network, with its true value and bounds.
type flowArc struct {
	from, to  int
	p         cell
	v, lo, hi int
}

// flowNetwork is a grid as a network: node 0 the source, 1 the sink, then rows, then columns.
type flowNetwork struct {
	arcs []flowArc
	out  [][]int // residual arcs leaving each node: index into arcs, negative (^k) for backwards
}

// network builds the grid's network. A table without row totals takes its counts from the
// source, one without column totals sends them to the sink, and one without a grand total
// returns their sum to the source freely.
func (g *grid) network() flowNetwork {
	const source, sink = 0, 1
	row := func(i int) int {
		if g.rowTot {
			return 2 + i
		}
		return source
	}
	col := func(j int) int {
		if g.colTot {
			return 2 + g.r + j
		}
		return sink
	}
	n := flowNetwork{out: make([][]int, 2+g.r+g.c)}
	add := func(from, to int, p cell, v int, m Mark) {
		lo, hi := v, v
		switch m {
		case Low:
			lo, hi = lowMin, lowMax
		case Withheld:
			lo, hi = withheldMin, unbounded
		}
		n.arcs = append(n.arcs, flowArc{from, to, p, v, lo, hi})
		k := len(n.arcs) - 1
		if v < hi {
			n.out[from] = append(n.out[from], k)
		}
		if v > lo {
			n.out[to] = append(n.out[to], ^k)
		}
	}
	for _, p := range g.published() {
		switch {
		case p.i < g.r && p.j < g.c:
			add(row(p.i), col(p.j), p, g.v[p.i][p.j], g.m[p.i][p.j])
		case p.i < g.r:
			add(source, row(p.i), p, g.v[p.i][p.j], g.m[p.i][p.j])
		case p.j < g.c:
			add(col(p.j), sink, p, g.v[p.i][p.j], g.m[p.i][p.j])
		default:
			add(sink, source, p, g.v[p.i][p.j], g.m[p.i][p.j])
		}
	}
	if !(g.rowTot && g.colTot) {
		// The unpublished sum of everything: free to be any number.
		k := len(n.arcs)
		n.arcs = append(n.arcs, flowArc{sink, source, cell{-1, -1}, g.v[g.r][g.c], 0, unbounded})
		n.out[sink] = append(n.out[sink], k)
		if g.v[g.r][g.c] > 0 {
			n.out[source] = append(n.out[source], ^k)
		}
	}
	return n
}

// reaches reports whether the residual network leads from one node to another without arc skip.
func (n flowNetwork) reaches(from, to, skip int) bool {
	seen := make([]bool, len(n.out))
	queue := []int{from}
	seen[from] = true
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		if u == to {
			return true
		}
		for _, k := range n.out[u] {
			next := 0
			switch {
			case k == skip || ^k == skip:
				continue
			case k >= 0:
				next = n.arcs[k].to
			default:
				next = n.arcs[^k].from
			}
			if !seen[next] {
				seen[next] = true
				queue = append(queue, next)
			}
		}
	}
	return false
}

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
func Suppress(tables ...CountTable) []StatsTable {
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
	out := make([]StatsTable, len(ts))
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
