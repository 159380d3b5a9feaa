package referral

import "github.com/google/uuid"

// Small functions on values that every part of the domain uses: IDs, pointers, columns.

// column is one field of every row, in the rows' order.
func column[T, V any](rows []T, f func(T) V) []V {
	out := make([]V, len(rows))
	for i, r := range rows {
		out[i] = f(r)
	}
	return out
}

// deref is what p points to, or the zero value for nil.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// newID returns a new time-ordered UUID (v7).
func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// ptr returns a pointer to a copy of v, for optional fields.
func ptr[T any](v T) *T { return &v }

// abs is the distance of n from zero.
func abs(n int) int { return max(n, -n) }
