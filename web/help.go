package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// helpData is the "find help" page: the form's choices and, once asked, the ranked results.
type helpData struct {
	Categories        []referral.Category
	Languages         []string
	Genders           []string
	ExploitationTypes []string
	Asked             bool
	Results           []helpCategory
	From              *referral.Place
	CaseID, Reference string // the person the search is for, when it came from her record
}

// helpCategory is one category's ranked results.
type helpCategory struct {
	Category referral.Category
	Matches  []referral.Match
}

// helpCategories are asked by default: what a person found in a raid usually needs first.
var helpCategories = []referral.Category{referral.CategoryShelter, referral.CategoryLegal, referral.CategoryMedical,
	referral.CategoryCounselling, referral.CategoryInterpretation}

// helpPage asks for her needs and shows matching help. It is a GET form: asking changes
// nothing, and the results can be reloaded or shared between colleagues as a link.
func (s *Site) helpPage(c echo.Context) error {
	if err := authorize(c, referral.ActMatch, referral.Target{}); err != nil {
		return err
	}
	d := helpData{Categories: referral.Categories[:6], Languages: referral.CommonLanguages, Genders: referral.Genders,
		ExploitationTypes: referral.ExploitationTypes}
	p := s.newPage(c, "help.title", &d)
	q := c.QueryParams()
	if len(q) == 0 || (len(q) == 1 && q.Has("lang")) {
		p.Form.Values = map[string]string{"tonight": "on", "gender": "female", "categories": multiValue(helpCategories),
			"country": p.Identity.Organisation.Country}
		return s.render(c, http.StatusOK, "help", p)
	}
	for k, v := range q {
		p.Form.Values[k] = multiValue(v)
	}
	need, err := needFrom(q)
	var res referral.MatchResult
	if err == nil { // a number that is not one is reported before anything is looked up
		res, err = s.deps.Domain.Match(c.Request().Context(), need)
	}
	if err != nil {
		return s.refused(c, "help", p, err)
	}
	d.Asked, d.From = true, res.From
	d.CaseID, d.Reference = helpCase(q)
	for _, cat := range need.Categories {
		d.Results = append(d.Results, helpCategory{Category: cat, Matches: res.Results[cat]})
	}
	return s.render(c, http.StatusOK, "help", p)
}

// needFrom reads the form into a need; numbers that are not numbers are reported as such.
func needFrom(q url.Values) (referral.Need, error) {
	var p referral.Problems
	n := referral.Need{Languages: q["languages"], Gender: q.Get("gender"), AppearsMinor: q.Get("appears_minor") == "on",
		ExploitationTypes: q["exploitation_types"], City: q.Get("city"), Country: q.Get("country"),
		Tonight: q.Get("tonight") == "on", Age: formInt(&p, "age", q.Get("age")),
		Children: deref(formInt(&p, "children", q.Get("children")))}
	for _, c := range q["categories"] {
		n.Categories = append(n.Categories, referral.Category(c))
	}
	for _, code := range otherLanguages(q.Get("other_languages")) {
		if !slices.Contains(n.Languages, code) {
			n.Languages = append(n.Languages, code)
		}
	}
	if v := strings.TrimSpace(q.Get("avoid")); v != "" {
		n.AvoidCities = []string{v}
	}
	return n, p.Err()
}

// otherLanguages splits the codes typed into "other languages", by commas (also the Chinese
// one) or spaces.
func otherLanguages(typed string) []string {
	return strings.FieldsFunc(typed, func(r rune) bool { return r == ',' || r == ' ' || r == '，' })
}
