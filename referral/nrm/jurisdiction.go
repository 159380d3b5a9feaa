package nrm

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Who names a party to an NRM record. The domain decides who an actor is for a record; the
// engine only compares names.
type Who string

// The parties a jurisdiction's file may name.
const (
	FirstResponder  Who = "first_responder"  // a first-responder organisation that recorded her
	Referrer        Who = "referrer"         // the organisation that submitted her NRM referral
	SupportProvider Who = "support_provider" // an organisation whose referral for her was accepted
	DecisionMaker   Who = "decision_maker"   // a decision maker of a competent authority of the jurisdiction
)

var parties = []Who{FirstResponder, Referrer, SupportProvider, DecisionMaker}

// Requirement is a condition on the person for a transition.
type Requirement string

// Requirements a transition may name.
const (
	ConsentOrMinor      Requirement = "nrm_consent_or_minor"  // an adult must have agreed to the NRM referral; a child is never asked
	AdultWithoutConsent Requirement = "adult_without_consent" // only for an adult who did not agree (a Duty to Notify report)
	MinorOnly           Requirement = "minor"                 // only for a child, or someone who may be one
	AdultOnly           Requirement = "adult"
	NoRequirement       Requirement = ""
)

var requirements = []Requirement{NoRequirement, ConsentOrMinor, AdultWithoutConsent, MinorOnly, AdultOnly}

// Unit is how a timer counts.
type Unit string

// Units.
const (
	CalendarDays Unit = "calendar_days"
	WorkingDays  Unit = "working_days"
	Months       Unit = "months"
)

// Bound names which of a timer's three lengths a date is.
type Bound string

// Bounds.
const (
	Min    Bound = "min"    // not before: a decision may not come earlier (the recovery period's 30 days)
	Target Bound = "target" // due: overdue after it (the reasonable-grounds decision's 5 working days)
	Max    Bound = "max"    // until: a window closes, a document ends
)

// Timer is a period that a transition starts: counted in Unit from the day of the transition,
// with a minimum, a target and a maximum (any of them may be absent). Show names the bound
// people see as the record's next date; Overdue marks a decision owed by then.
type Timer struct {
	Name        string `toml:"-"`
	Unit        Unit   `toml:"unit"`
	Min         *int   `toml:"min"`
	Target      *int   `toml:"target"`
	Max         *int   `toml:"max"`
	Show        Bound  `toml:"show"`
	Overdue     bool   `toml:"overdue"`     // alert when the record has not moved on by the shown date
	RemindDays  int    `toml:"remind_days"` // remind this many calendar days before the shown date (0: no reminder)
	Notify      []Who  `toml:"notify"`      // who hears of reminders and of it being overdue
	Unconfirmed bool   `toml:"unconfirmed"` // the length could not be checked against an official text
	Source      string `toml:"source"`      // where the length comes from
}

// State is where a record stands. Final states end the record; Awaiting names the decision a
// competent authority owes in it (its queue, its backlog).
type State struct {
	Name     string `toml:"name"`
	Final    bool   `toml:"final"`
	Awaiting string `toml:"awaiting"`
}

// Transition is a step from one of From to To, taken by one of Who.
type Transition struct {
	Name      string      `toml:"name"`
	From      []string    `toml:"from"`
	To        string      `toml:"to"`
	Who       []Who       `toml:"who"`
	Requires  Requirement `toml:"requires"`
	Decision  string      `toml:"decision"`   // the decision it records (rg, cg, …), for statistics; "" for other steps
	Outcome   string      `toml:"outcome"`    // positive, negative, disqualified
	Reasons   bool        `toml:"reasons"`    // reasons must be written
	Starts    []string    `toml:"starts"`     // timers it starts
	NotBefore string      `toml:"not_before"` // refused before this timer's minimum
	Within    string      `toml:"within"`     // refused after this timer's maximum
	Limit     int         `toml:"limit"`      // how many times it may happen to one record (0: no limit)
}

