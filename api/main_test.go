package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/alexedwards/argon2id"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/harbour-nrm/harbour/api"
	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/locales"
	"github.com/harbour-nrm/harbour/pgcluster/pgtest"
	"github.com/harbour-nrm/harbour/referral"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// fixture is an API on a fresh database with two police users, a shelter admin and a
// platform admin, each with an API token.
type fixture struct {
	t       testing.TB
	srv     *api.Server
	svc     *referral.Domain
	db      *referral.DB
	police  referral.Organisation
	shelter referral.Organisation
	users   map[string]referral.User // officer, colleague, orgadmin, shelteradmin, admin
	tokens  map[string]string        // by the same names
}

const password = "a long enough password"

func newFixture(t testing.TB) *fixture {
	t.Helper()
	db := pgtest.Open(t)
	svc := newDomain(db, quiet)
	f := &fixture{t: t, srv: newServer(t, svc, db, quiet), svc: svc, db: db, users: map[string]referral.User{}, tokens: map[string]string{}}
	f.police, f.shelter = f.addOrganisation("Police", referral.KindPolice), f.addOrganisation("Shelter", referral.KindShelter)
	platform := f.addOrganisation("Platform", referral.KindOther)
	f.addUser("officer", f.police, referral.RoleOfficer)
	f.addUser("colleague", f.police, referral.RoleOfficer)
	f.addUser("orgadmin", f.police, referral.RoleOrgAdmin)
	f.addUser("shelteradmin", f.shelter, referral.RoleOrgAdmin)
	f.addUser("admin", platform, referral.RoleAdmin)
	return f
}

// quiet is the logger of tests that do not read the log.
var quiet = slog.New(slog.DiscardHandler)

// newDomain returns the domain as the server wires it, with cheap password hashing.
func newDomain(db *referral.DB, log *slog.Logger) *referral.Domain {
	cfg := referral.DefaultConfig()
	cfg.Argon2 = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	cfg.Languages = i18n.StaffLanguages
	d := referral.NewDomain(db.Gorm, cfg, log)
	d.UseSearchDB(db.Search)
	return d
}

// newServer returns the API over d, with the real messages and its own metrics registry.
func newServer(tb testing.TB, d *referral.Domain, db *referral.DB, log *slog.Logger) *api.Server {
	tb.Helper()
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		tb.Fatal(err)
	}
	return api.New(api.DefaultConfig(), api.Deps{Domain: d, Bundle: bundle, DB: db, Log: log, Registry: prometheus.NewRegistry()})
}

// sys acts as the system, for setting up what the tests need.
var sys = referral.WithActor(context.Background(), referral.SystemActor("test"))

// addOrganisation creates a Belgian organisation.
func (f *fixture) addOrganisation(name string, kind referral.OrganisationKind) referral.Organisation {
	f.t.Helper()
	o, _, err := f.svc.CreateOrganisation(sys, referral.OrganisationInput{Name: &name, Kind: &kind, Country: ptr("BE")})
	if err != nil {
		f.t.Fatal(err)
	}
	return o
}

// addUser creates name@example.org with one role in org, and an API token for calling as name.
func (f *fixture) addUser(name string, org referral.Organisation, role referral.Role) {
	f.t.Helper()
	roles := []referral.Role{role}
	user, _, err := f.svc.CreateUser(sys, referral.UserInput{OrganisationID: org.ID, Email: ptr(name + "@example.org"),
		Name: ptr(name), Roles: &roles, Password: ptr(password)})
	if err != nil {
		f.t.Fatal(err)
	}
	_, secret, err := f.svc.CreateToken(sys, user.ID, "test")
	if err != nil {
		f.t.Fatal(err)
	}
	f.users[name], f.tokens[name] = user, secret
}

func ptr[T any](v T) *T { return &v }

// call sends a request as the named user ("" for nobody) and returns the response.
func (f *fixture) call(method, path, who, body string, headers ...string) *httptest.ResponseRecorder {
	f.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[who])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	f.srv.Echo.ServeHTTP(rec, req)
	return rec
}

// problem decodes a problem+json response, failing if it is not one.
func problem(t testing.TB, rec *httptest.ResponseRecorder) api.Problem {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json; body %s", ct, rec.Body)
	}
	var p api.Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if p.Title == "" || p.Detail == "" || p.Status != rec.Code {
		t.Fatalf("incomplete problem %+v", p)
	}
	return p
}

func decode[T any](t testing.TB, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("%v: %s", err, rec.Body)
	}
	return v
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func status(t testing.TB, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("status %d, want %d; body %s", rec.Code, want, rec.Body)
	}
}
