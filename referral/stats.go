package referral

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/harbour-nrm/harbour/referral/nrm"
	"github.com/harbour-nrm/harbour/referral/stats"
	"gorm.io/gorm"
)

// StatsQuery chooses the statistics: a jurisdiction's code, "all" (admins only), or "" for the
// reader's own (a decision maker's jurisdiction; all for an admin); and the first and last
// quarter, 2026Q3 ("" for the last eight quarters up to the current one).
type StatsQuery struct {
	Jurisdiction string
	From, To     string
}

// AllJurisdictions asks for the statistics of every jurisdiction together.
const AllJurisdictions = "all"

// MaxStatsQuarters is the longest period one request covers.
const MaxStatsQuarters = 20

// DefaultStatsQuarters is the period shown when none is asked for.
const DefaultStatsQuarters = 8

// Stats are the published NRM statistics of a jurisdiction (or all) over a period: tables of
// counts in which no count from 1 to 4, and nothing that would give one away, is shown.
type Stats struct {
	Jurisdiction  string          `json:"jurisdiction"`  // a code, or "all"
	Jurisdictions []string        `json:"jurisdictions"` // what this reader may ask for ("all" first when allowed)
	From          stats.Quarter   `json:"from"`
	To            stats.Quarter   `json:"to"`
	Today         nrm.Day         `json:"today"` // in the jurisdiction (the default one's for all)
	Quarters      []stats.Quarter `json:"quarters"`
	Tables        []stats.Table   `json:"tables"`
	Times         []stats.Times   `json:"times"` // decision times; none where no RG and CG decisions are made
}

// statsValues lists each closed dimension's values, zeros included, in the order shown;
// values found beyond them follow. Nationalities are listed as found.
func statsValues(dim string, codes []string) []string {
	switch dim {
	case "exploitation_type":
		return append(slices.Clone(ExploitationTypes), "not_specified")
	case "age_group":
		return slices.Clone(AgeGroups)
	case "gender":
		return append(slices.Clone(Genders), "unknown")
	case "exploitation_location":
		return slices.Clone(ExploitationLocations)
	case "referrer_kind":
		return append(enumValues(OrganisationKinds), "unknown")
	case "jurisdiction":
		return codes
	}
	return nil
}

func enumValues[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// Stats computes the statistics the query asks for, in one transaction, audited as one read.
func (d *Domain) Stats(ctx context.Context, q StatsQuery) (Stats, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActStatsRead, Target{}); err != nil {
		return Stats{}, err
	}
	var st Stats
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		scope, err := d.statsScope(tx, a, q.Jurisdiction)
		if err != nil {
			return err
		}
		st = Stats{Jurisdiction: scope.Code, Jurisdictions: scope.choices}
		if err := scope.period(&st, q, now); err != nil {
			return err
		}
		period := stats.Period{From: st.From, To: st.To, Quarters: st.Quarters, Today: st.Today}
		values := func(dim string) []string { return statsValues(dim, scope.Codes()) }
		st.Tables, st.Times, err = stats.Count(tx, scope.Scope, period, values)
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "stats.read", RecordType: "stats", RecordID: st.Jurisdiction,
			Detail: Detail{"jurisdiction": st.Jurisdiction, "from": st.From.String(), "to": st.To.String()}})
	})
	if err != nil {
		return Stats{}, err
	}
	return st, nil
}

// StatsChoices lists the jurisdictions the reader may ask statistics for, "all" first when
// allowed: for a form, without computing or reading anything counted.
func (d *Domain) StatsChoices(ctx context.Context) ([]string, error) {
	a := ActorFrom(ctx)
	if err := Authorize(a, ActStatsRead, Target{}); err != nil {
		return nil, err
	}
	s, err := d.statsScope(d.db.WithContext(ctx), a, "")
	return s.choices, err
}

// statsScope is what one request counts, what the reader may choose, and where "today" is.
type statsScope struct {
	stats.Scope
	choices []string
	loc     *time.Location
}

// statsScope decides the jurisdiction: an admin may ask for any or all; a decision maker only
// for the jurisdiction of the organisation's country.
func (d *Domain) statsScope(tx *gorm.DB, a Actor, asked string) (statsScope, error) {
	set := d.Jurisdictions()
	asked = strings.ToUpper(cleanCode(asked))
	var known *nrm.Jurisdiction
	if asked != "" && asked != strings.ToUpper(AllJurisdictions) {
		j, ok := set.Get(asked)
		if !ok {
			return statsScope{}, fieldError("jurisdiction", "stats.error.jurisdiction", map[string]any{"Code": asked})
		}
		known = j
	}
	if a.IsSystem() || a.Has(RoleAdmin) {
		if known != nil {
			return oneScope(known, append([]string{AllJurisdictions}, set.Codes()...)), nil
		}
		s := statsScope{Scope: stats.Scope{Code: AllJurisdictions}, loc: set.Default().Location,
			choices: append([]string{AllJurisdictions}, set.Codes()...)}
		for _, c := range set.Codes() {
			j, _ := set.Get(c)
			s.In = append(s.In, j)
		}
		return s, nil
	}
	var org Organisation
	if err := tx.Select("country").First(&org, "id = ?", a.OrganisationID).Error; err != nil {
		return statsScope{}, notFound(err)
	}
	own := set.ForCountry(org.Country)
	if asked != "" && (known == nil || known.Code != own.Code) {
		return statsScope{}, ErrForbidden
	}
	return oneScope(own, []string{own.Code}), nil
}

func oneScope(j *nrm.Jurisdiction, choices []string) statsScope {
	return statsScope{Scope: stats.Scope{Code: j.Code, One: j, In: []*nrm.Jurisdiction{j}}, choices: choices, loc: j.Location}
}

// period sets the quarters asked for: by default the last eight up to the current one in the
// jurisdiction; never one after the current quarter, nor more than MaxStatsQuarters.
func (s statsScope) period(st *Stats, q StatsQuery, now time.Time) error {
	st.Today = nrm.DayOf(now, s.loc)
	current := stats.QuarterOf(st.Today)
	var p Problems
	parse := func(field, v string, def stats.Quarter) stats.Quarter {
		if strings.TrimSpace(v) == "" {
			return def
		}
		out, err := stats.ParseQuarter(v)
		if err != nil {
			p.Add(field, "stats.error.quarter", nil)
		}
		return out
	}
	st.To = parse("to", q.To, current)
	st.From = parse("from", q.From, st.To.Add(1-DefaultStatsQuarters))
	if err := p.Err(); err != nil {
		return err
	}
	switch {
	case st.To.Since(current) > 0:
		p.Add("to", "stats.error.future", map[string]any{"Quarter": current.String()})
	case st.From.Since(st.To) > 0:
		p.Add("from", "stats.error.order", nil)
	case st.To.Since(st.From) >= MaxStatsQuarters:
		p.Add("from", "stats.error.span", map[string]any{"Max": MaxStatsQuarters})
	}
	for n := st.From; n.Since(st.To) <= 0; n = n.Add(1) {
		st.Quarters = append(st.Quarters, n)
	}
	return p.Err()
}
