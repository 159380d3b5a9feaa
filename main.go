// Harbour (港湾) is a mobile-first referral service for people identified as victims of human
// trafficking: officers record a person, show her her rights in her language, record consent
// and refer her to a shelter bed and to legal, medical and counselling help; shelters and NGOs
// answer; the competent authority decides under the National Referral Mechanism.
//
// Usage:
//
//	harbour [serve]                     run the server (the default)
//	harbour migrate                     apply database migrations and exit
//	harbour demo                        load the demo data set (idempotent)
//	harbour org create --name N --kind K --country CC [--tz ZONE]
//	harbour user create --email E --name N --org ORG --role R [--role R...]   (password on stdin)
//	harbour token create --email E [--name N]   (prints the token alone on the last line)
//	harbour audit verify                check the audit trail's hash chain
//	harbour hsds import [--country CC] PATH   import HSDS 3.1 services (PATH "-" = stdin)
//	harbour hsds export DIR             write DIR/services.json, organizations.json, taxonomy.json
//	harbour seed [--services N] [--cities N] [--seed N]   generate a large directory for load tests
//
// Settings come from the environment; README.md lists them. With DATABASE_URL unset, Harbour
// starts its own PostgreSQL under $HARBOUR_DATA_DIR/postgres, or reuses the one a running
// Harbour started there.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/harbour-nrm/harbour/pgcluster"
	"github.com/harbour-nrm/harbour/server"
	_ "time/tzdata" // organisations' time zones must load even where the system has no zoneinfo
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// run is the whole command line, with its inputs and outputs passed in so tests can call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	cfg, err := server.LoadConfig(getenv)
	if err != nil {
		fmt.Fprintln(stderr, "harbour:", err)
		return 2
	}
	cmd, rest := "serve", args
	if len(args) > 0 {
		cmd, rest = args[0], args[1:]
	}
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	c, ok := commands[cmd]
	if !ok {
		fmt.Fprintf(stderr, "harbour: unknown command %q\n%s", cmd, usage)
		return 2
	}
	if cmd != "serve" && cfg.LogLevel < 4 { // commands print results; only warnings go to the log
		cfg.LogLevel = 4
	}
	m := server.NewMain(cfg, stdout, stderr)
	m.Lang = posixLanguage(getenv)
	err = c(ctx, m, rest, stdin)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, pgcluster.ErrNoBinaries):
		fmt.Fprintln(stderr, err) // one line saying what to install or set
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "harbour:", err)
		return 2
	default:
		fmt.Fprintln(stderr, "harbour:", err)
	}
	return 1
}

const usage = `Usage:
  harbour [serve]
  harbour migrate
  harbour demo
  harbour org create --name N --kind police|shelter|ngo|specialised_centre|labour_inspectorate|competent_authority|other --country CC [--tz ZONE]
  harbour user create --email E --name N --org ORG --role R [--role R...] [--language L]   (password on stdin)
  harbour token create --email E [--name N]
  harbour audit verify
  harbour hsds import [--country CC] PATH
  harbour hsds export DIR
  harbour seed [--services 50000] [--cities 5000] [--seed 1]
`
