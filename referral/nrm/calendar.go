package nrm

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/nl"
)

// holidayCalendar is one calendar a jurisdiction's file may name: rickar/cal's national list,
// and the regional lists holiday_regions may add.
type holidayCalendar struct {
	national []*cal.Holiday
	regions  map[string][]*cal.Holiday // by ISO 3166-2 code
}

// holidayCalendars are the calendars a file may name. Regions go by ISO 3166-2 code because
// cal's own short names clash across countries (de's BE is Berlin, be is Belgium). gb's
// list is England & Wales's (summer bank holiday on the last Monday of August, not Scotland's
// first; no St Andrew's Day), hence "gb-eaw". es has no regional lists: each autonomous
// community sets its holidays year by year, so a deployment lists them as extra_holidays.
var holidayCalendars = map[string]holidayCalendar{
	"gb-eaw": {national: gb.Holidays},
	"be":     {national: be.Holidays},
	"nl":     {national: nl.Holidays},
	"de": {national: de.Holidays, regions: map[string][]*cal.Holiday{
		"DE-BB": de.HolidaysBB, "DE-BE": de.HolidaysBE, "DE-BW": de.HolidaysBW, "DE-BY": de.HolidaysBY,
		"DE-HB": de.HolidaysHB, "DE-HE": de.HolidaysHE, "DE-HH": de.HolidaysHH, "DE-MV": de.HolidaysMV,
		"DE-NI": de.HolidaysNI, "DE-NW": de.HolidaysNW, "DE-RP": de.HolidaysRP, "DE-SH": de.HolidaysSH,
		"DE-SL": de.HolidaysSL, "DE-SN": de.HolidaysSN, "DE-ST": de.HolidaysST, "DE-TH": de.HolidaysTH,
	}},
	"es": {national: es.Holidays},
}

// loadCalendar builds a jurisdiction's calendar from its file's holiday keys, naming every
// mistake at once as the other load checks do.
func loadCalendar(name string, regions, extra, not []string) (Calendar, error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	hc, known := holidayCalendars[name]
	if !known {
		calendars := strings.Join(slices.Sorted(maps.Keys(holidayCalendars)), ", ")
		if name == "" {
			bad("no holiday_calendar (one of %s)", calendars)
		} else {
			bad("holiday_calendar %q is unknown (one of %s)", name, calendars)
		}
	}
	rules := slices.Clone(hc.national)
	for _, r := range regions {
		list, ok := hc.regions[r]
		if !ok && known {
			names := "it has none"
			if len(hc.regions) > 0 {
				names = "one of " + strings.Join(slices.Sorted(maps.Keys(hc.regions)), ", ")
			}
			bad("holiday_regions: %q is not a region of holiday calendar %q (%s)", r, name, names)
		}
		// A regional list repeats the national holidays; each rule is kept once so a day is
		// not worked out twice.
		for _, h := range list {
			if !slices.Contains(rules, h) {
				rules = append(rules, h)
			}
		}
	}
	days := func(key string, list []string) []Day {
		var out []Day
		for _, s := range list {
			d, err := ParseDay(s)
			if err != nil {
				bad("%s: %v", key, err)
				continue
			}
			out = append(out, d)
		}
		slices.SortFunc(out, Day.Compare)
		return out
	}
	c := computedCalendar(rules, days("extra_holidays", extra), days("not_holidays", not))
	for _, d := range c.h.extra {
		if _, both := slices.BinarySearchFunc(c.h.not, d, Day.Compare); both {
			bad("%s is in both extra_holidays and not_holidays", d)
		}
	}
	return c, errors.Join(errs...)
}

// computedCalendar returns the calendar whose holidays rickar/cal's rules give for any year,
// with extra days added and not days removed (both sorted).
func computedCalendar(rules []*cal.Holiday, extra, not []Day) Calendar {
	return Calendar{&holidays{rules: rules, extra: extra, not: not, from: math.MinInt, to: math.MaxInt, years: map[int][]Day{}}}
}

