package api

import (
	"net/http"
	"strconv"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// listAudit pages through the audit trail, newest first: ?before=<id> continues a listing.
func (s *Server) listAudit(c echo.Context) error {
	f := referral.AuditFilter{Action: c.QueryParam("action"), RecordType: c.QueryParam("record_type"),
		RecordID: c.QueryParam("record_id")}
	var p referral.Problems
	if v := c.QueryParam("organisation_id"); v != "" {
		id, err := uuid.Parse(v)
		if err != nil {
			p.Add("organisation_id", "error.field.type", nil)
		}
		f.OrganisationID = id
	}
	if v := c.QueryParam("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			p.Add("before", "error.field.type", nil)
		}
		f.Before = n
	}
	limit := 50
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > referral.MaxAuditPage {
			p.Add("limit", "error.field.range", map[string]any{"Min": 1, "Max": referral.MaxAuditPage})
		}
		limit = n
	}
	f.Limit = limit + 1 // one more than shown tells whether another page follows
	if err := p.Err(); err != nil {
		return err
	}
	events, err := s.deps.Domain.ListAudit(c.Request().Context(), f)
	if err != nil {
		return err
	}
	if events == nil {
		events = []referral.AuditEvent{}
	}
	resp := map[string]any{"items": events}
	if len(events) > limit {
		events = events[:limit]
		q := c.QueryParams()
		q.Set("before", strconv.FormatInt(events[limit-1].ID, 10))
		resp["items"], resp["next"] = events, "/api/v1/audit?"+q.Encode()
	}
	return c.JSON(http.StatusOK, resp)
}

func (s *Server) verifyAudit(c echo.Context) error {
	v, err := s.deps.Domain.VerifyAudit(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}
