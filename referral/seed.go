package referral

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
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

// SeedStats says what SeedDirectory created.
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

// SeedDirectory fills the directory with a realistic, generated one across the EU and the UK,
// for load tests and demonstrations: organisations (shelters, NGOs, a few police units and
// competent authorities), their services in real cities and invented towns around them with the
// languages, eligibility, opening hours and capacity such services have, people already placed
// in the shelters, and the places in the gazetteer. Everything is written in one transaction
// with PostgreSQL COPY and audited as one event. Only the system may seed. Seeding the same seed
// twice into one database is refused as a conflict; seeds differ in every ID and organisation
// name, so several may share a database.
func (d *Domain) SeedDirectory(ctx context.Context, o SeedOptions) (SeedStats, error) {
	a := ActorFrom(ctx)
	switch {
	case a.IsZero():
		return SeedStats{}, ErrUnauthenticated
	case !a.IsSystem():
		return SeedStats{}, ErrForbidden
	}
	if err := o.normalise(); err != nil {
		return SeedStats{}, err
	}
	start := time.Now()
	now := d.Now()
	s := newSeeder(o, now)
	db := d.db.WithContext(ctx)
	var taken []struct{ Name, Country string }
	if err := db.Raw(`SELECT lower(name) AS name, country FROM places`).Scan(&taken).Error; err != nil {
		return SeedStats{}, err
	}
	for _, p := range taken {
		s.usedPlaces[p.Country+"\x00"+p.Name] = true
	}
	var orgNames []string
	if err := db.Raw(`SELECT lower(name) FROM organisations`).Scan(&orgNames).Error; err != nil {
		return SeedStats{}, err
	}
	for _, n := range orgNames {
		s.usedOrgNames[n] = true
	}
	if err := s.generate(); err != nil {
		return SeedStats{}, err
	}
	var seeded int64
	if err := db.Model(&Organisation{}).Where("id = ?", s.orgs[0].ID).Count(&seeded).Error; err != nil {
		return SeedStats{}, err
	}
	if seeded > 0 {
		return SeedStats{}, Errorf(CodeConflict, "error.id_conflict", nil)
	}
	st := s.stats()
	err := db.Connection(func(c *gorm.DB) error {
		conn, ok := c.Statement.ConnPool.(*sql.Conn)
		if !ok {
			return fmt.Errorf("seed: unexpected connection %T", c.Statement.ConnPool)
		}
		return c.Transaction(func(tx *gorm.DB) error {
			var before, after int64
			if err := tx.Table("places").Count(&before).Error; err != nil {
				return err
			}
			if err := addPlaces(ctx, tx, s.placeRows()); err != nil {
				return err
			}
			if err := tx.Table("places").Count(&after).Error; err != nil {
				return err
			}
			st.PlacesAdded = int(after - before)
			err := conn.Raw(func(dc any) error {
				pc, ok := dc.(*stdlib.Conn)
				if !ok {
					return fmt.Errorf("seed: COPY needs a pgx connection, not %T", dc)
				}
				return s.copyAll(ctx, pc.Conn())
			})
			if err != nil {
				return err
			}
			return appendAudit(ctx, tx, now, a, auditEntry{Action: "directory.seed", RecordType: "directory",
				RecordID: strconv.FormatUint(o.Seed, 10), Detail: st.detail()})
		})
	})
	if err != nil {
		return SeedStats{}, fmt.Errorf("seed directory: %w", err)
	}
	// Fresh statistics, so that the planner knows the directory's new size at once.
	if err := db.Exec(`ANALYZE organisations, services, service_capacity, placements, places`).Error; err != nil {
		return st, fmt.Errorf("seed directory: analyze: %w", err)
	}
	st.Duration = time.Since(start)
	d.log.Info("directory seeded", "seed", o.Seed, "services", st.Services, "organisations", st.Organisations,
		"cities", st.Cities, "duration", st.Duration.String())
	return st, nil
}

func (o *SeedOptions) normalise() error {
	if o.Services == 0 {
		o.Services = DefaultSeedServices
	}
	if o.Cities == 0 {
		o.Cities = DefaultSeedCities
	}
	var p Problems
	if o.Services < 1 || o.Services > maxSeedServices {
		p.Add("services", "error.field.range", map[string]any{"Min": 1, "Max": maxSeedServices})
	}
	if o.Cities < 1 || o.Cities > maxSeedCities {
		p.Add("cities", "error.field.range", map[string]any{"Min": 1, "Max": maxSeedCities})
	}
	return p.Err()
}

