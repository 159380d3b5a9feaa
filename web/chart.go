package web

// A chart is drawn on the server as inline SVG: no script and no chart library reach the
// browser. It is an image with a title and a description (role="img"); the table beside it
// holds every number, for screen readers and for anyone who prefers numbers.

// chartBars is the most bars a chart draws: the largest; the table lists every row.
const chartBars = 12

// Chart geometry, in the SVG's own units: it scales to the width of the page.
const (
	chartWidth  = 320
	chartLabelH = 16 // the label above each bar
	chartBarH   = 14
	chartGap    = 8
	chartValueW = 56 // room right of the longest bar for its number
)

// chart is a horizontal bar chart, laid out for the template.
type chart struct {
	ID, Title, Desc string
	Width, Height   int
	Bars            []bar
}

// bar is one bar: its label above it, its length, and its number after it.
type bar struct {
	Label, Text     string
	Value           int
	Y, LabelY       int // the bar's top, the label's baseline
	W, TextX, TextY int
}

// newChart lays out the largest bars (given largest first), each as long as its share of the
// largest.
func newChart(id, title, desc string, bars []bar) *chart {
	if len(bars) > chartBars {
		bars = bars[:chartBars]
	}
	c := &chart{ID: id, Title: title, Desc: desc, Width: chartWidth}
	most := max(bars[0].Value, 1)
	y := 0
	for _, b := range bars {
		b.LabelY = y + chartLabelH - 4
		b.Y = y + chartLabelH
		b.W = max(1, b.Value*(chartWidth-chartValueW)/most)
		b.TextX, b.TextY = b.W+4, b.Y+chartBarH-3
		c.Bars = append(c.Bars, b)
		y += chartLabelH + chartBarH + chartGap
	}
	c.Height = y
	return c
}
