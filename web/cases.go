package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/referral/nrm"
	"github.com/labstack/echo/v4"
)

// intakeData is the intake form's choices.
type intakeData struct {
	OperationID       string
	Languages         []string
	OtherFields       []numbered // the fields for the languages she also understands, in her order
	Genders           []string
	Needs             []string
	ExploitationTypes []string
	Indicators        []string
}

func newIntake(operation string) intakeData {
	return intakeData{OperationID: operation, Languages: referral.CommonLanguages, OtherFields: otherLanguageFields, Genders: referral.Genders,
		Needs: referral.Needs, ExploitationTypes: referral.ExploitationTypes, Indicators: referral.Indicators}
}

// intakePage is the one-thumb form for recording a person; only what she can say now is needed.
func (s *Site) intakePage(c echo.Context) error {
	if err := authorize(c, referral.ActCaseCreate, referral.Target{}); err != nil {
		return err
	}
	p := s.newPage(c, "intake.title", newIntake(c.QueryParam("operation")))
	p.Form.Values["id"] = newID() // chosen once: a double tap or a retried upload records her once
	return s.render(c, http.StatusOK, "intake", p)
}

// otherLanguageFields are the intake's choices of the languages she also understands, in her
// order of preference: a Wenzhounese speaker who understands Mandarin is matched with Mandarin-
// speaking staff and offered the Mandarin screen.
var otherLanguageFields = []numbered{{"other_language_1", 1}, {"other_language_2", 2}, {"other_language_3", 3}}

// numbered is a form field with its number, as a label says it ("2nd language").
type numbered struct {
	Field string
	N     int
}

var intakeFields = []string{"id", "operation_id", "language", "other_language_1", "other_language_2", "other_language_3", "gender", "age", "birth_date", "appears_minor", "nationality",
	"name_original", "name_latin", "interpreter_needed", "needs", "children", "exploitation_types", "indicators", "found_at", "found_city"}

func (s *Site) createCase(c echo.Context) error {
	params, _ := c.FormParams()
	var typo referral.Problems
	in := referral.CaseInput{Language: c.FormValue("language"), Gender: c.FormValue("gender"),
		Age: formInt(&typo, "age", c.FormValue("age")), BirthDate: c.FormValue("birth_date"),
		AppearsMinor: c.FormValue("appears_minor") == "on", Nationality: c.FormValue("nationality"),
		NameOriginal: c.FormValue("name_original"), NameLatin: c.FormValue("name_latin"),
		InterpreterNeeded: c.FormValue("interpreter_needed") == "on", Needs: params["needs"],
		Children: deref(formInt(&typo, "children", c.FormValue("children"))), ExploitationTypes: params["exploitation_types"],
		Indicators: params["indicators"], FoundAt: c.FormValue("found_at"), FoundCity: c.FormValue("found_city")}
	in.ID, _ = uuid.Parse(c.FormValue("id"))
	for _, f := range otherLanguageFields {
		if v := c.FormValue(f.Field); v != "" {
			in.OtherLanguages = append(in.OtherLanguages, v)
		}
	}
	if op, err := uuid.Parse(c.FormValue("operation_id")); err == nil {
		in.OperationID = &op
	}
	err := typo.Err()
	var cs referral.Case
	if err == nil {
		cs, _, err = s.deps.Domain.CreateCase(c.Request().Context(), in)
	}
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/cases/"+cs.ID.String()+"?notice=saved")
	}
	p := s.newPage(c, "intake.title", newIntake(c.FormValue("operation_id")))
	p.Form.fill(c, intakeFields...)
	return s.refused(c, "intake", p, err)
}

// caseData is her record as the reader's organisation sees it: in full for the organisation
// that recorded her (Owner), what she shared for one that supports her.
type caseData struct {
	Case            referral.Case
	Owner           bool
	Shared          bool
	Minor           bool
	Consents        []consentRow
	ScreenLanguages []i18n.Language
	Screens         []screenChoice // her languages in her order, each with its screen or the closest
	ScreenLanguage  string         // the best screen for her: the first of her languages that has one
	ConsentLanguage string         // the language her withdrawals are recorded in
	HelpLink        string
	Referrals       []referralRow
	Holds           []referral.Hold
	Placements      []referral.Placement
	Services        map[uuid.UUID]referral.Service
	History         []referral.HistoryEntry
	NRM             *referral.NRMView // her NRM record, or the steps that would refer her
	NRMBrief        *referral.NRMBrief
	NRMStarters     []string             // the organisation kinds that start the NRM in the reader's jurisdiction
	NRMAsksConsent  bool                 // its first step asks an adult's consent (the UK, Spain), so the page says where she stands
	Batch           []batchLine          // what came of referrals sent at once, when some were refused
	BatchNames      map[uuid.UUID]string // their services' names
	Locations       []string
}

