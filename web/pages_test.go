package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/server"
)

func TestPageLanguage(t *testing.T) {
	s := startServer(t)
	for _, tc := range []struct {
		name    string
		headers []string
		path    string
		want    string
	}{
		{"NoHeaderIsChinese", nil, "/", `<html lang="zh-Hans" dir="ltr">`},
		{"AcceptLanguageEnglish", []string{"Accept-Language", "en-US,en;q=0.8"}, "/", `<html lang="en" dir="ltr">`},
		{"QueryChoosesEnglish", []string{"Accept-Language", "zh-CN"}, "/?lang=en", `<html lang="en"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := s.Page(t, browser(t), tc.path, tc.headers...)
			if status != 200 {
				t.Fatalf("status %d", status)
			}
			contains(t, body, tc.want)
		})
	}
	t.Run("QueryRemembered", func(t *testing.T) {
		c := browser(t)
		s.Page(t, c, "/?lang=en")
		_, body := s.Page(t, c, "/signin")
		contains(t, body, `<html lang="en"`, "Sign in")
	})
	t.Run("SwitcherShowsEndonyms", func(t *testing.T) {
		_, body := s.Page(t, browser(t), "/")
		contains(t, body, `lang="zh-Hans" aria-current="true">简体中文</button>`, `lang="en">English</button>`)
	})
}

func TestSignInAndOut(t *testing.T) {
	s := startServer(t)
	s.User(t, "Police", referral.KindPolice, "officer@example.org", referral.RoleOfficer)
	c := browser(t)

	res := s.Submit(t, c, "/signin", "/signin", url.Values{"email": {"officer@example.org"}, "password": {"wrong password"}})
	body := read(t, res)
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	contains(t, body, "电子邮件或密码不正确。", `value="officer@example.org"`, `aria-invalid="true"`)

	res = s.Submit(t, c, "/signin", "/signin", url.Values{"email": {"officer@example.org"}, "password": {testPassword}, "next": {"/settings"}})
	read(t, res)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/settings" {
		t.Fatalf("sign-in: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "harbour_session" {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Secure {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, not Secure over plain HTTP", session)
	}
	_, body = s.Page(t, c, "/")
	contains(t, body, "我的工作", "行动", "还没有行动", "Name of officer@example.org")

	res = s.Submit(t, c, "/", "/signout", url.Values{})
	read(t, res)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Clear-Site-Data") == "" {
		t.Fatalf("sign-out: %d, Clear-Site-Data %q", res.StatusCode, res.Header.Get("Clear-Site-Data"))
	}
	if status, _ := s.Page(t, c, "/settings"); status != http.StatusSeeOther {
		t.Fatalf("signed out, /settings answered %d", status)
	}
	_, body = s.Page(t, c, "/signin?notice=signed_out")
	contains(t, body, "您已退出登录")
}

func TestSignInOffSiteRedirectRefused(t *testing.T) {
	s := startServer(t)
	s.User(t, "Police", referral.KindPolice, "officer@example.org", referral.RoleOfficer)
	for _, next := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example"} {
		res := s.Submit(t, browser(t), "/signin", "/signin", url.Values{"email": {"officer@example.org"}, "password": {testPassword}, "next": {next}})
		read(t, res)
		if loc := res.Header.Get("Location"); loc != "/" {
			t.Fatalf("next=%q redirected to %q", next, loc)
		}
	}
}

func TestSignInThrottledPage(t *testing.T) {
	s := startServer(t)
	s.User(t, "Police", referral.KindPolice, "officer@example.org", referral.RoleOfficer)
	c := browser(t)
	var res *http.Response
	for range 4 {
		res = s.Submit(t, c, "/signin", "/signin", url.Values{"email": {"officer@example.org"}, "password": {"wrong"}})
		read(t, res)
	}
	res = s.Submit(t, c, "/signin", "/signin", url.Values{"email": {"officer@example.org"}, "password": {testPassword}})
	body := read(t, res)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("throttled sign-in: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	contains(t, body, "尝试次数过多", `value="officer@example.org"`)
}

func TestFormsNeedCSRF(t *testing.T) {
	s := startServer(t)
	s.User(t, "Police", referral.KindPolice, "officer@example.org", referral.RoleOfficer)
	for _, path := range []string{"/signin", "/language"} {
		res, err := browser(t).PostForm(s.URL+path, url.Values{"email": {"officer@example.org"}, "password": {testPassword}, "lang": {"en"}})
		if err != nil {
			t.Fatal(err)
		}
		body := read(t, res)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("%s without CSRF token: %d", path, res.StatusCode)
		}
		contains(t, body, `<html lang="zh-Hans"`, "出错了")
	}
}

func TestUsersPages(t *testing.T) {
	s := startServer(t)
	admin := s.User(t, "Police", referral.KindPolice, "orgadmin@example.org", referral.RoleOrgAdmin)
	s.User(t, "Shelter", referral.KindShelter, "shelteradmin@example.org", referral.RoleOrgAdmin)
	shelter, _ := s.Domain.FindOrganisation(cliCtx, "Shelter")
	c := browser(t)
	s.SignIn(t, c, "orgadmin@example.org")
	users := "/organisations/" + admin.OrganisationID.String() + "/users"

	t.Run("ErrFormComesBackFilledIn", func(t *testing.T) {
		res := s.Submit(t, c, users+"/new", users, url.Values{"name": {"陈静"}, "email": {"not-an-email"}, "password": {"short"}})
		body := read(t, res)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.StatusCode)
		}
		contains(t, body, `value="陈静"`, `value="not-an-email"`, "请输入有效的电子邮件地址。", "请至少选择一个角色。", "密码至少需要 12 个字符。")
		if strings.Contains(body, `value="short"`) {
			t.Fatal("a password was echoed back into the page")
		}
	})
	t.Run("CreateThenNewUserMustChangePassword", func(t *testing.T) {
		res := s.Submit(t, c, users+"/new", users, url.Values{"name": {"陈静"}, "email": {"chen@example.org"},
			"roles": {"officer"}, "password": {"temporary password 1"}})
		read(t, res)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d", res.StatusCode)
		}
		_, body := s.Page(t, c, users)
		contains(t, body, "陈静", "chen@example.org", "一线响应人员", "临时密码")

		newcomer := browser(t)
		res = s.Submit(t, newcomer, "/signin", "/signin", url.Values{"email": {"chen@example.org"}, "password": {"temporary password 1"}})
		read(t, res)
		if res.Header.Get("Location") != "/settings/password" {
			t.Fatalf("first sign-in went to %q", res.Header.Get("Location"))
		}
		for _, path := range []string{users, "/"} {
			if status, _ := s.Page(t, newcomer, path); status != http.StatusSeeOther {
				t.Fatalf("with a temporary password, %s answered %d", path, status)
			}
		}
		res = s.Submit(t, newcomer, "/settings/password", "/settings/password", url.Values{"current_password": {"temporary password 1"},
			"new_password": {"my own long password"}, "confirm_password": {"my own long password"}})
		read(t, res)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("change password: %d", res.StatusCode)
		}
		if status, body := s.Page(t, newcomer, "/"); status != 200 || !strings.Contains(body, "我的工作") {
			t.Fatalf("home after changing password: %d", status)
		}
	})
	t.Run("ErrOtherOrganisation", func(t *testing.T) {
		status, body := s.Page(t, c, "/organisations/"+shelter.ID.String()+"/users")
		if status != http.StatusNotFound && status != http.StatusForbidden {
			t.Fatalf("another organisation's users: %d", status)
		}
		contains(t, body, "出错了")
	})
	t.Run("ErrWrongRole", func(t *testing.T) {
		if status, _ := s.Page(t, c, "/admin/organisations"); status != http.StatusForbidden {
			t.Fatalf("org admin on the organisations page: %d", status)
		}
		officer := browser(t)
		s.User(t, "Police", referral.KindPolice, "officer@example.org", referral.RoleOfficer)
		s.SignIn(t, officer, "officer@example.org")
		for _, path := range []string{users, "/audit", "/admin/organisations/new", "/users/" + admin.ID.String()} {
			if status, _ := s.Page(t, officer, path); status != http.StatusForbidden && status != http.StatusNotFound {
				t.Errorf("officer on %s: %d", path, status)
			}
		}
	})
}

func TestAdminPages(t *testing.T) {
	s := startServer(t)
	s.User(t, "Platform", referral.KindOther, "admin@example.org", referral.RoleAdmin)
	c := browser(t)
	s.SignIn(t, c, "admin@example.org")
	res := s.Submit(t, c, "/admin/organisations/new", "/admin/organisations", url.Values{"name": {""}, "kind": {"ngo"}, "country": {"ＢＥ"}})
	body := read(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("empty name: %d", res.StatusCode)
	}
	contains(t, body, "必填。", `value="ＢＥ"`)
	id := regexp.MustCompile(`name="id" value="([^"]+)"`).FindStringSubmatch(body)
	if id == nil {
		t.Fatal("the refused form lost its client-chosen ID")
	}
	form := url.Values{"id": {id[1]}, "name": {"Espace Écoute"}, "kind": {"ngo"}, "country": {"ＢＥ"}, "active": {"on"}}
	s.SubmitTwice(t, c, "/admin/organisations/new", "/admin/organisations", form) // creates one organisation
	_, body = s.Page(t, c, "/admin/organisations")
	if n := strings.Count(body, "Espace Écoute"); n != 1 {
		t.Fatalf("organisation listed %d times", n)
	}
	_, body = s.Page(t, c, "/audit")
	contains(t, body, "审计记录", "创建机构", "登录成功")
	_, body = s.Page(t, c, "/audit/verify")
	contains(t, body, "审计记录完整")
}

