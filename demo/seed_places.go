package demo

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/harbour-nrm/harbour/referral"
)

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
			Place: referral.Place{Name: c.Name, Country: c.Country, Latitude: c.Lat, Longitude: c.Lon},
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
			Place:  referral.Place{Name: s.townName(parent), Country: parent.Country, Latitude: lat, Longitude: lon},
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
	cats := []referral.Category{referral.CategoryShelter, referral.CategoryLegal, referral.CategoryMedical, referral.CategoryCounselling, referral.CategoryInterpretation, referral.CategoryReturn}
	var pool []referral.Category
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

func (s *seeder) placeRows() []referral.Place {
	out := make([]referral.Place, len(s.places))
	for i, p := range s.places {
		out[i] = referral.Place{Name: p.Name, Country: p.Country, Latitude: math.Round(p.Latitude*1e4) / 1e4,
			Longitude: math.Round(p.Longitude*1e4) / 1e4}
	}
	return out
}

// seedOffset moves a point r km in direction theta (radians from north).
func seedOffset(lat, lon, r, theta float64) (float64, float64) {
	dlat := r * math.Cos(theta) / 111.32
	dlon := r * math.Sin(theta) / (111.32 * math.Cos(lat*math.Pi/180))
	return seedClamp(lat+dlat, -90, 90), seedClamp(lon+dlon, -180, 180)
}

func seedClamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

func seedLowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
