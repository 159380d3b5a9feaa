package hsds

import (
	"strings"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
)

// organisation finds or creates the service's organisation. An existing service stays with
// its organisation. A new one goes to the organisation with the record's organization id, or
// of the same name; failing both, the organisation is created with that id: kind from
// Harbour's tag (else NGO), country from the service's address (else the fallback), and the
// country's time zone (else UTC). Existing organisations are left as they are.
func (imp *importer) organisation(h Service, existing *referral.Service, p place) (referral.Organisation, error) {
	rawID := strings.TrimSpace(h.OrganizationID)
	if h.Organization != nil && strings.TrimSpace(h.Organization.ID) != "" {
		rawID = strings.TrimSpace(h.Organization.ID)
	}
	orgID := uuid.Nil
	if rawID != "" {
		var err error
		if orgID, err = uuid.Parse(rawID); err != nil {
			orgID = uuid.NewSHA1(TaxonomyID, []byte("organization/"+rawID))
			imp.warn("organization.id", warnIDDerived, map[string]any{"ID": orgID.String()})
		}
	}
	if existing != nil {
		// Only the ID matters here: the service's address already has its country.
		if orgID != uuid.Nil && orgID != existing.OrganisationID {
			imp.warn("organization.id", warnOrgKept, map[string]any{"Organisation": existing.OrganisationID.String()})
		}
		return referral.Organisation{ID: existing.OrganisationID}, nil
	}
	if orgID != uuid.Nil {
		o, found, err := imp.domain.OrganisationForImport(imp.ctx, orgID, "")
		if err != nil || found {
			return o, err
		}
	}
	if h.Organization == nil || strings.TrimSpace(h.Organization.Name) == "" {
		return referral.Organisation{}, invalid("organization", "error.user.organisation")
	}
	name := imp.text("organization.name", h.Organization.Name, 200)
	o, found, err := imp.domain.OrganisationForImport(imp.ctx, uuid.Nil, name)
	if err != nil {
		return o, err
	}
	if found {
		imp.warn("organization.name", warnOrgByName, map[string]any{"Organisation": o.ID.String()})
		return o, nil
	}
	kind := referral.KindNGO
	tags, _ := readTags(h.Organization.Attributes)
	if kinds := tags.values(groupKind); len(kinds) > 0 {
		kind = referral.OrganisationKind(kinds[0])
	}
	country := p.country()
	if country == "" {
		country = countryOf(imp.opts.DefaultCountry)
		if country == "" {
			country = FallbackCountry
		}
		imp.warnCountry("organization", "", country)
	}
	zone := referral.DefaultTimeZone(country)
	if zone == "" {
		zone = "UTC"
		imp.warn("organization", warnTimeZone, map[string]any{"Country": country})
	}
	o, made, err := imp.domain.CreateOrganisation(imp.ctx, referral.OrganisationInput{ID: orgID, Name: &name, Kind: &kind,
		Country: &country, TimeZone: &zone})
	if made {
		imp.res.OrganisationsCreated++
	}
	return o, err
}
