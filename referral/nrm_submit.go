package referral

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral/nrm"
	"gorm.io/gorm"
)

// SubmitNRM makes a person's NRM referral, or her Duty to Notify report, from her record: the
// first step of her organisation's jurisdiction, which decides who may take it and for whom
// (in the UK: a first responder; an adult only with her consent to the NRM referral, a child
// always; an adult who does not consent is reported anonymously instead). Submitting again with
// the same ID returns the record already made.
func (d *Domain) SubmitNRM(ctx context.Context, in NRMInput) (NRMRecord, bool, error) {
	return createOnce(ctx, d, ActNRMSubmit, in.ID, func(tx *gorm.DB, now time.Time, a Actor, rec *NRMRecord) (bool, error) {
		return d.submitNRM(ctx, tx, now, a, in, rec)
	})
}

// submitNRM makes her NRM record in the caller's transaction (see SubmitNRM).
func (d *Domain) submitNRM(ctx context.Context, tx *gorm.DB, now time.Time, a Actor, in NRMInput, rec *NRMRecord) (bool, error) {
	c, person, err := caseToRefer(tx, a, in.CaseID)
	if err != nil {
		return false, err
	}
	// The submitter acts under its own country's law: the organisation that recorded her, or
	// one that supports her (a Belgian centre she was referred to).
	submitter := c.OrganisationID
	if !a.IsSystem() {
		submitter = a.OrganisationID
	}
	var o Organisation
	if err := tx.First(&o, "id = ?", submitter).Error; err != nil {
		return false, err
	}
	j := d.jurisdictionOf(o)
	var existing NRMRecord
	if err := tx.Where("case_id = ?", c.ID).Limit(1).Find(&existing).Error; err != nil {
		return false, err
	}
	if existing.ID != uuid.Nil {
		return false, Errorf(CodeConflict, "error.nrm.exists", nil)
	}
	today := j.Today(now)
	local := today.Civil()
	p, err := d.nrmParty(tx, a, c, nil, j, local)
	if err != nil {
		return false, err
	}
	t, ok := j.Transition(in.Step)
	if !ok || !slices.Contains(t.From, j.Initial) {
		return false, fieldError("step", "error.nrm.step", nil)
	}
	var pr Problems
	in.validate(&pr)
	if err := pr.Err(); err != nil {
		return false, err
	}
	status, _ := j.Replay(nil)
	status, err = j.Take(status, t.Name, p, today)
	if err != nil {
		return false, refusal(err)
	}
	kind := NRMReferral
	if t.Requires == nrm.AdultWithoutConsent {
		kind = NRMDutyToNotify
	}
	*rec = NRMRecord{ID: orNewID(in.ID), CaseID: c.ID, Kind: kind, Jurisdiction: j.Code, OrganisationID: submitter,
		SubmittedBy: userOf(a), SubmittedAt: now, SubmittedOn: dateOf(today), UpdatedAt: now,
		ExploitationLocation: in.ExploitationLocation, ReferrerKind: string(o.Kind)}
	rec.ExploitationType, rec.AgeGroup, rec.Gender, rec.Nationality = statsDimensions(c, local)
	if kind == NRMReferral {
		rec.Person, rec.Account, rec.ExploitationPlace, rec.CrimeReference = person, in.Account, in.ExploitationPlace, in.CrimeReference
		rec.LocalAuthority, rec.SafeContact, rec.PoliceContact, rec.ContactPhone = in.LocalAuthority, in.SafeContact, in.PoliceContact, in.ContactPhone
	}
	cacheStatus(rec, j, status, today)
	if done, err := insertOnce(tx, rec, rec.ID, "nrm_records_pkey", a); done || err != nil {
		return false, err
	}
	ev := NRMEvent{ID: newID(), RecordID: rec.ID, Transition: t.Name, FromState: j.Initial, ToState: t.To, DecidedOn: dateOf(today),
		ActorUserID: userOf(a), OrganisationID: orgOf(a), At: now}
	if err := tx.Create(&ev).Error; err != nil {
		return false, err
	}
	if kind == NRMDutyToNotify {
		// The report: counted, never linked. Its audit record names only the report.
		dtn := DtNReport{ID: newID(), Jurisdiction: j.Code, OrganisationID: submitter, ReportedOn: dateOf(today),
			ExploitationTypes: c.ExploitationTypes, ExploitationLocation: in.ExploitationLocation, Gender: rec.Gender,
			Nationality: rec.Nationality, ReferrerKind: string(o.Kind)}
		if dtn.ExploitationTypes == nil {
			dtn.ExploitationTypes = []string{}
		}
		if err := tx.Create(&dtn).Error; err != nil {
			return false, err
		}
		if err := appendAudit(ctx, tx, now, a, auditEntry{Action: "dtn.report", RecordType: "dtn_report", RecordID: dtn.ID.String()}); err != nil {
			return false, err
		}
	} else if err := d.notifyNRM(tx, now, *rec, c.Reference, t.Name, []nrm.Who{nrm.DecisionMaker}); err != nil {
		return false, err
	}
	return true, appendAudit(ctx, tx, now, a, auditEntry{Action: "nrm.submit", RecordType: "nrm_record", RecordID: rec.ID.String(),
		Detail: Detail{"case_id": c.ID.String(), "step": t.Name, "jurisdiction": j.Code}})
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
