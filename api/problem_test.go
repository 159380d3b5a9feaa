package api

import (
	"testing"

	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/locales"
	"github.com/harbour-nrm/harbour/referral"
)

// TestProblemMessagesExist fails when a status the API can answer with has no translated
// title or detail: these message IDs are built from codes, so no other test sees them.
func TestProblemMessagesExist(t *testing.T) {
	b, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	src := b.Messages(i18n.Source)
	var titles []string
	for _, code := range referral.Codes {
		titles = append(titles, string(code))
	}
	for _, code := range httpCodes {
		titles = append(titles, code)
		if src["error.http."+code] == nil {
			t.Errorf("no message error.http.%s", code)
		}
	}
	titles = append(titles, "not_ready") // readiness problems
	for _, code := range titles {
		if src["problem."+code] == nil {
			t.Errorf("no title problem.%s", code)
		}
	}
}
