package referral

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// CaseFile is her record as the reader's organisation may see it. The organisation that
// recorded her (Owner) sees everything: her details, her answers to the consent questions (the
// latest first), her referrals (the first first), the beds it held for her and her stays. An
// organisation that supports her (it accepted a referral for her, or she stayed at one of its
// shelters) sees what she agreed to share with it (Shared), its own referrals and stays, and
// where her NRM record stands, so that it can start her NRM where the law gives it that part.
type CaseFile struct {
	Case       Case
	Owner      bool
	Shared     bool                  // her details are filled in (always for the owner)
	Minor      bool                  // she is, or may be, under 18 today
	Consents   []Consent             // the owner's only
	Referrals  []Referral            // the owner's: all it sent; a supporter's: those sent to it
	Holds      []Hold                // beds her organisation held for her, the latest first
	Placements []Placement           // her stays (a supporter's: at its own shelters), the latest first
	Services   map[uuid.UUID]Service // by ID: name and its translations only
	History    []HistoryEntry        // everything above as one timeline, the latest first
	NRM        *NRMView              // her NRM record, or what may be done to refer her
}

// HistoryEntry is one moment of her record: a message ID with its data, and when.
type HistoryEntry struct {
	At        time.Time
	MessageID string
	Data      map[string]any // "Service" holds the service's own name; pages show it in theirs (ServiceID)
	ServiceID uuid.UUID      // the service the moment is about, if any
}

// CaseFile reads her whole record in one transaction, audited as one read of her case.
func (d *Domain) CaseFile(ctx context.Context, id uuid.UUID) (CaseFile, error) {
	a := ActorFrom(ctx)
	f := CaseFile{Services: map[uuid.UUID]Service{}}
	var events []ReferralEvent
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		c, owner, err := readableCase(tx, a, id)
		if err != nil {
			return err
		}
		f.Case, f.Owner, f.Shared = c, owner, owner
		local, err := localNow(tx, a, now)
		if err != nil {
			return err
		}
		f.Minor = c.Minor(local)
		if f.NRM, err = d.nrmForCase(tx, a, c, now, owner); err != nil {
			return err
		}
		if owner {
			err = f.readOwned(tx)
		} else {
			err = f.readSupported(tx, a)
		}
		if err != nil {
			return err
		}
		if events, err = f.readServices(tx); err != nil {
			return err
		}
		e := auditEntry{Action: "case.read", RecordType: "case", RecordID: c.ID.String()}
		if !owner {
			e.Detail = Detail{"as": "support_provider", "shared": map[bool]string{true: "yes", false: "no"}[f.Shared]}
		}
		return appendAudit(ctx, tx, now, a, e)
	})
	if err != nil {
		return CaseFile{}, err
	}
	f.History = caseHistory(f, events)
	return f, nil
}

// readableCase reads a case the actor may open: their organisation recorded her (owner), or
// supports her. To anyone else it does not exist.
func readableCase(tx *gorm.DB, a Actor, id uuid.UUID) (Case, bool, error) {
	var c Case
	if err := tx.First(&c, "id = ?", id).Error; err != nil {
		return c, false, notFound(err)
	}
	if Authorize(a, ActCaseRead, Target{OrganisationID: c.OrganisationID}) == nil {
		return c, true, nil
	}
	t := Target{OrganisationID: c.OrganisationID}
	if support, err := supports(tx, c.ID, a.OrganisationID); err != nil {
		return c, false, err
	} else if support {
		t.Partner = a.OrganisationID
	}
	if err := authorizeVisible(a, ActCaseReadShared, t); err != nil {
		return Case{}, false, err
	}
	return c, false, nil
}

// readOwned reads what the organisation that recorded her keeps of her.
func (f *CaseFile) readOwned(tx *gorm.DB) error {
	c := f.Case
	if err := findConsents(tx, c).Find(&f.Consents).Error; err != nil {
		return err
	}
	if err := findReferrals(tx, c).Find(&f.Referrals).Error; err != nil {
		return err
	}
	if err := tx.Where("case_id = ? AND organisation_id = ?", c.ID, c.OrganisationID).Order("created_at DESC").Find(&f.Holds).Error; err != nil {
		return err
	}
	return tx.Where("case_id = ?", c.ID).Order("checked_in_at DESC").Find(&f.Placements).Error
}

