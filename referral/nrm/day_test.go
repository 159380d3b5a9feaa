package nrm

import (
	"encoding/json"
	"testing"
	"time"
)

// TestCalendarDayPeriods proves periods counted in calendar days, as the timers count them:
// the UK recovery period (30 days, "not before") and other lengths, across month ends, a
// leap year, a year end and both daylight-saving changes (days carry no clock time).
func TestCalendarDayPeriods(t *testing.T) {
	recovery := jurisdiction(t, "GB-EAW").Timers["recovery"]
	cases := []struct {
		name  string
		start string
		days  int
		want  string
	}{
		{"recovery started Thursday 15 Jan 2026: 16 days to 31 Jan, 14 into February", "2026-01-15", 30, "2026-02-14"},
		{"recovery started 31 Jan 2026: February has 28 days", "2026-01-31", 30, "2026-03-02"},
		{"recovery started 31 Jan 2028: February has 29 days (leap year)", "2028-01-31", 30, "2028-03-01"},
		{"recovery started Saturday 28 Mar 2026, the day before the clocks go forward", "2026-03-28", 30, "2026-04-27"},
		{"recovery started Saturday 24 Oct 2026, the day before the clocks go back", "2026-10-24", 30, "2026-11-23"},
		{"recovery started 2 Dec 2026, across the year end", "2026-12-02", 30, "2027-01-01"},
		{"move-on of 45 days from 3 Oct 2026", "2026-10-03", 45, "2026-11-17"},
		{"Belgian reflection of 45 days from 15 Jan 2026", "2026-01-15", 45, "2026-03-01"},
		{"Spanish recovery and reflection of 90 days from 3 Jul 2026", "2026-07-03", 90, "2026-10-01"},
		{"30 days back from 2 Mar 2026", "2026-03-02", -30, "2026-01-31"},
		{"no days", "2026-03-02", 0, "2026-03-02"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := day(tc.start).AddDays(tc.days).String(); got != tc.want {
				t.Errorf("AddDays(%d) = %s, want %s", tc.days, got, tc.want)
			}
			if got := day(tc.start).DaysUntil(day(tc.want)); got != tc.days {
				t.Errorf("DaysUntil = %d, want %d", got, tc.days)
			}
			if tc.days == 30 {
				if got, _ := recovery.Date(Calendar{}, day(tc.start), Min); got.String() != tc.want {
					t.Errorf("recovery timer ends %s, want %s", got, tc.want)
				}
			}
		})
	}
}

// TestDaysUntil proves the number of calendar days between two days, either way round.
func TestDaysUntil(t *testing.T) {
	cases := []struct {
		name     string
		from, to string
		want     int
	}{
		{"the same day", "2026-03-02", "2026-03-02", 0},
		{"the next day", "2026-03-02", "2026-03-03", 1},
		{"the day before", "2026-03-02", "2026-03-01", -1},
		{"30 days back", "2026-02-14", "2026-01-15", -30},
		{"across the spring clock change", "2026-03-28", "2026-03-30", 2},
		{"a common year", "2026-01-01", "2027-01-01", 365},
		{"a leap year", "2028-01-01", "2029-01-01", 366},
		{"a leap year back", "2029-01-01", "2028-01-01", -366},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := day(tc.from).DaysUntil(day(tc.to)); got != tc.want {
				t.Errorf("%s → %s: %d, want %d", tc.from, tc.to, got, tc.want)
			}
		})
	}
}

