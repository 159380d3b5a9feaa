package demo_test

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
	svc *referral.Domain
	db  *referral.DB
}

func newEnv(t *testing.T) *env {
	t.Helper()
	w := referraltest.New(t)
	return &env{World: w, svc: w.Domain, db: w.DB}
}

var (
	system = referraltest.System
	as     = referraltest.As
	code   = referraltest.Code
	field  = referraltest.Field
)

func ptr[T any](v T) *T { return &v }
