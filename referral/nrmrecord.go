package referral

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

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

// firstResponder reports whether an organisation is a first responder in j: by its kind, or
// marked one by one.
func firstResponder(o Organisation, j *nrm.Jurisdiction) bool {
	return o.FirstResponder || slices.Contains(j.FirstResponderKinds, string(o.Kind))
}

// nrmParty works out who the actor is for a person's NRM record (rec nil before it exists):
// what the engine needs to allow or refuse a step.
func (d *Domain) nrmParty(tx *gorm.DB, a Actor, c Case, rec *NRMRecord, j *nrm.Jurisdiction, today time.Time) (nrm.Party, error) {
	p := nrm.Party{Minor: c.Minor(today)}
	k, asked, err := latestConsent(tx, c.ID, ConsentNRM)
	if err != nil {
		return p, err
	}
	p.Consent = asked && k.Given
	if a.IsSystem() {
		p.Who = []nrm.Who{nrm.FirstResponder, nrm.Referrer, nrm.SupportProvider, nrm.DecisionMaker}
		return p, nil
	}
	var o Organisation
	if err := tx.First(&o, "id = ?", a.OrganisationID).Error; err != nil {
		return p, notFound(err)
	}
	support, err := supports(tx, c.ID, a.OrganisationID)
	if err != nil {
		return p, err
	}
	// A first responder of the jurisdiction starts her NRM when it recorded her or supports her:
	// in Belgium a specialised centre after the police referred her to it.
	referrer := a.Has(RoleOfficer) || a.Has(RoleCaseworker)
	if referrer && (c.OrganisationID == a.OrganisationID || support) && firstResponder(o, j) {
		p.Who = append(p.Who, nrm.FirstResponder)
	}
	if referrer && rec != nil && rec.OrganisationID == a.OrganisationID {
		p.Who = append(p.Who, nrm.Referrer)
	}
	if a.Has(RoleDecisionMaker) && o.Kind == KindCompetentAuthority && d.jurisdictionOf(o).Code == j.Code {
		p.Who = append(p.Who, nrm.DecisionMaker)
	}
	if support && (a.Has(RoleShelterStaff) || a.Has(RoleCaseworker)) {
		p.Who = append(p.Who, nrm.SupportProvider)
	}
	return p, nil
}

// supports reports whether an organisation supports her: it accepted a referral for her, or she
// stayed at one of its shelters.
func supports(tx *gorm.DB, caseID, organisationID uuid.UUID) (bool, error) {
	var n int64
	err := tx.Raw(`SELECT count(*) FROM (`+supportProviders+`) s WHERE s.organisation_id = ?`, caseID, supportStatuses, caseID,
		organisationID).Scan(&n).Error
	return n > 0, err
}

// supportProviders lists the organisations that support her (case ID, statuses, case ID): those
// that accepted a referral for her, and the shelters she stayed at.
const supportProviders = `SELECT to_organisation_id AS organisation_id FROM referrals WHERE case_id = ? AND status IN ?
	UNION SELECT s.organisation_id FROM placements p JOIN services s ON s.id = p.service_id WHERE p.case_id = ?`

var supportStatuses = []ReferralStatus{ReferralAccepted, ReferralInProgress, ReferralCompleted}

// full reports whether a party sees her details and the decisions: everyone but a support
// provider who is nothing else.
func full(who []nrm.Who, caseOwner bool) bool {
	return caseOwner || slices.ContainsFunc(who, func(w nrm.Who) bool { return w != nrm.SupportProvider })
}

