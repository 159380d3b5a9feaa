package api

import (
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// consentRequest records one of her answers; the device chooses the id.
type consentRequest struct {
	ID            *uuid.UUID            `json:"id"`
	Scope         referral.ConsentScope `json:"scope"`
	Given         *bool                 `json:"given"`
	Organisations []uuid.UUID           `json:"organisations"`
	Language      string                `json:"language"`
	TextVersion   string                `json:"text_version"`
}

// consentView is one of her answers as the API shows it.
type consentView struct {
	ID             uuid.UUID             `json:"id"`
	CaseID         uuid.UUID             `json:"case_id"`
	Scope          referral.ConsentScope `json:"scope"`
	Given          bool                  `json:"given"`
	Organisations  []uuid.UUID           `json:"organisations"`
	Language       string                `json:"language"`
	TextVersion    string                `json:"text_version"`
	OrganisationID uuid.UUID             `json:"organisation_id"`
	RecordedBy     *uuid.UUID            `json:"recorded_by"`
	RecordedAt     time.Time             `json:"recorded_at"`
}

func newConsentView(k referral.Consent) consentView {
	return consentView{ID: k.ID, CaseID: k.CaseID, Scope: k.Scope, Given: k.Given, Organisations: k.Organisations,
		Language: k.Language, TextVersion: k.TextVersion, OrganisationID: k.OrganisationID, RecordedBy: k.RecordedBy,
		RecordedAt: k.RecordedAt}
}

func (s *Server) recordConsent(c echo.Context) error {
	caseID, err := pathID(c)
	if err != nil {
		return err
	}
	var req consentRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	k, isNew, err := s.deps.Domain.RecordConsent(c.Request().Context(), caseID, referral.ConsentInput{ID: orZero(req.ID),
		Scope: req.Scope, Given: req.Given, Organisations: req.Organisations, Language: req.Language, TextVersion: req.TextVersion})
	if err != nil {
		return err
	}
	return created(c, isNew, "/api/v1/cases/"+caseID.String()+"/consents", newConsentView(k))
}

func (s *Server) listConsents(c echo.Context) error {
	return itemsByID(c, s.deps.Domain.Consents, newConsentView)
}
