package hsds_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/harbour-nrm/harbour/hsds"
	"github.com/harbour-nrm/harbour/pgcluster/pgtest"
	"github.com/harbour-nrm/harbour/referral"
)

// The HSDS tests run on a real database with the real migrations, as the domain's do; these
// helpers build the same small world the domain's directory tests use.

func TestMain(m *testing.M) { pgtest.Main(m) }

// env is one fresh database with the domain and its HSDS directory, on a fixed clock.
type env struct {
	svc  *referral.Domain
	hsds *hsds.Directory
	db   *referral.DB
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := pgtest.Open(t)
	cfg := referral.DefaultConfig()
	// Password hashing is not under test here.
	cfg.Argon2 = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	cfg.Languages = []string{"zh-Hans", "en"}
	svc := referral.NewDomain(db.Gorm, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.UseSearchDB(db.Search)
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	svc.SetClock(func() time.Time { return now })
	return &env{svc: svc, hsds: hsds.New(svc), db: db}
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

func (e *env) user(t *testing.T, o referral.Organisation, email string, roles ...referral.Role) referral.User {
	t.Helper()
	u, _, err := e.svc.CreateUser(system, referral.UserInput{OrganisationID: o.ID, Email: &email, Name: ptr("Test " + email),
		Roles: &roles, Password: ptr("correct horse battery")})
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

// directory is a test world: a police unit with an officer, and two shelters each with an org
// admin and staff.
type directory struct {
	*env
	police, shelterOrg, otherShelter                 referral.Organisation
	officer, orgAdmin, staff, otherAdmin, otherStaff referral.User
}

func newDirectory(t *testing.T) *directory {
	e := newEnv(t)
	d := &directory{env: e}
	d.police = e.org(t, "Police", referral.KindPolice)
	d.shelterOrg = e.org(t, "Maison Lotus", referral.KindShelter)
	d.otherShelter = e.org(t, "Huis Haven", referral.KindShelter)
	d.officer = e.user(t, d.police, "officer@police.example", referral.RoleOfficer)
	d.orgAdmin = e.user(t, d.shelterOrg, "admin@lotus.example", referral.RoleOrgAdmin)
	d.staff = e.user(t, d.shelterOrg, "staff@lotus.example", referral.RoleShelterStaff)
	d.otherAdmin = e.user(t, d.otherShelter, "admin@haven.example", referral.RoleOrgAdmin)
	d.otherStaff = e.user(t, d.otherShelter, "staff@haven.example", referral.RoleShelterStaff)
	return d
}

// shelterInput is a confidential Brussels shelter with the given beds, speaking Mandarin and Wu.
func shelterInput(org referral.Organisation, beds int) referral.ServiceInput {
	cat := referral.CategoryShelter
	lat, lon := 50.8467, 4.3525
	return referral.ServiceInput{OrganisationID: org.ID, Category: &cat, Name: ptr("Lotus women's shelter"),
		Languages: &[]string{"cmn", "wuu", "fr"}, Genders: &[]string{"female"}, AcceptsChildren: ptr(true),
		Address: ptr("Rue Secrète 1"), City: ptr("Brussels"), Country: ptr("BE"), Latitude: ptr(&lat), Longitude: ptr(&lon),
		Confidential: ptr(true), OpenAlways: ptr(true), Capacity: map[referral.Unit]int{referral.UnitBed: beds}}
}
