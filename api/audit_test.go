package api_test

import "testing"

// TestAuditPaging pages through the whole trail, newest first, by ?before=.
func TestAuditPaging(t *testing.T) {
	f := newFixture(t)
	var all []int64
	next := "/api/v1/audit?limit=4"
	for next != "" {
		rec := f.call("GET", next, "admin", "")
		status(t, rec, 200)
		page := decode[struct {
			Items []struct{ ID int64 }
			Next  string
		}](t, rec)
		if len(page.Items) == 0 {
			t.Fatalf("empty page at %s", next)
		}
		for _, e := range page.Items {
			all = append(all, e.ID)
		}
		next = page.Next
	}
	var total int64
	f.db.Gorm.Table("audit_events").Count(&total)
	if int64(len(all)) != total {
		t.Fatalf("paged through %d of %d events", len(all), total)
	}
	for i := 1; i < len(all); i++ {
		if all[i] >= all[i-1] {
			t.Fatalf("events out of order: %v", all)
		}
	}
	rec := f.call("GET", "/api/v1/audit?organisation_id="+f.shelter.ID.String(), "orgadmin", "")
	status(t, rec, 403)
	status(t, f.call("GET", "/api/v1/audit?limit=0", "admin", ""), 422)
}
