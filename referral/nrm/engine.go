package nrm

import (
	"fmt"
	"slices"
	"time"
)

// Event is one transition that happened to a record: its name and the day it counts from (the
// day of the decision, in the jurisdiction).
type Event struct {
	Transition string
	On         Day
}

// Clock is a timer running for a record: the day it started and the days of its bounds.
type Clock struct {
	Timer  *Timer
	Start  Day
	Min    Day
	Target Day
	Max    Day
}

// Shown is the day people see: "recovery period until …", "decision due …".
func (c Clock) Shown() Day {
	switch c.Timer.Show {
	case Min:
		return c.Min
	case Target:
		return c.Target
	}
	return c.Max
}

// Status is where a record stands after its events: its state, the timers the step into it
// started (Running), every timer ever started (Clocks, the latest of each name), and how often
// each transition happened.
type Status struct {
	State   string
	Since   Day
	Running []Clock
	Clocks  map[string]Clock
	Count   map[string]int
}

// Next returns the clock whose shown day comes first on or after today, else the last one
// that passed (an overdue decision); false when nothing runs.
func (s Status) Next(today Day) (Clock, bool) {
	if len(s.Running) == 0 {
		return Clock{}, false
	}
	cs := slices.Clone(s.Running)
	slices.SortStableFunc(cs, func(a, b Clock) int { return a.Shown().Compare(b.Shown()) })
	for _, c := range cs {
		if !c.Shown().Before(today) {
			return c, true
		}
	}
	return cs[len(cs)-1], true
}

// Overdue reports whether a decision owed in this state was due before today.
func (s Status) Overdue(today Day) bool {
	return slices.ContainsFunc(s.Running, func(c Clock) bool { late, _ := c.Timer.Due(c.Shown(), today); return late })
}

// Due says of a timer's shown day, seen today, whether the decision it owes is late or due
// today. A period that owes no decision (a recovery period) is neither.
func (t *Timer) Due(on, today Day) (late, dueToday bool) {
	if !t.Overdue {
		return false, false
	}
	return on.Before(today), on.Equal(today)
}

// Replay derives a record's status from its events, the first first. An event that its
// jurisdiction would not allow from the state it finds is an error: the history is not one
// this jurisdiction can have made.
func (j *Jurisdiction) Replay(events []Event) (Status, error) {
	s := Status{State: j.Initial, Clocks: map[string]Clock{}, Count: map[string]int{}}
	for i, e := range events {
		t, ok := j.steps[e.Transition]
		if !ok {
			return s, fmt.Errorf("nrm: event %d: %s has no transition %q", i, j.Code, e.Transition)
		}
		if !slices.Contains(t.From, s.State) {
			return s, fmt.Errorf("nrm: event %d: %s cannot %s from %s", i, j.Code, t.Name, s.State)
		}
		s = j.apply(s, t, e.On)
	}
	return s, nil
}

// apply moves the status by t on day on.
func (j *Jurisdiction) apply(s Status, t *Transition, on Day) Status {
	s.State, s.Since = t.To, on
	s.Count[t.Name]++
	s.Running = nil
	for _, name := range t.Starts {
		c := j.start(j.Timers[name], on)
		s.Clocks[name] = c
		s.Running = append(s.Running, c)
	}
	return s
}

// start starts a timer on a day.
func (j *Jurisdiction) start(t *Timer, on Day) Clock {
	c := Clock{Timer: t, Start: on}
	c.Min, _ = t.Date(j.Calendar, on, Min)
	c.Target, _ = t.Date(j.Calendar, on, Target)
	c.Max, _ = t.Date(j.Calendar, on, Max)
	return c
}

// Party is what the engine needs to know of the one asking to take a step.
type Party struct {
	Who     []Who // who they are for this record
	Minor   bool  // she is, or may be, under 18
	Consent bool  // she agreed to the NRM referral (her latest answer)
}

