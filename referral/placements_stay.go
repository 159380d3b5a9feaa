package referral

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// PlacementOutcome is how a stay at a shelter ended, chosen by its staff at check-out.
type PlacementOutcome string

// Placement outcomes.
const (
	OutcomeMovedShelter      PlacementOutcome = "moved_shelter"
	OutcomeOwnAccommodation  PlacementOutcome = "own_accommodation"
	OutcomeReturnedHome      PlacementOutcome = "returned_home"
	OutcomeLeftWithoutNotice PlacementOutcome = "left_without_notice"
	OutcomeOther             PlacementOutcome = "other"
)

// PlacementOutcomes lists the outcomes in the order the check-out form offers them.
var PlacementOutcomes = []PlacementOutcome{OutcomeMovedShelter, OutcomeOwnAccommodation, OutcomeReturnedHome,
	OutcomeLeftWithoutNotice, OutcomeOther}

// CheckOutInput is how she left: the outcome, and a note saying what "other" was. The note is
// for staff of both sides: never her new address.
type CheckOutInput struct {
	Outcome PlacementOutcome
	Note    string
}

func (in *CheckOutInput) validate() error {
	var p Problems
	if !slices.Contains(PlacementOutcomes, in.Outcome) {
		p.Add("outcome", "error.placement.outcome", nil)
	}
	in.Note = cleanText(&p, "note", in.Note, in.Outcome == OutcomeOther, 500)
	return p.Err()
}

// advanceStay moves the referral that brought her to a shelter on as her stay goes: her arrival
// starts the service (accepting it first if nobody had answered yet), her leaving completes it
// with the outcome. A placement nobody referred her to (a walk-in) has none.
func advanceStay(ctx context.Context, tx *gorm.DB, now time.Time, a Actor, pl Placement, to ReferralStatus, done StepInput) error {
	r, ok, err := stayReferral(tx, pl)
	if err != nil || !ok || r.Status == to {
		return err
	}
	steps := map[ReferralStatus][]ReferralAction{
		ReferralSent:          {ActionAccept, ActionStart, ActionComplete},
		ReferralInfoRequested: {ActionAccept, ActionStart, ActionComplete},
		ReferralAccepted:      {ActionStart, ActionComplete},
		ReferralInProgress:    {ActionComplete},
	}[r.Status]
	for _, act := range steps {
		in := StepInput{}
		if act == ActionComplete {
			in = done
		}
		if err := recordStep(ctx, tx, now, a, &r, act, in); err != nil {
			return err
		}
		if r.Status == to {
			break
		}
	}
	return nil
}

// stayReferral finds, and locks, the open referral that brought her to the placement's
// shelter: the one sent with its hold, else the latest one for her to that service.
func stayReferral(tx *gorm.DB, pl Placement) (Referral, bool, error) {
	var r Referral
	if pl.CaseID == nil {
		return r, false, nil
	}
	q := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("case_id = ? AND service_id = ? AND status IN ?", *pl.CaseID,
		pl.ServiceID, []ReferralStatus{ReferralSent, ReferralInfoRequested, ReferralAccepted, ReferralInProgress})
	if pl.HoldID != nil {
		q = q.Order(clause.Expr{SQL: "hold_id = ? DESC NULLS LAST", Vars: []any{*pl.HoldID}})
	}
	err := q.Order("created_at DESC").Limit(1).Find(&r).Error
	return r, err == nil && r.ID != uuid.Nil, err
}