func (s *Site) casePage(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	p, err := s.caseView(c, id)
	if err != nil {
		return err
	}
	s.notice(c, p)
	return s.render(c, http.StatusOK, "case", p)
}

// caseView is her record's page: her details, what holds of her consents, her referrals, read
// in one go (one audited read of her case).
func (s *Site) caseView(c echo.Context, id uuid.UUID) (*page, error) {
	f, err := s.deps.Domain.CaseFile(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	p := s.newPage(c, "case.title", nil)
	minor := f.Minor
	d := caseData{Case: f.Case, Owner: f.Owner, Shared: f.Shared, Minor: minor, Consents: consentRows(f.Consents, minor),
		ScreenLanguages: s.deps.Bundle.PersonLanguageList(), HelpLink: helpLink(f.Case),
		Holds: f.Holds, Placements: f.Placements, Services: f.Services, History: f.History, NRM: f.NRM, Locations: referral.ExploitationLocations}
	d.Screens, d.ScreenLanguage = s.screenChoices(f.Case.Languages())
	d.ConsentLanguage = d.ScreenLanguage
	if d.ConsentLanguage == "" { // the screen she was shown is not known: the staff's own language
		d.ConsentLanguage = p.Lang
	}
	if f.NRM != nil && f.NRM.Jurisdiction != nil {
		j := f.NRM.Jurisdiction
		d.NRMStarters = j.FirstResponderKinds
		for _, t := range j.Transitions {
			if slices.Contains(t.From, j.Initial) && (t.Requires == nrm.ConsentOrMinor || t.Requires == nrm.AdultWithoutConsent) {
				d.NRMAsksConsent = true
			}
		}
	}
	if f.NRM != nil && f.NRM.Record.ID != uuid.Nil {
		b := f.NRM.Brief()
		d.NRMBrief = &b
	}
	for _, r := range f.Referrals {
		d.Referrals = append(d.Referrals, referralRow{Referral: r, Service: f.Services[r.ServiceID]})
	}
	for _, h := range d.History { // services by their names in the page's language
		if sv, ok := f.Services[h.ServiceID]; ok {
			h.Data["Service"] = sv.NameI18n.In(p.Lang, sv.Name)
		}
	}
	p.Data = d
	return p, nil
}

// referralRow is one of her referrals with the service it went to.
type referralRow struct {
	Referral referral.Referral
	Service  referral.Service
}

// helpLink asks the "find help" page for what she needs, from her record.
func helpLink(cs referral.Case) string {
	q := url.Values{}
	for _, cat := range helpCategories {
		q.Add("categories", string(cat))
	}
	if cs.Language != "" {
		q.Add("languages", cs.Language)
	}
	for _, l := range cs.OtherLanguages {
		q.Add("languages", l)
	}
	if cs.Gender != "" {
		q.Set("gender", cs.Gender)
	}
	if cs.Age != nil {
		q.Set("age", strconv.Itoa(*cs.Age))
	}
	if cs.AppearsMinor {
		q.Set("appears_minor", "on")
	}
	if cs.Children > 0 {
		q.Set("children", strconv.Itoa(cs.Children))
	}
	for _, t := range cs.ExploitationTypes {
		q.Add("exploitation_types", t)
	}
	for _, n := range cs.Needs {
		if n == "bed_tonight" {
			q.Set("tonight", "on")
		}
	}
	if cs.FoundCity != "" {
		q.Set("city", cs.FoundCity)
	}
	q.Set("case", cs.ID.String())
	q.Set("reference", cs.Reference)
	return "/help?" + q.Encode()
}

// helpCase is the person a "find help" search is for, when it came from her record.
func helpCase(q url.Values) (id, reference string) {
	if _, err := uuid.Parse(q.Get("case")); err == nil {
		return q.Get("case"), strings.TrimSpace(q.Get("reference"))
	}
	return "", ""
}
