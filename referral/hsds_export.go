package referral

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"gorm.io/gorm"
)

// HSDSService returns one service of the directory as a fully nested HSDS service, for
// /hsds/services/{id}. Any signed-in actor may read it. A confidential shelter's street
// address, postal code and coordinates are never in it, whoever asks: partners' directories
// are not the shelter's staff.
func (d *Domain) HSDSService(ctx context.Context, id uuid.UUID) (HSDSService, error) {
	s, err := d.Service(ctx, id)
	if err != nil {
		return HSDSService{}, err
	}
	out, err := d.toHSDS(ctx, []Service{s})
	if err != nil {
		return HSDSService{}, err
	}
	return out[0], nil
}

// HSDSServices returns page `page` (from 1) of the directory's services, `size` to a page
// (HSDSDefaultPageSize when 0, at most HSDSMaxPageSize), fully nested, in ID order, for
// /hsds/services. Inactive services are included with their status.
func (d *Domain) HSDSServices(ctx context.Context, page, size int) (HSDSPage[HSDSService], error) {
	if err := Authorize(ActorFrom(ctx), ActServiceRead, Target{}); err != nil {
		return HSDSPage[HSDSService]{}, err
	}
	page, size = hsdsPaging(page, size)
	db := d.db.WithContext(ctx)
	var total int64
	if err := db.Model(&Service{}).Count(&total).Error; err != nil {
		return HSDSPage[HSDSService]{}, err
	}
	var contents []HSDSService
	if offset, ok := hsdsOffset(page, size, total); ok {
		// ListServices pages by cursor (it authorizes and redacts); the cursor for an offset is
		// the ID just before it.
		var after uuid.UUID
		if offset > 0 {
			var ids []uuid.UUID
			if err := db.Model(&Service{}).Order("id").Offset(offset-1).Limit(1).Pluck("id", &ids).Error; err != nil {
				return HSDSPage[HSDSService]{}, err
			}
			if len(ids) == 0 {
				return newHSDSPage(contents, total, page, size), nil
			}
			after = ids[0]
		}
		services, err := d.ListServices(ctx, ServiceFilter{After: after, Limit: size})
		if err != nil {
			return HSDSPage[HSDSService]{}, err
		}
		if contents, err = d.toHSDS(ctx, services); err != nil {
			return HSDSPage[HSDSService]{}, err
		}
	}
	return newHSDSPage(contents, total, page, size), nil
}

// HSDSOrganizations returns page `page` of the organisations that run at least one service,
// in ID order, for /hsds/organizations. Organisations without services (police units, the
// competent authority) are not part of the directory and are not listed.
func (d *Domain) HSDSOrganizations(ctx context.Context, page, size int) (HSDSPage[HSDSOrganization], error) {
	if err := Authorize(ActorFrom(ctx), ActServiceRead, Target{}); err != nil {
		return HSDSPage[HSDSOrganization]{}, err
	}
	page, size = hsdsPaging(page, size)
	db := d.db.WithContext(ctx)
	var total int64
	if err := hsdsDirectoryOrgs(db).Count(&total).Error; err != nil {
		return HSDSPage[HSDSOrganization]{}, err
	}
	var orgs []Organisation
	if offset, ok := hsdsOffset(page, size, total); ok {
		if err := hsdsDirectoryOrgs(db).Order("id").Offset(offset).Limit(size).Find(&orgs).Error; err != nil {
			return HSDSPage[HSDSOrganization]{}, err
		}
	}
	contents, err := hsdsOrganisations(db, orgs)
	if err != nil {
		return HSDSPage[HSDSOrganization]{}, err
	}
	return newHSDSPage(contents, total, page, size), nil
}

// HSDSOrganization returns one organisation of the directory, for /hsds/organizations/{id};
// an organisation that runs no service is not found.
func (d *Domain) HSDSOrganization(ctx context.Context, id uuid.UUID) (HSDSOrganization, error) {
	if err := Authorize(ActorFrom(ctx), ActServiceRead, Target{}); err != nil {
		return HSDSOrganization{}, err
	}
	db := d.db.WithContext(ctx)
	var orgs []Organisation
	if err := hsdsDirectoryOrgs(db).Where("id = ?", id).Find(&orgs).Error; err != nil {
		return HSDSOrganization{}, err
	}
	if len(orgs) == 0 {
		return HSDSOrganization{}, ErrNotFound
	}
	out, err := hsdsOrganisations(db, orgs)
	if err != nil {
		return HSDSOrganization{}, err
	}
	return out[0], nil
}

