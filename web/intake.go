package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// operationsData is the officer's list of operations and the form to start one.
type operationsData struct {
	Operations []referral.Operation
}

func (s *Site) operationsPage(c echo.Context) error {
	ops, err := s.deps.Domain.Operations(c.Request().Context())
	if err != nil {
		return err
	}
	p := s.newPage(c, "operations.title", operationsData{Operations: ops})
	p.Form.Values["id"] = newID()
	return s.render(c, http.StatusOK, "operations", p)
}

func (s *Site) createOperation(c echo.Context) error {
	ctx := c.Request().Context()
	id, _ := uuid.Parse(c.FormValue("id"))
	op, _, err := s.deps.Domain.CreateOperation(ctx, referral.OperationInput{ID: id, Name: c.FormValue("name"),
		Day: c.FormValue("day"), Area: c.FormValue("area")})
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/operations/"+op.ID.String())
	}
	ops, lerr := s.deps.Domain.Operations(ctx)
	if lerr != nil {
		return err
	}
	p := s.newPage(c, "operations.title", operationsData{Operations: ops})
	p.Form.fill(c, "id", "name", "day", "area")
	return s.refused(c, "operations", p, err)
}

func (s *Site) operationPage(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	b, err := s.deps.Domain.OperationBoard(c.Request().Context(), id)
	if err != nil {
		return err
	}
	p := s.newPage(c, "operation.title", b)
	s.notice(c, p)
	return s.render(c, http.StatusOK, "operation", p)
}

// intakeData is the intake form's choices.
type intakeData struct {
	OperationID       string
	Languages         []string
	Genders           []string
	Needs             []string
	ExploitationTypes []string
	Indicators        []string
}

