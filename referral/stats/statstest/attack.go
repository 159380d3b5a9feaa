// Package statstest checks published statistics the way a hostile reader would: an attacker
// that works out suppressed numbers from what a table shows, and checks of every published
// cell against the true counts. The stats package and the domain's statistics tests share it.
package statstest

import (
	"fmt"
	"math"
	"testing"

	"github.com/harbour-nrm/harbour/referral/stats"
)

// The attacker below knows only what a table publishes and what its legend says ("<5" is 1 to
// 4, "[c]" is 5 or more, every other number exact), and works out what it can. It is written
// apart from the suppressor on purpose: general linear equations over real-valued intervals,
// not the suppressor's lines of parts and totals.

// unknown is one published position of a table as the attacker sees it.
type unknown struct {
	name       string // for messages: "row 3, 2026Q1"
	lo, hi     float64
	suppressed bool
}

// term is a coefficient and an unknown.
type term struct {
	coef float64
	x    int
}

// attackModel is a table's unknowns and the sums that tie them (each equation sums to zero).
type attackModel struct {
	xs        []unknown
	equations [][]term
}

// observe turns a published cell into an unknown with the bounds the legend gives.
func observe(name string, c stats.Cell) unknown {
	switch {
	case c.Value != nil && c.Mark == "":
		v := float64(*c.Value)
		return unknown{name: name, lo: v, hi: v}
	case c.Value == nil && c.Mark == stats.MarkLow:
		return unknown{name: name, lo: 1, hi: 4, suppressed: true}
	case c.Value == nil && c.Mark == stats.MarkWithheld:
		return unknown{name: name, lo: 5, hi: math.Inf(1), suppressed: true}
	}
	panic(fmt.Sprintf("%s: a cell neither shown nor suppressed: %+v", name, c))
}

// modelOf reads a published table. known gives exact totals learnt elsewhere (the same totals
// row shown in another table), by column; the grand total at len(columns).
func modelOf(tbl stats.Table, known map[int]int) attackModel {
	var m attackModel
	add := func(name string, c stats.Cell) int {
		m.xs = append(m.xs, observe(name, c))
		return len(m.xs) - 1
	}
	cols := make([][]int, len(tbl.Columns))
	var rowTotals []int
	for i, r := range tbl.Rows {
		var eq []term
		for j, c := range r.Cells {
			x := add(fmt.Sprintf("%s row %d %v, %s", tbl.Name, i, r.Keys, tbl.Columns[j]), c)
			eq = append(eq, term{1, x})
			cols[j] = append(cols[j], x)
		}
		if r.Total != nil {
			x := add(fmt.Sprintf("%s row %d %v, total", tbl.Name, i, r.Keys), *r.Total)
			m.equations = append(m.equations, append(eq, term{-1, x}))
			rowTotals = append(rowTotals, x)
		}
	}
	if tbl.Total == nil {
		return m
	}
	var totalRow []term
	for j, c := range tbl.Total.Cells {
		x := add(fmt.Sprintf("%s total, %s", tbl.Name, tbl.Columns[j]), c)
		if v, ok := known[j]; ok && m.xs[x].suppressed {
			m.xs[x].lo, m.xs[x].hi = float64(v), float64(v)
		}
		eq := []term{{-1, x}}
		for _, p := range cols[j] {
			eq = append(eq, term{1, p})
		}
		m.equations = append(m.equations, eq)
		totalRow = append(totalRow, term{1, x})
	}
	if tbl.Total.Total != nil {
		g := add(tbl.Name+" grand total", *tbl.Total.Total)
		if v, ok := known[len(tbl.Columns)]; ok && m.xs[g].suppressed {
			m.xs[g].lo, m.xs[g].hi = float64(v), float64(v)
		}
		m.equations = append(m.equations, append(totalRow, term{-1, g}))
		eq := []term{{-1, g}}
		for _, x := range rowTotals {
			eq = append(eq, term{1, x})
		}
		m.equations = append(m.equations, eq)
	}
	return m
}

// propagate narrows every unknown through every equation until nothing moves: from
// Σ aᵢxᵢ = 0, aₖxₖ lies within minus the interval of the other terms. Integers only, so
// bounds round inwards.
func (m *attackModel) propagate(t testing.TB) {
	for pass := 0; ; pass++ {
		if pass > 200000 {
			t.Fatal("the attack does not settle")
		}
		moved := false
		for _, eq := range m.equations {
			for k, tk := range eq {
				lo, hi := 0.0, 0.0 // the other terms' sum
				for i, ti := range eq {
					if i == k {
						continue
					}
					a, b := ti.coef*m.xs[ti.x].lo, ti.coef*m.xs[ti.x].hi
					lo, hi = lo+math.Min(a, b), hi+math.Max(a, b)
				}
				// aₖxₖ = −(others): xₖ within −[lo, hi]/aₖ
				a, b := -hi/tk.coef, -lo/tk.coef
				newLo, newHi := math.Ceil(math.Min(a, b)), math.Floor(math.Max(a, b))
				x := &m.xs[tk.x]
				if newLo > x.lo {
					x.lo, moved = newLo, true
				}
				if newHi < x.hi {
					x.hi, moved = newHi, true
				}
				if x.lo > x.hi {
					t.Fatalf("%s: the published numbers contradict each other", x.name)
				}
			}
		}
		if !moved {
			return
		}
	}
}

// Attack fails the test for every suppressed number the attacker can work out. known gives
// exact totals learnt elsewhere (the same totals row shown in another table), by column; the
// grand total at len(columns).
func Attack(t testing.TB, tbl stats.Table, known map[int]int) {
	t.Helper()
	for _, x := range WorkedOut(t, tbl, known) {
		t.Errorf("%s is suppressed but worked out as %v", x.Name, x.Value)
	}
}

// Recovered is a suppressed number the attacker worked out.
type Recovered struct {
	Name  string // "row 3, 2026Q1"
	Value float64
}

// WorkedOut is every suppressed number of the table the attacker can work out.
func WorkedOut(t testing.TB, tbl stats.Table, known map[int]int) []Recovered {
	t.Helper()
	m := modelOf(tbl, known)
	m.propagate(t)
	var out []Recovered
	for _, x := range m.xs {
		if x.suppressed && x.lo == x.hi {
			out = append(out, Recovered{x.name, x.lo})
		}
	}
	return out
}
