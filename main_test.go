package main

import (
	"testing"

	"github.com/harbour-nrm/harbour/pgcluster/pgtest"
	"github.com/harbour-nrm/harbour/server/servertest"
)

// The root's tests are the binary's own: its commands, its start-up and shutdown, and the
// messages its code names. Pages are tested in web/, phones in e2e/.

func TestMain(m *testing.M) { pgtest.Main(m) }

var (
	read     = servertest.Read
	contains = servertest.Contains
)
