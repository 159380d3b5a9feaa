package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/referral/nrm"
	"github.com/harbour-nrm/harbour/referral/stats"
	"github.com/labstack/echo/v4"
)

// statsData is the statistics page: the filter, and the published tables in the reader's
// language, each with its chart.
type statsData struct {
	Choices  []statsChoice
	Stats    *referral.Stats // nil when the filter was refused
	Period   string
	Sections []statsSection
	Times    *statsSection // decision times, where RG and CG decisions are made
	CSV      string        // the same statistics as a file
}

// statsChoice is one jurisdiction the reader may ask for.
type statsChoice struct {
	Value, Label string
	Selected     bool
}

// statsSection is one table as the page shows it: every label and number already in the
// reader's language, suppressed numbers as "<5" and "[c]".
type statsSection struct {
	ID, Title, Hint string
	Columns         []string
	Rows            []statsLine
	Total           *statsLine
	HasTotals       bool // a total per row
	Withheld        bool
	Chart           *chart
}

// statsLine is one row of a table.
type statsLine struct {
	Label string
	Cells []string
	Total string
}

// statsQuery reads the filter from the address.
func statsQuery(c echo.Context) referral.StatsQuery {
	return referral.StatsQuery{Jurisdiction: c.QueryParam("jurisdiction"), From: c.QueryParam("from"), To: c.QueryParam("to")}
}

// statsPage shows the statistics the reader may see, for the jurisdiction and quarters asked.
func (s *Site) statsPage(c echo.Context) error {
	if err := authorize(c, referral.ActStatsRead, referral.Target{}); err != nil {
		return err
	}
	q := statsQuery(c)
	st, err := s.deps.Domain.Stats(c.Request().Context(), q)
	p := s.newPage(c, "stats.title", nil)
	p.Form.Values["jurisdiction"], p.Form.Values["from"], p.Form.Values["to"] = q.Jurisdiction, q.From, q.To
	if err != nil {
		// A refused filter comes back with its messages, and the reader's own choices.
		d := &statsData{}
		if codes, cerr := s.deps.Domain.StatsChoices(c.Request().Context()); cerr == nil {
			d.Choices = statsChoices(s.localizer(c), codes, q.Jurisdiction)
		}
		p.Data = d
		return s.refused(c, "stats", p, err)
	}
	l := s.localizer(c)
	p.Form.Values["jurisdiction"], p.Form.Values["from"], p.Form.Values["to"] = st.Jurisdiction, st.From.String(), st.To.String()
	d := &statsData{Stats: &st, Choices: statsChoices(l, st.Jurisdictions, st.Jurisdiction),
		Period: l.T("stats.period", map[string]any{"From": quarterLabel(l, st.From), "To": quarterLabel(l, st.To)}),
		CSV:    "/stats.csv?" + url.Values{"jurisdiction": {st.Jurisdiction}, "from": {st.From.String()}, "to": {st.To.String()}}.Encode()}
	for _, t := range st.Tables {
		d.Sections = append(d.Sections, statsTableSection(l, st, t))
	}
	if len(st.Times) > 0 {
		d.Times = timesSection(l, st)
	}
	p.Data = d
	return s.render(c, http.StatusOK, "stats", p)
}

// statsChoices lists the jurisdictions for the filter, "all" first where allowed.
func statsChoices(l *i18n.Localizer, codes []string, selected string) []statsChoice {
	out := make([]statsChoice, len(codes))
	for i, code := range codes {
		out[i] = statsChoice{Value: code, Label: jurisdictionLabel(l, code), Selected: strings.EqualFold(code, selected)}
	}
	return out
}

func jurisdictionLabel(l *i18n.Localizer, code string) string {
	if code == referral.AllJurisdictions {
		return l.T("stats.all", nil)
	}
	id := fmt.Sprintf("stats.jurisdiction.%s", strings.ReplaceAll(strings.ToLower(code), "-", "_"))
	return labelOr(l, id, code)
}

// labelOr translates a message, or gives the fallback when there is none (a value found in
// the data that Harbour has no name for).
func labelOr(l *i18n.Localizer, id, fallback string) string {
	if s, err := l.Localize(id, nil); err == nil || (s != "" && s != id) {
		return s
	}
	return fallback
}

func quarterLabel(l *i18n.Localizer, q stats.Quarter) string {
	return l.T("stats.quarter", map[string]any{"Year": q.Year, "Quarter": q.N})
}

// rowLabel names a row's value in the reader's language; merged rows name each value.
func rowLabel(l *i18n.Localizer, table string, keys []string) string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = valueLabel(l, table, k)
	}
	return strings.Join(names, " / ")
}

// valueLabel names one value of a dimension.
func valueLabel(l *i18n.Localizer, table, key string) string {
	if key == "unknown" {
		return l.T("stats.value.unknown", nil)
	}
	switch table {
	case "exploitation_type":
		if key == "not_specified" {
			return l.T("stats.value.not_specified", nil)
		}
		return labelOr(l, fmt.Sprintf("exploitation.%s", key), key)
	case "age_group":
		return labelOr(l, fmt.Sprintf("stats.age.%s", key), key)
	case "gender":
		return labelOr(l, fmt.Sprintf("gender.%s", key), key)
	case "nationality":
		return l.RegionName(key)
	case "exploitation_location":
		return labelOr(l, fmt.Sprintf("stats.location.%s", key), key)
	case "referrer_kind":
		return labelOr(l, fmt.Sprintf("org.kind_%s", key), key)
	case "jurisdiction", stats.DtN:
		return jurisdictionLabel(l, key)
	case stats.Backlog:
		return labelOr(l, fmt.Sprintf("stats.backlog.%s", key), key)
	case stats.Decisions:
		decision, outcome, _ := strings.Cut(key, "/")
		return l.T("stats.decision_outcome", map[string]any{
			"Decision": labelOr(l, fmt.Sprintf("stats.decision.%s", decision), decision),
			"Outcome":  labelOr(l, fmt.Sprintf("stats.outcome.%s", outcome), outcome)})
	}
	return key
}

