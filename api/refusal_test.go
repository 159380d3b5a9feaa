package api_test

import (
	"net/http"
	"testing"
)

// TestRefusals checks, for every endpoint, that nobody, a wrong role and another organisation
// are refused — and that the right user is let through, so the refusals are not an accident.
func TestRefusals(t *testing.T) {
	f := newFixture(t)
	police, officer := f.police.ID.String(), f.users["officer"].ID.String()
	own, _, err := f.svc.CreateToken(asUser(f, "officer"), f.users["officer"].ID, "own")
	if err != nil {
		t.Fatal(err)
	}
	tokenID := own.ID.String()
	newUser := func() string {
		return `{"id":"` + newID() + `","organisation_id":"` + police + `","email":"u` + newID()[30:] + `@example.org","name":"N","roles":["officer"],"password":"a long enough password"}`
	}
	newOrg := func() string { return `{"name":"Org ` + newID() + `","kind":"ngo","country":"BE"}` }

	tryEndpoints(t, f, []endpointCase{
		{"GetMe", "GET", "/api/v1/me", nil, []attempt{{"", 401}, {"officer", 200}}},
		{"PatchMe", "PATCH", "/api/v1/me", func() string { return `{"language":"en"}` }, []attempt{{"", 401}, {"officer", 200}}},
		{"ListOrganisations", "GET", "/api/v1/organisations", nil,
			[]attempt{{"", 401}, {"officer", 403}, {"orgadmin", 403}, {"admin", 200}}},
		{"CreateOrganisation", "POST", "/api/v1/organisations", newOrg,
			[]attempt{{"", 401}, {"officer", 403}, {"orgadmin", 403}, {"admin", 201}}},
		{"GetOrganisation", "GET", "/api/v1/organisations/" + police, nil,
			[]attempt{{"", 401}, {"shelteradmin", 404}, {"officer", 200}, {"admin", 200}}},
		{"PatchOrganisation", "PATCH", "/api/v1/organisations/" + police, func() string { return `{"time_zone":"Europe/Brussels"}` },
			[]attempt{{"", 401}, {"shelteradmin", 404}, {"officer", 403}, {"orgadmin", 403}, {"admin", 200}}},
		{"ListUsers", "GET", "/api/v1/organisations/" + police + "/users", nil,
			[]attempt{{"", 401}, {"officer", 403}, {"shelteradmin", 404}, {"orgadmin", 200}, {"admin", 200}}},
		{"ListUsersOfNoOrganisation", "GET", "/api/v1/organisations/" + newID() + "/users", nil, []attempt{{"admin", 404}}},
		{"CreateUser", "POST", "/api/v1/users", newUser,
			[]attempt{{"", 401}, {"officer", 403}, {"shelteradmin", 403}, {"orgadmin", 201}}},
		{"GetUser", "GET", "/api/v1/users/" + officer, nil,
			[]attempt{{"", 401}, {"shelteradmin", 404}, {"colleague", 404}, {"officer", 200}, {"orgadmin", 200}}},
		{"PatchUser", "PATCH", "/api/v1/users/" + officer, func() string { return `{"name":"Officer"}` },
			[]attempt{{"", 401}, {"shelteradmin", 404}, {"colleague", 404}, {"officer", 403}, {"orgadmin", 200}}},
		{"ResetPassword", "POST", "/api/v1/users/" + officer + "/password", func() string { return `{"password":"another long password"}` },
			[]attempt{{"", 401}, {"shelteradmin", 404}, {"colleague", 404}, {"officer", 403}, {"orgadmin", 204}}},
		{"ListTokens", "GET", "/api/v1/users/" + officer + "/tokens", nil,
			[]attempt{{"", 401}, {"shelteradmin", 404}, {"colleague", 404}, {"officer", 200}, {"orgadmin", 200}}},
		{"CreateToken", "POST", "/api/v1/tokens", func() string { return `{"name":"script"}` }, []attempt{{"", 401}, {"officer", 201}}},
		{"ListAudit", "GET", "/api/v1/audit", nil,
			[]attempt{{"", 401}, {"officer", 403}, {"orgadmin", 200}, {"admin", 200}}},
		{"ListAuditOfOtherOrganisation", "GET", "/api/v1/audit?organisation_id=" + f.shelter.ID.String(), nil,
			[]attempt{{"", 401}, {"officer", 403}, {"orgadmin", 403}, {"shelteradmin", 200}, {"admin", 200}}},
		{"VerifyAudit", "GET", "/api/v1/audit/verify", nil,
			[]attempt{{"", 401}, {"officer", 403}, {"orgadmin", 403}, {"shelteradmin", 403}, {"admin", 200}}},
		// The officer's second token: revoking it leaves the one the attempts use.
		{"RevokeToken", "DELETE", "/api/v1/tokens/" + tokenID, nil,
			[]attempt{{"", 401}, {"shelteradmin", 404}, {"colleague", 404}, {"officer", 200}}},
	})
}

// attempt is one caller's try at an endpoint ("" is nobody) and the status it must get.
type attempt struct {
	who  string
	want int
}

// endpointCase is an endpoint and the attempts made at it, in order.
type endpointCase struct {
	name, method, path string
	body               func() string // a fresh body for each attempt; nil for none
	attempts           []attempt
}

// tryEndpoints makes every attempt, one subtest per endpoint; each refusal must be a problem.
func tryEndpoints(t *testing.T, f *fixture, cases []endpointCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, a := range tc.attempts {
				body := ""
				if tc.body != nil {
					body = tc.body()
				}
				rec := f.call(tc.method, tc.path, a.who, body)
				if rec.Code != a.want {
					t.Fatalf("%s %s as %q: status %d, want %d; %s", tc.method, tc.path, a.who, rec.Code, a.want, rec.Body)
				}
				if a.want >= 400 {
					problem(t, rec)
				}
			}
		})
	}
}

func TestUnknownRouteIsProblem(t *testing.T) {
	f := newFixture(t)
	rec := f.call(http.MethodGet, "/api/v1/nothing-here", "officer", "", "Accept-Language", "en")
	status(t, rec, 404)
	if p := problem(t, rec); p.Title != "Not found" {
		t.Fatalf("title %q", p.Title)
	}
	rec = f.call(http.MethodPut, "/api/v1/me", "officer", `{}`)
	status(t, rec, 405)
	problem(t, rec)
}
