package api_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestMe(t *testing.T) {
	f := newFixture(t)
	t.Run("OK", func(t *testing.T) {
		rec := f.call("GET", "/api/v1/me", "officer", "")
		status(t, rec, 200)
		me := decode[struct {
			User         struct{ Email string }
			Organisation struct{ Name string }
			Roles        []string
			Language     string
			Auth         string
		}](t, rec)
		if me.User.Email != "officer@example.org" || me.Organisation.Name != "Police" || len(me.Roles) != 1 ||
			me.Roles[0] != "officer" || me.Language != "zh-Hans" || me.Auth != "token" {
			t.Fatalf("me = %+v", me)
		}
		if strings.Contains(rec.Body.String(), "password") && strings.Contains(rec.Body.String(), "argon2") {
			t.Fatal("the password hash leaked")
		}
	})
	t.Run("ErrInvalidTokenChinese", func(t *testing.T) {
		rec := f.call("GET", "/api/v1/me", "", "", "Authorization", "Bearer hbt_forged", "Accept-Language", "zh-CN,zh;q=0.9")
		status(t, rec, 401)
		p := problem(t, rec)
		if p.Title != "未登录或凭据无效" || p.Code != "unauthenticated" || rec.Header().Get("WWW-Authenticate") == "" {
			t.Fatalf("problem = %+v", p)
		}
	})
	t.Run("ErrInvalidTokenEnglish", func(t *testing.T) {
		rec := f.call("GET", "/api/v1/me", "", "", "Authorization", "Bearer hbt_forged", "Accept-Language", "en")
		if p := problem(t, rec); p.Title != "Not signed in or invalid credentials" {
			t.Fatalf("title %q", p.Title)
		}
	})
	t.Run("ErrNotBearer", func(t *testing.T) {
		status(t, f.call("GET", "/api/v1/me", "", "", "Authorization", "Basic b2ZmaWNlcjpw"), 401)
	})
	t.Run("UserLanguageWins", func(t *testing.T) {
		status(t, f.call("PATCH", "/api/v1/me", "colleague", `{"language":"en"}`), 200)
		rec := f.call("GET", "/api/v1/nothing", "colleague", "", "Accept-Language", "zh-CN")
		if p := problem(t, rec); p.Title != "Not found" || rec.Header().Get("Content-Language") != "en" {
			t.Fatalf("problem %+v in %s", p, rec.Header().Get("Content-Language"))
		}
	})
	t.Run("ErrUnsupportedLanguage", func(t *testing.T) {
		rec := f.call("PATCH", "/api/v1/me", "colleague", `{"language":"tlh"}`)
		status(t, rec, 422)
		if p := problem(t, rec); len(p.Errors) != 1 || p.Errors[0].Field != "language" {
			t.Fatalf("problem %+v", p)
		}
	})
}

// session signs the user in as a browser would and returns the session and CSRF cookies.
func session(t *testing.T, f *fixture, who string) []*http.Cookie {
	t.Helper()
	res, err := f.svc.SignIn(t.Context(), who+"@example.org", password)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/v1/me", nil)
	req.AddCookie(&http.Cookie{Name: "harbour_session", Value: res.Token})
	f.srv.Echo.ServeHTTP(rec, req)
	status(t, rec, 200)
	cookies := []*http.Cookie{{Name: "harbour_session", Value: res.Token}}
	for _, c := range rec.Result().Cookies() {
		if c.Name == "harbour_csrf" {
			cookies = append(cookies, c)
		}
	}
	if len(cookies) != 2 {
		t.Fatal("no CSRF cookie was set")
	}
	return cookies
}

func TestCSRF(t *testing.T) {
	f := newFixture(t)
	cookies := session(t, f, "officer")
	post := func(headers ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/api/v1/tokens", strings.NewReader(`{"name":"x"}`))
		req.Header.Set("Content-Type", "application/json")
		for _, c := range cookies {
			req.AddCookie(c)
		}
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		rec := httptest.NewRecorder()
		f.srv.Echo.ServeHTTP(rec, req)
		return rec
	}
	t.Run("ErrNoToken", func(t *testing.T) {
		rec := post()
		status(t, rec, 403)
		problem(t, rec)
	})
	t.Run("ErrWrongToken", func(t *testing.T) {
		status(t, post("X-CSRF-Token", "forged"), 403)
	})
	t.Run("ErrCrossSite", func(t *testing.T) {
		status(t, post("Sec-Fetch-Site", "cross-site", "X-CSRF-Token", cookies[1].Value), 403)
	})
	t.Run("TokenFromCookie", func(t *testing.T) {
		status(t, post("X-CSRF-Token", cookies[1].Value), 201)
	})
	t.Run("SameOriginBrowser", func(t *testing.T) {
		status(t, post("Sec-Fetch-Site", "same-origin"), 201)
	})
	var n int64
	f.db.Gorm.Table("api_tokens").Where("user_id = ?", f.users["officer"].ID).Count(&n)
	if n != 3 { // the fixture's, and the two accepted above
		t.Fatalf("%d tokens: a refused request changed something", n)
	}
}

