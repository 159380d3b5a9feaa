package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// auditEventView is one event of the audit trail as the API shows it; the hashes that chain
// the events stay inside (GET /audit/verify checks them).
type auditEventView struct {
	ID                  int64           `json:"id"`
	At                  time.Time       `json:"at"`
	ActorUserID         *uuid.UUID      `json:"actor_user_id"`
	ActorOrganisationID *uuid.UUID      `json:"actor_organisation_id"`
	ActorSystem         string          `json:"actor_system,omitempty"`
	Action              string          `json:"action"`
	RecordType          string          `json:"record_type,omitempty"`
	RecordID            string          `json:"record_id,omitempty"`
	RequestID           string          `json:"request_id,omitempty"`
	ClientAddr          string          `json:"client_addr,omitempty"`
	Detail              referral.Detail `json:"detail,omitempty"`
	ActorName           string          `json:"actor_name,omitempty"`
}

func newAuditEventView(e referral.AuditEvent) auditEventView {
	return auditEventView{ID: e.ID, At: e.At, ActorUserID: e.ActorUserID, ActorOrganisationID: e.ActorOrganisationID,
		ActorSystem: e.ActorSystem, Action: e.Action, RecordType: e.RecordType, RecordID: e.RecordID, RequestID: e.RequestID,
		ClientAddr: e.ClientAddr, Detail: e.Detail, ActorName: e.ActorName}
}

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
	return paged(c, viewAll(events, newAuditEventView), limit, "before",
		func(e auditEventView) string { return strconv.FormatInt(e.ID, 10) })
}

// verifyAudit checks the hash chain of the whole trail; AuditVerification is a result made for
// sending, not a stored row.
func (s *Server) verifyAudit(c echo.Context) error {
	v, err := s.deps.Domain.VerifyAudit(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}
