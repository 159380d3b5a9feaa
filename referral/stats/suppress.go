package stats

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
	withheldMin    = Least
	unbounded      = 1 << 40
)

// Least is the smallest number published as it is: fewer people, or decisions, are shown as
// "<5" (1 to 4) or not at all (0 decisions).
const Least = lowMax + 1

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
