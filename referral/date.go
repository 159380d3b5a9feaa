package referral

import (
	"database/sql/driver"
	"fmt"
	"strings"
	"time"
)

// Date is a calendar day, written YYYY-MM-DD, stored as a PostgreSQL date.
type Date string

// Scan reads a date column (the driver gives a time.Time at midnight UTC).
func (d *Date) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		*d = Date(v.Format(time.DateOnly))
	case string:
		*d = Date(v)
	case []byte:
		*d = Date(v)
	case nil:
		*d = ""
	default:
		return fmt.Errorf("date: cannot scan %T", v)
	}
	return nil
}

// Value writes the date as text, which PostgreSQL casts to date.
func (d Date) Value() (driver.Value, error) { return string(d), nil }

// dateField reads a date written YYYY-MM-DD in ASCII digits. Full-width digits (as a Chinese
// input method writes them) are refused with their own message rather than guessed at: a date
// of birth must be what the officer meant.
func dateField(p *Problems, field, s string) (time.Time, bool) {
	for _, r := range s {
		if r > 0x7f {
			p.Add(field, "error.field.date_digits", nil)
			return time.Time{}, false
		}
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		p.Add(field, "error.field.date", nil)
		return time.Time{}, false
	}
	return d, true
}

// yearsBetween is a person's age on day when born on birth.
func yearsBetween(birth, day time.Time) int {
	years := day.Year() - birth.Year()
	if day.Month() < birth.Month() || (day.Month() == birth.Month() && day.Day() < birth.Day()) {
		years--
	}
	return years
}
