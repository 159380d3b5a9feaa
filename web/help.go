package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
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
	ctx := c.Request().Context()
	if err := referral.Authorize(referral.ActorFrom(ctx), referral.ActMatch, referral.Target{}); err != nil {
		return err
	}
	d := helpData{Categories: referral.Categories[:6], Languages: referral.CommonLanguages, Genders: referral.Genders,
		ExploitationTypes: referral.ExploitationTypes}
	p := s.newPage(c, "help.title", &d)
	q := c.QueryParams()
	if len(q) == 0 || (len(q) == 1 && q.Has("lang")) {
		p.Form.Values = map[string]string{"tonight": "on", "gender": "female",
			"categories": joinCategories(helpCategories)}
		if id, ok := referral.IdentityFrom(ctx); ok {
			p.Form.Values["country"] = id.Organisation.Country
		}
		return s.render(c, http.StatusOK, "help", p)
	}
	for k, v := range q {
		p.Form.Values[k] = strings.Join(v, "\x00")
	}
	need, typeErrs := needFrom(q)
	res, err := s.deps.Domain.Match(ctx, need)
	if err == nil && typeErrs != nil {
		err = typeErrs
	}
	if err != nil {
		status := p.Form.refuse(err, s.localizer(c))
		if status == 0 {
			return err
		}
		return s.render(c, status, "help", p)
	}
	d.Asked, d.From = true, res.From
	for _, cat := range need.Categories {
		d.Results = append(d.Results, helpCategory{Category: cat, Matches: res.Results[cat]})
	}
	return s.render(c, http.StatusOK, "help", p)
}

func joinCategories(cs []referral.Category) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return strings.Join(out, "\x00")
}

// needFrom reads the form into a need; numbers that are not numbers are reported as such.
func needFrom(q url.Values) (referral.Need, error) {
	var p referral.Problems
	n := referral.Need{Languages: q["languages"], Gender: q.Get("gender"), AppearsMinor: q.Get("appears_minor") == "on",
		ExploitationTypes: q["exploitation_types"], City: q.Get("city"), Country: q.Get("country"),
		Tonight: q.Get("tonight") == "on"}
	for _, c := range q["categories"] {
		n.Categories = append(n.Categories, referral.Category(c))
	}
	for _, code := range strings.FieldsFunc(q.Get("other_languages"), func(r rune) bool { return r == ',' || r == ' ' || r == '，' }) {
		if !slices.Contains(n.Languages, code) {
			n.Languages = append(n.Languages, code)
		}
	}
	if v := strings.TrimSpace(q.Get("age")); v != "" {
		age, err := strconv.Atoi(v)
		if err != nil {
			p.Add("age", "error.field.type", nil)
		}
		n.Age = &age
	}
	if v := strings.TrimSpace(q.Get("children")); v != "" {
		children, err := strconv.Atoi(v)
		if err != nil {
			p.Add("children", "error.field.type", nil)
		}
		n.Children = children
	}
	if v := strings.TrimSpace(q.Get("avoid")); v != "" {
		n.AvoidCities = []string{v}
	}
	return n, p.Err()
}

// holdBed holds a bed at a shelter from the results, then shows the hold. The form carries a
// client-chosen ID, so a double tap or a retry on a bad connection holds one bed.
func (s *Site) holdBed(c echo.Context) error {
	serviceID, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return referral.ErrNotFound
	}
	in := referral.HoldInput{Reference: c.FormValue("reference")}
	in.ID, _ = uuid.Parse(c.FormValue("hold_id"))
	places, _ := strconv.Atoi(c.FormValue("places"))
	in.Places = places
	h, _, err := s.deps.Domain.CreateHold(c.Request().Context(), serviceID, in)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/holds/"+h.ID.String())
}

// holdData is one hold as its holder sees it.
type holdData struct {
	Hold    referral.Hold
	Service referral.Service
}

func (s *Site) holdPage(c echo.Context) error {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return referral.ErrNotFound
	}
	ctx := c.Request().Context()
	h, err := s.deps.Domain.Hold(ctx, id)
	if err != nil {
		return err
	}
	svc, err := s.deps.Domain.Service(ctx, h.ServiceID)
	if err != nil {
		return err
	}
	p := s.newPage(c, "hold.title", holdData{Hold: h, Service: svc})
	s.notice(c, p)
	return s.render(c, http.StatusOK, "hold", p)
}

func (s *Site) releaseHold(c echo.Context) error {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return referral.ErrNotFound
	}
	if _, err := s.deps.Domain.ReleaseHold(c.Request().Context(), id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/holds/"+id.String()+"?notice=saved")
}
