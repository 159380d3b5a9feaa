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
	canEdit := authorize(c, referral.ActServiceUpdate, referral.Target{OrganisationID: a.OrganisationID}) == nil
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

// serviceFormPage prepares the service form: a new service when svc is nil.
func (s *Site) serviceFormPage(c echo.Context, svc *referral.Service) *page {
	title := "services.new"
	if svc != nil {
		title = "services.edit"
	}
	return s.newPage(c, title, serviceForm{Service: svc, Categories: referral.Categories, Languages: referral.CommonLanguages,
		Genders: referral.Genders, ExploitationTypes: referral.ExploitationTypes, Days: []int{1, 2, 3, 4, 5, 6, 7}})
}

func (s *Site) newServicePage(c echo.Context) error {
	org := referral.ActorFrom(c.Request().Context()).OrganisationID
	if err := authorize(c, referral.ActServiceCreate, referral.Target{OrganisationID: org}); err != nil {
		return err
	}
	p := s.serviceFormPage(c, nil)
	p.Form.Values = map[string]string{"id": newID(), "accepting": "on", "active": "on",
		"hold_minutes": strconv.Itoa(defaultHoldMinutes), "open_always": "on", "country": p.Identity.Organisation.Country}
	return s.render(c, http.StatusOK, "service", p)
}

func (s *Site) editServicePage(c echo.Context) error {
	svc, err := s.serviceParam(c)
	if err != nil {
		return err
	}
	if err := authorize(c, referral.ActServiceUpdate, referral.Target{OrganisationID: svc.OrganisationID}); err != nil {
		return err
	}
	p := s.serviceFormPage(c, &svc)
	p.Form.Values = serviceValues(svc)
	s.notice(c, p)
	return s.render(c, http.StatusOK, "service", p)
}

func (s *Site) serviceParam(c echo.Context) (referral.Service, error) {
	id, err := idParam(c)
	if err != nil {
		return referral.Service{}, err
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
	in := serviceInput(c)
	in.ID, _ = uuid.Parse(c.FormValue("id"))
	in.OrganisationID = referral.ActorFrom(c.Request().Context()).OrganisationID
	svc, _, err := s.deps.Domain.CreateService(c.Request().Context(), in)
	if err != nil {
		return s.refuseService(c, nil, err)
	}
	return c.Redirect(http.StatusSeeOther, "/services?notice=saved&created="+svc.ID.String())
}

func (s *Site) updateService(c echo.Context) error {
	svc, err := s.serviceParam(c)
	if err != nil {
		return err
	}
	if _, err := s.deps.Domain.UpdateService(c.Request().Context(), svc.ID, serviceInput(c)); err != nil {
		return s.refuseService(c, &svc, err)
	}
	return c.Redirect(http.StatusSeeOther, "/services/"+svc.ID.String()+"/edit?notice=saved")
}

// refuseService shows the service form (a new service when svc is nil) again, filled in, with
// the messages.
func (s *Site) refuseService(c echo.Context, svc *referral.Service, err error) error {
	p := s.serviceFormPage(c, svc)
	p.Form.fill(c, serviceFields...)
	if svc == nil {
		keepID(p.Form)
	}
	return s.refused(c, "service", p, err)
}

// defaultHoldMinutes is how long a bed is held when the form leaves it empty.
const defaultHoldMinutes = 240

// serviceInput reads the service form. Numbers that are not numbers go in Unread, so the domain
// refuses them together with whatever else is wrong, before saving anything.
func serviceInput(c echo.Context) referral.ServiceInput {
	params, _ := c.FormParams()
	var p referral.Problems
	str := func(name string) *string { v := c.FormValue(name); return &v }
	flag := func(name string) *bool { v := c.FormValue(name) == "on"; return &v }
	number := func(name string) **int { n := formInt(&p, name, c.FormValue(name)); return &n }
	decimal := func(name string) **float64 { f := formFloat(&p, name, c.FormValue(name)); return &f }
	cat := referral.Category(c.FormValue("category"))
	langs := append(append([]string{}, params["languages"]...), otherLanguages(c.FormValue("other_languages"))...)
	genders, types := params["genders"], params["exploitation_types"]
	hold := defaultHoldMinutes
	if h := *number("hold_minutes"); h != nil {
		hold = *h
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
			if n := *number(field); n != nil {
				in.Capacity[unit] = *n
			}
		}
	}
	in.Unread = p // numbers that are not numbers: refused together with the rest, nothing saved
	return in
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
		"name_zh": svc.NameI18n["zh-Hans"], "description": svc.Description, "languages": multiValue(svc.Languages),
		"interpreter": on(svc.Interpreter), "genders": multiValue(svc.Genders), "min_age": num(svc.MinAge),
		"max_age": num(svc.MaxAge), "accepts_minors": on(svc.AcceptsMinors), "accepts_children": on(svc.AcceptsChildren),
		"exploitation_types": multiValue(svc.ExploitationTypes), "conditions": svc.Conditions,
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
