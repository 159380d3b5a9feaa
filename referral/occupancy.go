package referral

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
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
	// NRM is where the NRM records of the people present stand, by case ID: the shelter
	// supports them, so it sees the state and the next date (never the reasons). People with
	// no NRM record are not in it (a pointer, so that a page's lookup finds nothing rather
	// than an empty record).
	NRM map[string]*NRMBrief `json:"nrm"`
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
	boards, err := d.occupancies(db, []Service{s})
	if err != nil {
		return Occupancy{}, err
	}
	return boards[0], nil
}

// OccupancyBoard returns the boards of every shelter of the actor's organisation.
func (d *Domain) OccupancyBoard(ctx context.Context) ([]Occupancy, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActOccupancyRead, Target{OrganisationID: a.OrganisationID}); err != nil {
		return nil, err
	}
	db := d.db.WithContext(ctx)
	rows, err := findServices(db.Where("organisation_id = ? AND category = ? AND active", a.OrganisationID, CategoryShelter).Order("name"))
	if err != nil {
		return nil, err
	}
	return d.occupancies(db, column(rows, func(r serviceRow) Service { return r.Service }))
}

// occupancies builds the boards of shelters now, with where the NRM records of the people
// present stand.
func (d *Domain) occupancies(db *gorm.DB, services []Service) ([]Occupancy, error) {
	now := d.Now()
	boards, err := occupancies(db, services, now)
	if err != nil {
		return nil, err
	}
	var cases []uuid.UUID
	for _, b := range boards {
		for _, p := range b.Placements {
			if p.CaseID != nil {
				cases = append(cases, *p.CaseID)
			}
		}
	}
	briefs, err := d.nrmBriefs(db, cases, now) // every shelter's at once
	if err != nil {
		return nil, err
	}
	for i := range boards {
		boards[i].NRM = map[string]*NRMBrief{}
		for _, p := range boards[i].Placements {
			if b, ok := briefs[deref(p.CaseID)]; ok && p.CaseID != nil {
				boards[i].NRM[p.CaseID.String()] = &b
			}
		}
	}
	return boards, nil
}

// occupancies builds the boards of shelters as they stand at now, reading the open holds and
// the people present of all of them at once.
func occupancies(db *gorm.DB, services []Service, now time.Time) ([]Occupancy, error) {
	boards := make([]Occupancy, len(services))
	if len(services) == 0 {
		return boards, nil
	}
	ids := column(services, func(s Service) uuid.UUID { return s.ID })
	var holds []HeldBed
	err := db.Table("holds h").Select("h.*, o.name AS holder_name").Joins("JOIN organisations o ON o.id = h.organisation_id").
		Where("h.service_id IN ? AND h.status IN ('active', 'confirmed') AND h.expires_at > ?", ids, now).
		Order("h.expires_at").Find(&holds).Error
	if err != nil {
		return nil, err
	}
	var placements []Placement
	if err := db.Where("service_id IN ? AND status = 'present'", ids).Order("checked_in_at").Find(&placements).Error; err != nil {
		return nil, err
	}
	byID := make(map[uuid.UUID]*Occupancy, len(services))
	for i, s := range services {
		boards[i] = Occupancy{Service: s, At: now, Units: []UnitOccupancy{}, Holds: []HeldBed{}, Placements: []Placement{}}
		byID[s.ID] = &boards[i]
	}
	for _, h := range holds {
		o := byID[h.ServiceID]
		o.Holds = append(o.Holds, h)
	}
	for _, p := range placements {
		o := byID[p.ServiceID]
		o.Placements = append(o.Placements, p)
	}
	for i := range boards {
		boards[i].count()
	}
	return boards, nil
}

// count fills the board's units from the shelter's capacity, holds and placements.
func (o *Occupancy) count() {
	for _, unit := range Units {
		total, ok := o.Service.Capacity[unit]
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
}
