package api

import (
	"time"

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
	return created(c, isNew, "/api/v1/nrm/"+rec.ID.String(), newNRMRecordView(rec))
}

// nrmView is a record as the reader may see it: where it stands and its next date for every
// party; her details and the decisions for the full readers only.
type nrmView struct {
	Record    nrmRecordView     `json:"record"`
	Reference string            `json:"reference"`
	Full      bool              `json:"full"`
	Next      *referral.NRMNext `json:"next"`
	Events    []nrmEventView    `json:"events,omitempty"`
	Steps     []string          `json:"steps"`
	Parties   []nrm.Who         `json:"parties"`
}

// newNRMView names the steps the reader may take now, and always lists steps and parties, if
// only as empty lists.
func newNRMView(v referral.NRMView) nrmView {
	out := nrmView{Record: newNRMRecordView(v.Record), Reference: v.Reference, Full: v.Full, Next: v.Next,
		Events: viewAll(v.Events, newNRMEventView), Steps: []string{}, Parties: v.Who}
	if out.Parties == nil {
		out.Parties = []nrm.Who{}
	}
	for _, t := range v.Steps {
		out.Steps = append(out.Steps, t.Name)
	}
	return out
}

func (s *Server) getNRM(c echo.Context) error { return viewByID(c, s.deps.Domain.NRMFile, newNRMView) }

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
	return created(c, isNew, "/api/v1/nrm/"+id.String(), newNRMEventView(ev))
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

// nrmRecordView is her NRM referral and where it stands. Her details and what the first
// responder wrote are left out for readers who see only where it stands; what is kept for
// statistics and reminders is never shown.
type nrmRecordView struct {
	ID                   uuid.UUID      `json:"id"`
	CaseID               uuid.UUID      `json:"case_id"`
	Kind                 string         `json:"kind"`
	Jurisdiction         string         `json:"jurisdiction"`
	OrganisationID       uuid.UUID      `json:"organisation_id"` // the first responder that submitted
	SubmittedBy          *uuid.UUID     `json:"submitted_by"`
	SubmittedAt          time.Time      `json:"submitted_at"`
	SubmittedOn          referral.Date  `json:"submitted_on"`
	State                string         `json:"state"`
	Awaiting             string         `json:"awaiting"`   // the decision owed, "" for none
	NextTimer            string         `json:"next_timer"` // the date that matters next: which timer …
	NextOn               *referral.Date `json:"next_on"`    // … and its day in the jurisdiction
	Overdue              bool           `json:"overdue"`
	AgeGroup             string         `json:"age_group"`
	ExploitationLocation string         `json:"exploitation_location"`
	Person               *detailsView   `json:"person,omitempty"`
	Account              string         `json:"account,omitempty"`
	ExploitationPlace    string         `json:"exploitation_place,omitempty"`
	CrimeReference       string         `json:"crime_reference,omitempty"`
	LocalAuthority       string         `json:"local_authority,omitempty"`
	SafeContact          string         `json:"safe_contact,omitempty"`
	PoliceContact        bool           `json:"police_contact"`
	ContactPhone         string         `json:"contact_phone,omitempty"`
	UpdatedAt            time.Time      `json:"updated_at"`
}

func newNRMRecordView(r referral.NRMRecord) nrmRecordView {
	v := nrmRecordView{ID: r.ID, CaseID: r.CaseID, Kind: r.Kind, Jurisdiction: r.Jurisdiction, OrganisationID: r.OrganisationID,
		SubmittedBy: r.SubmittedBy, SubmittedAt: r.SubmittedAt, SubmittedOn: r.SubmittedOn, State: r.State, Awaiting: r.Awaiting,
		NextTimer: r.NextTimer, NextOn: r.NextOn, Overdue: r.Overdue, AgeGroup: r.AgeGroup,
		ExploitationLocation: r.ExploitationLocation, Account: r.Account, ExploitationPlace: r.ExploitationPlace,
		CrimeReference: r.CrimeReference, LocalAuthority: r.LocalAuthority, SafeContact: r.SafeContact,
		PoliceContact: r.PoliceContact, ContactPhone: r.ContactPhone, UpdatedAt: r.UpdatedAt}
	if r.Person != nil {
		p := newDetailsView(*r.Person)
		v.Person = &p
	}
	return v
}

// nrmEventView is one step of a record: a submission, a decision with its outcome and reasons,
// a request for reconsideration.
type nrmEventView struct {
	ID             uuid.UUID     `json:"id"`
	RecordID       uuid.UUID     `json:"record_id"`
	Step           string        `json:"step"`
	FromState      string        `json:"from_state"`
	ToState        string        `json:"to_state"`
	Decision       string        `json:"decision"`
	Outcome        string        `json:"outcome"`
	Reasons        string        `json:"reasons,omitempty"`
	DecidedOn      referral.Date `json:"decided_on"`
	ActorUserID    *uuid.UUID    `json:"actor_user_id"`
	OrganisationID *uuid.UUID    `json:"organisation_id"`
	At             time.Time     `json:"at"`
}

func newNRMEventView(e referral.NRMEvent) nrmEventView {
	return nrmEventView{ID: e.ID, RecordID: e.RecordID, Step: e.Transition, FromState: e.FromState, ToState: e.ToState,
		Decision: e.Decision, Outcome: e.Outcome, Reasons: e.Reasons, DecidedOn: e.DecidedOn, ActorUserID: e.ActorUserID,
		OrganisationID: e.OrganisationID, At: e.At}
}
