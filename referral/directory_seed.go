package referral

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// GeneratedDirectory is a whole directory made by a generator (the scale generator in package
// demo), written at once by SeedDirectory.
type GeneratedDirectory struct {
	Seed          uint64              // names it in the audit trail: a seed is loaded once
	Places        []Place             // the gazetteer's new places (those already there stay)
	Organisations []OrganisationInput // each with its ID
	Services      []ServiceInput      // each with its ID and its organisation's, one of the above
	Placements    []Placement         // people staying in its shelters: ID, service, unit, places, check-in
	Detail        Detail              // what the generator made, for the audit trail
}

// NamesInUse are the names a generator must not take: places by country and organisations,
// in lower case as PostgreSQL lowers them.
type NamesInUse struct {
	Places        []Place // name and country
	Organisations []string
}

// DirectoryNamesInUse lists the names of places and organisations already in the database,
// for a generator to invent others. Only the system may ask.
func (d *Domain) DirectoryNamesInUse(ctx context.Context) (NamesInUse, error) {
	var n NamesInUse
	if err := systemOnly(ctx); err != nil {
		return n, err
	}
	db := d.db.WithContext(ctx)
	if err := db.Raw(`SELECT lower(name) AS name, country FROM places`).Scan(&n.Places).Error; err != nil {
		return n, err
	}
	err := db.Raw(`SELECT lower(name) FROM organisations`).Scan(&n.Organisations).Error
	return n, err
}

// SeedDirectory writes a generated directory: its places, organisations, services with their
// capacity, and the people already placed in its shelters, each organisation and service
// cleaned and checked by the same rules as CreateOrganisation and CreateService. Everything is
// written in one transaction with PostgreSQL COPY and audited as one event. Only the system
// may seed. Seeding the same directory twice is refused as a conflict. It returns how many
// places were new to the gazetteer.
func (d *Domain) SeedDirectory(ctx context.Context, g GeneratedDirectory) (int, error) {
	if err := systemOnly(ctx); err != nil {
		return 0, err
	}
	now := d.Now()
	rows, err := g.rows(now)
	if err != nil {
		return 0, fmt.Errorf("seed: %w", err)
	}
	db := d.db.WithContext(ctx)
	if len(rows.orgs) > 0 {
		var seeded int64
		if err := db.Model(&Organisation{}).Where("id = ?", rows.orgs[0].ID).Count(&seeded).Error; err != nil {
			return 0, err
		}
		if seeded > 0 {
			return 0, Errorf(CodeConflict, "error.id_conflict", nil)
		}
	}
	added := 0
	err = db.Connection(func(c *gorm.DB) error {
		conn, ok := c.Statement.ConnPool.(*sql.Conn)
		if !ok {
			return fmt.Errorf("seed: unexpected connection %T", c.Statement.ConnPool)
		}
		return c.Transaction(func(tx *gorm.DB) error {
			var before, after int64
			if err := tx.Table("places").Count(&before).Error; err != nil {
				return err
			}
			if err := addPlaces(ctx, tx, g.Places); err != nil {
				return err
			}
			if err := tx.Table("places").Count(&after).Error; err != nil {
				return err
			}
			added = int(after - before)
			err := conn.Raw(func(dc any) error {
				pc, ok := dc.(*stdlib.Conn)
				if !ok {
					return fmt.Errorf("seed: COPY needs a pgx connection, not %T", dc)
				}
				return rows.copy(ctx, pc.Conn())
			})
			if err != nil {
				return err
			}
			detail := maps.Clone(g.Detail)
			if detail == nil {
				detail = Detail{}
			}
			detail["places_added"] = strconv.Itoa(added)
			return appendAudit(ctx, tx, now, ActorFrom(ctx), auditEntry{Action: "directory.seed", RecordType: "directory",
				RecordID: strconv.FormatUint(g.Seed, 10), Detail: detail})
		})
	})
	if err != nil {
		return 0, fmt.Errorf("seed directory: %w", err)
	}
	// Fresh statistics, so that the planner knows the directory's new size at once.
	if err := db.Exec(`ANALYZE organisations, services, service_capacity, placements, places`).Error; err != nil {
		return added, fmt.Errorf("seed directory: analyze: %w", err)
	}
	d.log.Info("directory seeded", "seed", g.Seed, "services", len(rows.services), "organisations", len(rows.orgs),
		"places_added", added)
	return added, nil
}

// systemOnly refuses everyone but the system.
func systemOnly(ctx context.Context) error {
	switch a := ActorFrom(ctx); {
	case a.IsZero():
		return ErrUnauthenticated
	case !a.IsSystem():
		return ErrForbidden
	}
	return nil
}

// seedRows are a generated directory's rows, cleaned and checked, ready to copy.
type seedRows struct {
	orgs       []Organisation
	services   []Service
	capacity   []serviceCapacity
	placements []Placement
}

