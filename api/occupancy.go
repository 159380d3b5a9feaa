package api

import (
	"time"

	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// occupancyView is a shelter's board: its beds by unit, who holds beds and who is staying.
type occupancyView struct {
	Service    serviceView              `json:"service"`
	Units      []referral.UnitOccupancy `json:"units"`
	Holds      []heldBedView            `json:"holds"`
	Placements []placementView          `json:"placements"`
	At         time.Time                `json:"at"`
	// NRM is where the NRM records of the people present stand, by case ID: the shelter
	// supports them, so it sees the state and the next date, never the reasons.
	NRM map[string]*referral.NRMBrief `json:"nrm"`
}

func newOccupancyView(o referral.Occupancy) occupancyView {
	return occupancyView{Service: newServiceView(o.Service), Units: o.Units, Holds: viewAll(o.Holds, newHeldBedView),
		Placements: viewAll(o.Placements, newPlacementView), At: o.At, NRM: o.NRM}
}

func (s *Server) occupancy(c echo.Context) error {
	return viewByID(c, s.deps.Domain.Occupancy, newOccupancyView)
}
