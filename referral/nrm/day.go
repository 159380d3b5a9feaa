package nrm

import (
	"fmt"
	"time"
)

// Day is a calendar day in a jurisdiction, without a time or a zone: what a decision letter
// prints and what the law counts. It is held as midnight UTC so days compare and subtract
// exactly, whatever the daylight-saving rules of the place.
type Day struct{ t time.Time }

// DayOf returns the day t falls on in loc.
func DayOf(t time.Time, loc *time.Location) Day {
	y, m, d := t.In(loc).Date()
	return Date(y, m, d)
}

// Date returns the day y-m-d (normalised as time.Date does: 31 April is 1 May).
func Date(y int, m time.Month, d int) Day { return Day{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// ParseDay reads an ISO date, 2006-01-02.
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Day{}, fmt.Errorf("nrm: %q is not a date (YYYY-MM-DD)", s)
	}
	return Day{t}, nil
}

// IsZero reports whether d is no day at all.
func (d Day) IsZero() bool { return d.t.IsZero() }

// String is the ISO date.
func (d Day) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// Civil returns the day as midnight UTC, for formatting in a reader's language (i18n formats
// any value with a Civil method as a date).
func (d Day) Civil() time.Time { return d.t }

// Weekday is the day of the week.
func (d Day) Weekday() time.Weekday { return d.t.Weekday() }

// AddDays returns the day n calendar days later (earlier when n < 0).
func (d Day) AddDays(n int) Day { return Day{d.t.AddDate(0, 0, n)} }

// AddMonths returns the same day of the month n months later; when that month is shorter, its
// last day (31 January + 1 month = 28 or 29 February, never 3 March).
func (d Day) AddMonths(n int) Day {
	y, m, day := d.t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return Date(first.Year(), first.Month(), min(day, last))
}

// Before, After and Equal compare days.
func (d Day) Before(o Day) bool { return d.t.Before(o.t) }
func (d Day) After(o Day) bool  { return d.t.After(o.t) }
func (d Day) Equal(o Day) bool  { return d.t.Equal(o.t) }

// Compare returns -1, 0 or +1, for sorting.
func (d Day) Compare(o Day) int { return d.t.Compare(o.t) }

// DaysUntil is the number of calendar days from d to o (negative when o is earlier).
func (d Day) DaysUntil(o Day) int { return int(o.t.Sub(d.t) / (24 * time.Hour)) }

// Start is the moment the day begins in loc; End is the moment the next day begins, the
// instant a deadline on this day has passed. Both are right across daylight-saving changes,
// when a day has 23 or 25 hours.
func (d Day) Start(loc *time.Location) time.Time {
	y, m, day := d.t.Date()
	return time.Date(y, m, day, 0, 0, 0, 0, loc)
}

// End is the moment the next day begins in loc.
func (d Day) End(loc *time.Location) time.Time { return d.AddDays(1).Start(loc) }

// MarshalText writes the ISO date, for JSON.
func (d Day) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads an ISO date.
func (d *Day) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Day{}
		return nil
	}
	v, err := ParseDay(string(b))
	*d = v
	return err
}
