package referral

import "time"

// OpenAt reports whether opening hours include local time t, and if so when that period closes.
func OpenAt(hours []OpeningHours, t time.Time) (open bool, closes string) {
	day, now := isoDay(t), t.Format("15:04")
	for _, h := range hours {
		overnight := h.Closes <= h.Opens
		switch {
		case h.Day == day && h.Opens <= now && (overnight || now < h.Closes):
			return true, h.Closes
		case overnight && h.Day == isoDay(t.AddDate(0, 0, -1)) && now < h.Closes:
			return true, h.Closes
		}
	}
	return false, ""
}

// NextOpening returns the weekday (1 = Monday) and time the service next opens after local
// time t, within a week.
func NextOpening(hours []OpeningHours, t time.Time) (day int, at string, ok bool) {
	for offset := 0; offset <= 7; offset++ {
		d := isoDay(t.AddDate(0, 0, offset))
		for _, h := range hours { // sorted by day, then opening time
			if h.Day == d && (offset > 0 || h.Opens > t.Format("15:04")) {
				return d, h.Opens, true
			}
		}
	}
	return 0, "", false
}

func isoDay(t time.Time) int {
	if d := int(t.Weekday()); d != 0 {
		return d
	}
	return 7
}
