package referral

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
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

// Date is a calendar day, written YYYY-MM-DD, stored as a PostgreSQL date.
type Date string

// Scan reads a date column (the driver gives a time.Time at midnight UTC).
func (d *Date) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		*d = Date(v.Format(time.DateOnly))
	case string:
		*d = Date(v)
	case []byte:
		*d = Date(v)
	case nil:
		*d = ""
	default:
		return fmt.Errorf("date: cannot scan %T", v)
	}
	return nil
}

// Value writes the date as text, which PostgreSQL casts to date.
func (d Date) Value() (driver.Value, error) { return string(d), nil }

// Case is one identified person, as recorded at first contact. Only the reference is always
// there; everything else can come later. Reading it is audited.
type Case struct {
	ID             uuid.UUID  `json:"id" gorm:"primaryKey"`
	Reference      string     `json:"reference"`
	OrganisationID uuid.UUID  `json:"organisation_id"`
	OperationID    *uuid.UUID `json:"operation_id"`
	CreatedBy      *uuid.UUID `json:"created_by"`
	Details
	Indicators []string  `json:"indicators" gorm:"serializer:json"`
	FoundAt    string    `json:"found_at"`
	FoundCity  string    `json:"found_city"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Details are what she says of herself: what she may agree to share with the organisations
// that help her (SharedPerson). Where she was found and the indicators are not among them: they
// stay with the organisation that recorded her.
type Details struct {
	Language          string   `json:"language"`
	OtherLanguages    []string `json:"other_languages" gorm:"serializer:json"`
	Gender            string   `json:"gender"`
	Age               *int     `json:"age"`
	BirthDate         *Date    `json:"birth_date"`
	AppearsMinor      bool     `json:"appears_minor"`
	Nationality       string   `json:"nationality"`
	NameOriginal      string   `json:"name_original"`
	NameLatin         string   `json:"name_latin"`
	InterpreterNeeded bool     `json:"interpreter_needed"`
	Needs             []string `json:"needs" gorm:"serializer:json"`
	Children          int      `json:"children"`
	ExploitationTypes []string `json:"exploitation_types" gorm:"serializer:json"`
}

// Languages lists the languages she speaks in her order of preference: her first language (a
// dialect first, when she speaks one), then those she also understands.
func (c Details) Languages() []string {
	out := []string{}
	for _, l := range append([]string{c.Language}, c.OtherLanguages...) {
		if l != "" && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// Minor reports whether she is, or may be, under 18 on day: then she is treated as a child
// throughout (no consent is asked for an NRM referral, children's services first).
func (c Details) Minor(day time.Time) bool {
	if c.AppearsMinor || (c.Age != nil && *c.Age < 18) {
		return true
	}
	if c.BirthDate != nil {
		if b, err := time.Parse(time.DateOnly, string(*c.BirthDate)); err == nil {
			return yearsBetween(b, day) < 18
		}
	}
	return false
}

// CaseInput records a person. ID is chosen by the device: recording her again with the same ID
// returns the case already made, unchanged, so an upload can be retried at will.
type CaseInput struct {
	ID                uuid.UUID
	OperationID       *uuid.UUID
	Language          string
	OtherLanguages    []string
	Gender            string
	Age               *int
	BirthDate         string
	AppearsMinor      bool
	Nationality       string
	NameOriginal      string
	NameLatin         string
	InterpreterNeeded bool
	Needs             []string
	Children          int
	ExploitationTypes []string
	Indicators        []string
	FoundAt           string
	FoundCity         string
}

// Needs a person may have at once, in the order the intake asks.
var Needs = []string{"bed_tonight", "urgent_medical", "children", "pregnancy", "safety_risk"}

// Indicators are the ILO/European Commission operational indicator groups (2009).
var Indicators = []string{"deceptive_recruitment", "coercive_recruitment", "vulnerability_recruitment",
	"exploitative_conditions", "coercion_at_destination", "vulnerability_at_destination"}

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

// dateField reads a date written YYYY-MM-DD in ASCII digits. Full-width digits (as a Chinese
// input method writes them) are refused with their own message rather than guessed at: a date
// of birth must be what the officer meant.
func dateField(p *Problems, field, s string) (time.Time, bool) {
	for _, r := range s {
		if r > 0x7f {
			p.Add(field, "error.field.date_digits", nil)
			return time.Time{}, false
		}
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		p.Add(field, "error.field.date", nil)
		return time.Time{}, false
	}
	return d, true
}

// yearsBetween is a person's age on day when born on birth.
func yearsBetween(birth, day time.Time) int {
	years := day.Year() - birth.Year()
	if day.Month() < birth.Month() || (day.Month() == birth.Month() && day.Day() < birth.Day()) {
		years--
	}
	return years
}

func (in *CaseInput) validate(now time.Time) error {
	var p Problems
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if in.Language = cleanCode(in.Language); in.Language != "" {
		if c := canonicalLanguage(in.Language); c == "" {
			p.Add("language", "error.service.language", map[string]any{"Code": in.Language})
		} else {
			in.Language = c
		}
	}
	// The languages she also understands, in her order, without her first one again.
	in.OtherLanguages = slices.DeleteFunc(languagesOf(&p, "other_languages", in.OtherLanguages), func(l string) bool { return l == in.Language })
	if in.Gender = cleanCode(in.Gender); in.Gender != "" && !slices.Contains(Genders, in.Gender) {
		p.Add("gender", "error.service.value", map[string]any{"Value": in.Gender})
	}
	if in.Age != nil && (*in.Age < 0 || *in.Age > 120) {
		p.Add("age", "error.field.range", map[string]any{"Min": 0, "Max": 120})
	}
	if in.BirthDate != "" {
		if b, ok := dateField(&p, "birth_date", in.BirthDate); ok {
			switch {
			case b.After(today):
				p.Add("birth_date", "error.case.birth_future", nil)
			case yearsBetween(b, today) > 120:
				p.Add("birth_date", "error.field.range", map[string]any{"Min": 0, "Max": 120})
			case in.Age != nil && abs(yearsBetween(b, today)-*in.Age) > 1:
				p.Add("age", "error.case.age_birth_date", map[string]any{"Age": yearsBetween(b, today)})
			}
			in.BirthDate = b.Format(time.DateOnly)
		}
	}
	var ok bool
	if in.Nationality, ok = countryCode(in.Nationality); in.Nationality != "" && !ok {
		p.Add("nationality", "error.organisation.country", nil)
	}
	in.NameOriginal = cleanText(&p, "name_original", in.NameOriginal, false, 200)
	in.NameLatin = cleanText(&p, "name_latin", in.NameLatin, false, 200)
	in.Needs = oneOf(&p, "needs", in.Needs, Needs)
	if in.Children < 0 || in.Children > 12 {
		p.Add("children", "error.field.range", map[string]any{"Min": 0, "Max": 12})
	}
	in.ExploitationTypes = oneOf(&p, "exploitation_types", in.ExploitationTypes, ExploitationTypes)
	in.Indicators = oneOf(&p, "indicators", in.Indicators, Indicators)
	in.FoundAt = cleanText(&p, "found_at", in.FoundAt, false, 300)
	in.FoundCity = cleanText(&p, "found_city", in.FoundCity, false, 100)
	return p.Err()
}

func abs(n int) int { return max(n, -n) }

// localNow is now in the time zone of the actor's organisation (UTC for the system), so that
// "today" is the officer's today.
func localNow(tx *gorm.DB, a Actor, now time.Time) (time.Time, error) {
	if a.OrganisationID == uuid.Nil {
		return now, nil
	}
	var o Organisation
	if err := tx.Select("time_zone").First(&o, "id = ?", a.OrganisationID).Error; err != nil {
		return now, err
	}
	return now.In(o.Location()), nil
}

// CreateOperation starts an action day led by the actor's organisation. Repeating it with the
// same ID returns the operation already made.
func (d *Domain) CreateOperation(ctx context.Context, in OperationInput) (Operation, bool, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActOperationCreate, Target{}); err != nil {
		return Operation{}, false, err
	}
	var op Operation
	created := false
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		today, err := localNow(tx, a, now)
		if err != nil {
			return err
		}
		if done, err := made(tx, in.ID, a, &op); done || err != nil {
			return err
		}
		if err := in.validate(today); err != nil {
			return err
		}
		op = Operation{ID: orNewID(in.ID), OrganisationID: a.OrganisationID, Name: in.Name, Day: Date(in.Day), Area: in.Area,
			CreatedBy: userOf(a), CreatedAt: now, UpdatedAt: now}
		if done, err := insertOnce(tx, &op, op.ID, "operations_pkey", a); done || err != nil {
			return err
		}
		created = true
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "operation.create", RecordType: "operation", RecordID: op.ID.String()})
	})
	return op, created, err
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

// CreateCase records a person, with a short reference read from her ID (see caseReference).
// Recording her again with the same ID returns the case already made, unchanged.
func (d *Domain) CreateCase(ctx context.Context, in CaseInput) (Case, bool, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActCaseCreate, Target{}); err != nil {
		return Case{}, false, err
	}
	var c Case
	created := false
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		today, err := localNow(tx, a, now)
		if err != nil {
			return err
		}
		if done, err := made(tx, in.ID, a, &c); done || err != nil {
			return err
		}
		if err := in.validate(today); err != nil {
			return err
		}
		if in.OperationID != nil {
			var op Operation
			if err := tx.First(&op, "id = ?", *in.OperationID).Error; err != nil || op.OrganisationID != a.OrganisationID {
				return fieldError("operation_id", "error.case.operation", nil)
			}
		}
		c = Case{ID: orNewID(in.ID), OrganisationID: a.OrganisationID, OperationID: in.OperationID, CreatedBy: userOf(a),
			Details: Details{Language: in.Language, OtherLanguages: in.OtherLanguages, Gender: in.Gender, Age: in.Age,
				AppearsMinor: in.AppearsMinor, Nationality: in.Nationality, NameOriginal: in.NameOriginal, NameLatin: in.NameLatin,
				InterpreterNeeded: in.InterpreterNeeded, Needs: in.Needs, Children: in.Children, ExploitationTypes: in.ExploitationTypes},
			Indicators: in.Indicators, FoundAt: in.FoundAt, FoundCity: in.FoundCity, CreatedAt: now, UpdatedAt: now}
		if in.BirthDate != "" {
			c.BirthDate = ptr(Date(in.BirthDate))
		}
		if done, err := insertWithReference(tx, &c, a); done || err != nil {
			return err // done: the same upload, sent twice at once, recorded her first
		}
		created = true
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "case.create", RecordType: "case", RecordID: c.ID.String(),
			Detail: Detail{"reference": c.Reference}})
	})
	return c, created, err
}

// Case reads a person's details; every read is audited in the same transaction. Another
// organisation's case is not found.
func (d *Domain) Case(ctx context.Context, id uuid.UUID) (Case, error) {
	return d.readCase(ctx, id, "", nil)
}

func userOf(a Actor) *uuid.UUID {
	if a.UserID == uuid.Nil {
		return nil
	}
	return &a.UserID
}

// crockford is Crockford's base32 alphabet: no I, L, O or U, so a reference read over a phone
// line cannot be misheard as another.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// caseReference is the short reference for a case ID: "HB-" and six Crockford base32 symbols
// (30 bits) read from the ID's random bits, starting at bit offset shift of the last 64 bits, so
// a phone offline shows the same reference the server will store. On the rare clash with another
// case the server reads the next 30 bits (shift 30).
func caseReference(id uuid.UUID, shift uint) string {
	var tail uint64
	for _, b := range id[8:] {
		tail = tail<<8 | uint64(b)
	}
	v := tail >> shift
	var sym [6]byte
	for i := 5; i >= 0; i-- {
		sym[i] = crockford[v&31]
		v >>= 5
	}
	return "HB-" + string(sym[:4]) + "-" + string(sym[4:])
}

// insertWithReference inserts the case with its reference, reading further bits of its ID when
// the reference is already taken (see insertOnce for madeBefore).
func insertWithReference(tx *gorm.DB, c *Case, a Actor) (madeBefore bool, err error) {
	for _, shift := range []uint{0, 30} {
		c.Reference = caseReference(c.ID, shift)
		if madeBefore, err = insertOnce(tx, c, c.ID, "cases_pkey", a); !uniqueViolation(err, "cases_reference_key") {
			return madeBefore, err
		}
	}
	return false, err
}