func TestBadInput(t *testing.T) {
	f := newFixture(t)
	count := func() int64 {
		var n int64
		f.db.Gorm.Table("organisations").Count(&n)
		return n
	}
	before := count()
	for _, tc := range []struct {
		name, body, contentType string
		status                  int
		field                   string
	}{
		{"NotJSONType", `{"name":"A"}`, "text/plain", 415, ""},
		{"BrokenJSON", `{"name":`, "application/json", 400, ""},
		{"BrokenUTF8", "{\"name\":\"\xff\xfe\",\"kind\":\"ngo\",\"country\":\"BE\"}", "application/json", 400, ""},
		{"WrongType", `{"name":5,"kind":"ngo","country":"BE"}`, "application/json", 422, "name"},
		{"UnknownField", `{"name":"A","kind":"ngo","country":"BE","boss":"me"}`, "application/json", 422, "boss"},
		{"TwoValues", `{"name":"A","kind":"ngo","country":"BE"}{}`, "application/json", 400, ""},
		{"BadID", `{"id":"not-a-uuid","name":"A","kind":"ngo","country":"BE"}`, "application/json", 400, ""},
		{"MissingFields", `{}`, "application/json", 422, "name"},
		{"TooLarge", `{"name":"` + strings.Repeat("a", 2<<20) + `"}`, "application/json", 413, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := f.call("POST", "/api/v1/organisations", "admin", tc.body, "Content-Type", tc.contentType)
			status(t, rec, tc.status)
			p := problem(t, rec)
			if tc.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tc.field) {
				t.Fatalf("errors %+v, want field %s", p.Errors, tc.field)
			}
		})
	}
	t.Run("MissingFieldsAllNamedInChinese", func(t *testing.T) {
		rec := f.call("POST", "/api/v1/organisations", "admin", `{}`)
		p := problem(t, rec)
		if len(p.Errors) != 3 || p.Title != "输入有误" || p.Errors[0].Detail != "必填。" {
			t.Fatalf("problem %+v", p)
		}
	})
	if after := count(); after != before {
		t.Fatalf("organisations %d → %d: bad input changed something", before, after)
	}
	t.Run("FullWidthCountryAccepted", func(t *testing.T) {
		rec := f.call("POST", "/api/v1/organisations", "admin", `{"name":"温州同乡会","kind":"ngo","country":"ＢＥ"}`)
		status(t, rec, 201)
		if o := decode[struct{ Country string }](t, rec); o.Country != "BE" {
			t.Fatalf("country %q", o.Country)
		}
	})
}

func TestIdempotentCreate(t *testing.T) {
	f := newFixture(t)
	id := newID()
	body := `{"id":"` + id + `","name":"Legal Aid","kind":"ngo","country":"BE"}`
	first := f.call("POST", "/api/v1/organisations", "admin", body)
	status(t, first, 201)
	if loc := first.Header().Get("Location"); loc != "/api/v1/organisations/"+id {
		t.Fatalf("Location %q", loc)
	}
	again := f.call("POST", "/api/v1/organisations", "admin", body)
	status(t, again, 200)
	if again.Body.String() != first.Body.String() {
		t.Fatalf("retry answered differently:\n%s\n%s", first.Body, again.Body)
	}
	status(t, f.call("POST", "/api/v1/organisations", "admin", strings.Replace(body, "Legal Aid", "Other", 1)), 409)

	uid := newID()
	user := `{"id":"` + uid + `","organisation_id":"` + f.police.ID.String() + `","email":"new@example.org","name":"新同事","roles":["officer"],"password":"a long enough password"}`
	status(t, f.call("POST", "/api/v1/users", "orgadmin", user), 201)
	status(t, f.call("POST", "/api/v1/users", "orgadmin", user), 200)
	var n int64
	f.db.Gorm.Table("audit_events").Where("action = 'user.create' AND record_id = ?", uid).Count(&n)
	if n != 1 {
		t.Fatalf("%d user.create events for one user", n)
	}
}

