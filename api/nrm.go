package api

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/referral/nrm"
)

// nrmRequest submits her NRM referral (step "submit" in the UK) or an anonymous Duty to Notify
// report ("duty_to_notify"); the client chooses the id.
type nrmRequest struct {
	ID                   *uuid.UUID `json:"id"`
	CaseID               uuid.UUID  `json:"case_id"`
	Step                 string     `json:"step"`
	ExploitationLocation string     `json:"exploitation_location"`
	ExploitationPlace    string     `json:"exploitation_place"`
	Account              string     `json:"account"`
	CrimeReference       string     `json:"crime_reference"`
	LocalAuthority       string     `json:"local_authority"`
	SafeContact          string     `json:"safe_contact"`
	PoliceContact        bool       `json:"police_contact"`
	ContactPhone         string     `json:"contact_phone"`
}

func (s *Server) submitNRM(c echo.Context) error {
	var req nrmRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	rec, isNew, err := s.deps.Domain.SubmitNRM(c.Request().Context(), referral.NRMInput{ID: orZero(req.ID), CaseID: req.CaseID,
		Step: req.Step, ExploitationLocation: req.ExploitationLocation, ExploitationPlace: req.ExploitationPlace, Account: req.Account,
		CrimeReference: req.CrimeReference, LocalAuthority: req.LocalAuthority, SafeContact: req.SafeContact,
		PoliceContact: req.PoliceContact, ContactPhone: req.ContactPhone})
	if err != nil {
		return err
	}
	return created(c, isNew, "/api/v1/nrm/"+rec.ID.String(), rec)
}

// nrmView is a record as the reader may see it: where it stands and its next date for every
// party; her details and the decisions for the full readers only.
type nrmView struct {
	Record    referral.NRMRecord  `json:"record"`
	Reference string              `json:"reference"`
	Full      bool                `json:"full"`
	Next      *referral.NRMNext   `json:"next"`
	Events    []referral.NRMEvent `json:"events,omitempty"`
	Steps     []string            `json:"steps"`
	Parties   []nrm.Who           `json:"parties"`
}

func (s *Server) getNRM(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.deps.Domain.NRMFile(c.Request().Context(), id)
	if err != nil {
		return err
	}
	out := nrmView{Record: v.Record, Reference: v.Reference, Full: v.Full, Next: v.Next, Events: v.Events, Steps: []string{}, Parties: v.Who}
	if out.Parties == nil {
		out.Parties = []nrm.Who{}
	}
	for _, t := range v.Steps {
		out.Steps = append(out.Steps, t.Name)
	}
	return c.JSON(http.StatusOK, out)
}

// nrmStepRequest takes a step on a record; the client chooses the id.
type nrmStepRequest struct {
	ID      *uuid.UUID `json:"id"`
	Step    string     `json:"step"`
	On      string     `json:"on"`
	Reasons string     `json:"reasons"`
}

func (s *Server) nrmStep(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req nrmStepRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ev, isNew, err := s.deps.Domain.TakeNRMStep(c.Request().Context(), id, referral.NRMStepInput{ID: orZero(req.ID), Step: req.Step,
		On: req.On, Reasons: req.Reasons})
	if err != nil {
		return err
	}
	return created(c, isNew, "/api/v1/nrm/"+id.String(), ev)
}

// nrmQueue is the competent authority's queue, overdue first.
func (s *Server) nrmQueue(c echo.Context) error {
	list, _, err := s.deps.Domain.NRMQueue(c.Request().Context(), referral.NRMQueueFilter{Awaiting: c.QueryParam("awaiting"),
		All: c.QueryParam("all") == "true"})
	if err != nil {
		return err
	}
	return items(c, list)
}