// SubmitNRM makes a person's NRM referral, or her Duty to Notify report, from her record: the
// first step of her organisation's jurisdiction, which decides who may take it and for whom
// (in the UK: a first responder; an adult only with her consent to the NRM referral, a child
// always; an adult who does not consent is reported anonymously instead). Submitting again with
// the same ID returns the record already made.
func (d *Domain) SubmitNRM(ctx context.Context, in NRMInput) (NRMRecord, bool, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActNRMSubmit, Target{}); err != nil {
		return NRMRecord{}, false, err
	}
	var rec NRMRecord
	created := false
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		if done, err := made(tx, in.ID, a, &rec); done || err != nil {
			return err
		}
		c, person, err := caseToRefer(tx, a, in.CaseID)
		if err != nil {
			return err
		}
		// The submitter acts under its own country's law: the organisation that recorded her, or
		// one that supports her (a Belgian centre she was referred to).
		submitter := c.OrganisationID
		if !a.IsSystem() {
			submitter = a.OrganisationID
		}
		var o Organisation
		if err := tx.First(&o, "id = ?", submitter).Error; err != nil {
			return err
		}
		j := d.jurisdictionOf(o)
		var existing NRMRecord
		if err := tx.Where("case_id = ?", c.ID).Limit(1).Find(&existing).Error; err != nil {
			return err
		}
		if existing.ID != uuid.Nil {
			return Errorf(CodeConflict, "error.nrm.exists", nil)
		}
		today := j.Today(now)
		local := today.Civil()
		p, err := d.nrmParty(tx, a, c, nil, j, local)
		if err != nil {
			return err
		}
		t, ok := j.Transition(in.Step)
		if !ok || !slices.Contains(t.From, j.Initial) {
			return fieldError("step", "error.nrm.step", nil)
		}
		var pr Problems
		in.validate(&pr)
		if err := pr.Err(); err != nil {
			return err
		}
		status, _ := j.Replay(nil)
		status, err = j.Take(status, t.Name, p, today)
		if err != nil {
			return refusal(err)
		}
		kind := NRMReferral
		if t.Requires == nrm.AdultWithoutConsent {
			kind = NRMDutyToNotify
		}
		rec = NRMRecord{ID: orNewID(in.ID), CaseID: c.ID, Kind: kind, Jurisdiction: j.Code, OrganisationID: submitter,
			SubmittedBy: userOf(a), SubmittedAt: now, SubmittedOn: dateOf(today), UpdatedAt: now,
			ExploitationLocation: in.ExploitationLocation, ReferrerKind: string(o.Kind)}
		rec.ExploitationType, rec.AgeGroup, rec.Gender, rec.Nationality = statsDimensions(c, local)
		if kind == NRMReferral {
			rec.Person, rec.Account, rec.ExploitationPlace, rec.CrimeReference = person, in.Account, in.ExploitationPlace, in.CrimeReference
			rec.LocalAuthority, rec.SafeContact, rec.PoliceContact, rec.ContactPhone = in.LocalAuthority, in.SafeContact, in.PoliceContact, in.ContactPhone
		}
		cacheStatus(&rec, j, status, today)
		if done, err := insertOnce(tx, &rec, rec.ID, "nrm_records_pkey", a); done || err != nil {
			return err
		}
		ev := NRMEvent{ID: newID(), RecordID: rec.ID, Transition: t.Name, FromState: j.Initial, ToState: t.To, DecidedOn: dateOf(today),
			ActorUserID: userOf(a), OrganisationID: orgOf(a), At: now}
		if err := tx.Create(&ev).Error; err != nil {
			return err
		}
		created = true
		if kind == NRMDutyToNotify {
			// The report: counted, never linked. Its audit record names only the report.
			dtn := DtNReport{ID: newID(), Jurisdiction: j.Code, OrganisationID: submitter, ReportedOn: dateOf(today),
				ExploitationTypes: c.ExploitationTypes, ExploitationLocation: in.ExploitationLocation, Gender: rec.Gender,
				Nationality: rec.Nationality, ReferrerKind: string(o.Kind)}
			if dtn.ExploitationTypes == nil {
				dtn.ExploitationTypes = []string{}
			}
			if err := tx.Create(&dtn).Error; err != nil {
				return err
			}
			if err := appendAudit(ctx, tx, now, a, auditEntry{Action: "dtn.report", RecordType: "dtn_report", RecordID: dtn.ID.String()}); err != nil {
				return err
			}
		} else if err := d.notifyNRM(tx, now, rec, c.Reference, t.Name, []nrm.Who{nrm.DecisionMaker}); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "nrm.submit", RecordType: "nrm_record", RecordID: rec.ID.String(),
			Detail: Detail{"case_id": c.ID.String(), "step": t.Name, "jurisdiction": j.Code}})
	})
	return rec, created, err
}