func newIntake(operation string) intakeData {
	return intakeData{OperationID: operation, Languages: referral.CommonLanguages, Genders: referral.Genders,
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

var intakeFields = []string{"id", "operation_id", "language", "gender", "age", "birth_date", "appears_minor", "nationality",
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

// caseData is her record as the officer sees it, with what holds of her consents.
type caseData struct {
	Case            referral.Case
	Minor           bool
	Consents        []consentRow
	ScreenLanguages []i18n.Language
	ScreenLanguage  string // the person language closest to hers
	HelpLink        string
	Referrals       []referralRow
	Holds           []referral.Hold
	Placements      []referral.Placement
	Services        map[uuid.UUID]referral.Service
	History         []referral.HistoryEntry
	NRM             *referral.NRMView // her NRM record, or the steps that would refer her
	NRMBrief        *referral.NRMBrief
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
	minor := f.Case.Minor(s.deps.Domain.Now().In(p.Loc))
	d := caseData{Case: f.Case, Minor: minor, Consents: consentRows(f.Consents, minor),
		ScreenLanguages: s.deps.Bundle.PersonLanguageList(), ScreenLanguage: screenLanguage(f.Case.Language), HelpLink: helpLink(f.Case),
		Holds: f.Holds, Placements: f.Placements, Services: f.Services, History: f.History, NRM: f.NRM, Locations: referral.ExploitationLocations}
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

// sendReferral refers her to a service from the results of "find help"; a refusal (she has not
// agreed yet) is shown on her record.
func (s *Site) sendReferral(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in := referral.ReferralInput{CaseID: id, Urgent: c.FormValue("urgent") == "on"}
	in.ID, _ = uuid.Parse(c.FormValue("referral_id"))
	in.ServiceID, _ = uuid.Parse(c.FormValue("service_id"))
	_, _, err = s.deps.Domain.SendReferral(c.Request().Context(), in)
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/cases/"+id.String()+"?notice=referral_sent")
	}
	p, verr := s.caseView(c, id)
	if verr != nil {
		return verr
	}
	return s.refused(c, "case", p, err)
}

// consentRow is what holds for one consent question, as message IDs.
type consentRow struct {
	Scope    string    // consent.scope.*
	State    string    // consent.state.*
	At       time.Time // of the answer; zero when none
	Withdraw string    // the scope, when she may withdraw what she agreed to
}

// consentRows says, for each question, her latest answer, that it was not asked yet, or that a
// child is not asked.
func consentRows(consents []referral.Consent, minor bool) []consentRow {
	state := referral.ConsentState(consents)
	var out []consentRow
	for _, scope := range referral.ConsentScopes {
		r := consentRow{Scope: "consent.scope." + string(scope), State: "consent.state.not_asked"}
		if k, ok := state[scope]; ok {
			r.State, r.At = "consent.state.refused", k.RecordedAt
			if k.Given {
				r.State, r.Withdraw = "consent.state.given", string(scope)
			}
		} else if scope == referral.ConsentNRM && minor {
			r.State = "consent.state.child"
		}
		out = append(out, r)
	}
	return out
}

// screenLanguage is the language of her screen for the language she speaks: Chinese varieties
// of the mainland read Simplified Chinese, Cantonese Traditional; Simplified Chinese otherwise.
func screenLanguage(spoken string) string {
	switch spoken {
	case "yue":
		return "zh-Hant"
	case "cmn", "wuu", "nan", "cdo", "hak", "":
		return "zh-Hans"
	}
	for _, code := range i18n.PersonLanguages {
		if code == spoken {
			return code
		}
	}
	return "zh-Hans"
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

// screenData is her screen: everything in her language, the officer's few words in theirs.
type screenData struct {
	Lang, Dir   string
	Languages   []i18n.Language
	CaseID      string
	Minor       bool
	Officer     string
	Org         string
	Helpline    string
	Done        bool
	CSRF        string
	OfficerBack string // in the officer's language
	OfficerLang string
	Scopes      []referral.ConsentScope
	Offline     bool // the copy kept on the phone: her case comes from the address's #fragment
}

// screenPage is the page the officer hands over: in her language, in plain words, what happens
// next, her rights, the helpline, and the consent questions. For a child the NRM question is
// not asked.
func (s *Site) screenPage(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cs, err := s.deps.Domain.Case(ctx, id)
	if err != nil {
		return err
	}
	lang := c.QueryParam("screen")
	if _, ok := s.deps.Bundle.PersonLocalizer(lang); !ok {
		lang = screenLanguage(cs.Language)
	}
	ident, _ := referral.IdentityFrom(ctx)
	minor := cs.Minor(s.deps.Domain.Now().In(ident.Organisation.Location()))
	d := s.screenData(c, lang, "screen.back")
	d.CaseID, d.Minor, d.Done = cs.ID.String(), minor, c.QueryParam("done") == "1"
	if minor { // a child is not asked about the NRM
		d.Scopes = slices.DeleteFunc(slices.Clone(d.Scopes), func(k referral.ConsentScope) bool { return k == referral.ConsentNRM })
	}
	return s.renderScreen(c, d)
}

// screenData is what every copy of her screen shows in lang: the officer and organisation (the
// signed-in user's), the helpline of the organisation's country, every consent question, and
// the way back for the officer (back, a message ID) in the officer's language.
func (s *Site) screenData(c echo.Context, lang, back string) screenData {
	l, _ := s.deps.Bundle.PersonLocalizer(lang)
	ident, _ := referral.IdentityFrom(c.Request().Context())
	staff := s.localizer(c)
	return screenData{Lang: lang, Dir: l.Dir(), Languages: s.deps.Bundle.PersonLanguageList(), Officer: ident.User.Name,
		Org: ident.Organisation.Name, Helpline: referral.Helplines[ident.Organisation.Country], CSRF: s.cfg.CSRFToken(c),
		OfficerBack: staff.T(back, nil), OfficerLang: staff.Code, Scopes: referral.ConsentScopes}
}

// renderScreen answers with her screen; it is never kept by a browser's cache.
func (s *Site) renderScreen(c echo.Context, d screenData) error {
	b, err := s.screen.render(d.Lang, d)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(http.StatusOK, b)
}

// offlineScreen is her screen as the phone keeps it for use with no signal: the same words,
// for no case in particular. The offline script reads her case from the address's fragment
// (never sent to the server), asks the NRM question only of an adult, and queues her answers.
func (s *Site) offlineScreen(c echo.Context) error {
	if err := authorize(c, referral.ActCaseCreate, referral.Target{}); err != nil {
		return err
	}
	lang := c.QueryParam("screen")
	if _, ok := s.deps.Bundle.PersonLocalizer(lang); !ok {
		return referral.ErrNotFound
	}
	d := s.screenData(c, lang, "screen.back_offline")
	d.Offline = true
	return s.renderScreen(c, d)
}

// recordConsents records her answers from her screen, one record per question answered.
func (s *Site) recordConsents(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	lang := c.FormValue("screen")
	if _, ok := s.deps.Bundle.PersonLocalizer(lang); !ok {
		return referral.ErrNotFound
	}
	for _, scope := range referral.ConsentScopes {
		answer := c.FormValue(string(scope))
		if answer != "yes" && answer != "no" {
			continue // not asked, or not answered: nothing is recorded
		}
		given := answer == "yes"
		recordID, _ := uuid.Parse(c.FormValue(string(scope) + "_id"))
		if _, _, err := s.deps.Domain.RecordConsent(c.Request().Context(), id, referral.ConsentInput{ID: recordID,
			Scope: scope, Given: &given, Language: lang}); err != nil {
			return err
		}
	}
	if c.FormValue("back") == "case" { // withdrawn from her record, at her word
		return c.Redirect(http.StatusSeeOther, "/cases/"+id.String()+"?notice=saved")
	}
	return c.Redirect(http.StatusSeeOther, "/cases/"+id.String()+"/screen?screen="+url.QueryEscape(lang)+"&done=1")
}

// helpCase is the person a "find help" search is for, when it came from her record.
func helpCase(q url.Values) (id, reference string) {
	if _, err := uuid.Parse(q.Get("case")); err == nil {
		return q.Get("case"), strings.TrimSpace(q.Get("reference"))
	}
	return "", ""
}
