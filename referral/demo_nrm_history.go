package referral

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

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

// demoHistoryOrgID is the generated history's organisation, in a range of its own (variant 9)
// so that no organisation added to demoOrgs can take its ID.
const demoHistoryOrgID = "019a0000-0000-7000-9000-000000000001"

// demoHistoryOrgName says what the organisation is wherever its name shows.
const demoHistoryOrgName = "Generated NRM history (demo)"

// demoHistoryQuarters is how many complete quarters before today the history covers: the
// statistics page's default period.
const demoHistoryQuarters = defaultStatsQuarters

// demoHistorySeed fixes the generator: the same day always gives the same history.
const demoHistorySeed = 2026

// loadDemoNRMHistory creates the history's organisation and, unless it already holds cases,
// the history, in one transaction under the organisation's row lock: loading twice, or from
// two instances at once, loads it once.
func (d *Domain) loadDemoNRMHistory(ctx context.Context) error {
	start := time.Now()
	name, kind, country := demoHistoryOrgName, KindOther, "BE"
	id := uuid.MustParse(demoHistoryOrgID)
	in := OrganisationInput{ID: id, Name: &name, Kind: &kind, Country: &country}
	if _, _, err := d.CreateOrganisation(ctx, in); err != nil && ErrorCode(err) != CodeConflict {
		return err
	}
	var h demoHistory
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		var org Organisation
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Select("id").First(&org, "id = ?", id).Error; err != nil {
			return err
		}
		var loaded bool
		if err := tx.Raw(`SELECT EXISTS (SELECT 1 FROM cases WHERE organisation_id = ?)`, id).Scan(&loaded).Error; err != nil || loaded {
			return err
		}
		var err error
		if h, err = generateDemoHistory(d.cfg.NRM, id, now); err != nil {
			return err
		}
		if err := h.insert(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, ActorFrom(ctx), auditEntry{Action: "demo.nrm_history", RecordType: "organisation",
			RecordID: id.String(), Detail: Detail{"records": strconv.Itoa(len(h.records)), "events": strconv.Itoa(h.events),
				"dtn_reports": strconv.Itoa(len(h.dtn))}})
	})
	if err != nil {
		return fmt.Errorf("demo NRM history: %w", err)
	}
	if len(h.records) > 0 {
		d.log.Info("demo NRM history loaded", "records", len(h.records), "events", h.events, "dtn_reports", len(h.dtn),
			"duration", time.Since(start).String())
	}
	return nil
}

// demoHistory is the generated history, ready to insert.
type demoHistory struct {
	records []demoRecord
	dtn     []DtNReport
	events  int
}

// demoRecord is one generated referral: its record, its case's reference and its steps.
type demoRecord struct {
	NRMRecord
	reference string
	steps     []NRMEvent
}

// generateDemoHistory makes the history of each demo jurisdiction the set knows (a deployment
// may have removed one) as it stands at now.
func generateDemoHistory(set *nrm.Set, org uuid.UUID, now time.Time) (demoHistory, error) {
	rng := rand.New(rand.NewPCG(demoHistorySeed, demoHistorySeed))
	var h demoHistory
	for _, p := range demoProfiles {
		j, ok := set.Get(p.code)
		if !ok {
			continue
		}
		today := j.Today(now)
		first := stats.QuarterOf(today).Add(-demoHistoryQuarters)
		for range p.n {
			r, err := p.generate(rng, j, first, today, org)
			if err != nil {
				return demoHistory{}, err
			}
			r.reference = fmt.Sprintf("HB-DEMO-%05d", len(h.records)+1)
			h.events += len(r.steps)
			h.records = append(h.records, r)
		}
		for range p.dtn {
			on, types := demoDay(rng, first), []string{}
			if t := p.exploitation.pick(rng); t != "not_specified" {
				types = append(types, t)
			}
			h.dtn = append(h.dtn, DtNReport{ID: demoID(rng, on.Start(j.Location)), Jurisdiction: j.Code, OrganisationID: org,
				ReportedOn: dateOf(on), ExploitationTypes: types, ExploitationLocation: p.location.pick(rng),
				Gender: p.gender.pick(rng), Nationality: p.nationality(rng), ReferrerKind: string(KindPolice)})
		}
	}
	return h, nil
}

