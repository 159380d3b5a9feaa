package web

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// boardData is the shelter staff's boards, with the outcomes a check-out may record.
type boardData struct {
	Boards   []referral.Occupancy
	Outcomes []referral.PlacementOutcome
}

// boardPage is the shelter staff's occupancy board: every shelter of their organisation with
// its beds, who is expected (holds) and who is there (placements).
func (s *Site) boardPage(c echo.Context) error {
	boards, err := s.deps.Domain.OccupancyBoard(c.Request().Context())
	if err != nil {
		return err
	}
	p := s.newPage(c, "board.title", boardData{Boards: boards, Outcomes: referral.PlacementOutcomes})
	s.notice(c, p)
	return s.render(c, http.StatusOK, "board", p)
}

// boardAction runs one button of the board (confirm, check in, release, check out, walk in) and
// returns to the board; a refusal (the bed was taken meanwhile) shows the board with the reason.
func (s *Site) boardAction(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := idParam(c)
	if err != nil {
		return err
	}
	d := s.deps.Domain
	switch c.Param("action") {
	case "confirm":
		_, err = d.ConfirmHold(ctx, id)
	case "checkin":
		_, err = d.CheckIn(ctx, id, uuid.Nil)
	case "release":
		_, err = d.ReleaseHold(ctx, id)
	case "checkout": // with how she left: a second tap on a form that asks, never one tap
		_, err = d.CheckOut(ctx, id, referral.CheckOutInput{Outcome: referral.PlacementOutcome(c.FormValue("outcome")),
			Note: c.FormValue("note")})
	case "walkin":
		var typo referral.Problems
		places := formInt(&typo, "places", c.FormValue("places"))
		if err = typo.Err(); err == nil {
			_, _, err = d.CheckInWalkIn(ctx, id, referral.PlacementInput{Reference: c.FormValue("reference"), Places: deref(places),
				Unit: referral.Unit(c.FormValue("unit"))})
		}
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
	p := s.newPage(c, "board.title", boardData{Boards: boards, Outcomes: referral.PlacementOutcomes})
	p.Form.fill(c, "placement", "outcome", "note")
	return s.refused(c, "board", p, err)
}
