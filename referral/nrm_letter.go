package referral

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral/nrm"
	"gorm.io/gorm"
)

// NRMLetter is a decision letter: the decision, for her, in her language (the page chooses
// the language; the domain gives the facts).
type NRMLetter struct {
	Record       NRMRecord
	Event        NRMEvent
	Reference    string
	Name         string   // as she gave it, then in Latin script
	Languages    []string // her languages, in her order
	Authority    string   // the competent authority's name
	Clock        *nrm.Clock
	Jurisdiction *nrm.Jurisdiction
	Country      string // the jurisdiction's first country, for the helpline
}

// NRMLetter reads what a decision letter says, for the competent authority or the first
// responder that hands it to her; the read is audited.
func (d *Domain) NRMLetter(ctx context.Context, recordID, eventID uuid.UUID) (NRMLetter, error) {
	a := ActorFrom(ctx)
	var l NRMLetter
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		rec, c, j, _, isFull, err := d.loadNRM(tx, a, recordID, now, false)
		if err != nil {
			return err
		}
		if !isFull {
			return ErrForbidden
		}
		events, err := recordEvents(tx, rec.ID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(events, func(e NRMEvent) bool { return e.ID == eventID && e.Decision != "" })
		if i < 0 {
			return ErrNotFound
		}
		status, err := replay(j, events[:i+1])
		if err != nil {
			return err
		}
		l = NRMLetter{Record: rec, Event: events[i], Reference: c.Reference, Languages: c.Languages(), Jurisdiction: j}
		if rec.Person != nil {
			l.Name = rec.Person.NameOriginal
			if rec.Person.NameLatin != "" && rec.Person.NameLatin != l.Name {
				l.Name = joinNonEmpty(l.Name, rec.Person.NameLatin)
			}
		}
		if len(status.Running) > 0 {
			c := status.Running[0]
			l.Clock = &c
		}
		if events[i].OrganisationID != nil {
			var o Organisation
			if err := tx.Select("name").First(&o, "id = ?", *events[i].OrganisationID).Error; err == nil {
				l.Authority = o.Name
			}
		}
		if len(j.Countries) > 0 {
			l.Country = j.Countries[0]
		}
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "nrm.letter", RecordType: "nrm_record", RecordID: rec.ID.String(),
			Detail: Detail{"event_id": eventID.String()}})
	})
	return l, err
}

func joinNonEmpty(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " (" + b + ")"
}
