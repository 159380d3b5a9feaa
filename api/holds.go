package api

import (
	"time"

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

// holdView is a hold on beds as the API shows it.
type holdView struct {
	ID             uuid.UUID           `json:"id"`
	ServiceID      uuid.UUID           `json:"service_id"`
	Unit           referral.Unit       `json:"unit"`
	Places         int                 `json:"places"`
	OrganisationID uuid.UUID           `json:"organisation_id"` // who holds it
	CreatedBy      *uuid.UUID          `json:"created_by"`
	CaseID         *uuid.UUID          `json:"case_id"`
	Reference      string              `json:"reference"`
	Status         referral.HoldStatus `json:"status"`
	ExpiresAt      time.Time           `json:"expires_at"`
	EndedAt        *time.Time          `json:"ended_at"`
	CreatedAt      time.Time           `json:"created_at"`
	UpdatedAt      time.Time           `json:"updated_at"`
}

func newHoldView(h referral.Hold) holdView {
	return holdView{ID: h.ID, ServiceID: h.ServiceID, Unit: h.Unit, Places: h.Places, OrganisationID: h.OrganisationID,
		CreatedBy: h.CreatedBy, CaseID: h.CaseID, Reference: h.Reference, Status: h.Status, ExpiresAt: h.ExpiresAt,
		EndedAt: h.EndedAt, CreatedAt: h.CreatedAt, UpdatedAt: h.UpdatedAt}
}

// heldBedView is an open hold as the shelter sees it on its occupancy board, with the holder named.
type heldBedView struct {
	holdView
	HolderName string `json:"holder_name"`
}

func newHeldBedView(h referral.HeldBed) heldBedView {
	return heldBedView{holdView: newHoldView(h.Hold), HolderName: h.HolderName}
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
	return created(c, isNew, "/api/v1/holds/"+h.ID.String(), newHoldView(h))
}

func (s *Server) listHolds(c echo.Context) error {
	return itemsByID(c, s.deps.Domain.ListHolds, newHoldView)
}

func (s *Server) getHold(c echo.Context) error { return viewByID(c, s.deps.Domain.Hold, newHoldView) }

func (s *Server) releaseHold(c echo.Context) error {
	return viewByID(c, s.deps.Domain.ReleaseHold, newHoldView)
}

func (s *Server) confirmHold(c echo.Context) error {
	return viewByID(c, s.deps.Domain.ConfirmHold, newHoldView)
}
