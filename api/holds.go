package api

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// holdRequest asks to hold beds for a person.
type holdRequest struct {
	ID        *uuid.UUID    `json:"id"`
	Unit      referral.Unit `json:"unit"`
	Places    int           `json:"places"`
	CaseID    *uuid.UUID    `json:"case_id"`
	Reference string        `json:"reference"`
	Minutes   int           `json:"minutes"`
}

func (s *Server) createHold(c echo.Context) error {
	serviceID, err := pathID(c)
	if err != nil {
		return err
	}
	var req holdRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	h, isNew, err := s.deps.Domain.CreateHold(c.Request().Context(), serviceID, referral.HoldInput{ID: orZero(req.ID),
		Unit: req.Unit, Places: req.Places, CaseID: req.CaseID, Reference: req.Reference, Minutes: req.Minutes})
	if err != nil {
		return err
	}
	return created(c, isNew, "/api/v1/holds/"+h.ID.String(), h)
}

func (s *Server) listHolds(c echo.Context) error { return itemsByID(c, s.deps.Domain.ListHolds) }

func (s *Server) getHold(c echo.Context) error     { return byID(c, s.deps.Domain.Hold) }
func (s *Server) releaseHold(c echo.Context) error { return byID(c, s.deps.Domain.ReleaseHold) }
func (s *Server) confirmHold(c echo.Context) error { return byID(c, s.deps.Domain.ConfirmHold) }

// placementRequest checks a person in: from a hold, or as a walk-in.
type placementRequest struct {
	ID        *uuid.UUID    `json:"id"`
	Unit      referral.Unit `json:"unit"`
	Places    int           `json:"places"`
	CaseID    *uuid.UUID    `json:"case_id"`
	Reference string        `json:"reference"`
}

// checkInRequest may name the placement's client-chosen ID; everything else comes from the hold.
type checkInRequest struct {
	ID *uuid.UUID `json:"id"`
}

// checkIn takes the body, which may be left out, only when one is sent.
func (s *Server) checkIn(c echo.Context) error {
	holdID, err := pathID(c)
	if err != nil {
		return err
	}
	var req checkInRequest
	if c.Request().ContentLength != 0 {
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
	}
	pl, err := s.deps.Domain.CheckIn(c.Request().Context(), holdID, orZero(req.ID))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pl)
}

func (s *Server) checkInWalkIn(c echo.Context) error {
	serviceID, err := pathID(c)
	if err != nil {
		return err
	}
	var req placementRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	pl, isNew, err := s.deps.Domain.CheckInWalkIn(c.Request().Context(), serviceID, referral.PlacementInput{
		ID: orZero(req.ID), Unit: req.Unit, Places: req.Places, CaseID: req.CaseID, Reference: req.Reference})
	if err != nil {
		return err
	}
	return created(c, isNew, "/api/v1/placements/"+pl.ID.String(), pl)
}

func (s *Server) getPlacement(c echo.Context) error { return byID(c, s.deps.Domain.Placement) }
func (s *Server) occupancy(c echo.Context) error    { return byID(c, s.deps.Domain.Occupancy) }

// checkOutRequest says how she left: the outcome, and a note for "other".
type checkOutRequest struct {
	Outcome referral.PlacementOutcome `json:"outcome"`
	Note    string                    `json:"note"`
}

// checkOut records that she left, with the outcome (the referral that brought her is completed
// with it). An empty body is refused with the outcome field named.
func (s *Server) checkOut(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req checkOutRequest
	if c.Request().ContentLength != 0 {
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
	}
	pl, err := s.deps.Domain.CheckOut(c.Request().Context(), id, referral.CheckOutInput{Outcome: req.Outcome, Note: req.Note})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pl)
}
