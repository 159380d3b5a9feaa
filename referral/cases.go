package referral

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

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

// CreateCase records a person, with a short reference read from her ID (see caseReference).
// Recording her again with the same ID returns the case already made, unchanged.
func (d *Domain) CreateCase(ctx context.Context, in CaseInput) (Case, bool, error) {
	return createOnce(ctx, d, ActCaseCreate, in.ID, func(tx *gorm.DB, now time.Time, a Actor, c *Case) (bool, error) {
		today, err := localNow(tx, a, now)
		if err != nil {
			return false, err
		}
		if err := in.validate(today); err != nil {
			return false, err
		}
		if in.OperationID != nil {
			var op Operation
			if err := tx.First(&op, "id = ?", *in.OperationID).Error; err != nil || op.OrganisationID != a.OrganisationID {
				return false, fieldError("operation_id", "error.case.operation", nil)
			}
		}
		*c = Case{ID: orNewID(in.ID), OrganisationID: a.OrganisationID, OperationID: in.OperationID, CreatedBy: userOf(a),
			Details: Details{Language: in.Language, OtherLanguages: in.OtherLanguages, Gender: in.Gender, Age: in.Age,
				AppearsMinor: in.AppearsMinor, Nationality: in.Nationality, NameOriginal: in.NameOriginal, NameLatin: in.NameLatin,
				InterpreterNeeded: in.InterpreterNeeded, Needs: in.Needs, Children: in.Children, ExploitationTypes: in.ExploitationTypes},
			Indicators: in.Indicators, FoundAt: in.FoundAt, FoundCity: in.FoundCity, CreatedAt: now, UpdatedAt: now}
		if in.BirthDate != "" {
			c.BirthDate = ptr(Date(in.BirthDate))
		}
		if done, err := insertWithReference(tx, c, a); done || err != nil {
			return false, err // done: the same upload, sent twice at once, recorded her first
		}
		return true, appendAudit(ctx, tx, now, a, auditEntry{Action: "case.create", RecordType: "case", RecordID: c.ID.String(),
			Detail: Detail{"reference": c.Reference}})
	})
}

// Case reads a person's details; every read is audited in the same transaction. Another
// organisation's case is not found.
func (d *Domain) Case(ctx context.Context, id uuid.UUID) (Case, error) {
	return d.readCase(ctx, id, "", nil)
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
