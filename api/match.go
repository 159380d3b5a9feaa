package api

import (
	"net/http"

	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// matchRequest describes the person's needs.
type matchRequest struct {
	Categories        []referral.Category `json:"categories"`
	Languages         []string            `json:"languages"`
	Gender            string              `json:"gender"`
	Age               *int                `json:"age"`
	AppearsMinor      bool                `json:"appears_minor"`
	Children          int                 `json:"children"`
	ExploitationTypes []string            `json:"exploitation_types"`
	Location          struct {
		Latitude  *float64 `json:"latitude"`
		Longitude *float64 `json:"longitude"`
		City      string   `json:"city"`
		Country   string   `json:"country"`
	} `json:"location"`
	Tonight     bool     `json:"tonight"`
	AvoidCities []string `json:"avoid_cities"`
	Limit       int      `json:"limit"`
}

// reasonView is a reason with its text in the caller's language.
type reasonView struct {
	referral.Reason
	Text string `json:"text"`
}

// matchView is one ranked service.
type matchView struct {
	Service         referral.ServiceCard `json:"service"`
	Name            string               `json:"name"` // in the caller's language when translated
	Score           int                  `json:"score"`
	DistanceKm      *float64             `json:"distance_km"`
	FreeBeds        *int                 `json:"free_beds,omitempty"`
	FreeFamilyRooms *int                 `json:"free_family_rooms,omitempty"`
	Reasons         []reasonView         `json:"reasons"`
}

// matchResponse is the ranked services by category, and where distances were measured from
// when the request named a place rather than coordinates (null otherwise).
type matchResponse struct {
	From    *placeView                        `json:"from"`
	Results map[referral.Category][]matchView `json:"results"`
}

// placeView is a city or town of the place list, found by the name a request gave.
type placeView struct {
	Name      string  `json:"name"`
	Country   string  `json:"country"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

func newPlaceView(p referral.Place) placeView {
	return placeView{Name: p.Name, Country: p.Country, Latitude: p.Latitude, Longitude: p.Longitude}
}

// match ranks the services that fit her needs, by category, each with the reasons in the
// caller's language.
func (s *Server) match(c echo.Context) error {
	var req matchRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	res, err := s.deps.Domain.Match(c.Request().Context(), referral.Need{
		Categories: req.Categories, Languages: req.Languages, Gender: req.Gender, Age: req.Age,
		AppearsMinor: req.AppearsMinor, Children: req.Children, ExploitationTypes: req.ExploitationTypes,
		Latitude: req.Location.Latitude, Longitude: req.Location.Longitude, City: req.Location.City,
		Country: req.Location.Country, Tonight: req.Tonight, AvoidCities: req.AvoidCities, Limit: req.Limit,
	})
	if err != nil {
		return err
	}
	l := s.Localizer(c)
	out := make(map[referral.Category][]matchView, len(res.Results))
	for cat, matches := range res.Results {
		views := make([]matchView, len(matches))
		for i, m := range matches {
			views[i] = newMatchView(m, l)
		}
		out[cat] = views
	}
	resp := matchResponse{Results: out}
	if res.From != nil {
		from := newPlaceView(*res.From)
		resp.From = &from
	}
	return c.JSON(http.StatusOK, resp)
}

func newMatchView(m referral.Match, l *i18n.Localizer) matchView {
	v := matchView{Service: m.Service, Name: m.Service.NameI18n.In(l.Code, m.Service.Name), Score: m.Score,
		DistanceKm: m.DistanceKm, FreeBeds: m.FreeBeds, FreeFamilyRooms: m.FreeFamilyRooms,
		Reasons: make([]reasonView, len(m.Reasons))}
	for i, r := range m.Reasons {
		v.Reasons[i] = reasonView{Reason: r, Text: l.Message(r.ID, r.Data)}
	}
	return v
}
