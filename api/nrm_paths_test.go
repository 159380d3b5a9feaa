package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/harbour-nrm/harbour/demo"
	"github.com/harbour-nrm/harbour/referral"
)

// The NRM path of each jurisdiction, end to end through the API, on the demo's organisations:
// the police record her, the organisation the jurisdiction's law names starts her NRM (after a
// referral it accepted, where the law has it so), and the decision maker takes every step to a
// final state. Each step's clock is checked against dates worked out by hand, and the steps the
// law refuses are refused.

// pathStep is one step of a path: on a day, by a demo user, with the answer it must get.
type pathStep struct {
	on, who, step string
	status        int    // the HTTP answer
	state         string // the record's state after it ("" when refused)
	timer, next   string // the record's next date after it ("" for none)
	refusal       string // the problem's detail must say this, when refused
}

// nrmPath is one jurisdiction's path.
type nrmPath struct {
	jurisdiction string
	recorder     string // records her
	nrmConsent   bool   // she agrees to the NRM referral (where the law asks)
	referTo      string // the service the recorder refers her to, whose organisation accepts ("" for none)
	acceptor     string
	refused      []string // demo users who may not start it: 403
	start        pathStep
	steps        []pathStep
}

var nrmPaths = []nrmPath{
	{jurisdiction: "GB-EAW", recorder: "officer.uk", nrmConsent: true,
		refused: []string{},
		start:   pathStep{"2026-03-02", "officer.uk", "submit", 201, "referred", "rg_decision", "2026-03-09", ""}, // 5 working days
		steps: []pathStep{
			{"2026-03-05", "decision.uk", "rg_positive", 201, "recovery_period", "recovery", "2026-04-04", ""}, // 30 days
			{"2026-04-03", "decision.uk", "cg_positive", 409, "", "", "", "最终认定裁定最早可在 2026年4月4日"},
			{"2026-04-04", "decision.uk", "cg_positive", 201, "move_on", "move_on_positive", "2026-05-19", ""}, // 45 days
			{"2026-05-20", "decision.uk", "exit", 201, "exited", "", "", ""},
		}},
	{jurisdiction: "BE", recorder: "officer", referTo: demoCentreBrussels, acceptor: "centre",
		refused: []string{"officer"},                                                                                       // the police refer; the centre starts it
		start:   pathStep{"2026-03-02", "centre", "request_reflection", 201, "reflection", "reflection", "2026-04-16", ""}, // 45 days
		steps: []pathStep{
			{"2026-03-10", "decision", "issue_a_card", 409, "", "", "", "不允许这一步"},
			{"2026-03-10", "centre", "issue_attestation", 403, "", "", "", ""},
			{"2026-03-10", "decision", "issue_attestation", 201, "attestation", "attestation", "2026-06-10", ""}, // 3 months
			{"2026-06-01", "decision", "issue_a_card", 201, "a_card", "a_card", "2026-12-01", ""},                // 6 months
			{"2026-06-02", "decision", "grant_unlimited_stay", 201, "unlimited_stay", "", "", ""},
		}},
	{jurisdiction: "NL", recorder: "officer.nl",
		start: pathStep{"2026-03-02", "officer.nl", "offer_reflection", 201, "reflection", "reflection", "2026-06-02", ""}, // 3 months
		steps: []pathStep{
			{"2026-04-01", "decision.nl", "grant_continued_residence", 409, "", "", "", "不允许这一步"},
			{"2026-04-01", "decision.nl", "grant_temporary_permit", 201, "temporary_permit", "", "", ""},
			{"2026-09-01", "decision.nl", "grant_continued_residence", 201, "continued_residence", "", "", ""},
		}},
	{jurisdiction: "DE", recorder: "officer.de", referTo: demoCentreBerlin, acceptor: "centre.de",
		start: pathStep{"2026-03-02", "centre.de", "offer_reflection", 201, "reflection", "reflection_de", "2026-06-02", ""}, // at least 3 months
		steps: []pathStep{
			{"2026-03-20", "centre.de", "grant_witness_permit", 403, "", "", "", ""},
			{"2026-03-20", "decision.de", "grant_witness_permit", 201, "witness_permit", "witness_permit", "2027-03-20", ""}, // 1 year
			{"2027-03-01", "decision.de", "renew_witness_permit", 201, "witness_permit", "witness_permit", "2028-03-01", ""},
			{"2027-03-02", "decision.de", "exit", 201, "exited", "", "", ""},
		}},
	{jurisdiction: "ES", recorder: "officer.es", nrmConsent: true,
		refused: []string{"local.es"},                                                                                    // police, but not a specialised unit
		start:   pathStep{"2026-03-02", "officer.es", "propose", 201, "proposed", "proposal_decision", "2026-03-07", ""}, // 5 days
		steps: []pathStep{
			{"2026-03-04", "decision.es", "grant_recovery_reflection", 201, "recovery_reflection", "recovery_reflection", "2026-06-02", ""}, // 90 days
			{"2026-06-01", "decision.es", "grant_residence", 409, "", "", "", "最早可在 2026年6月2日"},
			{"2026-06-02", "decision.es", "grant_residence", 201, "residence_permit", "", "", ""},
		}},
}

// The demo's specialised centres' services.
const (
	demoCentreBrussels = "019a0000-0000-7000-8000-000000000209"
	demoCentreBerlin   = "019a0000-0000-7000-8000-00000000020a"
)

