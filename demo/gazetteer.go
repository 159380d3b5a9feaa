package demo

import (
	"bytes"
	"embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/harbour-nrm/harbour/referral"
)

// The gazetteer behind Seed: real cities of the EU-27 and the United Kingdom, with rough sizes
// and the size of their Chinese community, and per country the languages staff speak, the time
// zone and the shape of phone numbers, postcodes and invented town names. It is data, kept in
// places/ and embedded: cities.csv and countries.csv (a row each), town_styles.json and
// names.json (organisation words and name patterns, service labels and street names, by
// language). Edit the files; the tests check what the generator needs of them.

//go:embed places
var placeFiles embed.FS

// seedCity is a real city. Weight is the rough population of its urban area in thousands;
// Chinese the size of its Chinese community (0 none to speak of, 1 some, 2 notable, 3 one of
// Europe's largest); Langs the languages spoken there when not the country's (space-separated);
// Zone its time zone when not the country's; Spread how far (km) satellite towns may lie from it
// (0: up to 60 km; small for islands and cities on narrow coasts).
type seedCity struct {
	Name     string
	Country  string
	Lat, Lon float64
	Weight   int
	Chinese  int
	Langs    string
	Zone     string
	Spread   float64
}

// seedCountry is what the seed needs to know of a country: the languages most staff speak
// (first the main one), its time zone, its name in English, the calling code, the postcode shape
// (9 a digit, A a letter), how often each Chinese variety other than Mandarin (wuu, nan, cdo,
// yue) is heard among its Chinese speakers, and the style of its invented town names.
type seedCountry struct {
	Name    string
	Langs   string
	Zone    string
	Phone   string
	Postal  string
	Dialect [4]float64
	Towns   string // a key of seedTownStyles
	Lang    string // the language organisation names are written in (a key of seedOrgWords)
}

// seedTownStyle invents plausible town names from Patterns, where {R} is a root with a suffix
// ({r} the same in lower case), {P} a prefix and {W} a word.
type seedTownStyle struct {
	Patterns []string `json:"patterns"`
	Prefixes []string `json:"prefixes"`
	Roots    []string `json:"roots"`
	Suffixes []string `json:"suffixes"`
	Words    []string `json:"words"`
}

// The gazetteer, read from places/ when the program starts. A file that does not parse stops
// the program at once: it is part of the build, not input.
var (
	seedCities     = must(readCities())
	seedCountries  = must(readCountries())
	seedTownStyles = must(readJSON[map[string]seedTownStyle]("town_styles.json"))
	seedNames      = must(readJSON[struct {
		OrgWords      []string                                `json:"org_words"`
		OrgPatterns   map[string]map[string][]string          `json:"org_patterns"`
		ServiceLabels map[string]map[referral.Category]string `json:"service_labels"`
		Streets       map[string][]string                     `json:"streets"`
	}]("names.json"))
	// seedOrgWords name organisations: evocative names (flowers, stars, old virtues) that read
	// well in any language.
	seedOrgWords = seedNames.OrgWords
	// seedOrgPatterns are, by language and by the kind of help an organisation mostly gives,
	// patterns for its name, with {W} the word and {C} the city.
	seedOrgPatterns = seedNames.OrgPatterns
	// seedServiceLabels name a service's kind of help, by language.
	seedServiceLabels = seedNames.ServiceLabels
	// seedStreets are common street names by language, for addresses.
	seedStreets = seedNames.Streets
)

func must[T any](v T, err error) T {
	if err != nil {
		panic("demo: places: " + err.Error())
	}
	return v
}

// readCSV reads a file of places/ with a header row, as rows of named columns.
func readCSV(name string) ([]map[string]string, error) {
	b, err := placeFiles.ReadFile("places/" + name)
	if err != nil {
		return nil, err
	}
	records, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(records) == 0 {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	var rows []map[string]string
	for _, r := range records[1:] {
		row := map[string]string{}
		for i, col := range records[0] {
			row[col] = r[i]
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// numbers parses the named columns of a row as numbers.
func numbers(row map[string]string, cols ...string) ([]float64, error) {
	out := make([]float64, len(cols))
	for i, c := range cols {
		v, err := strconv.ParseFloat(row[c], 64)
		if err != nil {
			return nil, fmt.Errorf("%s of %q: %w", c, row["name"], err)
		}
		out[i] = v
	}
	return out, nil
}

func readCities() ([]seedCity, error) {
	rows, err := readCSV("cities.csv")
	var out []seedCity
	for _, r := range rows {
		n, err := numbers(r, "lat", "lon", "weight", "chinese", "spread")
		if err != nil {
			return nil, err
		}
		out = append(out, seedCity{Name: r["name"], Country: r["country"], Lat: n[0], Lon: n[1], Weight: int(n[2]),
			Chinese: int(n[3]), Langs: r["langs"], Zone: r["zone"], Spread: n[4]})
	}
	return out, err
}

func readCountries() (map[string]seedCountry, error) {
	rows, err := readCSV("countries.csv")
	out := map[string]seedCountry{}
	for _, r := range rows {
		n, err := numbers(r, "wuu", "nan", "cdo", "yue")
		if err != nil {
			return nil, err
		}
		out[r["code"]] = seedCountry{Name: r["name"], Langs: r["langs"], Zone: r["zone"], Phone: r["phone"],
			Postal: r["postal"], Dialect: [4]float64(n), Towns: r["towns"], Lang: r["lang"]}
	}
	return out, err
}

func readJSON[T any](name string) (T, error) {
	var v T
	b, err := placeFiles.ReadFile("places/" + name)
	if err == nil {
		err = json.Unmarshal(b, &v)
	}
	if err != nil {
		err = fmt.Errorf("%s: %w", name, err)
	}
	return v, err
}
