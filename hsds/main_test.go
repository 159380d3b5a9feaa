package hsds_test

import (
	"testing"

	"github.com/harbour-nrm/harbour/hsds"
	"github.com/harbour-nrm/harbour/pgcluster/pgtest"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/referral/referraltest"
)

// The HSDS tests run on a real database with the real migrations, as the domain's do; these
// helpers build the same small world the domain's directory tests use.

func TestMain(m *testing.M) { pgtest.Main(m) }

// env is one fresh database with the domain (referraltest) and its HSDS directory.
type env struct {
	*referraltest.World
	svc  *referral.Domain
	hsds *hsds.Directory
	db   *referral.DB
}

func newEnv(t *testing.T) *env {
	t.Helper()
	w := referraltest.New(t)
	return &env{World: w, svc: w.Domain, hsds: hsds.New(w.Domain), db: w.DB}
}

var (
	system = referraltest.System
	as     = referraltest.As
	code   = referraltest.Code
	field  = referraltest.Field
)

func ptr[T any](v T) *T { return &v }

func countAudit(t *testing.T, e *env, action string) int64 {
	t.Helper()
	return e.CountAudit(t, action)
}

// directory is a test world: a police unit with an officer, and two shelters each with an org
// admin and staff (referraltest.Directory).
type directory struct {
	*env
	referraltest.Directory
}

func newDirectory(t *testing.T) *directory {
	e := newEnv(t)
	return &directory{env: e, Directory: e.MakeDirectory(t)}
}

var shelterInput = referraltest.ShelterInput
