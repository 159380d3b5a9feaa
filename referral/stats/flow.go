package stats

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
