// Package e2e_test drives Harbour in real Chromium at a phone's size (360×640), as officers,
// shelter staff and decision makers use it, and checks every page with axe-core. The server runs
// exactly as `harbour serve` does (server/servertest); Chromium is Debian's (/usr/bin/chromium or
// $HARBOUR_CHROMIUM) and axe-core comes from this folder's node_modules (npm ci --prefix e2e).
// Without them the tests skip, unless HARBOUR_BROWSER_REQUIRED=1 (CI), when they fail.
package e2e_test

import (
	"testing"

	"github.com/harbour-nrm/harbour/pgcluster/pgtest"
	"github.com/harbour-nrm/harbour/server/servertest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type testServer = servertest.Server

var (
	startServer = servertest.Start
	cliCtx      = servertest.System
)

const testPassword = servertest.Password

// In the demo data: the Brussels specialised centre's shelter.
const passerelle = "019a0000-0000-7000-8000-000000000209"
