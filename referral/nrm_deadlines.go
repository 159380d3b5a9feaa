package referral

import (
	"context"
	"slices"
	"time"

	"github.com/harbour-nrm/harbour/referral/nrm"
	"gorm.io/gorm"
)

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