func TestNRMPathPerJurisdiction(t *testing.T) {
	for _, path := range nrmPaths {
		t.Run(path.jurisdiction, func(t *testing.T) {
			f := newFixture(t)
			if _, err := demo.Load(sys, f.svc); err != nil {
				t.Fatal(err)
			}
			var now time.Time
			f.svc.SetClock(func() time.Time { return now })
			at := func(day string) { now, _ = time.Parse(time.DateTime, day+" 10:00:00") } // 10:00 UTC: that day everywhere in Europe
			for _, email := range []string{path.recorder, path.acceptor, path.start.who} {
				f.demoToken(email)
			}
			for _, s := range path.steps {
				f.demoToken(s.who)
			}
			at(path.start.on)
			caseID := f.recordWoman(t, path.recorder, path.nrmConsent)

			// Where the law has it so, the police refer her and the organisation that starts it accepts.
			if path.referTo != "" {
				ref := decode[referral.Referral](t, f.call("POST", "/api/v1/referrals", path.recorder,
					fmt.Sprintf(`{"id":%q,"case_id":%q,"service_id":%q,"urgent":true}`, newID(), caseID, path.referTo)))
				status(t, f.call("POST", "/api/v1/referrals/"+ref.ID.String()+"/accept", path.acceptor, ""), http.StatusOK)
			}
			body := func(step string) string {
				return fmt.Sprintf(`{"id":%q,"case_id":%q,"step":%q,"exploitation_location":"both","account":"她被控制"}`, newID(), caseID, step)
			}
			if path.jurisdiction == "ES" { // a police force that is not a specialised unit records her too
				f.localSpanishPolice(t)
			}
			for _, who := range path.refused {
				if who == "local.es" {
					own := f.recordWoman(t, who, true)
					body := fmt.Sprintf(`{"id":%q,"case_id":%q,"step":"propose"}`, newID(), own)
					status(t, f.call("POST", "/api/v1/nrm", who, body), http.StatusForbidden)
					continue
				}
				status(t, f.call("POST", "/api/v1/nrm", who, body(path.start.step)), http.StatusForbidden)
			}
			rec := f.call("POST", "/api/v1/nrm", path.start.who, body(path.start.step))
			status(t, rec, path.start.status)
			record := decode[referral.NRMRecord](t, rec)
			if record.Jurisdiction != path.jurisdiction {
				t.Fatalf("record in %s, want %s", record.Jurisdiction, path.jurisdiction)
			}
			f.checkNRM(t, record.ID.String(), path.start.who, path.start)
			for _, s := range path.steps {
				at(s.on)
				rec := f.call("POST", "/api/v1/nrm/"+record.ID.String()+"/steps", s.who,
					fmt.Sprintf(`{"id":%q,"step":%q,"on":%q,"reasons":"理由写在这里"}`, newID(), s.step, s.on))
				status(t, rec, s.status)
				if s.status >= 400 {
					if p := problem(t, rec); !strings.Contains(p.Detail, s.refusal) {
						t.Fatalf("%s on %s: detail %q, want %q", s.step, s.on, p.Detail, s.refusal)
					}
					continue
				}
				f.checkNRM(t, record.ID.String(), s.who, s)
			}
		})
	}
}

// checkNRM reads a record as who and checks where it stands.
func (f *fixture) checkNRM(t *testing.T, id, who string, s pathStep) {
	t.Helper()
	v := decode[struct {
		Record referral.NRMRecord `json:"record"`
		Next   *referral.NRMNext  `json:"next"`
	}](t, f.call("GET", "/api/v1/nrm/"+id, who, ""))
	next := ""
	if v.Next != nil {
		next = v.Next.Timer + " " + v.Next.On.String()
	}
	if want := s.timer + " " + s.next; v.Record.State != s.state || (s.timer == "" && v.Next != nil) || (s.timer != "" && next != want) {
		t.Fatalf("after %s on %s: state %s, next %q; want %s, %q", s.step, s.on, v.Record.State, next, s.state, want)
	}
}

// demoToken gives the demo user name@demo.harbour.test an API token, called by name.
func (f *fixture) demoToken(name string) {
	f.t.Helper()
	if _, ok := f.tokens[name]; ok || name == "" || name == "local.es" {
		return
	}
	u, err := f.svc.UserByEmail(sys, name+"@demo.harbour.test")
	if err != nil {
		f.t.Fatalf("demo user %s: %v", name, err)
	}
	_, secret, err := f.svc.CreateToken(sys, u.ID, "test")
	if err != nil {
		f.t.Fatal(err)
	}
	f.users[name], f.tokens[name] = u, secret
}

// localSpanishPolice adds a Spanish police force that is no specialised unit: "local.es".
func (f *fixture) localSpanishPolice(t *testing.T) {
	name, kind := "Guardia Urbana (test)", referral.KindPolice
	o, _, err := f.svc.CreateOrganisation(sys, referral.OrganisationInput{Name: &name, Kind: &kind, Country: ptr("ES")})
	if err != nil {
		t.Fatal(err)
	}
	f.addUser("local.es", o, referral.RoleOfficer)
}

// recordWoman records an adult as who, with her consent to support and to share her details
// with those who help her, and to the NRM referral when nrm is set; it returns her case's ID.
func (f *fixture) recordWoman(t *testing.T, who string, nrm bool) string {
	t.Helper()
	id := newID()
	status(t, f.call("POST", "/api/v1/cases", who, fmt.Sprintf(`{"id":%q,"language":"wuu","other_languages":["cmn"],
		"gender":"female","birth_date":"1994-05-01","name_original":"王芳","nationality":"CN","needs":["bed_tonight"]}`, id)), http.StatusCreated)
	scopes := []string{"support", "share"}
	if nrm {
		scopes = append(scopes, "nrm")
	}
	for _, scope := range scopes {
		status(t, f.call("POST", "/api/v1/cases/"+id+"/consents", who,
			fmt.Sprintf(`{"id":%q,"scope":%q,"given":true,"language":"zh-Hans"}`, newID(), scope)), http.StatusCreated)
	}
	return id
}