// cellText is a published number as shown: the number in the reader's style, or its mark.
func cellText(l *i18n.Localizer, c stats.Cell) string {
	if m, ok := markText(c); ok {
		return m
	}
	return l.Number(*c.Value)
}

// markText is how a cell without a number is shown, on the page and in the CSV alike: "<5"
// for 1 to 4, "[c]" for a count withheld, "–" for a time with no decision behind it; false
// for a cell that shows its number.
func markText(c stats.Cell) (string, bool) {
	switch c.Mark {
	case stats.MarkLow:
		return "<5", true
	case stats.MarkWithheld:
		return "[c]", true
	case stats.MarkNone:
		return "–", true
	}
	return "", false
}

// columnLabels names a table's columns: quarters, or for the backlog days (today as today).
func columnLabels(l *i18n.Localizer, st referral.Stats, t stats.Table) []string {
	out := make([]string, len(t.Columns))
	for i, col := range t.Columns {
		switch {
		case t.Name != stats.Backlog:
			q, _ := stats.ParseQuarter(col)
			out[i] = quarterLabel(l, q)
		case col == st.Today.String():
			out[i] = l.T("stats.today", map[string]any{"Date": dayLabel(l, col)})
		default:
			out[i] = dayLabel(l, col)
		}
	}
	return out
}

// dayLabel writes an ISO day in the reader's style.
func dayLabel(l *i18n.Localizer, iso string) string {
	d, err := nrm.ParseDay(iso)
	if err != nil {
		return iso
	}
	return l.Date(d.Civil(), time.UTC)
}

// statsTableSection lays one published table out for the page, the newest period first (on a
// phone it is the one in view, beside the rows' labels), with its chart.
func statsTableSection(l *i18n.Localizer, st referral.Stats, t stats.Table) statsSection {
	sec := statsSection{ID: "stats-" + strings.ReplaceAll(t.Name, "_", "-"), Title: l.T(fmt.Sprintf("stats.table.%s", t.Name), nil),
		Withheld: t.Withheld}
	if t.Name == stats.Backlog {
		sec.Hint = l.T("stats.backlog_hint", nil)
	}
	columns := columnLabels(l, st, t)
	sec.Columns = newestFirst(columns)
	line := func(label string, r stats.Row) statsLine {
		out := statsLine{Label: label, Cells: newestFirst(cellTexts(l, r.Cells))}
		if r.Total != nil {
			out.Total = cellText(l, *r.Total)
		}
		return out
	}
	labels := make([]string, len(t.Rows))
	for i, r := range t.Rows {
		labels[i] = rowLabel(l, t.Name, r.Keys)
		sec.Rows = append(sec.Rows, line(labels[i], r))
		sec.HasTotals = r.Total != nil
	}
	if t.Total != nil {
		total := line(l.T("stats.total", nil), *t.Total)
		sec.Total = &total
	}
	if !t.Withheld {
		sec.Chart = statsChart(l, sec.ID+"-chart", sec.Title, t, labels, columns)
	}
	return sec
}

// newestFirst returns a row's values, or a table's column labels, newest period first: the
// statistics count oldest first, readers want the latest first.
func newestFirst[T any](in []T) []T {
	out := slices.Clone(in)
	slices.Reverse(out)
	return out
}

// cellTexts is a row's cells as shown.
func cellTexts(l *i18n.Localizer, cells []stats.Cell) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = cellText(l, c)
	}
	return out
}

// timesSection lays the decision times out as one table, newest quarter first: median and
// 90th percentile of each decision, per quarter of the decision; its chart draws the medians.
func timesSection(l *i18n.Localizer, st referral.Stats) *statsSection {
	sec := &statsSection{ID: "stats-times", Title: l.T("stats.times_title", nil), Hint: l.T("stats.times_hint", nil)}
	columns := make([]string, len(st.Quarters))
	for i, q := range st.Quarters {
		columns[i] = quarterLabel(l, q)
	}
	sec.Columns = newestFirst(columns)
	var medians [][]stats.Cell
	var names []string
	withheld := 0
	for _, t := range st.Times {
		for _, m := range []struct {
			id    string
			cells []stats.Cell
		}{{"median", t.Median}, {"p90", t.P90}} {
			label := l.T(fmt.Sprintf("stats.times.%s_%s", t.Decision, m.id), nil)
			sec.Rows = append(sec.Rows, statsLine{Label: label, Cells: newestFirst(cellTexts(l, m.cells))})
			withheld += suppressed(m.cells...)
			if m.id == "median" {
				medians, names = append(medians, m.cells), append(names, label)
			}
		}
	}
	sec.Chart = periodsChart(l, sec.ID+"-chart", l.T("stats.chart.periods_title", map[string]any{"Title": sec.Title}),
		medians, names, columns, withheld)
	return sec
}
