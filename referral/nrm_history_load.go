package referral

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// NRMHistory is a generated NRM history (the demo's, see package demo): referrals that have
// come to an end, with their steps, and Duty to Notify reports. Its records name nobody.
type NRMHistory struct {
	Records []HistoricNRMRecord
	DtN     []DtNReport
}

// HistoricNRMRecord is one referral of a history: its record (the counted columns; its state
// follows from the steps), its case's reference, and its steps, the first first.
type HistoricNRMRecord struct {
	NRMRecord
	Reference string
	Steps     []NRMEvent
}

// Events is how many steps the history's records took.
func (h NRMHistory) Events() int {
	n := 0
	for _, r := range h.Records {
		n += len(r.Steps)
	}
	return n
}

// LoadDemoNRMHistory writes a generated NRM history into the organisation org, which holds it
// alone (no users: it sees nothing and is told nothing). Unless org already holds cases, it
// calls generate with the time of the transaction and loads what it returns, in that one
// transaction under the organisation's row lock: loading twice, or from two instances at once,
// loads it once. Every record must replay under its jurisdiction's rules to a state that awaits
// nothing and runs no timer, and must name nobody; otherwise nothing is loaded. Only the system
// may load one. It returns what it loaded (nothing when org already held cases).
func (d *Domain) LoadDemoNRMHistory(ctx context.Context, org uuid.UUID, generate func(now time.Time) (NRMHistory, error)) (NRMHistory, error) {
	if err := systemOnly(ctx); err != nil {
		return NRMHistory{}, err
	}
	start := time.Now()
	var h NRMHistory
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		var o Organisation
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Select("id").First(&o, "id = ?", org).Error; err != nil {
			return notFound(err)
		}
		var loaded bool
		if err := tx.Raw(`SELECT EXISTS (SELECT 1 FROM cases WHERE organisation_id = ?)`, org).Scan(&loaded).Error; err != nil || loaded {
			return err
		}
		var err error
		if h, err = generate(now); err != nil {
			return err
		}
		if err := d.settleHistory(h, org, now); err != nil {
			return err
		}
		if err := h.insert(ctx, tx, org); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, ActorFrom(ctx), auditEntry{Action: "demo.nrm_history", RecordType: "organisation",
			RecordID: org.String(), Detail: Detail{"records": strconv.Itoa(len(h.Records)), "events": strconv.Itoa(h.Events()),
				"dtn_reports": strconv.Itoa(len(h.DtN))}})
	})
	if err != nil {
		return NRMHistory{}, fmt.Errorf("demo NRM history: %w", err)
	}
	if len(h.Records) > 0 {
		d.log.Info("demo NRM history loaded", "records", len(h.Records), "events", h.Events(), "dtn_reports", len(h.DtN),
			"duration", time.Since(start).String())
	}
	return h, nil
}

// settleHistory replays each record's steps under its jurisdiction's rules and caches the
// state they reach, refusing a record that belongs elsewhere, names someone, or still awaits
// a decision or runs a timer today.
func (d *Domain) settleHistory(h NRMHistory, org uuid.UUID, now time.Time) error {
	for i := range h.Records {
		r := &h.Records[i]
		j, ok := d.cfg.NRM.Get(r.Jurisdiction)
		if !ok {
			return fmt.Errorf("record %s: no jurisdiction %q", r.ID, r.Jurisdiction)
		}
		if r.OrganisationID != org || r.Person != nil || r.Kind != NRMReferral || len(r.Steps) == 0 {
			return fmt.Errorf("record %s: not a finished referral of the history's organisation that names nobody", r.ID)
		}
		status, err := replay(j, r.Steps)
		if err != nil {
			return fmt.Errorf("record %s: %w", r.ID, err)
		}
		cacheStatus(&r.NRMRecord, j, status, j.Today(now))
		if r.Awaiting != "" || r.NextOn != nil {
			return fmt.Errorf("record %s: a %s record ends in %s, which still awaits something", r.ID, j.Code, r.State)
		}
	}
	for _, r := range h.DtN {
		if r.OrganisationID != org {
			return fmt.Errorf("duty to notify report %s: not the history's organisation", r.ID)
		}
	}
	return nil
}

// insert writes the history with one statement per table, each row from arrays (unnest): the
// statements go to gorm's transaction as they are, since gorm would expand a slice into a list.
func (h NRMHistory) insert(ctx context.Context, tx *gorm.DB, org uuid.UUID) error {
	var cases, records, events, dtn [][]string
	stamp := func(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
	for _, r := range h.Records {
		cases = append(cases, []string{r.CaseID.String(), r.Reference, stamp(r.SubmittedAt)})
		records = append(records, []string{r.ID.String(), r.CaseID.String(), r.Jurisdiction, stamp(r.SubmittedAt),
			string(r.SubmittedOn), r.State, r.ExploitationType, r.AgeGroup, r.Gender, r.Nationality, r.ExploitationLocation,
			r.ReferrerKind, stamp(r.UpdatedAt)})
		for _, e := range r.Steps {
			events = append(events, []string{e.ID.String(), r.ID.String(), e.Transition, e.FromState, e.ToState, e.Decision,
				e.Outcome, string(e.DecidedOn), stamp(e.At)})
		}
	}
	for _, r := range h.DtN {
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
