package nrm

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/aa"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/nl"
)

// libraryLists is, written out a second time, the rickar/cal list each calendar and region
// name must mean, so a wrong line in holidayCalendars fails here rather than agreeing with
// itself.
var libraryLists = map[string][]*cal.Holiday{
	"gb-eaw": gb.Holidays, "be": be.Holidays, "nl": nl.Holidays, "de": de.Holidays, "es": es.Holidays,
	"DE-BW": de.HolidaysBW, "DE-BY": de.HolidaysBY, "DE-BE": de.HolidaysBE, "DE-BB": de.HolidaysBB,
	"DE-HB": de.HolidaysHB, "DE-HH": de.HolidaysHH, "DE-HE": de.HolidaysHE, "DE-MV": de.HolidaysMV,
	"DE-NI": de.HolidaysNI, "DE-NW": de.HolidaysNW, "DE-RP": de.HolidaysRP, "DE-SL": de.HolidaysSL,
	"DE-SN": de.HolidaysSN, "DE-ST": de.HolidaysST, "DE-SH": de.HolidaysSH, "DE-TH": de.HolidaysTH,
}

// library is rickar/cal's own business calendar for these lists, asked without the engine.
func library(t *testing.T, names ...string) *cal.BusinessCalendar {
	t.Helper()
	c := cal.NewBusinessCalendar()
	for _, n := range names {
		list, ok := libraryLists[n]
		if !ok {
			t.Fatalf("no library list %q", n)
		}
		c.AddHoliday(list...)
	}
	return c
}

// libraryDay is d as rickar/cal takes a date: noon, in its default zone.
func libraryDay(d Day) time.Time {
	y, m, dd := d.Civil().Date()
	return time.Date(y, m, dd, 12, 0, 0, 0, cal.DefaultLoc)
}

// sameAsLibrary fails for each day from 2026 to 2040 where the calendar and rickar/cal differ
// on a holiday or a working day, with the file's overrides applied to the library's answer,
// and returns how many holidays there were.
func sameAsLibrary(t *testing.T, c Calendar, lib *cal.BusinessCalendar, extra, not []string) int {
	t.Helper()
	holidays, wrong := 0, 0
	for d := day("2026-01-01"); d.Before(day("2041-01-01")); d = d.AddDays(1) {
		_, want, _ := lib.IsHoliday(libraryDay(d))
		working := lib.IsWorkday(libraryDay(d))
		switch {
		case slices.Contains(extra, d.String()):
			want, working = true, false
		case slices.Contains(not, d.String()):
			want, working = false, d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
		}
		if c.Holiday(d) != want || c.WorkingDay(d) != working {
			t.Errorf("%s %s: holiday %v, working %v; rickar/cal: holiday %v, working %v",
				d, d.Weekday(), c.Holiday(d), c.WorkingDay(d), want, working)
			if wrong++; wrong > 10 {
				t.FailNow()
			}
		}
		if want {
			holidays++
		}
	}
	return holidays
}

// enough fails when 15 years had fewer than 8 holidays each: a library that gave nothing would
// agree with an engine that asked nothing.
func enough(t *testing.T, holidays int) {
	t.Helper()
	if holidays < 15*8 {
		t.Errorf("only %d holidays from 2026 to 2040", holidays)
	}
}

// TestShippedHolidaysAreRickarCal proves every shipped jurisdiction's holidays, every day of
// 2026 to 2040, are what rickar/cal gives for its calendar (national as shipped).
func TestShippedHolidaysAreRickarCal(t *testing.T) {
	calendars := map[string]string{"GB-EAW": "gb-eaw", "BE": "be", "NL": "nl", "DE": "de", "ES": "es"}
	set := shippedSet(t)
	if !slices.Equal(set.Codes(), slices.Sorted(maps.Keys(calendars))) {
		t.Fatalf("shipped %v; this test knows %v", set.Codes(), slices.Sorted(maps.Keys(calendars)))
	}
	for code, name := range calendars {
		t.Run(code, func(t *testing.T) {
			j, _ := set.Get(code)
			if j.HolidayCalendar != name || len(j.HolidayRegions) > 0 {
				t.Fatalf("holiday calendar %q, regions %v; want %q, national only", j.HolidayCalendar, j.HolidayRegions, name)
			}
			enough(t, sameAsLibrary(t, j.Calendar, library(t, name), j.ExtraHolidays, j.NotHolidays))
			if !j.Calendar.Covers(day("2040-12-31")) || !j.Calendar.Covers(day("2100-01-01")) {
				t.Errorf("the calendar does not cover 2040 and 2100")
			}
		})
	}
}