func TestStaticAssets(t *testing.T) {
	s := startServer(t)
	_, body := s.Page(t, browser(t), "/")
	css := regexp.MustCompile(`href="(/static/app\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(body)
	if css == nil {
		t.Fatal("no hashed stylesheet link")
	}
	res, err := http.Get(s.URL + css[1])
	if err != nil {
		t.Fatal(err)
	}
	read(t, res)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Fatalf("stylesheet: %d %q %q", res.StatusCode, res.Header.Get("Cache-Control"), res.Header.Get("Content-Type"))
	}
	if status, _ := s.Page(t, browser(t), "/static/app.0000000000.css"); status != http.StatusNotFound {
		t.Fatalf("unknown asset: %d", status)
	}
	if status, _ := s.Page(t, browser(t), "/favicon.ico"); status != http.StatusOK {
		t.Fatalf("favicon: %d", status)
	}
}

// TestSecureCookiesBehindTLS: with an https public address (TLS ends at a proxy), every cookie
// Harbour sets is Secure.
func TestSecureCookiesBehindTLS(t *testing.T) {
	s := startServer(t, func(c *server.Config) { c.PublicURL = "https://harbour.example.org" })
	s.User(t, "Police", referral.KindPolice, "officer@example.org", referral.RoleOfficer)
	c := browser(t)
	res := s.Submit(t, c, "/signin?lang=en", "/signin", url.Values{"email": {"officer@example.org"}, "password": {testPassword}})
	read(t, res)
	if res.StatusCode != http.StatusSeeOther || len(res.Cookies()) == 0 {
		t.Fatalf("sign-in: %d", res.StatusCode)
	}
	for _, ck := range res.Cookies() {
		if !ck.Secure || !ck.HttpOnly {
			t.Errorf("cookie %s: Secure=%v HttpOnly=%v", ck.Name, ck.Secure, ck.HttpOnly)
		}
	}
	if res.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS behind TLS")
	}
}

// TestPageRefusals checks every page that shows or changes someone's records: signed-out
// visitors are sent to sign in, a wrong role is refused, and another organisation's records
// are not found — and the right person gets through, so the refusals mean something.
func TestPageRefusals(t *testing.T) {
	s := startServer(t)
	orgAdmin := s.User(t, "Police", referral.KindPolice, "orgadmin@example.org", referral.RoleOrgAdmin)
	officer := s.User(t, "Police", referral.KindPolice, "officer@example.org", referral.RoleOfficer)
	s.User(t, "Shelter", referral.KindShelter, "shelteradmin@example.org", referral.RoleOrgAdmin)
	s.User(t, "Platform", referral.KindOther, "admin@example.org", referral.RoleAdmin)
	police := orgAdmin.OrganisationID.String()
	clients := map[string]*http.Client{"": browser(t)}
	for _, who := range []string{"orgadmin", "officer", "shelteradmin", "admin"} {
		clients[who] = browser(t)
		s.SignIn(t, clients[who], who+"@example.org")
	}
	newUser := url.Values{"name": {"N"}, "email": {"n@example.org"}, "roles": {"officer"}, "password": {"a long enough password"}}
	token, _, err := s.Domain.CreateToken(cliCtx, orgAdmin.ID, "script")
	if err != nil {
		t.Fatal(err)
	}
	wrongPassword := url.Values{"current_password": {"not the password"}, "new_password": {"another long password"},
		"confirm_password": {"another long password"}}
	type attempt struct {
		who  string
		want int
	}
	for _, tc := range []struct {
		method, path string
		form         url.Values
		attempts     []attempt
	}{
		{"GET", "/settings", nil, []attempt{{"", 303}, {"officer", 200}}},
		{"POST", "/settings", url.Values{"name": {"Name of officer@example.org"}}, []attempt{{"", 303}, {"officer", 303}}},
		// Someone else's API token: not found unless theirs or their organisation's admin's.
		{"POST", "/settings", url.Values{"revoke": {token.ID.String()}},
			[]attempt{{"", 303}, {"officer", 404}, {"shelteradmin", 404}, {"orgadmin", 303}}},
		{"GET", "/settings/password", nil, []attempt{{"", 303}, {"officer", 200}}},
		{"POST", "/settings/password", wrongPassword, []attempt{{"", 303}, {"officer", 422}}},
		{"GET", "/admin/organisations", nil, []attempt{{"", 303}, {"officer", 403}, {"orgadmin", 403}, {"admin", 200}}},
		{"GET", "/admin/organisations/new", nil, []attempt{{"", 303}, {"officer", 403}, {"orgadmin", 403}, {"admin", 200}}},
		{"POST", "/admin/organisations", url.Values{"name": {"New"}, "kind": {"ngo"}, "country": {"BE"}},
			[]attempt{{"", 303}, {"officer", 403}, {"orgadmin", 403}, {"admin", 303}}},
		{"GET", "/admin/organisations/" + police, nil, []attempt{{"", 303}, {"shelteradmin", 404}, {"officer", 403}, {"orgadmin", 403}, {"admin", 200}}},
		{"POST", "/admin/organisations/" + police, url.Values{"name": {"Police"}, "kind": {"police"}, "country": {"BE"}, "active": {"on"}},
			[]attempt{{"", 303}, {"shelteradmin", 404}, {"officer", 403}, {"orgadmin", 403}, {"admin", 303}}},
		{"GET", "/organisations/" + police + "/users", nil, []attempt{{"", 303}, {"shelteradmin", 404}, {"officer", 403}, {"orgadmin", 200}}},
		{"GET", "/organisations/" + police + "/users/new", nil, []attempt{{"", 303}, {"shelteradmin", 404}, {"officer", 403}, {"orgadmin", 200}}},
		{"POST", "/organisations/" + police + "/users", newUser, []attempt{{"", 303}, {"shelteradmin", 404}, {"officer", 403}, {"orgadmin", 303}}},
		{"GET", "/users/" + officer.ID.String(), nil, []attempt{{"", 303}, {"shelteradmin", 404}, {"officer", 403}, {"orgadmin", 200}}},
		{"POST", "/users/" + officer.ID.String(), url.Values{"name": {"Officer"}, "email": {"officer@example.org"}, "roles": {"officer"}, "active": {"on"}},
			[]attempt{{"", 303}, {"shelteradmin", 404}, {"officer", 403}, {"orgadmin", 303}}},
		{"GET", "/audit", nil, []attempt{{"", 303}, {"officer", 403}, {"orgadmin", 200}, {"admin", 200}}},
		{"GET", "/audit/verify", nil, []attempt{{"", 303}, {"officer", 403}, {"orgadmin", 403}, {"admin", 200}}},
		// Last: the reset signs the officer out everywhere.
		{"POST", "/users/" + officer.ID.String() + "/password", url.Values{"password": {"another long password"}},
			[]attempt{{"", 303}, {"shelteradmin", 404}, {"officer", 403}, {"orgadmin", 303}}},
	} {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			for _, a := range tc.attempts {
				c := clients[a.who]
				var status int
				if tc.method == "GET" {
					status, _ = s.Page(t, c, tc.path)
				} else {
					res := s.Submit(t, c, "/", tc.path, cloneForm(tc.form))
					read(t, res)
					status = res.StatusCode
				}
				if status != a.want {
					t.Fatalf("%s %s as %q: %d, want %d", tc.method, tc.path, a.who, status, a.want)
				}
			}
		})
	}
	t.Run("GET/audit/OtherOrganisation", func(t *testing.T) {
		// The police officer signed in: the police's trail shows it, the shelter's does not.
		if _, body := s.Page(t, clients["orgadmin"], "/audit"); !strings.Contains(body, officer.ID.String()) {
			t.Fatal("the police's audit trail lacks its officer's sign-in")
		}
		if _, body := s.Page(t, clients["shelteradmin"], "/audit"); strings.Contains(body, officer.ID.String()) {
			t.Fatal("the shelter's audit trail shows the police's events")
		}
	})
}
