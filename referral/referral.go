package referral

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// ReferralStatus is where a referral stands.
type ReferralStatus string

// Referral statuses. Intake sends; the receiving organisation's answers follow.
const (
	ReferralSent          ReferralStatus = "sent"
	ReferralAccepted      ReferralStatus = "accepted"
	ReferralDeclined      ReferralStatus = "declined"
	ReferralInfoRequested ReferralStatus = "info_requested"
	ReferralInProgress    ReferralStatus = "in_progress"
	ReferralCompleted     ReferralStatus = "completed"
	ReferralWithdrawn     ReferralStatus = "withdrawn"
	ReferralExpired       ReferralStatus = "expired"
)

// ReferralStatuses lists every status, in the order of a referral's life.
var ReferralStatuses = []ReferralStatus{ReferralSent, ReferralInfoRequested, ReferralAccepted, ReferralInProgress,
	ReferralCompleted, ReferralDeclined, ReferralWithdrawn, ReferralExpired}

// Referral is a person referred by one organisation to one service of another.
type Referral struct {
	ID                 uuid.UUID      `json:"id" gorm:"primaryKey"`
	CaseID             uuid.UUID      `json:"case_id"`
	ServiceID          uuid.UUID      `json:"service_id"`
	FromOrganisationID uuid.UUID      `json:"from_organisation_id"`
	ToOrganisationID   uuid.UUID      `json:"to_organisation_id"`
	HoldID             *uuid.UUID     `json:"hold_id"`
	CreatedBy          *uuid.UUID     `json:"created_by"`
	Status             ReferralStatus `json:"status"`
	Urgent             bool           `json:"urgent"`
	Note               string         `json:"note"`
	RespondBy          time.Time      `json:"respond_by"` // an unanswered referral expires then (ResponseWindow)
	CreatedAt          time.Time      `json:"created_at"`
	UpdatedAt          time.Time      `json:"updated_at"`
}

// ReferralInput sends a referral. ID is chosen by the device, so a queued referral sent again
// after a lost answer is sent once.
type ReferralInput struct {
	ID        uuid.UUID
	CaseID    uuid.UUID
	ServiceID uuid.UUID
	HoldID    *uuid.UUID // the bed held for her there, if any
	Urgent    bool
	Note      string // for the receiver: never her name
}

// DefaultResponseMinutes is how long a service that names no response window has to answer.
const DefaultResponseMinutes = 24 * 60

// ResponseWindow is how long a service has to answer a referral before it expires and the
// referrer is told (and, when urgent, given the next best match).
func ResponseWindow(minutes *int) time.Duration {
	if minutes == nil || *minutes <= 0 {
		return DefaultResponseMinutes * time.Minute
	}
	return time.Duration(*minutes) * time.Minute
}

// SendReferral refers a person recorded by the actor's organisation to a service. An adult must
// have agreed to be referred for support (her latest answer); a child is referred to protect her
// and is not asked. Sending it again with the same ID returns the referral already sent.
func (d *Domain) SendReferral(ctx context.Context, in ReferralInput) (Referral, bool, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActReferralSend, Target{}); err != nil {
		return Referral{}, false, err
	}
	var r Referral
	created := false
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		if done, err := made(tx, in.ID, a, &r); done || err != nil {
			return err
		}
		var c Case
		if err := tx.First(&c, "id = ?", in.CaseID).Error; err != nil || c.OrganisationID != a.OrganisationID {
			return fieldError("case_id", "error.referral.case", nil)
		}
		s, err := loadService(tx, in.ServiceID)
		if err != nil || !s.Active {
			return fieldError("service_id", "error.referral.service", nil)
		}
		if !s.Accepting {
			return Errorf(CodeConflict, "error.hold.not_accepting", nil)
		}
		var p Problems
		in.Note = cleanText(&p, "note", in.Note, false, 1000)
		if err := p.Err(); err != nil {
			return err
		}
		if in.HoldID != nil {
			var h Hold
			if err := tx.First(&h, "id = ?", *in.HoldID).Error; err != nil || h.ServiceID != s.ID || h.OrganisationID != a.OrganisationID {
				return fieldError("hold_id", "error.referral.hold", nil)
			}
		}
		local, err := localNow(tx, a, now)
		if err != nil {
			return err
		}
		if !c.Minor(local) {
			k, asked, err := latestConsent(tx, c.ID, ConsentSupport)
			if err != nil {
				return err
			}
			if !asked || !k.Given {
				return Errorf(CodeConflict, "error.referral.no_consent", nil)
			}
		}
		r = Referral{ID: orNewID(in.ID), CaseID: c.ID, ServiceID: s.ID, FromOrganisationID: a.OrganisationID,
			ToOrganisationID: s.OrganisationID, HoldID: in.HoldID, CreatedBy: userOf(a), Status: ReferralSent,
			Urgent: in.Urgent, Note: in.Note, RespondBy: now.Add(ResponseWindow(s.ResponseMinutes)), CreatedAt: now, UpdatedAt: now}
		if done, err := insertOnce(tx, &r, r.ID, "referrals_pkey", a); done || err != nil {
			return err
		}
		ev := ReferralEvent{ID: newID(), ReferralID: r.ID, Action: ActionSend, ToStatus: ReferralSent, Note: r.Note,
			ActorUserID: userOf(a), OrganisationID: &a.OrganisationID, At: now}
		if err := tx.Create(&ev).Error; err != nil {
			return err
		}
		created = true
		if err := notifyStep(tx, now, r, ActionSend, referrerSide); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "referral.send", RecordType: "referral", RecordID: r.ID.String(),
			Detail: Detail{"case_id": c.ID.String(), "service_id": s.ID.String()}})
	})
	return r, created, err
}

// CaseReferrals lists the referrals of a person, the first sent first, for the organisation
// that recorded her; reading them is audited as a read of her case.
func (d *Domain) CaseReferrals(ctx context.Context, caseID uuid.UUID) ([]Referral, error) {
	out := []Referral{}
	_, err := d.readCase(ctx, caseID, "referrals", func(tx *gorm.DB, c Case) error { return findReferrals(tx, c).Find(&out).Error })
	return out, err
}

// findReferrals is the query for the referrals her organisation sent for her, the first first.
func findReferrals(tx *gorm.DB, c Case) *gorm.DB {
	return tx.Where("case_id = ? AND from_organisation_id = ?", c.ID, c.OrganisationID).Order("created_at, id")
}
