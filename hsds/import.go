package hsds

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
)

// FallbackCountry is the country given to a new service or organisation whose HSDS address
// names no valid country, when the import options name none: Harbour's first deployments are
// Belgian. Every use is reported as a warning.
const FallbackCountry = "BE"

// noCity is the city recorded for a new service whose HSDS record has no address: Harbour
// requires a city, and a dash reads as "not known" in every language. A warning says so.
const noCity = "—"

// ImportOptions adjusts an import.
type ImportOptions struct {
	// DefaultCountry (ISO 3166-1 alpha-2) is used for new records whose address gives no valid
	// country; empty means FallbackCountry.
	DefaultCountry string
}

// ImportResult counts what an import did. Each service is imported on its own (its own
// transaction and audit event): one that cannot be imported is listed in Failures and the
// others still are.
type ImportResult struct {
	Records              int             `json:"records"`   // services in the file
	Created              int             `json:"created"`   // new services
	Updated              int             `json:"updated"`   // existing services that changed
	Unchanged            int             `json:"unchanged"` // existing services already as in the file: not written
	Failed               int             `json:"failed"`
	OrganisationsCreated int             `json:"organisations_created"`
	Warnings             []ImportWarning `json:"warnings"`
	Failures             []ImportFailure `json:"failures"`
}

// ImportFailure is a service that could not be imported, with the domain error saying why.
type ImportFailure struct {
	Record    int    `json:"record"`
	ServiceID string `json:"service_id,omitempty"`
	Err       error  `json:"-"`
}

// Import imports HSDS services with the default options; see ImportWith.
func (dir *Directory) Import(ctx context.Context, data []byte) (ImportResult, error) {
	return dir.ImportWith(ctx, data, ImportOptions{})
}

// ImportWith imports HSDS 3.1 services from data: one service object, an array of them, or an
// HSDS page whose contents are services. Services and organisations keep their HSDS ids. A new
// service is created with CreateService and an existing one changed with UpdateService (same
// validation, authorization and audit as a person editing it); a service already as in the
// file is left untouched, so importing a file twice changes nothing the second time.
//
// A record carrying Harbour's taxonomy (as Harbour's own export does) is complete: a field it
// lacks is empty. Any other record may be partial (HSDS listings leave out nested data), so on
// an existing service only the fields it carries are changed. A confidential shelter's address
// and coordinates are never cleared by an import, since exports never carry them.
//
// Odd data is adjusted with a warning rather than refused: invalid coordinates, units other
// than bed and family room, unknown language codes, ages out of range, schedules that are not
// weekly. The error is for an unreadable document or a database failure.
func (dir *Directory) ImportWith(ctx context.Context, data []byte, opts ImportOptions) (ImportResult, error) {
	res := ImportResult{Warnings: []ImportWarning{}, Failures: []ImportFailure{}}
	if referral.ActorFrom(ctx).IsZero() {
		return res, referral.ErrUnauthenticated
	}
	if opts.DefaultCountry != "" && countryOf(opts.DefaultCountry) == "" {
		return res, invalid("country", "error.organisation.country")
	}
	records, err := records(data)
	if err != nil {
		return res, err
	}
	res.Records = len(records)
	for i, raw := range records {
		imp := &importer{domain: dir.domain, ctx: ctx, opts: opts, res: &res, record: i}
		outcome, err := imp.run(raw)
		var de *referral.Error
		switch {
		case errors.As(err, &de):
			res.Failed++
			res.Failures = append(res.Failures, ImportFailure{Record: i, ServiceID: imp.serviceID, Err: err})
		case err != nil:
			return res, err
		case outcome == created:
			res.Created++
		case outcome == updated:
			res.Updated++
		default:
			res.Unchanged++
		}
	}
	return res, nil
}

// invalid is the domain's invalid-input error naming one field.
func invalid(field, messageID string) error {
	var p referral.Problems
	p.Add(field, messageID, nil)
	return p.Err()
}

// records splits a document into its service records.
func records(data []byte) ([]json.RawMessage, error) {
	data = bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if !json.Valid(data) {
		return nil, referral.Errorf(referral.CodeInvalid, "error.body.json", nil)
	}
	switch data[0] {
	case '[':
		var list []json.RawMessage
		err := json.Unmarshal(data, &list)
		return list, err
	case '{':
		var page struct {
			Contents []json.RawMessage `json:"contents"`
		}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(data, &keys); err != nil {
			return nil, err
		}
		if _, isPage := keys["contents"]; isPage {
			if err := json.Unmarshal(data, &page); err != nil {
				return nil, invalid("contents", "error.field.type")
			}
			return page.Contents, nil
		}
		return []json.RawMessage{data}, nil
	}
	return nil, referral.Errorf(referral.CodeInvalid, "error.body.json", nil)
}

// outcome is what the import of one record did.
type outcome int