// Refusal is why a step may not be taken: a message ID with its data (days as Day), for the
// reader's language. Forbidden marks a step the party may never take here (the domain answers
// 403); other refusals are about the record's state or its dates (409), Dated ones only about
// the day (too early, a window closed).
type Refusal struct {
	MessageID string
	Data      map[string]any
	Forbidden bool
	Dated     bool
}

func (r *Refusal) Error() string { return "nrm: refused: " + r.MessageID }

// Check returns nil when p may take transition name on day on from status s, else a *Refusal.
func (j *Jurisdiction) Check(s Status, name string, p Party, on Day) error {
	t, ok := j.steps[name]
	if !ok {
		return &Refusal{MessageID: "nrm.refused.unknown"}
	}
	if !slices.ContainsFunc(t.Who, func(w Who) bool { return slices.Contains(p.Who, w) }) {
		return &Refusal{MessageID: "nrm.refused.who", Forbidden: true}
	}
	if !slices.Contains(t.From, s.State) {
		return &Refusal{MessageID: "nrm.refused.state", Data: map[string]any{"NRMState": s.State}}
	}
	switch t.Requires {
	case ConsentOrMinor:
		if !p.Minor && !p.Consent {
			return &Refusal{MessageID: "nrm.refused.consent"}
		}
	case AdultWithoutConsent:
		if p.Minor {
			return &Refusal{MessageID: "nrm.refused.dtn_minor"}
		}
		if p.Consent {
			return &Refusal{MessageID: "nrm.refused.dtn_consent"}
		}
	case MinorOnly:
		if !p.Minor {
			return &Refusal{MessageID: "nrm.refused.not_minor"}
		}
	case AdultOnly:
		if p.Minor {
			return &Refusal{MessageID: "nrm.refused.not_adult"}
		}
	}
	if t.Limit > 0 && s.Count[t.Name] >= t.Limit {
		return &Refusal{MessageID: "nrm.refused.limit", Data: map[string]any{"Times": t.Limit}}
	}
	if !s.Since.IsZero() && on.Before(s.Since) {
		return &Refusal{MessageID: "nrm.refused.before_last", Data: map[string]any{"Date": s.Since}}
	}
	if t.NotBefore != "" {
		if c, ok := s.Clocks[t.NotBefore]; ok && on.Before(c.Min) {
			return &Refusal{MessageID: "nrm.refused.too_early." + t.NotBefore, Dated: true,
				Data: map[string]any{"Date": c.Min, "Start": c.Start, "Days": *c.Timer.Min}}
		}
	}
	if t.Within != "" {
		if c, ok := s.Clocks[t.Within]; ok && on.After(c.Max) {
			return &Refusal{MessageID: "nrm.refused.closed." + t.Within, Dated: true, Data: map[string]any{"Date": c.Max, "Days": *c.Timer.Max}}
		}
	}
	return nil
}

// Take checks and applies one step, returning the new status.
func (j *Jurisdiction) Take(s Status, name string, p Party, on Day) (Status, error) {
	if err := j.Check(s, name, p, on); err != nil {
		return s, err
	}
	n := Status{Clocks: map[string]Clock{}, Count: map[string]int{}}
	for k, v := range s.Clocks {
		n.Clocks[k] = v
	}
	for k, v := range s.Count {
		n.Count[k] = v
	}
	return j.apply(n, j.steps[name], on), nil
}

// Steps lists the transitions p may take from s now (dates aside: a step refused only for its
// date is listed, so the page can say why), in the order of the jurisdiction's file.
func (j *Jurisdiction) Steps(s Status, p Party) []*Transition {
	var out []*Transition
	for i := range j.Transitions {
		t := &j.Transitions[i]
		err := j.Check(s, t.Name, p, s.Since)
		if r, ok := err.(*Refusal); err == nil || ok && r.Dated {
			out = append(out, t)
		}
	}
	return out
}

// Today is the day it is now in the jurisdiction.
func (j *Jurisdiction) Today(now time.Time) Day { return DayOf(now, j.Location) }
