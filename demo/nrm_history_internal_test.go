package demo

import (
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral/nrm"
)

// TestDemoHistoryDeterministic: the same day gives the same history, IDs included, and
// generating it takes a small part of the demo's start. (Its rules and its load are checked
// through the database in nrm_history_test.go.)
func TestDemoHistoryDeterministic(t *testing.T) {
	set, err := nrm.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	org, now := uuid.MustParse(historyOrgID), time.Date(2026, 1, 1, 0, 30, 0, 0, time.UTC) // the first day of a quarter: no room
	for _, at := range []time.Time{now, now.AddDate(0, 4, 12)} {
		start := time.Now()
		a, err := generateHistory(set, org, at)
		if err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		b, err := generateHistory(set, org, at)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("two histories at %s differ", at)
		}
		t.Logf("at %s: %d records, %d events, %d reports generated in %v", at.Format(time.DateOnly), len(a.Records), a.Events(), len(a.DtN), took)
	}
}