// demoDay is a day in the history's quarters from first on, later quarters a little likelier
// (referrals grow year on year).
func demoDay(rng *rand.Rand, first stats.Quarter) nrm.Day {
	weights := make([]float64, demoHistoryQuarters)
	for i := range weights {
		weights[i] = 1 + 0.06*float64(i)
	}
	q := first.Add(demoPick(rng, weights))
	return q.Start().AddDays(rng.IntN(q.Start().DaysUntil(q.End())))
}

// generate makes one referral submitted in the history's quarters, walked through j's rules to
// an end before today.
func (p demoProfile) generate(rng *rand.Rand, j *nrm.Jurisdiction, first stats.Quarter, today nrm.Day, org uuid.UUID) (demoRecord, error) {
	submitted := demoDay(rng, first)
	age := p.age.pick(rng)
	w := &walker{j: j, rng: rng, day: submitted, last: today.AddDays(-1), party: nrm.Party{Minor: age == "child", Consent: true,
		Who: []nrm.Who{nrm.FirstResponder, nrm.Referrer, nrm.SupportProvider, nrm.DecisionMaker}}}
	w.status, _ = j.Replay(nil)
	p.walk(w)
	if w.err != nil {
		return demoRecord{}, w.err
	}
	at := make([]time.Time, len(w.steps)) // office hours, each step after the one before
	for i, s := range w.steps {
		at[i] = s.on.Start(j.Location).Add(9*time.Hour + time.Duration(i*17+rng.IntN(15))*time.Minute)
	}
	submittedAt := at[0]
	r := demoRecord{NRMRecord: NRMRecord{ID: demoID(rng, submittedAt), CaseID: demoID(rng, submittedAt), Kind: NRMReferral,
		Jurisdiction: j.Code, OrganisationID: org, SubmittedAt: submittedAt, SubmittedOn: dateOf(submitted),
		ExploitationType: p.exploitation.pick(rng), AgeGroup: age, Gender: p.gender.pick(rng), Nationality: p.nationality(rng),
		ExploitationLocation: p.location.pick(rng), ReferrerKind: p.referrer.pick(rng)}}
	from := j.Initial
	for i, s := range w.steps {
		t, _ := j.Transition(s.name)
		r.steps = append(r.steps, NRMEvent{ID: demoID(rng, at[i]), RecordID: r.ID, Transition: t.Name, FromState: from, ToState: t.To,
			Decision: t.Decision, Outcome: t.Outcome, DecidedOn: dateOf(s.on), OrganisationID: &org, At: at[i]})
		from = t.To
	}
	r.UpdatedAt = at[len(at)-1]
	cacheStatus(&r.NRMRecord, j, w.status, today)
	if r.Awaiting != "" || r.NextOn != nil {
		return demoRecord{}, fmt.Errorf("demo history: a %s record ends in %s, which still awaits something", j.Code, r.State)
	}
	return r, nil
}

// walker takes a generated record's steps through the engine, none after its last day.
type walker struct {
	j      *nrm.Jurisdiction
	rng    *rand.Rand
	party  nrm.Party
	status nrm.Status
	day    nrm.Day // the latest step's
	last   nrm.Day // yesterday: the history has ended before today
	steps  []demoStep
	err    error
}

// demoStep is a step taken on a day.
type demoStep struct {
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
	w.steps = append(w.steps, demoStep{name, on})
}

// chance is true percent times in a hundred.
func (w *walker) chance(percent int) bool { return w.rng.IntN(100) < percent }

// demoID is a version 7 UUID for a moment, its random bits from rng: the same history has the
// same IDs.
func demoID(rng *rand.Rand, at time.Time) uuid.UUID {
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[8:], rng.Uint64())
	binary.BigEndian.PutUint64(u[:8], uint64(at.UnixMilli())<<16|uint64(rng.Uint32()&0xffff))
	u[6] = 0x70 | u[6]&0x0f
	u[8] = 0x80 | u[8]&0x3f
	return u
}

