package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/api"
	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/locales"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/referral/live"
	"github.com/prometheus/client_golang/prometheus"
)

// liveServer serves f's API over loopback with live alerts listening on the database.
func liveServer(tb testing.TB, f *fixture) *httptest.Server {
	tb.Helper()
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		tb.Fatal(err)
	}
	live := live.New()
	ctx, cancel := context.WithCancel(context.Background())
	go live.Run(ctx, f.db.Pool.Config().ConnConfig.Copy(), quiet)
	srv := api.New(api.DefaultConfig(), api.Deps{Domain: f.svc, Bundle: bundle, DB: f.db, Log: quiet, Registry: prometheus.NewRegistry(), Live: live})
	ts := httptest.NewServer(srv.Echo)
	tb.Cleanup(func() { srv.EndStreams(); ts.Close(); cancel() })
	select {
	case <-live.Ready():
	case <-time.After(10 * time.Second):
		tb.Fatal("live alerts never listened")
	}
	return ts
}

// sse is one server-sent event.
type sse struct {
	Event string
	Data  string
}

// stream opens the live alerts as the named user and returns its events as they come.
func stream(tb testing.TB, f *fixture, ts *httptest.Server, who string) <-chan sse {
	tb.Helper()
	req, _ := http.NewRequest("GET", ts.URL+"/api/v1/notifications/stream", nil)
	req.Header.Set("Authorization", "Bearer "+f.tokens[who])
	req.Header.Set("Accept-Language", "zh-CN")
	res, err := ts.Client().Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		tb.Fatalf("stream: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	out := make(chan sse, 64)
	go func() {
		defer res.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(res.Body)
		var ev sse
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.Event != "" {
					out <- ev
				}
				ev = sse{}
			case strings.HasPrefix(line, "event: "):
				ev.Event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.Data = strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return out
}

// next waits for the next event named event.
func next(tb testing.TB, events <-chan sse, event string) sse {
	tb.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				tb.Fatal("the stream ended")
			}
			if ev.Event == event {
				return ev
			}
		case <-timeout:
			tb.Fatalf("no %q event within 10 s", event)
		}
	}
}

type notification struct {
	referral.Notification
	Title string `json:"title"`
	Link  string `json:"link"`
}

// TestNotificationsLive: the shelter hears of a referral the moment it is sent, the officer of
// its acceptance the moment it is accepted, each on their own open stream, in their language;
// neither hears the other's alerts.
func TestNotificationsLive(t *testing.T) {
	f, refer := lifecycleFixture(t)
	f.addUser("staff2", f.shelter, referral.RoleShelterStaff)
	ts := liveServer(t, f)
	officer, staff := stream(t, f, ts, "officer"), stream(t, f, ts, "staff")
	if u := next(t, officer, "unread"); u.Data != `{"unread":0}` {
		t.Fatalf("first unread %s", u.Data)
	}
	next(t, staff, "unread")

	id := refer()
	var got notification
	if err := json.Unmarshal([]byte(next(t, staff, "notification").Data), &got); err != nil {
		t.Fatal(err)
	}
	var ref string
	f.db.Gorm.Raw("SELECT c.reference FROM referrals r JOIN cases c ON c.id = r.case_id WHERE r.id = ?", id).Scan(&ref)
	if got.Kind != referral.NoteReferralReceived || got.ReferralID.String() != id || got.Title != "有新的转介等待处理："+ref || got.Link != "/referrals/"+id {
		t.Fatalf("the shelter heard %+v", got)
	}
	if u := next(t, staff, "unread"); u.Data != `{"unread":1}` {
		t.Fatalf("shelter unread %s", u.Data)
	}

	status(t, f.call("POST", "/api/v1/referrals/"+id+"/accept", "staff", `{}`), 200)
	if err := json.Unmarshal([]byte(next(t, officer, "notification").Data), &got); err != nil {
		t.Fatal(err)
	}
	if got.Kind != referral.NoteReferralUpdated || got.Action != "accept" || got.Title != ref+" 的转介已被接受" {
		t.Fatalf("the officer heard %+v", got)
	}

	// Listing, reading, and nobody else's alerts.
	list := decode[struct {
		Items  []notification `json:"items"`
		Unread int            `json:"unread"`
	}](t, f.call("GET", "/api/v1/notifications", "officer", "", "Accept-Language", "en"))
	if list.Unread != 1 || len(list.Items) != 1 || list.Items[0].Title != "The referral for "+ref+" was accepted" {
		t.Fatalf("officer's list %+v", list)
	}
	mine := list.Items[0].ID.String()
	status(t, f.call("GET", "/api/v1/notifications/"+mine, "staff", ""), 404)
	status(t, f.call("GET", "/api/v1/notifications/"+mine, "colleague", ""), 404)
	status(t, f.call("GET", "/api/v1/notifications/"+mine, "", ""), 401)
	status(t, f.call("GET", "/api/v1/notifications", "", ""), 401)
	status(t, f.call("GET", "/api/v1/notifications/stream", "", ""), 401)
	status(t, f.call("POST", "/api/v1/notifications/read", "", ""), 401)
	if n := decode[notification](t, f.call("GET", "/api/v1/notifications/"+mine, "officer", "")); n.ReadAt == nil {
		t.Fatal("opening an alert did not mark it read")
	}
	// Both of the shelter's staff heard of the referral; reading all marks only one's own.
	status(t, f.call("POST", "/api/v1/notifications/read", "staff", ""), 204)
	if n := f.count("notifications", "read_at IS NULL AND user_id = $1", f.users["staff2"].ID); n != 1 {
		t.Fatalf("the other staff member has %d unread, want 1", n)
	}
}