// TestMonthPeriods proves periods counted in months end on the same day of the month, or on
// the last day of a shorter month, never spilling into the next one.
func TestMonthPeriods(t *testing.T) {
	cases := []struct {
		name   string
		start  string
		months int
		want   string
	}{
		{"31 Jan 2026 + 1 month: 28 Feb", "2026-01-31", 1, "2026-02-28"},
		{"31 Jan 2028 + 1 month: 29 Feb (leap year)", "2028-01-31", 1, "2028-02-29"},
		{"31 Aug 2026 + 6 months: 28 Feb 2027", "2026-08-31", 6, "2027-02-28"},
		{"31 Aug 2027 + 6 months: 29 Feb 2028", "2027-08-31", 6, "2028-02-29"},
		{"30 Nov 2026 + 3 months: 28 Feb 2027", "2026-11-30", 3, "2027-02-28"},
		{"30 Nov 2026 + 15 months: 29 Feb 2028", "2026-11-30", 15, "2028-02-29"},
		{"31 Dec 2026 + 12 months: 31 Dec 2027", "2026-12-31", 12, "2027-12-31"},
		{"29 Feb 2028 + 12 months: 28 Feb 2029", "2028-02-29", 12, "2029-02-28"},
		{"31 May 2026 + 1 month: 30 Jun", "2026-05-31", 1, "2026-06-30"},
		{"31 Jan 2026 + 3 months: 30 Apr", "2026-01-31", 3, "2026-04-30"},
		{"15 Jan 2026 + 3 months: 15 Apr", "2026-01-15", 3, "2026-04-15"},
		{"31 Oct 2026 + 1 month: 30 Nov, across the autumn clock change", "2026-10-31", 1, "2026-11-30"},
		{"31 Mar 2026 - 1 month: 28 Feb", "2026-03-31", -1, "2026-02-28"},
		{"no months", "2026-10-31", 0, "2026-10-31"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := day(tc.start).AddMonths(tc.months).String(); got != tc.want {
				t.Errorf("AddMonths(%d) = %s, want %s", tc.months, got, tc.want)
			}
		})
	}
}

// TestDayLength proves Start and End give the real instants a day begins and ends in a zone:
// the day the clocks go forward has 23 hours, the day they go back 25.
func TestDayLength(t *testing.T) {
	cases := []struct {
		name       string
		day        string
		zone       string
		start, end string // UTC
		hours      float64
	}{
		{"London, Sunday 29 Mar 2026, clocks go forward", "2026-03-29", "Europe/London", "2026-03-29T00:00:00Z", "2026-03-29T23:00:00Z", 23},
		{"London, Sunday 25 Oct 2026, clocks go back", "2026-10-25", "Europe/London", "2026-10-24T23:00:00Z", "2026-10-26T00:00:00Z", 25},
		{"London, Saturday 28 Mar 2026, the day before", "2026-03-28", "Europe/London", "2026-03-28T00:00:00Z", "2026-03-29T00:00:00Z", 24},
		{"London, a summer day", "2026-07-01", "Europe/London", "2026-06-30T23:00:00Z", "2026-07-01T23:00:00Z", 24},
		{"Brussels, Sunday 29 Mar 2026, clocks go forward", "2026-03-29", "Europe/Brussels", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z", 23},
		{"Madrid, Sunday 25 Oct 2026, clocks go back", "2026-10-25", "Europe/Madrid", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", 25},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			loc := zone(t, tc.zone)
			start, end := day(tc.day).Start(loc), day(tc.day).End(loc)
			if !start.Equal(utc(tc.start)) || !end.Equal(utc(tc.end)) {
				t.Errorf("Start %s End %s, want %s and %s", start.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339), tc.start, tc.end)
			}
			if got := end.Sub(start).Hours(); got != tc.hours {
				t.Errorf("the day has %v hours, want %v", got, tc.hours)
			}
		})
	}
}