const (
	unchanged outcome = iota
	created
	updated
)

// importer is the import of one record.
type importer struct {
	domain    *referral.Domain
	ctx       context.Context
	opts      ImportOptions
	res       *ImportResult
	record    int
	serviceID string
}

// run imports one record.
func (imp *importer) run(raw json.RawMessage) (outcome, error) {
	var h Service
	var present map[string]json.RawMessage
	if err := json.Unmarshal(raw, &present); err != nil {
		return 0, invalid("service", "error.field.type")
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		field := "service"
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			field = te.Field
		}
		return 0, invalid(field, "error.field.type")
	}
	imp.serviceID = strings.TrimSpace(h.ID)
	if imp.serviceID == "" {
		return 0, invalid("id", "error.field.required")
	}
	id, err := uuid.Parse(imp.serviceID)
	if err != nil {
		id = uuid.NewSHA1(TaxonomyID, []byte("service/"+imp.serviceID))
		imp.warn("id", warnIDDerived, map[string]any{"ID": id.String()})
	}
	imp.serviceID = id.String()

	// Those who may update the service read it whole: only a confidential shelter's address is
	// hidden, and only from others, who are refused below before it matters.
	var existing *referral.Service
	if s, err := imp.domain.Service(imp.ctx, id); err == nil {
		existing = &s
	} else if err != referral.ErrNotFound {
		return 0, err
	}
	creating := existing == nil

	tags, others := readTags(h.Attributes)
	if others > 0 {
		imp.warn("attributes", warnAttributes, map[string]any{"Count": others})
	}
	// A record tagged with Harbour's taxonomy came from a Harbour export: it is complete.
	complete := creating || len(tags.codes) > 0
	has := func(key string) bool {
		_, ok := present[key]
		return complete || ok
	}

	loc := imp.pickLocation(h)
	org, err := imp.organisation(h, existing, loc)
	if err != nil {
		return 0, err
	}

	in := referral.ServiceInput{ID: id}
	category := imp.category(tags, creating, &in)
	if category == "" {
		category = existing.Category
	}
	in.Name = ptr(imp.text("name", h.Name, 200))
	if has("description") {
		in.Description = ptr(imp.text("description", h.Description, 4000))
	}
	if has("eligibility_description") {
		in.Conditions = ptr(imp.text("eligibility_description", h.EligibilityDescription, 2000))
	}
	if has("email") {
		imp.email(h.Email, creating, &in)
	}
	if has("status") {
		imp.status(h.Status, &in)
	}
	imp.ages(h, has, &in)
	if has("languages") {
		in.Languages = ptr(imp.languages(h.Languages))
	}
	imp.flags(h, tags, has, category, &in)
	imp.phone(h, has, &in)
	imp.schedules(h, has, &in)
	confidential := (in.Confidential != nil && *in.Confidential) || (in.Confidential == nil && existing != nil && existing.Confidential)
	imp.locate(loc, creating, complete, confidential, org, &in)
	if has("capacities") {
		imp.capacities(h.Capacities, complete, category, &in)
	}

	if creating {
		in.OrganisationID = org.ID
		if _, _, err := imp.domain.CreateService(imp.ctx, in); err != nil {
			return 0, err
		}
		return created, nil
	}
	// Only those who may edit the service learn that it is already as in the file.
	if err := referral.Authorize(referral.ActorFrom(imp.ctx), referral.ActServiceUpdate,
		referral.Target{OrganisationID: existing.OrganisationID}); err != nil {
		return 0, err
	}
	if candidate, err := in.Applied(*existing); err == nil && sameService(*existing, candidate) {
		return unchanged, nil
	}
	if _, err := imp.domain.UpdateService(imp.ctx, id, in); err != nil {
		return 0, err
	}
	return updated, nil
}

// sameService reports whether an update would change nothing: timestamps aside, with empty and
// missing lists alike and a zero capacity the same as none.
func sameService(a, b referral.Service) bool {
	norm := func(s referral.Service) referral.Service {
		s.CreatedAt, s.UpdatedAt, s.AddressHidden = time.Time{}, time.Time{}, false
		capacity := map[referral.Unit]int{}
		for u, n := range s.Capacity {
			if n != 0 {
				capacity[u] = n
			}
		}
		s.Capacity = capacity
		for _, l := range []*[]string{&s.Languages, &s.Genders, &s.ExploitationTypes} {
			if *l == nil {
				*l = []string{}
			}
		}
		if s.OpeningHours == nil {
			s.OpeningHours = []referral.OpeningHours{}
		}
		if s.NameI18n == nil {
			s.NameI18n = referral.Texts{}
		}
		if s.DescriptionI18n == nil {
			s.DescriptionI18n = referral.Texts{}
		}
		return s
	}
	return reflect.DeepEqual(norm(a), norm(b))
}
