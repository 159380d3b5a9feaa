package referral

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral/nrm"
	"gorm.io/gorm"
)

// Config holds the domain's tunable settings.
type Config struct {
	SessionIdle     time.Duration // a session unused this long ends
	SessionLifetime time.Duration // a session ends this long after sign-in, used or not
	Throttle        ThrottlePolicy
	Argon2          *argon2id.Params // nil: DefaultArgon2
	Languages       []string         // languages a user may choose for the interface; "" always allowed
	NRM             *nrm.Set         // the NRM jurisdictions; nil: as shipped (nrm.Shipped)
}

// DefaultConfig returns the settings Harbour ships with.
func DefaultConfig() Config {
	return Config{
		SessionIdle:     30 * time.Minute,
		SessionLifetime: 12 * time.Hour,
		Throttle:        DefaultThrottlePolicy(),
	}
}

// Domain is the entry point to Harbour's domain. Its exported methods take the actor from the context,
// authorize, validate, and run in one transaction with one "now".
type Domain struct {
	db     *gorm.DB
	search *sql.DB // runs the ranking statement when set (UseSearchDB)
	cfg    Config
	log    *slog.Logger
	now    func() time.Time

	dummyOnce sync.Once
	dummy     string
}

// NewDomain returns the domain on db.
func NewDomain(db *gorm.DB, cfg Config, log *slog.Logger) *Domain {
	if log == nil {
		log = slog.Default()
	}
	if cfg.NRM == nil {
		set, err := nrm.Shipped()
		if err != nil {
			panic(err) // the shipped files are checked by their tests
		}
		cfg.NRM = set
	}
	return &Domain{db: db, cfg: cfg, log: log, now: time.Now}
}

// Jurisdictions returns the NRM jurisdictions the domain applies.
func (d *Domain) Jurisdictions() *nrm.Set { return d.cfg.NRM }

// SetClock replaces the clock, for tests that move time.
func (d *Domain) SetClock(now func() time.Time) { d.now = now }

// Now returns the domain's current time, in UTC with the database's microsecond precision.
func (d *Domain) Now() time.Time { return d.now().UTC().Truncate(time.Microsecond) }

// inTx runs fn in one transaction with one timestamp. Any error from fn rolls back and is
// returned as is.
func (d *Domain) inTx(ctx context.Context, fn func(tx *gorm.DB, now time.Time) error) error {
	now := d.Now()
	return d.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return fn(tx, now) })
}

// notFound turns gorm's record-not-found into the domain's not-found error.
func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}

// duplicate reports a unique index refusing a write as the field error a form shows; other
// errors pass through.
func duplicate(err error, field, messageID string) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return fieldError(field, messageID, nil)
	}
	return err
}

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