// TestDayOf proves the same instant falls on different days in different zones, whatever
// zone the instant was written in.
func TestDayOf(t *testing.T) {
	cases := []struct {
		name    string
		instant time.Time
		zone    string
		want    string
	}{
		{"23:30 UTC on 5 Jan 2026 is 5 Jan in London (GMT)", utc("2026-01-05T23:30:00Z"), "Europe/London", "2026-01-05"},
		{"23:30 UTC on 5 Jan 2026 is 6 Jan in Madrid (CET)", utc("2026-01-05T23:30:00Z"), "Europe/Madrid", "2026-01-06"},
		{"23:30 UTC on 5 Jan 2026 is 6 Jan in Brussels", utc("2026-01-05T23:30:00Z"), "Europe/Brussels", "2026-01-06"},
		{"23:30 UTC on 5 Jan 2026 is 5 Jan in UTC", utc("2026-01-05T23:30:00Z"), "UTC", "2026-01-05"},
		{"23:30 UTC on 30 Jun 2026 is 1 Jul in London (BST)", utc("2026-06-30T23:30:00Z"), "Europe/London", "2026-07-01"},
		{"22:30 UTC on 30 Jun 2026 is still 30 Jun in London", utc("2026-06-30T22:30:00Z"), "Europe/London", "2026-06-30"},
		{"22:30 UTC on 30 Jun 2026 is 1 Jul in Amsterdam (CEST)", utc("2026-06-30T22:30:00Z"), "Europe/Amsterdam", "2026-07-01"},
		{"00:30 in Madrid on 6 Jan 2026, written in Madrid time, is 5 Jan in London",
			time.Date(2026, 1, 6, 0, 30, 0, 0, zone(t, "Europe/Madrid")), "Europe/London", "2026-01-05"},
		{"23:30 UTC on New Year's Eve 2026 is 1 Jan 2027 in Berlin", utc("2026-12-31T23:30:00Z"), "Europe/Berlin", "2027-01-01"},
		{"01:00 UTC on 29 Mar 2026, the instant London goes to BST, is 29 Mar", utc("2026-03-29T01:00:00Z"), "Europe/London", "2026-03-29"},
		{"23:30 UTC on 25 Oct 2026, after London is back on GMT, is 25 Oct", utc("2026-10-25T23:30:00Z"), "Europe/London", "2026-10-25"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := DayOf(tc.instant, zone(t, tc.zone)).String(); got != tc.want {
				t.Errorf("DayOf = %s, want %s", got, tc.want)
			}
		})
	}
	// Today is DayOf in the jurisdiction's own zone.
	now := utc("2026-01-05T23:30:00Z")
	if got := jurisdiction(t, "GB-EAW").Today(now).String(); got != "2026-01-05" {
		t.Errorf("GB-EAW Today = %s, want 2026-01-05", got)
	}
	if got := jurisdiction(t, "ES").Today(now).String(); got != "2026-01-06" {
		t.Errorf("ES Today = %s, want 2026-01-06", got)
	}
}

