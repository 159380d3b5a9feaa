package hsds

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
)

// ExportCounts says how much an export wrote.
type ExportCounts struct {
	Services      int `json:"services"`
	Organizations int `json:"organizations"`
	TaxonomyTerms int `json:"taxonomy_terms"`
}

// Files an export writes.
const (
	ServicesFile      = "services.json"
	OrganizationsFile = "organizations.json"
	TaxonomyFile      = "taxonomy.json"
)

// Export writes the whole directory to folder: services.json (an array of fully nested
// services, as Service returns them), organizations.json (an array of the organisations running
// them) and taxonomy.json (Harbour's taxonomy, its terms and units). Each file is written to a
// temporary name and renamed, so a reader never sees half a file.
func (dir *Directory) Export(ctx context.Context, folder string) (ExportCounts, error) {
	var counts ExportCounts
	if err := referral.Authorize(referral.ActorFrom(ctx), referral.ActServiceRead, referral.Target{}); err != nil {
		return counts, err
	}
	services := []Service{}
	for after := uuid.Nil; ; {
		batch, err := dir.domain.ListServices(ctx, referral.ServiceFilter{After: after, Limit: MaxPageSize})
		if err != nil {
			return counts, err
		}
		nested, err := dir.nest(ctx, batch)
		if err != nil {
			return counts, err
		}
		services = append(services, nested...)
		if len(batch) < MaxPageSize {
			break
		}
		after = batch[len(batch)-1].ID
	}
	providers, err := dir.domain.Providers(ctx, referral.ProviderFilter{})
	if err != nil {
		return counts, err
	}
	organizations := organizations(providers)
	taxonomy := TaxonomyExport()
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return counts, err
	}
	for name, v := range map[string]any{ServicesFile: services, OrganizationsFile: organizations, TaxonomyFile: taxonomy} {
		if err := writeFile(filepath.Join(folder, name), v); err != nil {
			return counts, err
		}
	}
	return ExportCounts{Services: len(services), Organizations: len(organizations), TaxonomyTerms: len(taxonomy.TaxonomyTerms)}, nil
}

// writeFile writes v as indented JSON (with <, > and & as they are) through a temporary file.
func writeFile(path string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// provider is an organisation as the mapping needs it: published, and its time zone for
// opening hours.
type provider struct {
	published Organization
	zone      *time.Location
}

// nest maps services (already authorized and, for people, redacted) to HSDS with their
// organisations and the places free now.
func (dir *Directory) nest(ctx context.Context, services []referral.Service) ([]Service, error) {
	out := make([]Service, 0, len(services))
	if len(services) == 0 {
		return out, nil
	}
	now := dir.domain.Now()
	var orgIDs, ids []uuid.UUID
	for _, s := range services {
		ids = append(ids, s.ID)
		if !slices.Contains(orgIDs, s.OrganisationID) {
			orgIDs = append(orgIDs, s.OrganisationID)
		}
	}
	providers, err := dir.domain.Providers(ctx, referral.ProviderFilter{IDs: orgIDs})
	if err != nil {
		return nil, err
	}
	published := organizations(providers)
	byID := map[uuid.UUID]provider{}
	for i, p := range providers {
		byID[p.ID] = provider{published: published[i], zone: p.Location()}
	}
	used, err := dir.domain.PlacesInUse(ctx, ids, now)
	if err != nil {
		return nil, err
	}
	for _, s := range services {
		out = append(out, fromService(s, byID[s.OrganisationID], used[s.ID], now))
	}
	return out, nil
}

// organizations publishes organisations, in the order given, each described in English by its
// kind and the cities of its services.
func organizations(providers []referral.Provider) []Organization {
	out := make([]Organization, len(providers))
	for i, p := range providers {
		out[i] = Organization{ID: p.ID.String(), Name: p.Name, Description: orgDescription(p),
			Attributes: []Attribute{attribute(p.ID, "organization", groupKind+"/"+string(p.Kind), "", "")}}
	}
	return out
}

// orgDescription is the description HSDS requires, e.g. "Shelter in Brussels, BE".
func orgDescription(p referral.Provider) string {
	kind := kindNames[p.Kind]
	if kind == "" {
		kind = kindNames[referral.KindOther]
	}
	cities := p.Cities
	switch n := len(cities); {
	case n == 0:
		return fmt.Sprintf("%s in %s", kind, p.Country)
	case n > 3:
		cities = append(cities[:3:3], fmt.Sprintf("%d other cities", n-3))
	}
	places := cities[0]
	if n := len(cities); n > 1 {
		places = strings.Join(cities[:n-1], ", ") + " and " + cities[n-1]
	}
	return fmt.Sprintf("%s in %s, %s", kind, places, p.Country)
}
