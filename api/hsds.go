package api

import (
	"net/http"
	"strconv"

	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// hsdsPaging reads HSDS's ?page= and ?per_page= (defaults when absent).
func hsdsPaging(c echo.Context) (page, size int, err error) {
	var p referral.Problems
	for name, dst := range map[string]*int{"page": &page, "per_page": &size} {
		if v := c.QueryParam(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				p.Add(name, "error.field.type", nil)
			}
			*dst = n
		}
	}
	return page, size, p.Err()
}

// hsdsServices lists the directory in HSDS 3.1 form, fully nested, for partner directories.
// Confidential shelters publish their city and region only.
func (s *Server) hsdsServices(c echo.Context) error {
	page, size, err := hsdsPaging(c)
	if err != nil {
		return err
	}
	res, err := s.deps.Domain.HSDSServices(c.Request().Context(), page, size)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (s *Server) hsdsService(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	res, err := s.deps.Domain.HSDSService(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (s *Server) hsdsOrganizations(c echo.Context) error {
	page, size, err := hsdsPaging(c)
	if err != nil {
		return err
	}
	res, err := s.deps.Domain.HSDSOrganizations(c.Request().Context(), page, size)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (s *Server) hsdsOrganization(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	res, err := s.deps.Domain.HSDSOrganization(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// hsdsTaxonomy publishes the Harbour taxonomy the attributes refer to.
func (s *Server) hsdsTaxonomy(c echo.Context) error {
	return c.JSON(http.StatusOK, referral.HSDSTaxonomyExport())
}
