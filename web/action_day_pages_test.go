package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/harbour-nrm/harbour/referral"
)

// The action day's seams, each found in real use, on pages as people use them.

// In the demo data: the Brussels specialised centre's shelter, and Maison Lotus's main one.
const (
	passerelle = "019a0000-0000-7000-8000-000000000209"
	espace     = "019a0000-0000-7000-8000-000000000207" // counselling: a counsellor speaks Mandarin
)

// brusselsWoman is an adult the Brussels police recorded: Wenzhounese first, then Mandarin, a
// bed tonight, and her answers (to support, and to sharing her details when share is set).
func brusselsWoman(t *testing.T, s *testServer, share bool) referral.Case {
	t.Helper()
	officer := demoAs(t, s, "officer")
	c, _, err := s.Domain.CreateCase(officer, referral.CaseInput{ID: uuid.Must(uuid.NewV7()), Language: "wuu", OtherLanguages: []string{"cmn"},
		Gender: "female", Age: ptr(26), NameOriginal: "林小红", Needs: []string{"bed_tonight"}, FoundCity: "Brussels"})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	answers := []referral.ConsentScope{referral.ConsentSupport}
	if share {
		answers = append(answers, referral.ConsentShare)
	}
	for _, scope := range answers {
		if _, _, err := s.Domain.RecordConsent(officer, c.ID, referral.ConsentInput{ID: uuid.Must(uuid.NewV7()), Scope: scope, Given: &yes,
			Language: "zh-Hans"}); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// Finding 1: in Belgium the specialised centre the police referred her to opens what she shared
// and asks for her reflection period; the police are told who starts it; a shelter, another
// NGO and another force cannot open her record.
func TestBelgianCentreStartsHerNRM(t *testing.T) {
	s := demoServer(t)
	c := brusselsWoman(t, s, true)
	record := "/cases/" + c.ID.String()
	officer, centre := s.DemoSignIn(t, "officer@demo.harbour.test"), s.DemoSignIn(t, "centre@demo.harbour.test")

	_, body := s.Page(t, officer, record)
	zh := s.Bundle.Localizer("zh-Hans")
	contains(t, body, zh.T("nrm.case.started_by", map[string]any{"Kinds": zh.T("org.kind_specialised_centre", nil)}))
	if strings.Contains(body, `action="`+record+`/nrm"`) {
		t.Fatal("the Belgian police are offered to start her NRM")
	}
	// Before the centre accepts a referral for her, her record does not exist for it.
	if status, _ := s.Page(t, centre, record); status != http.StatusNotFound {
		t.Fatalf("the centre opened her record before supporting her: %d", status)
	}
	ref, _, err := s.Domain.SendReferral(demoAs(t, s, "officer"), referral.ReferralInput{ID: uuid.Must(uuid.NewV7()), CaseID: c.ID,
		ServiceID: uuid.MustParse(passerelle)})
	if err != nil {
		t.Fatal(err)
	}
	if !ref.Urgent {
		t.Fatal("a referral for the bed she needs tonight is not urgent")
	}
	_, body = s.Page(t, centre, "/referrals/"+ref.ID.String())
	if strings.Contains(body, `href="`+record+`"`) {
		t.Fatal("the centre is shown a way to her record before it accepted")
	}
	if _, err := s.Domain.Transition(demoAs(t, s, "centre"), ref.ID, referral.ActionAccept, referral.StepInput{}); err != nil {
		t.Fatal(err)
	}
	_, body = s.Page(t, centre, "/referrals/"+ref.ID.String())
	contains(t, body, `href="`+record+`"`)
	status, body := s.Page(t, centre, record)
	if status != 200 {
		t.Fatalf("the centre opens her record: %d", status)
	}
	contains(t, body, "林小红", zh.T("case.shared_with_you", nil), zh.T("nrm.step.request_reflection", nil))
	for _, private := range []string{zh.T("intake.where", nil), `id="consents"`, `id="screen"`, `href="/help?`} {
		if strings.Contains(body, private) {
			t.Errorf("the centre sees %q, which stays with the police", private)
		}
	}
	for _, who := range []string{"shelter", "caseworker", "officer.uk"} {
		if status, _ := s.Page(t, s.DemoSignIn(t, who+"@demo.harbour.test"), record); status != http.StatusNotFound {
			t.Errorf("%s opened her record: %d", who, status)
		}
	}

	// The police cannot start it even by posting the form; the centre can, once.
	form := url.Values{"step": {"request_reflection"}, "record_id": {newTestID()}, "exploitation_location": {"both"}}
	res := s.Submit(t, officer, record, record+"/nrm", cloneForm(form))
	if read(t, res); res.StatusCode != http.StatusForbidden {
		t.Fatalf("the police started her Belgian NRM: %d", res.StatusCode)
	}
	location := s.SubmitTwice(t, centre, record, record+"/nrm", form)
	if !strings.HasPrefix(location, "/nrm/") {
		t.Fatalf("after the centre's request: %s", location)
	}
	if n := s.Count(t, "nrm_records WHERE case_id = '"+c.ID.String()+"'"); n != 1 {
		t.Fatalf("%d NRM records for her", n)
	}
	_, body = s.Page(t, officer, record)
	contains(t, body, zh.T("nrm.state.reflection", nil))
	_, body = s.Page(t, s.DemoSignIn(t, "decision@demo.harbour.test"), "/nrm")
	contains(t, body, c.Reference)
}

// She did not agree to share her details: the centre that supports her sees her reference and
// where her NRM stands, never her name.
func TestSupporterSeesOnlyWhatSheShared(t *testing.T) {
	s := demoServer(t)
	c := brusselsWoman(t, s, false)
	ref, _, err := s.Domain.SendReferral(demoAs(t, s, "officer"), referral.ReferralInput{ID: uuid.Must(uuid.NewV7()), CaseID: c.ID,
		ServiceID: uuid.MustParse(passerelle)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Domain.Transition(demoAs(t, s, "centre"), ref.ID, referral.ActionAccept, referral.StepInput{}); err != nil {
		t.Fatal(err)
	}
	status, body := s.Page(t, s.DemoSignIn(t, "centre@demo.harbour.test"), "/cases/"+c.ID.String())
	if status != 200 || strings.Contains(body, "林小红") || strings.Contains(body, `id="details"`) {
		t.Fatalf("the centre sees her details she did not share: %d", status)
	}
	contains(t, body, c.Reference, s.Bundle.Localizer("zh-Hans").T("case.not_shared_with_you", nil))
	var reads int
	if err := s.DB.SQL.QueryRow(`SELECT count(*) FROM audit_events WHERE action = 'case.read' AND record_id = $1
		AND detail->>'as' = 'support_provider' AND detail->>'shared' = 'no'`, c.ID.String()).Scan(&reads); err != nil || reads != 1 {
		t.Fatalf("%d audited reads by the centre (%v)", reads, err)
	}
}

// Finding 8: a Wenzhounese speaker who also understands Mandarin is recorded with both, in her
// order; help from her record counts Mandarin-speaking staff as speaking a language of hers.
func TestIntakeRecordsHerLanguagesInOrder(t *testing.T) {
	s := demoServer(t)
	officer := s.DemoSignIn(t, "officer@demo.harbour.test")
	id := newTestID()
	location := s.SubmitTwice(t, officer, "/cases/new", "/cases", url.Values{"id": {id}, "language": {"wuu"},
		"other_language_1": {"cmn"}, "other_language_2": {"fr"}, "gender": {"female"}, "found_city": {"Brussels"}})
	c, err := s.Domain.Case(demoAs(t, s, "officer"), uuid.MustParse(id))
	if err != nil || !strings.HasPrefix(location, "/cases/"+id) {
		t.Fatal(err, location)
	}
	if got := strings.Join(c.Languages(), " "); got != "wuu cmn fr" {
		t.Fatalf("her languages %q, want wuu cmn fr in her order", got)
	}
	_, body := s.Page(t, officer, location)
	zh := s.Bundle.Localizer("zh-Hans")
	contains(t, body, zh.LanguageName("wuu")+" → "+zh.LanguageName("cmn")+" → "+zh.LanguageName("fr"))
	help := regexp.MustCompile(`href="(/help\?[^"]+)"`).FindStringSubmatch(body)
	_, body = s.Page(t, officer, strings.ReplaceAll(help[1], "&amp;", "&"))
	espace := regexp.MustCompile(`(?s)倾听空间心理辅导.*?</ul>`).FindString(body)
	if !strings.Contains(espace, zh.Message("match.reason.language_other", map[string]any{"Language": "cmn"})) ||
		strings.Contains(espace, zh.T("match.reason.no_language", nil)) {
		t.Fatalf("the Mandarin-speaking counsellor's reasons: %s", espace)
	}
	// A language code that is none is refused, and the form keeps what was typed.
	res := s.Submit(t, officer, "/cases/new", "/cases", url.Values{"id": {newTestID()}, "language": {"wuu"}, "other_language_1": {"zz-99"}})
	body = read(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a bad second language: %d", res.StatusCode)
	}
	contains(t, body, `aria-describedby="other-languages-error"`, `<option value="wuu" selected>`)
}

// Finding 9: her screen is never shown in a language nobody chose. Asked for Romanian, the
// officer is told there is none, with the interpreters near her who speak it; a Wu speaker who
// reads no other language is offered the closest screens; her own language's screen shows at once.
func TestHerScreenNeverFallsBackInSilence(t *testing.T) {
	s := demoServer(t)
	officer := s.DemoSignIn(t, "officer@demo.harbour.test")
	c := brusselsWoman(t, s, true)
	status, body := s.Page(t, officer, "/cases/"+c.ID.String()+"/screen?screen=ro")
	zh := s.Bundle.Localizer("zh-Hans")
	if status != http.StatusNotFound || strings.Contains(body, `lang="zh-Hans" dir="ltr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>`+zh.T("person.title", nil)) {
		t.Fatalf("Romanian asked: %d", status)
	}
	contains(t, body, zh.T("screen_missing.asked", map[string]any{"Language": zh.LanguageName("ro")}), "布鲁塞尔口译队")
	if strings.Contains(body, zh.T("person.safe", nil)) {
		t.Fatal("the missing screen shows her screen's words in Chinese")
	}
	// Her languages are Wu then Mandarin: her screen is the Mandarin one, shown at once.
	status, body = s.Page(t, officer, "/cases/"+c.ID.String()+"/screen")
	if status != 200 || !strings.Contains(body, `<html lang="zh-Hans"`) || !strings.Contains(body, zh.T("person.safe", nil)) {
		t.Fatalf("her own screen: %d", status)
	}
	// Only Wu: the officer chooses, told Simplified Chinese is closest.
	wu, _, err := s.Domain.CreateCase(demoAs(t, s, "officer"), referral.CaseInput{ID: uuid.Must(uuid.NewV7()), Language: "wuu"})
	if err != nil {
		t.Fatal(err)
	}
	status, body = s.Page(t, officer, "/cases/"+wu.ID.String()+"/screen")
	if status != http.StatusNotFound || strings.Contains(body, zh.T("person.safe", nil)) {
		t.Fatalf("a Wu speaker's screen chosen for her: %d", status)
	}
	contains(t, body, zh.T("screen_missing.closest", nil), `href="/cases/`+wu.ID.String()+`/screen?screen=zh-Hans"`)
	_, body = s.Page(t, officer, "/cases/"+wu.ID.String())
	contains(t, body, zh.T("case.no_screen", nil), zh.T("case.closest_screen", nil))
}

// Findings 3 and 4: from her record's help page, "hold a bed and refer" holds the bed and sends
// an urgent referral with it, once however often it is tapped; the shelter accepting it
// confirms the hold. A hold sent without a referral offers one on its page.
func TestHoldAndReferInOneStep(t *testing.T) {
	s := demoServer(t)
	officer, staff := s.DemoSignIn(t, "officer@demo.harbour.test"), s.DemoSignIn(t, "shelter@demo.harbour.test")
	c := brusselsWoman(t, s, true)
	record := "/cases/" + c.ID.String()
	_, body := s.Page(t, officer, record)
	help := strings.ReplaceAll(regexp.MustCompile(`href="(/help\?[^"]+)"`).FindStringSubmatch(body)[1], "&amp;", "&")
	_, body = s.Page(t, officer, help)
	contains(t, body, s.Bundle.Localizer("zh-Hans").T("help.hold_and_refer", nil))
	form := url.Values{"hold_id": {newTestID()}, "referral_id": {newTestID()}, "refer": {"on"}, "case_id": {c.ID.String()}}
	location := s.SubmitTwice(t, officer, help, "/services/"+lotusHouse+"/holds", form)
	if location != record+"?notice=held_and_referred" {
		t.Fatalf("after hold and refer: %s", location)
	}
	var r referral.Referral
	if err := s.DB.Gorm.Where("case_id = ?", c.ID).Find(&r).Error; err != nil || r.HoldID == nil || r.HoldID.String() != form.Get("hold_id") ||
		!r.Urgent || s.Count(t, "holds WHERE case_id = '"+c.ID.String()+"'") != 1 || s.Count(t, "referrals WHERE case_id = '"+c.ID.String()+"'") != 1 {
		t.Fatalf("referral %+v (%v): want one, urgent, with the one hold", r, err)
	}
	// The shelter sees it urgent on top, accepts in its inbox: the bed is confirmed.
	_, inbox := s.Page(t, staff, "/referrals")
	contains(t, inbox, s.Bundle.Localizer("zh-Hans").T("referral.urgent", nil))
	res := s.Submit(t, staff, "/referrals", "/referrals/"+r.ID.String()+"/accept", url.Values{"step_id": {newTestID()}, "back": {"/referrals"}})
	if read(t, res); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.StatusCode)
	}
	h, err := s.Domain.Hold(demoAs(t, s, "officer"), *r.HoldID)
	if err != nil || h.Status != referral.HoldConfirmed {
		t.Fatalf("the hold after accepting: %s %v", h.Status, err)
	}

	// A bed held alone: its page offers to send the referral, and the referral goes with it.
	other := brusselsWoman(t, s, true)
	holdID := newTestID()
	location = s.SubmitTwice(t, officer, "/help", "/services/"+lotusIxelles+"/holds", url.Values{"hold_id": {holdID}, "case_id": {other.ID.String()}})
	_, body = s.Page(t, officer, location)
	zh := s.Bundle.Localizer("zh-Hans")
	contains(t, body, zh.T("hold.send_referral_hint", nil), `name="hold_id" value="`+holdID+`"`)
	send := url.Values{"referral_id": {newTestID()}, "service_id": {lotusIxelles}, "hold_id": {holdID}}
	s.SubmitTwice(t, officer, location, "/cases/"+other.ID.String()+"/referrals", send)
	_, body = s.Page(t, officer, location)
	if strings.Contains(body, zh.T("hold.send_referral_hint", nil)) || !strings.Contains(body, zh.T("hold.referral", nil)) {
		t.Fatal("the hold's page still offers a referral, or does not show the one sent")
	}
	// The shelter staff see the hold's page but may not send a referral from it.
	if _, body := s.Page(t, staff, location); strings.Contains(body, zh.T("hold.send_referral", nil)) {
		t.Fatal("the shelter is offered to send the officer's referral")
	}
}

// Finding 5: several services chosen on the help page go in one submit, each its own
// referral; one refused shows its reason while the others go through; sent again, nothing is
// sent twice.
func TestReferSeveralAtOnce(t *testing.T) {
	s := demoServer(t)
	officer := s.DemoSignIn(t, "officer@demo.harbour.test")
	c := brusselsWoman(t, s, true)
	record := "/cases/" + c.ID.String()
	// Medisch Centrum Noord stops taking referrals meanwhile.
	medical := "019a0000-0000-7000-8000-000000000206"
	if err := s.DB.Gorm.Exec(`UPDATE services SET accepting = false WHERE id = ?`, medical).Error; err != nil {
		t.Fatal(err)
	}
	legal := "019a0000-0000-7000-8000-000000000205"
	form := url.Values{"services": {lotusHouse, legal, medical, espace}, "hold": {lotusHouse}, "hold_id": {newTestID()}}
	for _, sv := range form["services"] {
		form.Set("referral_"+sv, newTestID())
	}
	for range 2 {
		res := s.Submit(t, officer, record, record+"/referrals", cloneForm(form))
		body := read(t, res)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("several referrals with one refused: %d", res.StatusCode)
		}
		zh := s.Bundle.Localizer("zh-Hans")
		contains(t, body, zh.T("case.batch.title", nil), "北区医疗中心", zh.T("error.hold.not_accepting", nil), "团结律师法律援助")
	}
	if n := s.Count(t, "referrals WHERE case_id = '"+c.ID.String()+"'"); n != 3 {
		t.Fatalf("%d referrals sent, want 3 (the shelter, legal and counselling)", n)
	}
	if n := s.Count(t, "holds WHERE case_id = '"+c.ID.String()+"'"); n != 1 {
		t.Fatalf("%d beds held, want 1", n)
	}
	// All accepted: her record says so.
	ok := url.Values{"services": {"019a0000-0000-7000-8000-000000000208"}, "referral_019a0000-0000-7000-8000-000000000208": {newTestID()}}
	if location := s.SubmitTwice(t, officer, record, record+"/referrals", ok); location != record+"?notice=referrals_sent" {
		t.Fatalf("all sent: %s", location)
	}
	// Another force's officer sending for her: her record does not exist for them.
	res := s.Submit(t, s.DemoSignIn(t, "officer.uk@demo.harbour.test"), "/", record+"/referrals", cloneForm(form))
	if read(t, res); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another force sent referrals for her: %d", res.StatusCode)
	}
}

