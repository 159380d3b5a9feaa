package stats

import (
	"slices"

	"github.com/harbour-nrm/harbour/referral/nrm"
)

// Table names, in the order published, besides one per dimension.
const (
	Decisions = "decisions"
	Backlog   = "backlog"
	DtN       = "dtn"
)

// Dimensions are the dimensions counted per quarter of the NRM referral; "jurisdiction" is
// published only for all jurisdictions together.
var Dimensions = []string{"exploitation_type", "age_group", "gender", "nationality",
	"exploitation_location", "referrer_kind", "jurisdiction"}

// Scope is what one request counts: one jurisdiction, or all of them.
type Scope struct {
	Code string              // a jurisdiction's code, or "all"
	One  *nrm.Jurisdiction   // the jurisdiction asked for; nil for all
	In   []*nrm.Jurisdiction // those counted
}

// Period is the quarters counted, the first first, and today in the jurisdiction.
type Period struct {
	From, To Quarter
	Quarters []Quarter
	Today    nrm.Day
}

// Decides reports whether a jurisdiction in scope makes this decision.
func (s Scope) Decides(decision string) bool {
	return slices.ContainsFunc(s.In, func(j *nrm.Jurisdiction) bool { return slices.Contains(j.Decisions(), decision) })
}

// DecisionRows lists the decisions and their outcomes the jurisdictions in scope record, as
// "rg/positive", in the order of their files.
func (s Scope) DecisionRows() []string {
	var out []string
	for _, j := range s.In {
		for _, t := range j.Transitions {
			if k := t.Decision + "/" + t.Outcome; t.Decision != "" && !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

// Codes lists the jurisdictions in scope.
func (s Scope) Codes() []string {
	out := make([]string, len(s.In))
	for i, j := range s.In {
		out[i] = j.Code
	}
	return out
}
