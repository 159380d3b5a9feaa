package demo

import (
	"context"
	"encoding/binary"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
)

// SeedOptions sizes a generated directory. Zero values take the defaults.
type SeedOptions struct {
	Services int    // services to create; 50,000 when zero
	Cities   int    // places: the real cities (largest first), then towns invented around them; 5,000 when zero
	Seed     uint64 // the same seed on an empty directory gives the same directory
}

// Seed sizes: the defaults are the scale the matching benchmark is held to.
const (
	DefaultSeedServices = 50_000
	DefaultSeedCities   = 5_000
	maxSeedServices     = 1_000_000
	maxSeedCities       = 100_000
)

// SeedStats says what Seed created.
type SeedStats struct {
	Seed          uint64        `json:"seed"`
	Cities        int           `json:"cities"`       // places generated, real and invented
	PlacesAdded   int           `json:"places_added"` // of which new to the gazetteer
	Organisations int           `json:"organisations"`
	Services      int           `json:"services"`
	Shelters      int           `json:"shelters"`
	Beds          int           `json:"beds"`
	FamilyRooms   int           `json:"family_rooms"`
	Placements    int           `json:"placements"` // people (or families) staying in the shelters
	Duration      time.Duration `json:"duration"`
}

// Seed fills the directory with a realistic, generated one across the EU and the UK, for load
// tests and demonstrations: organisations (shelters, NGOs, a few police units and competent
// authorities), their services in real cities and invented towns around them with the
// languages, eligibility, opening hours and capacity such services have, people already placed
// in the shelters, and the places in the gazetteer. The domain cleans and writes it in one
// transaction and audits it as one event (referral.Domain.SeedDirectory). Only the system may
// seed. Seeding the same seed twice into one database is refused as a conflict; seeds differ in
// every ID and organisation name, so several may share a database.
func Seed(ctx context.Context, d *referral.Domain, o SeedOptions) (SeedStats, error) {
	taken, err := d.DirectoryNamesInUse(ctx)
	if err != nil {
		return SeedStats{}, err
	}
	if err := o.normalise(); err != nil {
		return SeedStats{}, err
	}
	start := time.Now()
	s := newSeeder(o, d.Now())
	for _, p := range taken.Places {
		s.usedPlaces[p.Country+"\x00"+p.Name] = true
	}
	for _, n := range taken.Organisations {
		s.usedOrgNames[n] = true
	}
	s.generate()
	st := s.stats()
	st.PlacesAdded, err = d.SeedDirectory(ctx, referral.GeneratedDirectory{Seed: o.Seed, Places: s.placeRows(),
		Organisations: s.orgs, Services: s.services, Placements: s.placements, Detail: st.detail()})
	if err != nil {
		return SeedStats{}, err
	}
	st.Duration = time.Since(start)
	return st, nil
}

func (o *SeedOptions) normalise() error {
	if o.Services == 0 {
		o.Services = DefaultSeedServices
	}
	if o.Cities == 0 {
		o.Cities = DefaultSeedCities
	}
	var p referral.Problems
	if o.Services < 1 || o.Services > maxSeedServices {
		p.Add("services", "error.field.range", map[string]any{"Min": 1, "Max": maxSeedServices})
	}
	if o.Cities < 1 || o.Cities > maxSeedCities {
		p.Add("cities", "error.field.range", map[string]any{"Min": 1, "Max": maxSeedCities})
	}
	return p.Err()
}

func (st SeedStats) detail() referral.Detail {
	return referral.Detail{
		"seed": strconv.FormatUint(st.Seed, 10), "cities": strconv.Itoa(st.Cities),
		"organisations": strconv.Itoa(st.Organisations),
		"services":      strconv.Itoa(st.Services), "shelters": strconv.Itoa(st.Shelters),
		"beds": strconv.Itoa(st.Beds), "family_rooms": strconv.Itoa(st.FamilyRooms),
		"placements": strconv.Itoa(st.Placements),
	}
}

// seedPlace is a city or invented town with what the generator needs to know of it.
type seedPlace struct {
	referral.Place
	real     bool
	parent   int // index (in seeder.places) of the real city it lies around; itself when real
	weight   float64
	chinese  int
	langs    []string // staff languages there, the main one first
	zone     string
	sigma    float64 // km: how far from the centre its services lie
	services []referral.Category
}

// seeder generates a directory. Three random streams keep the parts apart: names (which depend
// on names already taken in the database), IDs, and everything else.
type seeder struct {
	o                 SeedOptions
	now               time.Time
	rng, names, ids   *rand.Rand
	idClock           int64 // milliseconds of the next ID's time part
	usedPlaces        map[string]bool
	usedOrgNames      map[string]bool
	places            []seedPlace
	orgs              []referral.OrganisationInput
	services          []referral.ServiceInput
	placements        []referral.Placement
	orgWord           map[uuid.UUID]string
	serviceNameCounts map[string]int
}

// seedEpoch is the time part of seeded IDs: UUID v7, ordered, and the same for the same seed.
var seedEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()

func newSeeder(o SeedOptions, now time.Time) *seeder {
	return &seeder{
		o: o, now: now,
		rng:          rand.New(rand.NewPCG(o.Seed, 0x6861726265757221)),
		names:        rand.New(rand.NewPCG(o.Seed, 0x6e616d6573)),
		ids:          rand.New(rand.NewPCG(o.Seed, 0x696473)),
		idClock:      seedEpoch + int64(o.Seed%1_000_000)*10_000_000,
		usedPlaces:   map[string]bool{},
		usedOrgNames: map[string]bool{},
		orgWord:      map[uuid.UUID]string{},
	}
}

// id returns the next UUID v7: time part from the seed's clock, random part from the seed.
func (s *seeder) id() uuid.UUID {
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[0:8], uint64(s.idClock)<<16|s.ids.Uint64()&0xffff)
	binary.BigEndian.PutUint64(u[8:16], s.ids.Uint64())
	u[6] = u[6]&0x0f | 0x70
	u[8] = u[8]&0x3f | 0x80
	s.idClock++
	return u
}

func (s *seeder) generate() {
	s.makePlaces()
	s.allocateServices()
	s.makeOrganisationsAndServices()
	s.makeAuthorities()
}

func (s *seeder) stats() SeedStats {
	st := SeedStats{Seed: s.o.Seed, Cities: len(s.places), Organisations: len(s.orgs), Services: len(s.services),
		Placements: len(s.placements)}
	for _, sv := range s.services {
		if *sv.Category == referral.CategoryShelter {
			st.Shelters++
		}
		st.Beds += sv.Capacity[referral.UnitBed]
		st.FamilyRooms += sv.Capacity[referral.UnitFamilyRoom]
	}
	return st
}

func seedPick[T any](r *rand.Rand, from []T) T { return from[r.IntN(len(from))] }

type seedWeight[T any] struct {
	v T
	w float64
}

func seedWeighted[T any](r *rand.Rand, from []seedWeight[T]) T {
	total := 0.0
	for _, x := range from {
		total += x.w
	}
	f := r.Float64() * total
	for _, x := range from {
		if f -= x.w; f < 0 {
			return x.v
		}
	}
	return from[len(from)-1].v
}

func ptr[T any](v T) *T { return &v }
