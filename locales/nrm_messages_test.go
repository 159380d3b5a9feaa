package locales_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/locales"
	"github.com/harbour-nrm/harbour/referral/nrm"
)

// TestNRMMessagesExist fails when a jurisdiction's file names a state, step, timer or decision
// that has no words in a staff language, when a refusal the engine can give has none, or when
// a decision letter lacks a sentence in one of her languages. Jurisdictions are data, so the
// message IDs are built from them; the usual scan of string literals cannot see these.
func TestNRMMessagesExist(t *testing.T) {
	b, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	set, err := nrm.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	staff, person := map[string]bool{}, map[string]bool{}
	need := func(m map[string]bool, id string) { m[id] = true }
	for _, code := range set.Codes() {
		j, _ := set.Get(code)
		need(staff, "nrm.jurisdiction."+code)
		for _, s := range j.States {
			need(staff, "nrm.state."+s.Name)
			if s.Awaiting != "" {
				need(staff, "nrm.awaiting."+s.Awaiting)
			}
		}
		for _, tr := range j.Transitions {
			need(staff, "nrm.step."+tr.Name)
			if tr.NotBefore != "" {
				need(staff, "nrm.refused.too_early."+tr.NotBefore)
			}
			if tr.Within != "" {
				need(staff, "nrm.refused.closed."+tr.Within)
			}
			if tr.Decision != "" {
				need(person, "person.letter.step."+tr.Name)
				for _, tm := range tr.Starts {
					need(person, "person.letter.next."+tm)
				}
			}
		}
		for name := range j.Timers {
			need(staff, "nrm.timer."+name)
		}
	}
	engine, err := os.ReadFile("../referral/nrm/engine.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`"(nrm\.refused\.[a-z_]+)"`).FindAllSubmatch(engine, -1) {
		if id := string(m[1]); id != "nrm.refused.too_early" && id != "nrm.refused.closed" {
			need(staff, id)
		}
	}
	if len(staff) < 80 || len(person) < 20 {
		t.Fatalf("only %d staff and %d person messages found: the check reads too little", len(staff), len(person))
	}
	for _, lang := range []string{"zh-Hans", "en"} {
		msgs := b.Messages(lang)
		for id := range staff {
			if msgs[id] == nil {
				t.Errorf("%s: missing %q", lang, id)
			}
		}
	}
	for _, l := range b.PersonLanguageList() {
		msgs := b.Messages(l.Code)
		for id := range person {
			if msgs[id] == nil {
				t.Errorf("%s: missing %q (decision letter)", l.Code, id)
			}
		}
	}
}
