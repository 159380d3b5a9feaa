package api

import (
	"net/http"
	"testing"

	"github.com/harbour-nrm/harbour/referral"
)

// TestStatus keeps every domain error code answered with the status clients already rely on,
// and fails when a new code is added without deciding its status here.
func TestStatus(t *testing.T) {
	want := map[referral.Code]int{
		referral.CodeInvalid:         http.StatusUnprocessableEntity,
		referral.CodeUnauthenticated: http.StatusUnauthorized,
		referral.CodeForbidden:       http.StatusForbidden,
		referral.CodeNotFound:        http.StatusNotFound,
		referral.CodeConflict:        http.StatusConflict,
		referral.CodeTooManyRequests: http.StatusTooManyRequests,
		referral.CodeInternal:        http.StatusInternalServerError,
	}
	for _, code := range referral.Codes {
		status, ok := want[code]
		if !ok {
			t.Errorf("code %q has no status in this test: decide it in Status and here", code)
			continue
		}
		if got := Status(code); got != status {
			t.Errorf("Status(%q) = %d, want %d", code, got, status)
		}
	}
	if len(want) != len(referral.Codes) {
		t.Errorf("this test names %d codes; referral.Codes has %d", len(want), len(referral.Codes))
	}
	if got := Status("no_such_code"); got != http.StatusInternalServerError {
		t.Errorf("an unknown code is answered with %d, want 500", got)
	}
}