// validate checks the referral's free text and choices.
func (in *NRMInput) validate(p *Problems) {
	if in.ExploitationLocation == "" {
		in.ExploitationLocation = "unknown"
	}
	if !slices.Contains(ExploitationLocations, in.ExploitationLocation) {
		p.Add("exploitation_location", "error.service.value", map[string]any{"Value": in.ExploitationLocation})
	}
	in.Account = cleanText(p, "account", in.Account, false, 8000)
	in.ExploitationPlace = cleanText(p, "exploitation_place", in.ExploitationPlace, false, 200)
	in.CrimeReference = cleanText(p, "crime_reference", in.CrimeReference, false, 100)
	in.LocalAuthority = cleanText(p, "local_authority", in.LocalAuthority, false, 200)
	in.SafeContact = cleanText(p, "safe_contact", in.SafeContact, false, 200)
	in.ContactPhone = cleanText(p, "contact_phone", in.ContactPhone, false, 40)
}

// caseToRefer reads the person an NRM referral is for, with the details the submitter may pass
// on: all of them for the organisation that recorded her, what she agreed to share with it for
// one that supports her (nil when she did not). Anyone else is told she is not there.
func caseToRefer(tx *gorm.DB, a Actor, id uuid.UUID) (Case, *Details, error) {
	var c Case
	if err := tx.Limit(1).Find(&c, "id = ?", id).Error; err != nil {
		return c, nil, err
	}
	if c.ID != uuid.Nil && (c.OrganisationID == a.OrganisationID || a.IsSystem()) {
		return c, &c.Details, nil
	}
	if c.ID != uuid.Nil {
		support, err := supports(tx, c.ID, a.OrganisationID)
		if err != nil {
			return c, nil, err
		}
		if support { // the jurisdiction's rules say whether it may start her NRM
			details, shared, err := sharedWith(tx, c, a.OrganisationID)
			if err != nil || !shared {
				return c, nil, err
			}
			return c, &details, nil
		}
	}
	return Case{}, nil, fieldError("case_id", "error.nrm.case", nil)
}

// statsDimensions are what the statistics count of her, fixed when she is referred: her first
// form of exploitation, her age group (a child when she is or may be under 18, unknown when no
// age was recorded), gender and nationality.
func statsDimensions(c Case, today time.Time) (exploitation, age, gender, nationality string) {
	exploitation, age, gender, nationality = "not_specified", "unknown", "unknown", "unknown"
	if len(c.ExploitationTypes) > 0 {
		exploitation = c.ExploitationTypes[0]
	}
	switch {
	case c.Minor(today):
		age = "child"
	case c.Age != nil || c.BirthDate != nil:
		age = "adult"
	}
	if c.Gender != "" {
		gender = c.Gender
	}
	if c.Nationality != "" {
		nationality = c.Nationality
	}
	return
}

// cacheStatus keeps the record's derived state, awaited decision and next date.
func cacheStatus(r *NRMRecord, j *nrm.Jurisdiction, s nrm.Status, today nrm.Day) {
	r.State = s.State
	st, _ := j.State(s.State)
	r.Awaiting = st.Awaiting
	r.NextTimer, r.NextOn, r.NextAt, r.Overdue = "", nil, nil, false
	if c, ok := s.Next(today); ok {
		on := dateOf(c.Shown())
		at := c.Shown().End(j.Location)
		r.NextTimer, r.NextOn, r.NextAt = c.Timer.Name, &on, &at
		r.Overdue, _ = c.Timer.Due(c.Shown(), today)
	}
}

