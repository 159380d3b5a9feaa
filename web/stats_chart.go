package web

import (
	"slices"

	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/referral/stats"
)

// statsChart chooses what a table's chart draws: the first of these that has a published
// number above 0 to draw, so that every table with one has its chart.
//   - each category's total for the period (the distribution), largest first;
//   - a table of one row, or the totals row when no category's total is published: per
//     period, newest first;
//   - a few rows without totals (the backlog): each row per period, newest first;
//   - each category's count in the newest period that has one published;
//   - the categories' totals and the grand total.
//
// A number withheld ("<5", "[c]") is never drawn; the description says how many the table
// withholds. Nil when nothing can be drawn (every number withheld or 0).
func statsChart(l *i18n.Localizer, id, title string, t stats.Table, rows, columns []string) *chart {
	withheld := 0
	for _, r := range append(slices.Clone(t.Rows), totalRow(t)...) {
		withheld += suppressed(r.Cells...)
		if r.Total != nil {
			withheld += suppressed(*r.Total)
		}
	}
	named := func(id string, data map[string]any) string {
		if data == nil {
			data = map[string]any{}
		}
		data["Title"] = title
		return l.T(id, data)
	}
	totals := func(rows []stats.Row) []stats.Cell {
		out := make([]stats.Cell, len(rows))
		for i, r := range rows {
			if r.Total != nil {
				out[i] = *r.Total
			}
		}
		return out
	}
	rowTotals := len(t.Rows) > 0 && t.Rows[0].Total != nil
	if rowTotals && len(t.Rows) > 1 {
		if c := categoriesChart(l, id, named("stats.chart_title", nil), totals(t.Rows), rows, withheld); c != nil {
			return c
		}
	}
	switch {
	case len(t.Rows) == 1:
		if c := periodsChart(l, id, named("stats.chart.periods_title", nil), [][]stats.Cell{t.Rows[0].Cells}, nil, columns, withheld); c != nil {
			return c
		}
	case t.Total != nil:
		if c := periodsChart(l, id, named("stats.chart.totals_title", nil), [][]stats.Cell{t.Total.Cells}, nil, columns, withheld); c != nil {
			return c
		}
	case len(t.Rows) <= 3:
		series := make([][]stats.Cell, len(t.Rows))
		for i, r := range t.Rows {
			series[i] = r.Cells
		}
		if c := periodsChart(l, id, named("stats.chart.periods_title", nil), series, rows, columns, withheld); c != nil {
			return c
		}
	}
	for j := len(columns) - 1; j >= 0; j-- {
		cells := make([]stats.Cell, len(t.Rows))
		for i, r := range t.Rows {
			cells[i] = r.Cells[j]
		}
		if c := categoriesChart(l, id, named("stats.chart.column_title", map[string]any{"Period": columns[j]}), cells, rows, withheld); c != nil {
			return c
		}
	}
	if rowTotals {
		cells, labels := totals(t.Rows), slices.Clone(rows)
		if t.Total != nil && t.Total.Total != nil {
			cells, labels = append(cells, *t.Total.Total), append(labels, l.T("stats.total", nil))
		}
		return categoriesChart(l, id, named("stats.chart_title", nil), cells, labels, withheld)
	}
	return nil
}

// totalRow is the table's totals row, if it has one.
func totalRow(t stats.Table) []stats.Row {
	if t.Total == nil {
		return nil
	}
	return []stats.Row{*t.Total}
}

// suppressed counts the cells shown as "<5" or "[c]".
func suppressed(cells ...stats.Cell) int {
	n := 0
	for _, c := range cells {
		if c.Mark == stats.MarkLow || c.Mark == stats.MarkWithheld {
			n++
		}
	}
	return n
}

// categoriesChart draws a bar per category with a published number above 0, largest first, at
// most chartBars; nil when there is none.
func categoriesChart(l *i18n.Localizer, id, title string, cells []stats.Cell, labels []string, withheld int) *chart {
	var bars []bar
	for i, c := range cells {
		if c.Value != nil && *c.Value > 0 {
			bars = append(bars, bar{Label: labels[i], Value: *c.Value, Text: l.Number(*c.Value), Drawn: true})
		}
	}
	if len(bars) == 0 {
		return nil
	}
	slices.SortStableFunc(bars, func(a, b bar) int { return b.Value - a.Value })
	desc := l.T("stats.chart.categories_desc", map[string]any{"Count": min(len(bars), chartBars)})
	if len(bars) > chartBars {
		desc = sentences(l, desc, l.T("stats.chart.more", map[string]any{"Count": len(bars) - chartBars}))
		bars = bars[:chartBars]
	}
	return newChart(id, title, withheldNote(l, desc, withheld), nil, []barGroup{{Bars: bars}})
}

// periodsChart draws each series per period, newest first: a bar for a published number above
// 0, the mark alone for one withheld; nil when no bar would be drawn. Several series are named
// in a legend.
func periodsChart(l *i18n.Localizer, id, title string, series [][]stats.Cell, names, columns []string, withheld int) *chart {
	drawn := false
	var groups []barGroup
	for j := len(columns) - 1; j >= 0; j-- {
		g := barGroup{Label: columns[j]}
		for s, cells := range series {
			b := bar{Series: s}
			if m, ok := markText(cells[j]); ok {
				b.Text = m
			} else {
				b.Value, b.Text, b.Drawn = *cells[j].Value, l.Number(*cells[j].Value), *cells[j].Value > 0
			}
			drawn = drawn || b.Drawn
			g.Bars = append(g.Bars, b)
		}
		groups = append(groups, g)
	}
	if !drawn {
		return nil
	}
	desc := l.T("stats.chart.periods_desc", map[string]any{"Count": len(columns)})
	if len(names) < 2 {
		names = nil
	}
	return newChart(id, title, withheldNote(l, desc, withheld), names, groups)
}

// withheldNote adds to a chart's description how many of its table's numbers are withheld,
// and so not drawn.
func withheldNote(l *i18n.Localizer, desc string, withheld int) string {
	if withheld == 0 {
		return desc
	}
	return sentences(l, desc, l.T("stats.chart.withheld", map[string]any{"Count": withheld}))
}

// sentences joins two sentences as the reader's language does (Chinese without a space).
func sentences(l *i18n.Localizer, first, second string) string {
	return l.T("stats.chart.sentences", map[string]any{"First": first, "Second": second})
}
