package referral

import (
	"context"
	"database/sql"
	_ "embed"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Need is what a person needs, as the officer records it: what kinds of help, her languages
// (preferred first, dialects as their own codes), who she is, where she is, where she must not go.
type Need struct {
	Categories        []Category
	Languages         []string
	Gender            string // female, male, other, or "" when not recorded
	Age               *int
	AppearsMinor      bool // age in doubt: treated as a child
	Children          int  // accompanying children
	ExploitationTypes []string
	Latitude          *float64
	Longitude         *float64
	City              string // used when there are no coordinates
	Country           string
	Tonight           bool     // she needs a bed tonight: shelters without one are left out
	AvoidCities       []string // e.g. where she was exploited
	Limit             int      // results per category; 5 when zero
}

// Minor reports whether she is, or may be, under 18: then she is treated as a child.
func (n Need) Minor() bool { return n.AppearsMinor || (n.Age != nil && *n.Age < 18) }

// Beds is how many beds she needs with her children.
func (n Need) Beds() int { return 1 + n.Children }

// Reason is one line explaining a match, as a message ID with data.
type Reason struct {
	ID   string         `json:"id"`
	Data map[string]any `json:"data,omitempty"`
}

// ServiceCard is what a ranked result shows of a service: enough to choose it, call it and
// hold a bed, read in the ranking statement itself. It never carries an address or
// coordinates: GET /services/{id} gives those to whoever may see them.
type ServiceCard struct {
	ID               uuid.UUID      `json:"id"`
	OrganisationID   uuid.UUID      `json:"organisation_id"`
	OrganisationName string         `json:"organisation_name"`
	Category         Category       `json:"category"`
	Name             string         `json:"name"`
	NameI18n         Texts          `json:"name_i18n"`
	Languages        []string       `json:"languages"`
	Interpreter      bool           `json:"interpreter"`
	City             string         `json:"city"`
	Region           string         `json:"region"`
	Country          string         `json:"country"`
	Confidential     bool           `json:"confidential"`
	OpenAlways       bool           `json:"open_always"`
	OpeningHours     []OpeningHours `json:"opening_hours"`
	ResponseMinutes  *int           `json:"response_minutes"`
	HoldMinutes      int            `json:"hold_minutes"`
	Phone            string         `json:"phone"`
	Email            string         `json:"email"`
}

// Match is one ranked service for a need.
type Match struct {
	Service         ServiceCard `json:"service"`
	Score           int         `json:"score"`
	DistanceKm      *float64    `json:"distance_km"`
	FreeBeds        *int        `json:"free_beds,omitempty"`
	FreeFamilyRooms *int        `json:"free_family_rooms,omitempty"`
	Reasons         []Reason    `json:"reasons"`
}

// MatchResult is the ranked help for one need, per category, best first.
type MatchResult struct {
	Results map[Category][]Match `json:"results"`
	From    *Place               `json:"from,omitempty"` // the place distances were measured from, if found by name
}

// searchRadius is how far from her each kind of help is first looked for, in metres. A bed
// tonight must be reachable tonight (about an hour's drive); legal, medical and counselling help
// she must reach again and again, so it is local; an interpreter can come or work by phone;
// return programmes are few. A category that finds fewer than asked for is looked for again
// within widestRadius, so a remote place still gets an answer.
var searchRadius = map[Category]float64{
	CategoryShelter: 100_000, CategoryLegal: 50_000, CategoryMedical: 50_000, CategoryCounselling: 50_000,
	CategoryInterpretation: 100_000, CategoryReturn: 150_000, CategoryOther: 100_000,
}

// widestRadius bounds every search.
const widestRadius = 400_000

// anywhere is a radius spanning the globe, for searches without coordinates (twice Earth's diameter).
const anywhere = 2 * 2 * 6_378_168

// avoidRadius keeps services this close to a place she must avoid out of the results.
const avoidRadius = 15_000 // metres

// MatchSQL ranks services for a need in one statement; MatchArgs gives its parameters. Hard
// rules are in WHERE; the score's parts are columns, so reasons can be shown for each; the best
// Limit per category are returned. See docs/matching.md.
//
//go:embed match.sql
var MatchSQL string

// Match finds and ranks help for a need. Distances are computed by PostgreSQL on indexed
// points; only the top results per category reach Go, with what their cards show.
func (d *Domain) Match(ctx context.Context, n Need) (MatchResult, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActMatch, Target{}); err != nil {
		return MatchResult{}, err
	}
	if err := n.normalise(); err != nil {
		return MatchResult{}, err
	}
	res := MatchResult{Results: map[Category][]Match{}}
	avoid, err := d.locate(ctx, &n, &res)
	if err != nil {
		return res, err
	}
	now := d.Now()
	radii := SearchRadii(n)
	matches, err := d.rank(ctx, n, avoid, radii, now)
	if err != nil {
		return res, err
	}
	// Too little nearby for some kinds of help: look twice as far for those, and again, up to
	// widestRadius. Each ring is sparse (the one inside it was), so each look stays cheap.
	for w := n; ; {
		if w, radii = NextSearch(w, found(matches), radii); len(w.Categories) == 0 {
			break
		}
		more, err := d.rank(ctx, w, avoid, radii, now)
		if err != nil {
			return res, err
		}
		matches = append(slices.DeleteFunc(matches, func(m *Match) bool { return slices.Contains(w.Categories, m.Service.Category) }), more...)
	}
	for _, c := range n.Categories {
		res.Results[c] = []Match{}
	}
	for _, m := range matches {
		res.Results[m.Service.Category] = append(res.Results[m.Service.Category], *m)
	}
	return res, nil
}

