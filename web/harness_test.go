package web_test

import (
	"context"
	"testing"

	"github.com/harbour-nrm/harbour/pgcluster/pgtest"
	"github.com/harbour-nrm/harbour/server/servertest"
)

// The page tests run Harbour as `harbour serve` does, through server/servertest; these are its
// helpers under the short names the tests read best with.

func TestMain(m *testing.M) { pgtest.Main(m) }

type testServer = servertest.Server

var (
	startServer = servertest.Start
	demoServer  = servertest.StartDemo
	browser     = servertest.Browser
	read        = servertest.Read
	contains    = servertest.Contains
	newTestID   = servertest.NewID
	cloneForm   = servertest.CloneForm
	parseHTML   = servertest.ParseHTML
	find        = servertest.Find
	one         = servertest.One
	attr        = servertest.Attr
	hasAttr     = servertest.HasAttr
	text        = servertest.Text
	cliCtx      = servertest.System
)

const testPassword = servertest.Password

func ptr[T any](v T) *T { return &v }

// demoAs is a demo user (name@demo.harbour.test) as the domain sees them acting.
func demoAs(t *testing.T, s *testServer, name string) context.Context {
	t.Helper()
	return s.As(t, name+"@demo.harbour.test")
}
