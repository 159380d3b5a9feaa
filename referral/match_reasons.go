package referral

import (
	"database/sql"
	"encoding/json"
	"math"
	"slices"
	"time"

	"github.com/google/uuid"
)

// matchRow is one row of MatchSQL: the ranking's columns, then the card's.
type matchRow struct {
	id                                          uuid.UUID
	category                                    string
	distance                                    sql.NullFloat64
	beds, families                              sql.NullInt64
	languages, types                            []byte
	interpreter, children, minors, confidential bool
	response                                    sql.NullInt64
	sLanguage, sSpecialism, score               float64
	organisation                                uuid.UUID
	organisationName, timeZone, name            string
	nameI18n                                    []byte
	city, region, country, phone, email         string
	openAlways                                  bool
	hours                                       []byte
	holdMinutes                                 int
}

// scanMatch reads one row of MatchSQL into a match with its reasons; now is when she asks.
func scanMatch(rows *sql.Rows, n Need, now time.Time) (*Match, error) {
	var r matchRow
	err := rows.Scan(&r.id, &r.category, &r.distance, &r.beds, &r.families, &r.languages, &r.types,
		&r.interpreter, &r.children, &r.minors, &r.confidential, &r.response, &r.sLanguage, &r.sSpecialism, &r.score,
		&r.organisation, &r.organisationName, &r.timeZone, &r.name, &r.nameI18n, &r.city, &r.region, &r.country,
		&r.phone, &r.email, &r.openAlways, &r.hours, &r.holdMinutes)
	if err != nil {
		return nil, err
	}
	card := ServiceCard{ID: r.id, OrganisationID: r.organisation, OrganisationName: r.organisationName,
		Category: Category(r.category), Name: r.name, Interpreter: r.interpreter, City: r.city, Region: r.region,
		Country: r.country, Confidential: r.confidential, OpenAlways: r.openAlways, HoldMinutes: r.holdMinutes,
		Phone: r.phone, Email: r.email}
	if r.response.Valid {
		card.ResponseMinutes = ptr(int(r.response.Int64))
	}
	var served []string
	for _, j := range []struct {
		raw []byte
		to  any
	}{{r.languages, &card.Languages}, {r.types, &served}, {r.nameI18n, &card.NameI18n}, {r.hours, &card.OpeningHours}} {
		if err := json.Unmarshal(j.raw, j.to); err != nil {
			return nil, err
		}
	}
	m := &Match{Service: card, Score: int(math.Round(r.score))}
	if r.distance.Valid {
		km := math.Round(r.distance.Float64/100) / 10
		if r.confidential { // its point is rounded: say so by rounding the distance too
			km = math.Max(5, math.Round(km/5)*5)
		}
		m.DistanceKm = &km
	}
	if r.beds.Valid {
		b, f := int(max(r.beds.Int64, 0)), int(max(r.families.Int64, 0))
		m.FreeBeds, m.FreeFamilyRooms = &b, &f
	}
	m.Reasons = reasons(n, r, card.Languages, served, m)
	if open := openingReason(card, now.In(Organisation{TimeZone: r.timeZone}.Location())); open.ID != "" {
		m.Reasons = append(m.Reasons, open)
	}
	return m, nil
}

// reasons explains a match in the order a person reads them: language first.
func reasons(n Need, r matchRow, staff, served []string, m *Match) []Reason {
	var out []Reason
	add := func(id string, data map[string]any) { out = append(out, Reason{ID: id, Data: data}) }
	switch {
	case r.sLanguage >= 35:
		add("match.reason.language", map[string]any{"Language": n.Languages[0]})
	case r.sLanguage >= 20:
		for _, l := range n.Languages[1:] {
			if slices.Contains(staff, l) {
				add("match.reason.language_other", map[string]any{"Language": l})
				break
			}
		}
	case r.interpreter:
		add("match.reason.interpreter", nil)
	default:
		add("match.reason.no_language", nil)
	}
	if m.FreeBeds != nil {
		if n.Children > 0 && *m.FreeFamilyRooms > 0 {
			add("match.reason.family_rooms", map[string]any{"Count": *m.FreeFamilyRooms})
		} else {
			add("match.reason.beds", map[string]any{"Count": *m.FreeBeds})
		}
	}
	if m.DistanceKm != nil {
		add("match.reason.distance", map[string]any{"Km": *m.DistanceKm})
	}
	for _, t := range n.ExploitationTypes {
		if slices.Contains(served, t) {
			add("match.reason.specialism", map[string]any{"Type": t})
			break
		}
	}
	if n.Children > 0 && r.children {
		add("match.reason.children", nil)
	}
	if n.Minor() && r.minors {
		add("match.reason.minors", nil)
	}
	if r.response.Valid {
		if minutes := int(r.response.Int64); minutes < 120 {
			add("match.reason.response_minutes", map[string]any{"Count": minutes})
		} else {
			add("match.reason.response_hours", map[string]any{"Count": (minutes + 30) / 60})
		}
	}
	if r.confidential {
		add("match.reason.confidential", nil)
	}
	return out
}

// openingReason says whether a service is open at local time t, or when it next opens.
func openingReason(s ServiceCard, t time.Time) Reason {
	if s.OpenAlways {
		return Reason{ID: "match.reason.open_always"}
	}
	if len(s.OpeningHours) == 0 {
		return Reason{}
	}
	if open, closes := OpenAt(s.OpeningHours, t); open {
		return Reason{ID: "match.reason.open_now", Data: map[string]any{"Time": closes}}
	}
	if day, at, ok := NextOpening(s.OpeningHours, t); ok {
		return Reason{ID: "match.reason.opens", Data: map[string]any{"Day": day, "Time": at}}
	}
	return Reason{}
}
