package api

import (
	"net/http"

	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// getStats answers the published NRM statistics: ?jurisdiction= (a code, or "all" for
// admins), ?from= and ?to= (quarters such as 2026Q3). Counts from 1 to 4, and what would give
// one away, come without their value.
func (s *Server) getStats(c echo.Context) error {
	st, err := s.deps.Domain.Stats(c.Request().Context(), referral.StatsQuery{
		Jurisdiction: c.QueryParam("jurisdiction"), From: c.QueryParam("from"), To: c.QueryParam("to")})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}
