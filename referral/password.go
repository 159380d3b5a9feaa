package referral

import (
	"strings"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
)

// DefaultArgon2 are the argon2id parameters OWASP recommends for interactive sign-in
// (19 MiB, 2 passes, 1 lane): slow for a guesser, quick enough for a phone waiting on a basement link.
var DefaultArgon2 = argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// Password length limits, in characters (any script counts each character once).
const (
	minPasswordLength = 12
	maxPasswordLength = 256
)

// checkPassword adds a problem under field when a new password is too weak.
func checkPassword(p *Problems, field, password, email string) {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		p.Add(field, "error.field.encoding", nil)
	case n < minPasswordLength:
		p.Add(field, "error.password.too_short", map[string]any{"Min": minPasswordLength})
	case n > maxPasswordLength:
		p.Add(field, "error.field.too_long", map[string]any{"Max": maxPasswordLength})
	case email != "" && strings.EqualFold(strings.TrimSpace(password), email):
		p.Add(field, "error.password.is_email", nil)
	}
}

func (d *Domain) hashPassword(password string) (string, error) {
	return argon2id.CreateHash(password, d.argon2())
}

func (d *Domain) argon2() *argon2id.Params {
	if d.cfg.Argon2 != nil {
		return d.cfg.Argon2
	}
	return &DefaultArgon2
}

// dummyHash is compared against when no account matches, so an unknown e-mail costs as much
// time as a wrong password and response times do not reveal who has an account.
func (d *Domain) dummyHash() string {
	d.dummyOnce.Do(func() { d.dummy, _ = argon2id.CreateHash("harbour-no-such-account", d.argon2()) })
	return d.dummy
}

func passwordMatches(password, hash string) bool {
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}
