package nrm

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// reach is, per jurisdiction, a possible history that leads to each state a transition leaves
// from. The dates are realistic and every step is allowed on its date.
var reach = map[string]map[string][]Event{
	"GB-EAW": {
		"identified":         nil,
		"referred":           {ev("submit", "2026-03-02")},
		"recovery_period":    {ev("submit", "2026-03-02"), ev("rg_positive", "2026-03-06")},
		"rg_negative":        {ev("submit", "2026-03-02"), ev("rg_negative", "2026-03-06")},
		"rg_reconsideration": {ev("submit", "2026-03-02"), ev("rg_negative", "2026-03-06"), ev("reconsider_rg", "2026-03-20")},
		"move_on":            {ev("submit", "2026-03-02"), ev("rg_positive", "2026-03-06"), ev("cg_positive", "2026-04-06")},
		"cg_negative":        {ev("submit", "2026-03-02"), ev("rg_positive", "2026-03-06"), ev("cg_negative", "2026-04-10")},
		"cg_reconsideration": {ev("submit", "2026-03-02"), ev("rg_positive", "2026-03-06"), ev("cg_negative", "2026-04-10"), ev("reconsider_cg", "2026-04-24")},
	},
	"BE": {
		"identified":  nil,
		"reflection":  {ev("request_reflection", "2026-01-15")},
		"attestation": {ev("request_reflection", "2026-01-15"), ev("issue_attestation", "2026-02-10")},
		"a_card":      {ev("request_reflection", "2026-01-15"), ev("issue_attestation", "2026-02-10"), ev("issue_a_card", "2026-05-08")},
	},
	"NL": {
		"identified":       nil,
		"reflection":       {ev("offer_reflection", "2026-01-31")},
		"temporary_permit": {ev("offer_reflection", "2026-01-31"), ev("grant_temporary_permit", "2026-04-20")},
	},
	"DE": {
		"identified":     nil,
		"reflection":     {ev("offer_reflection", "2026-11-30")},
		"witness_permit": {ev("offer_reflection", "2026-11-30"), ev("grant_witness_permit", "2027-02-28")},
	},
	"ES": {
		"identified":          nil,
		"proposed":            {ev("propose", "2026-07-01")},
		"recovery_reflection": {ev("propose", "2026-07-01"), ev("grant_recovery_reflection", "2026-07-03")},
	},
}

// bounds are the days a started timer's min, target and max fall on ("" where it sets none).
type bounds struct{ min, target, max string }

// transitionCase is one transition taken from one of its from states.
type transitionCase struct {
	jur, transition, from string
	on                    string            // the day it is taken
	who                   []Who             // exactly the file's who list; each of them is tried
	to                    string            // the state it leads to
	starts                map[string]bounds // the timers it starts, with their days worked out by hand
}

