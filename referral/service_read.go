package referral

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Service returns one service of the directory. A confidential shelter's address and
// coordinates are left out unless the reader is its staff or holds a bed there that the shelter
// confirmed.
func (d *Domain) Service(ctx context.Context, id uuid.UUID) (Service, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActServiceRead, Target{}); err != nil {
		return Service{}, err
	}
	s, err := loadService(d.db.WithContext(ctx), id)
	if err != nil {
		return Service{}, err
	}
	list := []Service{s}
	if err := d.redact(ctx, a, list); err != nil {
		return Service{}, err // never the unredacted record
	}
	return list[0], nil
}

// ServiceFilter narrows a listing of the directory.
type ServiceFilter struct {
	OrganisationID uuid.UUID
	Category       Category
	Country        string
	After          uuid.UUID // paging: services with a greater ID
	Limit          int
}

// ListServices returns services by ID (stable paging), with confidential addresses redacted.
func (d *Domain) ListServices(ctx context.Context, f ServiceFilter) ([]Service, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActServiceRead, Target{}); err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 501 {
		f.Limit = 100
	}
	if f.Category != "" && !slices.Contains(Categories, f.Category) {
		return nil, fieldError("category", "error.service.category", nil)
	}
	f.Country = strings.ToUpper(cleanCode(f.Country))
	q := d.db.WithContext(ctx).Order("id").Limit(f.Limit)
	if f.OrganisationID != uuid.Nil {
		q = q.Where("organisation_id = ?", f.OrganisationID)
	}
	if f.Category != "" {
		q = q.Where("category = ?", f.Category)
	}
	if f.Country != "" {
		q = q.Where("country = ?", f.Country)
	}
	if f.After != uuid.Nil {
		q = q.Where("id > ?", f.After)
	}
	rows, err := findServices(q)
	if err != nil {
		return nil, err
	}
	out := column(rows, func(r serviceRow) Service { return r.Service })
	return out, d.redact(ctx, a, out)
}

// redact hides the address of every confidential shelter the actor may not locate: DESIGN.md
// shows it only to that shelter's staff and to an officer whose bed hold it confirmed.
func (d *Domain) redact(ctx context.Context, a Actor, services []Service) error {
	var hidden []*Service
	for i, s := range services {
		if s.Confidential && s.OrganisationID != a.OrganisationID && !a.IsSystem() {
			hidden = append(hidden, &services[i])
		}
	}
	if len(hidden) == 0 {
		return nil
	}
	visible, err := confirmedFor(d.db.WithContext(ctx), a, column(hidden, func(s *Service) uuid.UUID { return s.ID }), d.Now())
	if err != nil {
		return err
	}
	for _, s := range hidden {
		if !visible[s.ID] {
			s.Address, s.PostalCode, s.Latitude, s.Longitude, s.AddressHidden = "", "", nil, nil, true
		}
	}
	return nil
}

// confirmedFor returns which of the services this user has reason to find: a bed hold the
// shelter confirmed and that is still open, or a person they brought who is staying there. Once
// the hold ends or she leaves, the address is hidden again.
func confirmedFor(db *gorm.DB, a Actor, ids []uuid.UUID, now time.Time) (map[uuid.UUID]bool, error) {
	out := map[uuid.UUID]bool{}
	if a.UserID == uuid.Nil {
		return out, nil
	}
	var rows []uuid.UUID
	err := db.Raw(`SELECT DISTINCT h.service_id FROM holds h
		LEFT JOIN placements p ON p.hold_id = h.id
		WHERE h.service_id IN ? AND h.created_by = ?
		  AND ((h.status = 'confirmed' AND h.expires_at > ?) OR (h.status = 'checked_in' AND p.status = 'present'))`,
		ids, a.UserID, now).Scan(&rows).Error
	for _, id := range rows {
		out[id] = true
	}
	return out, err
}

// serviceOwner returns the organisation that runs a service.
func serviceOwner(tx *gorm.DB, serviceID uuid.UUID) (uuid.UUID, error) {
	var owner uuid.UUID
	err := tx.Raw(`SELECT organisation_id FROM services WHERE id = ?`, serviceID).Row().Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) {
		return owner, ErrNotFound
	}
	return owner, err
}
