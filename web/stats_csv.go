package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/referral/stats"
	"github.com/labstack/echo/v4"
)

// statsCSV is the statistics as a file for spreadsheets: one line per number (table, row,
// period, number), each table's newest period first, headers and names in the reader's
// language, suppressed numbers as on the page. UTF-8 with a byte-order mark, so that Excel
// reads the Chinese.
func (s *Site) statsCSV(c echo.Context) error {
	if err := authorize(c, referral.ActStatsRead, referral.Target{}); err != nil {
		return err
	}
	st, err := s.deps.Domain.Stats(c.Request().Context(), statsQuery(c))
	if err != nil {
		return err
	}
	l := s.localizer(c)
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	write := func(fields ...string) {
		for i, f := range fields {
			fields[i] = spreadsheetSafe(f)
		}
		_ = w.Write(fields)
	}
	write(l.T("stats.csv_table", nil), l.T("stats.csv_row", nil), l.T("stats.csv_period", nil), l.T("stats.csv_value", nil))
	total := l.T("stats.total", nil)
	for _, t := range st.Tables {
		title := l.T(fmt.Sprintf("stats.table.%s", t.Name), nil)
		if t.Withheld {
			write(title, "", "", l.T("stats.withheld_table", nil))
			continue
		}
		rows := t.Rows
		labels := make([]string, 0, len(rows)+1)
		for _, r := range rows {
			labels = append(labels, rowLabel(l, t.Name, r.Keys))
		}
		if t.Total != nil {
			rows, labels = append(rows, *t.Total), append(labels, total)
		}
		// The newest period first, as on the page; each row's total for the period last.
		for j := len(t.Columns) - 1; j >= 0; j-- {
			for i, r := range rows {
				write(title, labels[i], t.Columns[j], csvCell(r.Cells[j]))
			}
		}
		for i, r := range rows {
			if r.Total != nil {
				write(title, labels[i], total, csvCell(*r.Total))
			}
		}
	}
	writeTimesCSV(l, st, write)
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	name := fmt.Sprintf("harbour-stats-%s-%s-%s.csv", st.Jurisdiction, st.From, st.To)
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// writeTimesCSV adds the decision times: a line per decision, measure and quarter, the newest
// quarter first.
func writeTimesCSV(l *i18n.Localizer, st referral.Stats, write func(...string)) {
	title := l.T("stats.times_title", nil)
	for j := len(st.Quarters) - 1; j >= 0; j-- {
		for _, t := range st.Times {
			for _, m := range []struct {
				id    string
				cells []stats.Cell
			}{{"median", t.Median}, {"p90", t.P90}} {
				write(title, l.T(fmt.Sprintf("stats.times.%s_%s", t.Decision, m.id), nil), st.Quarters[j].String(), csvCell(m.cells[j]))
			}
		}
	}
}

// csvCell is a number as a spreadsheet reads it (no digit grouping), or its mark as on the
// page; an empty cell for a time with no decision behind it.
func csvCell(c stats.Cell) string {
	if c.Mark == stats.MarkNone {
		return ""
	}
	if m, ok := markText(c); ok {
		return m
	}
	return strconv.Itoa(*c.Value)
}

// spreadsheetSafe keeps a text from being read as a formula by a spreadsheet.
func spreadsheetSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