// refusal turns the engine's refusal into the domain's error: a step the party may never take
// is forbidden; one refused for the record's state or dates is a conflict explained in the
// reader's language.
func refusal(err error) error {
	r, ok := err.(*nrm.Refusal)
	if !ok {
		return err
	}
	if r.Forbidden {
		return ErrForbidden
	}
	return Errorf(CodeConflict, r.MessageID, r.Data)
}

func orgOf(a Actor) *uuid.UUID {
	if a.OrganisationID == uuid.Nil {
		return nil
	}
	return &a.OrganisationID
}

// loadNRM reads a record and its case, with the party the actor is for it. An actor who is
// no party to it, and not the organisation that recorded her, is told it does not exist.
func (d *Domain) loadNRM(tx *gorm.DB, a Actor, id uuid.UUID, now time.Time, lock bool) (NRMRecord, Case, *nrm.Jurisdiction, nrm.Party, bool, error) {
	var rec NRMRecord
	var c Case
	q := tx
	if lock { // steps on one record are taken one after the other: each replays what the last made
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.First(&rec, "id = ?", id).Error; err != nil {
		return rec, c, nil, nrm.Party{}, false, notFound(err)
	}
	if err := tx.First(&c, "id = ?", rec.CaseID).Error; err != nil {
		return rec, c, nil, nrm.Party{}, false, err
	}
	j := d.recordJurisdiction(rec)
	if a.IsZero() {
		return rec, c, j, nrm.Party{}, false, ErrUnauthenticated
	}
	p, err := d.nrmParty(tx, a, c, &rec, j, j.Today(now).Civil())
	if err != nil {
		return rec, c, j, p, false, err
	}
	owner := (a.Has(RoleOfficer) || a.Has(RoleCaseworker)) && c.OrganisationID == a.OrganisationID
	if len(p.Who) == 0 && !owner && !a.IsSystem() {
		return rec, c, j, p, false, ErrNotFound
	}
	// A Duty to Notify mark is the recording organisation's own note; nobody else sees it.
	if rec.Kind == NRMDutyToNotify && !owner && !a.IsSystem() {
		return rec, c, j, p, false, ErrNotFound
	}
	return rec, c, j, p, full(p.Who, owner) || a.IsSystem(), nil
}

// NRMFile reads a record as the actor may see it, with the steps they may take now. A full
// read (her details, the decisions) is audited as a read of her NRM record.
func (d *Domain) NRMFile(ctx context.Context, id uuid.UUID) (NRMView, error) {
	a := ActorFrom(ctx)
	var v NRMView
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		rec, c, j, p, isFull, err := d.loadNRM(tx, a, id, now, false)
		if err != nil {
			return err
		}
		v, err = d.nrmView(tx, rec, c, j, p, isFull, now)
		if err != nil || !isFull {
			return err
		}
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "nrm.read", RecordType: "nrm_record", RecordID: rec.ID.String(),
			Detail: Detail{"case_id": c.ID.String()}})
	})
	return v, err
}

