package referral_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/pgcluster/pgtest"
	"github.com/harbour-nrm/harbour/referral"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// clock is a test clock that only moves when told to.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// fastArgon2 keeps password hashing quick in tests; sign-in tests use the real parameters too.
var fastArgon2 = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

type env struct {
	svc   *referral.Domain
	clock *clock
	db    *referral.DB
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := pgtest.Open(t)
	cfg := referral.DefaultConfig()
	cfg.Argon2 = fastArgon2
	cfg.Languages = []string{"zh-Hans", "en"}
	svc := referral.NewDomain(db.Gorm, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.UseSearchDB(db.Search) // as the server does: matching runs with its generic plan
	c := &clock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	svc.SetClock(c.Now)
	return &env{svc: svc, clock: c, db: db}
}

var system = referral.WithActor(context.Background(), referral.SystemActor("test"))

func ptr[T any](v T) *T { return &v }

func (e *env) org(t *testing.T, name string, kind referral.OrganisationKind) referral.Organisation {
	t.Helper()
	o, _, err := e.svc.CreateOrganisation(system, referral.OrganisationInput{Name: &name, Kind: &kind, Country: ptr("BE")})
	if err != nil {
		t.Fatalf("create organisation: %v", err)
	}
	return o
}

const testPassword = "correct horse battery"

func (e *env) user(t *testing.T, o referral.Organisation, email string, roles ...referral.Role) referral.User {
	t.Helper()
	u, _, err := e.svc.CreateUser(system, referral.UserInput{OrganisationID: o.ID, Email: &email, Name: ptr("Test " + email),
		Roles: &roles, Password: ptr(testPassword)})
	if err != nil {
		t.Fatalf("create user: %v", err)
	}
	return u
}

// as returns a context acting as the user.
func as(u referral.User) context.Context {
	return referral.WithActor(context.Background(), referral.Actor{UserID: u.ID, OrganisationID: u.OrganisationID, Roles: u.Roles})
}

// code asserts the error's domain code.
func code(t *testing.T, err error, want referral.Code) {
	t.Helper()
	if got := referral.ErrorCode(err); err == nil || got != want {
		t.Fatalf("error = %v (code %s), want code %s", err, got, want)
	}
}

// field asserts an invalid-input error naming field with the message.
func field(t *testing.T, err error, name, messageID string) {
	t.Helper()
	e, ok := err.(*referral.Error)
	if !ok || e.Code != referral.CodeInvalid {
		t.Fatalf("error = %v, want invalid input", err)
	}
	for _, f := range e.Fields {
		if f.Field == name && f.MessageID == messageID {
			return
		}
	}
	t.Fatalf("fields = %+v, want %s: %s", e.Fields, name, messageID)
}

func countAudit(t *testing.T, e *env, action string) int64 {
	t.Helper()
	var n int64
	if err := e.db.Gorm.Table("audit_events").Where("action = ?", action).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

var _ = uuid.Nil
