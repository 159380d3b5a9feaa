package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// servicesData lists the services of the person's organisation.
type servicesData struct {
	Services []referral.Service
	CanEdit  bool
}

func (s *Site) servicesPage(c echo.Context) error {
	ctx := c.Request().Context()
	a := referral.ActorFrom(ctx)
	list, err := s.deps.Domain.ListServices(ctx, referral.ServiceFilter{OrganisationID: a.OrganisationID, Limit: 500})
	if err != nil {
		return err
	}
	canEdit := referral.Authorize(a, referral.ActServiceUpdate, referral.Target{OrganisationID: a.OrganisationID}) == nil
	p := s.newPage(c, "services.title", servicesData{Services: list, CanEdit: canEdit})
	s.notice(c, p)
	return s.render(c, http.StatusOK, "services", p)
}

// serviceForm is what the service form offers to choose from.
type serviceForm struct {
	Service           *referral.Service
	Categories        []referral.Category
	Languages         []string
	Genders           []string
	ExploitationTypes []string
	Days              []int
}

func newServiceForm(svc *referral.Service) serviceForm {
	return serviceForm{Service: svc, Categories: referral.Categories, Languages: referral.CommonLanguages,
		Genders: referral.Genders, ExploitationTypes: referral.ExploitationTypes, Days: []int{1, 2, 3, 4, 5, 6, 7}}
}

func (s *Site) newServicePage(c echo.Context) error {
	a := referral.ActorFrom(c.Request().Context())
	if err := referral.Authorize(a, referral.ActServiceCreate, referral.Target{OrganisationID: a.OrganisationID}); err != nil {
		return err
	}
	p := s.newPage(c, "services.new", newServiceForm(nil))
	p.Form.Values = map[string]string{"id": uuid.Must(uuid.NewV7()).String(), "accepting": "on", "active": "on",
		"hold_minutes": "240", "open_always": "on"}
	if id, ok := referral.IdentityFrom(c.Request().Context()); ok {
		p.Form.Values["country"] = id.Organisation.Country
	}
	return s.render(c, http.StatusOK, "service", p)
}

func (s *Site) editServicePage(c echo.Context) error {
	svc, err := s.serviceParam(c)
	if err != nil {
		return err
	}
	if err := referral.Authorize(referral.ActorFrom(c.Request().Context()), referral.ActServiceUpdate, referral.Target{OrganisationID: svc.OrganisationID}); err != nil {
		return err
	}
	p := s.newPage(c, "services.edit", newServiceForm(&svc))
	p.Form.Values = serviceValues(svc)
	s.notice(c, p)
	return s.render(c, http.StatusOK, "service", p)
}

func (s *Site) serviceParam(c echo.Context) (referral.Service, error) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return referral.Service{}, referral.ErrNotFound
	}
	return s.deps.Domain.Service(c.Request().Context(), id)
}

// serviceFields are the form's fields, kept when the form comes back with messages.
var serviceFields = []string{"id", "category", "name", "name_en", "name_zh", "description", "languages", "other_languages",
	"interpreter", "genders", "min_age", "max_age", "accepts_minors", "accepts_children", "exploitation_types", "conditions",
	"address", "postal_code", "city", "region", "country", "latitude", "longitude", "confidential", "open_always",
	"accepting", "response_minutes", "hold_minutes", "phone", "email", "beds", "family_rooms", "active",
	"opens_1", "closes_1", "opens_2", "closes_2", "opens_3", "closes_3", "opens_4", "closes_4", "opens_5", "closes_5",
	"opens_6", "closes_6", "opens_7", "closes_7"}

func (s *Site) createService(c echo.Context) error {
	in, typeErrs := serviceInput(c)
	in.ID, _ = uuid.Parse(c.FormValue("id"))
	in.OrganisationID = referral.ActorFrom(c.Request().Context()).OrganisationID
	svc, _, err := s.deps.Domain.CreateService(c.Request().Context(), in)
	if err == nil && typeErrs != nil {
		err = typeErrs
	}
	if err != nil {
		return s.refuseService(c, "services.new", nil, err)
	}
	return c.Redirect(http.StatusSeeOther, "/services?notice=saved&created="+svc.ID.String())
}

func (s *Site) updateService(c echo.Context) error {
	svc, err := s.serviceParam(c)
	if err != nil {
		return err
	}
	in, typeErrs := serviceInput(c)
	if typeErrs != nil {
		return s.refuseService(c, "services.edit", &svc, typeErrs)
	}
	if _, err := s.deps.Domain.UpdateService(c.Request().Context(), svc.ID, in); err != nil {
		return s.refuseService(c, "services.edit", &svc, err)
	}
	return c.Redirect(http.StatusSeeOther, "/services/"+svc.ID.String()+"/edit?notice=saved")
}

// refuseService shows the service form again, filled in, with the messages.
func (s *Site) refuseService(c echo.Context, title string, svc *referral.Service, err error) error {
	p := s.newPage(c, title, newServiceForm(svc))
	p.Form.fill(c, serviceFields...)
	if svc == nil {
		keepID(p.Form)
	}
	status := p.Form.refuse(err, s.localizer(c))
	if status == 0 {
		return err
	}
	return s.render(c, status, "service", p)
}