// Jurisdiction is one country's (or nation's) NRM as data: who decides what, in which order,
// within which periods, on which working days.
type Jurisdiction struct {
	Code                string            `toml:"code"`
	Countries           []string          `toml:"countries"`
	Default             bool              `toml:"default"` // records of organisations in other countries use it
	TimeZone            string            `toml:"time_zone"`
	FirstResponderKinds []string          `toml:"first_responder_kinds"` // organisation kinds that are first responders (others are named one by one)
	Unconfirmed         bool              `toml:"unconfirmed"`
	Initial             string            `toml:"initial"`
	States              []State           `toml:"states"`
	Transitions         []Transition      `toml:"transitions"`
	Timers              map[string]*Timer `toml:"timers"`
	HolidayCalendar     string            `toml:"holiday_calendar"` // rickar/cal's calendar the public holidays come from (gb-eaw, be, nl, de, es)
	HolidayRegions      []string          `toml:"holiday_regions"`  // regions (ISO 3166-2, DE-BY) whose holidays it adds
	ExtraHolidays       []string          `toml:"extra_holidays"`   // one-off holidays the library does not know (a royal event)
	NotHolidays         []string          `toml:"not_holidays"`     // days the library lists wrongly

	Location *time.Location `toml:"-"`
	Calendar Calendar       `toml:"-"`
	states   map[string]State
	steps    map[string]*Transition
}

// State returns the named state.
func (j *Jurisdiction) State(name string) (State, bool) { s, ok := j.states[name]; return s, ok }

// Transition returns the named transition.
func (j *Jurisdiction) Transition(name string) (*Transition, bool) {
	t, ok := j.steps[name]
	return t, ok
}

// Decisions lists the decisions the jurisdiction records (rg, cg, …), in the order of its file.
func (j *Jurisdiction) Decisions() []string {
	var out []string
	for _, t := range j.Transitions {
		if t.Decision != "" && !slices.Contains(out, t.Decision) {
			out = append(out, t.Decision)
		}
	}
	return out
}

//go:embed jurisdictions/*.toml
var shipped embed.FS

// Set is every jurisdiction Harbour knows, by code.
type Set struct {
	byCode map[string]*Jurisdiction
	codes  []string
	dflt   *Jurisdiction
}

// Shipped returns the jurisdictions Harbour ships with.
func Shipped() (*Set, error) { return ShippedWith(nil) }

// ShippedWith returns the shipped jurisdictions, each replaced by a file of the same name in
// override (a deployment's own values for what is unconfirmed), and any new ones it adds.
func ShippedWith(override fs.FS) (*Set, error) {
	sub, _ := fs.Sub(shipped, "jurisdictions")
	return Load(sub, override)
}

// Load reads every *.toml in fsys; with overrides (may be nil) read after them, a file of the
// same name replacing the shipped one, so values marked unconfirmed can be set per deployment.
func Load(fsys fs.FS, overrides ...fs.FS) (*Set, error) {
	files := map[string][]byte{}
	for _, f := range append([]fs.FS{fsys}, overrides...) {
		if f == nil {
			continue
		}
		names, err := fs.Glob(f, "*.toml")
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			b, err := fs.ReadFile(f, n)
			if err != nil {
				return nil, err
			}
			files[n] = b
		}
	}
	s := &Set{byCode: map[string]*Jurisdiction{}}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		var j Jurisdiction
		md, err := toml.Decode(string(files[n]), &j)
		if err != nil {
			return nil, fmt.Errorf("nrm: %s: %w", n, err)
		}
		// A key the engine does not read is a mistake (a typo, or a key after a table header
		// that TOML files under that table): refuse it rather than silently drop it.
		if u := md.Undecoded(); len(u) > 0 {
			// A deployment's own file may still list the dates it once had to.
			if slices.ContainsFunc(u, func(k toml.Key) bool { return k.String() == "holidays" }) {
				return nil, fmt.Errorf("nrm: %s: unknown keys %v (holidays are computed now: name a holiday_calendar, keep only extra_holidays and not_holidays)", n, u)
			}
			return nil, fmt.Errorf("nrm: %s: unknown keys %v", n, u)
		}
		if err := j.prepare(); err != nil {
			return nil, fmt.Errorf("nrm: %s: %w", n, err)
		}
		if _, dup := s.byCode[j.Code]; dup {
			return nil, fmt.Errorf("nrm: %s: jurisdiction %s defined twice", n, j.Code)
		}
		s.byCode[j.Code] = &j
		s.codes = append(s.codes, j.Code)
		if j.Default {
			if s.dflt != nil {
				return nil, fmt.Errorf("nrm: %s: %s and %s are both the default", n, s.dflt.Code, j.Code)
			}
			s.dflt = &j
		}
	}
	if s.dflt == nil {
		return nil, errors.New("nrm: no default jurisdiction")
	}
	return s, nil
}

// Codes lists the jurisdictions' codes, sorted.
func (s *Set) Codes() []string { return s.codes }

// Get returns the jurisdiction with this code.
func (s *Set) Get(code string) (*Jurisdiction, bool) { j, ok := s.byCode[code]; return j, ok }

// Default is the jurisdiction used where no other names the country (the UK as shipped).
func (s *Set) Default() *Jurisdiction { return s.dflt }

