package api

import (
	"net/http"
	"strconv"

	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// listAudit pages through the audit trail, newest first: ?before=<id> continues a listing.
func (s *Server) listAudit(c echo.Context) error {
	q := queryParams{c: c}
	f := referral.AuditFilter{Action: c.QueryParam("action"), RecordType: c.QueryParam("record_type"),
		RecordID: c.QueryParam("record_id"), OrganisationID: q.uuid("organisation_id"), Before: int64(q.positive("before"))}
	limit := q.limit(50, referral.MaxAuditPage)
	if err := q.err(); err != nil {
		return err
	}
	f.Limit = limit + 1 // one more than shown tells whether another page follows
	events, err := s.deps.Domain.ListAudit(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return paged(c, events, limit, "before", func(e referral.AuditEvent) string { return strconv.FormatInt(e.ID, 10) })
}

func (s *Server) verifyAudit(c echo.Context) error {
	v, err := s.deps.Domain.VerifyAudit(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}
