package referral_test

import (
	"testing"
	"time"

	"github.com/harbour-nrm/harbour/referral"
)

func TestSignIn(t *testing.T) {
	e := newEnv(t)
	police := e.org(t, "Police", referral.KindPolice)
	u := e.user(t, police, "officer@example.org", referral.RoleOfficer)

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
	police := e.org(t, "Police", referral.KindPolice)
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
	police := e.org(t, "Police", referral.KindPolice)
	e.user(t, police, "officer@example.org", referral.RoleOfficer)
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
	police := e.org(t, "Police", referral.KindPolice)
	e.user(t, police, "officer@example.org", referral.RoleOfficer)
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
	})
	t.Run("ErrForgedToken", func(t *testing.T) {
		_, err := e.svc.SessionIdentity(t.Context(), "forged")
		code(t, err, referral.CodeUnauthenticated)
	})
}

func TestTokens(t *testing.T) {
	e := newEnv(t)
	police := e.org(t, "Police", referral.KindPolice)
	shelter := e.org(t, "Shelter", referral.KindShelter)
	u := e.user(t, police, "officer@example.org", referral.RoleOfficer)
	colleague := e.user(t, police, "colleague@example.org", referral.RoleOfficer)
	stranger := e.user(t, shelter, "admin@shelter.example", referral.RoleOrgAdmin)

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
