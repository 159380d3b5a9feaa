package web

// A chart is drawn on the server as inline SVG: no script and no chart library reach the
// browser. It is an image with a title and a description (role="img"); the table beside it
// holds every number, for screen readers and for anyone who prefers numbers. A chart draws
// only published numbers: a count shown as "<5" or "[c]" is never a bar (where a period's
// number is withheld, its mark is written in its place, without a bar). Charts are kept small,
// as the page is served to phones: a few elements per bar, whole units, no decoration.

// chartBars is the most bars a chart of categories draws: the largest; the table lists every
// row.
const chartBars = 12

// Chart geometry, in the SVG's own units: it scales to the width of its box.
const (
	chartWidth  = 320
	chartLabelH = 16 // a label above a bar, a group or a legend line
	chartBarH   = 14
	chartGap    = 8  // after a category's bar, or a group of bars
	chartInner  = 3  // between the bars of one group
	chartValueW = 56 // room right of the longest bar for its number
)

// chart is a horizontal bar chart laid out for the template: its items in drawing order, each
// bar followed by the text of its number.
type chart struct {
	ID, Title, Desc string
	Width, Height   int
	Items           []chartItem
}

// chartItem is a text (a label, a number, a mark) or a bar.
type chartItem struct {
	Bar   bool
	X, Y  int // a text's start and baseline; a bar's top (it starts at 0)
	W, H  int // a bar's length and height
	Class string
	Text  string
}

// bar is one number a chart shows: its label (above it, when it has one), its value, how it
// reads, and its series (which row of the table it comes from, where groups hold several).
// A number that is withheld, or 0, has no bar: only its text.
type bar struct {
	Label, Text string
	Value       int
	Drawn       bool
	Series      int
}

// barGroup is the bars of one period, under its label; a chart of categories has one group
// without a label.
type barGroup struct {
	Label string
	Bars  []bar
}

// newChart lays out groups of bars, each bar as long as its share of the largest. With more
// than one series, a legend names them first, each with its swatch.
func newChart(id, title, desc string, series []string, groups []barGroup) *chart {
	c := &chart{ID: id, Title: title, Desc: desc, Width: chartWidth}
	most := 1
	for _, g := range groups {
		for _, b := range g.Bars {
			if b.Drawn {
				most = max(most, b.Value)
			}
		}
	}
	y := 0
	text := func(x int, class, s string) {
		c.Items = append(c.Items, chartItem{X: x, Y: y + chartLabelH - 4, Class: class, Text: s})
		y += chartLabelH
	}
	if len(series) > 1 {
		for i, s := range series {
			c.Items = append(c.Items, chartItem{Bar: true, Y: y + 3, W: 10, H: 10, Class: seriesClass(i, "key")})
			text(14, "", s)
		}
		y += chartInner
	}
	for _, g := range groups {
		if g.Label != "" {
			text(0, "g", g.Label)
		}
		for i, b := range g.Bars {
			if b.Label != "" {
				text(0, "", b.Label)
			}
			x := 0
			if b.Drawn {
				x = max(1, b.Value*(chartWidth-chartValueW)/most)
				c.Items = append(c.Items, chartItem{Bar: true, Y: y, W: x, H: chartBarH, Class: seriesClass(b.Series, "")})
				x += 4
			}
			c.Items = append(c.Items, chartItem{X: x, Y: y + chartBarH - 3, Class: "v", Text: b.Text})
			y += chartBarH
			if i < len(g.Bars)-1 {
				y += chartInner
			}
		}
		y += chartGap
	}
	c.Height = y
	return c
}

// seriesClass is the class of a bar of a series (the first needs none), with more classes.
func seriesClass(series int, more string) string {
	cls := ""
	if series > 0 {
		cls = "s1"
	}
	switch {
	case cls == "":
		return more
	case more == "":
		return cls
	}
	return cls + " " + more
}