// transitionCases hold every transition of every shipped jurisdiction from each of its from
// states (TestEveryTransitionIsTabled fails when one is added without a row here).
var transitionCases = []transitionCase{
	// United Kingdom (England & Wales). 2 Mar 2026 is a Monday: 5 working days later is Monday 9 Mar.
	{"GB-EAW", "submit", "identified", "2026-03-02", []Who{FirstResponder}, "referred",
		map[string]bounds{"rg_decision": {target: "2026-03-09"}}},
	{"GB-EAW", "duty_to_notify", "identified", "2026-03-02", []Who{FirstResponder}, "duty_to_notify", nil},
	{"GB-EAW", "rg_positive", "referred", "2026-03-06", []Who{DecisionMaker}, "recovery_period",
		map[string]bounds{"recovery": {min: "2026-04-05"}}},
	{"GB-EAW", "rg_positive", "rg_reconsideration", "2026-03-27", []Who{DecisionMaker}, "recovery_period",
		map[string]bounds{"recovery": {min: "2026-04-26"}}},
	{"GB-EAW", "rg_negative", "referred", "2026-03-06", []Who{DecisionMaker}, "rg_negative",
		map[string]bounds{"reconsideration": {max: "2026-04-05"}}},
	{"GB-EAW", "rg_negative", "rg_reconsideration", "2026-03-27", []Who{DecisionMaker}, "rg_negative",
		map[string]bounds{"reconsideration": {max: "2026-04-26"}}},
	{"GB-EAW", "cg_positive", "recovery_period", "2026-04-05", []Who{DecisionMaker}, "move_on",
		map[string]bounds{"move_on_positive": {min: "2026-05-20"}}},
	{"GB-EAW", "cg_positive", "cg_reconsideration", "2026-05-08", []Who{DecisionMaker}, "move_on",
		map[string]bounds{"move_on_positive": {min: "2026-06-22"}}},
	{"GB-EAW", "cg_negative", "recovery_period", "2026-04-10", []Who{DecisionMaker}, "cg_negative",
		map[string]bounds{"reconsideration": {max: "2026-05-10"}, "move_on_negative": {target: "2026-04-24"}}},
	{"GB-EAW", "cg_negative", "cg_reconsideration", "2026-05-08", []Who{DecisionMaker}, "cg_negative",
		map[string]bounds{"reconsideration": {max: "2026-06-07"}, "move_on_negative": {target: "2026-05-22"}}},
	{"GB-EAW", "disqualify", "recovery_period", "2026-03-20", []Who{DecisionMaker}, "disqualified", nil},
	{"GB-EAW", "disqualify", "cg_reconsideration", "2026-05-08", []Who{DecisionMaker}, "disqualified", nil},
	{"GB-EAW", "reconsider_rg", "rg_negative", "2026-03-20", []Who{Referrer, SupportProvider}, "rg_reconsideration", nil},
	{"GB-EAW", "reconsider_cg", "cg_negative", "2026-04-24", []Who{Referrer, SupportProvider}, "cg_reconsideration", nil},
	{"GB-EAW", "exit", "move_on", "2026-06-01", []Who{Referrer, SupportProvider, DecisionMaker}, "exited", nil},
	{"GB-EAW", "exit", "cg_negative", "2026-05-11", []Who{Referrer, SupportProvider, DecisionMaker}, "exited", nil},
	{"GB-EAW", "exit", "rg_negative", "2026-03-20", []Who{Referrer, SupportProvider, DecisionMaker}, "exited", nil},

	// Belgium. 15 Jan 2026 + 45 days: 16 days to 31 Jan, 28 in February, the 45th is 1 March.
	{"BE", "request_reflection", "identified", "2026-01-15", []Who{FirstResponder}, "reflection",
		map[string]bounds{"reflection": {max: "2026-03-01"}}},
	{"BE", "request_attestation_minor", "identified", "2026-01-15", []Who{FirstResponder}, "attestation",
		map[string]bounds{"attestation": {max: "2026-04-15"}}},
	{"BE", "issue_attestation", "reflection", "2026-02-10", []Who{DecisionMaker}, "attestation",
		map[string]bounds{"attestation": {max: "2026-05-10"}}},
	{"BE", "renew_attestation", "attestation", "2026-05-08", []Who{DecisionMaker}, "attestation",
		map[string]bounds{"attestation": {max: "2026-08-08"}}},
	{"BE", "issue_a_card", "attestation", "2026-05-08", []Who{DecisionMaker}, "a_card",
		map[string]bounds{"a_card": {max: "2026-11-08"}}},
	{"BE", "renew_a_card", "a_card", "2026-11-06", []Who{DecisionMaker}, "a_card",
		map[string]bounds{"a_card": {max: "2027-05-06"}}},
	{"BE", "grant_unlimited_stay", "a_card", "2026-11-06", []Who{DecisionMaker}, "unlimited_stay", nil},
	{"BE", "end_protection", "reflection", "2026-02-10", []Who{DecisionMaker}, "exited", nil},
	{"BE", "end_protection", "attestation", "2026-05-08", []Who{DecisionMaker}, "exited", nil},
	{"BE", "end_protection", "a_card", "2026-11-06", []Who{DecisionMaker}, "exited", nil},
	{"BE", "exit", "reflection", "2026-02-10", []Who{SupportProvider, DecisionMaker}, "exited", nil},
	{"BE", "exit", "attestation", "2026-05-08", []Who{SupportProvider, DecisionMaker}, "exited", nil},
	{"BE", "exit", "a_card", "2026-11-06", []Who{SupportProvider, DecisionMaker}, "exited", nil},

	// Netherlands. 31 Jan + 3 months is 30 April (April has 30 days); 31 Jan + 30 days is 2 March.
	{"NL", "offer_reflection", "identified", "2026-01-31", []Who{FirstResponder}, "reflection",
		map[string]bounds{"reflection": {max: "2026-04-30"}}},
	{"NL", "offer_reflection_dublin", "identified", "2026-01-31", []Who{FirstResponder}, "reflection",
		map[string]bounds{"reflection_dublin": {max: "2026-03-02"}}},
	{"NL", "grant_temporary_permit", "reflection", "2026-04-20", []Who{DecisionMaker}, "temporary_permit", nil},
	{"NL", "refuse_temporary_permit", "reflection", "2026-04-20", []Who{DecisionMaker}, "refused", nil},
	{"NL", "grant_continued_residence", "temporary_permit", "2027-06-01", []Who{DecisionMaker}, "continued_residence", nil},
	{"NL", "refuse_continued_residence", "temporary_permit", "2027-06-01", []Who{DecisionMaker}, "refused", nil},
	{"NL", "exit", "reflection", "2026-04-20", []Who{Referrer, SupportProvider, DecisionMaker}, "exited", nil},
	{"NL", "exit", "temporary_permit", "2027-06-01", []Who{Referrer, SupportProvider, DecisionMaker}, "exited", nil},

	// Germany. 30 Nov 2026 + 3 months is 28 Feb 2027; 29 Feb 2028 + 12 months is 28 Feb 2029.
	{"DE", "offer_reflection", "identified", "2026-11-30", []Who{FirstResponder}, "reflection",
		map[string]bounds{"reflection_de": {min: "2027-02-28"}}},
	{"DE", "grant_witness_permit", "reflection", "2027-02-28", []Who{DecisionMaker}, "witness_permit",
		map[string]bounds{"witness_permit": {max: "2028-02-28"}}},
	{"DE", "renew_witness_permit", "witness_permit", "2028-02-29", []Who{DecisionMaker}, "witness_permit",
		map[string]bounds{"witness_permit": {max: "2029-02-28"}}},
	{"DE", "exit", "reflection", "2027-01-15", []Who{Referrer, SupportProvider, DecisionMaker}, "exited", nil},
	{"DE", "exit", "witness_permit", "2028-03-01", []Who{Referrer, SupportProvider, DecisionMaker}, "exited", nil},

	// Spain. 3 Jul 2026 + 90 days: 28 to 31 Jul, 31 in August, 30 in September (89), the 90th is 1 Oct.
	{"ES", "propose", "identified", "2026-07-01", []Who{FirstResponder}, "proposed",
		map[string]bounds{"proposal_decision": {target: "2026-07-06"}}},
	{"ES", "grant_recovery_reflection", "proposed", "2026-07-03", []Who{DecisionMaker}, "recovery_reflection",
		map[string]bounds{"recovery_reflection": {min: "2026-10-01"}}},
	{"ES", "refuse_recovery_reflection", "proposed", "2026-07-03", []Who{DecisionMaker}, "refused", nil},
	{"ES", "grant_residence", "recovery_reflection", "2026-10-01", []Who{DecisionMaker}, "residence_permit", nil},
	{"ES", "assisted_return", "recovery_reflection", "2026-07-10", []Who{DecisionMaker}, "assisted_return", nil},
}

