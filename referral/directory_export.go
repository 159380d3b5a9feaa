package referral

import (
	"context"
	"maps"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// This file is what the domain offers formats beside it (package hsds: HSDS 3.1 import, export
// and the read-only HSDS API): the reads and the few rules of the directory they need that the
// rest of the domain keeps to itself. Reading the directory is open to any signed-in actor, as
// it always was for HSDS; writing still goes through CreateService, UpdateService and
// CreateOrganisation, with their own authorization and audit.

// CountServices returns how many services the directory holds, for numbered pages.
func (d *Domain) CountServices(ctx context.Context) (int64, error) {
	if err := Authorize(ActorFrom(ctx), ActServiceRead, Target{}); err != nil {
		return 0, err
	}
	var n int64
	return n, d.db.WithContext(ctx).Model(&Service{}).Count(&n).Error
}

// ServicesFrom returns up to limit services from position offset (from 0) in ID order, as
// ListServices returns them (confidential addresses redacted): numbered pages for partners
// whose protocol has no cursor.
func (d *Domain) ServicesFrom(ctx context.Context, offset, limit int) ([]Service, error) {
	if err := Authorize(ActorFrom(ctx), ActServiceRead, Target{}); err != nil {
		return nil, err
	}
	// ListServices pages by cursor (it authorizes and redacts); the cursor for an offset is
	// the ID just before it.
	var after uuid.UUID
	if offset > 0 {
		var ids []uuid.UUID
		if err := d.db.WithContext(ctx).Model(&Service{}).Order("id").Offset(offset-1).Limit(1).Pluck("id", &ids).Error; err != nil {
			return nil, err
		}
		if len(ids) == 0 {
			return nil, nil
		}
		after = ids[0]
	}
	return d.ListServices(ctx, ServiceFilter{After: after, Limit: limit})
}

// PlacesInUse returns, by service and unit, the places that are not free at the time given:
// taken by people staying (the counters that holds and matching read too) and held by open
// holds. A partner's directory shows the capacity less these as free.
func (d *Domain) PlacesInUse(ctx context.Context, serviceIDs []uuid.UUID, at time.Time) (map[uuid.UUID]map[Unit]int, error) {
	if err := Authorize(ActorFrom(ctx), ActServiceRead, Target{}); err != nil {
		return nil, err
	}
	var rows []struct {
		ServiceID uuid.UUID
		Unit      Unit
		Used      int
	}
	err := d.db.WithContext(ctx).Raw(`SELECT c.service_id, c.unit, c.placed + (SELECT COALESCE(sum(h.places), 0) FROM holds h
			WHERE h.service_id = c.service_id AND h.unit = c.unit AND h.status IN ('active', 'confirmed') AND h.expires_at > ?) AS used
		FROM service_capacity c WHERE c.service_id IN ?`, at, serviceIDs).Scan(&rows).Error
	out := map[uuid.UUID]map[Unit]int{}
	for _, r := range rows {
		if out[r.ServiceID] == nil {
			out[r.ServiceID] = map[Unit]int{}
		}
		out[r.ServiceID][r.Unit] = r.Used
	}
	return out, err
}

// Provider is an organisation of the service directory: one that runs at least one service.
// Police units and the competent authority run none and are not providers.
type Provider struct {
	Organisation
	Cities []string // where its services are, each once, in order
}

// ProviderFilter narrows a listing of providers, which come in ID order.
type ProviderFilter struct {
	IDs    []uuid.UUID // only these, when given
	Offset int
	Limit  int // 0: all
}

// CountProviders returns how many organisations run at least one service.
func (d *Domain) CountProviders(ctx context.Context) (int64, error) {
	if err := Authorize(ActorFrom(ctx), ActServiceRead, Target{}); err != nil {
		return 0, err
	}
	var n int64
	return n, providers(d.db.WithContext(ctx)).Count(&n).Error
}

// Providers returns the organisations that run at least one service, with the cities of their
// services. Like the services themselves, any signed-in actor may read them.
func (d *Domain) Providers(ctx context.Context, f ProviderFilter) ([]Provider, error) {
	if err := Authorize(ActorFrom(ctx), ActServiceRead, Target{}); err != nil {
		return nil, err
	}
	db := d.db.WithContext(ctx)
	q := providers(db).Order("id").Offset(f.Offset)
	if f.IDs != nil {
		q = q.Where("id IN ?", f.IDs)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var orgs []Organisation
	if err := q.Find(&orgs).Error; err != nil || len(orgs) == 0 {
		return nil, err
	}
	var rows []struct {
		OrganisationID uuid.UUID
		City           string
	}
	if err := db.Raw(`SELECT DISTINCT organisation_id, city FROM services WHERE organisation_id IN ? ORDER BY 1, 2`,
		column(orgs, func(o Organisation) uuid.UUID { return o.ID })).Scan(&rows).Error; err != nil {
		return nil, err
	}
	cities := map[uuid.UUID][]string{}
	for _, r := range rows {
		cities[r.OrganisationID] = append(cities[r.OrganisationID], r.City)
	}
	return column(orgs, func(o Organisation) Provider { return Provider{Organisation: o, Cities: cities[o.ID]} }), nil
}

// providers selects the organisations that run at least one service.
func providers(db *gorm.DB) *gorm.DB {
	return db.Model(&Organisation{}).Where("EXISTS (SELECT 1 FROM services s WHERE s.organisation_id = organisations.id)")
}

// OrganisationForImport finds the organisation an imported service names: the one with this ID,
// or, when id is uuid.Nil, the one of this name (case-insensitive); false when there is none.
// Any signed-in actor may look, as imports always could: adding a service to it, or creating
// it, still needs the right to.
func (d *Domain) OrganisationForImport(ctx context.Context, id uuid.UUID, name string) (Organisation, bool, error) {
	if err := Authorize(ActorFrom(ctx), ActServiceRead, Target{}); err != nil {
		return Organisation{}, false, err
	}
	q := d.db.WithContext(ctx).Where("id = ?", id)
	if id == uuid.Nil {
		q = d.db.WithContext(ctx).Where("lower(name) = lower(?)", name)
	}
	var found []Organisation
	if err := q.Limit(1).Find(&found).Error; err != nil || len(found) == 0 {
		return Organisation{}, false, err
	}
	return found[0], true, nil
}

// Applied returns s as UpdateService would leave it with this input, saving nothing, so that an
// import can leave a service that is already as in its file untouched. The error is the one
// UpdateService would give for invalid input.
func (in ServiceInput) Applied(s Service) (Service, error) {
	s.Capacity = maps.Clone(s.Capacity) // apply writes into the map
	err := in.apply(&s, false)
	return s, err
}

// DefaultTimeZone returns the time zone an organisation of this country (ISO 3166-1 alpha-2)
// gets when none is given, or "" for a country with several or none known.
func DefaultTimeZone(country string) string { return defaultTimeZones[country] }

// CountryCode returns a country code as Harbour stores it ("be" is "BE"), and whether it is an
// ISO 3166-1 alpha-2 code.
func CountryCode(s string) (string, bool) { return countryCode(s) }

// CanonicalLanguage returns the code Harbour stores for a spoken language ("zh-HK" is "yue"),
// or "" when code is not one.
func CanonicalLanguage(code string) string { return canonicalLanguage(code) }

// CleanEmail returns an e-mail address as Harbour stores it, and whether it is one; no address
// at all ("") is valid.
func CleanEmail(s string) (string, bool) {
	e := cleanCode(s)
	if e == "" {
		return "", true
	}
	var p Problems
	e = cleanEmail(&p, e)
	return e, p.Err() == nil
}
