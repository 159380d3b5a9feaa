package referral

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ReferralAction is a step a referral can take.
type ReferralAction string

// The steps. The receiver (the organisation running the service) answers; the referrer may add
// what was asked, or withdraw until the referral is completed.
const (
	ActionSend        ReferralAction = "send"
	ActionAccept      ReferralAction = "accept"
	ActionDecline     ReferralAction = "decline"
	ActionRequestInfo ReferralAction = "request_info"
	ActionAnswerInfo  ReferralAction = "answer_info"
	ActionStart       ReferralAction = "start"
	ActionComplete    ReferralAction = "complete"
	ActionWithdraw    ReferralAction = "withdraw"
)

// side is who may take a step: the receiving organisation's staff, or the referrer's.
type side int

const (
	receiverSide side = iota
	referrerSide
)

// step is one row of the lifecycle table: from which states, to which, by whom, and what it
// must say.
type step struct {
	from     []ReferralStatus
	to       ReferralStatus
	by       side
	reason   bool // a reason code is required (declining)
	noteNeed bool // a note is required (a question, an answer, an outcome)
}

// lifecycle is the one table of a referral's steps; Transition interprets it.
var lifecycle = map[ReferralAction]step{
	ActionAccept:      {from: []ReferralStatus{ReferralSent, ReferralInfoRequested}, to: ReferralAccepted, by: receiverSide},
	ActionDecline:     {from: []ReferralStatus{ReferralSent, ReferralInfoRequested}, to: ReferralDeclined, by: receiverSide, reason: true},
	ActionRequestInfo: {from: []ReferralStatus{ReferralSent}, to: ReferralInfoRequested, by: receiverSide, noteNeed: true},
	ActionAnswerInfo:  {from: []ReferralStatus{ReferralInfoRequested}, to: ReferralSent, by: referrerSide, noteNeed: true},
	ActionStart:       {from: []ReferralStatus{ReferralAccepted}, to: ReferralInProgress, by: receiverSide},
	ActionComplete:    {from: []ReferralStatus{ReferralInProgress}, to: ReferralCompleted, by: receiverSide, noteNeed: true},
	ActionWithdraw: {from: []ReferralStatus{ReferralSent, ReferralInfoRequested, ReferralAccepted, ReferralInProgress},
		to: ReferralWithdrawn, by: referrerSide},
}

// ReferralActions lists the steps people take, in the order of the lifecycle.
var ReferralActions = []ReferralAction{ActionAccept, ActionDecline, ActionRequestInfo, ActionAnswerInfo, ActionStart,
	ActionComplete, ActionWithdraw}

// DeclineReasons are the reason codes for declining a referral.
var DeclineReasons = []string{"no_capacity", "not_eligible", "no_language", "safety", "other"}

// ReferralEvent is one step of a referral's timeline.
type ReferralEvent struct {
	ID             uuid.UUID      `json:"id" gorm:"primaryKey"`
	ReferralID     uuid.UUID      `json:"referral_id"`
	Action         ReferralAction `json:"action"`
	FromStatus     ReferralStatus `json:"from_status"`
	ToStatus       ReferralStatus `json:"to_status"`
	ReasonCode     string         `json:"reason_code"`
	Note           string         `json:"note"`
	OrganisationID *uuid.UUID     `json:"organisation_id"`
	ActorUserID    *uuid.UUID     `json:"actor_user_id"`
	At             time.Time      `json:"at"`
}

// StepInput is what a step says. ID may be chosen by the device: taking the step again with the
// same ID answers with the referral as it is, taking nothing twice.
type StepInput struct {
	ID         uuid.UUID
	ReasonCode string
	Note       string // never her name
}

// referralTarget is a referral as authorization sees it: the receiver owns it, the referrer is
// its partner.
func referralTarget(r Referral) Target {
	return Target{OrganisationID: r.ToOrganisationID, Partner: r.FromOrganisationID}
}

// mayTake reports whether the actor is on the side that takes this step, with a role for it.
func mayTake(a Actor, r Referral, by side) bool {
	if by == receiverSide {
		return Authorize(a, ActReferralAnswer, Target{OrganisationID: r.ToOrganisationID}) == nil
	}
	return Authorize(a, ActReferralFollowUp, Target{Partner: r.FromOrganisationID}) == nil
}