// shown is the day a clock from Status.Next shows, "" when Next found none.
func shown(c Clock, ok bool) string {
	if !ok {
		return ""
	}
	return c.Shown().String()
}

// partyFor is a party in role w whom the requirement r lets through.
func partyFor(w Who, r Requirement) Party {
	switch r {
	case MinorOnly:
		return child(w)
	case AdultWithoutConsent:
		return adultNoConsent(w)
	}
	return adult(w) // nrm_consent_or_minor, adult, none
}

// TestTransitions proves that each transition of each shipped jurisdiction is allowed from each
// of its from states for each party of its who list (meeting its requirement), is listed by
// Steps, leads to its to state and starts exactly the timers listed, on the days worked out by
// hand; and that Replay of the same history gives the same status.
func TestTransitions(t *testing.T) {
	for _, tc := range transitionCases {
		t.Run(fmt.Sprintf("%s %s from %s", tc.jur, tc.transition, tc.from), func(t *testing.T) {
			j := jurisdiction(t, tc.jur)
			tr, ok := j.Transition(tc.transition)
			if !ok {
				t.Fatalf("%s has no transition %s", tc.jur, tc.transition)
			}
			if !slices.Equal(tr.Who, tc.who) {
				t.Fatalf("who = %v, the table says %v", tr.Who, tc.who)
			}
			history, ok := reach[tc.jur][tc.from]
			if !ok {
				t.Fatalf("no history reaches %s", tc.from)
			}
			before := replay(t, j, history)
			if before.State != tc.from {
				t.Fatalf("history reaches %s, want %s", before.State, tc.from)
			}
			on := day(tc.on)
			for _, w := range tc.who {
				p := partyFor(w, tr.Requires)
				if err := j.Check(before, tc.transition, p, on); err != nil {
					t.Fatalf("%s: Check: %v", w, err)
				}
				if !slices.ContainsFunc(j.Steps(before, p), func(s *Transition) bool { return s.Name == tc.transition }) {
					t.Errorf("%s: Steps does not list %s", w, tc.transition)
				}
				after, err := j.Take(before, tc.transition, p, on)
				if err != nil {
					t.Fatalf("%s: Take: %v", w, err)
				}
				if after.State != tc.to || !after.Since.Equal(on) {
					t.Errorf("%s: now %s since %s, want %s since %s", w, after.State, after.Since, tc.to, on)
				}
				if got, want := after.Count[tc.transition], before.Count[tc.transition]+1; got != want {
					t.Errorf("%s: count %d, want %d", w, got, want)
				}
				if len(after.Running) != len(tc.starts) {
					t.Errorf("%s: %d timers running, want %d", w, len(after.Running), len(tc.starts))
				}
				for _, c := range after.Running {
					want, ok := tc.starts[c.Timer.Name]
					if !ok {
						t.Errorf("%s: starts %s, not in the table", w, c.Timer.Name)
						continue
					}
					got := bounds{c.Min.String(), c.Target.String(), c.Max.String()}
					if got != want || !c.Start.Equal(on) {
						t.Errorf("%s: timer %s started %s with %+v, want started %s with %+v", w, c.Timer.Name, c.Start, got, on, want)
					}
					if kept := after.Clocks[c.Timer.Name]; kept != c {
						t.Errorf("%s: Clocks[%s] = %+v, want the running clock", w, c.Timer.Name, kept)
					}
				}
				replayed := replay(t, j, append(slices.Clone(history), Event{tc.transition, on}))
				if replayed.State != after.State || !replayed.Since.Equal(after.Since) || !slices.Equal(replayed.Running, after.Running) {
					t.Errorf("%s: Replay gives %s since %s, Take %s since %s", w, replayed.State, replayed.Since, after.State, after.Since)
				}
			}
		})
	}
}

// TestEveryTransitionIsTabled proves the table above covers every transition of every shipped
// jurisdiction from every one of its from states, so a new one cannot go untested.
func TestEveryTransitionIsTabled(t *testing.T) {
	set := shippedSet(t)
	tabled := map[string]bool{}
	for _, tc := range transitionCases {
		tabled[tc.jur+" "+tc.transition+" "+tc.from] = true
	}
	for _, code := range set.Codes() {
		j, _ := set.Get(code)
		for _, tr := range j.Transitions {
			for _, from := range tr.From {
				if !tabled[code+" "+tr.Name+" "+from] {
					t.Errorf("%s: %s from %s has no row in transitionCases", code, tr.Name, from)
				}
			}
		}
	}
}

// pathStep is one step of a realistic path: who takes it, when, and what the record then shows.
type pathStep struct {
	transition string
	on         string
	party      Party
	state      string // the state it leads to
	next       string // the day Status.Next shows on the day of the step ("" when nothing runs)
}

