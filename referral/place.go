package referral

import (
	"context"
	"math"
	"strings"

	"gorm.io/gorm"
)

// Place is a named town or city with coordinates, for measuring distances from where a person
// is when the phone gives no coordinates.
type Place struct {
	ID        int64   `json:"-" gorm:"primaryKey"`
	Name      string  `json:"name"`
	Country   string  `json:"country"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// rememberPlace adds a service's city to the places, if it has coordinates and the city is not
// known yet. A confidential shelter contributes only its rounded point.
func rememberPlace(tx *gorm.DB, s Service) error {
	if s.Latitude == nil || s.Longitude == nil {
		return nil
	}
	lat, lon := *s.Latitude, *s.Longitude
	if s.Confidential {
		lat, lon = math.Round(lat*10)/10, math.Round(lon*10)/10
	}
	return tx.Exec(`INSERT INTO places (name, country, latitude, longitude) VALUES (?, ?, ?, ?)
		ON CONFLICT (lower(name), country) DO NOTHING`, s.City, s.Country, lat, lon).Error
}

// FindPlace returns the place with this name, in the country when one is given (else the first
// match), and whether one was found.
func (d *Domain) FindPlace(ctx context.Context, name, country string) (Place, bool, error) {
	var p Place
	q := d.db.WithContext(ctx).Where("lower(name) = lower(?)", strings.TrimSpace(name))
	if country != "" {
		q = q.Where("country = ?", strings.ToUpper(country))
	}
	err := q.Order("id").Limit(1).Find(&p).Error
	return p, p.ID != 0, err
}

// AddPlaces records places (e.g. from a gazetteer); names already known are kept as they are.
func (d *Domain) AddPlaces(ctx context.Context, places []Place) error {
	return addPlaces(ctx, d.db, places)
}

// addPlaces is AddPlaces on db, inside its transaction when it is one. The statement goes to
// gorm's connection (or transaction) as it is: gorm's own Exec would expand each slice into a
// list instead of passing an array.
func addPlaces(ctx context.Context, db *gorm.DB, places []Place) error {
	if len(places) == 0 {
		return nil
	}
	_, err := db.Statement.ConnPool.ExecContext(ctx, `INSERT INTO places (name, country, latitude, longitude)
		SELECT * FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[]) ON CONFLICT (lower(name), country) DO NOTHING`,
		column(places, func(p Place) string { return p.Name }), column(places, func(p Place) string { return p.Country }),
		column(places, func(p Place) float64 { return p.Latitude }), column(places, func(p Place) float64 { return p.Longitude }))
	return err
}
