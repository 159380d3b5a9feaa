package i18n

import "context"

type localizerKey struct{}

// WithLocalizer returns a context carrying the request's localizer.
func WithLocalizer(ctx context.Context, l *Localizer) context.Context {
	return context.WithValue(ctx, localizerKey{}, l)
}

// From returns the localizer carried by ctx, or fallback when none.
func From(ctx context.Context, fallback *Localizer) *Localizer {
	if l, ok := ctx.Value(localizerKey{}).(*Localizer); ok {
		return l
	}
	return fallback
}
