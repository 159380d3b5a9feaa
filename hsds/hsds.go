// Package hsds is Harbour's service directory in the Human Services Data Specification (HSDS
// 3.1, Open Referral): the official JSON shapes, Harbour's taxonomy for what HSDS has no field
// for, the import and export behind `harbour hsds`, and the mapping of the read-only /hsds/ API.
//
// It is a package of its own because HSDS is a format beside the domain, not part of it: the
// domain (package referral) knows services, organisations and capacity; this package only
// translates them to and from the specification's records, through the domain's public API, so
// validation, authorization and audit stay the domain's. It never imports echo or net/http, and
// never returns text in one language: import warnings carry a message ID and named data.
package hsds

import (
	"context"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
)

// The JSON names below are the specification's; a field the schema requires is always written,
// an optional one only when Harbour has a value. Identifiers are strings, not uuid.UUID, so that
// an import can report a malformed ID of one record instead of refusing the whole file.

// Service is an HSDS service, fully nested as /hsds/services/{id} returns it.
type Service struct {
	ID                     string              `json:"id"`
	OrganizationID         string              `json:"organization_id,omitempty"`
	Name                   string              `json:"name"`
	Description            string              `json:"description,omitempty"`
	Email                  string              `json:"email,omitempty"`
	Status                 string              `json:"status"`
	InterpretationServices string              `json:"interpretation_services,omitempty"`
	EligibilityDescription string              `json:"eligibility_description,omitempty"`
	MinimumAge             *float64            `json:"minimum_age,omitempty"`
	MaximumAge             *float64            `json:"maximum_age,omitempty"`
	LastModified           string              `json:"last_modified,omitempty"`
	Phones                 []Phone             `json:"phones"`
	Schedules              []Schedule          `json:"schedules"`
	ServiceAtLocations     []ServiceAtLocation `json:"service_at_locations"`
	Languages              []Language          `json:"languages"`
	Organization           *Organization       `json:"organization,omitempty"`
	Capacities             []ServiceCapacity   `json:"capacities"`
	Attributes             []Attribute         `json:"attributes"`
}

// Organization is an HSDS organization: the body that delivers services.
type Organization struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Description string      `json:"description"`
	Attributes  []Attribute `json:"attributes,omitempty"`
}

// ServiceAtLocation links a service to a location where it is delivered.
type ServiceAtLocation struct {
	ID          string     `json:"id"`
	ServiceID   string     `json:"service_id,omitempty"`
	LocationID  string     `json:"location_id,omitempty"`
	Description string     `json:"description,omitempty"`
	Phones      []Phone    `json:"phones,omitempty"`
	Schedules   []Schedule `json:"schedules,omitempty"`
	Location    *Location  `json:"location,omitempty"`
}

// Location is where a service is delivered. A confidential shelter's location carries no
// coordinates.
type Location struct {
	ID           string     `json:"id"`
	LocationType string     `json:"location_type"`
	Name         string     `json:"name,omitempty"`
	Description  string     `json:"description,omitempty"`
	Latitude     *float64   `json:"latitude,omitempty"`
	Longitude    *float64   `json:"longitude,omitempty"`
	Addresses    []Address  `json:"addresses,omitempty"`
	Phones       []Phone    `json:"phones,omitempty"`
	Schedules    []Schedule `json:"schedules,omitempty"`
}

// Address is a location's address. The schema requires address_1 and postal_code, so a
// confidential shelter's are written as empty strings: only its city and province are published.
type Address struct {
	ID            string `json:"id"`
	LocationID    string `json:"location_id,omitempty"`
	Address1      string `json:"address_1"`
	Address2      string `json:"address_2,omitempty"`
	City          string `json:"city"`
	Region        string `json:"region,omitempty"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

// Language is a language a service is delivered in: an ISO 639-1 or 639-3 code and its English
// name.
type Language struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	Name      string `json:"name,omitempty"`
	Code      string `json:"code,omitempty"`
	Note      string `json:"note,omitempty"`
}

// Phone is a telephone number.
type Phone struct {
	ID          string `json:"id"`
	Number      string `json:"number"`
	Type        string `json:"type,omitempty"`
	Description string `json:"description,omitempty"`
}

// Schedule is a weekly opening period in iCal terms (freq, byday, opens_at, closes_at).
type Schedule struct {
	ID          string `json:"id"`
	ServiceID   string `json:"service_id,omitempty"`
	Freq        string `json:"freq,omitempty"`
	ByDay       string `json:"byday,omitempty"`
	OpensAt     string `json:"opens_at,omitempty"`
	ClosesAt    string `json:"closes_at,omitempty"`
	Description string `json:"description,omitempty"`
}

// ServiceCapacity is how many units of a service (beds, family rooms) are free now and at most.
type ServiceCapacity struct {
	ID          string   `json:"id"`
	ServiceID   string   `json:"service_id,omitempty"`
	Unit        *Unit    `json:"unit"`
	Available   *float64 `json:"available"`
	Maximum     *float64 `json:"maximum,omitempty"`
	Description string   `json:"description,omitempty"`
	Updated     string   `json:"updated"`
}

// Unit is what a capacity is counted in.
type Unit struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Scheme     string `json:"scheme,omitempty"`
	Identifier string `json:"identifier,omitempty"`
}

// Attribute tags a record with a taxonomy term, optionally with a value.
type Attribute struct {
	ID             string        `json:"id"`
	LinkID         string        `json:"link_id,omitempty"`
	TaxonomyTermID string        `json:"taxonomy_term_id,omitempty"`
	LinkType       string        `json:"link_type,omitempty"`
	LinkEntity     string        `json:"link_entity,omitempty"`
	Value          string        `json:"value,omitempty"`
	Label          string        `json:"label,omitempty"`
	TaxonomyTerm   *TaxonomyTerm `json:"taxonomy_term,omitempty"`
}

// TaxonomyTerm is one term of a taxonomy.
type TaxonomyTerm struct {
	ID             string    `json:"id"`
	Code           string    `json:"code,omitempty"`
	Name           string    `json:"name"`
	Description    string    `json:"description"`
	ParentID       string    `json:"parent_id,omitempty"`
	Taxonomy       string    `json:"taxonomy,omitempty"`
	TaxonomyDetail *Taxonomy `json:"taxonomy_detail,omitempty"`
	Language       string    `json:"language,omitempty"`
	TaxonomyID     string    `json:"taxonomy_id,omitempty"`
}

// Taxonomy is a published list of terms.
type Taxonomy struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Version     string `json:"version,omitempty"`
}

// Directory is Harbour's service directory seen through HSDS: what partners read under /hsds/,
// and what `harbour hsds import` and `export` read and write. It keeps no state of its own.
type Directory struct {
	domain *referral.Domain
}

// New returns the HSDS view of the domain's directory.
func New(d *referral.Domain) *Directory { return &Directory{domain: d} }

// Service returns one service of the directory as a fully nested HSDS service, for
// /hsds/services/{id}. Any signed-in actor may read it. A confidential shelter's street
// address, postal code and coordinates are never in it, whoever asks: partners' directories
// are not the shelter's staff.
func (dir *Directory) Service(ctx context.Context, id uuid.UUID) (Service, error) {
	s, err := dir.domain.Service(ctx, id)
	if err != nil {
		return Service{}, err
	}
	out, err := dir.nest(ctx, []referral.Service{s})
	if err != nil {
		return Service{}, err
	}
	return out[0], nil
}

// ptr returns a pointer to a copy of v, for optional fields.
func ptr[T any](v T) *T { return &v }

// deref returns what p points to, or the zero value for nil.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