func (st SeedStats) detail() Detail {
	return Detail{
		"seed": strconv.FormatUint(st.Seed, 10), "cities": strconv.Itoa(st.Cities),
		"places_added": strconv.Itoa(st.PlacesAdded), "organisations": strconv.Itoa(st.Organisations),
		"services": strconv.Itoa(st.Services), "shelters": strconv.Itoa(st.Shelters),
		"beds": strconv.Itoa(st.Beds), "family_rooms": strconv.Itoa(st.FamilyRooms),
		"placements": strconv.Itoa(st.Placements),
	}
}

// seedPlace is a city or invented town with what the generator needs to know of it.
type seedPlace struct {
	Place
	real     bool
	parent   int // index (in seeder.places) of the real city it lies around; itself when real
	weight   float64
	chinese  int
	langs    []string // staff languages there, the main one first
	zone     string
	sigma    float64 // km: how far from the centre its services lie
	services []Category
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
	orgs              []Organisation
	services          []Service
	capacity          []serviceCapacity
	placements        []Placement
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

func (s *seeder) generate() error {
	s.makePlaces()
	s.allocateServices()
	if err := s.makeOrganisationsAndServices(); err != nil {
		return err
	}
	return s.makeAuthorities()
}

func (s *seeder) stats() SeedStats {
	st := SeedStats{Seed: s.o.Seed, Cities: len(s.places), Organisations: len(s.orgs), Services: len(s.services),
		Placements: len(s.placements)}
	for _, sv := range s.services {
		if sv.Category == CategoryShelter {
			st.Shelters++
		}
	}
	for _, c := range s.capacity {
		if c.Unit == UnitBed {
			st.Beds += c.Total
		} else {
			st.FamilyRooms += c.Total
		}
	}
	return st
}

// makePlaces takes the largest real cities, then invents towns around them, more around the
// larger ones, a few to some sixty kilometres out.
func (s *seeder) makePlaces() {
	real := slices.Clone(seedCities)
	sort.SliceStable(real, func(i, j int) bool { return real[i].Weight > real[j].Weight })
	real = real[:min(len(real), s.o.Cities)]
	for _, c := range seedCities {
		s.usedPlaces[c.Country+"\x00"+strings.ToLower(c.Name)] = true
	}
	for i, c := range real {
		langs := strings.Fields(c.Langs)
		if len(langs) == 0 {
			langs = strings.Fields(seedCountries[c.Country].Langs)
		}
		s.places = append(s.places, seedPlace{
			Place: Place{Name: c.Name, Country: c.Country, Latitude: c.Lat, Longitude: c.Lon},
			real:  true, parent: i, weight: float64(c.Weight), chinese: c.Chinese, langs: langs,
			zone: c.Zone, sigma: seedClamp(1.2+math.Sqrt(float64(c.Weight))/9, 1.5, 12),
		})
	}
	// Larger cities have more towns around them, but not in proportion.
	cum := make([]float64, len(real))
	total := 0.0
	for i, c := range real {
		total += math.Pow(float64(c.Weight), 0.6)
		cum[i] = total
	}
	for range s.o.Cities - len(real) {
		pi := sort.SearchFloat64s(cum, s.rng.Float64()*total)
		pi = min(pi, len(real)-1)
		parent, spec := s.places[pi], real[pi]
		spread := spec.Spread
		if spread == 0 {
			spread = 60
		}
		r := min(spread, 3+math.Abs(s.rng.NormFloat64())*22) * math.Sqrt(0.3+0.7*s.rng.Float64())
		lat, lon := seedOffset(parent.Latitude, parent.Longitude, r, s.rng.Float64()*2*math.Pi)
		s.places = append(s.places, seedPlace{
			Place:  Place{Name: s.townName(parent), Country: parent.Country, Latitude: lat, Longitude: lon},
			parent: pi, weight: seedClamp(math.Exp(2.7+0.7*s.rng.NormFloat64()), 2, 120),
			chinese: max(parent.chinese-1, 0), langs: parent.langs, zone: parent.zone,
			sigma: 1.2 + s.rng.Float64()*1.3,
		})
	}
}

// townName invents a plausible town name in the style of the country, unique there.
func (s *seeder) townName(parent seedPlace) string {
	style := seedTownStyles[seedCountries[parent.Country].Towns]
	patterns := style.Patterns
	if len(patterns) == 0 {
		patterns = []string{"{R}", "{R}", "{R}", "{P} {R}", "{P} {W}"}
	}
	for try := 0; ; try++ {
		root := seedPick(s.names, style.Roots) + seedPick(s.names, style.Suffixes)
		name := strings.NewReplacer("{P}", seedPick(s.names, style.Prefixes), "{R}", root, "{r}", seedLowerFirst(root),
			"{W}", seedPick(s.names, style.Words)).Replace(seedPick(s.names, patterns))
		switch {
		case try >= 40:
			name = fmt.Sprintf("%s (%s) %d", name, parent.Name, try-39)
		case try >= 20:
			name = fmt.Sprintf("%s (%s)", name, parent.Name)
		}
		key := parent.Country + "\x00" + strings.ToLower(name)
		if !s.usedPlaces[key] {
			s.usedPlaces[key] = true
			return name
		}
	}
}

// allocateServices shares the services among the places by weight, with the category mix of a
// real directory: shelters 30%, legal 20%, medical 20%, counselling 15%, interpretation 10%,
// assisted return 5%.
func (s *seeder) allocateServices() {
	mix := []float64{30, 20, 20, 15, 10, 5}
	cats := []Category{CategoryShelter, CategoryLegal, CategoryMedical, CategoryCounselling, CategoryInterpretation, CategoryReturn}
	var pool []Category
	for i, n := range seedApportion(s.o.Services, mix) {
		for range n {
			pool = append(pool, cats[i])
		}
	}
	s.rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	weights := make([]float64, len(s.places))
	for i, p := range s.places {
		weights[i] = p.weight
	}
	next := 0
	for i, n := range seedApportion(s.o.Services, weights) {
		s.places[i].services = pool[next : next+n]
		next += n
	}
}

// seedApportion splits total in proportion to weights, by largest remainder.
func seedApportion(total int, weights []float64) []int {
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	out := make([]int, len(weights))
	type rem struct {
		i int
		f float64
	}
	rems := make([]rem, len(weights))
	given := 0
	for i, w := range weights {
		exact := float64(total) * w / sum
		out[i] = int(exact)
		given += out[i]
		rems[i] = rem{i, exact - float64(out[i])}
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].f > rems[b].f })
	for k := 0; given < total; k++ {
		out[rems[k%len(rems)].i]++
		given++
	}
	return out
}

