package api_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/harbour-nrm/harbour/referral"
)

// intake is the API fixture with a shelter worker (a wrong role for intake) and an officer of
// another police force.
func intake(t *testing.T) *fixture {
	f := newFixture(t)
	f.addUser("staff", f.shelter, referral.RoleShelterStaff)
	f.addUser("stranger", f.addOrganisation("Other police", referral.KindPolice), referral.RoleOfficer)
	return f
}

// count returns the number of rows of a table matching where.
func (f *fixture) count(table, where string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.db.SQL.QueryRow(`SELECT count(*) FROM `+table+` WHERE `+where, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func TestIntakeRefusals(t *testing.T) {
	f := intake(t)
	op := decode[referral.Operation](t, f.call("POST", "/api/v1/operations", "officer", `{"name":"Aktion Lotus"}`))
	cs := decode[referral.Case](t, f.call("POST", "/api/v1/cases", "officer", `{"operation_id":"`+op.ID.String()+`","language":"wuu"}`))
	newOp := func() string { return `{"id":"` + newID() + `","name":"Raid"}` }
	newCase := func() string { return `{"id":"` + newID() + `","language":"cmn"}` }
	tryEndpoints(t, f, []endpointCase{
		{"ListOperations", "GET", "/api/v1/operations", nil,
			[]attempt{{"", 401}, {"staff", 403}, {"orgadmin", 403}, {"officer", 200}}},
		{"CreateOperation", "POST", "/api/v1/operations", newOp,
			[]attempt{{"", 401}, {"staff", 403}, {"orgadmin", 403}, {"admin", 403}, {"officer", 201}}},
		{"GetOperation", "GET", "/api/v1/operations/" + op.ID.String(), nil,
			[]attempt{{"", 401}, {"stranger", 404}, {"staff", 404}, {"orgadmin", 404}, {"colleague", 200}}},
		{"CreateCase", "POST", "/api/v1/cases", newCase,
			[]attempt{{"", 401}, {"staff", 403}, {"orgadmin", 403}, {"admin", 403}, {"officer", 201}}},
		{"GetCase", "GET", "/api/v1/cases/" + cs.ID.String(), nil,
			[]attempt{{"", 401}, {"stranger", 404}, {"staff", 404}, {"orgadmin", 404}, {"admin", 404}, {"colleague", 200}}},
	})
	// Another force cannot file a person into this force's operation.
	rec := f.call("POST", "/api/v1/cases", "stranger", `{"operation_id":"`+op.ID.String()+`"}`)
	status(t, rec, 422)
	if p := problem(t, rec); len(p.Errors) != 1 || p.Errors[0].Field != "operation_id" {
		t.Fatalf("problem %+v", p)
	}
	// Nor take over a record by reusing its ID.
	status(t, f.call("POST", "/api/v1/cases", "stranger", `{"id":"`+cs.ID.String()+`"}`), 409)
	status(t, f.call("POST", "/api/v1/operations", "stranger", `{"id":"`+op.ID.String()+`","name":"Mine"}`), 409)
	if got := decode[referral.Case](t, f.call("GET", "/api/v1/cases/"+cs.ID.String(), "officer", "")); got.Language != "wuu" {
		t.Fatalf("case changed: %+v", got)
	}
}

// TestCaseCreatedOnce: an upload repeated, one after another or at the same moment, records her
// once and answers each time with the same case.
func TestCaseCreatedOnce(t *testing.T) {
	f := intake(t)
	id := newID()
	body := `{"id":"` + id + `","language":"wuu","gender":"female","age":24,"name_original":"王小梅","name_latin":"Wang Xiaomei",
		"needs":["bed_tonight"],"exploitation_types":["sexual"],"indicators":["deceptive_recruitment"],"nationality":"cn"}`
	first := f.call("POST", "/api/v1/cases", "officer", body)
	status(t, first, 201)
	c := decode[referral.Case](t, first)
	if c.ID.String() != id || !strings.HasPrefix(c.Reference, "HB-") || len(c.Reference) != 10 || c.Nationality != "CN" || c.NameOriginal != "王小梅" {
		t.Fatalf("case %+v", c)
	}
	again := f.call("POST", "/api/v1/cases", "officer", strings.Replace(body, `"age":24`, `"age":25`, 1))
	status(t, again, 200)
	if c2 := decode[referral.Case](t, again); c2.Reference != c.Reference || *c2.Age != 24 {
		t.Fatalf("the repeat answered %+v, want the case as first recorded", c2)
	}
	// The same new upload eight times at once.
	id2 := newID()
	var wg sync.WaitGroup
	codes := make(chan int, 8)
	for range 8 {
		wg.Go(func() {
			codes <- f.call("POST", "/api/v1/cases", "colleague", `{"id":"`+id2+`","language":"cmn"}`).Code
		})
	}
	wg.Wait()
	close(codes)
	got := map[int]int{}
	for code := range codes {
		got[code]++
	}
	if got[201] != 1 || got[200] != 7 {
		t.Fatalf("statuses %v, want one 201 and seven 200", got)
	}
	if n := f.count("cases", "id IN ($1, $2)", id, id2); n != 2 {
		t.Fatalf("%d cases, want 2", n)
	}
	if n := f.count("audit_events", "action = 'case.create'"); n != 2 {
		t.Fatalf("%d case.create events, want 2", n)
	}
}

// TestCaseBadInput: each mistake is named in the request's language, and nothing is saved.
func TestCaseBadInput(t *testing.T) {
	f := intake(t)
	events := f.count("audit_events", "true")
	for _, c := range []struct {
		name, body, field, zh string
	}{
		{"full-width digits", `{"birth_date":"２００１-０４-２３"}`, "birth_date", "半角数字"},
		{"impossible date", `{"birth_date":"2001-02-30"}`, "birth_date", "年-月-日"},
		{"born tomorrow", `{"birth_date":"2999-01-01"}`, "birth_date", "不能晚于今天"},
		{"age and birth disagree", `{"age":40,"birth_date":"2001-04-23"}`, "age", "不符"},
		{"oversized name", `{"name_original":"` + strings.Repeat("梅", 201) + `"}`, "name_original", "200"},
		{"unknown need", `{"needs":["spaceship"]}`, "needs", ""},
		{"unknown language", `{"language":"xx-not-a-language"}`, "language", ""},
		{"too many children", `{"children":13}`, "children", "0 到 12"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := f.call("POST", "/api/v1/cases", "officer", `{"id":"`+newID()+`",`+c.body[1:], "Accept-Language", "zh-CN")
			status(t, rec, 422)
			p := problem(t, rec)
			if len(p.Errors) == 0 || p.Errors[0].Field != c.field || !strings.Contains(p.Errors[0].Detail, c.zh) {
				t.Fatalf("problem %+v, want field %s saying %q", p, c.field, c.zh)
			}
		})
	}
	// A number in full-width digits is not a number.
	rec := f.call("POST", "/api/v1/cases", "officer", `{"age":"２４"}`)
	status(t, rec, 422)
	if p := problem(t, rec); len(p.Errors) != 1 || p.Errors[0].Field != "age" {
		t.Fatalf("problem %+v", p)
	}
	rec = f.call("POST", "/api/v1/operations", "officer", `{"day":"2026-13-01"}`, "Accept-Language", "en")
	status(t, rec, 422)
	if p := problem(t, rec); len(p.Errors) != 2 || !strings.Contains(rec.Body.String(), "year-month-day") {
		t.Fatalf("problem %s", rec.Body)
	}
	if n := f.count("cases", "true") + f.count("operations", "true"); n != 0 {
		t.Fatalf("%d records saved from bad input", n)
	}
	if n := f.count("audit_events", "true"); n != events {
		t.Fatalf("audit grew from %d to %d on refused input", events, n)
	}
}

// TestCaseReadsAudited: every read of her details is an audit event naming who read which case;
// the board, which shows no names, is audited as a read of the operation.
func TestCaseReadsAudited(t *testing.T) {
	f := intake(t)
	op := decode[referral.Operation](t, f.call("POST", "/api/v1/operations", "officer", `{"name":"Lotus","area":"Antwerpen"}`))
	a := decode[referral.Case](t, f.call("POST", "/api/v1/cases", "officer", `{"operation_id":"`+op.ID.String()+`","needs":["bed_tonight","urgent_medical"]}`))
	b := decode[referral.Case](t, f.call("POST", "/api/v1/cases", "colleague", `{"operation_id":"`+op.ID.String()+`","language":"cmn","age":16}`))
	for range 2 {
		status(t, f.call("GET", "/api/v1/cases/"+a.ID.String(), "colleague", ""), 200)
	}
	// Dates are calendar days, as written.
	dated := f.call("POST", "/api/v1/cases", "officer", `{"birth_date":"2001-04-23","age":null}`)
	if !strings.Contains(dated.Body.String(), `"birth_date":"2001-04-23"`) || len(op.Day) != 10 || op.Day[4] != '-' {
		t.Fatalf("dates: %s / %q", dated.Body, op.Day)
	}
	status(t, f.call("GET", "/api/v1/cases/"+a.ID.String(), "stranger", ""), 404)
	if n := f.count("audit_events", "action = 'case.read' AND record_id = $1 AND actor_user_id = $2", a.ID.String(), f.users["colleague"].ID); n != 2 {
		t.Fatalf("%d case.read events, want 2 (the refused read is not one)", n)
	}
	rec := f.call("GET", "/api/v1/operations/"+op.ID.String(), "officer", "")
	status(t, rec, 200)
	board := decode[referral.Board](t, rec)
	if len(board.Cases) != 2 || board.Cases[0].ID != a.ID || board.Cases[1].ID != b.ID || !board.Cases[1].Minor || board.Cases[0].Minor {
		t.Fatalf("board %+v", board.Cases)
	}
	if got := strings.Join(board.Cases[0].ToDo, ","); got != "case.todo.language,case.todo.bed,case.todo.medical" {
		t.Fatalf("todo %s", got)
	}
	if strings.Contains(rec.Body.String(), "name_original") {
		t.Fatal("the board shows names")
	}
	if n := f.count("audit_events", "action = 'operation.read' AND record_id = $1", op.ID.String()); n != 1 {
		t.Fatalf("%d operation.read events, want 1", n)
	}
	list := decode[struct{ Items []referral.Operation }](t, f.call("GET", "/api/v1/operations", "colleague", ""))
	if len(list.Items) != 1 || list.Items[0].ID != op.ID {
		t.Fatalf("operations %+v", list.Items)
	}
	if others := decode[struct{ Items []referral.Operation }](t, f.call("GET", "/api/v1/operations", "stranger", "")); len(others.Items) != 0 {
		t.Fatalf("another force sees %+v", others.Items)
	}
}
