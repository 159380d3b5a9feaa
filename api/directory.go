package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// directorySnapshot answers the copy of the directory a phone keeps for matching offline.
func (s *Server) directorySnapshot(c echo.Context) error {
	snap, err := s.deps.Domain.DirectorySnapshot(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-cache")
	return c.JSON(http.StatusOK, snap)
}
