package demo

import "github.com/harbour-nrm/harbour/referral"

// languages gives the staff languages of a service at p: the local ones, often English,
// Chinese varieties as often as the Chinese community there makes likely, sometimes the
// languages of other large groups of people trafficked in Europe.
func (s *seeder) languages(p seedPlace, cat referral.Category) ([]string, bool) {
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
	interp := cat == referral.CategoryInterpretation
	cmn := [4]float64{0.02, 0.11, 0.15, 0.22}[p.chinese]
	if !p.real {
		cmn *= 0.7
	}
	switch {
	case interp:
		cmn = min(0.9, cmn*3)
	case cat == referral.CategoryShelter:
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