func TestHealth(t *testing.T) {
	f := newFixture(t)
	status(t, f.call("GET", "/healthz", "", ""), 200)
	// The API's description is public too.
	rec := f.call("GET", "/api/v1/openapi.json", "", "")
	status(t, rec, 200)
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("openapi.json served as %q", ct)
	}
	// A scraper with a stale token is still answered.
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		status(t, f.call("GET", path, "", "", "Authorization", "Bearer hbt_stale"), 200)
	}
	status(t, f.call("GET", "/readyz", "", ""), 200)
	rec = f.call("GET", "/metrics", "", "")
	status(t, rec, 200)
	if !strings.Contains(rec.Body.String(), "harbour_http_requests_total") {
		t.Fatal("metrics lack the request counter")
	}
	if strings.Contains(rec.Body.String(), f.users["officer"].ID.String()) {
		t.Fatal("metrics carry an ID")
	}
	// A database migrated by a newer Harbour is not ready for this one.
	if err := f.db.Gorm.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, true)`).Error; err != nil {
		t.Fatal(err)
	}
	rec = f.call("GET", "/readyz", "", "", "Accept-Language", "en")
	status(t, rec, 503)
	if p := problem(t, rec); p.Code != "not_ready" {
		t.Fatalf("problem %+v", p)
	}
}

// TestTemporaryPassword: a browser session on a temporary password is answered by /me only, so
// the client can tell why; the user's API tokens still work.
func TestTemporaryPassword(t *testing.T) {
	f := newFixture(t)
	const temporary = "a temporary long password"
	if err := f.svc.ResetPassword(asUser(f, "orgadmin"), f.users["officer"].ID, temporary); err != nil {
		t.Fatal(err)
	}
	res, err := f.svc.SignIn(t.Context(), "officer@example.org", temporary)
	if err != nil {
		t.Fatal(err)
	}
	cookie := "harbour_session=" + res.Token
	org := "/api/v1/organisations/" + f.police.ID.String()
	for _, path := range []string{org, "/api/v1/services", "/hsds/taxonomy"} {
		rec := f.call("GET", path, "", "", "Cookie", cookie, "Accept-Language", "en")
		status(t, rec, 403)
		if p := problem(t, rec); p.Code != "forbidden" {
			t.Fatalf("%s: problem %+v", path, p)
		}
	}
	rec := f.call("GET", "/api/v1/me", "", "", "Cookie", cookie)
	status(t, rec, 200)
	if me := decode[struct {
		User struct {
			MustChangePassword bool `json:"must_change_password"`
		}
		Auth string
	}](t, rec); !me.User.MustChangePassword || me.Auth != "session" {
		t.Fatalf("me = %+v", me)
	}
	status(t, f.call("GET", org, "officer", ""), 200)
}

// TestAccessLog: one line per request with the route pattern and IDs, never the raw path, the
// query or the body, where names would be.
func TestAccessLog(t *testing.T) {
	f := newFixture(t)
	var buf bytes.Buffer
	srv := newServer(t, f.svc, f.db, slog.New(slog.NewJSONHandler(&buf, nil)))
	officer := f.users["officer"].ID.String()
	name := url.PathEscape("张伟")
	for _, r := range []struct {
		method, path, who, body string
		want                    int
	}{
		{"GET", "/api/v1/users/" + officer + "?name=" + name, "officer", "", 200},
		{"GET", "/api/v1/services?city=Wenzhou&name=" + name, "officer", "", 200},
		{"GET", "/api/v1/people/" + name, "officer", "", 404},
		{"POST", "/api/v1/users", "orgadmin", `{"organisation_id":"` + f.police.ID.String() +
			`","email":"li.na@example.org","name":"李娜","roles":["officer"],"password":"a long enough password"}`, 201},
	} {
		req := httptest.NewRequest(r.method, r.path, strings.NewReader(r.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+f.tokens[r.who])
		rec := httptest.NewRecorder()
		srv.Echo.ServeHTTP(rec, req)
		status(t, rec, r.want)
	}
	log := buf.String()
	for _, personal := range []string{"张伟", name, "Wenzhou", "李娜", "li.na@", "officer@", "/api/v1/users/" + officer} {
		if strings.Contains(log, personal) {
			t.Errorf("the log carries %q:\n%s", personal, log)
		}
	}
	var routes []string
	for line := range strings.Lines(log) {
		var e struct {
			Msg, Route string
			RequestID  string `json:"request_id"`
			UserID     string `json:"user_id"`
		}
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		if e.Msg == "request" {
			routes = append(routes, e.Route)
			if e.RequestID == "" || e.UserID == "" {
				t.Errorf("line without request or user ID: %s", line)
			}
		}
	}
	if want := []string{"/api/v1/users/:id", "/api/v1/services", "(no route)", "/api/v1/users"}; !slices.Equal(routes, want) {
		t.Fatalf("routes %q, want %q", routes, want)
	}
}
