package referral

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral/nrm"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// loadNRM reads a record and its case, with the party the actor is for it. An actor who is
// no party to it, and not the organisation that recorded her, is told it does not exist.
func (d *Domain) loadNRM(tx *gorm.DB, a Actor, id uuid.UUID, now time.Time, lock bool) (NRMRecord, Case, *nrm.Jurisdiction, nrm.Party, bool, error) {
	var rec NRMRecord
	var c Case
	q := tx
	if lock { // steps on one record are taken one after the other: each replays what the last made
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.First(&rec, "id = ?", id).Error; err != nil {
		return rec, c, nil, nrm.Party{}, false, notFound(err)
	}
	if err := tx.First(&c, "id = ?", rec.CaseID).Error; err != nil {
		return rec, c, nil, nrm.Party{}, false, err
	}
	j := d.recordJurisdiction(rec)
	if a.IsZero() {
		return rec, c, j, nrm.Party{}, false, ErrUnauthenticated
	}
	p, err := d.nrmParty(tx, a, c, &rec, j, j.Today(now).Civil())
	if err != nil {
		return rec, c, j, p, false, err
	}
	owner := (a.Has(RoleOfficer) || a.Has(RoleCaseworker)) && c.OrganisationID == a.OrganisationID
	if len(p.Who) == 0 && !owner && !a.IsSystem() {
		return rec, c, j, p, false, ErrNotFound
	}
	// A Duty to Notify mark is the recording organisation's own note; nobody else sees it.
	if rec.Kind == NRMDutyToNotify && !owner && !a.IsSystem() {
		return rec, c, j, p, false, ErrNotFound
	}
	return rec, c, j, p, full(p.Who, owner) || a.IsSystem(), nil
}

// NRMFile reads a record as the actor may see it, with the steps they may take now. A full
// read (her details, the decisions) is audited as a read of her NRM record.
func (d *Domain) NRMFile(ctx context.Context, id uuid.UUID) (NRMView, error) {
	a := ActorFrom(ctx)
	var v NRMView
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		rec, c, j, p, isFull, err := d.loadNRM(tx, a, id, now, false)
		if err != nil {
			return err
		}
		v, err = d.nrmView(tx, rec, c, j, p, isFull, now)
		if err != nil || !isFull {
			return err
		}
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "nrm.read", RecordType: "nrm_record", RecordID: rec.ID.String(),
			Detail: Detail{"case_id": c.ID.String()}})
	})
	return v, err
}

// nrmView puts a record together for a reader.
func (d *Domain) nrmView(tx *gorm.DB, rec NRMRecord, c Case, j *nrm.Jurisdiction, p nrm.Party, isFull bool, now time.Time) (NRMView, error) {
	today := j.Today(now)
	v := NRMView{Record: rec, Reference: c.Reference, Full: isFull, Who: p.Who, Jurisdiction: j, Names: map[string]string{},
		Minor: p.Minor, Consent: p.Consent}
	events, err := recordEvents(tx, rec.ID)
	if err != nil {
		return v, err
	}
	status, err := replay(j, events)
	if err != nil {
		return v, err
	}
	v.Next = nextOf(status, today)
	v.Steps = j.Steps(status, p)
	if rec.Kind == NRMDutyToNotify {
		v.Steps = nil
	}
	if !isFull {
		v.Record = NRMRecord{ID: rec.ID, CaseID: rec.CaseID, Kind: rec.Kind, Jurisdiction: rec.Jurisdiction, State: rec.State,
			Awaiting: rec.Awaiting, NextTimer: rec.NextTimer, NextOn: rec.NextOn, SubmittedOn: rec.SubmittedOn}
		return v, nil
	}
	v.Events = events
	ids := column(events, func(e NRMEvent) uuid.UUID {
		if e.OrganisationID == nil {
			return uuid.Nil
		}
		return *e.OrganisationID
	})
	var orgs []Organisation
	if err := tx.Select("id", "name").Where("id IN ?", append(ids, rec.OrganisationID)).Find(&orgs).Error; err != nil {
		return v, err
	}
	for _, o := range orgs {
		v.Names[o.ID.String()] = o.Name
	}
	return v, nil
}

// recordEvents reads a record's events, the first first.
func recordEvents(tx *gorm.DB, id uuid.UUID) ([]NRMEvent, error) {
	var events []NRMEvent
	err := tx.Where("record_id = ?", id).Order("at, id").Find(&events).Error
	return events, err
}

// replay derives a record's status from its events.
func replay(j *nrm.Jurisdiction, events []NRMEvent) (nrm.Status, error) {
	evs := make([]nrm.Event, len(events))
	for i, e := range events {
		evs[i] = nrm.Event{Transition: e.Transition, On: e.DecidedOn.Day()}
	}
	return j.Replay(evs)
}

// nextOf is the next date of a status, seen today.
func nextOf(s nrm.Status, today nrm.Day) *NRMNext {
	c, ok := s.Next(today)
	if !ok {
		return nil
	}
	n := &NRMNext{Timer: c.Timer.Name, On: c.Shown()}
	n.Overdue, n.Today = c.Timer.Due(c.Shown(), today)
	return n
}

// nrmForCase is the NRM record of a person as the reader sees it on her record: in full for the
// organisation that recorded her (owner) and the parties who see decisions, only where it stands
// for a support provider. With no record yet, it is what the reader may start, under the law of
// the reader's own country (a Belgian centre starts Belgium's).
func (d *Domain) nrmForCase(tx *gorm.DB, a Actor, c Case, now time.Time, owner bool) (*NRMView, error) {
	var rec NRMRecord
	if err := tx.Where("case_id = ?", c.ID).Limit(1).Find(&rec).Error; err != nil {
		return nil, err
	}
	viewer := a.OrganisationID
	if a.IsSystem() {
		viewer = c.OrganisationID
	}
	var o Organisation
	if err := tx.First(&o, "id = ?", viewer).Error; err != nil {
		return nil, err
	}
	j := d.jurisdictionOf(o)
	if rec.ID != uuid.Nil {
		j = d.recordJurisdiction(rec)
	}
	p, err := d.nrmParty(tx, a, c, nilIfNone(&rec), j, j.Today(now).Civil())
	if err != nil {
		return nil, err
	}
	if rec.ID == uuid.Nil {
		// Not yet referred: what she may be referred with, and by whom.
		st, _ := j.Replay(nil)
		v := &NRMView{Jurisdiction: j, Who: p.Who, Full: true, Reference: c.Reference, Names: map[string]string{},
			Minor: p.Minor, Consent: p.Consent}
		v.Steps = j.Steps(st, p)
		return v, nil
	}
	if rec.Kind == NRMDutyToNotify && !owner && !a.IsSystem() {
		return nil, nil // her organisation's own note
	}
	v, err := d.nrmView(tx, rec, c, j, p, full(p.Who, owner) || a.IsSystem(), now)
	return &v, err
}

func nilIfNone(r *NRMRecord) *NRMRecord {
	if r.ID == uuid.Nil {
		return nil
	}
	return r
}