// Finding 6: a check-out asks how she left; the stay ends, the bed is free, the referral that
// brought her is completed with that outcome, and the referrer reads it on its timeline.
func TestCheckOutWithOutcome(t *testing.T) {
	s := demoServer(t)
	officer, staff := s.DemoSignIn(t, "officer@demo.harbour.test"), s.DemoSignIn(t, "shelter@demo.harbour.test")
	c := brusselsWoman(t, s, true)
	h, r, err := s.Domain.HoldAndRefer(demoAs(t, s, "officer"), uuid.MustParse(lotusHouse), referral.HoldInput{ID: uuid.Must(uuid.NewV7()), CaseID: &c.ID},
		referral.ReferralInput{ID: uuid.Must(uuid.NewV7()), CaseID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := s.Domain.CheckIn(demoAs(t, s, "shelter"), h.ID, uuid.Nil)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := s.Domain.Referral(demoAs(t, s, "officer"), r.ID)
	if after.Status != referral.ReferralInProgress {
		t.Fatalf("after her arrival the referral is %s, want in_progress", after.Status)
	}
	_, board := s.Page(t, staff, "/board")
	zh := s.Bundle.Localizer("zh-Hans")
	contains(t, board, zh.T("checkout.outcome", nil), zh.T("placement.outcome.returned_home", nil))
	checkout := "/board/checkout/" + pl.ID.String()
	res := s.Submit(t, staff, "/board", checkout, url.Values{"placement": {pl.ID.String()}, "note": {"她走了"}})
	body := read(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a check-out without an outcome: %d", res.StatusCode)
	}
	contains(t, body, zh.T("error.placement.outcome", nil), `value="她走了"`)
	if p, _ := s.Domain.Placement(demoAs(t, s, "shelter"), pl.ID); p.Status != referral.PlacementPresent {
		t.Fatal("a refused check-out checked her out")
	}
	res = s.Submit(t, staff, "/board", checkout, url.Values{"placement": {pl.ID.String()}, "outcome": {"other"}})
	if read(t, res); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("other without a note: %d", res.StatusCode)
	}
	form := url.Values{"placement": {pl.ID.String()}, "outcome": {"moved_shelter"}}
	s.SubmitTwice(t, staff, "/board", checkout, form)
	done, _ := s.Domain.Referral(demoAs(t, s, "officer"), r.ID)
	if done.Status != referral.ReferralCompleted || s.Count(t, "placements WHERE status = 'present' AND id = '"+pl.ID.String()+"'") != 0 {
		t.Fatalf("after the check-out the referral is %s", done.Status)
	}
	if n := s.Count(t, "referral_events WHERE referral_id = '"+r.ID.String()+"' AND action = 'complete'"); n != 1 {
		t.Fatalf("%d completions recorded", n)
	}
	_, body = s.Page(t, officer, "/referrals/"+r.ID.String())
	contains(t, body, zh.T("referral.event.complete", nil), zh.T("placement.outcome.moved_shelter", nil))
	_, body = s.Page(t, officer, "/cases/"+c.ID.String())
	contains(t, body, zh.T("placement.outcome.moved_shelter", nil))
	_, board = s.Page(t, staff, "/board")
	contains(t, board, "空 6") // Maison Lotus's six beds are free again
}

// The new forms refuse the wrong role and another organisation, and change nothing: hold and
// refer, several referrals, the centre's NRM request, check-out.
func TestActionDayFormRefusals(t *testing.T) {
	s := demoServer(t)
	c := brusselsWoman(t, s, true)
	record := "/cases/" + c.ID.String()
	// Roles that may not hold or refer, and other organisations' referrers: her record does not
	// exist for them, so the refusal is a 404 (or the 403 of the role), never her page.
	for _, who := range []string{"shelter", "decision", "orgadmin", "officer.uk", "caseworker"} {
		form := url.Values{"hold_id": {newTestID()}, "referral_id": {newTestID()}, "refer": {"on"}, "case_id": {c.ID.String()}}
		res := s.Submit(t, s.DemoSignIn(t, who+"@demo.harbour.test"), "/", "/services/"+lotusHouse+"/holds", form)
		if body := read(t, res); (res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden) || strings.Contains(body, "林小红") {
			t.Errorf("%s held and referred for her: %d", who, res.StatusCode)
		}
		batch := url.Values{"services": {legalAid}, "referral_" + legalAid: {newTestID()}}
		res = s.Submit(t, s.DemoSignIn(t, who+"@demo.harbour.test"), "/", record+"/referrals", batch)
		if read(t, res); res.StatusCode < 400 {
			t.Errorf("%s sent referrals for her: %d", who, res.StatusCode)
		}
		nrm := url.Values{"step": {"request_reflection"}, "record_id": {newTestID()}}
		res = s.Submit(t, s.DemoSignIn(t, who+"@demo.harbour.test"), "/", record+"/nrm", nrm)
		if read(t, res); res.StatusCode < 400 {
			t.Errorf("%s started her NRM: %d", who, res.StatusCode)
		}
	}
	for _, table := range []string{"holds", "referrals", "nrm_records"} {
		if n := s.Count(t, table+" WHERE case_id = '"+c.ID.String()+"'"); n != 0 {
			t.Errorf("%d %s made by refused forms", n, table)
		}
	}
}

const legalAid = "019a0000-0000-7000-8000-000000000205"
