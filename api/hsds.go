package api

import (
	"context"
	"net/http"

	"github.com/harbour-nrm/harbour/hsds"
	"github.com/labstack/echo/v4"
)

// The /hsds/ routes answer in HSDS 3.1 for partner directories; the mapping is package hsds's,
// so these handlers only read the request and write the answer.

// hsdsPage answers an HSDS listing with the page that ?page= and ?per_page= ask for (the
// package's defaults when absent).
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
func (s *Server) hsdsServices(c echo.Context) error {
	return hsdsPage(c, hsds.New(s.deps.Domain).Services)
}

// hsdsService answers one service, nested as in the listing.
func (s *Server) hsdsService(c echo.Context) error { return byID(c, hsds.New(s.deps.Domain).Service) }

// hsdsOrganizations lists the organisations that run services; others are not in the directory.
func (s *Server) hsdsOrganizations(c echo.Context) error {
	return hsdsPage(c, hsds.New(s.deps.Domain).Organizations)
}

// hsdsOrganization answers one organisation of the directory.
func (s *Server) hsdsOrganization(c echo.Context) error {
	return byID(c, hsds.New(s.deps.Domain).Organization)
}

// hsdsTaxonomy publishes the Harbour taxonomy the attributes refer to.
func (s *Server) hsdsTaxonomy(c echo.Context) error {
	return c.JSON(http.StatusOK, hsds.TaxonomyExport())
}
