package demo

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/referral/nrm"
	"github.com/harbour-nrm/harbour/referral/stats"
)

// The demo's NRM history. The statistics publish no count under 5, so a demo holding only a
// few referrals shows neither numbers nor charts. At the first start of a demo database Harbour
// therefore generates, deterministically, a few hundred referrals per jurisdiction over the
// last eight complete quarters, each taken step by step through its jurisdiction's rules (the
// engine's Take), so that every decision is one its competent authority could have made.
//
// It is plainly demo and leaks into nobody's work: every generated case belongs to one
// organisation of its own (no users, so it sees nothing and is told nothing); references are
// HB-DEMO-00001…, a shape no real reference has (Crockford's alphabet has no O); no record
// holds anyone's details (person NULL, no names: the statistics read only the counted
// columns); every record has come to an end before today (nothing awaited, no timer running),
// so no decision maker's queue lists it and no reminder or alert is ever sent for it.

// historyOrgID is the generated history's organisation, in a range of its own (variant 9)
// so that no organisation added to orgs can take its ID.
const historyOrgID = "019a0000-0000-7000-9000-000000000001"

// historyOrgName says what the organisation is wherever its name shows.
const historyOrgName = "Generated NRM history (demo)"

// historyQuarters is how many complete quarters before today the history covers: the
// statistics page's default period.
const historyQuarters = referral.DefaultStatsQuarters

// historySeed fixes the generator: the same day always gives the same history.
const historySeed = 2026

// loadNRMHistory creates the history's organisation and has the domain load the history into
// it, once (see referral.Domain.LoadDemoNRMHistory).
func loadNRMHistory(ctx context.Context, d *referral.Domain) error {
	name, kind, country := historyOrgName, referral.KindOther, "BE"
	id := uuid.MustParse(historyOrgID)
	in := referral.OrganisationInput{ID: id, Name: &name, Kind: &kind, Country: &country}
	if _, _, err := d.CreateOrganisation(ctx, in); err != nil && referral.ErrorCode(err) != referral.CodeConflict {
		return err
	}
	_, err := d.LoadDemoNRMHistory(ctx, id, func(now time.Time) (referral.NRMHistory, error) {
		return generateHistory(d.Jurisdictions(), id, now)
	})
	return err
}

// generateHistory makes the history of each demo jurisdiction the set knows (a deployment
// may have removed one) as it stands at now.
func generateHistory(set *nrm.Set, org uuid.UUID, now time.Time) (referral.NRMHistory, error) {
	rng := rand.New(rand.NewPCG(historySeed, historySeed))
	var h referral.NRMHistory
	for _, p := range profiles {
		j, ok := set.Get(p.code)
		if !ok {
			continue
		}
		today := j.Today(now)
		first := stats.QuarterOf(today).Add(-historyQuarters)
		for range p.n {
			r, err := p.generate(rng, j, first, today, org)
			if err != nil {
				return referral.NRMHistory{}, err
			}
			r.Reference = fmt.Sprintf("HB-DEMO-%05d", len(h.Records)+1)
			h.Records = append(h.Records, r)
		}
		for range p.dtn {
			on, types := historyDay(rng, first), []string{}
			if t := p.exploitation.pick(rng); t != "not_specified" {
				types = append(types, t)
			}
			h.DtN = append(h.DtN, referral.DtNReport{ID: idAt(rng, on.Start(j.Location)), Jurisdiction: j.Code, OrganisationID: org,
				ReportedOn: dateOf(on), ExploitationTypes: types, ExploitationLocation: p.location.pick(rng),
				Gender: p.gender.pick(rng), Nationality: p.nationality(rng), ReferrerKind: string(referral.KindPolice)})
		}
	}
	return h, nil
}

// historyDay is a day in the history's quarters from first on, later quarters a little likelier
// (referrals grow year on year).
func historyDay(rng *rand.Rand, first stats.Quarter) nrm.Day {
	weights := make([]float64, historyQuarters)
	for i := range weights {
		weights[i] = 1 + 0.06*float64(i)
	}
	q := first.Add(pick(rng, weights))
	return q.Start().AddDays(rng.IntN(q.Start().DaysUntil(q.End())))
}

