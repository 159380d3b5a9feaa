package referral

import (
	"context"
	"crypto/sha256"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// AuditEvent is one entry of the append-only audit trail: who did what to which record, when,
// from which request. It holds IDs and references only, never a person's details.
type AuditEvent struct {
	ID                  int64      `json:"id" gorm:"primaryKey"`
	At                  time.Time  `json:"at"`
	ActorUserID         *uuid.UUID `json:"actor_user_id"`
	ActorOrganisationID *uuid.UUID `json:"actor_organisation_id"`
	ActorSystem         string     `json:"actor_system,omitempty"`
	Action              string     `json:"action"`
	RecordType          string     `json:"record_type,omitempty"`
	RecordID            string     `json:"record_id,omitempty"`
	RequestID           string     `json:"request_id,omitempty"`
	ClientAddr          string     `json:"client_addr,omitempty"`
	Detail              Detail     `json:"detail,omitempty" gorm:"type:jsonb"`
	ActorName           string     `json:"actor_name,omitempty" gorm:"->"` // the acting user's name, when listed
	PrevHash            []byte     `json:"-"`
	Hash                []byte     `json:"-"`
}

// Detail is an audit event's extra facts (names of changed fields, reasons): strings only, so
// the stored JSON reads back exactly as it was hashed.
type Detail map[string]string

// Value stores Detail as JSON.
func (d Detail) Value() (driver.Value, error) {
	if d == nil {
		return "{}", nil
	}
	b, err := json.Marshal(map[string]string(d))
	return string(b), err
}

// Scan reads Detail from JSON.
func (d *Detail) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case []byte:
		b = v
	case string:
		b = []byte(v)
	case nil:
		*d = nil
		return nil
	default:
		return fmt.Errorf("audit detail: unexpected %T", src)
	}
	return json.Unmarshal(b, (*map[string]string)(d))
}

// auditChain is the single row holding the newest event's hash.
type auditChain struct {
	ID       int
	HeadID   int64
	HeadHash []byte
}

func (auditChain) TableName() string { return "audit_chain" }

// auditEntry is what a change records about itself.
type auditEntry struct {
	Action     string
	RecordType string
	RecordID   string
	Detail     Detail
}

// fieldChange is one field of a record being updated, and whether its value stayed the same.
type fieldChange struct {
	name string
	same bool
}

// changedFields names the fields that changed, for an update's audit detail.
func changedFields(fields []fieldChange) []string {
	var out []string
	for _, f := range fields {
		if !f.same {
			out = append(out, f.name)
		}
	}
	return out
}

// appendAudit adds an event to the trail inside tx. It locks the chain head, so concurrent
// transactions append one after another and the chain never forks; call it as late in the
// transaction as possible to hold that lock briefly.
func appendAudit(ctx context.Context, tx *gorm.DB, now time.Time, a Actor, e auditEntry) error {
	var head auditChain
	if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).First(&head, 1).Error; err != nil {
		return fmt.Errorf("lock audit chain: %w", err)
	}
	req := RequestFrom(ctx)
	ev := AuditEvent{
		At: now, ActorSystem: a.System, Action: e.Action, RecordType: e.RecordType,
		RecordID: e.RecordID, RequestID: req.RequestID, ClientAddr: req.ClientAddr,
		Detail: e.Detail, PrevHash: head.HeadHash,
	}
	if a.UserID != uuid.Nil {
		ev.ActorUserID, ev.ActorOrganisationID = &a.UserID, &a.OrganisationID
	}
	ev.Hash = ev.computeHash()
	if err := tx.Create(&ev).Error; err != nil {
		return fmt.Errorf("append audit event: %w", err)
	}
	return tx.Model(&head).Updates(map[string]any{"head_id": ev.ID, "head_hash": ev.Hash}).Error
}

// computeHash is SHA-256 over the previous hash and a canonical JSON of every field but the ID.
func (e AuditEvent) computeHash() []byte {
	str := func(id *uuid.UUID) string {
		if id == nil {
			return ""
		}
		return id.String()
	}
	detail := map[string]string(e.Detail)
	if detail == nil {
		detail = map[string]string{} // stored as {}, so hashed as {}
	}
	canonical, _ := json.Marshal(struct {
		Prev, At, User, Org, System, Action, RecordType, RecordID, RequestID, ClientAddr string
		Detail                                                                           map[string]string
	}{
		hex.EncodeToString(e.PrevHash), e.At.UTC().Format("2006-01-02T15:04:05.000000Z"),
		str(e.ActorUserID), str(e.ActorOrganisationID), e.ActorSystem, e.Action, e.RecordType,
		e.RecordID, e.RequestID, e.ClientAddr, detail,
	})
	sum := sha256.Sum256(canonical)
	return sum[:]
}

