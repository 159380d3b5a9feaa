package hsds

import (
	"slices"
	"strings"
)

// tagSet is the record's attributes from Harbour's taxonomy, by term code, in order.
type tagSet struct {
	codes []string
	attrs map[string][]Attribute
}

// has reports whether the record is tagged with the term.
func (t tagSet) has(code string) bool { return len(t.attrs[code]) > 0 }

// values returns the values of the tags of one group ("gender" → ["female"]), in order.
func (t tagSet) values(group string) []string {
	out := []string{}
	for _, code := range t.codes {
		if g, v, ok := strings.Cut(code, "/"); ok && g == group && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// readTags sorts attributes into Harbour's and the others. A term is Harbour's by its fixed ID,
// or by its code when the term names Harbour's taxonomy.
func readTags(attrs []Attribute) (tags tagSet, others int) {
	tags.attrs = map[string][]Attribute{}
	for _, a := range attrs {
		t, ok := harbourTerm(a)
		if !ok {
			others++
			continue
		}
		if !tags.has(t.code) {
			tags.codes = append(tags.codes, t.code)
		}
		tags.attrs[t.code] = append(tags.attrs[t.code], a)
	}
	return tags, others
}

// harbourTerm returns the term of Harbour's taxonomy an attribute tags with, if any.
func harbourTerm(a Attribute) (term, bool) {
	ids := []string{a.TaxonomyTermID}
	if a.TaxonomyTerm != nil {
		ids = append(ids, a.TaxonomyTerm.ID)
	}
	for _, id := range ids {
		if t, ok := termsByID[strings.ToLower(strings.TrimSpace(id))]; ok {
			return t, true
		}
	}
	if tt := a.TaxonomyTerm; tt != nil && tt.Code != "" {
		ours := strings.EqualFold(tt.TaxonomyID, TaxonomyID.String()) ||
			(tt.TaxonomyDetail != nil && strings.EqualFold(tt.TaxonomyDetail.ID, TaxonomyID.String()))
		if t, ok := termsByID[termID(tt.Code).String()]; ours && ok {
			return t, true
		}
	}
	return term{}, false
}
