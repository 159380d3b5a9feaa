package referral

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Operation is an action day: a raid across many addresses, led by one organisation.
type Operation struct {
	ID             uuid.UUID  `json:"id" gorm:"primaryKey"`
	OrganisationID uuid.UUID  `json:"organisation_id"`
	Name           string     `json:"name"`
	Day            Date       `json:"day"` // in the organisation's time zone
	Area           string     `json:"area"`
	CreatedBy      *uuid.UUID `json:"created_by"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// OperationInput creates an operation. ID is chosen by the device, so a retried upload finds the
// operation it already made; Day defaults to today in the organisation's time zone.
type OperationInput struct {
	ID   uuid.UUID
	Name string
	Day  string
	Area string
}

// CaseStatus is where a person stands on an operation's board.
type CaseStatus string

// Case statuses, furthest last: a placement outranks a hold, which outranks a referral, which
// outranks a person only recorded.
const (
	CaseRecorded CaseStatus = "recorded"
	CaseReferred CaseStatus = "referred"
	CaseBedHeld  CaseStatus = "bed_held"
	CasePlaced   CaseStatus = "placed"
)

// BoardEntry is one person on an operation's board: her reference, where she stands and what remains,
// never her name.
type BoardEntry struct {
	ID        uuid.UUID  `json:"id"`
	Reference string     `json:"reference"`
	Language  string     `json:"language"`
	Minor     bool       `json:"minor"`
	Status    CaseStatus `json:"status"`
	ToDo      []string   `json:"todo"` // message IDs of what still needs doing
	CreatedAt time.Time  `json:"created_at"`
	needs     []string
}

// Board is an operation with everyone found in it, first recorded first.
type Board struct {
	Operation Operation    `json:"operation"`
	Cases     []BoardEntry `json:"cases"`
}

func (in *OperationInput) validate(now time.Time) error {
	var p Problems
	in.Name = cleanText(&p, "name", in.Name, true, 200)
	in.Area = cleanText(&p, "area", in.Area, false, 200)
	if in.Day == "" {
		in.Day = now.Format(time.DateOnly)
	} else if d, ok := dateField(&p, "day", in.Day); ok {
		if d.Before(now.AddDate(-5, 0, 0)) || d.After(now.AddDate(1, 0, 0)) {
			p.Add("day", "error.operation.day", nil)
		}
		in.Day = d.Format(time.DateOnly)
	}
	return p.Err()
}

// CreateOperation starts an action day led by the actor's organisation. Repeating it with the
// same ID returns the operation already made.
func (d *Domain) CreateOperation(ctx context.Context, in OperationInput) (Operation, bool, error) {
	return createOnce(ctx, d, ActOperationCreate, in.ID, func(tx *gorm.DB, now time.Time, a Actor, op *Operation) (bool, error) {
		today, err := localNow(tx, a, now)
		if err != nil {
			return false, err
		}
		if err := in.validate(today); err != nil {
			return false, err
		}
		*op = Operation{ID: orNewID(in.ID), OrganisationID: a.OrganisationID, Name: in.Name, Day: Date(in.Day), Area: in.Area,
			CreatedBy: userOf(a), CreatedAt: now, UpdatedAt: now}
		if done, err := insertOnce(tx, op, op.ID, "operations_pkey", a); done || err != nil {
			return false, err
		}
		return true, appendAudit(ctx, tx, now, a, auditEntry{Action: "operation.create", RecordType: "operation", RecordID: op.ID.String()})
	})
}

// Operations lists the actor's organisation's operations, the latest day first.
func (d *Domain) Operations(ctx context.Context) ([]Operation, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActOperationList, Target{}); err != nil {
		return nil, err
	}
	out := []Operation{}
	err := d.db.WithContext(ctx).Where("organisation_id = ?", a.OrganisationID).
		Order("day DESC, created_at DESC").Limit(200).Find(&out).Error
	return out, err
}

// OperationBoard is an operation with everyone recorded in it: her reference, where she stands
// (recorded, bed held, placed) and what still needs doing. It shows no names; reading it is
// audited all the same, since it says who was found where.
func (d *Domain) OperationBoard(ctx context.Context, id uuid.UUID) (Board, error) {
	a := ActorFrom(ctx)
	var b Board
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		if err := tx.First(&b.Operation, "id = ?", id).Error; err != nil {
			return notFound(err)
		}
		if err := authorizeVisible(a, ActOperationRead, Target{OrganisationID: b.Operation.OrganisationID}); err != nil {
			b = Board{}
			return err
		}
		rows, err := tx.Raw(`SELECT c.id, c.reference, c.language, c.needs, c.created_at,
			       c.appears_minor OR c.age < 18 OR c.birth_date > ?::date - interval '18 years' AS minor,
			       CASE WHEN EXISTS (SELECT 1 FROM placements p WHERE p.case_id = c.id AND p.status = 'present') THEN 'placed'
			            WHEN EXISTS (SELECT 1 FROM holds h WHERE h.case_id = c.id AND h.status IN ('active', 'confirmed')
			                         AND h.expires_at > ?) THEN 'bed_held'
			            WHEN EXISTS (SELECT 1 FROM referrals r WHERE r.case_id = c.id AND r.status NOT IN ('withdrawn', 'declined', 'expired'))
			            THEN 'referred'
			            ELSE 'recorded' END AS status
			FROM cases c WHERE c.operation_id = ? ORDER BY c.created_at, c.id`, now, now, id).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		b.Cases = []BoardEntry{}
		for rows.Next() {
			var e BoardEntry
			var needs []byte
			var minor *bool
			if err := rows.Scan(&e.ID, &e.Reference, &e.Language, &needs, &e.CreatedAt, &minor, &e.Status); err != nil {
				return err
			}
			e.Minor = minor != nil && *minor
			if err := json.Unmarshal(needs, &e.needs); err != nil {
				return err
			}
			e.ToDo = e.todo()
			b.Cases = append(b.Cases, e)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "operation.read", RecordType: "operation", RecordID: id.String(),
			Detail: Detail{"cases": strconv.Itoa(len(b.Cases))}})
	})
	return b, err
}

// todo lists, as message IDs, what still needs doing for her.
func (e BoardEntry) todo() []string {
	out := []string{}
	if e.Language == "" {
		out = append(out, "case.todo.language")
	}
	if slices.Contains(e.needs, "bed_tonight") && e.Status == CaseRecorded {
		out = append(out, "case.todo.bed")
	}
	if slices.Contains(e.needs, "urgent_medical") {
		out = append(out, "case.todo.medical")
	}
	return out
}