// Transition takes one step of a referral's lifecycle, by the side the lifecycle names, in one
// transaction with its event and audit record. A step the referral is not in a state to take is
// a conflict; a step by the wrong side or role is forbidden; a referral of neither side's
// organisation is not found. A retried step (same ID, or the same step already taken) answers
// with the referral as it is.
func (d *Domain) Transition(ctx context.Context, id uuid.UUID, action ReferralAction, in StepInput) (Referral, error) {
	a := ActorFrom(ctx)
	st, ok := lifecycle[action]
	if !ok {
		return Referral{}, ErrNotFound
	}
	var r Referral
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).First(&r, "id = ?", id).Error; err != nil {
			return notFound(err)
		}
		if err := authorizeVisible(a, ActReferralRead, referralTarget(r)); err != nil {
			r = Referral{}
			return err
		}
		if !mayTake(a, r, st.by) {
			return ErrForbidden
		}
		if in.ID != uuid.Nil {
			var prior ReferralEvent
			if err := tx.Where("id = ?", in.ID).Limit(1).Find(&prior).Error; err != nil {
				return err
			}
			if prior.ID != uuid.Nil {
				if prior.ReferralID != r.ID || prior.Action != action {
					return Errorf(CodeConflict, "error.record.id_taken", nil)
				}
				return nil // taken already: the referral as it is now
			}
		}
		if r.Status == st.to && !slices.Contains(st.from, r.Status) {
			var last ReferralEvent
			if err := tx.Where("referral_id = ?", r.ID).Order("at DESC, id DESC").Limit(1).Find(&last).Error; err != nil {
				return err
			}
			if last.Action == action {
				return nil // the same step again, e.g. a second tap: nothing more to do
			}
		}
		if !slices.Contains(st.from, r.Status) {
			return Errorf(CodeConflict, "error.referral.transition", map[string]any{"Status": string(r.Status), "Action": string(action)})
		}
		var p Problems
		in.Note = cleanText(&p, "note", in.Note, st.noteNeed, 2000)
		if in.ReasonCode = cleanCode(in.ReasonCode); st.reason && !slices.Contains(DeclineReasons, in.ReasonCode) {
			p.Add("reason_code", "error.referral.reason", nil)
		} else if !st.reason && in.ReasonCode != "" {
			p.Add("reason_code", "error.referral.reason", nil)
		}
		if err := p.Err(); err != nil {
			return err
		}
		return recordStep(ctx, tx, now, a, &r, action, in)
	})
	if err != nil {
		return Referral{}, err
	}
	return r, nil
}

