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
	t       *testing.T
	srv     *api.Server
	svc     *referral.Domain
	db      *referral.DB
	police  referral.Organisation
	shelter referral.Organisation
	users   map[string]referral.User // officer, colleague, orgadmin, shelteradmin, admin
	tokens  map[string]string        // by the same names
}

const password = "a long enough password"

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := pgtest.Open(t)
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	cfg := referral.DefaultConfig()
	cfg.Argon2 = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	cfg.Languages = i18n.StaffLanguages
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := referral.NewDomain(db.Gorm, cfg, log)
	svc.UseSearchDB(db.Search)
	srv := api.New(api.DefaultConfig(), api.Deps{Domain: svc, Bundle: bundle, DB: db, Log: log, Registry: prometheus.NewRegistry()})
	f := &fixture{t: t, srv: srv, svc: svc, db: db, users: map[string]referral.User{}, tokens: map[string]string{}}
	sys := referral.WithActor(context.Background(), referral.SystemActor("test"))
	org := func(name string, kind referral.OrganisationKind) referral.Organisation {
		o, _, err := svc.CreateOrganisation(sys, referral.OrganisationInput{Name: &name, Kind: &kind, Country: ptr("BE")})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	f.police, f.shelter = org("Police", referral.KindPolice), org("Shelter", referral.KindShelter)
	platform := org("Platform", referral.KindOther)
	for _, u := range []struct {
		name string
		org  referral.Organisation
		role referral.Role
	}{
		{"officer", f.police, referral.RoleOfficer}, {"colleague", f.police, referral.RoleOfficer},
		{"orgadmin", f.police, referral.RoleOrgAdmin}, {"shelteradmin", f.shelter, referral.RoleOrgAdmin},
		{"admin", platform, referral.RoleAdmin},
	} {
		roles := []referral.Role{u.role}
		user, _, err := svc.CreateUser(sys, referral.UserInput{OrganisationID: u.org.ID, Email: ptr(u.name + "@example.org"),
			Name: ptr(u.name), Roles: &roles, Password: ptr(password)})
		if err != nil {
			t.Fatal(err)
		}
		_, secret, err := svc.CreateToken(sys, user.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		f.users[u.name], f.tokens[u.name] = user, secret
	}
	return f
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
func problem(t *testing.T, rec *httptest.ResponseRecorder) api.Problem {
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

func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("%v: %s", err, rec.Body)
	}
	return v
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func status(t *testing.T, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("status %d, want %d; body %s", rec.Code, want, rec.Body)
	}
}
