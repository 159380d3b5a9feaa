package i18n

import (
	"fmt"
	"time"
)

// Funcs returns this language's template functions:
//
//	{{t "id"}}  {{t "id" "Name" .Name}}       a message, with named data as key/value pairs
//	{{tn "id" .Count "Name" .Name}}          a message in the plural form for the count
//	{{msg .ID .Data}}                         a domain message (reason, error) with its data localised
//	{{tlist "org.kind_%s" .Kinds}}            a message per code, joined as a list ("警察、专门援助中心")
//	{{langname "wuu"}}                       a spoken language's name
//	{{endonym "ro"}}                         its name in itself ("română"), for her to point at
//	{{num .N}}  {{date .T .Loc}}  {{datetime .T .Loc}}
//	{{day .D}}                               a calendar day (referral/nrm.Day), as a date
func (l *Localizer) Funcs() map[string]any {
	return map[string]any{
		"t": func(id string, pairs ...any) (string, error) {
			data, err := pairsToMap(pairs)
			return l.T(id, data), err
		},
		"tn": func(id string, count int, pairs ...any) (string, error) {
			data, err := pairsToMap(pairs)
			return l.N(id, count, data), err
		},
		"tlist":    l.List,
		"num":      l.Number,
		"msg":      l.Message,
		"langname": l.LanguageName,
		"endonym":  Endonym,
		"date":     l.Date,
		"datetime": l.DateTime,
		"day":      func(d interface{ Civil() time.Time }) string { return l.Date(d.Civil(), time.UTC) },
	}
}

func pairsToMap(pairs []any) (map[string]any, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	if len(pairs)%2 != 0 {
		return nil, fmt.Errorf("translation data needs key/value pairs, got %d values", len(pairs))
	}
	m := make(map[string]any, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		k, ok := pairs[i].(string)
		if !ok {
			return nil, fmt.Errorf("translation data key %v is not a string", pairs[i])
		}
		m[k] = pairs[i+1]
	}
	return m, nil
}
