package referral

import (
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral/nrm"
	"gorm.io/gorm"
)

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
