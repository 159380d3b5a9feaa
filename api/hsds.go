package api

import (
	"context"
	"net/http"

	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// hsdsPage answers an HSDS listing with the page that ?page= and ?per_page= ask for (the
// domain's defaults when absent).
func hsdsPage[T any](c echo.Context, list func(ctx context.Context, page, size int) (T, error)) error {
	q := queryParams{c: c}
	page, size := q.positive("page"), q.positive("per_page")
	if err := q.err(); err != nil {
		return err
	}
	res, err := list(c.Request().Context(), page, size)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// hsdsServices lists the directory in HSDS 3.1 form, fully nested, for partner directories.
// Confidential shelters publish their city and region only.
func (s *Server) hsdsServices(c echo.Context) error { return hsdsPage(c, s.deps.Domain.HSDSServices) }

func (s *Server) hsdsService(c echo.Context) error { return byID(c, s.deps.Domain.HSDSService) }

func (s *Server) hsdsOrganizations(c echo.Context) error {
	return hsdsPage(c, s.deps.Domain.HSDSOrganizations)
}

func (s *Server) hsdsOrganization(c echo.Context) error {
	return byID(c, s.deps.Domain.HSDSOrganization)
}

// hsdsTaxonomy publishes the Harbour taxonomy the attributes refer to.
func (s *Server) hsdsTaxonomy(c echo.Context) error {
	return c.JSON(http.StatusOK, referral.HSDSTaxonomyExport())
}
