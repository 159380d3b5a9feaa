package referral

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/language"
	"gorm.io/gorm"
)

// OrganisationKind says what an organisation is, and so which roles its users may hold.
type OrganisationKind string

// Organisation kinds.
const (
	KindPolice             OrganisationKind = "police"
	KindShelter            OrganisationKind = "shelter"
	KindNGO                OrganisationKind = "ngo"
	KindCompetentAuthority OrganisationKind = "competent_authority"
	KindOther              OrganisationKind = "other"
	// KindSpecialisedCentre is a centre specialised in victims of trafficking: in Belgium one of
	// the three recognised centres (the only bodies that ask for her documents), in Germany a
	// specialised counselling centre (Fachberatungsstelle).
	KindSpecialisedCentre OrganisationKind = "specialised_centre"
	// KindLabourInspectorate is a labour inspectorate, a first responder in the Netherlands.
	KindLabourInspectorate OrganisationKind = "labour_inspectorate"
)

// OrganisationKinds lists every kind in the order pages show them.
var OrganisationKinds = []OrganisationKind{KindPolice, KindShelter, KindNGO, KindSpecialisedCentre, KindLabourInspectorate,
	KindCompetentAuthority, KindOther}

// Organisation is a police unit, shelter, NGO, competent authority or other body using Harbour.
type Organisation struct {
	ID       uuid.UUID        `json:"id" gorm:"primaryKey"`
	Name     string           `json:"name"`
	Kind     OrganisationKind `json:"kind"`
	Country  string           `json:"country"`
	TimeZone string           `json:"time_zone"`
	Active   bool             `json:"active"`
	// FirstResponder marks an organisation that may submit NRM referrals though its kind is
	// not a first responder in its jurisdiction (a named NGO, a local authority).
	FirstResponder bool      `json:"first_responder"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Location returns the organisation's time zone (UTC if it cannot be loaded).
func (o Organisation) Location() *time.Location {
	if loc, ok := locations.Load(o.TimeZone); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(o.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	locations.Store(o.TimeZone, loc)
	return loc
}

// locations holds each time zone once loaded: time.LoadLocation parses zone data on every call,
// and pages and matching ask for it on every request. Zone names are few.
var locations sync.Map

// OrganisationInput is what a person sets when creating or editing an organisation. On update,
// nil fields are left as they are.
type OrganisationInput struct {
	ID       uuid.UUID // chosen by the client on create (optional); repeating a create returns the same record
	Name     *string
	Kind     *OrganisationKind
	Country  *string
	TimeZone *string
	Active   *bool
	// FirstResponder marks the organisation a first responder one by one (admins only).
	FirstResponder *bool
}

// defaultTimeZones gives the zone for countries with one, so most forms need not ask.
var defaultTimeZones = map[string]string{
	"BE": "Europe/Brussels", "NL": "Europe/Amsterdam", "DE": "Europe/Berlin", "ES": "Europe/Madrid",
	"GB": "Europe/London", "FR": "Europe/Paris", "IT": "Europe/Rome", "LU": "Europe/Luxembourg",
	"IE": "Europe/Dublin", "AT": "Europe/Vienna", "CH": "Europe/Zurich", "PL": "Europe/Warsaw",
	"CZ": "Europe/Prague", "RO": "Europe/Bucharest", "BG": "Europe/Sofia", "HU": "Europe/Budapest",
	"GR": "Europe/Athens", "SE": "Europe/Stockholm", "DK": "Europe/Copenhagen", "CN": "Asia/Shanghai",
}

// apply cleans the input into o (the current record on update, a fresh one on create).
func (in OrganisationInput) apply(o *Organisation, creating bool) error {
	var p Problems
	if in.Name != nil || creating {
		o.Name = cleanText(&p, "name", deref(in.Name), true, 200)
	}
	if in.Kind != nil || creating {
		o.Kind = OrganisationKind(cleanCode(string(deref(in.Kind))))
		if !slices.Contains(OrganisationKinds, o.Kind) {
			p.Add("kind", "error.organisation.kind", nil)
		}
	}
	if in.Country != nil || creating {
		o.Country = strings.ToUpper(cleanCode(deref(in.Country)))
		if r, err := language.ParseRegion(o.Country); err != nil || !r.IsCountry() || len(o.Country) != 2 {
			p.Add("country", "error.organisation.country", nil)
		}
	}
	if in.TimeZone != nil || creating {
		o.TimeZone = cleanCode(deref(in.TimeZone))
		if o.TimeZone == "" {
			o.TimeZone = defaultTimeZones[o.Country]
		}
		// An empty zone follows from the country: when the country is wrong, say that once.
		derived := o.TimeZone == "" && p.Has("country")
		if _, err := time.LoadLocation(o.TimeZone); !derived && (err != nil || o.TimeZone == "" || o.TimeZone == "Local") {
			p.Add("time_zone", "error.organisation.time_zone", nil)
		}
	}
	if in.Active != nil {
		o.Active = *in.Active
	} else if creating {
		o.Active = true
	}
	if in.FirstResponder != nil {
		o.FirstResponder = *in.FirstResponder
	}
	return p.Err()
}

// CreateOrganisation creates an organisation. It returns the record and whether it was created
// now (false when the same ID was created before with the same content).
func (d *Domain) CreateOrganisation(ctx context.Context, in OrganisationInput) (Organisation, bool, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActOrganisationCreate, Target{}); err != nil {
		return Organisation{}, false, err
	}
	o := Organisation{ID: in.ID}
	if err := in.apply(&o, true); err != nil {
		return Organisation{}, false, err
	}
	if o.ID == uuid.Nil {
		o.ID = newID()
	}
	created := false
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		var existing Organisation
		if err := tx.First(&existing, "id = ?", o.ID).Error; err == nil {
			if !sameOrganisation(existing, o) {
				return Errorf(CodeConflict, "error.id_conflict", nil)
			}
			o = existing
			return nil
		}
		o.CreatedAt, o.UpdatedAt = now, now
		if err := tx.Create(&o).Error; err != nil {
			return duplicate(err, "name", "error.organisation.name_taken")
		}
		created = true
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "organisation.create", RecordType: "organisation", RecordID: o.ID.String()})
	})
	return o, created, err
}

func sameOrganisation(a, b Organisation) bool {
	return a.Name == b.Name && a.Kind == b.Kind && a.Country == b.Country && a.TimeZone == b.TimeZone && a.Active == b.Active
}

// UpdateOrganisation changes an organisation's fields. A change of kind is refused while users
// hold roles the new kind does not allow.
func (d *Domain) UpdateOrganisation(ctx context.Context, id uuid.UUID, in OrganisationInput) (Organisation, error) {
	a := ActorFrom(ctx)
	var o Organisation
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		if err := tx.First(&o, "id = ?", id).Error; err != nil {
			return notFound(err)
		}
		if err := authorizeChange(a, ActOrganisationRead, ActOrganisationUpdate, Target{OrganisationID: o.ID}); err != nil {
			return err
		}
		before := o
		if err := in.apply(&o, false); err != nil {
			return err
		}
		changed := organisationChanges(before, o)
		if len(changed) == 0 {
			return nil
		}
		// The unique index on lower(name) refuses a taken name; the kind is checked after, in
		// the same transaction, so a taken name is reported first.
		o.UpdatedAt = now
		if err := tx.Save(&o).Error; err != nil {
			return duplicate(err, "name", "error.organisation.name_taken")
		}
		if o.Kind != before.Kind {
			if err := checkRolesFitKind(tx, o); err != nil {
				return err
			}
		}
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "organisation.update", RecordType: "organisation",
			RecordID: o.ID.String(), Detail: Detail{"fields": strings.Join(changed, ",")}})
	})
	return o, err
}

func organisationChanges(a, b Organisation) []string {
	return changedFields([]fieldChange{
		{"name", a.Name == b.Name}, {"kind", a.Kind == b.Kind}, {"country", a.Country == b.Country},
		{"time_zone", a.TimeZone == b.TimeZone}, {"active", a.Active == b.Active},
	})
}

func checkRolesFitKind(tx *gorm.DB, o Organisation) error {
	var n int64
	err := tx.Table("user_roles").Joins("JOIN users ON users.id = user_roles.user_id").
		Where("users.organisation_id = ? AND user_roles.role NOT IN ?", o.ID, RolesFor(o.Kind)).Count(&n).Error
	if err != nil {
		return err
	}
	if n > 0 {
		return fieldError("kind", "error.organisation.kind_roles", map[string]any{"Count": int(n)})
	}
	return nil
}

// Organisation returns one organisation the actor may see.
func (d *Domain) Organisation(ctx context.Context, id uuid.UUID) (Organisation, error) {
	var o Organisation
	if err := d.db.WithContext(ctx).First(&o, "id = ?", id).Error; err != nil {
		return o, notFound(err)
	}
	return visible(ctx, ActOrganisationRead, Target{OrganisationID: o.ID}, o)
}

// FindOrganisation returns the organisation with this ID or exact name (case-insensitive), for
// commands that name organisations by hand.
func (d *Domain) FindOrganisation(ctx context.Context, idOrName string) (Organisation, error) {
	var o Organisation
	q := d.db.WithContext(ctx)
	var err error
	if id, perr := uuid.Parse(idOrName); perr == nil {
		err = q.First(&o, "id = ?", id).Error
	} else {
		err = q.First(&o, "lower(name) = lower(?)", strings.TrimSpace(idOrName)).Error
	}
	if err != nil {
		return o, notFound(err)
	}
	return visible(ctx, ActOrganisationRead, Target{OrganisationID: o.ID}, o)
}

// ListOrganisations returns every organisation, by name; admins only.
func (d *Domain) ListOrganisations(ctx context.Context) ([]Organisation, error) {
	if err := Authorize(ActorFrom(ctx), ActOrganisationList, Target{}); err != nil {
		return nil, err
	}
	var out []Organisation
	return out, d.db.WithContext(ctx).Order("lower(name)").Find(&out).Error
}

// IsEmpty reports whether no organisation exists yet (a fresh database).
func (d *Domain) IsEmpty(ctx context.Context) (bool, error) {
	var n int64
	err := d.db.WithContext(ctx).Model(&Organisation{}).Limit(1).Count(&n).Error
	return n == 0, err
}