// readSupported reads what an organisation that supports her may see: what she shared with it,
// the referrals sent to it and her stays at its shelters. Where she was found, the indicators
// and her consents stay with the organisation that recorded her.
func (f *CaseFile) readSupported(tx *gorm.DB, a Actor) error {
	c := f.Case
	details, shared, err := sharedWith(tx, c, a.OrganisationID)
	if err != nil {
		return err
	}
	f.Shared = shared
	f.Case = Case{ID: c.ID, Reference: c.Reference, OrganisationID: c.OrganisationID, Details: details, Indicators: []string{},
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	if err := tx.Where("case_id = ? AND to_organisation_id = ?", c.ID, a.OrganisationID).Order("created_at, id").
		Find(&f.Referrals).Error; err != nil {
		return err
	}
	return tx.Where("case_id = ? AND service_id IN (SELECT id FROM services WHERE organisation_id = ?)", c.ID, a.OrganisationID).
		Order("checked_in_at DESC").Find(&f.Placements).Error
}

// readServices reads the names of the services her referrals, holds and stays are at, and her
// referrals' timelines.
func (f *CaseFile) readServices(tx *gorm.DB) ([]ReferralEvent, error) {
	var events []ReferralEvent
	if len(f.Referrals) > 0 {
		if err := tx.Where("referral_id IN ?", column(f.Referrals, func(r Referral) uuid.UUID { return r.ID })).
			Order("at, id").Find(&events).Error; err != nil {
			return nil, err
		}
	}
	ids := column(f.Referrals, func(r Referral) uuid.UUID { return r.ServiceID })
	ids = append(ids, column(f.Holds, func(h Hold) uuid.UUID { return h.ServiceID })...)
	ids = append(ids, column(f.Placements, func(p Placement) uuid.UUID { return p.ServiceID })...)
	if len(ids) == 0 {
		return events, nil
	}
	var services []Service
	err := tx.Select("id", "name", "name_i18n").Where("id IN ?", ids).Find(&services).Error
	for _, s := range services {
		f.Services[s.ID] = s
	}
	return events, err
}

// caseHistory puts her record's moments in one timeline, the latest first.
func caseHistory(f CaseFile, events []ReferralEvent) []HistoryEntry {
	at := func(at time.Time, id string, service uuid.UUID) HistoryEntry {
		return HistoryEntry{At: at, MessageID: id, Data: map[string]any{"Service": f.Services[service].Name}, ServiceID: service}
	}
	out := []HistoryEntry{{At: f.Case.CreatedAt, MessageID: "history.recorded", Data: map[string]any{"Reference": f.Case.Reference}}}
	for _, k := range f.Consents {
		out = append(out, HistoryEntry{At: k.RecordedAt, MessageID: "history.consent." + map[bool]string{true: "yes", false: "no"}[k.Given],
			Data: map[string]any{"Scope": string(k.Scope)}})
	}
	service := map[uuid.UUID]uuid.UUID{}
	for _, r := range f.Referrals {
		service[r.ID] = r.ServiceID
	}
	for _, e := range events {
		out = append(out, at(e.At, "history.referral."+string(e.Action), service[e.ReferralID]))
	}
	for _, h := range f.Holds {
		out = append(out, at(h.CreatedAt, "history.hold", h.ServiceID))
	}
	for _, p := range f.Placements {
		out = append(out, at(p.CheckedInAt, "history.checkin", p.ServiceID))
		if p.CheckedOutAt != nil {
			e := at(*p.CheckedOutAt, "history.checkout", p.ServiceID)
			if p.Outcome != "" {
				e.MessageID, e.Data["Outcome"] = "history.checkout_outcome", string(p.Outcome)
			}
			out = append(out, e)
		}
	}
	if f.NRM != nil {
		for _, e := range f.NRM.Events {
			out = append(out, HistoryEntry{At: e.At, MessageID: "history.nrm", Data: map[string]any{"Step": e.Transition}})
		}
	}
	slices.SortStableFunc(out, func(a, b HistoryEntry) int { return b.At.Compare(a.At) })
	return out
}

// readCase runs read on a case the actor's organisation recorded (to anyone else it does not
// exist) and audits it as a read of her case, naming part when it was not her record itself,
// in one transaction.
func (d *Domain) readCase(ctx context.Context, id uuid.UUID, part string, read func(tx *gorm.DB, c Case) error) (Case, error) {
	a := ActorFrom(ctx)
	var c Case
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		if err := tx.First(&c, "id = ?", id).Error; err != nil {
			return notFound(err)
		}
		if err := authorizeVisible(a, ActCaseRead, Target{OrganisationID: c.OrganisationID}); err != nil {
			return err
		}
		if read != nil {
			if err := read(tx, c); err != nil {
				return err
			}
		}
		e := auditEntry{Action: "case.read", RecordType: "case", RecordID: c.ID.String()}
		if part != "" {
			e.Detail = Detail{"part": part}
		}
		return appendAudit(ctx, tx, now, a, e)
	})
	if err != nil {
		return Case{}, err
	}
	return c, nil
}
