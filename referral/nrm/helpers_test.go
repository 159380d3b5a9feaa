package nrm

import (
	"errors"
	"testing"
	"time"
	_ "time/tzdata" // the zones must load where the system has no zoneinfo, as in main.go
)

// day reads an ISO date written out in a test table.
func day(s string) Day {
	d, err := ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

// ev is one event of a history.
func ev(transition, on string) Event { return Event{Transition: transition, On: day(on)} }

// shippedSet loads the jurisdictions as shipped.
func shippedSet(t *testing.T) *Set {
	t.Helper()
	s, err := Shipped()
	if err != nil {
		t.Fatalf("Shipped: %v", err)
	}
	return s
}

// jurisdiction returns a shipped jurisdiction by code.
func jurisdiction(t *testing.T, code string) *Jurisdiction {
	t.Helper()
	j, ok := shippedSet(t).Get(code)
	if !ok {
		t.Fatalf("no shipped jurisdiction %s", code)
	}
	return j
}

// replay derives a status from a history that must be possible.
func replay(t *testing.T, j *Jurisdiction, events []Event) Status {
	t.Helper()
	s, err := j.Replay(events)
	if err != nil {
		t.Fatalf("%s: Replay(%v): %v", j.Code, events, err)
	}
	return s
}

// Parties as the tables name them.

// adult is an adult who agreed to the NRM referral, asking in the roles given.
func adult(w ...Who) Party { return Party{Who: w, Consent: true} }

// adultNoConsent is an adult who did not agree.
func adultNoConsent(w ...Who) Party { return Party{Who: w} }

// child is someone under 18, or who may be, who was not asked to agree.
func child(w ...Who) Party { return Party{Who: w, Minor: true} }

// everyone holds every role at once.
var everyone = []Who{FirstResponder, Referrer, SupportProvider, DecisionMaker}

// refusal returns err as a *Refusal, failing when it is some other error.
func refusal(t *testing.T, err error) *Refusal {
	t.Helper()
	if err == nil {
		return nil
	}
	var r *Refusal
	if !errors.As(err, &r) {
		t.Fatalf("error %v is not a *Refusal", err)
	}
	return r
}

// sameData compares a refusal's data with what a table expects (days compared as days).
func sameData(got, want map[string]any) bool {
	if len(got) != len(want) {
		return false
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			return false
		}
		if wd, isDay := w.(Day); isDay {
			gd, isDay := g.(Day)
			if !isDay || !gd.Equal(wd) {
				return false
			}
			continue
		}
		if g != w {
			return false
		}
	}
	return true
}

// utc reads an RFC 3339 instant written out in a test table.
func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// zone loads a time zone by name.
func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
