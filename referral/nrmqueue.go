package referral

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/harbour-nrm/harbour/referral/nrm"
)

// NRMBrief is where a person's NRM record stands, as lists show it beside her reference: the
// state and the next date, nothing of the decisions' reasons.
type NRMBrief struct {
	RecordID     uuid.UUID `json:"record_id"`
	Jurisdiction string    `json:"jurisdiction"`
	State        string    `json:"state"`
	Awaiting     string    `json:"awaiting"`
	NextTimer    string    `json:"next_timer"`
	NextOn       *nrm.Day  `json:"next_on"`
	Overdue      bool      `json:"overdue"`
	DueToday     bool      `json:"due_today"`
}

// nrmBriefs reads the NRM state of people by case ID (NRM referrals only, never a Duty to
// Notify mark), seen at now.
func (d *Domain) nrmBriefs(tx *gorm.DB, caseIDs []uuid.UUID, now time.Time) (map[uuid.UUID]NRMBrief, error) {
	out := map[uuid.UUID]NRMBrief{}
	if len(caseIDs) == 0 {
		return out, nil
	}
	var recs []NRMRecord
	if err := tx.Select("id", "case_id", "jurisdiction", "state", "awaiting", "next_timer", "next_on").
		Where("case_id IN ? AND kind = ?", caseIDs, NRMReferral).Find(&recs).Error; err != nil {
		return nil, err
	}
	for _, r := range recs {
		out[r.CaseID] = d.brief(r, now)
	}
	return out, nil
}

// Brief is the view's record as lists show it.
func (v NRMView) Brief() NRMBrief {
	b := NRMBrief{RecordID: v.Record.ID, Jurisdiction: v.Record.Jurisdiction, State: v.Record.State, Awaiting: v.Record.Awaiting}
	if v.Next != nil {
		on := v.Next.On
		b.NextTimer, b.NextOn, b.Overdue, b.DueToday = v.Next.Timer, &on, v.Next.Overdue, v.Next.Today
	}
	return b
}

// Person is her details as they stood when she was referred, as pages show a person: nil for
// a reader who does not see them (and for a Duty to Notify mark).
func (v NRMView) Person() *SharedPerson {
	if v.Record.Person == nil {
		return nil
	}
	return &SharedPerson{Reference: v.Reference, Shared: true, Minor: v.Record.AgeGroup == "child", Details: *v.Record.Person}
}

// brief is a record's NRMBrief at now.
func (d *Domain) brief(r NRMRecord, now time.Time) NRMBrief {
	j := d.recordJurisdiction(r)
	b := NRMBrief{RecordID: r.ID, Jurisdiction: r.Jurisdiction, State: r.State, Awaiting: r.Awaiting, NextTimer: r.NextTimer}
	if r.NextOn != nil {
		on, today := r.NextOn.Day(), j.Today(now)
		b.NextOn = &on
		if t := j.Timers[r.NextTimer]; t != nil {
			b.Overdue, b.DueToday = t.Due(on, today)
		}
	}
	return b
}

// NRMQueueItem is one record in a decision maker's queue: her reference, never her name.
type NRMQueueItem struct {
	NRMBrief
	Reference   string  `json:"reference"`
	AgeGroup    string  `json:"age_group"`
	SubmittedOn nrm.Day `json:"submitted_on"`
	From        string  `json:"from_organisation_name"`
}

// NRMQueueFilter chooses what a queue lists.
type NRMQueueFilter struct {
	Awaiting string // one decision (rg, cg…), or every one owed
	All      bool   // also records that owe nothing now (recovery under way, decided)
}