// TestFullPaths walks realistic records from start to end in each jurisdiction, checking the
// state and the next date shown after each step, and that Replay of the whole history agrees.
func TestFullPaths(t *testing.T) {
	dm, sp, fr, ref := adult(DecisionMaker), adult(SupportProvider), adult(FirstResponder), adult(Referrer)
	paths := []struct {
		name  string
		jur   string
		steps []pathStep
	}{
		{"UK: referred, positive RG, positive CG exactly 30 days later, move-on, exit", "GB-EAW", []pathStep{
			{"submit", "2026-08-28", fr, "referred", "2026-09-07"}, // Friday before the August bank holiday
			{"rg_positive", "2026-09-03", dm, "recovery_period", "2026-10-03"},
			{"cg_positive", "2026-10-03", dm, "move_on", "2026-11-17"}, // 3 Oct + 45 days
			{"exit", "2026-11-20", sp, "exited", ""},
		}},
		{"UK: negative RG reconsidered on day 30, then positive", "GB-EAW", []pathStep{
			{"submit", "2026-03-02", fr, "referred", "2026-03-09"},
			{"rg_negative", "2026-03-06", dm, "rg_negative", "2026-04-05"},
			{"reconsider_rg", "2026-04-05", ref, "rg_reconsideration", ""},
			{"rg_positive", "2026-04-14", dm, "recovery_period", "2026-05-14"},
			{"cg_positive", "2026-05-14", dm, "move_on", "2026-06-28"},
		}},
		{"UK: negative CG reconsidered on day 30, then positive", "GB-EAW", []pathStep{
			{"submit", "2026-03-02", fr, "referred", "2026-03-09"},
			{"rg_positive", "2026-03-06", dm, "recovery_period", "2026-04-05"},
			{"cg_negative", "2026-04-10", dm, "cg_negative", "2026-04-24"}, // move-on ends before the reconsideration window
			{"reconsider_cg", "2026-05-10", sp, "cg_reconsideration", ""},
			{"cg_positive", "2026-06-01", dm, "move_on", "2026-07-16"},
			{"exit", "2026-07-20", ref, "exited", ""},
		}},
		{"UK: disqualified during the recovery period", "GB-EAW", []pathStep{
			{"submit", "2026-03-02", fr, "referred", "2026-03-09"},
			{"rg_positive", "2026-03-06", dm, "recovery_period", "2026-04-05"},
			{"disqualify", "2026-03-20", dm, "disqualified", ""},
		}},
		{"UK: a child referred without being asked", "GB-EAW", []pathStep{
			{"submit", "2026-03-02", child(FirstResponder), "referred", "2026-03-09"},
			{"rg_positive", "2026-03-04", dm, "recovery_period", "2026-04-03"},
		}},
		{"UK: an adult who does not consent, reported under the Duty to Notify", "GB-EAW", []pathStep{
			{"duty_to_notify", "2026-03-02", adultNoConsent(FirstResponder), "duty_to_notify", ""},
		}},
		{"Belgium: reflection, attestation renewed once, A-card renewed, unlimited stay", "BE", []pathStep{
			{"request_reflection", "2026-01-15", adult(FirstResponder), "reflection", "2026-03-01"},
			{"issue_attestation", "2026-02-10", dm, "attestation", "2026-05-10"},
			{"renew_attestation", "2026-05-08", dm, "attestation", "2026-08-08"},
			{"issue_a_card", "2026-08-07", dm, "a_card", "2027-02-07"},
			{"renew_a_card", "2027-02-05", dm, "a_card", "2027-08-05"},
			{"grant_unlimited_stay", "2027-06-01", dm, "unlimited_stay", ""},
		}},
		{"Belgium: an unaccompanied minor gets the attestation at once", "BE", []pathStep{
			{"request_attestation_minor", "2026-08-31", child(FirstResponder), "attestation", "2026-11-30"},
			{"renew_attestation", "2026-11-27", dm, "attestation", "2027-02-27"},
			{"issue_a_card", "2027-02-26", dm, "a_card", "2027-08-26"},
			{"end_protection", "2027-03-01", dm, "exited", ""},
		}},
		{"Netherlands: reflection, temporary permit, continued residence", "NL", []pathStep{
			{"offer_reflection", "2026-01-31", fr, "reflection", "2026-04-30"},
			{"grant_temporary_permit", "2026-04-20", dm, "temporary_permit", ""},
			{"grant_continued_residence", "2028-03-01", dm, "continued_residence", ""},
		}},
		{"Netherlands: a Dublin case refused", "NL", []pathStep{
			{"offer_reflection_dublin", "2026-01-31", fr, "reflection", "2026-03-02"},
			{"refuse_temporary_permit", "2026-02-27", dm, "refused", ""},
		}},
		{"Germany: reflection, witness permit renewed on a leap day, exit", "DE", []pathStep{
			{"offer_reflection", "2026-11-30", adult(FirstResponder), "reflection", "2027-02-28"},
			{"grant_witness_permit", "2027-02-28", dm, "witness_permit", "2028-02-28"},
			{"renew_witness_permit", "2028-02-29", dm, "witness_permit", "2029-02-28"},
			{"exit", "2029-01-15", sp, "exited", ""},
		}},
		{"Spain: proposed, recovery and reflection, residence on day 90", "ES", []pathStep{
			{"propose", "2026-07-01", fr, "proposed", "2026-07-06"},
			{"grant_recovery_reflection", "2026-07-03", dm, "recovery_reflection", "2026-10-01"},
			{"grant_residence", "2026-10-01", dm, "residence_permit", ""},
		}},
		{"Spain: a child proposed without consent, then assisted return", "ES", []pathStep{
			{"propose", "2026-07-01", child(FirstResponder), "proposed", "2026-07-06"},
			{"grant_recovery_reflection", "2026-07-06", dm, "recovery_reflection", "2026-10-04"},
			{"assisted_return", "2026-08-01", dm, "assisted_return", ""},
		}},
		{"Spain: proposal refused", "ES", []pathStep{
			{"propose", "2026-07-01", fr, "proposed", "2026-07-06"},
			{"refuse_recovery_reflection", "2026-07-02", dm, "refused", ""},
		}},
	}
	for _, path := range paths {
		t.Run(path.name, func(t *testing.T) {
			j := jurisdiction(t, path.jur)
			s := replay(t, j, nil)
			var events []Event
			for i, st := range path.steps {
				on := day(st.on)
				n, err := j.Take(s, st.transition, st.party, on)
				if err != nil {
					t.Fatalf("step %d %s on %s: %v", i+1, st.transition, st.on, err)
				}
				s = n
				events = append(events, Event{st.transition, on})
				if s.State != st.state {
					t.Errorf("step %d %s: state %s, want %s", i+1, st.transition, s.State, st.state)
				}
				c, ok := s.Next(on)
				if got := shown(c, ok); got != st.next {
					t.Errorf("step %d %s: next date %q, want %q", i+1, st.transition, got, st.next)
				}
			}
			r := replay(t, j, events)
			if r.State != s.State || !r.Since.Equal(s.Since) || fmt.Sprint(r.Count) != fmt.Sprint(s.Count) {
				t.Errorf("Replay: %s since %s %v; steps: %s since %s %v", r.State, r.Since, r.Count, s.State, s.Since, s.Count)
			}
			if st, _ := j.State(s.State); st.Final {
				if steps := j.Steps(s, child(everyone...)); len(steps) != 0 {
					t.Errorf("final state %s still offers %d steps", s.State, len(steps))
				}
			}
		})
	}
}

