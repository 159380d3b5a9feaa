// Package servertest starts Harbour for tests exactly as `harbour serve` runs it (package
// server), on a fresh database of the test cluster (pgcluster/pgtest), and gives tests what a
// person at a browser has: a client with cookies, pages fetched and forms sent with their CSRF
// token, sign-ins. Page tests (web/) and browser tests (e2e/) share it. A test package using it
// calls pgtest.Main from its TestMain.
package servertest

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/harbour-nrm/harbour/demo"
	"github.com/harbour-nrm/harbour/pgcluster/pgtest"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/server"
)

// Server is the whole program serving on a loopback port, on its own fresh database.
type Server struct {
	*server.Main
	URL string
}

// Password is the password of every user a test makes with User.
const Password = "a password long enough"

// System acts as the system, for setting up what a test needs.
var System = referral.WithActor(context.Background(), referral.SystemActor("test"))

// Start runs Harbour as `harbour serve` does (with DATABASE_URL set to a fresh test database),
// and stops it when the test ends. Its logs go to stderr with -v and HARBOUR_TEST_LOGS set.
func Start(t testing.TB, options ...func(*server.Config)) *Server {
	t.Helper()
	cfg := server.DefaultConfig()
	cfg.DatabaseURL, cfg.Addr, cfg.Demo = pgtest.New(t), "127.0.0.1:0", false
	cfg.DataDir = t.TempDir() // e-mails in development go to DataDir/log/mail
	for _, o := range options {
		o(&cfg)
	}
	logs := io.Discard
	if testing.Verbose() && os.Getenv("HARBOUR_TEST_LOGS") != "" {
		logs = os.Stderr
	}
	m := server.NewMain(cfg, io.Discard, logs)
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
	return &Server{Main: m, URL: "http://" + m.Addr()}
}

// StartDemo is Start with the demo data set loaded, as `go run .` has.
func StartDemo(t testing.TB) *Server {
	t.Helper()
	s := Start(t)
	if _, err := demo.Load(System, s.Domain); err != nil {
		t.Fatal(err)
	}
	return s
}

// Browser is an HTTP client with a cookie jar that does not follow redirects.
func Browser(t testing.TB) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Read reads and closes a response's body.
func Read(t testing.TB, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Contains fails the test unless the body holds every string wanted.
func Contains(t testing.TB, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Fatalf("body lacks %q:\n%s", w, body)
		}
	}
}

// NewID is a new UUID v7, as a device chooses one.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// Page fetches a page as the client and returns status and body.
func (s *Server) Page(t testing.TB, c *http.Client, path string, headers ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, Read(t, res)
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]*)"`)

// Submit posts a form as the client, with the CSRF token of the page it came from.
func (s *Server) Submit(t testing.TB, c *http.Client, from, path string, form url.Values) *http.Response {
	t.Helper()
	_, body := s.Page(t, c, from)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF field on %s", from)
	}
	form.Set("_csrf", m[1])
	res, err := c.PostForm(s.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// SubmitTwice posts the same form twice, as a double tap does: both must succeed and lead to
// the same place, which it returns.
func (s *Server) SubmitTwice(t testing.TB, c *http.Client, from, path string, form url.Values) string {
	t.Helper()
	var locations [2]string
	for i := range locations {
		res := s.Submit(t, c, from, path, CloneForm(form))
		Read(t, res)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit %d to %s: %d", i+1, path, res.StatusCode)
		}
		locations[i] = res.Header.Get("Location")
	}
	if locations[0] != locations[1] {
		t.Fatalf("a double submit to %s led to %q and %q", path, locations[0], locations[1])
	}
	return locations[1]
}

// CloneForm copies form values, so a form sent twice carries the same fields each time.
func CloneForm(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// SignIn signs the client in as a user made with User.
func (s *Server) SignIn(t testing.TB, c *http.Client, email string) {
	t.Helper()
	s.signIn(t, c, email, Password)
}

// DemoSignIn is a new client signed in as a demo user.
func (s *Server) DemoSignIn(t testing.TB, email string) *http.Client {
	t.Helper()
	c := Browser(t)
	s.signIn(t, c, email, demo.Password)
	return c
}

func (s *Server) signIn(t testing.TB, c *http.Client, email, password string) {
	t.Helper()
	res := s.Submit(t, c, "/signin", "/signin", url.Values{"email": {email}, "password": {password}})
	if body := Read(t, res); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in %s: %d %s", email, res.StatusCode, body)
	}
}

// User creates an organisation in Belgium (if the name is new) and a user in it with the roles,
// whose password is Password.
func (s *Server) User(t testing.TB, orgName string, kind referral.OrganisationKind, email string, roles ...referral.Role) referral.User {
	t.Helper()
	o, err := s.Domain.FindOrganisation(System, orgName)
	if err != nil {
		country := "BE"
		o, _, err = s.Domain.CreateOrganisation(System, referral.OrganisationInput{Name: &orgName, Kind: &kind, Country: &country})
		if err != nil {
			t.Fatal(err)
		}
	}
	name, password := "Name of "+email, Password
	u, _, err := s.Domain.CreateUser(System, referral.UserInput{OrganisationID: o.ID, Email: &email, Name: &name,
		Roles: &roles, Password: &password})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// As is the user with this e-mail as the domain sees them acting.
func (s *Server) As(t testing.TB, email string) context.Context {
	t.Helper()
	u, err := s.Domain.UserByEmail(System, email)
	if err != nil {
		t.Fatal(err)
	}
	return referral.WithActor(context.Background(), referral.Actor{UserID: u.ID, OrganisationID: u.OrganisationID, Roles: u.Roles})
}

// Count is the number of rows in a table (a table name, or one with a WHERE clause); of cases
// and NRM records, those people made: the demo's generated NRM history belongs to an
// organisation of its own and is not counted.
func (s *Server) Count(t testing.TB, table string) int {
	t.Helper()
	var n int
	where := ""
	if table == "cases" || table == "nrm_records" {
		where = ` WHERE organisation_id <> '019a0000-0000-7000-9000-000000000001'`
	}
	if err := s.DB.SQL.QueryRow(`SELECT count(*) FROM ` + table + where).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
