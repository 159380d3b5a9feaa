package referral

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// PlacementStatus says whether the person is at the shelter.
type PlacementStatus string

// Placement statuses.
const (
	PlacementPresent PlacementStatus = "present"
	PlacementLeft    PlacementStatus = "left"
)

// Placement is a person staying at a shelter: checked in, and later checked out.
type Placement struct {
	ID             uuid.UUID        `json:"id" gorm:"primaryKey"`
	ServiceID      uuid.UUID        `json:"service_id"`
	Unit           Unit             `json:"unit"`
	Places         int              `json:"places"`
	HoldID         *uuid.UUID       `json:"hold_id"`
	OrganisationID *uuid.UUID       `json:"organisation_id"` // who referred her, when known
	CaseID         *uuid.UUID       `json:"case_id"`
	Reference      string           `json:"reference"`
	Status         PlacementStatus  `json:"status"`
	CheckedInAt    time.Time        `json:"checked_in_at"`
	CheckedInBy    *uuid.UUID       `json:"checked_in_by"`
	CheckedOutAt   *time.Time       `json:"checked_out_at"`
	CheckedOutBy   *uuid.UUID       `json:"checked_out_by"`
	Outcome        PlacementOutcome `json:"outcome"`      // how she left; "" while she stays
	OutcomeNote    string           `json:"outcome_note"` // what "other" means
	CreatedAt      time.Time        `json:"created_at"`
	UpdatedAt      time.Time        `json:"updated_at"`
}

// CheckIn turns a hold into a placement when the person arrives. An open hold already counts
// against capacity; a hold that lapsed checks in only if a bed is still free; a released hold
// cannot be checked in. Checking in a hold twice returns the same placement.
func (d *Domain) CheckIn(ctx context.Context, holdID, placementID uuid.UUID) (Placement, error) {
	a := ActorFrom(ctx)
	var pl Placement
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		h, t, err := loadHold(tx, holdID, true)
		if err != nil {
			return err
		}
		if err := authorizeChange(a, ActHoldRead, ActCheckIn, t); err != nil {
			return err
		}
		if h.Status == HoldCheckedIn {
			return tx.First(&pl, "hold_id = ?", h.ID).Error
		}
		if h.Status == HoldReleased {
			return Errorf(CodeConflict, "error.hold.ended", map[string]any{"Status": string(h.Status)})
		}
		if placementID != uuid.Nil && tx.Where("id = ?", placementID).Limit(1).Find(&Placement{}).RowsAffected > 0 {
			return Errorf(CodeConflict, "error.id_conflict", nil)
		}
		// She arrived after the hold lapsed: she is still welcome if a bed is free.
		if !h.Open(now) {
			if err := checkFree(tx, h.ServiceID, h.Unit, h.Places, now); err != nil {
				return err
			}
		}
		org := h.OrganisationID
		pl = Placement{ID: placementID, ServiceID: h.ServiceID, Unit: h.Unit, Places: h.Places, HoldID: &h.ID,
			OrganisationID: &org, CaseID: h.CaseID, Reference: h.Reference}
		if err := createPlacement(ctx, tx, now, a, &pl); err != nil {
			return err
		}
		if err := tx.Model(&h).Updates(map[string]any{"status": HoldCheckedIn, "ended_at": now, "updated_at": now}).Error; err != nil {
			return err
		}
		return advanceStay(ctx, tx, now, a, pl, ReferralInProgress, StepInput{})
	})
	return pl, err
}

// PlacementInput checks in someone who arrives without a hold.
type PlacementInput struct {
	ID        uuid.UUID
	Unit      Unit
	Places    int
	CaseID    *uuid.UUID
	Reference string
}

// CheckInWalkIn places someone who arrived without a hold, if a bed is free.
func (d *Domain) CheckInWalkIn(ctx context.Context, serviceID uuid.UUID, in PlacementInput) (Placement, bool, error) {
	a := ActorFrom(ctx)
	var pl Placement
	created := false
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		s, err := loadService(tx, serviceID)
		if err != nil {
			return err
		}
		if err := Authorize(a, ActCheckIn, Target{OrganisationID: s.OrganisationID}); err != nil {
			return err
		}
		if in.ID != uuid.Nil && tx.First(&pl, "id = ?", in.ID).Error == nil {
			if pl.ServiceID != s.ID {
				return Errorf(CodeConflict, "error.id_conflict", nil)
			}
			return nil
		}
		hin := HoldInput{Unit: in.Unit, Places: in.Places, Reference: in.Reference, Minutes: s.HoldMinutes}
		if err := hin.validate(s); err != nil {
			return err
		}
		if s.Category != CategoryShelter || !s.Active {
			return Errorf(CodeConflict, "error.hold.not_accepting", nil)
		}
		if err := checkFree(tx, s.ID, hin.Unit, hin.Places, now); err != nil {
			return err
		}
		pl = Placement{ID: in.ID, ServiceID: s.ID, Unit: hin.Unit, Places: hin.Places, CaseID: in.CaseID, Reference: hin.Reference}
		created = true
		if err := createPlacement(ctx, tx, now, a, &pl); err != nil {
			return err
		}
		return advanceStay(ctx, tx, now, a, pl, ReferralInProgress, StepInput{})
	})
	return pl, created, err
}