// TestRefusals proves each refusal carries the exact message ID, data and Forbidden mark, and
// that the step is allowed on the other side of each limit (rows with no id).
func TestRefusals(t *testing.T) {
	gbReferred := []Event{ev("submit", "2026-03-02")}
	gbRecovery := []Event{ev("submit", "2026-03-02"), ev("rg_positive", "2026-03-06")}
	gbRGNegative := []Event{ev("submit", "2026-03-02"), ev("rg_negative", "2026-03-06")}
	gbCGNegative := []Event{ev("submit", "2026-03-02"), ev("rg_positive", "2026-03-06"), ev("cg_negative", "2026-04-10")}
	gbDisqualified := append(slices.Clone(gbRecovery), ev("disqualify", "2026-03-20"))
	beRenewed := []Event{ev("request_reflection", "2026-01-15"), ev("issue_attestation", "2026-02-10"), ev("renew_attestation", "2026-05-08")}
	esRecovery := []Event{ev("propose", "2026-07-01"), ev("grant_recovery_reflection", "2026-07-03")}

	cases := []struct {
		name       string
		jur        string
		history    []Event
		transition string
		party      Party
		on         string
		id         string         // "" when the step is allowed
		data       map[string]any // nil when the refusal carries none
		forbidden  bool
	}{
		// The party.
		{"a first responder may not make a reasonable-grounds decision", "GB-EAW", gbReferred, "rg_positive", adult(FirstResponder), "2026-03-06",
			"nrm.refused.who", nil, true},
		{"a decision maker may not submit a referral", "GB-EAW", nil, "submit", adult(DecisionMaker), "2026-03-02",
			"nrm.refused.who", nil, true},
		{"a first responder that did not submit may not ask for reconsideration", "GB-EAW", gbRGNegative, "reconsider_rg", adult(FirstResponder), "2026-03-20",
			"nrm.refused.who", nil, true},
		{"the wrong party is refused as such even in the wrong state", "GB-EAW", nil, "rg_positive", adult(FirstResponder), "2026-03-02",
			"nrm.refused.who", nil, true},
		{"a party with no role at all is refused", "GB-EAW", nil, "submit", adult(), "2026-03-02",
			"nrm.refused.who", nil, true},
		{"Belgium: a support provider that is no first responder (a shelter) may not ask for reflection", "BE", nil, "request_reflection", adult(SupportProvider), "2026-01-15",
			"nrm.refused.who", nil, true},
		{"a party with several roles is allowed by any one of them", "GB-EAW", gbRGNegative, "reconsider_rg", adult(FirstResponder, SupportProvider), "2026-03-20",
			"", nil, false},

		// The state.
		{"no reasonable-grounds decision before a referral", "GB-EAW", nil, "rg_positive", adult(DecisionMaker), "2026-03-02",
			"nrm.refused.state", map[string]any{"NRMState": "identified"}, false},
		{"a referral is submitted once", "GB-EAW", gbReferred, "submit", adult(FirstResponder), "2026-03-03",
			"nrm.refused.state", map[string]any{"NRMState": "referred"}, false},
		{"no exit during the recovery period", "GB-EAW", gbRecovery, "exit", adult(SupportProvider), "2026-03-20",
			"nrm.refused.state", map[string]any{"NRMState": "recovery_period"}, false},
		{"no conclusive-grounds decision after a negative reasonable-grounds one", "GB-EAW", gbRGNegative, "cg_positive", adult(DecisionMaker), "2026-04-10",
			"nrm.refused.state", map[string]any{"NRMState": "rg_negative"}, false},
		{"nothing after disqualification", "GB-EAW", gbDisqualified, "exit", adult(DecisionMaker), "2026-04-01",
			"nrm.refused.state", map[string]any{"NRMState": "disqualified"}, false},
		{"Netherlands: no permit before reflection", "NL", nil, "grant_temporary_permit", adult(DecisionMaker), "2026-04-20",
			"nrm.refused.state", map[string]any{"NRMState": "identified"}, false},

		// Consent, age and the Duty to Notify.
		{"an adult without NRM consent may not be referred", "GB-EAW", nil, "submit", adultNoConsent(FirstResponder), "2026-03-02",
			"nrm.refused.consent", nil, false},
		{"a child without consent is referred", "GB-EAW", nil, "submit", child(FirstResponder), "2026-03-02",
			"", nil, false},
		{"a child who consented is referred", "GB-EAW", nil, "submit", Party{Who: []Who{FirstResponder}, Minor: true, Consent: true}, "2026-03-02",
			"", nil, false},
		{"Spain: an adult without consent may not be proposed", "ES", nil, "propose", adultNoConsent(FirstResponder), "2026-07-01",
			"nrm.refused.consent", nil, false},
		{"Spain: a child without consent is proposed", "ES", nil, "propose", child(FirstResponder), "2026-07-01",
			"", nil, false},
		{"no Duty to Notify report for a child", "GB-EAW", nil, "duty_to_notify", child(FirstResponder), "2026-03-02",
			"nrm.refused.dtn_minor", nil, false},
		{"no Duty to Notify report for a child, even one who consented", "GB-EAW", nil, "duty_to_notify", Party{Who: []Who{FirstResponder}, Minor: true, Consent: true}, "2026-03-02",
			"nrm.refused.dtn_minor", nil, false},
		{"no Duty to Notify report for an adult who consented", "GB-EAW", nil, "duty_to_notify", adult(FirstResponder), "2026-03-02",
			"nrm.refused.dtn_consent", nil, false},
		{"a Duty to Notify report for an adult who did not consent", "GB-EAW", nil, "duty_to_notify", adultNoConsent(FirstResponder), "2026-03-02",
			"", nil, false},
		{"Belgium: the minor path is refused for an adult", "BE", nil, "request_attestation_minor", adult(FirstResponder), "2026-01-15",
			"nrm.refused.not_minor", nil, false},
		{"Belgium: the adult path is refused for a child", "BE", nil, "request_reflection", child(FirstResponder), "2026-01-15",
			"nrm.refused.not_adult", nil, false},

		// How often.
		{"Belgium: the attestation is renewed once, not twice", "BE", beRenewed, "renew_attestation", adult(DecisionMaker), "2026-08-07",
			"nrm.refused.limit", map[string]any{"Times": 1}, false},
		{"Belgium: the A-card is renewed as often as needed", "BE", append(slices.Clone(beRenewed), ev("issue_a_card", "2026-08-07"), ev("renew_a_card", "2027-02-05")),
			"renew_a_card", adult(DecisionMaker), "2027-08-04", "", nil, false},

		// Dates.
		{"a step dated before the last one", "GB-EAW", gbReferred, "rg_positive", adult(DecisionMaker), "2026-03-01",
			"nrm.refused.before_last", map[string]any{"Date": day("2026-03-02")}, false},
		{"a step on the same day as the last one", "GB-EAW", gbReferred, "rg_positive", adult(DecisionMaker), "2026-03-02",
			"", nil, false},
		{"a positive CG decision 29 days after the RG decision is too early", "GB-EAW", gbRecovery, "cg_positive", adult(DecisionMaker), "2026-04-04",
			"nrm.refused.too_early.recovery", map[string]any{"Date": day("2026-04-05"), "Start": day("2026-03-06"), "Days": 30}, false},
		{"a negative CG decision 29 days after the RG decision is too early", "GB-EAW", gbRecovery, "cg_negative", adult(DecisionMaker), "2026-04-04",
			"nrm.refused.too_early.recovery", map[string]any{"Date": day("2026-04-05"), "Start": day("2026-03-06"), "Days": 30}, false},
		{"a CG decision 30 days after the RG decision", "GB-EAW", gbRecovery, "cg_positive", adult(DecisionMaker), "2026-04-05",
			"", nil, false},
		{"the recovery period counts from the latest positive RG decision", "GB-EAW",
			[]Event{ev("submit", "2026-03-02"), ev("rg_negative", "2026-03-06"), ev("reconsider_rg", "2026-03-20"), ev("rg_positive", "2026-03-27")},
			"cg_positive", adult(DecisionMaker), "2026-04-25",
			"nrm.refused.too_early.recovery", map[string]any{"Date": day("2026-04-26"), "Start": day("2026-03-27"), "Days": 30}, false},
		{"an RG reconsideration asked on day 31 is too late", "GB-EAW", gbRGNegative, "reconsider_rg", adult(Referrer), "2026-04-06",
			"nrm.refused.closed.reconsideration", map[string]any{"Date": day("2026-04-05"), "Days": 30}, false},
		{"an RG reconsideration asked on day 30", "GB-EAW", gbRGNegative, "reconsider_rg", adult(Referrer), "2026-04-05",
			"", nil, false},
		{"a CG reconsideration asked on day 31 is too late", "GB-EAW", gbCGNegative, "reconsider_cg", adult(SupportProvider), "2026-05-11",
			"nrm.refused.closed.reconsideration", map[string]any{"Date": day("2026-05-10"), "Days": 30}, false},
		{"a CG reconsideration asked on day 30", "GB-EAW", gbCGNegative, "reconsider_cg", adult(SupportProvider), "2026-05-10",
			"", nil, false},
		{"a second negative CG decision opens a new window: day 30", "GB-EAW",
			append(slices.Clone(gbCGNegative), ev("reconsider_cg", "2026-04-24"), ev("cg_negative", "2026-05-08")),
			"reconsider_cg", adult(SupportProvider), "2026-06-07", "", nil, false},
		{"a second negative CG decision opens a new window: day 31", "GB-EAW",
			append(slices.Clone(gbCGNegative), ev("reconsider_cg", "2026-04-24"), ev("cg_negative", "2026-05-08")),
			"reconsider_cg", adult(SupportProvider), "2026-06-08",
			"nrm.refused.closed.reconsideration", map[string]any{"Date": day("2026-06-07"), "Days": 30}, false},
		{"Spain: residence on day 89 of recovery and reflection is too early", "ES", esRecovery, "grant_residence", adult(DecisionMaker), "2026-09-30",
			"nrm.refused.too_early.recovery_reflection", map[string]any{"Date": day("2026-10-01"), "Start": day("2026-07-03"), "Days": 90}, false},
		{"Spain: residence on day 90", "ES", esRecovery, "grant_residence", adult(DecisionMaker), "2026-10-01",
			"", nil, false},
		{"Spain: assisted return needs no waiting", "ES", esRecovery, "assisted_return", adult(DecisionMaker), "2026-07-03",
			"", nil, false},

		// Names.
		{"a transition no jurisdiction has", "GB-EAW", nil, "escape", adult(everyone...), "2026-03-02",
			"nrm.refused.unknown", nil, false},
		{"a Belgian transition asked of the UK", "GB-EAW", nil, "request_reflection", adult(everyone...), "2026-03-02",
			"nrm.refused.unknown", nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			j := jurisdiction(t, tc.jur)
			s := replay(t, j, tc.history)
			err := j.Check(s, tc.transition, tc.party, day(tc.on))
			r := refusal(t, err)
			if tc.id == "" {
				if r != nil {
					t.Fatalf("refused %s %v, want allowed", r.MessageID, r.Data)
				}
				return
			}
			if r == nil {
				t.Fatalf("allowed, want %s", tc.id)
			}
			if r.MessageID != tc.id || r.Forbidden != tc.forbidden || !sameData(r.Data, tc.data) {
				t.Errorf("got %s %v forbidden=%v, want %s %v forbidden=%v", r.MessageID, r.Data, r.Forbidden, tc.id, tc.data, tc.forbidden)
			}
			if got, want := err.Error(), "nrm: refused: "+tc.id; got != want {
				t.Errorf("Error() = %q, want %q", got, want)
			}
			// Take refuses the same way and leaves the status as it was.
			after, terr := j.Take(s, tc.transition, tc.party, day(tc.on))
			if tr := refusal(t, terr); tr == nil || tr.MessageID != tc.id {
				t.Errorf("Take: %v, want %s", terr, tc.id)
			}
			if after.State != s.State || !after.Since.Equal(s.Since) {
				t.Errorf("Take moved the record to %s since %s", after.State, after.Since)
			}
		})
	}
}