// nrmView puts a record together for a reader.
func (d *Domain) nrmView(tx *gorm.DB, rec NRMRecord, c Case, j *nrm.Jurisdiction, p nrm.Party, isFull bool, now time.Time) (NRMView, error) {
	today := j.Today(now)
	v := NRMView{Record: rec, Reference: c.Reference, Full: isFull, Who: p.Who, Jurisdiction: j, Names: map[string]string{},
		Minor: p.Minor, Consent: p.Consent}
	events, err := recordEvents(tx, rec.ID)
	if err != nil {
		return v, err
	}
	status, err := replay(j, events)
	if err != nil {
		return v, err
	}
	v.Next = nextOf(status, today)
	v.Steps = j.Steps(status, p)
	if rec.Kind == NRMDutyToNotify {
		v.Steps = nil
	}
	if !isFull {
		v.Record = NRMRecord{ID: rec.ID, CaseID: rec.CaseID, Kind: rec.Kind, Jurisdiction: rec.Jurisdiction, State: rec.State,
			Awaiting: rec.Awaiting, NextTimer: rec.NextTimer, NextOn: rec.NextOn, SubmittedOn: rec.SubmittedOn}
		return v, nil
	}
	v.Events = events
	ids := column(events, func(e NRMEvent) uuid.UUID {
		if e.OrganisationID == nil {
			return uuid.Nil
		}
		return *e.OrganisationID
	})
	var orgs []Organisation
	if err := tx.Select("id", "name").Where("id IN ?", append(ids, rec.OrganisationID)).Find(&orgs).Error; err != nil {
		return v, err
	}
	for _, o := range orgs {
		v.Names[o.ID.String()] = o.Name
	}
	return v, nil
}

// recordEvents reads a record's events, the first first.
func recordEvents(tx *gorm.DB, id uuid.UUID) ([]NRMEvent, error) {
	var events []NRMEvent
	err := tx.Where("record_id = ?", id).Order("at, id").Find(&events).Error
	return events, err
}

// replay derives a record's status from its events.
func replay(j *nrm.Jurisdiction, events []NRMEvent) (nrm.Status, error) {
	evs := make([]nrm.Event, len(events))
	for i, e := range events {
		evs[i] = nrm.Event{Transition: e.Transition, On: e.DecidedOn.Day()}
	}
	return j.Replay(evs)
}

// nextOf is the next date of a status, seen today.
func nextOf(s nrm.Status, today nrm.Day) *NRMNext {
	c, ok := s.Next(today)
	if !ok {
		return nil
	}
	n := &NRMNext{Timer: c.Timer.Name, On: c.Shown()}
	n.Overdue, n.Today = c.Timer.Due(c.Shown(), today)
	return n
}

// TakeNRMStep takes a step on a record: a decision maker decides (with reasons), a first
// responder or support provider asks for reconsideration, someone records her exit. The
// jurisdiction's rules decide who may and when: a conclusive-grounds decision before the
// recovery period's minimum, or a reconsideration request after its window, is refused with
// the day that applies. Repeating a step with the same ID returns the event already recorded.
func (d *Domain) TakeNRMStep(ctx context.Context, id uuid.UUID, in NRMStepInput) (NRMEvent, bool, error) {
	a := ActorFrom(ctx)
	var ev NRMEvent
	created := false
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		rec, c, j, p, _, err := d.loadNRM(tx, a, id, now, true)
		if err != nil {
			return err
		}
		if in.ID != uuid.Nil {
			if err := tx.Where("id = ?", in.ID).Limit(1).Find(&ev).Error; err != nil {
				return err
			}
			if ev.ID != uuid.Nil {
				if ev.RecordID != rec.ID {
					ev = NRMEvent{}
					return Errorf(CodeConflict, "error.record.id_taken", nil)
				}
				return nil
			}
		}
		if rec.Kind == NRMDutyToNotify {
			return Errorf(CodeConflict, "error.nrm.dtn_final", nil)
		}
		t, ok := j.Transition(in.Step)
		if !ok {
			return fieldError("step", "error.nrm.step", nil)
		}
		today := j.Today(now)
		on := today
		var pr Problems
		if in.On != "" {
			if day, ok := dateField(&pr, "on", in.On); ok {
				on = nrm.Date(day.Year(), day.Month(), day.Day())
				if on.After(today) {
					pr.Add("on", "error.nrm.future", nil)
				}
			}
		}
		in.Reasons = cleanText(&pr, "reasons", in.Reasons, t.Reasons, 8000)
		events, err := recordEvents(tx, rec.ID)
		if err != nil {
			return err
		}
		status, err := replay(j, events)
		if err != nil {
			return err
		}
		// Who may take it comes before what was typed: a party who may never take this step
		// is refused whatever the form says; then what was typed; then the record's state and dates.
		status, err = j.Take(status, t.Name, p, on)
		if r, ok := err.(*nrm.Refusal); ok && r.Forbidden {
			return ErrForbidden
		}
		if perr := pr.Err(); perr != nil {
			return perr
		}
		if err != nil {
			return refusal(err)
		}
		ev = NRMEvent{ID: orNewID(in.ID), RecordID: rec.ID, Transition: t.Name, FromState: rec.State, ToState: t.To,
			Decision: t.Decision, Outcome: t.Outcome, Reasons: in.Reasons, DecidedOn: dateOf(on), ActorUserID: userOf(a),
			OrganisationID: orgOf(a), At: now}
		if err := tx.Create(&ev).Error; err != nil {
			return err
		}
		created = true
		cacheStatus(&rec, j, status, today)
		rec.UpdatedAt = now
		rec.RemindedOn, rec.OverdueAlertedOn = nil, nil
		if err := tx.Select("state", "awaiting", "next_timer", "next_on", "next_at", "overdue", "reminded_on",
			"overdue_alerted_on", "updated_at").Save(&rec).Error; err != nil {
			return err
		}
		// Everyone else on the record hears of it.
		tell := []nrm.Who{nrm.Referrer, nrm.SupportProvider, nrm.DecisionMaker}
		if err := d.notifyNRM(tx, now, rec, c.Reference, t.Name, tell, a.UserID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "nrm.step", RecordType: "nrm_record", RecordID: rec.ID.String(),
			Detail: Detail{"step": t.Name, "on": on.String()}})
	})
	return ev, created, err
}

