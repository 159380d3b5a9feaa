package web_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/harbour-nrm/harbour/demo"
	"github.com/harbour-nrm/harbour/server/servertest"
	"golang.org/x/net/html"
)

var statsServer = servertest.StartStatistics

// TestStatsPageRefusals: the page and the file for decision makers (of their own
// jurisdiction) and admins only.
func TestStatsPageRefusals(t *testing.T) {
	s, clients := statsServer(t)
	for _, path := range []string{"/stats", "/stats.csv"} {
		for _, tc := range []struct {
			who, query string
			want       int
		}{
			{"", "", 303}, {"officer", "", 403}, {"staff", "", 403}, {"caseworker", "", 403}, {"orgadmin", "", 403},
			{"dm", "", 200}, {"dmnl", "", 200}, {"admin", "", 200}, {"admin", "?jurisdiction=all", 200},
			{"dm", "?jurisdiction=NL", 403}, {"dm", "?jurisdiction=all", 403}, {"dmnl", "?jurisdiction=GB-EAW", 403},
		} {
			if status, _ := s.Page(t, clients[tc.who], path+tc.query); status != tc.want {
				t.Errorf("%s%s as %q: %d, want %d", path, tc.query, tc.who, status, tc.want)
			}
		}
	}
	for who, shown := range map[string]bool{"dm": true, "admin": true, "officer": false, "orgadmin": false} {
		_, body := s.Page(t, clients[who], "/")
		if got := len(find(parseHTML(t, body), `nav a[href="/stats"]`)) == 1; got != shown {
			t.Errorf("%s: a link to the statistics in the navigation: %v, want %v", who, got, shown)
		}
	}
}

// TestStatsPage: the decision maker's statistics in Chinese: a chart with its title and
// description for each table with a published count, a real table beside it, the newest
// quarter first, small counts as "<5", the legend, and a link to the file; a bad quarter comes
// back with its message and what was typed.
func TestStatsPage(t *testing.T) {
	s, clients := statsServer(t)
	status, body := s.Page(t, clients["dm"], "/stats")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	doc := parseHTML(t, body)
	contains(t, body, `<html lang="zh-Hans"`, "国家转介机制统计", "英格兰和威尔士", "如何阅读这些数字", "最新的季度放在最前面")
	gender := one(t, doc, `section#stats-gender-section`)
	// The men's total is withheld to protect the women's "<5": neither is drawn; the chart
	// draws the totals per quarter instead, and says what it withholds.
	chart := one(t, gender, `svg[role="img"]`)
	if title := text(one(t, chart, "title")); title != "按性别：每个时期的合计" {
		t.Fatalf("gender chart %q", title)
	}
	if desc := text(one(t, chart, "desc")); !strings.Contains(desc, "表中有 4 个数字不公布") {
		t.Fatalf("gender chart description %q", desc)
	}
	nationality := one(t, doc, `section#stats-nationality-section`)
	svg := one(t, nationality, `svg[role="img"]`)
	labelled := strings.Fields(attr(svg, "aria-labelledby"))
	if len(labelled) != 2 || text(one(t, svg, "title#"+labelled[0])) != "按国籍：所选期间的合计" || text(one(t, svg, "desc#"+labelled[1])) == "" {
		t.Fatalf("chart not described: %s", attr(svg, "aria-labelledby"))
	}
	if bars := find(svg, "rect"); len(bars) != 3 {
		t.Fatalf("%d nationality bars, want 3", len(bars))
	}
	contains(t, text(nationality), "英国", "越南", "阿尔巴尼亚")
	table := one(t, gender, "table")
	headers := find(table, `th[scope="col"]`)
	if text(one(t, table, "caption")) != "按性别" || len(headers) != 10 {
		t.Fatalf("gender table: caption %q, %d column headers", text(one(t, table, "caption")), len(headers))
	}
	if newest := s.QuarterText("zh-Hans", servertest.CurrentQuarter()); text(headers[1]) != newest {
		t.Fatalf("first quarter shown %q, want the newest, %q", text(headers[1]), newest)
	}
	var female []string
	for _, row := range find(table, "tbody tr") {
		if text(one(t, row, `th[scope="row"]`)) == "女性" {
			for _, td := range find(row, "td") {
				female = append(female, text(td))
			}
		}
	}
	if len(female) != 9 || female[0] != "<5" || female[8] != "<5" || female[7] != "0" {
		t.Fatalf("women's row, newest quarter first, then the total: %v", female)
	}
	csvLink := one(t, doc, `a[href^="/stats.csv?"]`)
	if !strings.Contains(attr(csvLink, "href"), "jurisdiction=GB-EAW") {
		t.Fatalf("file link %s", attr(csvLink, "href"))
	}

	status, body = s.Page(t, clients["dm"], "/stats?from=2026-Q1&to=2026Q4")
	if status != 422 {
		t.Fatalf("bad quarter: %d", status)
	}
	doc = parseHTML(t, body)
	if in := one(t, doc, "input#from"); attr(in, "value") != "2026-Q1" || attr(in, "aria-invalid") != "true" {
		t.Fatalf("from field %v", in.Attr)
	}
	contains(t, body, "请按年份加季度的格式填写，例如 2026Q3。")
	var reads int
	if err := s.DB.SQL.QueryRow(`SELECT count(*) FROM audit_events WHERE action = 'stats.read'`).Scan(&reads); err != nil || reads != 1 {
		t.Fatalf("%d reads audited (%v), want 1: the refused filter read nothing", reads, err)
	}

	_, body = s.Page(t, clients["dm"], "/stats?lang=en")
	contains(t, body, "NRM statistics", "By gender", "Waiting for a reasonable grounds decision", "Q4 2026")
}

