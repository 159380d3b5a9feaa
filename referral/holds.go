package referral

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// HoldStatus is where a bed hold stands.
type HoldStatus string

// Hold statuses: open holds (active, confirmed) count against capacity until they expire.
const (
	HoldActive    HoldStatus = "active"    // held, waiting for the shelter
	HoldConfirmed HoldStatus = "confirmed" // the shelter expects her: the holder may see the address
	HoldReleased  HoldStatus = "released"
	HoldExpired   HoldStatus = "expired"
	HoldCheckedIn HoldStatus = "checked_in" // became a placement
)

// Hold is a bed (or family room) kept for one person for a limited time.
type Hold struct {
	ID             uuid.UUID  `json:"id" gorm:"primaryKey"`
	ServiceID      uuid.UUID  `json:"service_id"`
	Unit           Unit       `json:"unit"`
	Places         int        `json:"places"`
	OrganisationID uuid.UUID  `json:"organisation_id"` // who holds it
	CreatedBy      *uuid.UUID `json:"created_by"`
	CaseID         *uuid.UUID `json:"case_id"`
	Reference      string     `json:"reference"`
	Status         HoldStatus `json:"status"`
	ExpiresAt      time.Time  `json:"expires_at"`
	EndedAt        *time.Time `json:"ended_at"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// Open reports whether the hold still counts against capacity at t.
func (h Hold) Open(t time.Time) bool {
	return (h.Status == HoldActive || h.Status == HoldConfirmed) && h.ExpiresAt.After(t)
}

// asOf shows a hold as it stands at t: one whose time has passed is expired, even before the
// expiry job has recorded it.
func (h Hold) asOf(t time.Time) Hold {
	if (h.Status == HoldActive || h.Status == HoldConfirmed) && !h.ExpiresAt.After(t) {
		h.Status = HoldExpired
	}
	return h
}

// HoldInput is a request to hold beds for a person.
type HoldInput struct {
	ID        uuid.UUID // chosen by the client: retrying the request holds nothing twice
	Unit      Unit      // bed (default) or family_room
	Places    int       // 1 when zero
	CaseID    *uuid.UUID
	Reference string // the person's short reference (never a name)
	Minutes   int    // how long; at most, and by default, the shelter's hold time
}

func (in *HoldInput) validate(s Service) error {
	var p Problems
	if in.Unit == "" {
		in.Unit = UnitBed
	}
	if !slices.Contains(Units, in.Unit) {
		p.Add("unit", "error.service.unit", map[string]any{"Unit": string(in.Unit)})
	}
	if in.Places == 0 {
		in.Places = 1
	}
	if in.Places < 1 || in.Places > 20 {
		p.Add("places", "error.field.range", map[string]any{"Min": 1, "Max": 20})
	}
	if in.Minutes == 0 {
		in.Minutes = s.HoldMinutes
	}
	if in.Minutes < 15 || in.Minutes > s.HoldMinutes {
		p.Add("minutes", "error.field.range", map[string]any{"Min": 15, "Max": s.HoldMinutes})
	}
	in.Reference = cleanText(&p, "reference", in.Reference, false, 32)
	return p.Err()
}

// CreateHold holds beds at a shelter. It succeeds only while free capacity remains — counting
// people placed and open holds — and is decided under the capacity row's lock, so no number of
// concurrent requests, on any number of instances, can overbook a shelter.
func (d *Domain) CreateHold(ctx context.Context, serviceID uuid.UUID, in HoldInput) (Hold, bool, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActHoldCreate, Target{}); err != nil {
		return Hold{}, false, err
	}
	var h Hold
	created := false
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		var err error
		h, created, err = createHold(ctx, tx, now, a, serviceID, in)
		return err
	})
	return h, created, err
}

// createHold holds beds in the caller's transaction (see CreateHold).
func createHold(ctx context.Context, tx *gorm.DB, now time.Time, a Actor, serviceID uuid.UUID, in HoldInput) (Hold, bool, error) {
	var h Hold
	s, err := loadService(tx, serviceID)
	if err != nil {
		return h, false, err
	}
	if err := in.validate(s); err != nil {
		return h, false, err
	}
	if in.CaseID != nil { // a bed for a person the holder's organisation recorded
		var c Case
		if err := tx.First(&c, "id = ?", *in.CaseID).Error; err != nil ||
			(c.OrganisationID != a.OrganisationID && !a.IsSystem()) {
			return h, false, fieldError("case_id", "error.referral.case", nil)
		}
		if in.Reference == "" {
			in.Reference = c.Reference
		}
	}
	if in.ID != uuid.Nil {
		if err := tx.First(&h, "id = ?", in.ID).Error; err == nil {
			return h, false, sameHold(h, serviceID, in, a)
		}
	}
	if s.Category != CategoryShelter || !s.Active || !s.Accepting {
		return h, false, Errorf(CodeConflict, "error.hold.not_accepting", nil)
	}
	if err := checkFree(tx, s.ID, in.Unit, in.Places, now); err != nil {
		return h, false, err
	}
	h = Hold{ID: orNewID(in.ID), ServiceID: s.ID, Unit: in.Unit, Places: in.Places, OrganisationID: a.OrganisationID,
		CaseID: in.CaseID, Reference: in.Reference, Status: HoldActive, CreatedBy: userOf(a),
		ExpiresAt: now.Add(time.Duration(in.Minutes) * time.Minute), CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(&h).Error; err != nil {
		return h, false, err
	}
	return h, true, appendAudit(ctx, tx, now, a, auditEntry{Action: "hold.create", RecordType: "hold", RecordID: h.ID.String(),
		Detail: Detail{"service_id": s.ID.String(), "unit": string(h.Unit)}})
}

// sameHold answers a retried hold: the same record for the same service, holder, unit and places.
func sameHold(h Hold, serviceID uuid.UUID, in HoldInput, a Actor) error {
	if h.ServiceID != serviceID || h.Unit != in.Unit || h.Places != in.Places || (!a.IsSystem() && h.OrganisationID != a.OrganisationID) {
		return Errorf(CodeConflict, "error.id_conflict", nil)
	}
	return nil
}

// lockCapacity locks one unit's capacity row and returns its total and what is taken at now:
// people placed and open holds. Concurrent holds on that unit queue here. The holds are counted
// in a statement of their own, after the lock is granted, so that they include those of the
// transaction that held it before. A shelter without that unit has no capacity for it.
func lockCapacity(tx *gorm.DB, serviceID uuid.UUID, unit Unit, now time.Time) (total, used int, err error) {
	var row serviceCapacity
	err = tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("service_id = ? AND unit = ?", serviceID, unit).Limit(1).Find(&row).Error
	if err != nil {
		return 0, 0, err
	}
	var held int
	err = tx.Raw(`SELECT COALESCE(sum(places), 0) FROM holds WHERE service_id = ? AND unit = ?
		AND status IN ('active', 'confirmed') AND expires_at > ?`, serviceID, unit, now).Scan(&held).Error
	return row.Total, row.Placed + held, err
}

// checkFree locks the unit's capacity and refuses when fewer than places are free.
func checkFree(tx *gorm.DB, serviceID uuid.UUID, unit Unit, places int, now time.Time) error {
	total, used, err := lockCapacity(tx, serviceID, unit, now)
	if err != nil {
		return err
	}
	if free := total - used; free < places {
		return Errorf(CodeConflict, "error.hold.full", map[string]any{"Count": max(free, 0)})
	}
	return nil
}

// countPlaced moves a unit's count of places taken by people staying, under the row's lock.
func countPlaced(tx *gorm.DB, serviceID uuid.UUID, unit Unit, delta int) error {
	res := tx.Exec(`UPDATE service_capacity SET placed = placed + ? WHERE service_id = ? AND unit = ?`, delta, serviceID, unit)
	if res.Error == nil && res.RowsAffected != 1 {
		return Errorf(CodeConflict, "error.hold.full", map[string]any{"Count": 0})
	}
	return res.Error
}

// loadHold reads a hold (locking it when lock is set) and, in the same statement, the
// organisation running its shelter: the target for authorizing what is done to it.
func loadHold(tx *gorm.DB, id uuid.UUID, lock bool) (Hold, Target, error) {
	var row struct {
		Hold
		Owner uuid.UUID
	}
	q := tx.Table("holds").Select("holds.*, services.organisation_id AS owner").
		Joins("JOIN services ON services.id = holds.service_id").Where("holds.id = ?", id)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE", Table: clause.Table{Name: "holds"}})
	}
	if err := q.Take(&row).Error; err != nil {
		return Hold{}, Target{}, notFound(err)
	}
	return row.Hold, Target{OrganisationID: row.Owner, Partner: row.OrganisationID}, nil
}

// Hold returns a hold to its holder or its shelter.
func (d *Domain) Hold(ctx context.Context, id uuid.UUID) (Hold, error) {
	h, t, err := loadHold(d.db.WithContext(ctx), id, false)
	if err != nil {
		return h, err
	}
	return visible(ctx, ActHoldRead, t, h.asOf(d.Now()))
}

// HoldFile is a hold as its page shows it: the hold, and the latest referral sent with it, so
// the holder sees whether the shelter was asked to expect her.
type HoldFile struct {
	Hold     Hold
	Referral *Referral
}

// HoldFile reads a hold for its holder or its shelter, with the referral sent with it.
func (d *Domain) HoldFile(ctx context.Context, id uuid.UUID) (HoldFile, error) {
	h, err := d.Hold(ctx, id)
	if err != nil {
		return HoldFile{}, err
	}
	var r Referral
	if err := d.db.WithContext(ctx).Where("hold_id = ?", id).Order("created_at DESC").Limit(1).Find(&r).Error; err != nil {
		return HoldFile{}, err
	}
	f := HoldFile{Hold: h}
	if r.ID != uuid.Nil {
		f.Referral = &r
	}
	return f, nil
}

// ReleaseHold gives a held bed back, by the holder or the shelter. Releasing twice is not an
// error; a hold that has ended otherwise cannot be released.
func (d *Domain) ReleaseHold(ctx context.Context, id uuid.UUID) (Hold, error) {
	return d.endHold(ctx, id, ActHoldRelease, HoldReleased, "hold.release")
}

// ConfirmHold is the shelter saying it expects her: the holder may then see the address.
func (d *Domain) ConfirmHold(ctx context.Context, id uuid.UUID) (Hold, error) {
	return d.endHold(ctx, id, ActHoldConfirm, HoldConfirmed, "hold.confirm")
}

func (d *Domain) endHold(ctx context.Context, id uuid.UUID, act Action, to HoldStatus, action string) (Hold, error) {
	a := ActorFrom(ctx)
	var h Hold
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		var t Target
		var err error
		if h, t, err = loadHold(tx, id, true); err != nil {
			return err
		}
		if err := authorizeChange(a, ActHoldRead, act, t); err != nil {
			return err
		}
		if h.Status == to {
			return nil
		}
		if !h.Open(now) {
			return Errorf(CodeConflict, "error.hold.ended", map[string]any{"Status": string(h.Status)})
		}
		h.Status, h.UpdatedAt = to, now
		if to != HoldConfirmed {
			h.EndedAt = &now
		}
		if err := tx.Model(&h).Select("status", "updated_at", "ended_at").Updates(&h).Error; err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, a, auditEntry{Action: action, RecordType: "hold", RecordID: h.ID.String()})
	})
	return h, err
}

// ExpireHolds marks holds past their time as expired, each audited, and returns how many. Beds
// are free the moment a hold's time passes (capacity counts only unexpired holds); this makes the
// record say so. Safe to run on several instances at once: each hold is expired once.
func (d *Domain) ExpireHolds(ctx context.Context) (int, error) {
	var expired []Hold
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		err := tx.Raw(`UPDATE holds SET status = 'expired', ended_at = expires_at, updated_at = ?
			WHERE id IN (SELECT id FROM holds WHERE status IN ('active', 'confirmed') AND expires_at <= ?
				ORDER BY expires_at LIMIT 1000 FOR UPDATE SKIP LOCKED)
			RETURNING *`, now, now).Scan(&expired).Error
		if err != nil {
			return err
		}
		for _, h := range expired {
			if err := appendAudit(ctx, tx, now, SystemActor("job"), auditEntry{Action: "hold.expire", RecordType: "hold", RecordID: h.ID.String()}); err != nil {
				return err
			}
		}
		return nil
	})
	return len(expired), err
}

// ListHolds returns a shelter's holds: all open ones for its own organisation, and for anyone
// else only the holds their organisation made there (recent first).
func (d *Domain) ListHolds(ctx context.Context, serviceID uuid.UUID) ([]Hold, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActServiceRead, Target{}); err != nil {
		return nil, err
	}
	db := d.db.WithContext(ctx)
	owner, err := serviceOwner(db, serviceID)
	if err != nil {
		return nil, notFound(err)
	}
	now := d.Now()
	q := db.Where("service_id = ?", serviceID).Order("created_at DESC").Limit(200)
	if a.OrganisationID == owner && !a.IsSystem() {
		q = q.Where("status IN ('active', 'confirmed') AND expires_at > ?", now)
	} else if !a.IsSystem() {
		q = q.Where("organisation_id = ?", a.OrganisationID)
	}
	var out []Hold
	if err := q.Find(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		out[i] = out[i].asOf(now)
	}
	return out, nil
}
