package referral

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral/nrm"
	"gorm.io/gorm"
)

// TakeNRMStep takes a step on a record: a decision maker decides (with reasons), a first
// responder or support provider asks for reconsideration, someone records her exit. The
// jurisdiction's rules decide who may and when: a conclusive-grounds decision before the
// recovery period's minimum, or a reconsideration request after its window, is refused with
// the day that applies. Repeating a step with the same ID returns the event already recorded.
func (d *Domain) TakeNRMStep(ctx context.Context, id uuid.UUID, in NRMStepInput) (NRMEvent, bool, error) {
	a := ActorFrom(ctx)
	var ev NRMEvent
	created := false
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		rec, c, j, p, _, err := d.loadNRM(tx, a, id, now, true)
		if err != nil {
			return err
		}
		if in.ID != uuid.Nil {
			if err := tx.Where("id = ?", in.ID).Limit(1).Find(&ev).Error; err != nil {
				return err
			}
			if ev.ID != uuid.Nil {
				if ev.RecordID != rec.ID {
					ev = NRMEvent{}
					return Errorf(CodeConflict, "error.record.id_taken", nil)
				}
				return nil
			}
		}
		if rec.Kind == NRMDutyToNotify {
			return Errorf(CodeConflict, "error.nrm.dtn_final", nil)
		}
		t, ok := j.Transition(in.Step)
		if !ok {
			return fieldError("step", "error.nrm.step", nil)
		}
		today := j.Today(now)
		on := today
		var pr Problems
		if in.On != "" {
			if day, ok := dateField(&pr, "on", in.On); ok {
				on = nrm.Date(day.Year(), day.Month(), day.Day())
				if on.After(today) {
					pr.Add("on", "error.nrm.future", nil)
				}
			}
		}
		in.Reasons = cleanText(&pr, "reasons", in.Reasons, t.Reasons, 8000)
		events, err := recordEvents(tx, rec.ID)
		if err != nil {
			return err
		}
		status, err := replay(j, events)
		if err != nil {
			return err
		}
		// Who may take it comes before what was typed: a party who may never take this step
		// is refused whatever the form says; then what was typed; then the record's state and dates.
		status, err = j.Take(status, t.Name, p, on)
		if r, ok := err.(*nrm.Refusal); ok && r.Forbidden {
			return ErrForbidden
		}
		if perr := pr.Err(); perr != nil {
			return perr
		}
		if err != nil {
			return refusal(err)
		}
		ev = NRMEvent{ID: orNewID(in.ID), RecordID: rec.ID, Transition: t.Name, FromState: rec.State, ToState: t.To,
			Decision: t.Decision, Outcome: t.Outcome, Reasons: in.Reasons, DecidedOn: dateOf(on), ActorUserID: userOf(a),
			OrganisationID: orgOf(a), At: now}
		if err := tx.Create(&ev).Error; err != nil {
			return err
		}
		created = true
		cacheStatus(&rec, j, status, today)
		rec.UpdatedAt = now
		rec.RemindedOn, rec.OverdueAlertedOn = nil, nil
		if err := tx.Select("state", "awaiting", "next_timer", "next_on", "next_at", "overdue", "reminded_on",
			"overdue_alerted_on", "updated_at").Save(&rec).Error; err != nil {
			return err
		}
		// Everyone else on the record hears of it.
		tell := []nrm.Who{nrm.Referrer, nrm.SupportProvider, nrm.DecisionMaker}
		if err := d.notifyNRM(tx, now, rec, c.Reference, t.Name, tell, a.UserID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "nrm.step", RecordType: "nrm_record", RecordID: rec.ID.String(),
			Detail: Detail{"step": t.Name, "on": on.String()}})
	})
	return ev, created, err
}
