package api

import (
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

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
	return created(c, isNew, "/api/v1/cases/"+r.CaseID.String()+"/referrals", newReferralView(r))
}

func (s *Server) listCaseReferrals(c echo.Context) error {
	return itemsByID(c, s.deps.Domain.CaseReferrals, newReferralView)
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
	return c.JSON(http.StatusOK, newReferralView(r))
}

func (s *Server) getReferral(c echo.Context) error {
	return viewByID(c, s.deps.Domain.Referral, newReferralView)
}

// referralEvents is a referral's timeline, oldest step first.
func (s *Server) referralEvents(c echo.Context) error {
	return itemsByID(c, s.deps.Domain.ReferralEvents, newReferralEventView)
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
	return items(c, viewAll(list, newReferralItemView))
}

// referralPerson is what the receiving organisation may see of her: only what she agreed to share.
func (s *Server) referralPerson(c echo.Context) error {
	return viewByID(c, s.deps.Domain.ReferralPerson, newSharedPersonView)
}

// referralView is a referral as the API shows it.
type referralView struct {
	ID                 uuid.UUID               `json:"id"`
	CaseID             uuid.UUID               `json:"case_id"`
	ServiceID          uuid.UUID               `json:"service_id"`
	FromOrganisationID uuid.UUID               `json:"from_organisation_id"`
	ToOrganisationID   uuid.UUID               `json:"to_organisation_id"`
	HoldID             *uuid.UUID              `json:"hold_id"`
	CreatedBy          *uuid.UUID              `json:"created_by"`
	Status             referral.ReferralStatus `json:"status"`
	Urgent             bool                    `json:"urgent"`
	Note               string                  `json:"note"`
	RespondBy          time.Time               `json:"respond_by"` // an unanswered referral expires then
	CreatedAt          time.Time               `json:"created_at"`
	UpdatedAt          time.Time               `json:"updated_at"`
}

func newReferralView(r referral.Referral) referralView {
	return referralView{ID: r.ID, CaseID: r.CaseID, ServiceID: r.ServiceID, FromOrganisationID: r.FromOrganisationID,
		ToOrganisationID: r.ToOrganisationID, HoldID: r.HoldID, CreatedBy: r.CreatedBy, Status: r.Status, Urgent: r.Urgent,
		Note: r.Note, RespondBy: r.RespondBy, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// referralItemView is a referral as an inbox or outbox lists it: her short reference, never
// her name, with the service and the organisations on both sides named.
type referralItemView struct {
	referralView
	Reference       string         `json:"reference"`
	ServiceName     string         `json:"service_name"`
	ServiceNameI18n referral.Texts `json:"service_name_i18n"`
	FromName        string         `json:"from_organisation_name"`
	ToName          string         `json:"to_organisation_name"`
	// NRM is where her NRM record stands, in the outbox only: the referrer recorded her.
	NRM *referral.NRMBrief `json:"nrm,omitempty"`
}

func newReferralItemView(r referral.ReferralItem) referralItemView {
	return referralItemView{referralView: newReferralView(r.Referral), Reference: r.Reference, ServiceName: r.ServiceName,
		ServiceNameI18n: r.ServiceNameI18n, FromName: r.FromName, ToName: r.ToName, NRM: r.NRM}
}

// referralEventView is one step in a referral's timeline.
type referralEventView struct {
	ID             uuid.UUID               `json:"id"`
	ReferralID     uuid.UUID               `json:"referral_id"`
	Action         referral.ReferralAction `json:"action"`
	FromStatus     referral.ReferralStatus `json:"from_status"`
	ToStatus       referral.ReferralStatus `json:"to_status"`
	ReasonCode     string                  `json:"reason_code"`
	Note           string                  `json:"note"`
	OrganisationID *uuid.UUID              `json:"organisation_id"`
	ActorUserID    *uuid.UUID              `json:"actor_user_id"`
	At             time.Time               `json:"at"`
}

func newReferralEventView(e referral.ReferralEvent) referralEventView {
	return referralEventView{ID: e.ID, ReferralID: e.ReferralID, Action: e.Action, FromStatus: e.FromStatus,
		ToStatus: e.ToStatus, ReasonCode: e.ReasonCode, Note: e.Note, OrganisationID: e.OrganisationID,
		ActorUserID: e.ActorUserID, At: e.At}
}

// sharedPersonView is what a referral shares of her. Shared is false when she did not agree,
// and then none of her details are filled in.
type sharedPersonView struct {
	Reference string `json:"reference"`
	Shared    bool   `json:"shared"`
	Minor     bool   `json:"minor"`
	detailsView
}

func newSharedPersonView(p referral.SharedPerson) sharedPersonView {
	return sharedPersonView{Reference: p.Reference, Shared: p.Shared, Minor: p.Minor, detailsView: newDetailsView(p.Details)}
}
