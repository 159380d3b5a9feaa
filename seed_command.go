package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/harbour-nrm/harbour/demo"
)

// seedDirectory is `harbour seed [--services 50000] [--cities 5000] [--seed 1]`: it fills the
// directory with a generated one across the EU and the UK, for load tests and demonstrations.
// The same seed gives the same directory; seeding it twice is refused.
func seedDirectory(ctx context.Context, m *Main, args []string, _ io.Reader) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	services := fs.Int("services", demo.DefaultSeedServices, "")
	cities := fs.Int("cities", demo.DefaultSeedCities, "")
	seed := fs.Uint64("seed", 1, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	st, err := demo.Seed(cli(ctx), m.Domain, demo.SeedOptions{Services: *services, Cities: *cities, Seed: *seed})
	if err != nil {
		return describe(m, err)
	}
	fmt.Fprintf(m.Out, "seeded %d services of %d organisations in %d cities (%d new places) with seed %d in %s\n",
		st.Services, st.Organisations, st.Cities, st.PlacesAdded, st.Seed, st.Duration.Round(time.Millisecond))
	fmt.Fprintf(m.Out, "%d shelters with %d beds and %d family rooms, %d people or families staying\n",
		st.Shelters, st.Beds, st.FamilyRooms, st.Placements)
	return nil
}