func createPlacement(ctx context.Context, tx *gorm.DB, now time.Time, a Actor, pl *Placement) error {
	if pl.ID == uuid.Nil {
		pl.ID = newID()
	}
	pl.Status, pl.CheckedInAt, pl.CreatedAt, pl.UpdatedAt = PlacementPresent, now, now, now
	if a.UserID != uuid.Nil {
		pl.CheckedInBy = &a.UserID
	}
	if err := tx.Create(pl).Error; err != nil {
		return err
	}
	if err := countPlaced(tx, pl.ServiceID, pl.Unit, pl.Places); err != nil {
		return err
	}
	return appendAudit(ctx, tx, now, a, auditEntry{Action: "placement.check_in", RecordType: "placement", RecordID: pl.ID.String(),
		Detail: Detail{"service_id": pl.ServiceID.String()}})
}

// CheckOut records that the person left and how (the outcome), freeing the bed. The referral
// that brought her is completed with that outcome, so the referrer sees on its timeline where
// she went. Checking out twice is not an error.
func (d *Domain) CheckOut(ctx context.Context, id uuid.UUID, in CheckOutInput) (Placement, error) {
	a := ActorFrom(ctx)
	var pl Placement
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		var t Target
		var err error
		if pl, t, err = loadPlacement(tx, id, true); err != nil {
			return err
		}
		if err := authorizeChange(a, ActHoldRead, ActCheckOut, t); err != nil {
			return err
		}
		if pl.Status == PlacementLeft {
			return nil
		}
		if err := in.validate(); err != nil {
			return err
		}
		pl.Status, pl.CheckedOutAt, pl.UpdatedAt, pl.Outcome, pl.OutcomeNote = PlacementLeft, &now, now, in.Outcome, in.Note
		if a.UserID != uuid.Nil {
			pl.CheckedOutBy = &a.UserID
		}
		if err := tx.Model(&pl).Select("status", "checked_out_at", "checked_out_by", "outcome", "outcome_note", "updated_at").
			Updates(&pl).Error; err != nil {
			return err
		}
		if err := countPlaced(tx, pl.ServiceID, pl.Unit, -pl.Places); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, now, a, auditEntry{Action: "placement.check_out", RecordType: "placement", RecordID: pl.ID.String(),
			Detail: Detail{"outcome": string(pl.Outcome)}}); err != nil {
			return err
		}
		return advanceStay(ctx, tx, now, a, pl, ReferralCompleted, StepInput{ReasonCode: string(in.Outcome), Note: in.Note})
	})
	return pl, err
}

// Placement returns a placement to its shelter, or to the organisation that referred her.
func (d *Domain) Placement(ctx context.Context, id uuid.UUID) (Placement, error) {
	pl, t, err := loadPlacement(d.db.WithContext(ctx), id, false)
	if err != nil {
		return pl, err
	}
	return visible(ctx, ActHoldRead, t, pl)
}

// loadPlacement reads a placement (locking it when lock is set, so that she is checked out
// once) and, in the same statement, the organisation running its shelter.
func loadPlacement(tx *gorm.DB, id uuid.UUID, lock bool) (Placement, Target, error) {
	var row struct {
		Placement
		Owner uuid.UUID
	}
	q := tx.Table("placements").Select("placements.*, services.organisation_id AS owner").
		Joins("JOIN services ON services.id = placements.service_id").Where("placements.id = ?", id)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE", Table: clause.Table{Name: "placements"}})
	}
	if err := q.Take(&row).Error; err != nil {
		return Placement{}, Target{}, notFound(err)
	}
	t := Target{OrganisationID: row.Owner}
	if row.OrganisationID != nil {
		t.Partner = *row.OrganisationID
	}
	return row.Placement, t, nil
}