// TestStatsCSV: the file opens in Excel in Chinese (UTF-8 with a byte-order mark), with
// translated headers and small counts as on the page.
func TestStatsCSV(t *testing.T) {
	s, clients := statsServer(t)
	res, err := clients["dm"].Get(s.URL + "/stats.csv")
	if err != nil {
		t.Fatal(err)
	}
	body := read(t, res)
	if ct, cd := res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"); ct != "text/csv; charset=utf-8" ||
		!strings.HasPrefix(cd, `attachment; filename="harbour-stats-GB-EAW-`) {
		t.Fatalf("Content-Type %q, Content-Disposition %q", ct, cd)
	}
	b, ok := bytes.CutPrefix([]byte(body), []byte("\uFEFF"))
	if !ok {
		t.Fatal("no byte-order mark")
	}
	records, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(records[0], ",") != "表格,类别,期间,数值" {
		t.Fatalf("headers %v", records[0])
	}
	found := map[string]string{}
	for _, r := range records[1:] {
		if r[0] == "按性别" {
			found[r[1]+" "+r[2]] = r[3]
		}
	}
	if found["女性 合计"] != "<5" || found["男性 合计"] != "[c]" || found["合计 合计"] != "40" {
		t.Fatalf("gender lines %v", found)
	}
	// Each table starts with its newest period (the backlog's is today).
	first := map[string]string{}
	for _, r := range records[1:] {
		if _, seen := first[r[0]]; !seen {
			first[r[0]] = r[2]
		}
	}
	if q := servertest.CurrentQuarter().String(); first["按性别"] != q || first["裁定及其结果"] != q {
		t.Fatalf("first periods %v, want %s", first, q)
	}
}

// TestStatsCharts: every table with a published count has its chart, and no chart draws a
// withheld count: on the small statistics (most counts withheld), for all jurisdictions in
// English, and on the demo's generated history, for each of its five jurisdictions and for a
// demo decision maker.
func TestStatsCharts(t *testing.T) {
	s, clients := statsServer(t)
	for _, tc := range []struct{ who, path string }{{"dm", "/stats"}, {"admin", "/stats?jurisdiction=all&lang=en"}} {
		_, body := s.Page(t, clients[tc.who], tc.path)
		if n := checkCharts(t, tc.path, parseHTML(t, body)); n < 5 {
			t.Errorf("%s: %d charts", tc.path, n)
		}
	}
	demoSrv := startServer(t)
	if _, err := demo.Load(cliCtx, demoSrv.Domain); err != nil {
		t.Fatal(err)
	}
	admin := demoSrv.DemoSignIn(t, "admin@demo.harbour.test")
	for _, code := range []string{"GB-EAW", "BE", "NL", "DE", "ES"} {
		path := "/stats?jurisdiction=" + code
		status, body := demoSrv.Page(t, admin, path)
		if status != 200 {
			t.Fatalf("%s: %d", path, status)
		}
		// Six tables of referrals and the decisions at least (GB-EAW adds backlog, Duty to
		// Notify reports and decision times).
		if n := checkCharts(t, path, parseHTML(t, body)); n < 7 {
			t.Errorf("%s: %d charts, want one per table of the generated history", path, n)
		}
	}
	_, body := demoSrv.Page(t, demoSrv.DemoSignIn(t, "decision@demo.harbour.test"), "/stats")
	if n := checkCharts(t, "decision maker (BE)", parseHTML(t, body)); n < 7 {
		t.Errorf("the Belgian decision maker's statistics have %d charts", n)
	}
}

