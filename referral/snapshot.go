package referral

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// SnapshotService is one service in the copy of the directory a phone keeps for matching with
// no signal: what the ranking needs and a card shows. Never an address; a confidential
// shelter's coordinates are rounded to 0.1° (about 10 km), as matching measures it.
type SnapshotService struct {
	ID                uuid.UUID `json:"id"`
	OrganisationName  string    `json:"organisation_name"`
	Category          Category  `json:"category"`
	Name              string    `json:"name"`
	NameI18n          Texts     `json:"name_i18n"`
	City              string    `json:"city"`
	Country           string    `json:"country"`
	Latitude          *float64  `json:"latitude"`
	Longitude         *float64  `json:"longitude"`
	Languages         []string  `json:"languages"`
	Interpreter       bool      `json:"interpreter"`
	Genders           []string  `json:"genders"`
	MinAge            *int      `json:"min_age"`
	MaxAge            *int      `json:"max_age"`
	AcceptsMinors     bool      `json:"accepts_minors"`
	AcceptsChildren   bool      `json:"accepts_children"`
	ExploitationTypes []string  `json:"exploitation_types"`
	ResponseMinutes   *int      `json:"response_minutes"`
	Confidential      bool      `json:"confidential"`
	Phone             string    `json:"phone"`
	FreeBeds          *int      `json:"free_beds"`         // shelters: free when the copy was made
	FreeFamilyRooms   *int      `json:"free_family_rooms"` // shelters
}

// Snapshot is the copy of the directory a phone keeps.
type Snapshot struct {
	GeneratedAt time.Time         `json:"generated_at"`
	Country     string            `json:"country"`
	Services    []SnapshotService `json:"services"`
}

// snapshotLimit bounds a phone's copy.
const snapshotLimit = 5000

// DirectorySnapshot is the copy of the directory an officer's phone keeps for matching with no
// signal: the active services that take referrals in the officer's organisation's country (at
// most 5,000), in one statement. It holds nothing about any person and no address; matching
// offline is confirmed by the server when the referral is sent.
func (d *Domain) DirectorySnapshot(ctx context.Context) (Snapshot, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActMatch, Target{}); err != nil {
		return Snapshot{}, err
	}
	var country string
	db := d.db.WithContext(ctx)
	if err := db.Raw(`SELECT country FROM organisations WHERE id = ?`, a.OrganisationID).Scan(&country).Error; err != nil {
		return Snapshot{}, err
	}
	now := d.Now()
	rows, err := db.Raw(`SELECT s.id, o.name, s.category, s.name, s.name_i18n, s.city, s.country,
		       CASE WHEN s.confidential THEN round(s.latitude::numeric, 1)::float8 ELSE s.latitude END,
		       CASE WHEN s.confidential THEN round(s.longitude::numeric, 1)::float8 ELSE s.longitude END,
		       s.languages, s.interpreter, s.genders, s.min_age, s.max_age, s.accepts_minors, s.accepts_children,
		       s.exploitation_types, s.response_minutes, s.confidential, s.phone, free.beds, free.families
		FROM services s
		JOIN organisations o ON o.id = s.organisation_id AND o.active
		LEFT JOIN LATERAL (
		    SELECT COALESCE(sum(cap.total - cap.placed - held.places) FILTER (WHERE cap.unit = 'bed'), 0)::int AS beds,
		           COALESCE(sum(cap.total - cap.placed - held.places) FILTER (WHERE cap.unit = 'family_room'), 0)::int AS families
		    FROM service_capacity cap
		    CROSS JOIN LATERAL (SELECT COALESCE(sum(places), 0) AS places FROM holds
		        WHERE holds.service_id = cap.service_id AND holds.unit = cap.unit
		          AND holds.status IN ('active', 'confirmed') AND holds.expires_at > ?) held
		    WHERE cap.service_id = s.id) free ON s.category = 'shelter'
		WHERE s.active AND s.accepting AND (? = '' OR s.country = ?)
		ORDER BY s.category, s.id
		LIMIT ?`, now, country, country, snapshotLimit).Rows()
	if err != nil {
		return Snapshot{}, err
	}
	defer rows.Close()
	out := Snapshot{GeneratedAt: now, Country: country, Services: []SnapshotService{}}
	for rows.Next() {
		var s SnapshotService
		var names, langs, genders, types []byte
		if err := rows.Scan(&s.ID, &s.OrganisationName, &s.Category, &s.Name, &names, &s.City, &s.Country, &s.Latitude, &s.Longitude,
			&langs, &s.Interpreter, &genders, &s.MinAge, &s.MaxAge, &s.AcceptsMinors, &s.AcceptsChildren, &types,
			&s.ResponseMinutes, &s.Confidential, &s.Phone, &s.FreeBeds, &s.FreeFamilyRooms); err != nil {
			return Snapshot{}, err
		}
		for _, j := range []struct {
			raw []byte
			to  any
		}{{names, &s.NameI18n}, {langs, &s.Languages}, {genders, &s.Genders}, {types, &s.ExploitationTypes}} {
			if err := json.Unmarshal(j.raw, j.to); err != nil {
				return Snapshot{}, err
			}
		}
		if s.FreeBeds != nil {
			s.FreeBeds, s.FreeFamilyRooms = ptr(max(*s.FreeBeds, 0)), ptr(max(*s.FreeFamilyRooms, 0))
		}
		out.Services = append(out.Services, s)
	}
	return out, rows.Err()
}
