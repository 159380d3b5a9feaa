package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// auditData is one page of the audit trail.
type auditData struct {
	Events       []auditRow
	Action       string // the filter, as typed
	Older        string // link to the next page, "" on the last
	Verification *referral.AuditVerification
	CanVerify    bool
}

// auditRow is an event with its action named in the reader's language.
type auditRow struct {
	referral.AuditEvent
	ActionLabel string // message ID
}

// auditPageSize keeps a page light on a phone.
const auditPageSize = 50

func (s *Site) auditPage(c echo.Context) error {
	return s.renderAudit(c, nil)
}

// verifyAuditPage recomputes the hash chain and shows the result above the trail.
func (s *Site) verifyAuditPage(c echo.Context) error {
	v, err := s.deps.Domain.VerifyAudit(c.Request().Context())
	if err != nil {
		return err
	}
	return s.renderAudit(c, &v)
}

func (s *Site) renderAudit(c echo.Context, v *referral.AuditVerification) error {
	f := referral.AuditFilter{Action: strings.TrimSpace(c.QueryParam("action")), Limit: auditPageSize + 1}
	f.Before, _ = strconv.ParseInt(c.QueryParam("before"), 10, 64)
	events, err := s.deps.Domain.ListAudit(c.Request().Context(), f)
	if err != nil {
		return err
	}
	more := len(events) > auditPageSize
	if more {
		events = events[:auditPageSize]
	}
	d := auditData{Action: f.Action, Verification: v, CanVerify: authorize(c, referral.ActAuditVerify, referral.Target{}) == nil}
	for _, e := range events {
		d.Events = append(d.Events, auditRow{AuditEvent: e, ActionLabel: "audit.action." + strings.ReplaceAll(e.Action, ".", "_")})
	}
	if more {
		q := url.Values{"before": {strconv.FormatInt(events[len(events)-1].ID, 10)}}
		if f.Action != "" {
			q.Set("action", f.Action)
		}
		d.Older = "/audit?" + q.Encode()
	}
	return s.render(c, http.StatusOK, "audit", s.newPage(c, "audit.title", d))
}