// TestDeadlineInstants proves the instant a deadline on a due day passes (Day.End in the
// jurisdiction's zone) is local midnight at the end of that day, expressed right in UTC in
// winter and in summer; and that a period started late in the evening before a clock change
// ends on the right day, where adding hours to the instant would land on the next one.
func TestDeadlineInstants(t *testing.T) {
	cases := []struct {
		name    string
		jur     string
		due     string
		passes  string // UTC
		wallDay string // the local day of the instant just before it passes
	}{
		{"UK RG decision due Monday 7 Sep 2026 (BST)", "GB-EAW", "2026-09-07", "2026-09-07T23:00:00Z", "2026-09-07"},
		{"UK RG decision due Monday 4 Jan 2027 (GMT)", "GB-EAW", "2027-01-04", "2027-01-05T00:00:00Z", "2027-01-04"},
		{"Spain proposal decision due 6 Jul 2026 (CEST)", "ES", "2026-07-06", "2026-07-06T22:00:00Z", "2026-07-06"},
		{"Spain proposal decision due 12 Jan 2026 (CET)", "ES", "2026-01-12", "2026-01-12T23:00:00Z", "2026-01-12"},
		{"Belgian reflection ends 1 Mar 2026 (CET)", "BE", "2026-03-01", "2026-03-01T23:00:00Z", "2026-03-01"},
		{"Dutch reflection ends 30 Apr 2026 (CEST)", "NL", "2026-04-30", "2026-04-30T22:00:00Z", "2026-04-30"},
		{"German reflection ends 28 Feb 2027 (CET)", "DE", "2027-02-28", "2027-02-28T23:00:00Z", "2027-02-28"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			j := jurisdiction(t, tc.jur)
			end := day(tc.due).End(j.Location)
			if !end.Equal(utc(tc.passes)) {
				t.Errorf("End = %s, want %s", end.UTC().Format(time.RFC3339), tc.passes)
			}
			if got := DayOf(end.Add(-time.Second), j.Location).String(); got != tc.wallDay {
				t.Errorf("a second before, it is %s locally, want %s", got, tc.wallDay)
			}
			if got := DayOf(end, j.Location).String(); got != day(tc.due).AddDays(1).String() {
				t.Errorf("at the deadline it is %s locally, want the next day", got)
			}
		})
	}

	periods := []struct {
		name     string
		decided  string // the instant of the decision, UTC
		zone     string
		startDay string
		endDay   string // 30 calendar days later
		passes   string // End of endDay in the zone, UTC
		naiveDay string // the local day of decided + 30×24 hours: what counting hours would say
	}{
		{"decided 23:30 GMT on Saturday 28 Mar 2026 in London, the clocks go forward that night",
			"2026-03-28T23:30:00Z", "Europe/London", "2026-03-28", "2026-04-27", "2026-04-27T23:00:00Z", "2026-04-28"},
		{"decided 23:30 BST on Saturday 24 Oct 2026 in London, the clocks go back that night",
			"2026-10-24T22:30:00Z", "Europe/London", "2026-10-24", "2026-11-23", "2026-11-24T00:00:00Z", "2026-11-23"},
		{"decided 00:30 BST on Sunday 25 Oct 2026 in London, before the clocks go back",
			"2026-10-24T23:30:00Z", "Europe/London", "2026-10-25", "2026-11-24", "2026-11-25T00:00:00Z", "2026-11-23"},
		{"decided 23:30 CEST on Saturday 24 Oct 2026 in Madrid",
			"2026-10-24T21:30:00Z", "Europe/Madrid", "2026-10-24", "2026-11-23", "2026-11-23T23:00:00Z", "2026-11-23"},
	}
	for _, tc := range periods {
		t.Run(tc.name, func(t *testing.T) {
			loc := zone(t, tc.zone)
			start := DayOf(utc(tc.decided), loc)
			end := start.AddDays(30)
			if start.String() != tc.startDay || end.String() != tc.endDay {
				t.Errorf("started %s, ends %s; want %s and %s", start, end, tc.startDay, tc.endDay)
			}
			if got := end.End(loc); !got.Equal(utc(tc.passes)) {
				t.Errorf("passes at %s, want %s", got.UTC().Format(time.RFC3339), tc.passes)
			}
			if got := DayOf(utc(tc.decided).Add(30*24*time.Hour), loc).String(); got != tc.naiveDay {
				t.Errorf("30×24 hours later is %s locally, want %s (the table's reason for counting days)", got, tc.naiveDay)
			}
		})
	}
}

