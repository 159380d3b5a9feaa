package stats

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/harbour-nrm/harbour/referral/nrm"
	"golang.org/x/text/width"
)

// Quarter is a calendar quarter, written 2026Q3.
type Quarter struct{ Year, N int }

// QuarterOf is the quarter a day falls in.
func QuarterOf(d nrm.Day) Quarter {
	t := d.Civil()
	return Quarter{t.Year(), (int(t.Month())-1)/3 + 1}
}

// ParseQuarter reads 2026Q3 (also 2026q3, and full-width digits as a Chinese keyboard types them).
func ParseQuarter(s string) (Quarter, error) {
	s = strings.ToUpper(strings.TrimSpace(width.Fold.String(s)))
	y, n, ok := strings.Cut(s, "Q")
	year, err1 := strconv.Atoi(y)
	q, err2 := strconv.Atoi(n)
	if !ok || len(y) != 4 || len(n) != 1 || err1 != nil || err2 != nil || q < 1 || q > 4 || year < 2000 {
		return Quarter{}, fmt.Errorf("stats: %q is not a quarter (2026Q3)", s)
	}
	return Quarter{year, q}, nil
}

// String writes the quarter as 2026Q3.
func (q Quarter) String() string { return fmt.Sprintf("%dQ%d", q.Year, q.N) }

// MarshalText writes the quarter as 2026Q3, for JSON.
func (q Quarter) MarshalText() ([]byte, error) { return []byte(q.String()), nil }

// Add returns the quarter n quarters later (earlier when n < 0).
func (q Quarter) Add(n int) Quarter {
	i := q.Year*4 + q.N - 1 + n
	return Quarter{i / 4, i%4 + 1}
}

// Since counts the quarters from o to q (negative when o is later).
func (q Quarter) Since(o Quarter) int { return (q.Year*4 + q.N) - (o.Year*4 + o.N) }

// Start is the quarter's first day.
func (q Quarter) Start() nrm.Day { return nrm.Date(q.Year, time.Month(3*(q.N-1)+1), 1) }

// End is the first day of the next quarter: the quarter's days are those before it.
func (q Quarter) End() nrm.Day { return q.Add(1).Start() }

// UnmarshalText reads a quarter written 2026Q3.
func (q *Quarter) UnmarshalText(b []byte) error {
	v, err := ParseQuarter(string(b))
	*q = v
	return err
}
