package nrm

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// minimal is the smallest jurisdiction file Load accepts; the broken files below are made from
// it by one replacement each.
const minimal = `code = "XX"
countries = ["XX"]
default = true
time_zone = "Europe/London"
initial = "open"
holiday_calendar = "gb-eaw"

[[states]]
name = "open"
[[states]]
name = "closed"
final = true

[[transitions]]
name = "close"
from = ["open"]
to = "closed"
who = ["decision_maker"]
starts = ["grace"]

[timers.grace]
unit = "calendar_days"
max = 3
show = "max"
`

// variant is minimal with old replaced by new, failing when old is not found exactly once.
func variant(t *testing.T, old, new string) string {
	t.Helper()
	if n := strings.Count(minimal, old); n != 1 {
		t.Fatalf("%q occurs %d times in the minimal file", old, n)
	}
	return strings.Replace(minimal, old, new, 1)
}

// TestLoadRefusesBrokenFiles proves Load names the file and the mistake for each kind of
// broken jurisdiction file, rather than starting with a wrong NRM.
func TestLoadRefusesBrokenFiles(t *testing.T) {
	other := strings.Replace(strings.Replace(minimal, `code = "XX"`, `code = "YY"`, 1), `countries = ["XX"]`, `countries = ["YY"]`, 1)
	cases := []struct {
		name    string
		files   fstest.MapFS
		wantErr string // "" when it loads
	}{
		{"the minimal file loads", fstest.MapFS{"xx.toml": {Data: []byte(minimal)}}, ""},
		{"a transition to an unknown state",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `to = "closed"`, `to = "shut"`))}},
			`xx.toml: transition close: unknown state "shut"`},
		{"a transition from an unknown state",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `from = ["open"]`, `from = ["opened"]`))}},
			`transition close: unknown state "opened"`},
		{"a transition from no state",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `from = ["open"]`, `from = []`))}},
			`transition close: no from`},
		{"a transition out of a final state",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `from = ["open"]`, `from = ["open", "closed"]`))}},
			`transition close: leaves final state "closed"`},
		{"a transition from a final state to itself",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `from = ["open"]`, `from = ["closed"]`))}},
			`transition close: leaves final state "closed"`},
		{"a timer nobody starts",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `starts = ["grace"]`, ``))}},
			`timer grace: no transition starts it`},
		{"a transition starting an unknown timer",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `starts = ["grace"]`, `starts = ["grace", "late"]`))}},
			`transition close: starts unknown timer "late"`},
		{"an unknown party",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `who = ["decision_maker"]`, `who = ["judge"]`))}},
			`transition close: unknown party "judge"`},
		{"nobody may take a transition",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `who = ["decision_maker"]`, `who = []`))}},
			`transition close: nobody may take it`},
		{"a timer notifying an unknown party",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `show = "max"`, "show = \"max\"\nnotify = [\"judge\"]"))}},
			`timer grace: notifies unknown party "judge"`},
		{"an unknown requirement",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `starts = ["grace"]`, "starts = [\"grace\"]\nrequires = \"passport\""))}},
			`transition close: unknown requirement "passport"`},
		{"a not_before naming a timer without a minimum",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `starts = ["grace"]`, "starts = [\"grace\"]\nnot_before = \"grace\""))}},
			`transition close: not_before "grace" is not a timer with a minimum`},
		{"a not_before naming no timer",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `starts = ["grace"]`, "starts = [\"grace\"]\nnot_before = \"late\""))}},
			`transition close: not_before "late" is not a timer with a minimum`},
		{"a within naming a timer without a maximum",
			fstest.MapFS{"xx.toml": {Data: []byte(strings.Replace(variant(t, "max = 3\nshow = \"max\"", "min = 3\nshow = \"min\""),
				`starts = ["grace"]`, "starts = [\"grace\"]\nwithin = \"grace\"", 1))}},
			`transition close: within "grace" is not a timer with a maximum`},
		{"a timer with an unknown unit",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `unit = "calendar_days"`, `unit = "fortnights"`))}},
			`timer grace: unit "fortnights"`},
		{"a timer showing a bound it does not set",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `show = "max"`, `show = "target"`))}},
			`timer grace: shows "target", which it does not set`},
		{"an initial state that is not a state",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `initial = "open"`, `initial = "new"`))}},
			`initial state "new" is not a state`},
		{"a state defined twice",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, "final = true\n", "final = true\n[[states]]\nname = \"open\"\n"))}},
			`state "open" is empty or defined twice`},
		{"a transition defined twice",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, "\n[timers.grace]", "\n[[transitions]]\nname = \"close\"\nfrom = [\"open\"]\nto = \"closed\"\nwho = [\"decision_maker\"]\n\n[timers.grace]"))}},
			`transition "close" is empty or defined twice`},
		{"no code",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `code = "XX"`, ``))}},
			`xx.toml: no code`},
		{"a bad time zone",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `time_zone = "Europe/London"`, `time_zone = "Europe/Atlantis"`))}},
			`time_zone "Europe/Atlantis"`},
		{"no time zone",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `time_zone = "Europe/London"`, ``))}},
			`time_zone ""`},
		{"a holiday that is no date (30 February)",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `holiday_calendar = "gb-eaw"`, "holiday_calendar = \"gb-eaw\"\nextra_holidays = [\"2026-02-30\"]"))}},
			`extra_holidays: nrm: "2026-02-30" is not a date`},
		{"a holiday written the British way",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `holiday_calendar = "gb-eaw"`, "holiday_calendar = \"gb-eaw\"\nnot_holidays = [\"25/12/2026\"]"))}},
			`not_holidays: nrm: "25/12/2026" is not a date`},
		{"a country that is not ISO 3166-1 alpha-2",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `countries = ["XX"]`, `countries = ["GBR"]`))}},
			`country "GBR" is not ISO 3166-1 alpha-2`},
		{"a country in lower case",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `countries = ["XX"]`, `countries = ["gb"]`))}},
			`country "gb" is not ISO 3166-1 alpha-2`},
		{"the holiday calendar written after a table header, where TOML files it under the timer",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `holiday_calendar = "gb-eaw"`, ``) + "holiday_calendar = \"gb-eaw\"\n")}},
			`xx.toml: unknown keys [timers.grace.holiday_calendar]`},
		{"a misspelt key",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `starts = ["grace"]`, "starts = [\"grace\"]\nnot_befor = \"grace\""))}},
			`unknown keys [transitions.not_befor]`},
		{"a file that is not TOML",
			fstest.MapFS{"xx.toml": {Data: []byte("code = \"XX\n")}},
			`nrm: xx.toml:`},
		{"two defaults",
			fstest.MapFS{"xx.toml": {Data: []byte(minimal)}, "yy.toml": {Data: []byte(other)}},
			`yy.toml: XX and YY are both the default`},
		{"no default",
			fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `default = true`, `default = false`))}},
			`no default jurisdiction`},
		{"no files at all", fstest.MapFS{}, `no default jurisdiction`},
		{"the same code in two files",
			fstest.MapFS{"xx.toml": {Data: []byte(minimal)}, "xx2.toml": {Data: []byte(variant(t, `default = true`, ``))}},
			`xx2.toml: jurisdiction XX defined twice`},
		{"files not ending in .toml are not read",
			fstest.MapFS{"xx.toml": {Data: []byte(minimal)}, "README.md": {Data: []byte("# not a jurisdiction")}, "xx.toml.orig": {Data: []byte("broken")}},
			""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			set, err := Load(tc.files)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				if set.Default().Code != "XX" {
					t.Errorf("default %s, want XX", set.Default().Code)
				}
				return
			}
			if err == nil {
				t.Fatalf("Load accepted it, want an error containing %q", tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Load: %v\nwant an error containing %q", err, tc.wantErr)
			}
		})
	}
}

