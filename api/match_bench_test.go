package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/harbour-nrm/harbour/demo"
	"github.com/harbour-nrm/harbour/pgcluster/pgtest"
	"github.com/harbour-nrm/harbour/referral"
)

// anys points at each element of values, for Scan.
func anys(values []any) []any {
	out := make([]any, len(values))
	for i := range values {
		out[i] = &values[i]
	}
	return out
}

// BenchmarkMatch measures POST /api/v1/match over a 50,000-service directory in 5,000 cities
// (the whole request over loopback HTTP: JSON, token check, ranking query, reasons, JSON), and
// beside it the same ranking statement run straight through pgx, so the API's cost over the
// SQL is visible. Run: go test ./api/ -run '^$' -bench Match -benchtime 500x
func BenchmarkMatch(b *testing.B) {
	db := pgtest.Open(b)
	d := newDomain(db, quiet)
	sys := referral.WithActor(context.Background(), referral.SystemActor("bench"))
	start := time.Now()
	stats, err := demo.Seed(sys, d, demo.SeedOptions{Services: 50_000, Cities: 5_000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d services in %d cities in %v", stats.Services, stats.Cities, time.Since(start).Round(time.Millisecond))
	if _, err := db.SQL.Exec(`ANALYZE`); err != nil {
		b.Fatal(err)
	}
	police, _, err := d.CreateOrganisation(sys, referral.OrganisationInput{Name: ptr("Bench police"), Kind: ptr(referral.KindPolice), Country: ptr("BE")})
	if err != nil {
		b.Fatal(err)
	}
	roles := []referral.Role{referral.RoleOfficer}
	officer, _, err := d.CreateUser(sys, referral.UserInput{OrganisationID: police.ID, Email: ptr("bench@example.org"), Name: ptr("Bench"),
		Roles: &roles, Password: ptr(password)})
	if err != nil {
		b.Fatal(err)
	}
	_, token, err := d.CreateToken(sys, officer.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}
	cities := benchCities(b, db)
	needs := make([]referral.Need, len(cities))
	for i, c := range cities {
		lat, lon := c.Latitude, c.Longitude
		needs[i] = referral.Need{Languages: []string{"wuu", "cmn"}, Gender: "female", Age: ptr(24), Latitude: &lat, Longitude: &lon,
			Tonight: true, Categories: []referral.Category{referral.CategoryShelter, referral.CategoryLegal, referral.CategoryMedical,
				referral.CategoryCounselling, referral.CategoryInterpretation}, Limit: 5}
	}
	var sqlP50, sqlP99 time.Duration

	b.Run("SQL", func(b *testing.B) {
		ctx := context.Background()
		lat := make([]time.Duration, 0, b.N)
		rings := 0
		for i := 0; b.Loop(); i++ {
			n := needs[i%len(needs)]
			t0 := time.Now()
			// The statements Match runs: the first search, then wider rings for what was short.
			found := map[referral.Category]int{}
			for radii := referral.SearchRadii(n); len(n.Categories) > 0; n, radii = referral.NextSearch(n, found, radii) {
				clear(found)
				rows, err := db.Search.QueryContext(ctx, referral.MatchSQL, referral.MatchArgs(n, nil, radii, time.Now())...)
				if err != nil {
					b.Fatal(err)
				}
				columns, err := rows.Columns()
				if err != nil {
					b.Fatal(err)
				}
				values := make([]any, len(columns)) // every column read, as Match reads them
				for rows.Next() {
					if err := rows.Scan(anys(values)...); err != nil {
						b.Fatal(err)
					}
					found[referral.Category(values[1].(string))]++
				}
				rows.Close()
				if rows.Err() != nil {
					b.Fatal(rows.Err())
				}
				rings++
			}
			lat = append(lat, time.Since(t0))
		}
		b.ReportMetric(float64(rings)/float64(b.N), "statements/op")
		sqlP50, sqlP99 = report(b, lat)
	})

	b.Run("API", func(b *testing.B) {
		hs := httptest.NewServer(newServer(b, d, db, quiet).Echo)
		defer hs.Close()
		client := hs.Client()
		bodies := make([]string, len(cities))
		for i, c := range cities {
			bodies[i] = fmt.Sprintf(`{"categories":["shelter","legal","medical","counselling","interpretation"],"languages":["wuu","cmn"],
				"gender":"female","age":24,"location":{"latitude":%f,"longitude":%f},"tonight":true,"limit":5}`, c.Latitude, c.Longitude)
		}
		lat := make([]time.Duration, 0, b.N)
		for i := 0; b.Loop(); i++ {
			req, _ := http.NewRequest("POST", hs.URL+"/api/v1/match", strings.NewReader(bodies[i%len(bodies)]))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept-Language", "zh-CN")
			t0 := time.Now()
			res, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			lat = append(lat, time.Since(t0))
			if res.StatusCode != 200 {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
		p50, p99 := report(b, lat)
		if sqlP50 > 0 {
			b.ReportMetric(float64(p50)/float64(sqlP50), "p50-API/SQL")
			b.ReportMetric(float64(p99)/float64(sqlP99), "p99-API/SQL")
		}
	})
}

// benchCities are the 20 largest cities of the seeded directory: the needs come from them.
func benchCities(b *testing.B, db *referral.DB) []referral.Place {
	rows, err := db.SQL.Query(`SELECT name, country, latitude, longitude FROM places ORDER BY id LIMIT 20`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var out []referral.Place
	for rows.Next() {
		var p referral.Place
		if err := rows.Scan(&p.Name, &p.Country, &p.Latitude, &p.Longitude); err != nil {
			b.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// report adds the p50 and p99 latencies to the benchmark's output and returns them.
func report(b *testing.B, lat []time.Duration) (p50, p99 time.Duration) {
	if len(lat) == 0 {
		return 0, 0
	}
	slices.Sort(lat)
	p50, p99 = lat[len(lat)*50/100], lat[min(len(lat)-1, len(lat)*99/100)]
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	return p50, p99
}