// NRMQueue lists the records of the decision maker's jurisdiction that await a decision, the
// one due first on top: overdue, then due today, then the rest by their day. Up to 500.
func (d *Domain) NRMQueue(ctx context.Context, f NRMQueueFilter) ([]NRMQueueItem, *nrm.Jurisdiction, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActNRMQueue, Target{}); err != nil {
		return nil, nil, err
	}
	out := []NRMQueueItem{}
	var j *nrm.Jurisdiction
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		var o Organisation
		if err := tx.First(&o, "id = ?", a.OrganisationID).Error; err != nil {
			return notFound(err)
		}
		if o.Kind != KindCompetentAuthority {
			return ErrForbidden
		}
		j = d.jurisdictionOf(o)
		var rows []struct {
			NRMRecord
			Reference string
			FromName  string
		}
		q := tx.Table("nrm_records r").Select("r.*, c.reference, o.name AS from_name").
			Joins("JOIN cases c ON c.id = r.case_id").Joins("JOIN organisations o ON o.id = r.organisation_id").
			Where("r.jurisdiction = ? AND r.kind = ?", j.Code, NRMReferral)
		if !f.All {
			q = q.Where("r.awaiting <> ''")
		}
		if f.Awaiting != "" {
			q = q.Where("r.awaiting = ?", f.Awaiting)
		}
		if err := q.Order("r.next_on NULLS LAST, r.submitted_at, r.id").Limit(500).Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			out = append(out, NRMQueueItem{NRMBrief: d.brief(r.NRMRecord, now), Reference: r.Reference, AgeGroup: r.AgeGroup,
				SubmittedOn: r.SubmittedOn.Day(), From: r.FromName})
		}
		// Late first, then due today, then by day: a decision maker sees what is late without scrolling.
		rank := func(i NRMQueueItem) int {
			switch {
			case i.Overdue:
				return 0
			case i.DueToday:
				return 1
			}
			return 2
		}
		slices.SortStableFunc(out, func(x, y NRMQueueItem) int { return rank(x) - rank(y) })
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "nrm.queue", RecordType: "jurisdiction", RecordID: j.Code,
			Detail: Detail{"records": strconv.Itoa(len(out))}})
	})
	return out, j, err
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

// NRMDeadlines sends what the jurisdictions' timers ask for, once each however many instances
// run it: a reminder some days before a date that matters (to the parties the timer names),
// and an alert when a decision owed by a day is overdue (to the same parties and the
// referrer). A date that passed without owing anything moves the record on to its next date.
// It returns how many records it told someone about.
func (d *Domain) NRMDeadlines(ctx context.Context) (int, error) {
	told := 0
	for range 20 {
		n, more, err := d.nrmDeadlineBatch(ctx)
		told += n
		if err != nil || !more {
			return told, err
		}
	}
	return told, nil
}

// nrmDeadlineBatch handles up to 100 records whose next date is within a month, each under a
// row lock taken with SKIP LOCKED.
func (d *Domain) nrmDeadlineBatch(ctx context.Context) (told int, more bool, err error) {
	err = d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		var recs []NRMRecord
		err := tx.Raw(`SELECT * FROM nrm_records
			WHERE next_on IS NOT NULL AND next_on <= (?::date + 31) AND kind = 'nrm'
			  AND ((reminded_on IS DISTINCT FROM next_on) OR (next_at <= ? AND overdue_alerted_on IS DISTINCT FROM next_on))
			ORDER BY next_on LIMIT 100 FOR UPDATE SKIP LOCKED`, now.Format(time.DateOnly), now).Scan(&recs).Error
		if err != nil {
			return err
		}
		more = len(recs) == 100
		handled := 0
		for _, r := range recs {
			n, changed, err := d.nrmDeadline(ctx, tx, r, now)
			if err != nil {
				return err
			}
			told += n
			if changed {
				handled++
			}
		}
		more = more && handled > 0
		return nil
	})
	return told, more, err
}

