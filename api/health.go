package api

import (
	"context"
	"net/http"
	"time"

	"github.com/harbour-nrm/harbour/migrations"
	"github.com/labstack/echo/v4"
)

// healthz answers as long as the process is up.
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 only when the database is reachable and exactly at this binary's schema.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.deps.DB.SQL.PingContext(ctx); err != nil {
		return newAPIError(http.StatusServiceUnavailable, "not_ready", "error.not_ready.database", nil)
	}
	if err := migrations.Check(ctx, s.deps.DB.SQL); err != nil {
		return newAPIError(http.StatusServiceUnavailable, "not_ready", "error.not_ready.schema", nil)
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
