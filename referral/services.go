package referral

import (
	"context"
	"errors"
	"maps"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Service is one entry of the directory: help an organisation gives — a shelter's beds, legal
// advice, medical care, counselling, interpretation, assisted return.
type Service struct {
	ID                uuid.UUID      `json:"id" gorm:"primaryKey"`
	OrganisationID    uuid.UUID      `json:"organisation_id"`
	Category          Category       `json:"category"`
	Name              string         `json:"name"`
	NameI18n          Texts          `json:"name_i18n" gorm:"column:name_i18n;serializer:json"`
	Description       string         `json:"description"`
	DescriptionI18n   Texts          `json:"description_i18n" gorm:"column:description_i18n;serializer:json"`
	Languages         []string       `json:"languages" gorm:"serializer:json"`
	Interpreter       bool           `json:"interpreter"`
	Genders           []string       `json:"genders" gorm:"serializer:json"`
	MinAge            *int           `json:"min_age"`
	MaxAge            *int           `json:"max_age"`
	AcceptsMinors     bool           `json:"accepts_minors"`
	AcceptsChildren   bool           `json:"accepts_children"`
	ExploitationTypes []string       `json:"exploitation_types" gorm:"serializer:json"`
	Conditions        string         `json:"conditions"`
	Address           string         `json:"address"`
	PostalCode        string         `json:"postal_code"`
	City              string         `json:"city"`
	Region            string         `json:"region"`
	Country           string         `json:"country"`
	Latitude          *float64       `json:"latitude"`
	Longitude         *float64       `json:"longitude"`
	Confidential      bool           `json:"confidential"`
	OpenAlways        bool           `json:"open_always"`
	OpeningHours      []OpeningHours `json:"opening_hours" gorm:"serializer:json"`
	Accepting         bool           `json:"accepting"`
	ResponseMinutes   *int           `json:"response_minutes"`
	HoldMinutes       int            `json:"hold_minutes"`
	Phone             string         `json:"phone"`
	Email             string         `json:"email"`
	Active            bool           `json:"active"`
	CreatedAt         time.Time      `json:"created_at"`
	UpdatedAt         time.Time      `json:"updated_at"`
	Capacity          map[Unit]int   `json:"capacity" gorm:"-"`
	// AddressHidden is set when the reader may not see a confidential shelter's address:
	// address, postal code and coordinates are then empty.
	AddressHidden bool `json:"address_hidden" gorm:"-"`
}

// Beds is the shelter's number of beds (0 for other services).
func (s Service) Beds() int { return s.Capacity[UnitBed] }

// Texts are translations of one text, by language code.
type Texts map[string]string

// In returns the text in lang, or fallback when there is no translation.
func (t Texts) In(lang, fallback string) string {
	if s := t[lang]; s != "" {
		return s
	}
	return fallback
}

// OpeningHours is one opening period in the organisation's time zone: Day 1 is Monday; a period
// closing at or before it opens runs past midnight.
type OpeningHours struct {
	Day    int    `json:"day"`
	Opens  string `json:"opens"`
	Closes string `json:"closes"`
}

// serviceCapacity is one row of a shelter's capacity: the places there are, and the places
// taken by people staying (kept in step with placements under this row's lock).
type serviceCapacity struct {
	ServiceID uuid.UUID `gorm:"primaryKey"`
	Unit      Unit      `gorm:"primaryKey"`
	Total     int
	Placed    int
}

func (serviceCapacity) TableName() string { return "service_capacity" }

// CreateService adds a service to the directory for the actor's organisation (or, for the
// system, the organisation named in the input). Repeating the same create returns the same
// service.
func (d *Domain) CreateService(ctx context.Context, in ServiceInput) (Service, bool, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActServiceCreate, Target{OrganisationID: in.OrganisationID}); err != nil {
		return Service{}, false, err
	}
	if err := d.db.WithContext(ctx).Select("id").First(&Organisation{}, "id = ?", in.OrganisationID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return Service{}, false, fieldError("organisation_id", "error.user.organisation", nil)
		}
		return Service{}, false, err
	}
	s := Service{ID: in.ID, OrganisationID: in.OrganisationID}
	if err := in.apply(&s, true); err != nil {
		return Service{}, false, err
	}
	if s.ID == uuid.Nil {
		s.ID = newID()
	}
	created := false
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		if existing, err := loadService(tx, s.ID); err == nil {
			if !sameService(existing, s) {
				return Errorf(CodeConflict, "error.id_conflict", nil)
			}
			s = existing
			return nil
		}
		s.CreatedAt, s.UpdatedAt = now, now
		if err := tx.Create(&s).Error; err != nil {
			return err
		}
		if err := saveCapacity(tx, now, s, nil); err != nil {
			return err
		}
		if err := rememberPlace(tx, s); err != nil {
			return err
		}
		created = true
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "service.create", RecordType: "service", RecordID: s.ID.String()})
	})
	return s, created, err
}

