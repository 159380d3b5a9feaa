package referral

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// UnitOccupancy is one unit of a shelter right now.
type UnitOccupancy struct {
	Unit   Unit `json:"unit"`
	Total  int  `json:"total"`
	Placed int  `json:"placed"`
	Held   int  `json:"held"`
	Free   int  `json:"free"`
}

// HeldBed is an open hold as the shelter sees it.
type HeldBed struct {
	Hold
	HolderName string `json:"holder_name"`
}

// Occupancy is a shelter's board: capacity, who is expected, who is there.
type Occupancy struct {
	Service    Service         `json:"service"`
	Units      []UnitOccupancy `json:"units"`
	Holds      []HeldBed       `json:"holds"`
	Placements []Placement     `json:"placements"`
	At         time.Time       `json:"at"`
}

// Occupancy returns one shelter's board, for its staff.
func (d *Domain) Occupancy(ctx context.Context, serviceID uuid.UUID) (Occupancy, error) {
	db := d.db.WithContext(ctx)
	s, err := loadService(db, serviceID)
	if err != nil {
		return Occupancy{}, err
	}
	if err := Authorize(ActorFrom(ctx), ActOccupancyRead, Target{OrganisationID: s.OrganisationID}); err != nil {
		return Occupancy{}, err
	}
	now := d.Now()
	o := Occupancy{Service: s, At: now, Units: []UnitOccupancy{}}
	err = db.Table("holds h").Select("h.*, o.name AS holder_name").Joins("JOIN organisations o ON o.id = h.organisation_id").
		Where("h.service_id = ? AND h.status IN ('active', 'confirmed') AND h.expires_at > ?", s.ID, now).
		Order("h.expires_at").Find(&o.Holds).Error
	if err != nil {
		return o, err
	}
	if err := db.Where("service_id = ? AND status = 'present'", s.ID).Order("checked_in_at").Find(&o.Placements).Error; err != nil {
		return o, err
	}
	for _, unit := range Units {
		total, ok := s.Capacity[unit]
		if !ok {
			continue
		}
		u := UnitOccupancy{Unit: unit, Total: total}
		for _, h := range o.Holds {
			if h.Unit == unit {
				u.Held += h.Places
			}
		}
		for _, p := range o.Placements {
			if p.Unit == unit {
				u.Placed += p.Places
			}
		}
		u.Free = max(total-u.Held-u.Placed, 0)
		o.Units = append(o.Units, u)
	}
	return o, nil
}

// OccupancyBoard returns the boards of every shelter of the actor's organisation.
func (d *Domain) OccupancyBoard(ctx context.Context) ([]Occupancy, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActOccupancyRead, Target{OrganisationID: a.OrganisationID}); err != nil {
		return nil, err
	}
	var ids []uuid.UUID
	err := d.db.WithContext(ctx).Model(&Service{}).Where("organisation_id = ? AND category = ? AND active", a.OrganisationID, CategoryShelter).
		Order("name").Pluck("id", &ids).Error
	if err != nil {
		return nil, err
	}
	boards := make([]Occupancy, 0, len(ids))
	for _, id := range ids {
		o, err := d.Occupancy(ctx, id)
		if err != nil {
			return nil, err
		}
		boards = append(boards, o)
	}
	return boards, nil
}