// TestRegionalHolidaysAreRickarCal proves each German federal state's holidays, every day of
// 2026 to 2040, are rickar/cal's list for that state, and that the engine knows no region this
// test does not.
func TestRegionalHolidaysAreRickarCal(t *testing.T) {
	var regions []string
	for n := range libraryLists {
		if strings.HasPrefix(n, "DE-") {
			regions = append(regions, n)
		}
	}
	slices.Sort(regions)
	if got := slices.Sorted(maps.Keys(holidayCalendars["de"].regions)); !slices.Equal(got, regions) {
		t.Fatalf("the engine knows regions %v, this test %v", got, regions)
	}
	for _, r := range regions {
		t.Run(r, func(t *testing.T) {
			j := loadHolidays(t, "holiday_calendar = \"de\"\nholiday_regions = [\""+r+"\"]")
			enough(t, sameAsLibrary(t, j.Calendar, library(t, "de", r), nil, nil))
		})
	}
}

// loadHolidays loads the minimal file with these holiday keys, failing when it is refused.
func loadHolidays(t *testing.T, keys string) *Jurisdiction {
	t.Helper()
	set, err := Load(fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `holiday_calendar = "gb-eaw"`, keys))}})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return set.Default()
}

// TestSubstituteInAnotherYear proves a holiday kept in the year before its own counts in that
// year, as rickar/cal says, though no shipped calendar has one: New Year's Day on Saturday
// 1 Jan 2033, kept on Friday 31 Dec 2032 as the United States keep it.
func TestSubstituteInAnotherYear(t *testing.T) {
	newYear := aa.NewYear.Clone(&cal.Holiday{Observed: []cal.AltDay{{Day: time.Saturday, Offset: -1}}})
	c := computedCalendar([]*cal.Holiday{newYear}, nil, nil)
	if d := day("2033-01-01"); d.Weekday() != time.Saturday {
		t.Fatalf("the comment is wrong: %s is a %s", d, d.Weekday())
	}
	if !c.Holiday(day("2032-12-31")) || c.Holiday(day("2033-01-01")) || !c.Holiday(day("2032-01-01")) {
		t.Errorf("31 Dec 2032 %v, 1 Jan 2033 %v, 1 Jan 2032 %v; want true, false, true",
			c.Holiday(day("2032-12-31")), c.Holiday(day("2033-01-01")), c.Holiday(day("2032-01-01")))
	}
	lib := cal.NewBusinessCalendar()
	lib.AddHoliday(newYear)
	if n := sameAsLibrary(t, c, lib, nil, nil); n != 15 {
		t.Errorf("%d New Year's Days kept from 2026 to 2040, want 15", n)
	}
}

// TestEnglandAndWalesBankHolidays proves the GB-EAW calendar against the bank holidays GOV.UK
// publishes for 2026 and 2027 (www.gov.uk/bank-holidays), written out here: those days and no
// others, weekends included, are holidays.
func TestEnglandAndWalesBankHolidays(t *testing.T) {
	govUK := map[int][]string{
		2026: {"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"},
		2027: {"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"},
	}
	c := jurisdiction(t, "GB-EAW").Calendar
	for year, list := range govUK {
		found := 0
		for d := Date(year, time.January, 1); d.Civil().Year() == year; d = d.AddDays(1) {
			want := slices.Contains(list, d.String())
			weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
			if want && weekend {
				t.Fatalf("the table is wrong: %s is a %s", d, d.Weekday())
			}
			if got := c.Holiday(d); got != want {
				t.Errorf("%s %s: holiday %v, GOV.UK %v", d, d.Weekday(), got, want)
			}
			if got := c.WorkingDay(d); got != (!want && !weekend) {
				t.Errorf("%s %s: working day %v", d, d.Weekday(), got)
			}
			if c.Holiday(d) {
				found++
			}
		}
		if found != 8 {
			t.Errorf("%d: %d bank holidays, GOV.UK lists 8", year, found)
		}
	}
}

