package referral

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestCaseReference pins the reference algorithm: the offline client computes the same one
// from the ID it chose, so it must never change silently.
func TestCaseReference(t *testing.T) {
	id := uuid.MustParse("0193a4b2-7c1e-7d3f-8a5b-6c7d8e9f0a1b")
	// The last 64 bits are 8a5b6c7d8e9f0a1b: bits 0–29 and 30–59 read as Crockford base32 (worked
	// out apart from this code).
	for _, c := range []struct {
		shift uint
		want  string
	}{{0, "HB-79Y2-GV"}, {30, "HB-MPVC-FP"}} {
		if got := caseReference(id, c.shift); got != c.want {
			t.Errorf("caseReference(shift %d) = %s, want %s", c.shift, got, c.want)
		}
	}
}

func TestYearsBetween(t *testing.T) {
	d := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	for _, c := range []struct {
		birth, day string
		want       int
	}{
		{"2008-11-22", "2026-11-22", 18}, // her 18th birthday: an adult from today
		{"2008-11-23", "2026-11-22", 17},
		{"2008-02-29", "2026-02-28", 17}, // born on a leap day: 18 on 1 March
		{"2008-02-29", "2026-03-01", 18},
		{"2026-01-01", "2026-11-22", 0},
	} {
		if got := yearsBetween(d(c.birth), d(c.day)); got != c.want {
			t.Errorf("yearsBetween(%s, %s) = %d, want %d", c.birth, c.day, got, c.want)
		}
	}
}