// UpdateService changes a service of the actor's organisation. Capacity cannot drop below the
// beds in use (people placed and beds held), so a shelter is never over capacity.
func (d *Domain) UpdateService(ctx context.Context, id uuid.UUID, in ServiceInput) (Service, error) {
	a := ActorFrom(ctx)
	var s Service
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		var err error
		if s, err = loadService(tx, id); err != nil {
			return err
		}
		if err := Authorize(a, ActServiceUpdate, Target{OrganisationID: s.OrganisationID}); err != nil {
			return err
		}
		before := maps.Clone(s.Capacity)
		if err := in.apply(&s, false); err != nil {
			return err
		}
		s.UpdatedAt = now
		if err := tx.Omit("created_at").Save(&s).Error; err != nil {
			return err
		}
		if err := saveCapacity(tx, now, s, before); err != nil {
			return err
		}
		if err := rememberPlace(tx, s); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "service.update", RecordType: "service", RecordID: s.ID.String()})
	})
	return s, err
}

func sameService(a, b Service) bool {
	return a.OrganisationID == b.OrganisationID && a.Category == b.Category && a.Name == b.Name && a.City == b.City &&
		a.Country == b.Country
}

// saveCapacity writes a shelter's capacity, refusing to go below what is in use.
func saveCapacity(tx *gorm.DB, now time.Time, s Service, before map[Unit]int) error {
	for _, unit := range Units {
		total, ok := s.Capacity[unit]
		if !ok && before[unit] == 0 {
			continue
		}
		if err := tx.Exec(`INSERT INTO service_capacity (service_id, unit, total) VALUES (?, ?, 0)
			ON CONFLICT DO NOTHING`, s.ID, unit).Error; err != nil {
			return err
		}
		_, used, err := lockCapacity(tx, s.ID, unit, now)
		if err != nil {
			return err
		}
		if total < used {
			return fieldError("capacity."+string(unit), "error.service.capacity_in_use", map[string]any{"Count": used})
		}
		if err := tx.Model(&serviceCapacity{}).Where("service_id = ? AND unit = ?", s.ID, unit).Update("total", total).Error; err != nil {
			return err
		}
	}
	return nil
}

// loadService reads a service with its capacity.
func loadService(tx *gorm.DB, id uuid.UUID) (Service, error) {
	rows, err := findServices(tx.Where("services.id = ?", id).Limit(1))
	if err == nil && len(rows) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return Service{}, err
	}
	return rows[0].Service, nil
}

// serviceRow is a service as findServices reads it: with its capacity and, when the statement
// selects it, its organisation's time zone.
type serviceRow struct {
	Service
	CapacityTotals map[Unit]int `gorm:"serializer:json"`
	TimeZone       string
}

// findServices reads the services q selects from the services table, each with its capacity
// ({"bed": 6} from service_capacity), in one statement; columns are selected as well.
func findServices(q *gorm.DB, columns ...string) ([]serviceRow, error) {
	selected := append([]string{`services.*, COALESCE((SELECT jsonb_object_agg(c.unit, c.total) FROM service_capacity c
		WHERE c.service_id = services.id), '{}') AS capacity_totals`}, columns...)
	var rows []serviceRow
	if err := q.Table("services").Select(strings.Join(selected, ", ")).Find(&rows).Error; err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].Capacity = rows[i].CapacityTotals
	}
	return rows, nil
}
