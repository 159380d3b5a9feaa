package web

import (
	"net/http"
	"strconv"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// boardPage is the shelter staff's occupancy board: every shelter of their organisation with
// its beds, who is expected (holds) and who is there (placements).
func (s *Site) boardPage(c echo.Context) error {
	boards, err := s.deps.Domain.OccupancyBoard(c.Request().Context())
	if err != nil {
		return err
	}
	p := s.newPage(c, "board.title", boards)
	s.notice(c, p)
	return s.render(c, http.StatusOK, "board", p)
}

// boardAction runs one button of the board (confirm, check in, release, check out, walk in) and
// returns to the board; a refusal (the bed was taken meanwhile) shows the board with the reason.
func (s *Site) boardAction(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return referral.ErrNotFound
	}
	d := s.deps.Domain
	switch c.Param("action") {
	case "confirm":
		_, err = d.ConfirmHold(ctx, id)
	case "checkin":
		_, err = d.CheckIn(ctx, id, uuid.Nil)
	case "release":
		_, err = d.ReleaseHold(ctx, id)
	case "checkout":
		_, err = d.CheckOut(ctx, id)
	case "walkin":
		places, _ := strconv.Atoi(c.FormValue("places"))
		_, _, err = d.CheckInWalkIn(ctx, id, referral.PlacementInput{Reference: c.FormValue("reference"), Places: places,
			Unit: referral.Unit(c.FormValue("unit"))})
	default:
		return referral.ErrNotFound
	}
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/board?notice=saved")
	}
	boards, berr := d.OccupancyBoard(ctx)
	if berr != nil {
		return err
	}
	p := s.newPage(c, "board.title", boards)
	status := p.Form.refuse(err, s.localizer(c))
	if status == 0 {
		return err
	}
	return s.render(c, status, "board", p)
}
