package referral

import (
	"time"

	"github.com/google/uuid"

	"github.com/harbour-nrm/harbour/referral/nrm"
)

// The kinds of NRM record: a referral to the competent authority, or only the mark that an
// anonymous Duty to Notify report was made for her (the report itself, DtNReport, does not
// name her record).
const (
	NRMReferral     = "nrm"
	NRMDutyToNotify = "dtn"
)

// ExploitationLocations are where she was exploited, as the NRM form asks: in the country of
// the jurisdiction, overseas, both, or not known.
var ExploitationLocations = []string{"domestic", "overseas", "both", "unknown"}

// AgeGroups are the age groups an NRM referral is counted in: a child is, or may be, under 18
// (statsDimensions).
var AgeGroups = []string{"adult", "child", "unknown"}

// NRMRecord is a person's NRM referral and where it stands. Its state is derived from its
// events by the jurisdiction's rules (referral/nrm) and kept here for queues and sweeps.
type NRMRecord struct {
	ID                   uuid.UUID  `json:"id" gorm:"primaryKey"`
	CaseID               uuid.UUID  `json:"case_id"`
	Kind                 string     `json:"kind"`
	Jurisdiction         string     `json:"jurisdiction"`
	OrganisationID       uuid.UUID  `json:"organisation_id"` // the first responder that submitted
	SubmittedBy          *uuid.UUID `json:"submitted_by"`
	SubmittedAt          time.Time  `json:"submitted_at"`
	SubmittedOn          Date       `json:"submitted_on"`
	State                string     `json:"state"`
	Awaiting             string     `json:"awaiting"`   // the decision owed, "" for none
	NextTimer            string     `json:"next_timer"` // the date that matters next: which timer …
	NextOn               *Date      `json:"next_on"`    // … and its day in the jurisdiction
	NextAt               *time.Time `json:"-"`
	Overdue              bool       `json:"overdue"`
	RemindedOn           *Date      `json:"-"`
	OverdueAlertedOn     *Date      `json:"-"`
	ExploitationType     string     `json:"-"`
	AgeGroup             string     `json:"age_group"`
	Gender               string     `json:"-"`
	Nationality          string     `json:"-"`
	ExploitationLocation string     `json:"exploitation_location"`
	ReferrerKind         string     `json:"-"`
	// The referral for the competent authority: personal data, blank for those who see only
	// where it stands.
	Person            *Details  `json:"person,omitempty" gorm:"serializer:json"`
	Account           string    `json:"account,omitempty"`
	ExploitationPlace string    `json:"exploitation_place,omitempty"`
	CrimeReference    string    `json:"crime_reference,omitempty"`
	LocalAuthority    string    `json:"local_authority,omitempty"`
	SafeContact       string    `json:"safe_contact,omitempty"`
	PoliceContact     bool      `json:"police_contact"`
	ContactPhone      string    `json:"contact_phone,omitempty"`
	UpdatedAt         time.Time `json:"updated_at"`
}

func (r NRMRecord) owner() uuid.UUID { return r.OrganisationID }

// TableName is the table of NRM records.
func (NRMRecord) TableName() string { return "nrm_records" }

// TableName is the table of NRM events.
func (NRMEvent) TableName() string { return "nrm_events" }

// TableName is the table of Duty to Notify reports.
func (DtNReport) TableName() string { return "dtn_reports" }

// NRMEvent is one step of a record: a submission, a decision with its outcome and reasons, a
// request for reconsideration. Never changed.
type NRMEvent struct {
	ID             uuid.UUID  `json:"id" gorm:"primaryKey"`
	RecordID       uuid.UUID  `json:"record_id"`
	Transition     string     `json:"step"`
	FromState      string     `json:"from_state"`
	ToState        string     `json:"to_state"`
	Decision       string     `json:"decision"`
	Outcome        string     `json:"outcome"`
	Reasons        string     `json:"reasons,omitempty"`
	DecidedOn      Date       `json:"decided_on"`
	ActorUserID    *uuid.UUID `json:"actor_user_id"`
	OrganisationID *uuid.UUID `json:"organisation_id"`
	At             time.Time  `json:"at"`
}

// DtNReport is an anonymous Duty to Notify report: what the statistics need and nothing that
// leads back to her (no case, no name, no birth date, no place, only the day).
type DtNReport struct {
	ID                   uuid.UUID `gorm:"primaryKey"`
	Jurisdiction         string
	OrganisationID       uuid.UUID
	ReportedOn           Date
	ExploitationTypes    []string `gorm:"serializer:json"`
	ExploitationLocation string
	Gender               string
	Nationality          string
	ReferrerKind         string
}

// NRMInput submits a person's NRM referral (Step "submit" in the UK) or reports her under the
// Duty to Notify ("duty_to_notify"): one of the jurisdiction's first steps. ID is chosen by the
// device, so a retried upload submits once.
type NRMInput struct {
	ID                   uuid.UUID
	CaseID               uuid.UUID
	Step                 string
	ExploitationLocation string
	ExploitationPlace    string
	Account              string
	CrimeReference       string
	LocalAuthority       string
	SafeContact          string
	PoliceContact        bool
	ContactPhone         string
}

// NRMStepInput takes a step on a record: a decision (with its reasons), a request for
// reconsideration, an exit. On is the day it counts from (today when empty; never in the
// future). ID is chosen by the client, so a retried request records the step once.
type NRMStepInput struct {
	ID      uuid.UUID
	Step    string
	On      string
	Reasons string
}

// NRMNext is the date that matters next for a record: which timer, its day, and whether a
// decision owed by then is late (Overdue) or due today.
type NRMNext struct {
	Timer   string  `json:"timer"`
	On      nrm.Day `json:"on"`
	Overdue bool    `json:"overdue"`
	Today   bool    `json:"due_today"`
}

// NRMView is a record as one reader may see it. Full readers (the organisation that recorded
// her, the first responder that submitted, the competent authority) see her details and every
// decision; a support provider sees only the state and the next date.
type NRMView struct {
	Record       NRMRecord
	Reference    string
	Events       []NRMEvent
	Next         *NRMNext
	Full         bool
	Who          []nrm.Who
	Steps        []*nrm.Transition // what the reader may do now
	Jurisdiction *nrm.Jurisdiction
	Names        map[string]string // organisations named by the events, by ID
	Minor        bool              // she is, or may be, under 18: referred without being asked
	Consent      bool              // she agreed to the NRM referral (her latest answer)
}

// Day is the stored date as the NRM engine counts it.
func (d Date) Day() nrm.Day {
	v, _ := nrm.ParseDay(string(d))
	return v
}

func dateOf(d nrm.Day) Date { return Date(d.String()) }

// jurisdictionOf is the jurisdiction an organisation's NRM records belong to.
func (d *Domain) jurisdictionOf(o Organisation) *nrm.Jurisdiction {
	return d.cfg.NRM.ForCountry(o.Country)
}

// recordJurisdiction is a record's jurisdiction (the default, if a deployment removed it).
func (d *Domain) recordJurisdiction(r NRMRecord) *nrm.Jurisdiction {
	if j, ok := d.cfg.NRM.Get(r.Jurisdiction); ok {
		return j
	}
	return d.cfg.NRM.Default()
}