// nrmDeadline handles one record's next date; changed reports whether the record was updated.
func (d *Domain) nrmDeadline(ctx context.Context, tx *gorm.DB, r NRMRecord, now time.Time) (told int, changed bool, err error) {
	j := d.recordJurisdiction(r)
	t := j.Timers[r.NextTimer]
	if t == nil {
		return 0, false, nil
	}
	today := j.Today(now)
	on := r.NextOn.Day()
	ref, err := caseRef(tx, r.CaseID)
	if err != nil {
		return 0, false, err
	}
	set := map[string]any{}
	var action string
	var who []nrm.Who
	switch {
	case !today.After(on) && t.RemindDays > 0 && !today.Before(on.AddDays(-t.RemindDays)) && (r.RemindedOn == nil || *r.RemindedOn != *r.NextOn):
		action, who = "reminder", t.Notify
		set["reminded_on"] = *r.NextOn
	case today.After(on) && (r.OverdueAlertedOn == nil || *r.OverdueAlertedOn != *r.NextOn):
		set["overdue_alerted_on"] = *r.NextOn
		if t.Overdue {
			action, who = "overdue", append(slices.Clone(t.Notify), nrm.Referrer)
			set["overdue"] = true
			break
		}
		// Nothing was owed by this day (a period ended): move on to the next date, if any.
		events, err := recordEvents(tx, r.ID)
		if err != nil {
			return 0, false, err
		}
		status, err := replay(j, events)
		if err != nil {
			return 0, false, err
		}
		next := r
		cacheStatus(&next, j, status, today)
		if next.NextOn != nil && *next.NextOn != *r.NextOn {
			set = map[string]any{"next_timer": next.NextTimer, "next_on": *next.NextOn, "next_at": *next.NextAt, "overdue": next.Overdue}
		}
	default:
		return 0, false, nil
	}
	if err := tx.Model(&NRMRecord{}).Where("id = ?", r.ID).Updates(set).Error; err != nil {
		return 0, false, err
	}
	if action == "" {
		return 0, true, nil
	}
	users, err := d.partiesOf(tx, r, who)
	if err != nil {
		return 0, true, err
	}
	if err := notify(tx, now, users, Notification{Kind: NoteNRMDeadline, Action: action, NRMRecordID: &r.ID, Reference: ref,
		Urgent: action == "overdue"}); err != nil {
		return 0, true, err
	}
	return 1, true, appendAudit(ctx, tx, now, SystemActor("nrm-deadlines"), auditEntry{Action: "nrm." + action, RecordType: "nrm_record",
		RecordID: r.ID.String(), Detail: Detail{"timer": t.Name, "on": on.String()}})
}

// NRMLetter is a decision letter: the decision, for her, in her language (the page chooses
// the language; the domain gives the facts).
type NRMLetter struct {
	Record       NRMRecord
	Event        NRMEvent
	Reference    string
	Name         string   // as she gave it, then in Latin script
	Languages    []string // her languages, in her order
	Authority    string   // the competent authority's name
	Clock        *nrm.Clock
	Jurisdiction *nrm.Jurisdiction
	Country      string // the jurisdiction's first country, for the helpline
}

// NRMLetter reads what a decision letter says, for the competent authority or the first
// responder that hands it to her; the read is audited.
func (d *Domain) NRMLetter(ctx context.Context, recordID, eventID uuid.UUID) (NRMLetter, error) {
	a := ActorFrom(ctx)
	var l NRMLetter
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		rec, c, j, _, isFull, err := d.loadNRM(tx, a, recordID, now, false)
		if err != nil {
			return err
		}
		if !isFull {
			return ErrForbidden
		}
		events, err := recordEvents(tx, rec.ID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(events, func(e NRMEvent) bool { return e.ID == eventID && e.Decision != "" })
		if i < 0 {
			return ErrNotFound
		}
		status, err := replay(j, events[:i+1])
		if err != nil {
			return err
		}
		l = NRMLetter{Record: rec, Event: events[i], Reference: c.Reference, Languages: c.Languages(), Jurisdiction: j}
		if rec.Person != nil {
			l.Name = rec.Person.NameOriginal
			if rec.Person.NameLatin != "" && rec.Person.NameLatin != l.Name {
				l.Name = joinNonEmpty(l.Name, rec.Person.NameLatin)
			}
		}
		if len(status.Running) > 0 {
			c := status.Running[0]
			l.Clock = &c
		}
		if events[i].OrganisationID != nil {
			var o Organisation
			if err := tx.Select("name").First(&o, "id = ?", *events[i].OrganisationID).Error; err == nil {
				l.Authority = o.Name
			}
		}
		if len(j.Countries) > 0 {
			l.Country = j.Countries[0]
		}
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "nrm.letter", RecordType: "nrm_record", RecordID: rec.ID.String(),
			Detail: Detail{"event_id": eventID.String()}})
	})
	return l, err
}

func joinNonEmpty(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " (" + b + ")"
}
