package referral

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// ActionExpire is the step the system takes when a service lets a referral's response window
// pass unanswered.
const ActionExpire ReferralAction = "expire"

// HoldLapseWarning is how long before a bed hold lapses its shelter is told.
const HoldLapseWarning = 30 * time.Minute

// sweepBatch bounds the records one sweep takes: the rest wait for the next.
const sweepBatch = 200

// ExpireReferrals ends referrals nobody answered within their response window: each becomes
// expired, with a timeline event and an audit record, and its referrer is alerted, an urgent
// one with the next best match for the same help. Each referral is taken under a row lock with
// SKIP LOCKED and its alert is unique per person, so however many instances sweep at once,
// each referrer is alerted once. It returns how many expired.
func (d *Domain) ExpireReferrals(ctx context.Context) (int, error) {
	sys := SystemActor("job")
	ctx = WithActor(ctx, sys)
	var due []Referral
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		err := tx.Raw(`UPDATE referrals SET status = 'expired', updated_at = ?
			WHERE id IN (SELECT id FROM referrals WHERE status = 'sent' AND respond_by <= ?
				ORDER BY respond_by LIMIT ? FOR UPDATE SKIP LOCKED)
			RETURNING *`, now, now, sweepBatch).Scan(&due).Error
		if err != nil {
			return err
		}
		for _, r := range due {
			ev := ReferralEvent{ID: newID(), ReferralID: r.ID, Action: ActionExpire, FromStatus: ReferralSent,
				ToStatus: ReferralExpired, At: now}
			if err := tx.Create(&ev).Error; err != nil {
				return err
			}
			var c Case
			if err := tx.First(&c, "id = ?", r.CaseID).Error; err != nil {
				return err
			}
			n := Notification{Kind: NoteReferralOverdue, Action: string(ActionExpire), ReferralID: &r.ID, Reference: c.Reference, Urgent: r.Urgent}
			if r.Urgent {
				if n.SuggestedServiceID, err = d.nextBestMatch(ctx, tx, r, c); err != nil {
					return err
				}
			}
			users, err := referrersOf(tx, r)
			if err != nil {
				return err
			}
			if err := notify(tx, now, users, n); err != nil {
				return err
			}
			detail := Detail{"to": string(ReferralExpired)}
			if n.SuggestedServiceID != nil {
				detail["suggested_service_id"] = n.SuggestedServiceID.String()
			}
			if err := appendAudit(ctx, tx, now, sys, auditEntry{Action: "referral.expire", RecordType: "referral",
				RecordID: r.ID.String(), Detail: detail}); err != nil {
				return err
			}
		}
		return nil
	})
	return len(due), err
}

// nextBestMatch ranks help of the same kind for her as the referral's service gives, as the
// officer's search would (her languages, who she is, where she was found), and returns the best
// service she has not been referred to yet, or nil when there is none.
func (d *Domain) nextBestMatch(ctx context.Context, tx *gorm.DB, r Referral, c Case) (*uuid.UUID, error) {
	var svc struct {
		Category Category
		Country  string
	}
	if err := tx.Raw(`SELECT s.category, o.country FROM services s JOIN organisations o ON o.id = ?
		WHERE s.id = ?`, r.FromOrganisationID, r.ServiceID).Scan(&svc).Error; err != nil {
		return nil, err
	}
	var tried []uuid.UUID
	if err := tx.Raw(`SELECT service_id FROM referrals WHERE case_id = ?`, r.CaseID).Scan(&tried).Error; err != nil {
		return nil, err
	}
	n := Need{Categories: []Category{svc.Category}, Gender: c.Gender, Age: c.Age, AppearsMinor: c.AppearsMinor,
		Children: c.Children, ExploitationTypes: c.ExploitationTypes, City: c.FoundCity, Country: svc.Country,
		Tonight: svc.Category == CategoryShelter && slices.Contains(c.Needs, "bed_tonight"), Limit: min(len(tried)+1, 20)}
	if c.Language != "" {
		n.Languages = append([]string{c.Language}, c.OtherLanguages...)
	}
	res, err := d.Match(ctx, n)
	if err != nil {
		return nil, err
	}
	for _, m := range res.Results[svc.Category] {
		if !slices.Contains(tried, m.Service.ID) {
			id := m.Service.ID
			return &id, nil
		}
	}
	return nil, nil
}

// AlertLapsingHolds tells each shelter's staff of the bed holds there that lapse within
// HoldLapseWarning, once per hold however many instances sweep. It returns how many holds.
func (d *Domain) AlertLapsingHolds(ctx context.Context) (int, error) {
	var lapsing []struct {
		ID             uuid.UUID
		Reference      string
		OrganisationID uuid.UUID
	}
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		err := tx.Raw(`UPDATE holds h SET lapse_alerted_at = ? FROM services s
			WHERE s.id = h.service_id AND h.id IN (SELECT id FROM holds WHERE status IN ('active', 'confirmed')
				AND lapse_alerted_at IS NULL AND expires_at > ? AND expires_at <= ?
				ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED)
			RETURNING h.id, h.reference, s.organisation_id`, now, now, now.Add(HoldLapseWarning), sweepBatch).Scan(&lapsing).Error
		if err != nil {
			return err
		}
		for _, h := range lapsing {
			users, err := staffOf(tx, h.OrganisationID)
			if err != nil {
				return err
			}
			if err := notify(tx, now, users, Notification{Kind: NoteHoldLapsing, HoldID: &h.ID, Reference: h.Reference}); err != nil {
				return err
			}
		}
		return nil
	})
	return len(lapsing), err
}