// TestOverrides proves a deployment's file of the same name replaces the shipped one, so an
// unconfirmed value (Spain's 90 days of recovery and reflection) can be set to 30, without
// touching the other jurisdictions or the shipped set; and that an override may add a
// jurisdiction but not define a shipped code a second time under another name.
func TestOverrides(t *testing.T) {
	sub, err := fs.Sub(shipped, "jurisdictions")
	if err != nil {
		t.Fatal(err)
	}
	es, err := fs.ReadFile(sub, "es.toml")
	if err != nil {
		t.Fatal(err)
	}
	shippedES := jurisdiction(t, "ES").Timers["recovery_reflection"]
	if !shippedES.Unconfirmed || *shippedES.Min != 90 {
		t.Fatalf("shipped ES recovery_reflection: unconfirmed %v, min %d; want unconfirmed, 90", shippedES.Unconfirmed, *shippedES.Min)
	}
	if n := strings.Count(string(es), "min = 90\n"); n != 1 {
		t.Fatalf(`es.toml has "min = 90" %d times, want once`, n)
	}
	thirty := strings.Replace(string(es), "min = 90\n", "min = 30\n", 1)

	set, err := Load(sub, nil, fstest.MapFS{"es.toml": {Data: []byte(thirty)}})
	if err != nil {
		t.Fatalf("Load with override: %v", err)
	}
	j, _ := set.Get("ES")
	if got := *j.Timers["recovery_reflection"].Min; got != 30 {
		t.Errorf("overridden min = %d, want 30", got)
	}
	if got := strings.Join(set.Codes(), " "); got != "BE DE ES GB-EAW NL" {
		t.Errorf("codes %s, want BE DE ES GB-EAW NL", got)
	}
	// With 30 days, recovery and reflection granted 3 Jul 2026 ends 2 Aug 2026.
	s := replay(t, j, []Event{ev("propose", "2026-07-01"), ev("grant_recovery_reflection", "2026-07-03")})
	r := refusal(t, j.Check(s, "grant_residence", adult(DecisionMaker), day("2026-08-01")))
	if r == nil || r.MessageID != "nrm.refused.too_early.recovery_reflection" ||
		!sameData(r.Data, map[string]any{"Date": day("2026-08-02"), "Start": day("2026-07-03"), "Days": 30}) {
		t.Errorf("day 29 with the override: %+v, want too early until 2026-08-02", r)
	}
	if err := j.Check(s, "grant_residence", adult(DecisionMaker), day("2026-08-02")); err != nil {
		t.Errorf("day 30 with the override: %v, want allowed", err)
	}
	if got := *jurisdiction(t, "ES").Timers["recovery_reflection"].Min; got != 90 {
		t.Errorf("the shipped set changed: min %d, want 90", got)
	}

	added := strings.Replace(minimal, "default = true\n", "", 1)
	set, err = Load(sub, fstest.MapFS{"xx.toml": {Data: []byte(added)}})
	if err != nil {
		t.Fatalf("Load with an added jurisdiction: %v", err)
	}
	if got := set.ForCountry("XX").Code; got != "XX" {
		t.Errorf("ForCountry(XX) = %s, want the added XX", got)
	}
	if _, err := Load(sub, fstest.MapFS{"spain.toml": {Data: es}}); err == nil || !strings.Contains(err.Error(), "jurisdiction ES defined twice") {
		t.Errorf("ES under another file name: %v, want defined twice", err)
	}
}