// TestWorkingDays proves the n-th working day after a day in each jurisdiction's calendar (the
// day itself never counts, weekends and that jurisdiction's public holidays are skipped); the
// weekday of each day is checked too, so the table's words stay true.
func TestWorkingDays(t *testing.T) {
	cases := []struct {
		name        string
		jur         string
		from        string
		fromWeekday time.Weekday
		n           int
		want        string
		wantWeekday time.Weekday
	}{
		{"UK: Friday 28 Aug 2026, before the bank holiday Monday 31 Aug", "GB-EAW", "2026-08-28", time.Friday, 5, "2026-09-07", time.Monday},
		{"UK: Saturday 29 Aug 2026", "GB-EAW", "2026-08-29", time.Saturday, 5, "2026-09-07", time.Monday},
		{"UK: Sunday 30 Aug 2026", "GB-EAW", "2026-08-30", time.Sunday, 5, "2026-09-07", time.Monday},
		{"UK: on the bank holiday Monday 31 Aug 2026", "GB-EAW", "2026-08-31", time.Monday, 5, "2026-09-07", time.Monday},
		{"UK: Tuesday 1 Sep 2026, after the bank holiday", "GB-EAW", "2026-09-01", time.Tuesday, 5, "2026-09-08", time.Tuesday},
		{"UK: an ordinary Saturday, 3 Oct 2026", "GB-EAW", "2026-10-03", time.Saturday, 5, "2026-10-09", time.Friday},
		{"UK: an ordinary Sunday, 4 Oct 2026", "GB-EAW", "2026-10-04", time.Sunday, 5, "2026-10-09", time.Friday},
		{"UK: an ordinary Monday, 14 Sep 2026", "GB-EAW", "2026-09-14", time.Monday, 5, "2026-09-21", time.Monday},
		{"UK: Wednesday 23 Dec 2026, across Christmas (Fri 25, Mon 28 for Boxing Day) and 1 Jan 2027", "GB-EAW", "2026-12-23", time.Wednesday, 5, "2027-01-04", time.Monday},
		{"UK: Thursday 24 Dec 2026", "GB-EAW", "2026-12-24", time.Thursday, 5, "2027-01-05", time.Tuesday},
		{"UK: Friday 24 Dec 2027, Christmas on a weekend (Mon 27, Tue 28) and 3 Jan 2028 for New Year", "GB-EAW", "2027-12-24", time.Friday, 5, "2028-01-05", time.Wednesday},
		{"UK: Thursday 25 Mar 2027, across Easter (Good Friday 26, Easter Monday 29)", "GB-EAW", "2027-03-25", time.Thursday, 5, "2027-04-05", time.Monday},
		{"UK: Wednesday 24 Mar 2027, the day before", "GB-EAW", "2027-03-24", time.Wednesday, 5, "2027-04-02", time.Friday},
		{"UK: 1 working day from Friday 28 Aug 2026", "GB-EAW", "2026-08-28", time.Friday, 1, "2026-09-01", time.Tuesday},
		{"UK: no working days is the day itself, even a Saturday", "GB-EAW", "2026-08-29", time.Saturday, 0, "2026-08-29", time.Saturday},
		{"UK: a negative number is the day itself", "GB-EAW", "2026-08-28", time.Friday, -3, "2026-08-28", time.Friday},
		{"Belgium: Friday 28 Aug 2026, 31 Aug is a working day", "BE", "2026-08-28", time.Friday, 5, "2026-09-04", time.Friday},
		{"Spain: Friday 28 Aug 2026, 31 Aug is a working day", "ES", "2026-08-28", time.Friday, 5, "2026-09-04", time.Friday},
		{"Belgium: Thursday 25 Mar 2027, Easter Monday only", "BE", "2027-03-25", time.Thursday, 5, "2027-04-02", time.Friday},
		{"Spain: Thursday 25 Mar 2027, Good Friday only", "ES", "2027-03-25", time.Thursday, 5, "2027-04-02", time.Friday},
		{"Spain: Wednesday 23 Dec 2026, Christmas Day only", "ES", "2026-12-23", time.Wednesday, 5, "2026-12-31", time.Thursday},
		{"Netherlands: Friday 24 Apr 2026, across King's Day Monday 27 Apr", "NL", "2026-04-24", time.Friday, 5, "2026-05-04", time.Monday},
		{"Germany: Friday 2 Oct 2026, Unity Day falls on a Saturday", "DE", "2026-10-02", time.Friday, 5, "2026-10-09", time.Friday},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			from, want := day(tc.from), day(tc.want)
			if from.Weekday() != tc.fromWeekday || want.Weekday() != tc.wantWeekday {
				t.Fatalf("the table is wrong: %s is a %s, %s a %s", tc.from, from.Weekday(), tc.want, want.Weekday())
			}
			cal := jurisdiction(t, tc.jur).Calendar
			if got := cal.AddWorkingDays(from, tc.n); !got.Equal(want) {
				t.Errorf("AddWorkingDays(%s, %d) = %s %s, want %s %s", tc.from, tc.n, got, got.Weekday(), tc.want, tc.wantWeekday)
			}
		})
	}

	// The RG decision timer counts the same way.
	j := jurisdiction(t, "GB-EAW")
	if got, ok := j.Timers["rg_decision"].Date(j.Calendar, day("2026-08-28"), Target); !ok || got.String() != "2026-09-07" {
		t.Errorf("rg_decision target from 28 Aug 2026 = %s, want 2026-09-07", got)
	}
	if _, ok := j.Timers["rg_decision"].Date(j.Calendar, day("2026-08-28"), Max); ok {
		t.Errorf("rg_decision has no maximum, yet Date gave one")
	}
}

