package demo

import (
	"fmt"
	"strings"

	"github.com/harbour-nrm/harbour/referral"
)

// seedSlot is one service to create: where and what.
type seedSlot struct {
	place int
	cat   referral.Category
}

// makeOrganisationsAndServices groups each city's services and its towns' into organisations:
// shelter organisations run one to a dozen shelters, NGOs a few to fifteen services of several
// kinds, about five services per organisation in all.
func (s *seeder) makeOrganisationsAndServices() {
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
			if sl.cat == referral.CategoryShelter {
				shelters = append(shelters, sl)
			} else {
				others = append(others, sl)
			}
		}
		for _, group := range [][]seedSlot{shelters, others} {
			s.rng.Shuffle(len(group), func(i, j int) { group[i], group[j] = group[j], group[i] })
			for len(group) > 0 {
				n := min(len(group), s.chunkSize(group[0].cat == referral.CategoryShelter))
				s.organisation(ci, group[:n])
				group = group[n:]
			}
		}
		if s.places[ci].weight >= 500 {
			s.police(ci)
		}
	}
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
func (s *seeder) organisation(ci int, slots []seedSlot) {
	home := ci
	if s.rng.Float64() < 0.35 {
		home = slots[0].place // a local organisation of a town
	}
	hp := s.places[home]
	cats := map[referral.Category]int{}
	for _, sl := range slots {
		cats[sl.cat]++
	}
	kind, pattern := referral.KindNGO, "ngo"
	switch {
	case cats[referral.CategoryShelter] > 0:
		kind, pattern = referral.KindShelter, "shelter"
		if s.rng.Float64() < 0.08 {
			kind = referral.KindNGO
		}
	case len(cats) == 1:
		pattern = string(slots[0].cat)
		if (slots[0].cat == referral.CategoryReturn && s.rng.Float64() < 0.5) || (slots[0].cat == referral.CategoryMedical && s.rng.Float64() < 0.3) {
			kind = referral.KindOther // an intergovernmental return programme, a hospital
		}
	}
	word := seedPick(s.names, seedOrgWords)
	name := s.orgName(seedOrgLanguage(hp), pattern, hp.Name, &word)
	o := s.addOrganisation(name, kind, hp)
	s.orgWord[o.ID] = word
	for _, sl := range slots {
		s.service(o, sl)
	}
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

func (s *seeder) addOrganisation(name string, kind referral.OrganisationKind, p seedPlace) referral.Organisation {
	zone := p.zone
	if zone == "" {
		zone = referral.DefaultTimeZone(p.Country)
	}
	if zone == "" {
		zone = seedCountries[p.Country].Zone
	}
	o := referral.Organisation{ID: s.id(), Name: name, Kind: kind, Country: p.Country, TimeZone: zone}
	s.orgs = append(s.orgs, referral.OrganisationInput{ID: o.ID, Name: &name, Kind: &kind, Country: &p.Country, TimeZone: &zone})
	return o
}

// police adds the anti-trafficking unit of a large city: it refers people, it runs no services.
func (s *seeder) police(ci int) {
	p := s.places[ci]
	word := ""
	s.addOrganisation(s.orgName(seedOrgLanguage(p), "police", p.Name, &word), referral.KindPolice, p)
}

// makeAuthorities adds each country's competent authority (it decides, it runs no services).
func (s *seeder) makeAuthorities() {
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
		s.addOrganisation(name, referral.KindCompetentAuthority, p)
	}
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