// TestHolidayOverrides proves extra_holidays adds a day and not_holidays removes one, in their
// year only, and that working days count with them.
func TestHolidayOverrides(t *testing.T) {
	plain := loadHolidays(t, `holiday_calendar = "gb-eaw"`).Calendar
	over := loadHolidays(t, "holiday_calendar = \"gb-eaw\"\nextra_holidays = [\"2027-06-14\"]\nnot_holidays = [\"2026-12-28\"]").Calendar
	cases := []struct {
		name        string
		day         string
		weekday     time.Weekday
		plain, over bool
	}{
		{"the extra day, Monday 14 Jun 2027", "2027-06-14", time.Monday, false, true},
		{"the same day a year on", "2028-06-14", time.Wednesday, false, false},
		{"the removed day, the Boxing Day substitute Monday 28 Dec 2026", "2026-12-28", time.Monday, true, false},
		{"Christmas Day beside it stays", "2026-12-25", time.Friday, true, true},
		{"the Boxing Day substitute a year on stays", "2027-12-28", time.Tuesday, true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := day(tc.day)
			if d.Weekday() != tc.weekday {
				t.Fatalf("the table is wrong: %s is a %s", tc.day, d.Weekday())
			}
			if plain.Holiday(d) != tc.plain || over.Holiday(d) != tc.over {
				t.Errorf("holiday without overrides %v, with %v; want %v, %v", plain.Holiday(d), over.Holiday(d), tc.plain, tc.over)
			}
		})
	}
	if got := over.AddWorkingDays(day("2027-06-11"), 1); got.String() != "2027-06-15" {
		t.Errorf("1 working day from Friday 11 Jun 2027 with the extra Monday = %s, want 2027-06-15", got)
	}
	if got := over.AddWorkingDays(day("2026-12-24"), 1); got.String() != "2026-12-28" {
		t.Errorf("1 working day from Thursday 24 Dec 2026 without the substitute = %s, want 2026-12-28", got)
	}
}

// TestHolidayRegions proves a region adds its holidays to the national ones, two regions add
// both, and working days skip them; the days are checked by hand (Easter 2026 is 5 April, so
// Corpus Christi is Thursday 4 June).
func TestHolidayRegions(t *testing.T) {
	national := loadHolidays(t, `holiday_calendar = "de"`).Calendar
	bavaria := loadHolidays(t, "holiday_calendar = \"de\"\nholiday_regions = [\"DE-BY\"]").Calendar
	two := loadHolidays(t, "holiday_calendar = \"de\"\nholiday_regions = [\"DE-BE\", \"DE-SN\"]").Calendar
	cases := []struct {
		name              string
		day               string
		weekday           time.Weekday
		national, by, two bool
	}{
		{"Epiphany, Tuesday 6 Jan 2026: Bavaria", "2026-01-06", time.Tuesday, false, true, false},
		{"Corpus Christi, Thursday 4 Jun 2026: Bavaria", "2026-06-04", time.Thursday, false, true, false},
		{"All Saints, Monday 1 Nov 2027: Bavaria", "2027-11-01", time.Monday, false, true, false},
		{"Women's Day, Monday 8 Mar 2027: Berlin", "2027-03-08", time.Monday, false, false, true},
		{"Repentance Day, Wednesday 18 Nov 2026: Saxony", "2026-11-18", time.Wednesday, false, false, true},
		{"Reformation Day, Friday 31 Oct 2025: Saxony", "2025-10-31", time.Friday, false, false, true},
		{"Unity Day, Saturday 3 Oct 2026: everywhere", "2026-10-03", time.Saturday, true, true, true},
		{"Whit Monday, 25 May 2026: everywhere", "2026-05-25", time.Monday, true, true, true},
		{"an ordinary Wednesday, 3 Jun 2026", "2026-06-03", time.Wednesday, false, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := day(tc.day)
			if d.Weekday() != tc.weekday {
				t.Fatalf("the table is wrong: %s is a %s", tc.day, d.Weekday())
			}
			if national.Holiday(d) != tc.national || bavaria.Holiday(d) != tc.by || two.Holiday(d) != tc.two {
				t.Errorf("national %v, Bavaria %v, Berlin and Saxony %v; want %v, %v, %v",
					national.Holiday(d), bavaria.Holiday(d), two.Holiday(d), tc.national, tc.by, tc.two)
			}
		})
	}
	if got := bavaria.AddWorkingDays(day("2026-06-03"), 5); got.String() != "2026-06-11" {
		t.Errorf("Bavaria: 5 working days from Wednesday 3 Jun 2026 = %s, want Thursday 2026-06-11", got)
	}
	if got := national.AddWorkingDays(day("2026-06-03"), 5); got.String() != "2026-06-10" {
		t.Errorf("Germany: 5 working days from Wednesday 3 Jun 2026 = %s, want Wednesday 2026-06-10", got)
	}
}