// generate makes one referral submitted in the history's quarters, walked through j's rules to
// an end before today.
func (p profile) generate(rng *rand.Rand, j *nrm.Jurisdiction, first stats.Quarter, today nrm.Day, org uuid.UUID) (referral.HistoricNRMRecord, error) {
	submitted := historyDay(rng, first)
	age := p.age.pick(rng)
	w := &walker{j: j, rng: rng, day: submitted, last: today.AddDays(-1), party: nrm.Party{Minor: age == "child", Consent: true,
		Who: []nrm.Who{nrm.FirstResponder, nrm.Referrer, nrm.SupportProvider, nrm.DecisionMaker}}}
	w.status, _ = j.Replay(nil)
	p.walk(w)
	if w.err != nil {
		return referral.HistoricNRMRecord{}, w.err
	}
	at := make([]time.Time, len(w.steps)) // office hours, each step after the one before
	for i, s := range w.steps {
		at[i] = s.on.Start(j.Location).Add(9*time.Hour + time.Duration(i*17+rng.IntN(15))*time.Minute)
	}
	submittedAt := at[0]
	r := referral.HistoricNRMRecord{NRMRecord: referral.NRMRecord{ID: idAt(rng, submittedAt), CaseID: idAt(rng, submittedAt), Kind: referral.NRMReferral,
		Jurisdiction: j.Code, OrganisationID: org, SubmittedAt: submittedAt, SubmittedOn: dateOf(submitted),
		ExploitationType: p.exploitation.pick(rng), AgeGroup: age, Gender: p.gender.pick(rng), Nationality: p.nationality(rng),
		ExploitationLocation: p.location.pick(rng), ReferrerKind: p.referrer.pick(rng)}}
	from := j.Initial
	for i, s := range w.steps {
		t, _ := j.Transition(s.name)
		r.Steps = append(r.Steps, referral.NRMEvent{ID: idAt(rng, at[i]), RecordID: r.ID, Transition: t.Name, FromState: from, ToState: t.To,
			Decision: t.Decision, Outcome: t.Outcome, DecidedOn: dateOf(s.on), OrganisationID: &org, At: at[i]})
		from = t.To
	}
	r.UpdatedAt = at[len(at)-1]
	state, _ := j.State(w.status.State)
	if _, running := w.status.Next(today); state.Awaiting != "" || running {
		return referral.HistoricNRMRecord{}, fmt.Errorf("demo history: a %s record ends in %s, which still awaits something", j.Code, w.status.State)
	}
	return r, nil
}

// dateOf is a day as the domain stores it.
func dateOf(d nrm.Day) referral.Date { return referral.Date(d.String()) }

// walker takes a generated record's steps through the engine, none after its last day.
type walker struct {
	j      *nrm.Jurisdiction
	rng    *rand.Rand
	party  nrm.Party
	status nrm.Status
	day    nrm.Day // the latest step's
	last   nrm.Day // yesterday: the history has ended before today
	steps  []takenStep
	err    error
}

// takenStep is a step taken on a day.
type takenStep struct {
	name string
	on   nrm.Day
}

// room reports whether days more fit before the last day.
func (w *walker) room(days int) bool { return w.day.DaysUntil(w.last) >= days }

// step takes a step lo to hi days after the latest one, leaving keep days before the last (for
// a later step that may not come sooner); a record submitted late in the history has its steps
// squeezed in before the last day.
func (w *walker) step(name string, lo, hi, keep int) {
	left := w.day.DaysUntil(w.last) - keep
	if left < 0 {
		left = 0
	}
	lo, hi = min(lo, left), min(hi, left)
	w.take(name, w.day.AddDays(lo+w.rng.IntN(hi-lo+1)))
}

// take takes a step on a day, as the engine allows it: the walk stops at its first refusal.
func (w *walker) take(name string, on nrm.Day) {
	if w.err != nil {
		return
	}
	s, err := w.j.Take(w.status, name, w.party, on)
	if err != nil {
		w.err = fmt.Errorf("demo history: %s refuses %s on %s from %s: %w", w.j.Code, name, on, w.status.State, err)
		return
	}
	w.status, w.day = s, on
	w.steps = append(w.steps, takenStep{name, on})
}

// chance is true percent times in a hundred.
func (w *walker) chance(percent int) bool { return w.rng.IntN(100) < percent }

// idAt is a version 7 UUID for a moment, its random bits from rng: the same history has the
// same IDs.
func idAt(rng *rand.Rand, at time.Time) uuid.UUID {
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[8:], rng.Uint64())
	binary.BigEndian.PutUint64(u[:8], uint64(at.UnixMilli())<<16|uint64(rng.Uint32()&0xffff))
	u[6] = 0x70 | u[6]&0x0f
	u[8] = 0x80 | u[8]&0x3f
	return u
}

// choice is a choice among values with weights.
type choice struct {
	values  []string
	weights []float64
}

func (d choice) pick(rng *rand.Rand) string { return d.values[pick(rng, d.weights)] }

// pick picks an index with the given weights.
func pick(rng *rand.Rand, weights []float64) int {
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	x := rng.Float64() * sum
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// nationality picks a nationality, the first of the profile's list the most often, the last
// rarely (as referrals come), or now and then none recorded.
func (p profile) nationality(rng *rand.Rand) string {
	if rng.IntN(100) < 2 {
		return "unknown"
	}
	weights := make([]float64, len(p.nationalities))
	for i := range weights {
		weights[i] = 1 / math.Pow(float64(i+1), 1.2)
	}
	return p.nationalities[pick(rng, weights)]
}
