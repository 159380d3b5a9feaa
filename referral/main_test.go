package referral_test

import (
	"testing"

	"github.com/harbour-nrm/harbour/pgcluster/pgtest"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/referral/referraltest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// env is the domain on a fresh database (referraltest), under the short names these tests use.
type env struct {
	*referraltest.World
	svc   *referral.Domain
	clock *referraltest.Clock
	db    *referral.DB
}

func newEnv(t *testing.T) *env {
	t.Helper()
	w := referraltest.New(t)
	return &env{World: w, svc: w.Domain, clock: w.Clock, db: w.DB}
}

var (
	system     = referraltest.System
	fastArgon2 = referraltest.FastArgon2
	as         = referraltest.As
	code       = referraltest.Code
	field      = referraltest.Field
)

const testPassword = referraltest.Password

func ptr[T any](v T) *T { return &v }

func countAudit(t *testing.T, e *env, action string) int64 {
	t.Helper()
	return e.CountAudit(t, action)
}