// TestForCountry proves each country finds its jurisdiction, and any other country (or none)
// the default, the UK's England & Wales.
func TestForCountry(t *testing.T) {
	set := shippedSet(t)
	cases := []struct {
		name    string
		country string
		want    string
	}{
		{"Great Britain", "GB", "GB-EAW"},
		{"Belgium", "BE", "BE"},
		{"the Netherlands", "NL", "NL"},
		{"Germany", "DE", "DE"},
		{"Spain", "ES", "ES"},
		{"France, which has none: the default", "FR", "GB-EAW"},
		{"UK is not the ISO code: the default", "UK", "GB-EAW"},
		{"lower case is not matched: the default", "be", "GB-EAW"},
		{"no country: the default", "", "GB-EAW"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := set.ForCountry(tc.country).Code; got != tc.want {
				t.Errorf("ForCountry(%q) = %s, want %s", tc.country, got, tc.want)
			}
		})
	}
	if _, ok := set.Get("FR"); ok {
		t.Errorf("Get(FR) found a jurisdiction")
	}
	if set.Default().Code != "GB-EAW" || !set.Default().Default {
		t.Errorf("default %s", set.Default().Code)
	}
}

// TestShippedData proves facts of the shipped files that the rest of Harbour relies on: each
// loads its zone and its holiday calendar (a key after a table header once hid them all), the UK
// decisions are rg, cg and disqualification, and the states awaiting a decision say which.
func TestShippedData(t *testing.T) {
	cases := []struct {
		code      string
		zone      string
		decisions string
		awaiting  map[string]string
	}{
		{"GB-EAW", "Europe/London", "rg cg disqualification",
			map[string]string{"referred": "rg", "recovery_period": "cg", "rg_reconsideration": "rg", "cg_reconsideration": "cg"}},
		{"BE", "Europe/Brussels", "attestation a_card unlimited_stay end_protection",
			map[string]string{"reflection": "attestation", "attestation": "a_card"}},
		{"NL", "Europe/Amsterdam", "temporary_permit residence",
			map[string]string{"reflection": "temporary_permit", "temporary_permit": "residence"}},
		{"DE", "Europe/Berlin", "witness_permit",
			map[string]string{"reflection": "witness_permit"}},
		{"ES", "Europe/Madrid", "recovery_reflection residence",
			map[string]string{"proposed": "recovery_reflection", "recovery_reflection": "residence"}},
	}
	for _, tc := range cases {
		t.Run(tc.code, func(t *testing.T) {
			j := jurisdiction(t, tc.code)
			if j.Location.String() != tc.zone {
				t.Errorf("zone %s, want %s", j.Location, tc.zone)
			}
			if j.HolidayCalendar == "" || !j.Calendar.Holiday(day("2026-12-25")) {
				t.Errorf("holiday calendar %q loaded; Christmas 2026 is not one of its holidays", j.HolidayCalendar)
			}
			if got := strings.Join(j.Decisions(), " "); got != tc.decisions {
				t.Errorf("decisions %q, want %q", got, tc.decisions)
			}
			for state, want := range tc.awaiting {
				if s, ok := j.State(state); !ok || s.Awaiting != want {
					t.Errorf("state %s awaits %q, want %q", state, s.Awaiting, want)
				}
			}
		})
	}
}