// Calendar knows a jurisdiction's working days: Monday to Friday, except its public holidays.
// Copies share one cache, so the one Calendar of a jurisdiction serves every request at once.
type Calendar struct{ h *holidays }

// holidays are a calendar's rules and the years worked out from them so far.
type holidays struct {
	rules    []*cal.Holiday // rickar/cal's, for any year; none for NewCalendar's listed days
	extra    []Day          // sorted: holidays the rules do not give (all of them for NewCalendar)
	not      []Day          // sorted: days the rules give that are no holidays
	from, to int            // the years whose holidays are known

	mu    sync.RWMutex
	years map[int][]Day // each year's holidays, sorted, once asked for
}

// NewCalendar returns the calendar with these public holidays and no others, knowing only the
// years they span.
func NewCalendar(days []Day) Calendar {
	h := &holidays{extra: slices.Clone(days), years: map[int][]Day{}}
	slices.SortFunc(h.extra, Day.Compare)
	if len(h.extra) > 0 {
		h.from, h.to = h.extra[0].t.Year(), h.extra[len(h.extra)-1].t.Year()
	}
	return Calendar{h}
}

// Covers reports whether the calendar knows the holidays of d's year (every year, when
// rickar/cal works them out).
func (c Calendar) Covers(d Day) bool {
	y := d.t.Year()
	return c.h != nil && y >= c.h.from && y <= c.h.to
}

// LastYear is the last year whose holidays the calendar knows (math.MaxInt: every year).
func (c Calendar) LastYear() int {
	if c.h == nil {
		return 0
	}
	return c.h.to
}

// Holiday reports whether d is a public holiday.
func (c Calendar) Holiday(d Day) bool {
	if c.h == nil {
		return false
	}
	_, found := slices.BinarySearchFunc(c.h.year(d.t.Year()), d, Day.Compare)
	return found
}

// year returns the holidays of year y, working them out the first time; two requests asking
// at once may both work a year out, which is cheaper than holding the lock while they do.
func (h *holidays) year(y int) []Day {
	h.mu.RLock()
	days, ok := h.years[y]
	h.mu.RUnlock()
	if ok {
		return days
	}
	days = h.compute(y)
	h.mu.Lock()
	h.years[y] = days
	h.mu.Unlock()
	return days
}

// compute works out the holidays of year y: the days the rules are observed on, not the days
// they fall on (Boxing Day on a Saturday makes the Monday the bank holiday, the Saturday stays
// a weekend), plus the extra days, less the days that are not holidays.
func (h *holidays) compute(y int) []Day {
	var days []Day
	for _, r := range h.rules {
		// A substitute day may fall in the year next to the holiday's own (New Year's Day on a
		// Saturday kept on Friday 31 December, where a rule says so).
		for _, ry := range []int{y - 1, y, y + 1} {
			if _, observed := r.Calc(ry); !observed.IsZero() && observed.Year() == y {
				days = append(days, Date(observed.Date()))
			}
		}
	}
	for _, d := range h.extra {
		if d.t.Year() == y {
			days = append(days, d)
		}
	}
	days = slices.DeleteFunc(days, func(d Day) bool {
		_, found := slices.BinarySearchFunc(h.not, d, Day.Compare)
		return found
	})
	slices.SortFunc(days, Day.Compare)
	return slices.CompactFunc(days, Day.Equal)
}

// WorkingDay reports whether d is a working day.
func (c Calendar) WorkingDay(d Day) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday && !c.Holiday(d)
}

// AddWorkingDays returns the n-th working day after d (d itself never counts: a referral made
// on a Friday before a bank holiday Monday has its first working day on Tuesday). n <= 0 is d.
func (c Calendar) AddWorkingDays(d Day, n int) Day {
	for n > 0 {
		d = d.AddDays(1)
		if c.WorkingDay(d) {
			n--
		}
	}
	return d
}