// checkCharts fails unless every table with a published count above 0 has one chart in its
// section, described (and, where the table withholds numbers, saying so), and every bar of it
// is followed by a number its table publishes, never a withheld one. It returns the charts.
func checkCharts(t *testing.T, where string, doc *html.Node) (charts int) {
	t.Helper()
	for _, sec := range find(doc, "section.card") {
		tables := find(sec, "table.stats")
		if len(tables) == 0 {
			continue
		}
		id, published, marks := attr(sec, "id"), map[string]bool{}, 0
		for _, td := range find(tables[0], "td") {
			switch v := text(td); v {
			case "<5", "[c]":
				marks++
			case "0", "–", "":
			default:
				published[v] = true
			}
		}
		svgs := find(sec, `svg[role="img"]`)
		if len(published) == 0 || len(svgs) != 1 {
			if len(svgs) != 0 || len(published) != 0 {
				t.Errorf("%s %s: %d charts for %d published counts", where, id, len(svgs), len(published))
			}
			continue
		}
		svg, ids := svgs[0], strings.Fields(attr(svgs[0], "aria-labelledby"))
		if len(ids) != 2 || len(find(svg, "title#"+ids[0])) != 1 || len(find(svg, "desc#"+ids[1])) != 1 {
			t.Errorf("%s %s: chart labelled by %q", where, id, ids)
			continue
		}
		if desc := text(one(t, svg, "desc#"+ids[1])); marks > 0 && !strings.Contains(desc, "“<5”") {
			t.Errorf("%s %s: the table withholds %d numbers, the chart's description does not say so: %q", where, id, marks, desc)
		}
		bars := 0
		for n := svg.FirstChild; n != nil; n = n.NextSibling {
			if n.Type != html.ElementNode || n.Data != "rect" || strings.Contains(attr(n, "class"), "key") {
				continue
			}
			bars++
			value := n.NextSibling
			for value != nil && value.Type != html.ElementNode {
				value = value.NextSibling
			}
			if value == nil || value.Data != "text" {
				t.Errorf("%s %s: a bar without its number", where, id)
			} else if !published[text(value)] {
				t.Errorf("%s %s: a bar for %q, which the table does not publish", where, id, text(value))
			}
		}
		if bars == 0 {
			t.Errorf("%s %s: a chart without bars", where, id)
		}
		charts++
	}
	return charts
}

// statsBudget is the most the statistics page of a decision maker may weigh, compressed: it is
// served to phones. The stylesheet and script are cached for a year.
const statsBudget = 10 * 1024

// TestStatsPageWeight: the UK demo decision maker's statistics, on the demo's generated
// history (ten tables, each with its chart), stay within statsBudget. It logs the weight.
func TestStatsPageWeight(t *testing.T) {
	s := startServer(t)
	if _, err := demo.Load(cliCtx, s.Domain); err != nil {
		t.Fatal(err)
	}
	c := s.DemoSignIn(t, "decision.uk@demo.harbour.test")
	c.Transport = &http.Transport{DisableCompression: true} // count the bytes on the wire
	weigh := func(encoding string) (int, string) {
		req, _ := http.NewRequest("GET", s.URL+"/stats", nil)
		if encoding != "" {
			req.Header.Set("Accept-Encoding", encoding)
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b := read(t, res)
		if res.StatusCode != 200 {
			t.Fatalf("statistics: %d", res.StatusCode)
		}
		return len(b), b
	}
	raw, body := weigh("")
	gz, _ := weigh("gzip")
	charts := strings.Count(body, `<svg class="chart"`)
	t.Logf("statistics with %d charts: %d B gzip, %d B raw", charts, gz, raw)
	if charts != 10 {
		t.Errorf("%d charts, want 10", charts)
	}
	if gz > statsBudget {
		t.Fatalf("the statistics weigh %d B compressed, more than the budget of %d B", gz, statsBudget)
	}
}
