package referral

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// ReferralFilter chooses referrals for an inbox or outbox.
type ReferralFilter struct {
	Box         string         // "inbox": sent to the actor's organisation; "outbox": sent by it
	Status      ReferralStatus // one status, or all
	ServiceID   uuid.UUID      // one service (inbox), or all
	OperationID uuid.UUID      // people found in one operation (outbox), or all
	CaseID      uuid.UUID      // one person (outbox), or all
}

// ReferralItem is a referral as a box lists it: the person's short reference (never her
// name), the service, and the organisations on both sides.
type ReferralItem struct {
	Referral
	Reference       string `json:"reference"`
	ServiceName     string `json:"service_name"`
	ServiceNameI18n Texts  `json:"service_name_i18n" gorm:"serializer:json"`
	FromName        string `json:"from_organisation_name"`
	ToName          string `json:"to_organisation_name"`
	// NRM is where her NRM record stands (outbox only: the referrer recorded her).
	NRM *NRMBrief `json:"nrm,omitempty" gorm:"-"`
}

// referralItems is the query for ReferralItems.
func referralItems(db *gorm.DB) *gorm.DB {
	return db.Table("referrals r").
		Select(`r.*, c.reference, s.name AS service_name, s.name_i18n AS service_name_i18n, f.name AS from_name, t.name AS to_name`).
		Joins("JOIN cases c ON c.id = r.case_id").Joins("JOIN services s ON s.id = r.service_id").
		Joins("JOIN organisations f ON f.id = r.from_organisation_id").Joins("JOIN organisations t ON t.id = r.to_organisation_id")
}

// ReferralFile is a referral as its page shows it to either side: where it stands, the person
// as the reader may see her (SharedPerson), and its timeline.
type ReferralFile struct {
	Item   ReferralItem
	Person SharedPerson
	Events []ReferralEvent
}

// ReferralFile reads a referral's page in one transaction, audited as one read of her case.
func (d *Domain) ReferralFile(ctx context.Context, id uuid.UUID) (ReferralFile, error) {
	var f ReferralFile
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		if err := referralItems(tx).Where("r.id = ?", id).Limit(1).Scan(&f.Item).Error; err != nil {
			return err
		}
		if f.Item.ID == uuid.Nil {
			return ErrNotFound
		}
		if err := authorizeVisible(ActorFrom(ctx), ActReferralRead, referralTarget(f.Item.Referral)); err != nil {
			return err
		}
		var err error
		if f.Person, err = sharedPerson(ctx, tx, now, f.Item.Referral); err != nil {
			return err
		}
		return tx.Where("referral_id = ?", id).Order("at, id").Find(&f.Events).Error
	})
	if err != nil {
		return ReferralFile{}, err
	}
	return f, nil
}

// Waiting reports whether the referral waits for the receiver's answer.
func (r Referral) Waiting() bool { return r.Status == ReferralSent }

// Supports reports whether the receiver supports her through this referral (it accepted it):
// then it may open her record, as far as she agreed to share it.
func (r Referral) Supports() bool { return slices.Contains(supportStatuses, r.Status) }

// Since is how long the referral has been in its state at t, in whole minutes.
func (r Referral) Since(t time.Time) int { return int(t.Sub(r.UpdatedAt) / time.Minute) }

// Referrals lists the actor's organisation's inbox (referrals to it) or outbox (referrals it
// sent), up to 200: in the inbox, what waits for an answer first, urgent on top, the oldest
// first; in the outbox, the newest first.
func (d *Domain) Referrals(ctx context.Context, f ReferralFilter) ([]ReferralItem, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActReferralList, Target{}); err != nil {
		return nil, err
	}
	q := referralItems(d.db.WithContext(ctx)).Limit(200)
	switch f.Box {
	case "inbox":
		q = q.Where("r.to_organisation_id = ?", a.OrganisationID).
			Order("r.status NOT IN ('sent', 'info_requested'), r.urgent DESC, r.created_at, r.id")
	case "outbox":
		q = q.Where("r.from_organisation_id = ?", a.OrganisationID).
			Order("r.created_at DESC, r.id DESC")
	default:
		return nil, fieldError("box", "error.service.value", map[string]any{"Value": f.Box})
	}
	if f.Status != "" {
		q = q.Where("r.status = ?", f.Status)
	}
	if f.ServiceID != uuid.Nil {
		q = q.Where("r.service_id = ?", f.ServiceID)
	}
	if f.OperationID != uuid.Nil {
		q = q.Where("c.operation_id = ?", f.OperationID)
	}
	if f.CaseID != uuid.Nil {
		q = q.Where("r.case_id = ?", f.CaseID)
	}
	out := []ReferralItem{}
	if err := q.Scan(&out).Error; err != nil || f.Box != "outbox" {
		return out, err
	}
	briefs, err := d.nrmBriefs(d.db.WithContext(ctx), column(out, func(i ReferralItem) uuid.UUID { return i.CaseID }), d.Now())
	for i := range out {
		if b, ok := briefs[out[i].CaseID]; ok {
			out[i].NRM = &b
		}
	}
	return out, err
}

// StepsFor lists the steps the actor may take on the referral now, in the lifecycle's order.
func StepsFor(a Actor, r Referral) []ReferralAction {
	var out []ReferralAction
	for _, act := range ReferralActions {
		st := lifecycle[act]
		if slices.Contains(st.from, r.Status) && !a.IsSystem() && mayTake(a, r, st.by) {
			out = append(out, act)
		}
	}
	return out
}

// SuggestedService is the next best match offered for a referral nobody answered.
type SuggestedService struct {
	ID               uuid.UUID
	OrganisationName string
	Name             string
	NameI18n         Texts `gorm:"serializer:json"`
	City             string
}

// Suggestion is the next best service the signed-in person was given when the referral went
// unanswered, if any.
func (d *Domain) Suggestion(ctx context.Context, referralID uuid.UUID) (*SuggestedService, error) {
	a := ActorFrom(ctx)
	var card SuggestedService
	err := d.db.WithContext(ctx).Raw(`SELECT s.id, o.name AS organisation_name, s.name, s.name_i18n, s.city
		FROM notifications n JOIN services s ON s.id = n.suggested_service_id JOIN organisations o ON o.id = s.organisation_id
		WHERE n.user_id = ? AND n.referral_id = ? AND n.kind = ? LIMIT 1`, a.UserID, referralID, NoteReferralOverdue).Scan(&card).Error
	if err != nil || card.ID == uuid.Nil {
		return nil, err
	}
	return &card, nil
}
