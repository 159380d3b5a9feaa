package api

import (
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// placementRequest checks a person in as a walk-in, with no hold before.
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

// checkOutRequest says how she left: the outcome, and a note for "other".
type checkOutRequest struct {
	Outcome referral.PlacementOutcome `json:"outcome"`
	Note    string                    `json:"note"`
}

// placementView is a stay in a shelter as the API shows it.
type placementView struct {
	ID             uuid.UUID                 `json:"id"`
	ServiceID      uuid.UUID                 `json:"service_id"`
	Unit           referral.Unit             `json:"unit"`
	Places         int                       `json:"places"`
	HoldID         *uuid.UUID                `json:"hold_id"`
	OrganisationID *uuid.UUID                `json:"organisation_id"` // who referred her, when known
	CaseID         *uuid.UUID                `json:"case_id"`
	Reference      string                    `json:"reference"`
	Status         referral.PlacementStatus  `json:"status"`
	CheckedInAt    time.Time                 `json:"checked_in_at"`
	CheckedInBy    *uuid.UUID                `json:"checked_in_by"`
	CheckedOutAt   *time.Time                `json:"checked_out_at"`
	CheckedOutBy   *uuid.UUID                `json:"checked_out_by"`
	Outcome        referral.PlacementOutcome `json:"outcome"`      // "" while she stays
	OutcomeNote    string                    `json:"outcome_note"` // what "other" means
	CreatedAt      time.Time                 `json:"created_at"`
	UpdatedAt      time.Time                 `json:"updated_at"`
}

func newPlacementView(p referral.Placement) placementView {
	return placementView{ID: p.ID, ServiceID: p.ServiceID, Unit: p.Unit, Places: p.Places, HoldID: p.HoldID,
		OrganisationID: p.OrganisationID, CaseID: p.CaseID, Reference: p.Reference, Status: p.Status,
		CheckedInAt: p.CheckedInAt, CheckedInBy: p.CheckedInBy, CheckedOutAt: p.CheckedOutAt, CheckedOutBy: p.CheckedOutBy,
		Outcome: p.Outcome, OutcomeNote: p.OutcomeNote, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

// checkIn turns a hold into a placement (POST /holds/{id}/checkin). The body, which may be
// left out, is read only when one is sent.
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
	return c.JSON(http.StatusOK, newPlacementView(pl))
}

// checkInWalkIn places someone who arrived without a hold (POST /services/{id}/placements).
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
	return created(c, isNew, "/api/v1/placements/"+pl.ID.String(), newPlacementView(pl))
}

func (s *Server) getPlacement(c echo.Context) error {
	return viewByID(c, s.deps.Domain.Placement, newPlacementView)
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
	return c.JSON(http.StatusOK, newPlacementView(pl))
}