// TestHolidayKeysRefused proves Load names the file and the mistake in its holiday keys.
func TestHolidayKeysRefused(t *testing.T) {
	cases := []struct {
		name    string
		keys    string // in place of holiday_calendar = "gb-eaw"
		wantErr []string
	}{
		{"no calendar", ``, []string{`xx.toml: no holiday_calendar (one of be, de, es, gb-eaw, nl)`}},
		{"an unknown calendar", `holiday_calendar = "fr"`, []string{`xx.toml: holiday_calendar "fr" is unknown (one of be, de, es, gb-eaw, nl)`}},
		{"a calendar in capitals", `holiday_calendar = "GB-EAW"`, []string{`holiday_calendar "GB-EAW" is unknown`}},
		{"the United Kingdom as a whole", `holiday_calendar = "gb"`, []string{`holiday_calendar "gb" is unknown`}},
		{"an unknown German state", "holiday_calendar = \"de\"\nholiday_regions = [\"DE-XX\"]",
			[]string{`holiday_regions: "DE-XX" is not a region of holiday calendar "de" (one of DE-BB, DE-BE, DE-BW, DE-BY,`}},
		{"a state without its country", "holiday_calendar = \"de\"\nholiday_regions = [\"BY\"]",
			[]string{`holiday_regions: "BY" is not a region of holiday calendar "de"`}},
		{"a state of another calendar", "holiday_calendar = \"gb-eaw\"\nholiday_regions = [\"DE-BY\"]",
			[]string{`holiday_regions: "DE-BY" is not a region of holiday calendar "gb-eaw" (it has none)`}},
		{"a Spanish community, which rickar/cal does not list", "holiday_calendar = \"es\"\nholiday_regions = [\"ES-MD\"]",
			[]string{`holiday_regions: "ES-MD" is not a region of holiday calendar "es" (it has none)`}},
		{"a day both added and removed", "holiday_calendar = \"gb-eaw\"\nextra_holidays = [\"2026-12-28\"]\nnot_holidays = [\"2026-12-28\"]",
			[]string{`2026-12-28 is in both extra_holidays and not_holidays`}},
		{"an extra holiday with a time", "holiday_calendar = \"gb-eaw\"\nextra_holidays = [\"2027-06-14T00:00:00Z\"]",
			[]string{`extra_holidays: nrm: "2027-06-14T00:00:00Z" is not a date`}},
		{"an extra holiday as a TOML date, not a string", "holiday_calendar = \"gb-eaw\"\nextra_holidays = [2027-06-14]",
			[]string{`nrm: xx.toml:`}},
		{"the old list of dates", "holiday_calendar = \"gb-eaw\"\nholidays = [\"2026-12-25\"]",
			[]string{`xx.toml: unknown keys [holidays] (holidays are computed now: name a holiday_calendar`}},
		{"a misspelt override", "holiday_calendar = \"gb-eaw\"\nextra_holiday = [\"2027-06-14\"]",
			[]string{`xx.toml: unknown keys [extra_holiday]`}},
		{"several mistakes, all named", "holiday_calendar = \"de\"\nholiday_regions = [\"DE-XX\", \"DE-YY\"]\nnot_holidays = [\"2026-13-01\"]",
			[]string{`"DE-XX" is not a region`, `"DE-YY" is not a region`, `not_holidays: nrm: "2026-13-01" is not a date`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(fstest.MapFS{"xx.toml": {Data: []byte(variant(t, `holiday_calendar = "gb-eaw"`, tc.keys))}})
			if err == nil {
				t.Fatalf("Load accepted it, want an error containing %q", tc.wantErr)
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("Load: %v\nwant an error containing %q", err, want)
				}
			}
		})
	}
}

