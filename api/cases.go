package api

import (
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

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

// caseView is a person's case as the API shows it.
type caseView struct {
	ID             uuid.UUID  `json:"id"`
	Reference      string     `json:"reference"`
	OrganisationID uuid.UUID  `json:"organisation_id"`
	OperationID    *uuid.UUID `json:"operation_id"`
	CreatedBy      *uuid.UUID `json:"created_by"`
	detailsView
	Indicators []string  `json:"indicators"`
	FoundAt    string    `json:"found_at"`
	FoundCity  string    `json:"found_city"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

func newCaseView(c referral.Case) caseView {
	return caseView{ID: c.ID, Reference: c.Reference, OrganisationID: c.OrganisationID, OperationID: c.OperationID,
		CreatedBy: c.CreatedBy, detailsView: newDetailsView(c.Details), Indicators: c.Indicators, FoundAt: c.FoundAt,
		FoundCity: c.FoundCity, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// detailsView is what she told about herself. It is written flat into the case and into what a
// referral shares, and as the person of an NRM record, the same fields everywhere.
type detailsView struct {
	Language          string         `json:"language"`
	OtherLanguages    []string       `json:"other_languages"`
	Gender            string         `json:"gender"`
	Age               *int           `json:"age"`
	BirthDate         *referral.Date `json:"birth_date"`
	AppearsMinor      bool           `json:"appears_minor"`
	Nationality       string         `json:"nationality"`
	NameOriginal      string         `json:"name_original"`
	NameLatin         string         `json:"name_latin"`
	InterpreterNeeded bool           `json:"interpreter_needed"`
	Needs             []string       `json:"needs"`
	Children          int            `json:"children"`
	ExploitationTypes []string       `json:"exploitation_types"`
}

func newDetailsView(d referral.Details) detailsView {
	return detailsView{Language: d.Language, OtherLanguages: d.OtherLanguages, Gender: d.Gender, Age: d.Age,
		BirthDate: d.BirthDate, AppearsMinor: d.AppearsMinor, Nationality: d.Nationality, NameOriginal: d.NameOriginal,
		NameLatin: d.NameLatin, InterpreterNeeded: d.InterpreterNeeded, Needs: d.Needs, Children: d.Children,
		ExploitationTypes: d.ExploitationTypes}
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
	return created(c, isNew, "/api/v1/cases/"+cs.ID.String(), newCaseView(cs))
}

func (s *Server) getCase(c echo.Context) error { return viewByID(c, s.deps.Domain.Case, newCaseView) }