// ForCountry returns the jurisdiction of a country (ISO 3166-1 alpha-2), else the default.
func (s *Set) ForCountry(country string) *Jurisdiction {
	for _, c := range s.codes {
		if slices.Contains(s.byCode[c].Countries, country) {
			return s.byCode[c]
		}
	}
	return s.dflt
}

// prepare checks a jurisdiction's file for mistakes a reader would make (a transition to an
// unknown state, a timer nobody starts) and indexes it.
func (j *Jurisdiction) prepare() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if j.Code == "" {
		bad("no code")
	}
	loc, err := time.LoadLocation(j.TimeZone)
	if err != nil || j.TimeZone == "" {
		bad("time_zone %q: %v", j.TimeZone, err)
		loc = time.UTC
	}
	j.Location = loc
	j.states = map[string]State{}
	for _, s := range j.States {
		if _, dup := j.states[s.Name]; dup || s.Name == "" {
			bad("state %q is empty or defined twice", s.Name)
		}
		j.states[s.Name] = s
	}
	if _, ok := j.states[j.Initial]; !ok {
		bad("initial state %q is not a state", j.Initial)
	}
	for name, t := range j.Timers {
		t.Name = name
		if !slices.Contains([]Unit{CalendarDays, WorkingDays, Months}, t.Unit) {
			bad("timer %s: unit %q", name, t.Unit)
		}
		if t.length(t.Show) == nil {
			bad("timer %s: shows %q, which it does not set", name, t.Show)
		}
		for _, w := range t.Notify {
			if !slices.Contains(parties, w) {
				bad("timer %s: notifies unknown party %q", name, w)
			}
		}
	}
	j.steps = map[string]*Transition{}
	started := map[string]bool{}
	for i := range j.Transitions {
		t := &j.Transitions[i]
		if _, dup := j.steps[t.Name]; dup || t.Name == "" {
			bad("transition %q is empty or defined twice", t.Name)
		}
		j.steps[t.Name] = t
		if len(t.From) == 0 {
			bad("transition %s: no from", t.Name)
		}
		for i, f := range append(slices.Clone(t.From), t.To) {
			if s, ok := j.states[f]; !ok {
				bad("transition %s: unknown state %q", t.Name, f)
			} else if s.Final && i < len(t.From) {
				bad("transition %s: leaves final state %q", t.Name, f)
			}
		}
		if len(t.Who) == 0 {
			bad("transition %s: nobody may take it", t.Name)
		}
		for _, w := range t.Who {
			if !slices.Contains(parties, w) {
				bad("transition %s: unknown party %q", t.Name, w)
			}
		}
		if !slices.Contains(requirements, t.Requires) {
			bad("transition %s: unknown requirement %q", t.Name, t.Requires)
		}
		for _, n := range t.Starts {
			if _, ok := j.Timers[n]; !ok {
				bad("transition %s: starts unknown timer %q", t.Name, n)
			}
			started[n] = true
		}
		if t.NotBefore != "" && (j.Timers[t.NotBefore] == nil || j.Timers[t.NotBefore].Min == nil) {
			bad("transition %s: not_before %q is not a timer with a minimum", t.Name, t.NotBefore)
		}
		if t.Within != "" && (j.Timers[t.Within] == nil || j.Timers[t.Within].Max == nil) {
			bad("transition %s: within %q is not a timer with a maximum", t.Name, t.Within)
		}
	}
	for name := range j.Timers {
		if !started[name] {
			bad("timer %s: no transition starts it", name)
		}
	}
	j.Calendar, err = loadCalendar(j.HolidayCalendar, j.HolidayRegions, j.ExtraHolidays, j.NotHolidays)
	if err != nil {
		errs = append(errs, err)
	}
	for _, c := range j.Countries {
		if len(c) != 2 || strings.ToUpper(c) != c {
			bad("country %q is not ISO 3166-1 alpha-2", c)
		}
	}
	return errors.Join(errs...)
}

// length returns the timer's length for a bound.
func (t *Timer) length(b Bound) *int {
	switch b {
	case Min:
		return t.Min
	case Target:
		return t.Target
	case Max:
		return t.Max
	}
	return nil
}

// Date returns the day a bound of the timer falls on when it starts on day start; false when
// the timer does not set that bound.
func (t *Timer) Date(c Calendar, start Day, b Bound) (Day, bool) {
	n := t.length(b)
	if n == nil {
		return Day{}, false
	}
	switch t.Unit {
	case WorkingDays:
		return c.AddWorkingDays(start, *n), true
	case Months:
		return start.AddMonths(*n), true
	}
	return start.AddDays(*n), true
}
