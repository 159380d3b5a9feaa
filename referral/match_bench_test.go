package referral_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/harbour-nrm/harbour/pgcluster/pgtest"
	"github.com/harbour-nrm/harbour/referral"
)

// The matching benchmarks run over a seeded directory of the size Harbour is held to: 50,000
// services in 5,000 cities of the EU and the UK. The directory is seeded once per test binary,
// by the first benchmark that needs it, and never by plain `go test`.
//
//	go test ./referral/ -run '^$' -bench Match -benchtime 200x

var matchBench struct {
	once    sync.Once
	ready   bool
	db      *referral.DB
	d       *referral.Domain
	officer context.Context
	needs   []referral.Need
}

// lastingTB is a benchmark's testing.TB for what all benchmarks share: its cleanups are dropped,
// since testing.B runs cleanups after every run of a benchmark. The database stays until the
// test binary stops its private PostgreSQL (with HARBOUR_TEST_DATABASE_URL set, it stays on that
// server, named after the binary's prefix).
type lastingTB struct{ testing.TB }

func (lastingTB) Cleanup(func()) {}

// benchCities are where the officer is: big cities, several with large Chinese communities.
var benchCities = []string{"Brussels", "Antwerp", "Paris", "London", "Madrid", "Barcelona", "Milan", "Prato", "Rome",
	"Amsterdam", "Rotterdam", "Berlin", "Hamburg", "Vienna", "Budapest", "Lisbon", "Warsaw", "Bucharest", "Athens", "Dublin"}

func benchDirectory(b *testing.B) {
	b.Helper()
	matchBench.once.Do(func() {
		db := pgtest.Open(lastingTB{b})
		cfg := referral.DefaultConfig()
		cfg.Argon2 = fastArgon2
		d := referral.NewDomain(db.Gorm, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		st, err := d.SeedDirectory(system, referral.SeedOptions{Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded %d services of %d organisations in %d cities (%d shelters, %d beds, %d placements) in %s",
			st.Services, st.Organisations, st.Cities, st.Shelters, st.Beds, st.Placements, st.Duration.Round(time.Millisecond))
		kind := referral.KindPolice
		o, _, err := d.CreateOrganisation(system, referral.OrganisationInput{Name: ptr("Benchmark Police"), Kind: &kind,
			Country: ptr("BE")})
		if err != nil {
			b.Fatal(err)
		}
		roles := []referral.Role{referral.RoleOfficer}
		u, _, err := d.CreateUser(system, referral.UserInput{OrganisationID: o.ID, Email: ptr("officer@bench.test"),
			Name: ptr("Bench Officer"), Roles: &roles, Password: ptr(testPassword)})
		if err != nil {
			b.Fatal(err)
		}
		for _, city := range benchCities {
			p, ok, err := d.FindPlace(system, city, "")
			if err != nil || !ok {
				b.Fatalf("place %s: %v %v", city, ok, err)
			}
			matchBench.needs = append(matchBench.needs, benchNeed(p.Latitude, p.Longitude))
		}
		matchBench.db, matchBench.d, matchBench.officer = db, d, as(u)
		matchBench.ready = true
	})
	if !matchBench.ready {
		b.Fatal("the benchmark directory could not be seeded (see the first benchmark's log)")
	}
}

// benchNeed is the raid-night case: a young woman, exploited in prostitution, speaking
// Wenzhounese and Mandarin, needing a bed tonight and legal, medical, counselling help and an
// interpreter.
func benchNeed(lat, lon float64) referral.Need {
	return referral.Need{
		Categories: []referral.Category{referral.CategoryShelter, referral.CategoryLegal, referral.CategoryMedical,
			referral.CategoryCounselling, referral.CategoryInterpretation},
		Languages: []string{"wuu", "cmn"}, Gender: "female", Age: ptr(24), ExploitationTypes: []string{"sexual"},
		Latitude: &lat, Longitude: &lon, Tonight: true, Limit: 5,
	}
}

// reportLatency reports the median and the 99th percentile of the runs' durations.
func reportLatency(b *testing.B, runs []time.Duration) {
	if len(runs) == 0 {
		return
	}
	slices.Sort(runs)
	q := func(p float64) float64 {
		i := min(len(runs)-1, int(float64(len(runs))*p+0.5)-1)
		return float64(runs[max(i, 0)]) / float64(time.Millisecond)
	}
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
}

func BenchmarkMatchDomain(b *testing.B) {
	benchDirectory(b)
	d, ctx, needs := matchBench.d, matchBench.officer, matchBench.needs
	for _, n := range needs { // warm the caches and the prepared statements
		if _, err := d.Match(ctx, n); err != nil {
			b.Fatal(err)
		}
	}
	runs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		res, err := d.Match(ctx, needs[i%len(needs)])
		runs = append(runs, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Results[referral.CategoryShelter]) == 0 {
			b.Fatalf("no shelter near %s", benchCities[i%len(needs)])
		}
	}
	b.StopTimer()
	reportLatency(b, runs)
}

var explainOnce sync.Once

func BenchmarkMatchSQL(b *testing.B) {
	benchDirectory(b)
	pool, needs := matchBench.db.Pool, matchBench.needs
	ctx := context.Background()
	explainOnce.Do(func() {
		rows, err := pool.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+referral.MatchSQL, referral.MatchArgs(needs[0], nil, time.Now())...)
		if err != nil {
			b.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				b.Fatal(err)
			}
			plan = append(plan, line)
		}
		if err := rows.Err(); err != nil {
			b.Fatal(err)
		}
		b.Logf("plan for a need in %s:\n%s", benchCities[0], strings.Join(plan, "\n"))
	})
	query := func(n referral.Need) (int, error) {
		rows, err := pool.Query(ctx, referral.MatchSQL, referral.MatchArgs(n, nil, time.Now())...)
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		count := 0
		for rows.Next() {
			if _, err := rows.Values(); err != nil {
				return count, err
			}
			count++
		}
		return count, rows.Err()
	}
	for _, n := range needs {
		if _, err := query(n); err != nil {
			b.Fatal(err)
		}
	}
	runs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		count, err := query(needs[i%len(needs)])
		runs = append(runs, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if count == 0 {
			b.Fatalf("no results near %s", benchCities[i%len(needs)])
		}
	}
	b.StopTimer()
	reportLatency(b, runs)
}
