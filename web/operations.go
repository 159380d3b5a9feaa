package web

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// operationsData is the officer's list of operations and the form to start one.
type operationsData struct {
	Operations []referral.Operation
}

func (s *Site) operationsPage(c echo.Context) error {
	ops, err := s.deps.Domain.Operations(c.Request().Context())
	if err != nil {
		return err
	}
	p := s.newPage(c, "operations.title", operationsData{Operations: ops})
	p.Form.Values["id"] = newID()
	return s.render(c, http.StatusOK, "operations", p)
}

func (s *Site) createOperation(c echo.Context) error {
	ctx := c.Request().Context()
	id, _ := uuid.Parse(c.FormValue("id"))
	op, _, err := s.deps.Domain.CreateOperation(ctx, referral.OperationInput{ID: id, Name: c.FormValue("name"),
		Day: c.FormValue("day"), Area: c.FormValue("area")})
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/operations/"+op.ID.String())
	}
	ops, lerr := s.deps.Domain.Operations(ctx)
	if lerr != nil {
		return err
	}
	p := s.newPage(c, "operations.title", operationsData{Operations: ops})
	p.Form.fill(c, "id", "name", "day", "area")
	return s.refused(c, "operations", p, err)
}

func (s *Site) operationPage(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	b, err := s.deps.Domain.OperationBoard(c.Request().Context(), id)
	if err != nil {
		return err
	}
	p := s.newPage(c, "operation.title", b)
	s.notice(c, p)
	return s.render(c, http.StatusOK, "operation", p)
}