// recordStep records one step of a referral in the caller's transaction: its event, the
// referral's new status, the other side's alert and the audit record. The step has been
// checked already (Transition), or follows from what a shelter did (a check-in, a check-out).
func recordStep(ctx context.Context, tx *gorm.DB, now time.Time, a Actor, r *Referral, action ReferralAction, in StepInput) error {
	st := lifecycle[action]
	ev := ReferralEvent{ID: orNewID(in.ID), ReferralID: r.ID, Action: action, FromStatus: r.Status, ToStatus: st.to,
		ReasonCode: in.ReasonCode, Note: in.Note, ActorUserID: userOf(a), At: now}
	if a.OrganisationID != uuid.Nil {
		ev.OrganisationID = &a.OrganisationID
	}
	if err := tx.Create(&ev).Error; err != nil {
		return err
	}
	r.Status, r.UpdatedAt = st.to, now
	change := map[string]any{"status": r.Status, "updated_at": now}
	if action == ActionAnswerInfo { // the service's clock starts again from the answer
		var minutes *int
		if err := tx.Raw(`SELECT response_minutes FROM services WHERE id = ?`, r.ServiceID).Scan(&minutes).Error; err != nil {
			return err
		}
		r.RespondBy = now.Add(ResponseWindow(minutes))
		change["respond_by"] = r.RespondBy
	}
	if err := tx.Model(r).Updates(change).Error; err != nil {
		return err
	}
	if err := notifyStep(tx, now, *r, action, st.by); err != nil {
		return err
	}
	// Accepting a referral that came with a bed held there: the shelter now expects her.
	if action == ActionAccept && r.HoldID != nil {
		res := tx.Exec(`UPDATE holds SET status = 'confirmed', updated_at = ? WHERE id = ? AND service_id = ?
			AND status = 'active' AND expires_at > ?`, now, *r.HoldID, r.ServiceID, now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 1 {
			if err := appendAudit(ctx, tx, now, a, auditEntry{Action: "hold.confirm", RecordType: "hold", RecordID: r.HoldID.String(),
				Detail: Detail{"referral_id": r.ID.String()}}); err != nil {
				return err
			}
		}
	}
	return appendAudit(ctx, tx, now, a, auditEntry{Action: "referral." + string(action), RecordType: "referral",
		RecordID: r.ID.String(), Detail: Detail{"to": string(st.to)}})
}

// Referral returns one referral to either side.
func (d *Domain) Referral(ctx context.Context, id uuid.UUID) (Referral, error) {
	var r Referral
	if err := d.db.WithContext(ctx).First(&r, "id = ?", id).Error; err != nil {
		return r, notFound(err)
	}
	return visible(ctx, ActReferralRead, referralTarget(r), r)
}

// ReferralEvents is a referral's timeline, first step first, for either side.
func (d *Domain) ReferralEvents(ctx context.Context, id uuid.UUID) ([]ReferralEvent, error) {
	if _, err := d.Referral(ctx, id); err != nil {
		return nil, err
	}
	out := []ReferralEvent{}
	err := d.db.WithContext(ctx).Where("referral_id = ?", id).Order("at, id").Find(&out).Error
	return out, err
}

// SharedPerson is what the receiver of a referral may read of the person: her details when she
// agreed to share them with the receiving organisation (her latest "share" answer naming it, or
// naming no organisation: those that help her), and nothing but her reference otherwise. Where
// she was found and the indicators stay with the organisation that recorded her.
type SharedPerson struct {
	Reference string `json:"reference"`
	Shared    bool   `json:"shared"` // whether she agreed: false means none of her details are filled in
	Minor     bool   `json:"minor"`
	Details
}

// ReferralPerson is the person a referral is about, as the reader may see her: the receiver
// sees what she agreed to share with it (see SharedPerson); the referrer, who recorded her, sees
// the same fields. Every read is audited as a read of her case, in the same transaction.
func (d *Domain) ReferralPerson(ctx context.Context, referralID uuid.UUID) (SharedPerson, error) {
	var out SharedPerson
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		var r Referral
		if err := tx.First(&r, "id = ?", referralID).Error; err != nil {
			return notFound(err)
		}
		if err := authorizeVisible(ActorFrom(ctx), ActReferralRead, referralTarget(r)); err != nil {
			return err
		}
		var err error
		out, err = sharedPerson(ctx, tx, now, r)
		return err
	})
	if err != nil {
		return SharedPerson{}, err
	}
	return out, nil
}

// sharedPerson reads the person a referral the actor may see is about, as SharedPerson says,
// and audits it as a read of her case.
func sharedPerson(ctx context.Context, tx *gorm.DB, now time.Time, r Referral) (SharedPerson, error) {
	a := ActorFrom(ctx)
	var c Case
	if err := tx.First(&c, "id = ?", r.CaseID).Error; err != nil {
		return SharedPerson{}, err
	}
	out := SharedPerson{Reference: c.Reference, Details: noDetails()}
	shared := a.OrganisationID == r.FromOrganisationID || a.IsSystem()
	if !shared {
		var err error
		if _, shared, err = sharedWith(tx, c, r.ToOrganisationID); err != nil {
			return SharedPerson{}, err
		}
	}
	said := "no"
	if shared {
		local, err := localNow(tx, a, now)
		if err != nil {
			return SharedPerson{}, err
		}
		out, said = SharedPerson{Reference: c.Reference, Shared: true, Minor: c.Minor(local), Details: c.Details}, "yes"
	}
	return out, appendAudit(ctx, tx, now, a, auditEntry{Action: "case.read", RecordType: "case", RecordID: c.ID.String(),
		Detail: Detail{"via_referral": r.ID.String(), "shared": said}})
}

// sharedWith returns her details if she agreed to share them with an organisation that helps
// her: her latest "share" answer names it, or names no organisation (all who help her).
func sharedWith(tx *gorm.DB, c Case, organisationID uuid.UUID) (Details, bool, error) {
	k, asked, err := latestConsent(tx, c.ID, ConsentShare)
	if err != nil || !asked || !k.Given || (len(k.Organisations) > 0 && !slices.Contains(k.Organisations, organisationID)) {
		return noDetails(), false, err
	}
	return c.Details, true, nil
}

// noDetails is a person of whom nothing may be shown, with empty lists rather than nulls.
func noDetails() Details {
	return Details{OtherLanguages: []string{}, Needs: []string{}, ExploitationTypes: []string{}}
}