// TestWorkingDaysIn2035 proves deadlines past the years the files once listed, worked out by
// hand: Easter 2035 is Sunday 25 March, so Good Friday is 23 March and Easter Monday 26 March
// in England and Wales; in Germany 1 May is a Tuesday and Ascension Thursday 3 May.
func TestWorkingDaysIn2035(t *testing.T) {
	j := jurisdiction(t, "GB-EAW")
	// Submitted Thursday 22 Mar 2035: Fri 23 and Mon 26 are bank holidays, so the five working
	// days are Tue 27 to Fri 30 and Mon 2 Apr (without them it would be Thu 29 Mar).
	s := replay(t, j, []Event{ev("submit", "2035-03-22")})
	if len(s.Running) != 1 || s.Running[0].Target.String() != "2035-04-02" || s.Running[0].Target.Weekday() != time.Monday {
		t.Fatalf("RG decision submitted 22 Mar 2035 due %v, want Monday 2035-04-02", s.Running)
	}
	if s.Overdue(day("2035-04-02")) || !s.Overdue(day("2035-04-03")) {
		t.Errorf("overdue on 2 Apr %v, on 3 Apr %v; want only from 3 Apr", s.Overdue(day("2035-04-02")), s.Overdue(day("2035-04-03")))
	}
	// Germany, from Monday 30 Apr 2035: Tue 1 and Thu 3 May are holidays; Wed 2, Fri 4, Mon 7,
	// Tue 8 and Wed 9 count.
	if got := jurisdiction(t, "DE").Calendar.AddWorkingDays(day("2035-04-30"), 5); got.String() != "2035-05-09" {
		t.Errorf("Germany: 5 working days from Monday 30 Apr 2035 = %s %s, want Wednesday 2035-05-09", got, got.Weekday())
	}
}

// TestCalendarConcurrent proves one calendar gives every request the same answers while
// many of them work out years at once (run with -race to see no data race).
func TestCalendarConcurrent(t *testing.T) {
	shared := loadHolidays(t, "holiday_calendar = \"de\"\nholiday_regions = [\"DE-BY\"]").Calendar
	alone := loadHolidays(t, "holiday_calendar = \"de\"\nholiday_regions = [\"DE-BY\"]").Calendar
	var want []Day
	for d := day("2026-01-01"); d.Before(day("2076-01-01")); d = d.AddDays(1) {
		if alone.Holiday(d) {
			want = append(want, d)
		}
	}
	got := make([][]Day, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			// Each goroutine walks the years from a different one, so they meet on new years.
			for k := range 50 {
				year := 2026 + (k+i*7)%50
				for d := Date(year, time.January, 1); d.Civil().Year() == year; d = d.AddDays(1) {
					if shared.Holiday(d) {
						got[i] = append(got[i], d)
					}
				}
			}
		})
	}
	wg.Wait()
	for i, g := range got {
		slices.SortFunc(g, Day.Compare)
		if !slices.EqualFunc(g, want, Day.Equal) {
			t.Errorf("goroutine %d found %d holidays from 2026 to 2075, want %d", i, len(g), len(want))
		}
	}
}