// rows cleans the generated directory by the rules of the forms, and checks that its services
// belong to its organisations and its placements fit its shelters.
func (g GeneratedDirectory) rows(now time.Time) (seedRows, error) {
	var r seedRows
	orgs := map[uuid.UUID]bool{}
	for _, in := range g.Organisations {
		o := Organisation{ID: in.ID, CreatedAt: now, UpdatedAt: now}
		if err := in.apply(&o, true); err != nil {
			return r, fmt.Errorf("organisation %q: %w", deref(in.Name), err)
		}
		orgs[o.ID] = true
		r.orgs = append(r.orgs, o)
	}
	free := map[string]int{} // places left per service and unit
	key := func(id uuid.UUID, u Unit) string { return id.String() + string(u) }
	for _, in := range g.Services {
		sv := Service{ID: in.ID, OrganisationID: in.OrganisationID, CreatedAt: now, UpdatedAt: now}
		if err := in.apply(&sv, true); err != nil {
			return r, fmt.Errorf("service %q: %w", deref(in.Name), err)
		}
		if !orgs[sv.OrganisationID] {
			return r, fmt.Errorf("service %q: its organisation is not in the directory", sv.Name)
		}
		r.services = append(r.services, sv)
		for _, unit := range Units {
			if total, ok := sv.Capacity[unit]; ok {
				r.capacity = append(r.capacity, serviceCapacity{ServiceID: sv.ID, Unit: unit, Total: total})
				free[key(sv.ID, unit)] = total
			}
		}
	}
	placed := map[string]int{}
	for _, p := range g.Placements {
		k := key(p.ServiceID, p.Unit)
		if p.Places < 1 || free[k] < p.Places {
			return r, fmt.Errorf("placement %s: no room for %d in %s", p.ID, p.Places, k)
		}
		free[k] -= p.Places
		placed[k] += p.Places
		p.Status, p.CreatedAt, p.UpdatedAt = PlacementPresent, p.CheckedInAt, p.CheckedInAt
		r.placements = append(r.placements, p)
	}
	for i, c := range r.capacity {
		r.capacity[i].Placed = placed[key(c.ServiceID, c.Unit)]
	}
	return r, nil
}

// copy writes organisations, services, capacity and placements with COPY on the
// transaction's connection. The services' point column is generated by PostgreSQL.
func (r seedRows) copy(ctx context.Context, c *pgx.Conn) error {
	js := func(x any) []byte { b, _ := json.Marshal(x); return b }
	copies := []struct {
		table   string
		columns []string
		n       int
		row     func(i int) ([]any, error)
	}{
		{"organisations", []string{"id", "name", "kind", "country", "time_zone", "active", "created_at", "updated_at"},
			len(r.orgs), func(i int) ([]any, error) {
				o := r.orgs[i]
				return []any{[16]byte(o.ID), o.Name, string(o.Kind), o.Country, o.TimeZone, o.Active, o.CreatedAt, o.UpdatedAt}, nil
			}},
		{"services", []string{"id", "organisation_id", "category", "name", "name_i18n", "description", "languages",
			"interpreter", "genders", "min_age", "max_age", "accepts_minors", "accepts_children", "exploitation_types",
			"conditions", "address", "postal_code", "city", "region", "country", "latitude", "longitude", "confidential",
			"open_always", "opening_hours", "accepting", "response_minutes", "hold_minutes", "phone", "email", "active",
			"created_at", "updated_at"},
			len(r.services), func(i int) ([]any, error) {
				v := r.services[i]
				return []any{[16]byte(v.ID), [16]byte(v.OrganisationID), string(v.Category), v.Name, js(v.NameI18n), v.Description,
					js(v.Languages), v.Interpreter, js(v.Genders), v.MinAge, v.MaxAge, v.AcceptsMinors, v.AcceptsChildren,
					js(v.ExploitationTypes), v.Conditions, v.Address, v.PostalCode, v.City, v.Region, v.Country, v.Latitude,
					v.Longitude, v.Confidential, v.OpenAlways, js(v.OpeningHours), v.Accepting, v.ResponseMinutes,
					v.HoldMinutes, v.Phone, v.Email, v.Active, v.CreatedAt, v.UpdatedAt}, nil
			}},
		{"service_capacity", []string{"service_id", "unit", "total", "placed"}, len(r.capacity), func(i int) ([]any, error) {
			c := r.capacity[i]
			return []any{[16]byte(c.ServiceID), string(c.Unit), c.Total, c.Placed}, nil
		}},
		{"placements", []string{"id", "service_id", "unit", "places", "status", "checked_in_at", "created_at", "updated_at"},
			len(r.placements), func(i int) ([]any, error) {
				p := r.placements[i]
				return []any{[16]byte(p.ID), [16]byte(p.ServiceID), string(p.Unit), p.Places, string(p.Status), p.CheckedInAt,
					p.CreatedAt, p.UpdatedAt}, nil
			}},
	}
	for _, cp := range copies {
		n, err := c.CopyFrom(ctx, pgx.Identifier{cp.table}, cp.columns, pgx.CopyFromSlice(cp.n, cp.row))
		if err != nil {
			return fmt.Errorf("copy %s: %w", cp.table, err)
		}
		if int(n) != cp.n {
			return fmt.Errorf("copy %s: %d of %d rows", cp.table, n, cp.n)
		}
	}
	return nil
}