// TestNotificationSettingsAPI: a person chooses kinds, e-mail and language; unknown kinds and
// languages are refused, translated, and change nothing.
func TestNotificationSettingsAPI(t *testing.T) {
	f := newFixture(t)
	def := decode[referral.NotificationSettings](t, f.call("GET", "/api/v1/me/notifications", "officer", ""))
	if !slices.Equal(def.Kinds, referral.NotificationKinds) || !def.Email || def.Language != "" {
		t.Fatalf("default %+v", def)
	}
	rec := f.call("PUT", "/api/v1/me/notifications", "officer", `{"kinds":["referral_updated","nonsense"],"email":false}`, "Accept-Language", "zh-CN")
	status(t, rec, 422)
	if p := problem(t, rec); len(p.Errors) != 1 || p.Errors[0].Field != "kinds" {
		t.Fatalf("problem %+v", p)
	}
	status(t, f.call("PUT", "/api/v1/me/notifications", "officer", `{"kinds":[],"email":false,"language":"xx"}`), 422)
	if n := f.count("notification_settings", "true"); n != 0 {
		t.Fatal("a refused choice was saved")
	}
	got := decode[referral.NotificationSettings](t, f.call("PUT", "/api/v1/me/notifications", "officer",
		`{"kinds":["referral_overdue","referral_updated","referral_updated"],"email":false,"language":"en"}`))
	if !slices.Equal(got.Kinds, []referral.NotificationKind{referral.NoteReferralUpdated, referral.NoteReferralOverdue}) || got.Email || got.Language != "en" {
		t.Fatalf("saved %+v", got)
	}
	// Only one's own: another user still has the default.
	if other := decode[referral.NotificationSettings](t, f.call("GET", "/api/v1/me/notifications", "colleague", "")); len(other.Kinds) != len(referral.NotificationKinds) {
		t.Fatalf("the colleague's settings changed: %+v", other)
	}
	status(t, f.call("PUT", "/api/v1/me/notifications", "", `{"kinds":[],"email":false}`), 401)
	status(t, f.call("GET", "/api/v1/me/notifications", "", ""), 401)
}

// BenchmarkAcceptSeenByReferrer measures, on loopback, the time from the shelter pressing
// "accept" (the API request) to the officer's open page receiving the alert that it was
// accepted. Reported: p50 and p99 in ms.
func BenchmarkAcceptSeenByReferrer(b *testing.B) {
	f, refer := lifecycleFixture(b)
	ts := liveServer(b, f)
	officer := stream(b, f, ts, "officer")
	next(b, officer, "unread")
	client := ts.Client()
	var took []time.Duration
	for b.Loop() {
		b.StopTimer()
		id := refer()
		b.StartTimer()
		start := time.Now()
		req, _ := http.NewRequest("POST", ts.URL+"/api/v1/referrals/"+id+"/accept", strings.NewReader(`{}`))
		req.Header.Set("Authorization", "Bearer "+f.tokens["staff"])
		req.Header.Set("Content-Type", "application/json")
		res, err := client.Do(req)
		if err != nil || res.StatusCode != 200 {
			b.Fatalf("accept: %v %v", err, res)
		}
		res.Body.Close()
		for {
			var n notification
			if err := json.Unmarshal([]byte(next(b, officer, "notification").Data), &n); err != nil {
				b.Fatal(err)
			}
			if n.ReferralID != nil && n.ReferralID.String() == id && n.Action == "accept" {
				break
			}
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	ms := func(q float64) float64 { return float64(took[int(q*float64(len(took)-1))]) / 1e6 }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
}

// TestNotificationsLiveWhenBusy: with more alerts in the last minutes than one look reads (a
// busy action day), the newest still reach the open page.
func TestNotificationsLiveWhenBusy(t *testing.T) {
	f, refer := lifecycleFixture(t)
	ts := liveServer(t, f)
	officer := stream(t, f, ts, "officer")
	next(t, officer, "unread")
	earlier := make([]referral.Notification, 150)
	for i := range earlier {
		earlier[i] = referral.Notification{ID: uuid.Must(uuid.NewV7()), UserID: f.users["officer"].ID, Kind: referral.NoteReferralUpdated,
			Action: "start", Reference: "HB-0000-00", Email: "none", CreatedAt: f.svc.Now()}
	}
	if err := f.db.Gorm.Create(&earlier).Error; err != nil {
		t.Fatal(err)
	}
	id := refer()
	status(t, f.call("POST", "/api/v1/referrals/"+id+"/accept", "staff", `{}`), 200)
	for {
		var n notification
		if err := json.Unmarshal([]byte(next(t, officer, "notification").Data), &n); err != nil {
			t.Fatal(err)
		}
		if n.ReferralID != nil && n.ReferralID.String() == id {
			return
		}
	}
}