// HSDSExportCounts says how much an export wrote.
type HSDSExportCounts struct {
	Services      int `json:"services"`
	Organizations int `json:"organizations"`
	TaxonomyTerms int `json:"taxonomy_terms"`
}

// Files an export writes.
const (
	HSDSServicesFile      = "services.json"
	HSDSOrganizationsFile = "organizations.json"
	HSDSTaxonomyFile      = "taxonomy.json"
)

// ExportHSDS writes the whole directory to dir: services.json (an array of fully nested
// services, as HSDSService returns them), organizations.json (an array of the organisations
// running them) and taxonomy.json (Harbour's taxonomy, its terms and units). Each file is
// written to a temporary name and renamed, so a reader never sees half a file.
func (d *Domain) ExportHSDS(ctx context.Context, dir string) (HSDSExportCounts, error) {
	var counts HSDSExportCounts
	if err := Authorize(ActorFrom(ctx), ActServiceRead, Target{}); err != nil {
		return counts, err
	}
	services := []HSDSService{}
	for after := uuid.Nil; ; {
		batch, err := d.ListServices(ctx, ServiceFilter{After: after, Limit: HSDSMaxPageSize})
		if err != nil {
			return counts, err
		}
		mapped, err := d.toHSDS(ctx, batch)
		if err != nil {
			return counts, err
		}
		services = append(services, mapped...)
		if len(batch) < HSDSMaxPageSize {
			break
		}
		after = batch[len(batch)-1].ID
	}
	db := d.db.WithContext(ctx)
	var orgs []Organisation
	if err := hsdsDirectoryOrgs(db).Order("id").Find(&orgs).Error; err != nil {
		return counts, err
	}
	organizations, err := hsdsOrganisations(db, orgs)
	if err != nil {
		return counts, err
	}
	if organizations == nil {
		organizations = []HSDSOrganization{}
	}
	taxonomy := HSDSTaxonomyExport()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return counts, err
	}
	for name, v := range map[string]any{HSDSServicesFile: services, HSDSOrganizationsFile: organizations, HSDSTaxonomyFile: taxonomy} {
		if err := hsdsWriteFile(filepath.Join(dir, name), v); err != nil {
			return counts, err
		}
	}
	return HSDSExportCounts{Services: len(services), Organizations: len(organizations), TaxonomyTerms: len(taxonomy.TaxonomyTerms)}, nil
}