// MaxAuditPage is the most events one listing returns (callers may ask for one more to learn
// whether another page follows).
const MaxAuditPage = 200

// AuditFilter narrows a listing of the audit trail.
type AuditFilter struct {
	OrganisationID uuid.UUID // events by this organisation's users; required for org admins
	Action         string    // exact action, or a prefix ending in "." (e.g. "user.")
	RecordType     string
	RecordID       string
	Before         int64 // only events with a smaller ID (paging, newest first)
	Limit          int
}

// ListAudit returns events newest first. Admins see everything; an org admin sees the events of
// their own organisation's users (and is refused another organisation's).
func (d *Domain) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEvent, error) {
	a := ActorFrom(ctx)
	if f.OrganisationID == uuid.Nil && !a.Has(RoleAdmin) && !a.IsSystem() {
		f.OrganisationID = a.OrganisationID // the rules allow an org admin their own organisation only
	}
	if err := Authorize(a, ActAuditRead, Target{OrganisationID: f.OrganisationID}); err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > MaxAuditPage+1 {
		f.Limit = 50
	}
	q := d.db.WithContext(ctx).Table("audit_events e").Select("e.*, u.name AS actor_name").
		Joins("LEFT JOIN users u ON u.id = e.actor_user_id").Order("e.id DESC").Limit(f.Limit)
	if f.OrganisationID != uuid.Nil {
		q = q.Where("e.actor_organisation_id = ?", f.OrganisationID)
	}
	if f.Action != "" {
		if f.Action[len(f.Action)-1] == '.' {
			q = q.Where("starts_with(e.action, ?)", f.Action)
		} else {
			q = q.Where("e.action = ?", f.Action)
		}
	}
	if f.RecordType != "" {
		q = q.Where("e.record_type = ?", f.RecordType)
	}
	if f.RecordID != "" {
		q = q.Where("e.record_id = ?", f.RecordID)
	}
	if f.Before > 0 {
		q = q.Where("e.id < ?", f.Before)
	}
	var events []AuditEvent
	return events, q.Find(&events).Error
}

// AuditVerification is the outcome of checking the audit chain.
type AuditVerification struct {
	Checked  int    `json:"checked"`
	OK       bool   `json:"ok"`
	BrokenAt int64  `json:"broken_at,omitempty"` // ID of the first event that does not match
	Problem  string `json:"problem,omitempty"`   // "hash", "link" or "head"
}

// VerifyAudit recomputes every event's hash in order and checks each link and the chain head.
// Reading is in batches, so the trail can be longer than memory.
func (d *Domain) VerifyAudit(ctx context.Context) (AuditVerification, error) {
	if err := Authorize(ActorFrom(ctx), ActAuditVerify, Target{}); err != nil {
		return AuditVerification{}, err
	}
	var v AuditVerification
	var head auditChain
	if err := d.db.WithContext(ctx).First(&head, 1).Error; err != nil {
		return v, err
	}
	const batchSize = 1000
	prev, last := []byte{}, int64(0)
	for {
		var batch []AuditEvent
		err := d.db.WithContext(ctx).Where("id > ? AND id <= ?", last, head.HeadID).
			Order("id").Limit(batchSize).Find(&batch).Error
		if err != nil {
			return v, err
		}
		for _, e := range batch {
			v.Checked++
			switch {
			case string(e.PrevHash) != string(prev):
				return v.broken(e.ID, "link"), nil
			case string(e.computeHash()) != string(e.Hash):
				return v.broken(e.ID, "hash"), nil
			}
			prev, last = e.Hash, e.ID
		}
		if len(batch) < batchSize {
			break
		}
	}
	if last != head.HeadID || string(prev) != string(head.HeadHash) {
		return v.broken(head.HeadID, "head"), nil
	}
	v.OK = true
	return v, nil
}

func (v AuditVerification) broken(id int64, problem string) AuditVerification {
	v.BrokenAt, v.Problem = id, problem
	return v
}