// TestReplayRefusesImpossibleHistories proves a history this jurisdiction could not have made
// is an error naming the event, not a status.
func TestReplayRefusesImpossibleHistories(t *testing.T) {
	cases := []struct {
		name    string
		jur     string
		events  []Event
		wantErr string
	}{
		{"a conclusive decision straight after the referral", "GB-EAW",
			[]Event{ev("submit", "2026-03-02"), ev("cg_positive", "2026-04-10")}, "event 1: GB-EAW cannot cg_positive from referred"},
		{"a decision before any referral", "GB-EAW",
			[]Event{ev("rg_positive", "2026-03-06")}, "event 0: GB-EAW cannot rg_positive from identified"},
		{"a referral after a Duty to Notify report", "GB-EAW",
			[]Event{ev("duty_to_notify", "2026-03-02"), ev("submit", "2026-03-03")}, "event 1: GB-EAW cannot submit from duty_to_notify"},
		{"a transition the jurisdiction does not have", "GB-EAW",
			[]Event{ev("submit", "2026-03-02"), ev("escape", "2026-03-03")}, `event 1: GB-EAW has no transition "escape"`},
		{"a Belgian step in a UK record", "GB-EAW",
			[]Event{ev("request_reflection", "2026-01-15")}, `event 0: GB-EAW has no transition "request_reflection"`},
		{"Belgium: an A-card renewed before it was issued", "BE",
			[]Event{ev("request_reflection", "2026-01-15"), ev("renew_a_card", "2026-02-10")}, "event 1: BE cannot renew_a_card from reflection"},
		{"Spain: a second proposal", "ES",
			[]Event{ev("propose", "2026-07-01"), ev("propose", "2026-07-02")}, "event 1: ES cannot propose from proposed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := jurisdiction(t, tc.jur).Replay(tc.events)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Replay: %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
}

// TestReplayOfNothing proves a record with no events is in the initial state with nothing running.
func TestReplayOfNothing(t *testing.T) {
	for _, code := range shippedSet(t).Codes() {
		j := jurisdiction(t, code)
		s := replay(t, j, nil)
		if s.State != "identified" || !s.Since.IsZero() || len(s.Running) != 0 {
			t.Errorf("%s: %+v, want identified with nothing running", code, s)
		}
		if _, ok := s.Next(day("2026-03-02")); ok || s.Overdue(day("2026-03-02")) {
			t.Errorf("%s: a new record shows a next date or is overdue", code)
		}
	}
}

// TestTakeLeavesItsInputAlone proves Take returns a new status and never changes the one given.
func TestTakeLeavesItsInputAlone(t *testing.T) {
	j := jurisdiction(t, "GB-EAW")
	before := replay(t, j, []Event{ev("submit", "2026-03-02"), ev("rg_positive", "2026-03-06")})
	after, err := j.Take(before, "cg_negative", adult(DecisionMaker), day("2026-04-10"))
	if err != nil {
		t.Fatal(err)
	}
	if before.State != "recovery_period" || before.Count["cg_negative"] != 0 || len(before.Clocks) != 2 {
		t.Errorf("input changed: %s, count %d, %d clocks", before.State, before.Count["cg_negative"], len(before.Clocks))
	}
	if after.State != "cg_negative" || after.Count["cg_negative"] != 1 || len(after.Clocks) != 4 {
		t.Errorf("output: %s, count %d, %d clocks (rg_decision, recovery, reconsideration, move_on_negative)", after.State, after.Count["cg_negative"], len(after.Clocks))
	}
}

// TestSteps proves Steps lists what a party may do now, in the order of the file: a step
// refused only for its date is listed (so the page can say why); one refused for the party,
// the state, the person or a limit is not.
func TestSteps(t *testing.T) {
	gbReferred := []Event{ev("submit", "2026-03-02")}
	gbRecovery := []Event{ev("submit", "2026-03-02"), ev("rg_positive", "2026-03-06")}
	gbRGNegative := []Event{ev("submit", "2026-03-02"), ev("rg_negative", "2026-03-06")}
	cases := []struct {
		name    string
		jur     string
		history []Event
		party   Party
		want    []string
	}{
		{"UK: a first responder with an adult who consented may only submit", "GB-EAW", nil, adult(FirstResponder), []string{"submit"}},
		{"UK: a first responder with an adult who did not consent may only notify", "GB-EAW", nil, adultNoConsent(FirstResponder), []string{"duty_to_notify"}},
		{"UK: a child is referred, never notified", "GB-EAW", nil, child(FirstResponder), []string{"submit"}},
		{"UK: a decision maker has nothing to do before a referral", "GB-EAW", nil, adult(DecisionMaker), nil},
		{"UK: after a referral a decision maker decides reasonable grounds", "GB-EAW", gbReferred, adult(DecisionMaker), []string{"rg_positive", "rg_negative"}},
		{"UK: during recovery the CG decisions are listed though too early", "GB-EAW", gbRecovery, adult(DecisionMaker), []string{"cg_positive", "cg_negative", "disqualify"}},
		{"UK: a support provider after a negative RG decision", "GB-EAW", gbRGNegative, adult(SupportProvider), []string{"reconsider_rg", "exit"}},
		{"UK: a first responder that did not refer has nothing to do after a negative RG", "GB-EAW", gbRGNegative, adult(FirstResponder), nil},
		{"UK: nothing after disqualification, whoever asks", "GB-EAW", append(slices.Clone(gbRecovery), ev("disqualify", "2026-03-20")), adult(everyone...), nil},
		{"Belgium: a centre is offered reflection for an adult", "BE", nil, adult(FirstResponder), []string{"request_reflection"}},
		{"Belgium: a centre is offered the attestation at once for a child", "BE", nil, child(FirstResponder), []string{"request_attestation_minor"}},
		{"Belgium: a shelter that is no centre is offered nothing", "BE", nil, adult(SupportProvider), nil},
		{"Belgium: a renewed attestation is not offered for renewal again", "BE",
			[]Event{ev("request_reflection", "2026-01-15"), ev("issue_attestation", "2026-02-10"), ev("renew_attestation", "2026-05-08")},
			adult(DecisionMaker), []string{"issue_a_card", "end_protection", "exit"}},
		{"Spain: during recovery and reflection the residence decision is listed though too early", "ES",
			[]Event{ev("propose", "2026-07-01"), ev("grant_recovery_reflection", "2026-07-03")},
			adult(DecisionMaker), []string{"grant_residence", "assisted_return"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			j := jurisdiction(t, tc.jur)
			var got []string
			for _, s := range j.Steps(replay(t, j, tc.history), tc.party) {
				got = append(got, s.Name)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Steps = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestNextAndOverdue proves the date a record shows and when a decision owed is overdue: the
// reasonable-grounds decision on a referral of Friday 28 Aug 2026 is due Monday 7 Sep 2026
// (Monday 31 Aug is a bank holiday), overdue from Tuesday 8 Sep, not on the due day; with two
// timers the earlier coming one is shown, then the later, then the last that passed.
func TestNextAndOverdue(t *testing.T) {
	cases := []struct {
		name    string
		jur     string
		history []Event
		today   string
		next    string // "" when nothing runs
		overdue bool
	}{
		{"RG decision: on the day of the referral", "GB-EAW", []Event{ev("submit", "2026-08-28")}, "2026-08-28", "2026-09-07", false},
		{"RG decision: the day before the due day", "GB-EAW", []Event{ev("submit", "2026-08-28")}, "2026-09-06", "2026-09-07", false},
		{"RG decision: on the due day", "GB-EAW", []Event{ev("submit", "2026-08-28")}, "2026-09-07", "2026-09-07", false},
		{"RG decision: the day after the due day", "GB-EAW", []Event{ev("submit", "2026-08-28")}, "2026-09-08", "2026-09-07", true},
		{"RG decision: a month late", "GB-EAW", []Event{ev("submit", "2026-08-28")}, "2026-10-07", "2026-09-07", true},
		{"recovery period: past its minimum is not overdue (no decision is owed by then)", "GB-EAW",
			[]Event{ev("submit", "2026-03-02"), ev("rg_positive", "2026-03-06")}, "2026-05-01", "2026-04-05", false},
		{"negative CG: move-on ends first", "GB-EAW",
			[]Event{ev("submit", "2026-03-02"), ev("rg_positive", "2026-03-06"), ev("cg_negative", "2026-04-10")}, "2026-04-10", "2026-04-24", false},
		{"negative CG: then the reconsideration window", "GB-EAW",
			[]Event{ev("submit", "2026-03-02"), ev("rg_positive", "2026-03-06"), ev("cg_negative", "2026-04-10")}, "2026-04-25", "2026-05-10", false},
		{"negative CG: after both, the last that passed", "GB-EAW",
			[]Event{ev("submit", "2026-03-02"), ev("rg_positive", "2026-03-06"), ev("cg_negative", "2026-04-10")}, "2026-05-11", "2026-05-10", false},
		{"a decision made stops the RG timer", "GB-EAW",
			[]Event{ev("submit", "2026-08-28"), ev("rg_negative", "2026-09-10")}, "2026-09-10", "2026-10-10", false},
		{"nothing runs after a Duty to Notify report", "GB-EAW", []Event{ev("duty_to_notify", "2026-03-02")}, "2026-03-02", "", false},
		{"Belgium: reflection on its last day", "BE", []Event{ev("request_reflection", "2026-01-15")}, "2026-03-01", "2026-03-01", false},
		{"Belgium: reflection the day after its last day", "BE", []Event{ev("request_reflection", "2026-01-15")}, "2026-03-02", "2026-03-01", true},
		{"Spain: proposal decision overdue after 5 calendar days", "ES", []Event{ev("propose", "2026-07-01")}, "2026-07-07", "2026-07-06", true},
		{"Spain: proposal decision on the 5th day", "ES", []Event{ev("propose", "2026-07-01")}, "2026-07-06", "2026-07-06", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := replay(t, jurisdiction(t, tc.jur), tc.history)
			c, ok := s.Next(day(tc.today))
			if got := shown(c, ok); got != tc.next {
				t.Errorf("Next = %q, want %q", got, tc.next)
			}
			if got := s.Overdue(day(tc.today)); got != tc.overdue {
				t.Errorf("Overdue = %v, want %v", got, tc.overdue)
			}
		})
	}
}