// hsdsWriteFile writes v as indented JSON (with <, > and & as they are) through a temporary file.
func hsdsWriteFile(path string, v any) error {
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

// hsdsDirectoryOrgs selects the organisations that run at least one service.
func hsdsDirectoryOrgs(db *gorm.DB) *gorm.DB {
	return db.Model(&Organisation{}).Where("EXISTS (SELECT 1 FROM services s WHERE s.organisation_id = organisations.id)")
}

// hsdsOrg is an organisation as the mapping needs it: published, and its time zone for
// opening hours.
type hsdsOrg struct {
	published HSDSOrganization
	zone      *time.Location
}

// toHSDS maps services (already authorized and, for people, redacted) to HSDS with their
// organisations and the beds free now.
func (d *Domain) toHSDS(ctx context.Context, services []Service) ([]HSDSService, error) {
	out := make([]HSDSService, 0, len(services))
	if len(services) == 0 {
		return out, nil
	}
	db := d.db.WithContext(ctx)
	now := d.Now()
	var orgIDs, ids []uuid.UUID
	for _, s := range services {
		ids = append(ids, s.ID)
		if !slices.Contains(orgIDs, s.OrganisationID) {
			orgIDs = append(orgIDs, s.OrganisationID)
		}
	}
	var orgs []Organisation
	if err := db.Where("id IN ?", orgIDs).Find(&orgs).Error; err != nil {
		return nil, err
	}
	published, err := hsdsOrganisations(db, orgs)
	if err != nil {
		return nil, err
	}
	byID := map[uuid.UUID]hsdsOrg{}
	for i, o := range orgs {
		byID[o.ID] = hsdsOrg{published: published[i], zone: o.Location()}
	}
	used, err := hsdsUsedCapacities(db, ids, now)
	if err != nil {
		return nil, err
	}
	for _, s := range services {
		out = append(out, hsdsFromService(s, byID[s.OrganisationID], used[s.ID], now))
	}
	return out, nil
}

// hsdsUsedCapacities returns, by service and unit, what is not free: the places taken by people
// staying (the counters that holds and matching read too) and those held by open holds.
func hsdsUsedCapacities(db *gorm.DB, ids []uuid.UUID, now time.Time) (map[uuid.UUID]map[Unit]int, error) {
	var rows []struct {
		ServiceID uuid.UUID
		Unit      Unit
		Used      int
	}
	err := db.Raw(`SELECT c.service_id, c.unit, c.placed + (SELECT COALESCE(sum(h.places), 0) FROM holds h
			WHERE h.service_id = c.service_id AND h.unit = c.unit AND h.status IN ('active', 'confirmed') AND h.expires_at > ?) AS used
		FROM service_capacity c WHERE c.service_id IN ?`, now, ids).Scan(&rows).Error
	out := map[uuid.UUID]map[Unit]int{}
	for _, r := range rows {
		if out[r.ServiceID] == nil {
			out[r.ServiceID] = map[Unit]int{}
		}
		out[r.ServiceID][r.Unit] = r.Used
	}
	return out, err
}

// hsdsOrganisations publishes organisations, in the order given, each described in English
// by its kind and the cities of its services.
func hsdsOrganisations(db *gorm.DB, orgs []Organisation) ([]HSDSOrganization, error) {
	if len(orgs) == 0 {
		return nil, nil
	}
	ids := make([]uuid.UUID, len(orgs))
	for i, o := range orgs {
		ids[i] = o.ID
	}
	var rows []struct {
		OrganisationID uuid.UUID
		City           string
	}
	if err := db.Raw(`SELECT DISTINCT organisation_id, city FROM services WHERE organisation_id IN ? ORDER BY 1, 2`, ids).
		Scan(&rows).Error; err != nil {
		return nil, err
	}
	cities := map[uuid.UUID][]string{}
	for _, r := range rows {
		cities[r.OrganisationID] = append(cities[r.OrganisationID], r.City)
	}
	out := make([]HSDSOrganization, len(orgs))
	for i, o := range orgs {
		out[i] = HSDSOrganization{ID: o.ID.String(), Name: o.Name, Description: hsdsOrgDescription(o, cities[o.ID]),
			Attributes: []HSDSAttribute{hsdsAttribute(o.ID, "organization", hsdsTermKind+"/"+string(o.Kind), "", "")}}
	}
	return out, nil
}

// hsdsOrgDescription is the description HSDS requires, e.g. "Shelter in Brussels, BE".
func hsdsOrgDescription(o Organisation, cities []string) string {
	kind := hsdsKindNames[o.Kind]
	if kind == "" {
		kind = hsdsKindNames[KindOther]
	}
	switch n := len(cities); {
	case n == 0:
		return fmt.Sprintf("%s in %s", kind, o.Country)
	case n > 3:
		cities = append(cities[:3:3], fmt.Sprintf("%d other cities", n-3))
	}
	places := cities[0]
	if n := len(cities); n > 1 {
		places = strings.Join(cities[:n-1], ", ") + " and " + cities[n-1]
	}
	return fmt.Sprintf("%s in %s, %s", kind, places, o.Country)
}

// hsdsID derives the ID of a record nested in a Harbour record (its location, address,
// languages, …): the same on every export, so partners can follow them between exports.
func hsdsID(base uuid.UUID, name string) string { return uuid.NewSHA1(base, []byte(name)).String() }

// hsdsTime writes a time as HSDS date-times are written, with milliseconds.
func hsdsTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

// hsdsDays are the iCal weekdays, Monday (Harbour's day 1) first.
var hsdsDays = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

// Harbour's text for the HSDS fields that are free text for people to read.
const (
	hsdsInterpreterText  = "An interpreter can be arranged for languages the staff do not speak."
	hsdsConfidentialText = "Confidential address: only the city and province are published. The shelter gives the address to a referrer once it confirms a bed hold."
	hsdsAlwaysOpenText   = "Open 24 hours a day, every day."
)

// hsdsFromService maps one service. A confidential shelter's street address, postal code and
// coordinates are left out here, whatever the reader could see in Harbour: the rule lives in
// the mapping, so no caller can forget it.
func hsdsFromService(s Service, org hsdsOrg, used map[Unit]int, now time.Time) HSDSService {
	id := s.ID.String()
	orgPublished := org.published
	h := HSDSService{
		ID: id, OrganizationID: s.OrganisationID.String(), Name: s.Name, Description: s.Description, Email: s.Email,
		Status: hsdsStatus(s), EligibilityDescription: s.Conditions, LastModified: hsdsTime(s.UpdatedAt),
		Organization: &orgPublished,
		Phones:       []HSDSPhone{}, Languages: []HSDSLanguage{}, Capacities: []HSDSServiceCapacity{},
	}
	if s.Interpreter {
		h.InterpretationServices = hsdsInterpreterText
	}
	if s.MinAge != nil {
		h.MinimumAge = ptr(float64(*s.MinAge))
	}
	if s.MaxAge != nil {
		h.MaximumAge = ptr(float64(*s.MaxAge))
	}
	if s.Phone != "" {
		h.Phones = append(h.Phones, HSDSPhone{ID: hsdsID(s.ID, "phone"), Number: s.Phone})
	}
	zone := org.zone
	if zone == nil {
		zone = time.UTC
	}
	h.Schedules = hsdsSchedules(s, zone, now)
	h.ServiceAtLocations = []HSDSServiceAtLocation{hsdsLocation(s)}
	for _, code := range s.Languages {
		h.Languages = append(h.Languages, HSDSLanguage{ID: hsdsID(s.ID, "language/"+code), ServiceID: id,
			Code: code, Name: hsdsLanguageName(code)})
	}
	for _, unit := range Units {
		total, ok := s.Capacity[unit]
		if !ok {
			continue
		}
		u := HSDSUnitOf(unit)
		h.Capacities = append(h.Capacities, HSDSServiceCapacity{ID: hsdsID(s.ID, "capacity/"+string(unit)), ServiceID: id,
			Unit: &u, Available: ptr(float64(max(total-used[unit], 0))), Maximum: ptr(float64(total)),
			Updated: hsdsTime(now)})
	}
	h.Attributes = hsdsServiceAttributes(s)
	return h
}

// hsdsStatus tells partners whether to send people: a service not accepting referrals for now
// is "temporarily closed".
func hsdsStatus(s Service) string {
	switch {
	case !s.Active:
		return "inactive"
	case !s.Accepting:
		return "temporarily closed"
	}
	return "active"
}

// hsdsLocation is the one place a Harbour service is delivered.
func hsdsLocation(s Service) HSDSServiceAtLocation {
	loc := HSDSLocation{ID: hsdsID(s.ID, "location"), LocationType: "physical"}
	addr := HSDSAddress{ID: hsdsID(s.ID, "address"), LocationID: loc.ID, City: s.City, StateProvince: s.Region,
		Country: s.Country, AddressType: "physical"}
	if s.Confidential {
		loc.Description = hsdsConfidentialText
	} else {
		addr.Address1, addr.PostalCode = s.Address, s.PostalCode
		if s.Latitude != nil && s.Longitude != nil {
			loc.Latitude, loc.Longitude = ptr(*s.Latitude), ptr(*s.Longitude)
		}
	}
	loc.Addresses = []HSDSAddress{addr}
	return HSDSServiceAtLocation{ID: hsdsID(s.ID, "service_at_location"), ServiceID: s.ID.String(), LocationID: loc.ID, Location: &loc}
}

// hsdsSchedules writes opening hours as weekly schedules, one per distinct period with the
// days it applies to. Times carry the organisation's UTC offset now, as HSDS asks; the
// description names the time zone, since the offset changes with summer time.
func hsdsSchedules(s Service, zone *time.Location, now time.Time) []HSDSSchedule {
	offset := now.In(zone).Format("Z07:00")
	if s.OpenAlways {
		return []HSDSSchedule{{ID: hsdsID(s.ID, "schedule/always"), ServiceID: s.ID.String(), Freq: "WEEKLY",
			ByDay: strings.Join(hsdsDays, ","), OpensAt: "00:00" + offset, ClosesAt: "23:59" + offset, Description: hsdsAlwaysOpenText}}
	}
	type period struct{ opens, closes string }
	var order []period
	days := map[period][]string{}
	for _, oh := range s.OpeningHours {
		p := period{oh.Opens, oh.Closes}
		if _, ok := days[p]; !ok {
			order = append(order, p)
		}
		days[p] = append(days[p], hsdsDays[oh.Day-1])
	}
	out := []HSDSSchedule{}
	for _, p := range order {
		text := "Local time, " + zone.String() + "."
		if p.closes <= p.opens {
			text = "Closes the next day. " + text
		}
		out = append(out, HSDSSchedule{ID: hsdsID(s.ID, "schedule/"+p.opens+"-"+p.closes), ServiceID: s.ID.String(),
			Freq: "WEEKLY", ByDay: strings.Join(days[p], ","), OpensAt: p.opens + offset, ClosesAt: p.closes + offset,
			Description: text})
	}
	return out
}

// hsdsServiceAttributes tags a service with Harbour's terms: its category, then who it serves,
// what it offers, and its translations.
func hsdsServiceAttributes(s Service) []HSDSAttribute {
	tag := func(code, value, label string) HSDSAttribute {
		return hsdsAttribute(s.ID, "service", code, value, label)
	}
	out := []HSDSAttribute{tag(hsdsTermCategory+"/"+string(s.Category), "", "")}
	flag := func(on bool, code string) {
		if on {
			out = append(out, tag(code, "", ""))
		}
	}
	for _, g := range s.Genders {
		out = append(out, tag(hsdsTermGender+"/"+g, "", ""))
	}
	flag(s.AcceptsMinors, hsdsTermAcceptsMinors)
	flag(s.AcceptsChildren, hsdsTermAcceptsChildren)
	for _, e := range s.ExploitationTypes {
		out = append(out, tag(hsdsTermExploitation+"/"+e, "", ""))
	}
	flag(s.Interpreter, hsdsTermInterpreter)
	flag(s.Confidential, hsdsTermConfidential)
	for _, tr := range []struct {
		code  string
		texts Texts
	}{{hsdsTermNameI18n, s.NameI18n}, {hsdsTermDescriptionI18n, s.DescriptionI18n}} {
		for _, lang := range slices.Sorted(maps.Keys(tr.texts)) {
			out = append(out, tag(tr.code, tr.texts[lang], lang))
		}
	}
	return out
}

// hsdsAttribute links a record to one of Harbour's terms, nesting the term so a reader
// without taxonomy.json still sees what it means.
func hsdsAttribute(link uuid.UUID, entity, code, value, label string) HSDSAttribute {
	term := hsdsTermsByID[hsdsTermID(code).String()].published()
	group, _, _ := strings.Cut(code, "/")
	return HSDSAttribute{ID: hsdsID(link, "attribute/"+code+"/"+label), LinkID: link.String(), TaxonomyTermID: term.ID,
		LinkType: group, LinkEntity: entity, Value: value, Label: label, TaxonomyTerm: &term}
}

// hsdsLanguageNames are English names for the Chinese varieties Harbour records apart, which
// x/text would all call "Chinese".
var hsdsLanguageNames = map[string]string{"cmn": "Mandarin Chinese", "wuu": "Wu Chinese (Wenzhounese, Qingtian)",
	"nan": "Southern Min Chinese (Hokkien)", "cdo": "Eastern Min Chinese (Fuzhou)", "yue": "Cantonese"}

// hsdsLanguageName returns the English name of a language code, or the code when unknown.
func hsdsLanguageName(code string) string {
	if n := hsdsLanguageNames[code]; n != "" {
		return n
	}
	if tag, err := language.Parse(code); err == nil {
		if n := display.English.Languages().Name(tag); n != "" {
			return n
		}
	}
	return code
}
