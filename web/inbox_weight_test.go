package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/demo"
	"github.com/harbour-nrm/harbour/referral"
)

// inboxBudget is the most the inbox of a caseworker with forty referrals may weigh, compressed,
// on a phone with a weak signal (the stylesheet and script are cached for a year).
const inboxBudget = 12 * 1024

// TestInboxPageWeight: the Brussels shelter's inbox with forty referrals (a busy action day)
// stays within inboxBudget. It logs the weight, raw and compressed, for the record.
func TestInboxPageWeight(t *testing.T) {
	s := startServer(t)
	if _, err := demo.Load(cliCtx, s.Domain); err != nil {
		t.Fatal(err)
	}
	var service uuid.UUID
	if err := s.DB.Gorm.Raw(`SELECT id FROM services WHERE organisation_id = '019a0000-0000-7000-8000-000000000002'
		AND category = 'shelter' ORDER BY name LIMIT 1`).Row().Scan(&service); err != nil {
		t.Fatal(err)
	}
	officer := referral.WithActor(context.Background(), referral.Actor{UserID: uuid.MustParse("019a0000-0000-7000-8000-000000000101"),
		OrganisationID: uuid.MustParse("019a0000-0000-7000-8000-000000000001"), Roles: []referral.Role{referral.RoleOfficer}})
	for i := range 40 {
		c, _, err := s.Domain.CreateCase(officer, referral.CaseInput{ID: uuid.Must(uuid.NewV7()), AppearsMinor: true, Language: "wuu"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Domain.SendReferral(officer, referral.ReferralInput{ID: uuid.Must(uuid.NewV7()), CaseID: c.ID, ServiceID: service, Urgent: i%5 == 0}); err != nil {
			t.Fatal(err)
		}
	}
	c := s.DemoSignIn(t, "shelter@demo.harbour.test")
	c.Transport = &http.Transport{DisableCompression: true} // count the bytes on the wire
	weigh := func(encoding string) (int, string) {
		req, _ := http.NewRequest("GET", s.URL+"/referrals", nil)
		if encoding != "" {
			req.Header.Set("Accept-Encoding", encoding)
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("inbox: %d %v", res.StatusCode, err)
		}
		return len(b), string(b)
	}
	raw, body := weigh("")
	gz, _ := weigh("gzip")
	if n := strings.Count(body, `action="/referrals/`) / 2; n != 40 {
		t.Fatalf("%d referrals with accept and decline forms, want 40", n)
	}
	t.Logf("inbox with 40 referrals: %d B gzip, %d B raw", gz, raw)
	if gz > inboxBudget {
		t.Fatalf("the inbox weighs %d B compressed, more than the budget of %d B", gz, inboxBudget)
	}
}
