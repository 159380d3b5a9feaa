package referral

import (
	"context"
	"slices"
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
// and is not asked. A referral for a bed she needs tonight, or for urgent medical care she
// needs, is urgent whatever the form said. Sending it again with the same ID returns the
// referral already sent.
func (d *Domain) SendReferral(ctx context.Context, in ReferralInput) (Referral, bool, error) {
	return createOnce(ctx, d, ActReferralSend, in.ID, func(tx *gorm.DB, now time.Time, a Actor, r *Referral) (bool, error) {
		var created bool
		var err error
		*r, created, err = sendReferral(ctx, tx, now, a, in)
		return created, err
	})
}

// ReferralResult is what came of one referral of several sent at once: the referral, or why it
// was refused.
type ReferralResult struct {
	Input    ReferralInput
	Referral Referral
	Created  bool
	Err      error
}

// SendReferrals sends several referrals for her at once, each in its own transaction: one that
// is refused (she has not agreed, the service stopped taking referrals) does not hold back the
// others, and each says what came of it. Sending them again with the same IDs sends none twice.
func (d *Domain) SendReferrals(ctx context.Context, in []ReferralInput) []ReferralResult {
	out := make([]ReferralResult, len(in))
	for i, one := range in {
		r, created, err := d.SendReferral(ctx, one)
		out[i] = ReferralResult{Input: one, Referral: r, Created: created, Err: err}
	}
	return out
}

// HoldAndRefer holds a bed at a shelter and sends the referral with that hold, in one
// transaction: she has a bed tonight and the shelter is asked to expect her, or neither
// happened. Accepting the referral confirms the hold. Repeating it with the same IDs holds and
// sends nothing twice.
func (d *Domain) HoldAndRefer(ctx context.Context, serviceID uuid.UUID, hold HoldInput, ref ReferralInput) (Hold, Referral, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActHoldCreate, Target{}); err != nil {
		return Hold{}, Referral{}, err
	}
	if err := Authorize(a, ActReferralSend, Target{}); err != nil {
		return Hold{}, Referral{}, err
	}
	var h Hold
	var r Referral
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		var err error
		if h, _, err = createHold(ctx, tx, now, a, serviceID, hold); err != nil {
			return err
		}
		if done, err := made(tx, ref.ID, a, &r); done || err != nil {
			return err // sent with this hold before: a retry
		}
		ref.ServiceID, ref.HoldID = serviceID, &h.ID
		r, _, err = sendReferral(ctx, tx, now, a, ref)
		return err
	})
	if err != nil {
		return Hold{}, Referral{}, err
	}
	return h, r, nil
}

// sendReferral sends a referral in the caller's transaction (see SendReferral), once made
// found it new.
func sendReferral(ctx context.Context, tx *gorm.DB, now time.Time, a Actor, in ReferralInput) (Referral, bool, error) {
	var r Referral
	var c Case
	if err := tx.First(&c, "id = ?", in.CaseID).Error; err != nil || c.OrganisationID != a.OrganisationID {
		return r, false, fieldError("case_id", "error.referral.case", nil)
	}
	s, err := loadService(tx, in.ServiceID)
	if err != nil || !s.Active {
		return r, false, fieldError("service_id", "error.referral.service", nil)
	}
	if !s.Accepting {
		return r, false, Errorf(CodeConflict, "error.hold.not_accepting", nil)
	}
	var p Problems
	in.Note = cleanText(&p, "note", in.Note, false, 1000)
	if err := p.Err(); err != nil {
		return r, false, err
	}
	if in.HoldID != nil {
		var h Hold
		if err := tx.First(&h, "id = ?", *in.HoldID).Error; err != nil || h.ServiceID != s.ID || h.OrganisationID != a.OrganisationID {
			return r, false, fieldError("hold_id", "error.referral.hold", nil)
		}
	} else if s.Category == CategoryShelter { // a bed her organisation holds for her there goes with it
		var held []uuid.UUID
		if err := tx.Model(&Hold{}).Where(`service_id = ? AND case_id = ? AND organisation_id = ?
			AND status IN ('active', 'confirmed') AND expires_at > ?`, s.ID, c.ID, a.OrganisationID, now).
			Order("created_at DESC").Limit(1).Pluck("id", &held).Error; err != nil {
			return r, false, err
		}
		if len(held) == 1 {
			in.HoldID = &held[0]
		}
	}
	var open int64 // one referral at a time to one service: a second would have it answered twice
	if err := tx.Model(&Referral{}).Where("case_id = ? AND service_id = ? AND status IN ?", c.ID, s.ID,
		[]ReferralStatus{ReferralSent, ReferralInfoRequested, ReferralAccepted, ReferralInProgress}).Count(&open).Error; err != nil {
		return r, false, err
	}
	if open > 0 {
		return r, false, Errorf(CodeConflict, "error.referral.already_open", nil)
	}
	local, err := localNow(tx, a, now)
	if err != nil {
		return r, false, err
	}
	if !c.Minor(local) {
		k, asked, err := latestConsent(tx, c.ID, ConsentSupport)
		if err != nil {
			return r, false, err
		}
		if !asked || !k.Given {
			return r, false, Errorf(CodeConflict, "error.referral.no_consent", nil)
		}
	}
	r = Referral{ID: orNewID(in.ID), CaseID: c.ID, ServiceID: s.ID, FromOrganisationID: a.OrganisationID,
		ToOrganisationID: s.OrganisationID, HoldID: in.HoldID, CreatedBy: userOf(a), Status: ReferralSent,
		Urgent: in.Urgent || urgentFor(c, s, in.HoldID != nil), Note: in.Note, RespondBy: now.Add(ResponseWindow(s.ResponseMinutes)),
		CreatedAt: now, UpdatedAt: now}
	if done, err := insertOnce(tx, &r, r.ID, "referrals_pkey", a); done || err != nil {
		return r, false, err
	}
	ev := ReferralEvent{ID: newID(), ReferralID: r.ID, Action: ActionSend, ToStatus: ReferralSent, Note: r.Note,
		ActorUserID: userOf(a), OrganisationID: &a.OrganisationID, At: now}
	if err := tx.Create(&ev).Error; err != nil {
		return r, false, err
	}
	if err := notifyStep(tx, now, r, ActionSend, referrerSide); err != nil {
		return r, false, err
	}
	return r, true, appendAudit(ctx, tx, now, a, auditEntry{Action: "referral.send", RecordType: "referral", RecordID: r.ID.String(),
		Detail: Detail{"case_id": c.ID.String(), "service_id": s.ID.String()}})
}

// urgentFor reports whether a referral is urgent by what she needs: a bed tonight (or a bed
// held for her), or urgent medical care. Urgent referrals come first in the receiver's inbox,
// and one left unanswered brings the next best offer.
func urgentFor(c Case, s Service, held bool) bool {
	switch s.Category {
	case CategoryShelter:
		return held || slices.Contains(c.Needs, "bed_tonight")
	case CategoryMedical:
		return slices.Contains(c.Needs, "urgent_medical")
	}
	return false
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
