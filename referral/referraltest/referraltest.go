// Package referraltest builds the domain on a fresh database with the real migrations, for the
// tests of the domain and of the packages beside it (hsds, demo): a clock that moves only when
// told, quick password hashing (sign-in tests use the real parameters too), and helpers that
// create organisations and users and check the domain's errors.
package referraltest

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/harbour-nrm/harbour/pgcluster/pgtest"
	"github.com/harbour-nrm/harbour/referral"
)

// Password is every test user's password.
const Password = "correct horse battery"

// FastArgon2 keeps password hashing quick in tests.
var FastArgon2 = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// System acts as the system.
var System = referral.WithActor(context.Background(), referral.SystemActor("test"))

// Clock is a test clock that only moves when told to.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now is the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Advance moves the clock on.
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// Set moves the clock to a moment.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// World is the domain on its own fresh database.
type World struct {
	Domain *referral.Domain
	DB     *referral.DB
	Clock  *Clock // starts at 20 November 2026, 09:00 UTC
}

// New opens a fresh database (the test binary's TestMain must be pgtest.Main) and builds the
// domain on it as the server does, staff languages zh-Hans and en.
func New(t testing.TB) *World {
	t.Helper()
	db := pgtest.Open(t)
	cfg := referral.DefaultConfig()
	cfg.Argon2 = FastArgon2
	cfg.Languages = []string{"zh-Hans", "en"}
	d := referral.NewDomain(db.Gorm, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	d.UseSearchDB(db.Search) // as the server does: matching runs with its generic plan
	c := &Clock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	d.SetClock(c.Now)
	return &World{Domain: d, DB: db, Clock: c}
}

// Ptr points to a copy of v.
func Ptr[T any](v T) *T { return &v }

// Org creates a Belgian organisation.
func (w *World) Org(t testing.TB, name string, kind referral.OrganisationKind) referral.Organisation {
	t.Helper()
	o, _, err := w.Domain.CreateOrganisation(System, referral.OrganisationInput{Name: &name, Kind: &kind, Country: Ptr("BE")})
	if err != nil {
		t.Fatalf("create organisation: %v", err)
	}
	return o
}

// User creates a user of o with Password.
func (w *World) User(t testing.TB, o referral.Organisation, email string, roles ...referral.Role) referral.User {
	t.Helper()
	u, _, err := w.Domain.CreateUser(System, referral.UserInput{OrganisationID: o.ID, Email: &email, Name: Ptr("Test " + email),
		Roles: &roles, Password: Ptr(Password)})
	if err != nil {
		t.Fatalf("create user: %v", err)
	}
	return u
}

// CountAudit counts the audit events of an action.
func (w *World) CountAudit(t testing.TB, action string) int64 {
	t.Helper()
	var n int64
	if err := w.DB.Gorm.Table("audit_events").Where("action = ?", action).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// As returns a context acting as the user.
func As(u referral.User) context.Context {
	return referral.WithActor(context.Background(), referral.Actor{UserID: u.ID, OrganisationID: u.OrganisationID, Roles: u.Roles})
}

// Code asserts the error's domain code.
func Code(t testing.TB, err error, want referral.Code) {
	t.Helper()
	if got := referral.ErrorCode(err); err == nil || got != want {
		t.Fatalf("error = %v (code %s), want code %s", err, got, want)
	}
}

// Field asserts an invalid-input error naming field with the message.
func Field(t testing.TB, err error, name, messageID string) {
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

// Directory is a small directory's people: a police unit with an officer, and two shelters
// each with an org admin and staff.
type Directory struct {
	Police, ShelterOrg, OtherShelter                 referral.Organisation
	Officer, OrgAdmin, Staff, OtherAdmin, OtherStaff referral.User
}

// MakeDirectory creates a Directory's organisations and users.
func (w *World) MakeDirectory(t testing.TB) Directory {
	t.Helper()
	var d Directory
	d.Police = w.Org(t, "Police", referral.KindPolice)
	d.ShelterOrg = w.Org(t, "Maison Lotus", referral.KindShelter)
	d.OtherShelter = w.Org(t, "Huis Haven", referral.KindShelter)
	d.Officer = w.User(t, d.Police, "officer@police.example", referral.RoleOfficer)
	d.OrgAdmin = w.User(t, d.ShelterOrg, "admin@lotus.example", referral.RoleOrgAdmin)
	d.Staff = w.User(t, d.ShelterOrg, "staff@lotus.example", referral.RoleShelterStaff)
	d.OtherAdmin = w.User(t, d.OtherShelter, "admin@haven.example", referral.RoleOrgAdmin)
	d.OtherStaff = w.User(t, d.OtherShelter, "staff@haven.example", referral.RoleShelterStaff)
	return d
}

// ShelterInput is a confidential Brussels shelter of org with the given beds, speaking
// Mandarin, Wu and French.
func ShelterInput(org referral.Organisation, beds int) referral.ServiceInput {
	cat := referral.CategoryShelter
	lat, lon := 50.8467, 4.3525
	return referral.ServiceInput{OrganisationID: org.ID, Category: &cat, Name: Ptr("Lotus women's shelter"),
		Languages: &[]string{"cmn", "wuu", "fr"}, Genders: &[]string{"female"}, AcceptsChildren: Ptr(true),
		Address: Ptr("Rue Secrète 1"), City: Ptr("Brussels"), Country: Ptr("BE"), Latitude: Ptr(&lat), Longitude: Ptr(&lon),
		Confidential: Ptr(true), OpenAlways: Ptr(true), Capacity: map[referral.Unit]int{referral.UnitBed: beds}}
}