// TestHolidaysAndWorkingDays proves which days each shipped calendar treats as public
// holidays and working days.
func TestHolidaysAndWorkingDays(t *testing.T) {
	cases := []struct {
		name    string
		jur     string
		day     string
		holiday bool
		working bool
	}{
		{"UK: summer bank holiday Monday 31 Aug 2026", "GB-EAW", "2026-08-31", true, false},
		{"Belgium: Monday 31 Aug 2026 is a working day", "BE", "2026-08-31", false, true},
		{"Spain: Monday 31 Aug 2026 is a working day", "ES", "2026-08-31", false, true},
		{"UK: Saturday 29 Aug 2026 is no holiday but no working day", "GB-EAW", "2026-08-29", false, false},
		{"UK: Tuesday 1 Sep 2026", "GB-EAW", "2026-09-01", false, true},
		{"UK: Christmas Day, Friday 25 Dec 2026", "GB-EAW", "2026-12-25", true, false},
		{"UK: Boxing Day falls on Saturday 26 Dec 2026; its substitute is listed instead", "GB-EAW", "2026-12-26", false, false},
		{"UK: Monday 28 Dec 2026, substitute for Boxing Day", "GB-EAW", "2026-12-28", true, false},
		{"UK: Tuesday 29 Dec 2026", "GB-EAW", "2026-12-29", false, true},
		{"UK: New Year's Day, Friday 1 Jan 2027", "GB-EAW", "2027-01-01", true, false},
		{"UK: Good Friday, 26 Mar 2027", "GB-EAW", "2027-03-26", true, false},
		{"UK: Easter Monday, 29 Mar 2027", "GB-EAW", "2027-03-29", true, false},
		{"Belgium: Good Friday 26 Mar 2027 is a working day", "BE", "2027-03-26", false, true},
		{"Belgium: Easter Monday 29 Mar 2027", "BE", "2027-03-29", true, false},
		{"Spain: Good Friday 26 Mar 2027", "ES", "2027-03-26", true, false},
		{"Spain: Easter Monday 29 Mar 2027 is a working day (not a national holiday)", "ES", "2027-03-29", false, true},
		{"Netherlands: King's Day, Monday 27 Apr 2026", "NL", "2026-04-27", true, false},
		{"Germany: Unity Day on Saturday 3 Oct 2026", "DE", "2026-10-03", true, false},
		{"Germany: Whit Monday 25 May 2026", "DE", "2026-05-25", true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cal := jurisdiction(t, tc.jur).Calendar
			d := day(tc.day)
			if got := cal.Holiday(d); got != tc.holiday {
				t.Errorf("Holiday = %v, want %v", got, tc.holiday)
			}
			if got := cal.WorkingDay(d); got != tc.working {
				t.Errorf("WorkingDay = %v, want %v", got, tc.working)
			}
			if !cal.Covers(d) {
				t.Errorf("the calendar does not cover %s", tc.day)
			}
		})
	}
}