// serviceInput reads the service form. Numbers that are not numbers are reported like any other
// invalid field (the second result), after the domain has checked the rest.
func serviceInput(c echo.Context) (referral.ServiceInput, error) {
	params, _ := c.FormParams()
	var p referral.Problems
	str := func(name string) *string { v := c.FormValue(name); return &v }
	flag := func(name string) *bool { v := c.FormValue(name) == "on"; return &v }
	number := func(name string) **int {
		v := strings.TrimSpace(c.FormValue(name))
		var out *int
		if v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				p.Add(name, "error.field.type", nil)
			} else {
				out = &n
			}
		}
		return &out
	}
	decimal := func(name string) **float64 {
		v := strings.TrimSpace(strings.ReplaceAll(c.FormValue(name), ",", "."))
		var out *float64
		if v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				p.Add(name, "error.field.type", nil)
			} else {
				out = &f
			}
		}
		return &out
	}
	cat := referral.Category(c.FormValue("category"))
	langs := append([]string{}, params["languages"]...)
	for _, code := range strings.FieldsFunc(c.FormValue("other_languages"), func(r rune) bool { return r == ',' || r == ' ' || r == '，' }) {
		langs = append(langs, code)
	}
	genders, types := params["genders"], params["exploitation_types"]
	hold := 240
	if h := number("hold_minutes"); *h != nil {
		hold = **h
	}
	in := referral.ServiceInput{Category: &cat, Name: str("name"), Description: str("description"),
		NameI18n:  map[string]string{"en": c.FormValue("name_en"), "zh-Hans": c.FormValue("name_zh")},
		Languages: &langs, Interpreter: flag("interpreter"), Genders: &genders, MinAge: number("min_age"), MaxAge: number("max_age"),
		AcceptsMinors: flag("accepts_minors"), AcceptsChildren: flag("accepts_children"), ExploitationTypes: &types,
		Conditions: str("conditions"), Address: str("address"), PostalCode: str("postal_code"), City: str("city"),
		Region: str("region"), Country: str("country"), Latitude: decimal("latitude"), Longitude: decimal("longitude"),
		Confidential: flag("confidential"), OpenAlways: flag("open_always"), Accepting: flag("accepting"),
		ResponseMinutes: number("response_minutes"), HoldMinutes: &hold, Phone: str("phone"), Email: str("email"),
		Active: flag("active"), OpeningHours: openingHoursInput(c)}
	if cat == referral.CategoryShelter {
		in.Capacity = map[referral.Unit]int{}
		for unit, field := range map[referral.Unit]string{referral.UnitBed: "beds", referral.UnitFamilyRoom: "family_rooms"} {
			if n := number(field); *n != nil {
				in.Capacity[unit] = **n
			}
		}
	}
	return in, p.Err()
}

func openingHoursInput(c echo.Context) *[]referral.OpeningHours {
	hours := []referral.OpeningHours{}
	for day := 1; day <= 7; day++ {
		opens, closes := c.FormValue("opens_"+strconv.Itoa(day)), c.FormValue("closes_"+strconv.Itoa(day))
		if opens != "" || closes != "" {
			hours = append(hours, referral.OpeningHours{Day: day, Opens: opens, Closes: closes})
		}
	}
	return &hours
}

// serviceValues fills the form from a saved service.
func serviceValues(svc referral.Service) map[string]string {
	on := func(b bool) string {
		if b {
			return "on"
		}
		return ""
	}
	num := func(n *int) string {
		if n == nil {
			return ""
		}
		return strconv.Itoa(*n)
	}
	dec := func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	}
	v := map[string]string{"category": string(svc.Category), "name": svc.Name, "name_en": svc.NameI18n["en"],
		"name_zh": svc.NameI18n["zh-Hans"], "description": svc.Description, "languages": strings.Join(svc.Languages, "\x00"),
		"interpreter": on(svc.Interpreter), "genders": strings.Join(svc.Genders, "\x00"), "min_age": num(svc.MinAge),
		"max_age": num(svc.MaxAge), "accepts_minors": on(svc.AcceptsMinors), "accepts_children": on(svc.AcceptsChildren),
		"exploitation_types": strings.Join(svc.ExploitationTypes, "\x00"), "conditions": svc.Conditions,
		"address": svc.Address, "postal_code": svc.PostalCode, "city": svc.City, "region": svc.Region, "country": svc.Country,
		"latitude": dec(svc.Latitude), "longitude": dec(svc.Longitude), "confidential": on(svc.Confidential),
		"open_always": on(svc.OpenAlways), "accepting": on(svc.Accepting), "response_minutes": num(svc.ResponseMinutes),
		"hold_minutes": strconv.Itoa(svc.HoldMinutes), "phone": svc.Phone, "email": svc.Email, "active": on(svc.Active)}
	if beds, ok := svc.Capacity[referral.UnitBed]; ok {
		v["beds"] = strconv.Itoa(beds)
	}
	if rooms, ok := svc.Capacity[referral.UnitFamilyRoom]; ok {
		v["family_rooms"] = strconv.Itoa(rooms)
	}
	var other []string
	for _, l := range svc.Languages {
		if !slices.Contains(referral.CommonLanguages, l) {
			other = append(other, l)
		}
	}
	v["other_languages"] = strings.Join(other, ", ")
	for _, h := range svc.OpeningHours {
		d := strconv.Itoa(h.Day)
		v["opens_"+d], v["closes_"+d] = h.Opens, h.Closes
	}
	return v
}