// partiesOf lists the active people who are, for a record, any of who.
func (d *Domain) partiesOf(tx *gorm.DB, rec NRMRecord, who []nrm.Who) ([]uuid.UUID, error) {
	var out []uuid.UUID
	for _, w := range who {
		var ids []uuid.UUID
		var err error
		switch w {
		case nrm.Referrer, nrm.FirstResponder:
			ids, err = senderOr(tx, rec.SubmittedBy, rec.OrganisationID)
		case nrm.SupportProvider:
			var orgs []uuid.UUID
			if err = tx.Raw(supportProviders, rec.CaseID, supportStatuses, rec.CaseID).Scan(&orgs).Error; err == nil {
				ids, err = staffOf(tx, orgs...)
			}
		case nrm.DecisionMaker:
			var orgs []uuid.UUID
			if orgs, err = d.competentAuthorities(tx, rec.Jurisdiction); err == nil {
				ids, err = membersOf(tx, orgs, RoleDecisionMaker)
			}
		}
		if err != nil {
			return nil, err
		}
		out = append(out, ids...)
	}
	slices.SortFunc(out, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
	return slices.Compact(out), nil
}

// competentAuthorities lists the active competent authorities of a jurisdiction (by their
// country).
func (d *Domain) competentAuthorities(tx *gorm.DB, jurisdiction string) ([]uuid.UUID, error) {
	var orgs []Organisation
	err := tx.Select("id", "country").Where("kind = ? AND active", KindCompetentAuthority).Find(&orgs).Error
	var out []uuid.UUID
	for _, o := range orgs {
		if d.jurisdictionOf(o).Code == jurisdiction {
			out = append(out, o.ID)
		}
	}
	return out, err
}

// notifyNRM tells the parties of a record that a step was taken, leaving out who took it.
func (d *Domain) notifyNRM(tx *gorm.DB, now time.Time, rec NRMRecord, reference, step string, who []nrm.Who, except ...uuid.UUID) error {
	users, err := d.partiesOf(tx, rec, who)
	if err != nil {
		return err
	}
	users = slices.DeleteFunc(users, func(u uuid.UUID) bool { return slices.Contains(except, u) })
	return notify(tx, now, users, Notification{Kind: NoteNRMUpdated, Action: step, NRMRecordID: &rec.ID, Reference: reference})
}
