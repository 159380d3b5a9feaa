package referral_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
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
//
// HARBOUR_BENCH_MATCH_SQL names a file holding another ranking query (same parameters, same
// columns) to measure instead of match.sql, for trying out changes to it.

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
		if path := os.Getenv("HARBOUR_BENCH_MATCH_SQL"); path != "" {
			q, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			referral.MatchSQL = string(q)
			b.Logf("measuring the ranking query in %s instead of match.sql", path)
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
	for i, n := range needs { // warm the caches and the prepared statements
		wctx, cancel := context.WithTimeout(ctx, warmUpLimit)
		_, err := d.Match(wctx, n)
		cancel()
		if err != nil {
			b.Fatalf("match near %s: %v\n%s", benchCities[i], err, explainMatch(b, n, false))
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

// warmUpLimit bounds each warm-up match: a query plan gone wrong fails the benchmark with its
// plan instead of running for hours.
const warmUpLimit = 30 * time.Second

// explainMatch returns the ranking query's plan for a need; with analyze, as run, with buffers.
func explainMatch(b *testing.B, n referral.Need, analyze bool) string {
	b.Helper()
	opts := ""
	if analyze {
		opts = "(ANALYZE, BUFFERS) "
	}
	rows, err := matchBench.db.Pool.Query(context.Background(), "EXPLAIN "+opts+referral.MatchSQL,
		referral.MatchArgs(n, nil, referral.SearchRadii(n, false), time.Now())...)
	if err != nil {
		return fmt.Sprintf("(explain: %v)", err)
	}
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Sprintf("(explain: %v)", err)
		}
		plan = append(plan, line)
	}
	if err := rows.Err(); err != nil {
		return fmt.Sprintf("(explain: %v)", err)
	}
	return strings.Join(plan, "\n")
}

func BenchmarkMatchSQL(b *testing.B) {
	benchDirectory(b)
	pool, needs := matchBench.db.Pool, matchBench.needs
	ctx := context.Background()
	query := func(ctx context.Context, n referral.Need) (int, error) {
		rows, err := pool.Query(ctx, referral.MatchSQL, referral.MatchArgs(n, nil, referral.SearchRadii(n, false), time.Now())...)
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
	for i, n := range needs {
		wctx, cancel := context.WithTimeout(ctx, warmUpLimit)
		_, err := query(wctx, n)
		cancel()
		if err != nil {
			b.Fatalf("match near %s: %v\n%s", benchCities[i], err, explainMatch(b, n, false))
		}
	}
	explainOnce.Do(func() {
		plan := explainMatch(b, needs[0], true)
		summary := "the GiST index services_point_idx is NOT used"
		if strings.Contains(plan, "services_point_idx") {
			summary = "the GiST index services_point_idx is used"
		}
		for _, line := range strings.Split(plan, "\n") {
			if t := strings.TrimSpace(line); strings.HasPrefix(t, "Planning Time") || strings.HasPrefix(t, "Execution Time") {
				summary += "; " + t
			}
		}
		// The summary comes first: without -v, go test shows only a benchmark's first log lines.
		b.Logf("plan for a need in %s: %s\n%s", benchCities[0], summary, plan)
	})
	runs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		count, err := query(ctx, needs[i%len(needs)])
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