// TestCalendarCovers proves a calendar covers the years its holidays span, whatever order they
// were given in, and that a calendar with no holidays still knows weekends.
func TestCalendarCovers(t *testing.T) {
	cal := NewCalendar([]Day{day("2027-12-27"), day("2026-12-25"), day("2026-01-01")})
	cases := []struct {
		name    string
		day     string
		covers  bool
		holiday bool
	}{
		{"the first day of the first year", "2026-01-01", true, true},
		{"a holiday given out of order", "2026-12-25", true, true},
		{"the last day of the last year", "2027-12-31", true, false},
		{"the year before", "2025-12-31", false, false},
		{"the year after", "2028-01-01", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := cal.Covers(day(tc.day)); got != tc.covers {
				t.Errorf("Covers = %v, want %v", got, tc.covers)
			}
			if got := cal.Holiday(day(tc.day)); got != tc.holiday {
				t.Errorf("Holiday = %v, want %v", got, tc.holiday)
			}
		})
	}
	if cal.LastYear() != 2027 {
		t.Errorf("LastYear = %d, want 2027", cal.LastYear())
	}
	empty := NewCalendar(nil)
	if !empty.WorkingDay(day("2026-08-31")) || empty.WorkingDay(day("2026-08-29")) {
		t.Errorf("a calendar without holidays: Monday 31 Aug 2026 must work, Saturday 29 Aug not")
	}
	if got := empty.AddWorkingDays(day("2026-08-28"), 5); got.String() != "2026-09-04" {
		t.Errorf("without holidays, 5 working days from Friday 28 Aug 2026 = %s, want 2026-09-04", got)
	}
}

// TestDayText proves days read and write as ISO dates (JSON included), and that a bad date
// or an impossible one is refused.
func TestDayText(t *testing.T) {
	cases := []struct {
		name    string
		in      string
		want    string // String() of what was read
		wantErr bool
	}{
		{"an ISO date", "2026-08-28", "2026-08-28", false},
		{"a leap day", "2028-02-29", "2028-02-29", false},
		{"a leap day in a common year", "2027-02-29", "", true},
		{"30 February", "2026-02-30", "", true},
		{"a British date", "28/08/2026", "", true},
		{"a date with a time", "2026-08-28T10:00:00Z", "", true},
		{"full-width digits", "２０２６-０８-２８", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseDay(tc.in)
			if (err != nil) != tc.wantErr || d.String() != tc.want {
				t.Fatalf("ParseDay(%q) = %q, %v; want %q, error %v", tc.in, d, err, tc.want, tc.wantErr)
			}
			var u Day
			if err := u.UnmarshalText([]byte(tc.in)); (err != nil) != tc.wantErr || u.String() != tc.want {
				t.Errorf("UnmarshalText(%q) = %q, %v", tc.in, u, err)
			}
		})
	}

	type doc struct {
		Due  Day `json:"due"`
		None Day `json:"none"`
	}
	b, err := json.Marshal(doc{Due: Date(2026, time.September, 7)})
	if err != nil || string(b) != `{"due":"2026-09-07","none":""}` {
		t.Errorf("json: %s, %v", b, err)
	}
	var back doc
	if err := json.Unmarshal(b, &back); err != nil || !back.Due.Equal(day("2026-09-07")) || !back.None.IsZero() {
		t.Errorf("json back: %+v, %v", back, err)
	}
	if got := Date(2026, time.April, 31).String(); got != "2026-05-01" {
		t.Errorf("Date(2026, April, 31) = %s, want 2026-05-01 (normalised)", got)
	}
	if got := day("2026-09-07").Civil(); !got.Equal(time.Date(2026, 9, 7, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Civil = %s, want midnight UTC", got)
	}
}