// UseSearchDB runs the ranking statement on db (DB.Search: connections that keep its generic
// plan) instead of the domain's own connections.
func (d *Domain) UseSearchDB(db *sql.DB) { d.search = db }

// rank runs MatchSQL and reads its rows.
func (d *Domain) rank(ctx context.Context, n Need, avoid []Place, radii []float64, now time.Time) ([]*Match, error) {
	sqlDB := d.search
	if sqlDB == nil {
		var err error
		if sqlDB, err = d.db.DB(); err != nil {
			return nil, err
		}
	}
	rows, err := sqlDB.QueryContext(ctx, MatchSQL, MatchArgs(n, avoid, radii, now)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var matches []*Match
	for rows.Next() {
		m, err := scanMatch(rows, n, now)
		if err != nil {
			return nil, err
		}
		matches = append(matches, m)
	}
	return matches, rows.Err()
}

// NextSearch is the search after one that found found[c] matches per category within radii:
// the categories that found fewer than asked for within less than widestRadius, each with twice
// its radius (at most widestRadius). No categories means the search is complete; so it is at
// once without coordinates.
func NextSearch(n Need, found map[Category]int, radii []float64) (Need, []float64) {
	w := n
	w.Categories = nil
	var next []float64
	for i, c := range n.Categories {
		if n.Latitude != nil && found[c] < n.Limit && radii[i] < widestRadius {
			w.Categories = append(w.Categories, c)
			next = append(next, min(2*radii[i], widestRadius))
		}
	}
	return w, next
}

// found counts matches per category.
func found(matches []*Match) map[Category]int {
	out := map[Category]int{}
	for _, m := range matches {
		out[m.Service.Category]++
	}
	return out
}

// SearchRadii gives each of the need's categories its first search radius in metres; without
// coordinates, a radius spanning the globe.
func SearchRadii(n Need) []float64 {
	out := make([]float64, len(n.Categories))
	for i, c := range n.Categories {
		if n.Latitude == nil {
			out[i] = anywhere
		} else {
			out[i] = searchRadius[c]
		}
	}
	return out
}

// normalise checks the need and fills defaults.
func (n *Need) normalise() error {
	var p Problems
	if len(n.Categories) == 0 {
		n.Categories = []Category{CategoryShelter, CategoryLegal, CategoryMedical, CategoryCounselling, CategoryInterpretation}
	}
	for _, c := range n.Categories {
		if !slices.Contains(Categories, c) {
			p.Add("categories", "error.service.category", nil)
		}
	}
	n.Languages = languages(&p, n.Languages)
	n.ExploitationTypes = oneOf(&p, "exploitation_types", n.ExploitationTypes, ExploitationTypes)
	if n.Gender = cleanCode(n.Gender); n.Gender != "" && !slices.Contains(Genders, n.Gender) {
		p.Add("gender", "error.service.value", map[string]any{"Value": n.Gender})
	}
	if n.Age != nil && (*n.Age < 0 || *n.Age > 120) {
		p.Add("age", "error.field.range", map[string]any{"Min": 0, "Max": 120})
	}
	if n.Children < 0 || n.Children > 12 {
		p.Add("children", "error.field.range", map[string]any{"Min": 0, "Max": 12})
	}
	checkCoordinates(&p, n.Latitude, n.Longitude)
	n.City = cleanText(&p, "city", n.City, false, 100)
	var ok bool
	if n.Country, ok = countryCode(n.Country); n.Country != "" && !ok {
		p.Add("country", "error.organisation.country", nil)
	}
	if len(n.AvoidCities) > 10 {
		p.Add("avoid_cities", "error.field.range", map[string]any{"Min": 0, "Max": 10})
	}
	for i, c := range n.AvoidCities {
		n.AvoidCities[i] = cleanText(&p, "avoid_cities", c, true, 100)
	}
	if n.Limit == 0 {
		n.Limit = 5
	}
	if n.Limit < 1 || n.Limit > 20 {
		p.Add("limit", "error.field.range", map[string]any{"Min": 1, "Max": 20})
	}
	return p.Err()
}

// locate finds coordinates for her city when none were given, and the places to avoid.
func (d *Domain) locate(ctx context.Context, n *Need, res *MatchResult) ([]Place, error) {
	if n.Latitude == nil && n.City != "" {
		p, ok, err := d.FindPlace(ctx, n.City, n.Country)
		if err != nil {
			return nil, err
		}
		if ok {
			n.Latitude, n.Longitude, res.From = &p.Latitude, &p.Longitude, &p
			if n.Country == "" {
				n.Country = p.Country
			}
		}
	}
	var avoid []Place
	for _, city := range n.AvoidCities {
		p, ok, err := d.FindPlace(ctx, city, "")
		if err != nil {
			return nil, err
		}
		if ok {
			avoid = append(avoid, p)
		}
	}
	return avoid, nil
}

// MatchArgs returns MatchSQL's parameters for a need, in order, with each category's radius.
func MatchArgs(n Need, avoid []Place, radii []float64, now time.Time) []any {
	var first string
	var others []string
	if len(n.Languages) > 0 {
		first, others = n.Languages[0], n.Languages[1:]
	}
	cats := make([]string, len(n.Categories))
	for i, c := range n.Categories {
		cats[i] = string(c)
	}
	avoidNames := make([]string, len(n.AvoidCities))
	for i, c := range n.AvoidCities {
		avoidNames[i] = strings.ToLower(c)
	}
	// Without coordinates, the country (if known) bounds the search instead of the radius.
	lat, lon, located, country := 0.0, 0.0, n.Latitude != nil, ""
	if located {
		lat, lon = *n.Latitude, *n.Longitude
	} else {
		country = n.Country
	}
	return []any{
		lat, lon, located, cats, radii, // $1–$5
		bits(Genders, []string{n.Gender}), n.Minor(), n.Age, n.Children, // $6–$9
		bits(ExploitationTypes, n.ExploitationTypes), avoidNames, // $10–$11
		column(avoid, func(p Place) float64 { return p.Latitude }), column(avoid, func(p Place) float64 { return p.Longitude }), // $12–$13
		avoidRadius, first, nonNil(others), n.Beds(), n.Tonight, now, n.Limit, country, // $14–$21
	}
}

// bits sets one bit per value, by its place in the vocabulary: the services table's generated
// gender_bits and exploitation_bits columns use the same order.
func bits(vocabulary, values []string) int {
	b := 0
	for _, v := range values {
		if i := slices.Index(vocabulary, v); i >= 0 {
			b |= 1 << i
		}
	}
	return b
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
