package api

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// operationRequest starts an action day; the device chooses the id.
type operationRequest struct {
	ID   *uuid.UUID `json:"id"`
	Name string     `json:"name"`
	Day  string     `json:"day"`
	Area string     `json:"area"`
}

func (s *Server) createOperation(c echo.Context) error {
	var req operationRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	op, isNew, err := s.deps.Domain.CreateOperation(c.Request().Context(), referral.OperationInput{ID: orZero(req.ID),
		Name: req.Name, Day: req.Day, Area: req.Area})
	if err != nil {
		return err
	}
	return created(c, isNew, "/api/v1/operations/"+op.ID.String(), op)
}

func (s *Server) listOperations(c echo.Context) error {
	ops, err := s.deps.Domain.Operations(c.Request().Context())
	if err != nil {
		return err
	}
	return items(c, ops)
}

func (s *Server) getOperation(c echo.Context) error { return byID(c, s.deps.Domain.OperationBoard) }

// caseRequest records a person; the device chooses the id, so an upload can be retried.
type caseRequest struct {
	ID                *uuid.UUID `json:"id"`
	OperationID       *uuid.UUID `json:"operation_id"`
	Language          string     `json:"language"`
	OtherLanguages    []string   `json:"other_languages"`
	Gender            string     `json:"gender"`
	Age               *int       `json:"age"`
	BirthDate         string     `json:"birth_date"`
	AppearsMinor      bool       `json:"appears_minor"`
	Nationality       string     `json:"nationality"`
	NameOriginal      string     `json:"name_original"`
	NameLatin         string     `json:"name_latin"`
	InterpreterNeeded bool       `json:"interpreter_needed"`
	Needs             []string   `json:"needs"`
	Children          int        `json:"children"`
	ExploitationTypes []string   `json:"exploitation_types"`
	Indicators        []string   `json:"indicators"`
	FoundAt           string     `json:"found_at"`
	FoundCity         string     `json:"found_city"`
}

func (s *Server) createCase(c echo.Context) error {
	var req caseRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	cs, isNew, err := s.deps.Domain.CreateCase(c.Request().Context(), referral.CaseInput{ID: orZero(req.ID),
		OperationID: req.OperationID, Language: req.Language, OtherLanguages: req.OtherLanguages, Gender: req.Gender,
		Age: req.Age, BirthDate: req.BirthDate, AppearsMinor: req.AppearsMinor, Nationality: req.Nationality,
		NameOriginal: req.NameOriginal, NameLatin: req.NameLatin, InterpreterNeeded: req.InterpreterNeeded,
		Needs: req.Needs, Children: req.Children, ExploitationTypes: req.ExploitationTypes, Indicators: req.Indicators,
		FoundAt: req.FoundAt, FoundCity: req.FoundCity})
	if err != nil {
		return err
	}
	return created(c, isNew, "/api/v1/cases/"+cs.ID.String(), cs)
}

func (s *Server) getCase(c echo.Context) error { return byID(c, s.deps.Domain.Case) }

// consentRequest records one of her answers; the device chooses the id.
type consentRequest struct {
	ID            *uuid.UUID            `json:"id"`
	Scope         referral.ConsentScope `json:"scope"`
	Given         *bool                 `json:"given"`
	Organisations []uuid.UUID           `json:"organisations"`
	Language      string                `json:"language"`
	TextVersion   string                `json:"text_version"`
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
	return created(c, isNew, "/api/v1/cases/"+caseID.String()+"/consents", k)
}

func (s *Server) listConsents(c echo.Context) error { return itemsByID(c, s.deps.Domain.Consents) }

// referralRequest sends a referral; the device chooses the id.
type referralRequest struct {
	ID        *uuid.UUID `json:"id"`
	CaseID    uuid.UUID  `json:"case_id"`
	ServiceID uuid.UUID  `json:"service_id"`
	HoldID    *uuid.UUID `json:"hold_id"`
	Urgent    bool       `json:"urgent"`
	Note      string     `json:"note"`
}

func (s *Server) sendReferral(c echo.Context) error {
	var req referralRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	r, isNew, err := s.deps.Domain.SendReferral(c.Request().Context(), referral.ReferralInput{ID: orZero(req.ID),
		CaseID: req.CaseID, ServiceID: req.ServiceID, HoldID: req.HoldID, Urgent: req.Urgent, Note: req.Note})
	if err != nil {
		return err
	}
	return created(c, isNew, "/api/v1/cases/"+r.CaseID.String()+"/referrals", r)
}

func (s *Server) listCaseReferrals(c echo.Context) error {
	return itemsByID(c, s.deps.Domain.CaseReferrals)
}

// stepRequest is what a step of a referral says; the device may choose its id.
type stepRequest struct {
	ID         *uuid.UUID `json:"id"`
	ReasonCode string     `json:"reason_code"`
	Note       string     `json:"note"`
}

// referralStep takes one step of a referral's lifecycle (POST /referrals/{id}/{action}); the body
// may be left out for steps that need no words.
func (s *Server) referralStep(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req stepRequest
	if c.Request().ContentLength != 0 {
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
	}
	r, err := s.deps.Domain.Transition(c.Request().Context(), id, referral.ReferralAction(c.Param("action")),
		referral.StepInput{ID: orZero(req.ID), ReasonCode: req.ReasonCode, Note: req.Note})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *Server) getReferral(c echo.Context) error { return byID(c, s.deps.Domain.Referral) }

func (s *Server) referralEvents(c echo.Context) error {
	return itemsByID(c, s.deps.Domain.ReferralEvents)
}

func (s *Server) listReferrals(c echo.Context) error {
	f := referral.ReferralFilter{Box: c.QueryParam("box"), Status: referral.ReferralStatus(c.QueryParam("status"))}
	for name, dst := range map[string]*uuid.UUID{"service_id": &f.ServiceID, "operation_id": &f.OperationID, "case_id": &f.CaseID} {
		if v := c.QueryParam(name); v != "" {
			id, err := uuid.Parse(v)
			if err != nil {
				var p referral.Problems
				p.Add(name, "error.field.type", nil)
				return p.Err()
			}
			*dst = id
		}
	}
	list, err := s.deps.Domain.Referrals(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return items(c, list)
}

func (s *Server) referralPerson(c echo.Context) error { return byID(c, s.deps.Domain.ReferralPerson) }
