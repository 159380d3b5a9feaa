package api

import (
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// operationRequest starts an action day; the device chooses the id.
type operationRequest struct {
	ID   *uuid.UUID `json:"id"`
	Name string     `json:"name"`
	Day  string     `json:"day"`
	Area string     `json:"area"`
}

// operationView is an action day as the API shows it.
type operationView struct {
	ID             uuid.UUID     `json:"id"`
	OrganisationID uuid.UUID     `json:"organisation_id"`
	Name           string        `json:"name"`
	Day            referral.Date `json:"day"` // in the organisation's time zone
	Area           string        `json:"area"`
	CreatedBy      *uuid.UUID    `json:"created_by"`
	CreatedAt      time.Time     `json:"created_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
}

func newOperationView(o referral.Operation) operationView {
	return operationView{ID: o.ID, OrganisationID: o.OrganisationID, Name: o.Name, Day: o.Day, Area: o.Area,
		CreatedBy: o.CreatedBy, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
}

// boardView is an action day with everyone found in it. The entries are the domain's own: a
// read model made for this board, never a stored row.
type boardView struct {
	Operation operationView         `json:"operation"`
	Cases     []referral.BoardEntry `json:"cases"`
}

func newBoardView(b referral.Board) boardView {
	return boardView{Operation: newOperationView(b.Operation), Cases: b.Cases}
}

func (s *Server) createOperation(c echo.Context) error {
	var req operationRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	op, isNew, err := s.deps.Domain.CreateOperation(c.Request().Context(), referral.OperationInput{ID: orZero(req.ID),
		Name: req.Name, Day: req.Day, Area: req.Area})
	if err != nil {
		return err
	}
	return created(c, isNew, "/api/v1/operations/"+op.ID.String(), newOperationView(op))
}

func (s *Server) listOperations(c echo.Context) error {
	ops, err := s.deps.Domain.Operations(c.Request().Context())
	if err != nil {
		return err
	}
	return items(c, viewAll(ops, newOperationView))
}

func (s *Server) getOperation(c echo.Context) error {
	return viewByID(c, s.deps.Domain.OperationBoard, newBoardView)
}
