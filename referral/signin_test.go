package referral_test

import (
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/harbour-nrm/harbour/referral"
)

func TestSignIn(t *testing.T) {
	e := newEnv(t)
	police := e.Org(t, "Police", referral.KindPolice)
	u := e.User(t, police, "officer@example.org", referral.RoleOfficer)

	t.Run("OK", func(t *testing.T) {
		res, err := e.svc.SignIn(t.Context(), " Officer@Example.org ", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if res.Token == "" || res.Identity.User.ID != u.ID || res.Identity.Organisation.ID != police.ID {
			t.Fatalf("result = %+v", res)
		}
		id, err := e.svc.SessionIdentity(t.Context(), res.Token)
		if err != nil || id.User.ID != u.ID {
			t.Fatalf("session identity: %+v %v", id, err)
		}
		if n := countAudit(t, e, "signin.succeeded"); n != 1 {
			t.Fatalf("signin.succeeded events = %d", n)
		}
	})
	t.Run("ErrSameForUnknownAccountAndWrongPassword", func(t *testing.T) {
		_, err1 := e.svc.SignIn(t.Context(), "officer@example.org", "wrong password!")
		_, err2 := e.svc.SignIn(t.Context(), "nobody@example.org", "wrong password!")
		e1, e2 := err1.(*referral.Error), err2.(*referral.Error)
		if e1.MessageID != "error.signin.failed" || e2.MessageID != e1.MessageID || e1.Code != referral.CodeUnauthenticated {
			t.Fatalf("errors differ or wrong: %v / %v", err1, err2)
		}
		if n := countAudit(t, e, "signin.failed"); n != 2 {
			t.Fatalf("signin.failed events = %d", n)
		}
		var emails int64
		e.db.Gorm.Table("audit_events").Where("detail::text LIKE '%example.org%' OR record_id LIKE '%@%'").Count(&emails)
		if emails != 0 {
			t.Fatal("an e-mail address reached the audit trail")
		}
	})
}

func TestSignInRealPasswordHashing(t *testing.T) {
	e := newEnv(t)
	cfg := referral.DefaultConfig()
	cfg.Languages = []string{"zh-Hans"}
	svc := referral.NewDomain(e.db.Gorm, cfg, nil) // the argon2id parameters production uses
	police := e.Org(t, "Police", referral.KindPolice)
	email := "real@example.org"
	roles := []referral.Role{referral.RoleOfficer}
	if _, _, err := svc.CreateUser(system, referral.UserInput{OrganisationID: police.ID, Email: &email, Name: ptr("Real"),
		Roles: &roles, Password: ptr("密码也可以是中文的很长句子")}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SignIn(t.Context(), email, "密码也可以是中文的很长句子"); err != nil {
		t.Fatal(err)
	}
	var hash string
	if err := e.db.SQL.QueryRow(`SELECT password_hash FROM users WHERE email = $1`, email).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if hash[:len("$argon2id$v=19$m=19456,t=2,p=1$")] != "$argon2id$v=19$m=19456,t=2,p=1$" {
		t.Fatalf("hash %q is not argon2id with the default parameters", hash[:30])
	}
}

func TestSignInThrottle(t *testing.T) {
	e := newEnv(t)
	police := e.Org(t, "Police", referral.KindPolice)
	e.User(t, police, "officer@example.org", referral.RoleOfficer)
	p := referral.DefaultThrottlePolicy()
	ctx := referral.WithRequest(t.Context(), referral.RequestMeta{ClientAddr: "198.51.100.7"})
	fail := func() error {
		_, err := e.svc.SignIn(ctx, "officer@example.org", "not the password")
		return err
	}

	for i := 1; i <= p.AccountFree; i++ {
		if err := fail(); referral.ErrorCode(err) != referral.CodeUnauthenticated {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	// From now on each failure asks for a growing wait before the next try.
	err := fail()
	code(t, err, referral.CodeTooManyRequests)
	if msg := err.(*referral.Error).MessageID; msg != "error.signin.slow_down" {
		t.Fatalf("after %d failures: %s, want slow_down", p.AccountFree, msg)
	}
	// The right password does not get through while slowed.
	_, err = e.svc.SignIn(ctx, "officer@example.org", testPassword)
	code(t, err, referral.CodeTooManyRequests)

	failures := p.AccountFree
	for failures < p.AccountLock-1 {
		e.clock.Advance(p.MaxDelay)
		if err := fail(); referral.ErrorCode(err) != referral.CodeUnauthenticated {
			t.Fatalf("failure %d after waiting: %v", failures+1, err)
		}
		failures++
	}
	e.clock.Advance(p.MaxDelay)
	err = fail()
	if e, ok := err.(*referral.Error); !ok || e.MessageID != "error.signin.locked" || e.RetryAfter != p.LockFor {
		t.Fatalf("failure %d: %v, want locked for %v", p.AccountLock, err, p.LockFor)
	}
	e.clock.Advance(p.LockFor - time.Minute)
	_, err = e.svc.SignIn(ctx, "officer@example.org", testPassword)
	if e, ok := err.(*referral.Error); !ok || e.MessageID != "error.signin.locked" {
		t.Fatalf("during lock: %v", err)
	}
	if n := countAudit(t, e, "signin.refused"); n < 2 {
		t.Fatalf("signin.refused events = %d", n)
	}
	e.clock.Advance(2 * time.Minute)
	if _, err := e.svc.SignIn(ctx, "officer@example.org", testPassword); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	// Success clears the account's count: three free failures again.
	for i := 1; i <= p.AccountFree; i++ {
		if err := fail(); referral.ErrorCode(err) != referral.CodeUnauthenticated {
			t.Fatalf("after success, failure %d: %v", i, err)
		}
	}
}

func TestSignInThrottleByAddress(t *testing.T) {
	e := newEnv(t)
	cfg := referral.DefaultConfig()
	cfg.Argon2 = fastArgon2
	cfg.Throttle.AddrFree, cfg.Throttle.AddrLock = 4, 6
	svc := referral.NewDomain(e.db.Gorm, cfg, nil)
	svc.SetClock(e.clock.Now)
	ctx := referral.WithRequest(t.Context(), referral.RequestMeta{ClientAddr: "203.0.113.9"})
	// Different accounts from one address: the address is what gets slowed, then locked.
	for i := 0; i < 5; i++ {
		e.clock.Advance(time.Minute)
		_, err := svc.SignIn(ctx, "guess"+string(rune('a'+i))+"@example.org", "x")
		code(t, err, referral.CodeUnauthenticated)
	}
	_, err := svc.SignIn(ctx, "another@example.org", "x")
	code(t, err, referral.CodeTooManyRequests)
	e.clock.Advance(time.Minute)
	_, err = svc.SignIn(ctx, "another@example.org", "x")
	if e, ok := err.(*referral.Error); !ok || e.MessageID != "error.signin.locked" {
		t.Fatalf("sixth failure from one address: %v", err)
	}
	// Another address is not affected.
	other := referral.WithRequest(t.Context(), referral.RequestMeta{ClientAddr: "203.0.113.10"})
	_, err = svc.SignIn(other, "another@example.org", "x")
	code(t, err, referral.CodeUnauthenticated)
}

func TestSessions(t *testing.T) {
	e := newEnv(t)
	police := e.Org(t, "Police", referral.KindPolice)
	u := e.User(t, police, "officer@example.org", referral.RoleOfficer)
	signIn := func() string {
		res, err := e.svc.SignIn(t.Context(), "officer@example.org", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		return res.Token
	}
	cfg := referral.DefaultConfig()

	t.Run("IdleTimeout", func(t *testing.T) {
		token := signIn()
		e.clock.Advance(cfg.SessionIdle - time.Minute)
		if _, err := e.svc.SessionIdentity(t.Context(), token); err != nil {
			t.Fatalf("before idle timeout: %v", err)
		}
		// Use refreshed the idle timer.
		e.clock.Advance(cfg.SessionIdle - time.Minute)
		if _, err := e.svc.SessionIdentity(t.Context(), token); err != nil {
			t.Fatalf("after use: %v", err)
		}
		e.clock.Advance(cfg.SessionIdle + time.Second)
		_, err := e.svc.SessionIdentity(t.Context(), token)
		code(t, err, referral.CodeUnauthenticated)
	})
	t.Run("Lifetime", func(t *testing.T) {
		token := signIn()
		for elapsed := time.Duration(0); elapsed < cfg.SessionLifetime; elapsed += 20 * time.Minute {
			e.clock.Advance(20 * time.Minute)
			_, _ = e.svc.SessionIdentity(t.Context(), token)
		}
		_, err := e.svc.SessionIdentity(t.Context(), token)
		code(t, err, referral.CodeUnauthenticated)
	})
	t.Run("SignOut", func(t *testing.T) {
		token := signIn()
		if err := e.svc.SignOut(t.Context(), token); err != nil {
			t.Fatal(err)
		}
		_, err := e.svc.SessionIdentity(t.Context(), token)
		code(t, err, referral.CodeUnauthenticated)
		if err := e.svc.SignOut(t.Context(), token); err != nil {
			t.Fatalf("second sign-out: %v", err)
		}
		var records []string
		if err := e.db.Gorm.Table("audit_events").Where("action = 'signout'").Pluck("record_id", &records).Error; err != nil {
			t.Fatal(err)
		}
		if len(records) != 1 || records[0] != u.ID.String() {
			t.Fatalf("signout events name %v, want once %s", records, u.ID)
		}
	})
	t.Run("ErrForgedToken", func(t *testing.T) {
		_, err := e.svc.SessionIdentity(t.Context(), "forged")
		code(t, err, referral.CodeUnauthenticated)
	})
}

func TestTokens(t *testing.T) {
	e := newEnv(t)
	police := e.Org(t, "Police", referral.KindPolice)
	shelter := e.Org(t, "Shelter", referral.KindShelter)
	u := e.User(t, police, "officer@example.org", referral.RoleOfficer)
	colleague := e.User(t, police, "colleague@example.org", referral.RoleOfficer)
	stranger := e.User(t, shelter, "admin@shelter.example", referral.RoleOrgAdmin)

	tok, secret, err := e.svc.CreateToken(as(u), u.ID, "phone sync")
	if err != nil {
		t.Fatal(err)
	}
	id, err := e.svc.TokenIdentity(t.Context(), secret)
	if err != nil || id.User.ID != u.ID || id.TokenID != tok.ID {
		t.Fatalf("token identity: %+v %v", id, err)
	}
	var stored []byte
	if err := e.db.SQL.QueryRow(`SELECT token_hash FROM api_tokens WHERE id = $1`, tok.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if string(stored) == secret || len(stored) != 32 {
		t.Fatal("the token must be stored as a SHA-256 hash only")
	}

	_, _, err = e.svc.CreateToken(as(colleague), u.ID, "")
	code(t, err, referral.CodeForbidden)
	_, err = e.svc.RevokeToken(as(colleague), tok.ID)
	code(t, err, referral.CodeNotFound)
	_, err = e.svc.RevokeToken(as(stranger), tok.ID)
	code(t, err, referral.CodeNotFound)

	if _, err := e.svc.RevokeToken(as(u), tok.ID); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.TokenIdentity(t.Context(), secret)
	code(t, err, referral.CodeUnauthenticated)
}

// countStatements counts the statements the domain sends to the database from now on.
func countStatements(t *testing.T, e *env) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	count := func(tx *gorm.DB) {
		if !tx.DryRun { // a subquery is built in a dry run; it is part of its statement
			n.Add(1)
		}
	}
	cb := e.db.Gorm.Callback()
	for name, err := range map[string]error{
		"query":  cb.Query().After("gorm:query").Register("test:count", count),
		"row":    cb.Row().After("gorm:row").Register("test:count", count),
		"raw":    cb.Raw().After("gorm:raw").Register("test:count", count),
		"create": cb.Create().After("gorm:create").Register("test:count", count),
		"update": cb.Update().After("gorm:update").Register("test:count", count),
		"delete": cb.Delete().After("gorm:delete").Register("test:count", count),
	} {
		if err != nil {
			t.Fatalf("register %s callback: %v", name, err)
		}
	}
	return &n
}

func TestIdentity(t *testing.T) {
	e := newEnv(t)
	police := e.Org(t, "Police", referral.KindPolice)
	platform := e.Org(t, "Platform", referral.KindOther)
	admin := e.User(t, platform, "admin@example.org", referral.RoleAdmin)
	u := e.User(t, police, "chief@example.org", referral.RoleOrgAdmin, referral.RoleOfficer)
	res, err := e.svc.SignIn(t.Context(), "chief@example.org", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	_, secret, err := e.svc.CreateToken(as(u), u.ID, "sync")
	if err != nil {
		t.Fatal(err)
	}
	want := []referral.Role{referral.RoleOfficer, referral.RoleOrgAdmin}
	check := func(t *testing.T, id referral.Identity) {
		t.Helper()
		if id.User.ID != u.ID || id.User.Email != u.Email || !slices.Equal(id.User.Roles, want) ||
			id.Organisation.ID != police.ID || id.Organisation.Name != police.Name || id.Organisation.TimeZone != police.TimeZone ||
			!slices.Equal(id.Actor().Roles, want) || id.Actor().OrganisationID != police.ID {
			t.Fatalf("identity = %+v", id)
		}
	}
	check(t, res.Identity)

	t.Run("OneQueryPerRequest", func(t *testing.T) {
		n := countStatements(t, e)
		id, err := e.svc.SessionIdentity(t.Context(), res.Token)
		if err != nil {
			t.Fatal(err)
		}
		check(t, id)
		if id.SessionID == uuid.Nil || id.TokenID != uuid.Nil {
			t.Fatalf("session identity = %+v", id)
		}
		if got := n.Swap(0); got != 1 {
			t.Fatalf("session identity took %d statements, want 1", got)
		}
		// A token never used is marked used; then not again until a minute has passed.
		id, err = e.svc.TokenIdentity(t.Context(), secret)
		if err != nil {
			t.Fatal(err)
		}
		check(t, id)
		if id.TokenID == uuid.Nil || id.SessionID != uuid.Nil {
			t.Fatalf("token identity = %+v", id)
		}
		if got := n.Swap(0); got != 2 {
			t.Fatalf("first token use took %d statements, want 2", got)
		}
		e.clock.Advance(30 * time.Second)
		if _, err := e.svc.TokenIdentity(t.Context(), secret); err != nil {
			t.Fatal(err)
		}
		if got := n.Swap(0); got != 1 {
			t.Fatalf("token use within a minute took %d statements, want 1", got)
		}
		e.clock.Advance(30 * time.Second)
		if _, err := e.svc.SessionIdentity(t.Context(), res.Token); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.TokenIdentity(t.Context(), secret); err != nil {
			t.Fatal(err)
		}
		if got := n.Swap(0); got != 4 {
			t.Fatalf("session and token use a minute later took %d statements, want 4", got)
		}
		tokens, err := e.svc.ListTokens(as(u), u.ID)
		if err != nil || len(tokens) != 1 || tokens[0].LastUsedAt == nil || !tokens[0].LastUsedAt.Equal(e.svc.Now()) {
			t.Fatalf("tokens = %+v %v", tokens, err)
		}
	})
	t.Run("ErrInactiveOrganisation", func(t *testing.T) {
		if _, err := e.svc.UpdateOrganisation(as(admin), police.ID, referral.OrganisationInput{Active: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		_, err := e.svc.SessionIdentity(t.Context(), res.Token)
		code(t, err, referral.CodeUnauthenticated)
		_, err = e.svc.TokenIdentity(t.Context(), secret)
		code(t, err, referral.CodeUnauthenticated)
		_, err = e.svc.SignIn(t.Context(), "chief@example.org", testPassword)
		if e, ok := err.(*referral.Error); !ok || e.MessageID != "error.signin.failed" {
			t.Fatalf("sign-in to an inactive organisation: %v", err)
		}
		if _, err := e.svc.UpdateOrganisation(as(admin), police.ID, referral.OrganisationInput{Active: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.TokenIdentity(t.Context(), secret); err != nil {
			t.Fatalf("after reactivation: %v", err)
		}
	})
	t.Run("ErrInactiveUser", func(t *testing.T) {
		if _, err := e.svc.UpdateUser(as(admin), u.ID, referral.UserInput{Active: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		_, err := e.svc.TokenIdentity(t.Context(), secret)
		code(t, err, referral.CodeUnauthenticated)
	})
}
