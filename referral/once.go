package referral

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// owned is a record a device may create under an ID of its own choosing, so that an upload can
// be retried at will; owner is the organisation that made it.
type owned interface{ owner() uuid.UUID }

func (o Operation) owner() uuid.UUID { return o.OrganisationID }
func (c Case) owner() uuid.UUID      { return c.OrganisationID }
func (k Consent) owner() uuid.UUID   { return k.OrganisationID }
func (r Referral) owner() uuid.UUID  { return r.FromOrganisationID }

// made finds the record a retried create already made under id and puts it in rec, reporting
// true; false when there is none (or no ID was given). An ID held by another organisation's
// record is a conflict, and that record is not shown.
func made[T owned](tx *gorm.DB, id uuid.UUID, a Actor, rec *T) (bool, error) {
	if id == uuid.Nil {
		return false, nil
	}
	var found T
	if err := tx.Where("id = ?", id).Limit(1).Find(&found).Error; err != nil {
		return false, err
	}
	switch o := found.owner(); {
	case o == uuid.Nil:
		return false, nil
	case o != a.OrganisationID && !a.IsSystem():
		return false, Errorf(CodeConflict, "error.record.id_taken", nil)
	}
	*rec = found
	return true, nil
}

// createOnce runs a create that a device may retry under the ID it chose: authorized for act,
// in one transaction with one "now". When a record already has the ID (made), it is returned as
// it is, with created false; otherwise create makes it (validates, inserts with insertOnce,
// audits) and says whether it did, false when a concurrent retry made it first.
func createOnce[T owned](ctx context.Context, d *Domain, act Action, id uuid.UUID,
	create func(tx *gorm.DB, now time.Time, a Actor, rec *T) (bool, error)) (T, bool, error) {
	a := ActorFrom(ctx)
	var rec T
	if err := Authorize(a, act, Target{}); err != nil {
		return rec, false, err
	}
	created := false
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		if done, err := made(tx, id, a, &rec); done || err != nil {
			return err
		}
		var err error
		created, err = create(tx, now, a, &rec)
		return err
	})
	if err != nil {
		var zero T
		return zero, false, err
	}
	return rec, created, nil
}

// insertOnce inserts rec in a savepoint. When a concurrent request inserted the same ID first
// (the primary key pkey refused this one), rec becomes that record and madeBefore is true; the
// transaction stays usable either way.
func insertOnce[T owned](tx *gorm.DB, rec *T, id uuid.UUID, pkey string, a Actor) (madeBefore bool, err error) {
	err = tx.Transaction(func(sp *gorm.DB) error { return sp.Create(rec).Error })
	if !uniqueViolation(err, pkey) {
		return false, err
	}
	if ok, merr := made(tx, id, a, rec); ok || merr != nil {
		return ok, merr
	}
	return false, err
}

// uniqueViolation reports whether err is a unique violation of the named constraint.
func uniqueViolation(err error, constraint string) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "23505" && pg.ConstraintName == constraint
}

func orNewID(id uuid.UUID) uuid.UUID {
	if id == uuid.Nil {
		return newID()
	}
	return id
}
