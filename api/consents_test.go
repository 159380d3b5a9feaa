package api_test

import (
	"strings"
	"testing"

	"github.com/harbour-nrm/harbour/referral"
)

// TestConsents: her answers are recorded once each, withdrawn by a later "no", refused for a
// child's NRM referral, readable only by the recording organisation, and each read audited.
func TestConsents(t *testing.T) {
	f := intake(t)
	adult := decode[referral.Case](t, f.call("POST", "/api/v1/cases", "officer", `{"age":30}`))
	child := decode[referral.Case](t, f.call("POST", "/api/v1/cases", "officer", `{"appears_minor":true}`))
	path := "/api/v1/cases/" + adult.ID.String() + "/consents"
	yes := `{"id":"` + newID() + `","scope":"share","given":true,"language":"zh-Hans","organisations":["` + f.shelter.ID.String() + `"]}`
	status(t, f.call("POST", path, "officer", yes), 201)
	status(t, f.call("POST", path, "officer", yes), 200) // the retried upload
	status(t, f.call("POST", path, "officer", `{"scope":"nrm","given":true,"language":"fr"}`), 201)
	status(t, f.call("POST", path, "colleague", `{"scope":"share","given":false,"language":"zh-Hans"}`), 201) // withdrawn
	list := decode[struct{ Items []referral.Consent }](t, f.call("GET", path, "officer", ""))
	if len(list.Items) != 3 {
		t.Fatalf("%d consents, want 3", len(list.Items))
	}
	state := referral.ConsentState(list.Items)
	if state[referral.ConsentShare].Given || !state[referral.ConsentNRM].Given || state[referral.ConsentNRM].TextVersion != referral.ConsentTextVersion {
		t.Fatalf("state %+v: the later no must hold for sharing", state)
	}
	// Records are never changed, even by the database's owner.
	if _, err := f.db.SQL.Exec(`UPDATE consents SET given = true`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("consents changed: %v", err)
	}
	events := f.count("audit_events", "true")
	for _, c := range []struct {
		name, who, path, body string
		want                  int
		field                 string
	}{
		{"a child is not asked about the NRM", "officer", "/api/v1/cases/" + child.ID.String() + "/consents", `{"scope":"nrm","given":true,"language":"zh-Hans"}`, 422, "scope"},
		{"no answer", "officer", path, `{"scope":"support","language":"zh-Hans"}`, 422, "given"},
		{"unknown scope", "officer", path, `{"scope":"everything","given":true,"language":"zh-Hans"}`, 422, "scope"},
		{"organisations outside sharing", "officer", path, `{"scope":"support","given":true,"language":"en","organisations":["` + f.shelter.ID.String() + `"]}`, 422, "organisations"},
		{"an organisation that does not exist", "officer", path, `{"scope":"share","given":true,"language":"en","organisations":["` + newID() + `"]}`, 422, "organisations"},
		{"another force", "stranger", path, `{"scope":"support","given":true,"language":"zh-Hans"}`, 404, ""},
		{"a shelter worker", "staff", path, `{"scope":"support","given":true,"language":"zh-Hans"}`, 404, ""},
		{"the org admin", "orgadmin", path, `{"scope":"support","given":true,"language":"zh-Hans"}`, 404, ""},
		{"nobody", "", path, `{"scope":"support","given":true,"language":"zh-Hans"}`, 401, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := f.call("POST", c.path, c.who, c.body, "Accept-Language", "zh-CN")
			status(t, rec, c.want)
			if p := problem(t, rec); c.field != "" && (len(p.Errors) != 1 || p.Errors[0].Field != c.field) {
				t.Fatalf("problem %+v, want one about %s", p, c.field)
			}
		})
	}
	for _, who := range []string{"stranger", "staff", "orgadmin"} {
		status(t, f.call("GET", path, who, ""), 404)
	}
	if n := f.count("consents", "true"); n != 3 {
		t.Fatalf("%d consents after refusals, want 3", n)
	}
	if n := f.count("audit_events", "true"); n != events {
		t.Fatalf("refusals wrote %d audit events", n-events)
	}
	status(t, f.call("GET", path, "colleague", ""), 200)
	if n := f.count("audit_events", "action = 'case.read' AND record_id = $1", adult.ID.String()); n != 2 {
		t.Fatalf("%d reads of her case audited, want 2", n)
	}
}
