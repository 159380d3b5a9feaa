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