// demoDist is a choice among values with weights.
type demoDist struct {
	values  []string
	weights []float64
}

func (d demoDist) pick(rng *rand.Rand) string { return d.values[demoPick(rng, d.weights)] }

// demoPick picks an index with the given weights.
func demoPick(rng *rand.Rand, weights []float64) int {
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
func (p demoProfile) nationality(rng *rand.Rand) string {
	if rng.IntN(100) < 2 {
		return "unknown"
	}
	weights := make([]float64, len(p.nationalities))
	for i := range weights {
		weights[i] = 1 / math.Pow(float64(i+1), 1.2)
	}
	return p.nationalities[demoPick(rng, weights)]
}

// insert writes the history with one statement per table, each row from arrays (unnest): the
// statements go to gorm's transaction as they are, since gorm would expand a slice into a list.
func (h demoHistory) insert(ctx context.Context, tx *gorm.DB, org uuid.UUID) error {
	var cases, records, events, dtn [][]string
	stamp := func(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
	for _, r := range h.records {
		cases = append(cases, []string{r.CaseID.String(), r.reference, stamp(r.SubmittedAt)})
		records = append(records, []string{r.ID.String(), r.CaseID.String(), r.Jurisdiction, stamp(r.SubmittedAt),
			string(r.SubmittedOn), r.State, r.ExploitationType, r.AgeGroup, r.Gender, r.Nationality, r.ExploitationLocation,
			r.ReferrerKind, stamp(r.UpdatedAt)})
		for _, e := range r.steps {
			events = append(events, []string{e.ID.String(), r.ID.String(), e.Transition, e.FromState, e.ToState, e.Decision,
				e.Outcome, string(e.DecidedOn), stamp(e.At)})
		}
	}
	for _, r := range h.dtn {
		types, err := json.Marshal(r.ExploitationTypes)
		if err != nil {
			return err
		}
		dtn = append(dtn, []string{r.ID.String(), r.Jurisdiction, string(r.ReportedOn), string(types),
			r.ExploitationLocation, r.Gender, r.Nationality, r.ReferrerKind})
	}
	for _, s := range []struct {
		sql  string
		rows [][]string
	}{
		{`INSERT INTO cases (id, reference, organisation_id, created_at, updated_at)
			SELECT c1::uuid, c2, $1, c3::timestamptz, c3::timestamptz FROM unnest($2::text[], $3::text[], $4::text[]) AS u(c1, c2, c3)`, cases},
		{`INSERT INTO nrm_records (id, case_id, kind, jurisdiction, organisation_id, submitted_at, submitted_on, state, awaiting,
				exploitation_type, age_group, gender, nationality, exploitation_location, referrer_kind, updated_at)
			SELECT c1::uuid, c2::uuid, 'nrm', c3, $1, c4::timestamptz, c5::date, c6, '', c7, c8, c9, c10, c11, c12, c13::timestamptz
			FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
				$11::text[], $12::text[], $13::text[], $14::text[]) AS u(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13)`, records},
		{`INSERT INTO nrm_events (id, record_id, transition, from_state, to_state, decision, outcome, decided_on, organisation_id, at)
			SELECT c1::uuid, c2::uuid, c3, c4, c5, c6, c7, c8::date, $1, c9::timestamptz
			FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
				AS u(c1, c2, c3, c4, c5, c6, c7, c8, c9)`, events},
		{`INSERT INTO dtn_reports (id, jurisdiction, organisation_id, reported_on, exploitation_types, exploitation_location, gender,
				nationality, referrer_kind)
			SELECT c1::uuid, c2, $1, c3::date, c4::jsonb, c5, c6, c7, c8
			FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
				AS u(c1, c2, c3, c4, c5, c6, c7, c8)`, dtn},
	} {
		if len(s.rows) == 0 {
			continue
		}
		args := []any{org}
		for i := range s.rows[0] {
			args = append(args, column(s.rows, func(row []string) string { return row[i] }))
		}
		if _, err := tx.Statement.ConnPool.ExecContext(ctx, s.sql, args...); err != nil {
			return err
		}
	}
	return nil
}