// seedSlot is one service to create: where and what.
type seedSlot struct {
	place int
	cat   Category
}

// makeOrganisationsAndServices groups each city's services and its towns' into organisations:
// shelter organisations run one to a dozen shelters, NGOs a few to fifteen services of several
// kinds, about five services per organisation in all.
func (s *seeder) makeOrganisationsAndServices() error {
	clusters := make([][]seedSlot, len(s.places))
	for i, p := range s.places {
		for _, c := range p.services {
			clusters[p.parent] = append(clusters[p.parent], seedSlot{i, c})
		}
	}
	for ci, slots := range clusters {
		if !s.places[ci].real {
			continue
		}
		var shelters, others []seedSlot
		for _, sl := range slots {
			if sl.cat == CategoryShelter {
				shelters = append(shelters, sl)
			} else {
				others = append(others, sl)
			}
		}
		for _, group := range [][]seedSlot{shelters, others} {
			s.rng.Shuffle(len(group), func(i, j int) { group[i], group[j] = group[j], group[i] })
			for len(group) > 0 {
				n := min(len(group), s.chunkSize(group[0].cat == CategoryShelter))
				if err := s.organisation(ci, group[:n]); err != nil {
					return err
				}
				group = group[n:]
			}
		}
		if s.places[ci].weight >= 500 {
			if err := s.police(ci); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *seeder) chunkSize(shelter bool) int {
	r := s.rng.Float64()
	if shelter {
		switch {
		case r < 0.25:
			return 1
		case r < 0.45:
			return 2
		case r < 0.65:
			return 3
		case r < 0.90:
			return 4 + s.rng.IntN(3)
		default:
			return 7 + s.rng.IntN(6)
		}
	}
	switch {
	case r < 0.4:
		return 2 + s.rng.IntN(3)
	case r < 0.8:
		return 5 + s.rng.IntN(4)
	default:
		return 9 + s.rng.IntN(7)
	}
}

// seedOrgLanguage is the language an organisation at p writes its name in.
func seedOrgLanguage(p seedPlace) string {
	if _, ok := seedOrgPatterns[p.langs[0]]; ok {
		return p.langs[0]
	}
	if l := seedCountries[p.Country].Lang; l != "" {
		return l
	}
	return "en"
}

// organisation creates one organisation of the city ci running the services of slots.
func (s *seeder) organisation(ci int, slots []seedSlot) error {
	home := ci
	if s.rng.Float64() < 0.35 {
		home = slots[0].place // a local organisation of a town
	}
	hp := s.places[home]
	cats := map[Category]int{}
	for _, sl := range slots {
		cats[sl.cat]++
	}
	kind, pattern := KindNGO, "ngo"
	switch {
	case cats[CategoryShelter] > 0:
		kind, pattern = KindShelter, "shelter"
		if s.rng.Float64() < 0.08 {
			kind = KindNGO
		}
	case len(cats) == 1:
		pattern = string(slots[0].cat)
		if (slots[0].cat == CategoryReturn && s.rng.Float64() < 0.5) || (slots[0].cat == CategoryMedical && s.rng.Float64() < 0.3) {
			kind = KindOther // an intergovernmental return programme, a hospital
		}
	}
	word := seedPick(s.names, seedOrgWords)
	name := s.orgName(seedOrgLanguage(hp), pattern, hp.Name, &word)
	o, err := s.addOrganisation(name, kind, hp)
	if err != nil {
		return err
	}
	s.orgWord[o.ID] = word
	for _, sl := range slots {
		if err := s.service(o, sl); err != nil {
			return err
		}
	}
	return nil
}

// orgName picks a free name from the patterns of lang for pattern; *word may change to find one.
func (s *seeder) orgName(lang, pattern, city string, word *string) string {
	patterns := seedOrgPatterns[lang][pattern]
	if len(patterns) == 0 {
		patterns = seedOrgPatterns["en"][pattern]
	}
	areas := []string{"North", "South", "East", "West", "Centre", "Riverside", "Old Town", "Harbour District"}
	for try := 0; ; try++ {
		if try > 0 {
			*word = seedPick(s.names, seedOrgWords)
		}
		name := strings.NewReplacer("{W}", *word, "{C}", city).Replace(seedPick(s.names, patterns))
		switch {
		case try >= 40:
			name = fmt.Sprintf("%s %d", name, try-38)
		case try >= 20:
			name += " – " + seedPick(s.names, areas)
		}
		if !s.usedOrgNames[strings.ToLower(name)] {
			s.usedOrgNames[strings.ToLower(name)] = true
			return name
		}
	}
}

func (s *seeder) addOrganisation(name string, kind OrganisationKind, p seedPlace) (Organisation, error) {
	zone := p.zone
	if zone == "" {
		zone = defaultTimeZones[p.Country]
	}
	if zone == "" {
		zone = seedCountries[p.Country].Zone
	}
	o := Organisation{ID: s.id()}
	in := OrganisationInput{Name: &name, Kind: &kind, Country: &p.Country, TimeZone: &zone}
	if err := in.apply(&o, true); err != nil {
		return o, fmt.Errorf("seed: organisation %q: %w", name, err)
	}
	o.CreatedAt, o.UpdatedAt = s.now, s.now
	s.orgs = append(s.orgs, o)
	return o, nil
}

// police adds the anti-trafficking unit of a large city: it refers people, it runs no services.
func (s *seeder) police(ci int) error {
	p := s.places[ci]
	word := ""
	_, err := s.addOrganisation(s.orgName(seedOrgLanguage(p), "police", p.Name, &word), KindPolice, p)
	return err
}

// makeAuthorities adds each country's competent authority (it decides, it runs no services).
func (s *seeder) makeAuthorities() error {
	seen := map[string]bool{}
	for _, p := range s.places {
		if !p.real || seen[p.Country] {
			continue
		}
		seen[p.Country] = true
		name := seedCountries[p.Country].Name + " National Referral Authority"
		for n := 2; s.usedOrgNames[strings.ToLower(name)]; n++ {
			name = fmt.Sprintf("%s National Referral Authority %d", seedCountries[p.Country].Name, n)
		}
		s.usedOrgNames[strings.ToLower(name)] = true
		if _, err := s.addOrganisation(name, KindCompetentAuthority, p); err != nil {
			return err
		}
	}
	return nil
}

// service creates one service of o, validated by the same rules as CreateService.
func (s *seeder) service(o Organisation, sl seedSlot) error {
	p := s.places[sl.place]
	r := s.rng
	cat := sl.cat
	lang := seedOrgLanguage(p)
	labels, ok := seedServiceLabels[lang]
	if !ok {
		lang, labels = "en", seedServiceLabels["en"]
	}
	word := s.orgWord[o.ID]
	name := labels[cat] + " " + word + " – " + p.Name
	if lang == "en" {
		name = word + " " + labels[cat] + " " + p.Name
	}
	key := o.ID.String() + name
	if s.serviceNameCounts == nil {
		s.serviceNameCounts = map[string]int{}
	}
	s.serviceNameCounts[key]++
	if n := s.serviceNameCounts[key]; n > 1 {
		name += " " + strconv.Itoa(n)
	}
	var i18n map[string]string
	if lang != "en" {
		i18n = map[string]string{"en": word + " " + seedServiceLabels["en"][cat] + " " + p.Name}
	}
	lat, lon := seedOffset(p.Latitude, p.Longitude, math.Abs(r.NormFloat64())*p.sigma, r.Float64()*2*math.Pi)
	lat, lon = math.Round(lat*1e6)/1e6, math.Round(lon*1e6)/1e6
	languages, interpreter := s.languages(p, cat)
	in := ServiceInput{
		ID: s.id(), OrganisationID: o.ID, Category: &cat, Name: &name, NameI18n: i18n,
		Description: ptr(seedDescriptions[cat]), Languages: &languages, Interpreter: &interpreter,
		City: &p.Name, Country: &p.Country, Latitude: ptr(&lat), Longitude: ptr(&lon),
		Accepting: ptr(r.Float64() < 0.9), Active: ptr(r.Float64() < 0.98),
	}
	s.eligibility(&in, cat)
	s.contact(&in, p, o, word)
	s.hours(&in, cat)
	if cat == CategoryShelter || r.Float64() >= 0.05 { // a few give no response time
		in.ResponseMinutes = ptr(ptr(s.responseMinutes(cat)))
	}
	if cat == CategoryShelter {
		in.Confidential = ptr(r.Float64() < 0.7)
		in.HoldMinutes = ptr(seedPick(r, []int{60, 120, 180, 240, 240, 240, 360, 480, 720, 1440}))
		in.Capacity = map[Unit]int{UnitBed: s.beds()}
		if *in.AcceptsChildren && r.Float64() < 0.6 {
			in.Capacity[UnitFamilyRoom] = 1 + r.IntN(6)
		}
	}
	if r.Float64() < 0.2 {
		in.Conditions = ptr(seedPick(r, seedConditions))
	}
	sv := Service{ID: in.ID, OrganisationID: o.ID}
	if err := in.apply(&sv, true); err != nil {
		return fmt.Errorf("seed: service %q of %q: %w", name, o.Name, err)
	}
	sv.CreatedAt, sv.UpdatedAt = s.now, s.now
	s.services = append(s.services, sv)
	for _, unit := range Units {
		if total, ok := sv.Capacity[unit]; ok {
			s.capacity = append(s.capacity, serviceCapacity{ServiceID: sv.ID, Unit: unit, Total: total})
			s.occupy(sv, unit, total)
		}
	}
	return nil
}

// seedDescriptions describe each kind of service (in English; staff edit their own).
var seedDescriptions = map[Category]string{
	CategoryShelter:        "Safe, staffed accommodation for people identified as possible victims of trafficking, with support to rest, recover and decide what to do next.",
	CategoryLegal:          "Free legal advice on residence, the recovery and reflection period, compensation and criminal proceedings.",
	CategoryMedical:        "Medical check-ups, sexual and reproductive health care and referral to hospitals, whatever the person's status.",
	CategoryCounselling:    "Trauma-informed counselling, individually or in groups, with an interpreter when needed.",
	CategoryInterpretation: "Interpreters for interviews, medical visits and court hearings, in person or by phone.",
	CategoryReturn:         "Information and support for a safe, voluntary return and reintegration in the country of origin.",
}

var seedConditions = []string{
	"Referral by the police, an NGO or the competent authority.",
	"Please call before coming.",
	"Stays of up to 90 days, renewable.",
	"No pets.",
	"Appointments within two working days.",
	"Free of charge; no documents needed.",
}

// languages gives the staff languages of a service at p: the local ones, often English,
// Chinese varieties as often as the Chinese community there makes likely, sometimes the
// languages of other large groups of people trafficked in Europe.
func (s *seeder) languages(p seedPlace, cat Category) ([]string, bool) {
	r := s.rng
	out := []string{p.langs[0]}
	for i, l := range p.langs[1:] {
		if r.Float64() < 0.7-0.3*float64(i) {
			out = append(out, l)
		}
	}
	english := 0.55
	switch p.Country {
	case "NL", "SE", "DK", "FI", "MT", "CY", "LU":
		english = 0.85
	}
	if r.Float64() < english {
		out = append(out, "en")
	}
	interp := cat == CategoryInterpretation
	cmn := [4]float64{0.02, 0.11, 0.15, 0.22}[p.chinese]
	if !p.real {
		cmn *= 0.7
	}
	switch {
	case interp:
		cmn = min(0.9, cmn*3)
	case cat == CategoryShelter:
		cmn *= 1.1
	}
	if r.Float64() < cmn {
		out = append(out, "cmn")
		dialects := seedCountries[p.Country].Dialect
		for i, d := range []string{"wuu", "nan", "cdo", "yue"} {
			pd := dialects[i] * [4]float64{0.15, 0.3, 0.45, 0.6}[p.chinese]
			if interp {
				pd *= 1.5
			}
			if r.Float64() < pd {
				out = append(out, d)
			}
		}
	}
	boost := seedLanguageBoosts[p.Country]
	for _, l := range seedOtherLanguages {
		pl := l.p * max(boost[l.code], 1)
		if interp {
			pl = min(0.9, pl*4)
		}
		if r.Float64() < pl {
			out = append(out, l.code)
		}
	}
	return out, interp || r.Float64() < 0.35
}

var seedOtherLanguages = []struct {
	code string
	p    float64
}{
	{"ro", .05}, {"bg", .03}, {"hu", .02}, {"vi", .03}, {"th", .02}, {"ar", .08}, {"pt", .03}, {"es", .05},
	{"ru", .04}, {"uk", .04}, {"pl", .03}, {"sq", .03}, {"ti", .01}, {"fa", .02}, {"fr", .04}, {"tr", .02},
}

var seedLanguageBoosts = map[string]map[string]float64{
	"IT": {"ro": 3, "ar": 2, "sq": 2, "bg": 1.5}, "ES": {"ro": 3, "ar": 3, "bg": 2, "pt": 2},
	"FR": {"ar": 3, "pt": 2, "ro": 2, "vi": 2}, "BE": {"ar": 3, "ro": 2, "bg": 2, "es": 1.5},
	"NL": {"ar": 2, "bg": 2, "ro": 2, "pl": 2, "th": 1.5}, "DE": {"ro": 2, "bg": 2, "vi": 2, "th": 2, "ar": 2, "uk": 2, "pl": 2, "tr": 3},
	"GB": {"ro": 2.5, "sq": 3, "vi": 3, "pl": 2, "ar": 1.5}, "IE": {"ro": 2, "pt": 2, "pl": 2},
	"AT": {"hu": 2, "ro": 2, "bg": 2}, "GR": {"bg": 2, "sq": 3, "ar": 2, "ro": 1.5}, "CY": {"ro": 2, "bg": 2, "ar": 2},
	"CZ": {"vi": 4, "uk": 3}, "SK": {"uk": 2, "hu": 2}, "PL": {"uk": 5, "ru": 2, "vi": 2},
	"LT": {"ru": 5, "uk": 2}, "LV": {"ru": 5, "uk": 2}, "EE": {"ru": 5, "uk": 2}, "FI": {"ru": 2, "th": 2},
	"SE": {"ar": 2, "th": 2}, "DK": {"th": 2, "ro": 1.5}, "HU": {"ro": 2}, "RO": {"hu": 3}, "BG": {"tr": 3},
	"PT": {"es": 2}, "LU": {"pt": 4},
}

// eligibility says whom the service takes: shelters mostly women, some men; adults, youth
// (minors) or everyone; children with a parent; some specialised in forms of exploitation.
func (s *seeder) eligibility(in *ServiceInput, cat Category) {
	r := s.rng
	genders := []string{}
	minors, children := false, false
	var minAge, maxAge *int
	if cat == CategoryShelter {
		switch g := r.Float64(); {
		case g < 0.55:
			genders = []string{"female"}
		case g < 0.67:
			genders = []string{"male"}
		case g < 0.72:
			genders = []string{"female", "other"}
		}
		switch a := r.Float64(); {
		case a < 0.12: // a youth shelter
			minors, minAge, maxAge = true, ptr(12+r.IntN(4)), ptr(seedPick(r, []int{17, 17, 17, 21}))
		case a < 0.77:
			minAge, children = ptr(18), r.Float64() < 0.45
			if r.Float64() < 0.1 {
				maxAge = ptr(seedPick(r, []int{25, 30}))
			}
		default:
			minors, children = r.Float64() < 0.25, r.Float64() < 0.4
		}
	} else {
		switch g := r.Float64(); {
		case g < 0.11:
			genders = []string{"female"}
		case g < 0.16:
			genders = []string{"male"}
		}
		switch a := r.Float64(); {
		case a < 0.78:
			minors = r.Float64() < 0.22
		case a < 0.95:
			minAge = ptr(18)
		default:
			minors, minAge, maxAge = true, ptr(12), ptr(25)
		}
		children = r.Float64() < 0.3
	}
	types := []string{}
	if r.Float64() >= 0.45 {
		n := seedPick(r, []int{1, 1, 1, 1, 1, 1, 2, 2, 2, 3})
		for len(types) < n {
			if t := seedWeighted(r, seedExploitation); !slices.Contains(types, t) {
				types = append(types, t)
			}
		}
	}
	in.Genders, in.AcceptsMinors, in.AcceptsChildren = &genders, &minors, &children
	in.MinAge, in.MaxAge, in.ExploitationTypes = &minAge, &maxAge, &types
}

var seedExploitation = []seedWeight[string]{
	{"sexual", 42}, {"labour", 28}, {"criminal", 9}, {"domestic_servitude", 9}, {"forced_marriage", 5},
	{"organ_removal", 1}, {"illegal_adoption", 1}, {"surrogacy", 2}, {"other", 3},
}

// contact gives the service an address, phone and (mostly) an e-mail address.
func (s *seeder) contact(in *ServiceInput, p seedPlace, o Organisation, word string) {
	r := s.rng
	lang := seedOrgLanguage(p)
	streets, ok := seedStreets[lang]
	if !ok {
		lang, streets = "en", seedStreets["en"]
	}
	street, no := seedPick(r, streets), 1+r.IntN(180)
	address := fmt.Sprintf("%s %d", street, no)
	if lang == "en" {
		address = fmt.Sprintf("%d %s", no, street)
	}
	c := seedCountries[p.Country]
	var postal strings.Builder
	for _, ch := range c.Postal {
		switch ch {
		case '9':
			postal.WriteByte(byte('0' + r.IntN(10)))
		case 'A':
			postal.WriteByte(byte('A' + r.IntN(26)))
		default:
			postal.WriteRune(ch)
		}
	}
	phone := fmt.Sprintf("%s %d %03d %02d %02d", c.Phone, 1+r.IntN(99), r.IntN(1000), r.IntN(100), r.IntN(100))
	in.Address, in.PostalCode, in.Phone = &address, ptr(postal.String()), &phone
	if r.Float64() < 0.75 {
		in.Email = ptr(fmt.Sprintf("intake.%d@%s-%s.example", 1+r.IntN(9), seedSlug(word), strings.ToLower(o.Country)))
	}
}

// hours: shelters take people day and night; others keep office hours, some an evening
// outreach running past midnight, a few a 24-hour line.
func (s *seeder) hours(in *ServiceInput, cat Category) {
	r := s.rng
	always := r.Float64() < 0.1
	if cat == CategoryShelter {
		always = r.Float64() < 0.88
	}
	in.OpenAlways = &always
	if always {
		return
	}
	var hours []OpeningHours
	days := func(from, to int, opens, closes string) {
		for d := from; d <= to; d++ {
			hours = append(hours, OpeningHours{Day: d, Opens: opens, Closes: closes})
		}
	}
	switch r.IntN(7) {
	case 0, 1:
		days(1, 5, "09:00", "17:00")
	case 2:
		days(1, 5, "08:30", "16:30")
	case 3:
		days(1, 4, "09:00", "18:00")
		days(5, 5, "09:00", "14:00")
	case 4:
		days(1, 5, "09:00", "12:30")
		days(1, 5, "13:30", "17:00")
	case 5:
		days(1, 5, "10:00", "18:00")
		days(6, 6, "10:00", "14:00")
	default:
		if cat == CategoryMedical || cat == CategoryCounselling {
			days(1, 7, "20:00", "02:00") // street outreach
		} else {
			days(2, 2, "13:00", "19:00")
			days(4, 4, "13:00", "19:00")
		}
	}
	in.OpeningHours = &hours
}

func (s *seeder) responseMinutes(cat Category) int {
	hi := 2880.0
	if cat == CategoryShelter && s.rng.Float64() < 0.7 {
		hi = 720
	}
	m := math.Exp(math.Log(15) + s.rng.Float64()*(math.Log(hi)-math.Log(15)))
	switch {
	case m < 120:
		return max(15, int(math.Round(m/5))*5)
	case m < 1440:
		return int(math.Round(m/15)) * 15
	default:
		return min(2880, int(math.Round(m/60))*60)
	}
}

// beds: small shelters of a few beds, most of eight to twenty, some large ones up to forty.
func (s *seeder) beds() int {
	switch r := s.rng.Float64(); {
	case r < 0.4:
		return 2 + s.rng.IntN(7)
	case r < 0.85:
		return 8 + s.rng.IntN(13)
	default:
		return 20 + s.rng.IntN(21)
	}
}

// occupy places people in a shelter: most are partly full, some full, some nearly empty.
func (s *seeder) occupy(sv Service, unit Unit, total int) {
	r := s.rng
	var used int
	switch f := r.Float64(); {
	case f < 0.08:
		used = total
	case f < 0.18:
		used = 0
	default:
		used = int(float64(total) * (0.2 + 0.75*r.Float64()))
	}
	for used > 0 {
		places := 1
		if unit == UnitBed {
			places = min(used, seedPick(r, []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3}))
		}
		at := s.now.Add(-time.Duration(1+r.IntN(120*24)) * time.Hour).Truncate(time.Minute)
		s.placements = append(s.placements, Placement{ID: s.id(), ServiceID: sv.ID, Unit: unit, Places: places,
			Status: PlacementPresent, CheckedInAt: at, CreatedAt: at, UpdatedAt: at})
		used -= places
	}
}

func (s *seeder) placeRows() []Place {
	out := make([]Place, len(s.places))
	for i, p := range s.places {
		out[i] = Place{Name: p.Name, Country: p.Country, Latitude: math.Round(p.Latitude*1e4) / 1e4,
			Longitude: math.Round(p.Longitude*1e4) / 1e4}
	}
	return out
}

// copyAll writes organisations, services, capacity and placements with COPY on the
// transaction's connection. The services' point column is generated by PostgreSQL.
func (s *seeder) copyAll(ctx context.Context, c *pgx.Conn) error {
	placed := map[string]int{} // the capacity rows' counts of places taken, from the placements
	for _, p := range s.placements {
		placed[p.ServiceID.String()+string(p.Unit)] += p.Places
	}
	copies := []struct {
		table   string
		columns []string
		n       int
		row     func(i int) ([]any, error)
	}{
		{"organisations", []string{"id", "name", "kind", "country", "time_zone", "active", "created_at", "updated_at"},
			len(s.orgs), func(i int) ([]any, error) {
				o := s.orgs[i]
				return []any{[16]byte(o.ID), o.Name, string(o.Kind), o.Country, o.TimeZone, o.Active, o.CreatedAt, o.UpdatedAt}, nil
			}},
		{"services", []string{"id", "organisation_id", "category", "name", "name_i18n", "description", "languages",
			"interpreter", "genders", "min_age", "max_age", "accepts_minors", "accepts_children", "exploitation_types",
			"conditions", "address", "postal_code", "city", "region", "country", "latitude", "longitude", "confidential",
			"open_always", "opening_hours", "accepting", "response_minutes", "hold_minutes", "phone", "email", "active",
			"created_at", "updated_at"},
			len(s.services), func(i int) ([]any, error) {
				v := s.services[i]
				js := func(x any) []byte { b, _ := json.Marshal(x); return b }
				return []any{[16]byte(v.ID), [16]byte(v.OrganisationID), string(v.Category), v.Name, js(v.NameI18n), v.Description,
					js(v.Languages), v.Interpreter, js(v.Genders), v.MinAge, v.MaxAge, v.AcceptsMinors, v.AcceptsChildren,
					js(v.ExploitationTypes), v.Conditions, v.Address, v.PostalCode, v.City, v.Region, v.Country, v.Latitude,
					v.Longitude, v.Confidential, v.OpenAlways, js(v.OpeningHours), v.Accepting, v.ResponseMinutes,
					v.HoldMinutes, v.Phone, v.Email, v.Active, v.CreatedAt, v.UpdatedAt}, nil
			}},
		{"service_capacity", []string{"service_id", "unit", "total", "placed"}, len(s.capacity), func(i int) ([]any, error) {
			c := s.capacity[i]
			return []any{[16]byte(c.ServiceID), string(c.Unit), c.Total, placed[c.ServiceID.String()+string(c.Unit)]}, nil
		}},
		{"placements", []string{"id", "service_id", "unit", "places", "status", "checked_in_at", "created_at", "updated_at"},
			len(s.placements), func(i int) ([]any, error) {
				p := s.placements[i]
				return []any{[16]byte(p.ID), [16]byte(p.ServiceID), string(p.Unit), p.Places, string(p.Status), p.CheckedInAt,
					p.CreatedAt, p.UpdatedAt}, nil
			}},
	}
	for _, cp := range copies {
		n, err := c.CopyFrom(ctx, pgx.Identifier{cp.table}, cp.columns, pgx.CopyFromSlice(cp.n, cp.row))
		if err != nil {
			return fmt.Errorf("copy %s: %w", cp.table, err)
		}
		if int(n) != cp.n {
			return fmt.Errorf("copy %s: %d of %d rows", cp.table, n, cp.n)
		}
	}
	return nil
}

// seedOffset moves a point r km in direction theta (radians from north).
func seedOffset(lat, lon, r, theta float64) (float64, float64) {
	dlat := r * math.Cos(theta) / 111.32
	dlon := r * math.Sin(theta) / (111.32 * math.Cos(lat*math.Pi/180))
	return seedClamp(lat+dlat, -90, 90), seedClamp(lon+dlon, -180, 180)
}

func seedClamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

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

func seedLowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// seedSlug turns a word into a DNS label: ASCII letters and digits, hyphens between words.
func seedSlug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-':
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}
