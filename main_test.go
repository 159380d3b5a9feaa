package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/harbour-nrm/harbour/pgcluster/pgtest"
	"github.com/harbour-nrm/harbour/referral"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// testServer is the whole program serving on a loopback port, on its own fresh database.
type testServer struct {
	*Main
	URL string
}

// startServer runs Harbour as `harbour serve` does (with DATABASE_URL set to a fresh test
// database), and stops it when the test ends.
func startServer(t *testing.T, options ...func(*Config)) *testServer {
	t.Helper()
	cfg := DefaultConfig()
	cfg.DatabaseURL, cfg.Addr, cfg.Demo = pgtest.New(t), "127.0.0.1:0", false
	cfg.DataDir = t.TempDir() // e-mails in development go to DataDir/log/mail
	for _, o := range options {
		o(&cfg)
	}
	logs := io.Discard
	if testing.Verbose() && os.Getenv("HARBOUR_TEST_LOGS") != "" {
		logs = os.Stderr
	}
	m := NewMain(cfg, io.Discard, logs)
	ctx, cancel := context.WithCancel(context.Background())
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.Listen(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := m.Serve(ctx); err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		_ = m.Close()
	})
	return &testServer{Main: m, URL: "http://" + m.Addr()}
}

var cliCtx = referral.WithActor(context.Background(), referral.SystemActor("test"))

func ptr[T any](v T) *T { return &v }

// user creates an organisation (if name is new) and a user in it with the given role.
func (s *testServer) user(t *testing.T, orgName string, kind referral.OrganisationKind, email string, roles ...referral.Role) referral.User {
	t.Helper()
	o, err := s.Domain.FindOrganisation(cliCtx, orgName)
	if err != nil {
		o, _, err = s.Domain.CreateOrganisation(cliCtx, referral.OrganisationInput{Name: &orgName, Kind: &kind, Country: ptr("BE")})
		if err != nil {
			t.Fatal(err)
		}
	}
	u, _, err := s.Domain.CreateUser(cliCtx, referral.UserInput{OrganisationID: o.ID, Email: &email, Name: ptr("Name of " + email),
		Roles: &roles, Password: ptr(testPassword)})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

const testPassword = "a password long enough"

// browser is an HTTP client with a cookie jar that does not follow redirects.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func read(t *testing.T, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func contains(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Fatalf("body lacks %q:\n%s", w, body)
		}
	}
}
