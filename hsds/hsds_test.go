package hsds_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/hsds"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The official HSDS schemas and examples, copied into testdata (see its README) because CI
// clones only this repository.
const hsdsFiles = "testdata"

var schemas struct {
	sync.Mutex
	compiled map[string]*jsonschema.Schema
}

// hsdsSchema compiles an official schema (a path under testdata, optionally with a
// #fragment), asserting formats (uuid, date-time, email, uri) too.
func hsdsSchema(t *testing.T, loc string) *jsonschema.Schema {
	t.Helper()
	schemas.Lock()
	defer schemas.Unlock()
	if s := schemas.compiled[loc]; s != nil {
		return s
	}
	path, fragment, _ := strings.Cut(loc, "#")
	abs, err := filepath.Abs(filepath.Join(hsdsFiles, path))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	url := abs
	if fragment != "" {
		url += "#" + fragment
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatalf("compile %s: %v", loc, err)
	}
	if schemas.compiled == nil {
		schemas.compiled = map[string]*jsonschema.Schema{}
	}
	schemas.compiled[loc] = s
	return s
}

// validate checks a JSON document against an official schema.
func validate(t *testing.T, loc string, doc []byte, what string) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := hsdsSchema(t, loc).Validate(inst); err != nil {
		t.Errorf("%s does not validate against %s:\n%v\n%s", what, loc, err, doc)
	}
}

// validateEach validates every element of a JSON array.
func validateEach(t *testing.T, loc string, array []byte, what string) int {
	t.Helper()
	var items []json.RawMessage
	if err := json.Unmarshal(array, &items); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	for i, item := range items {
		validate(t, loc, item, fmt.Sprintf("%s[%d]", what, i))
	}
	return len(items)
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	serviceSchema      = "schema/compiled/service_with_definitions.json"
	serviceListSchema  = "schema/compiled/service_list.json"
	organizationSchema = "schema/organization.json"
	pageSchema         = "schema/openapi.json#/components/schemas/Page"
)

// hsdsWorld is the directory of the HSDS tests: a confidential Brussels shelter (full address
// and coordinates, a bed held), a public legal service, and an Antwerp shelter not accepting
// referrals now.
type hsdsWorld struct {
	*directory
	ngo                  referral.Organisation
	shelter, legal, port referral.Service
}

func newHSDSWorld(t *testing.T) *hsdsWorld {
	t.Helper()
	d := newDirectory(t)
	w := &hsdsWorld{directory: d}
	in := shelterInput(d.ShelterOrg, 6)
	in.Address, in.PostalCode, in.Region = ptr("Rue Secrète 1"), ptr("1070"), ptr("Brussels-Capital")
	in.Capacity = map[referral.Unit]int{referral.UnitBed: 6, referral.UnitFamilyRoom: 2}
	in.Languages = &[]string{"cmn", "wuu", "fr"}
	in.AcceptsMinors, in.Interpreter = ptr(true), ptr(true)
	in.MinAge, in.MaxAge = ptr(ptr(16)), ptr(ptr(65))
	in.ExploitationTypes = &[]string{"sexual", "labour"}
	in.Description = ptr("Safe house for women & their children <24/7>.")
	in.NameI18n = map[string]string{"zh-Hans": "莲花妇女庇护所", "fr": "Maison Lotus"}
	in.DescriptionI18n = map[string]string{"zh-Hans": "妇女及其子女的安全住所。"}
	in.Phone, in.Email = ptr("+32 2 555 01 01"), ptr("intake@lotus.example")
	var err error
	if w.shelter, _, err = d.svc.CreateService(as(d.OrgAdmin), in); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.svc.CreateHold(as(d.Officer), w.shelter.ID, referral.HoldInput{Places: 1}); err != nil {
		t.Fatal(err)
	}

	w.ngo = d.Org(t, "Juristes Solidaires", referral.KindNGO)
	legal := referral.CategoryLegal
	lat, lon := 50.8466, 4.3669
	w.legal, _, err = d.svc.CreateService(system, referral.ServiceInput{OrganisationID: w.ngo.ID, Category: &legal,
		Name: ptr("Legal advice desk"), Description: ptr("Free legal advice on residence permits and compensation."),
		Languages: &[]string{"en", "fr", "zh-Hans"}, MinAge: ptr(ptr(18)), Conditions: ptr("Adults identified as presumed victims."),
		Address: ptr("Rue de la Loi 16"), PostalCode: ptr("1000"), City: ptr("Brussels"), Region: ptr("Brussels-Capital"),
		Country: ptr("BE"), Latitude: ptr(&lat), Longitude: ptr(&lon), Genders: &[]string{},
		OpeningHours: &[]referral.OpeningHours{{Day: 1, Opens: "09:00", Closes: "17:00"}, {Day: 2, Opens: "09:00", Closes: "17:00"},
			{Day: 3, Opens: "09:00", Closes: "12:00"}, {Day: 3, Opens: "18:00", Closes: "20:00"}, {Day: 5, Opens: "09:00", Closes: "17:00"}}})
	if err != nil {
		t.Fatal(err)
	}

	shelter := referral.CategoryShelter
	w.port, _, err = d.svc.CreateService(as(d.OtherAdmin), referral.ServiceInput{OrganisationID: d.OtherShelter.ID,
		Category: &shelter, Name: ptr("Huis Haven night shelter"), Languages: &[]string{"nl", "en"},
		Genders: &[]string{"male", "other"}, Address: ptr("Havenlaan 3"), City: ptr("Antwerp"), Country: ptr("BE"),
		Accepting: ptr(false), OpeningHours: &[]referral.OpeningHours{{Day: 6, Opens: "20:00", Closes: "08:00"}},
		Capacity: map[referral.Unit]int{referral.UnitBed: 4}})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// export writes the directory as the system and returns the folder.
func export(t *testing.T, dir *hsds.Directory) (string, hsds.ExportCounts) {
	t.Helper()
	folder := filepath.Join(t.TempDir(), "hsds")
	counts, err := dir.Export(system, folder)
	if err != nil {
		t.Fatal(err)
	}
	return folder, counts
}

func TestHSDSExport(t *testing.T) {
	w := newHSDSWorld(t)
	dir, counts := export(t, w.hsds)
	if counts.Services != 3 || counts.Organizations != 3 || counts.TaxonomyTerms != len(hsds.TaxonomyTerms()) {
		t.Fatalf("counts %+v", counts)
	}
	services := readFile(t, filepath.Join(dir, hsds.ServicesFile))
	organizations := readFile(t, filepath.Join(dir, hsds.OrganizationsFile))
	taxonomy := readFile(t, filepath.Join(dir, hsds.TaxonomyFile))

	t.Run("ValidAgainstOfficialSchemas", func(t *testing.T) {
		if n := validateEach(t, serviceSchema, services, "services.json"); n != 3 {
			t.Fatalf("%d services", n)
		}
		if n := validateEach(t, organizationSchema, organizations, "organizations.json"); n != 3 {
			t.Fatalf("%d organizations", n)
		}
		var doc struct {
			Taxonomy      json.RawMessage `json:"taxonomy"`
			TaxonomyTerms json.RawMessage `json:"taxonomy_terms"`
			Units         json.RawMessage `json:"units"`
		}
		if err := json.Unmarshal(taxonomy, &doc); err != nil {
			t.Fatal(err)
		}
		validate(t, "schema/taxonomy.json", doc.Taxonomy, "taxonomy")
		// The validator is live: a broken service fails it.
		for _, broken := range []string{`{"id": "not-a-uuid", "name": "x", "status": "active"}`,
			`{"id": "019a0000-0000-7000-8000-000000000001", "name": "x", "status": "open"}`,
			`{"id": "019a0000-0000-7000-8000-000000000001", "name": "x", "status": "active", "service_at_locations": [{"id": "019a0000-0000-7000-8000-000000000002", "location": {"id": "019a0000-0000-7000-8000-000000000003", "location_type": "physical", "addresses": [{"id": "019a0000-0000-7000-8000-000000000004", "city": "Brussels", "state_province": "", "postal_code": "", "country": "BE", "address_type": "physical"}]}}]}`} {
			inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(broken))
			if hsdsSchema(t, serviceSchema).Validate(inst) == nil {
				t.Errorf("the validator accepted %s", broken)
			}
		}
		validateEach(t, "schema/taxonomy_term.json", doc.TaxonomyTerms, "taxonomy_terms")
		validateEach(t, "schema/unit.json", doc.Units, "units")
	})

	t.Run("ConfidentialAddressNeverExported", func(t *testing.T) {
		for _, secret := range []string{"Rue Secrète", `"1070"`, "50.8467", "4.3525", "50.85", "4.35"} {
			if bytes.Contains(services, []byte(secret)) || bytes.Contains(organizations, []byte(secret)) {
				t.Errorf("the export contains the confidential %s", secret)
			}
		}
		if !bytes.Contains(services, []byte(`"city": "Brussels"`)) || !bytes.Contains(services, []byte(`"state_province": "Brussels-Capital"`)) {
			t.Error("the confidential shelter's city and province are not published")
		}
		// Neither the shelter's own staff nor its admin get it through HSDS.
		for _, ctx := range []context.Context{system, as(w.Staff), as(w.OrgAdmin), as(w.Officer)} {
			h, err := w.hsds.Service(ctx, w.shelter.ID)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(h)
			if bytes.Contains(b, []byte("Rue Secrète")) || bytes.Contains(b, []byte("50.8467")) || bytes.Contains(b, []byte(`"1070"`)) {
				t.Fatalf("HSDSService leaked the confidential address: %s", b)
			}
			validate(t, serviceSchema, b, "HSDSService")
		}
		shelter := findService(t, services, w.shelter.ID)
		loc := shelter.ServiceAtLocations[0].Location
		addr := loc.Addresses[0]
		if addr.City != "Brussels" || addr.StateProvince != "Brussels-Capital" || addr.Country != "BE" ||
			addr.Address1 != "" || addr.PostalCode != "" || loc.Latitude != nil || loc.Longitude != nil || loc.Description == "" {
			t.Fatalf("confidential location %+v %+v", loc, addr)
		}
		// The public service's address and coordinates are published.
		legal := findService(t, services, w.legal.ID)
		loc, addr = legal.ServiceAtLocations[0].Location, legal.ServiceAtLocations[0].Location.Addresses[0]
		if addr.Address1 != "Rue de la Loi 16" || addr.PostalCode != "1000" || loc.Latitude == nil || *loc.Latitude != 50.8466 {
			t.Fatalf("public location %+v %+v", loc, addr)
		}
	})

	t.Run("Mapping", func(t *testing.T) {
		s := findService(t, services, w.shelter.ID)
		if s.Status != "active" || s.OrganizationID != w.ShelterOrg.ID.String() || s.Organization == nil ||
			s.Organization.Description != "Shelter in Brussels, BE" || *s.MinimumAge != 16 || *s.MaximumAge != 65 ||
			s.Email != "intake@lotus.example" || s.Phones[0].Number != "+32 2 555 01 01" || s.InterpretationServices == "" ||
			s.Description != "Safe house for women & their children <24/7>." {
			t.Fatalf("shelter %+v", s)
		}
		var codes []string
		for _, l := range s.Languages {
			codes = append(codes, l.Code+"="+l.Name)
		}
		if want := []string{"cmn=Mandarin Chinese", "wuu=Wu Chinese (Wenzhounese, Qingtian)", "fr=French"}; !slices.Equal(codes, want) {
			t.Fatalf("languages %v, want %v", codes, want)
		}
		if len(s.Capacities) != 2 || s.Capacities[0].Unit.ID != hsds.UnitBedID.String() || *s.Capacities[0].Available != 5 ||
			*s.Capacities[0].Maximum != 6 || s.Capacities[1].Unit.ID != hsds.UnitFamilyRoomID.String() ||
			*s.Capacities[1].Available != 2 || s.Capacities[1].Updated != "2026-11-20T09:00:00.000Z" {
			t.Fatalf("capacities %+v", s.Capacities)
		}
		if len(s.Schedules) != 1 || s.Schedules[0].ByDay != "MO,TU,WE,TH,FR,SA,SU" || s.Schedules[0].OpensAt != "00:00+01:00" {
			t.Fatalf("open always %+v", s.Schedules)
		}
		if got, want := attributeCodes(s), []string{"category/shelter", "gender/female", "eligibility/accepts_minors",
			"eligibility/accepts_children", "exploitation/sexual", "exploitation/labour", "feature/interpreter",
			"feature/confidential_location", "translation/name=fr:Maison Lotus", "translation/name=zh-Hans:莲花妇女庇护所",
			"translation/description=zh-Hans:妇女及其子女的安全住所。"}; !slices.Equal(got, want) {
			t.Fatalf("attributes\n%v, want\n%v", got, want)
		}

		legal := findService(t, services, w.legal.ID)
		var hours []string
		for _, sch := range legal.Schedules {
			hours = append(hours, sch.Freq+" "+sch.ByDay+" "+sch.OpensAt+"-"+sch.ClosesAt)
		}
		if want := []string{"WEEKLY MO,TU,FR 09:00+01:00-17:00+01:00", "WEEKLY WE 09:00+01:00-12:00+01:00",
			"WEEKLY WE 18:00+01:00-20:00+01:00"}; !slices.Equal(hours, want) {
			t.Fatalf("schedules %v, want %v", hours, want)
		}
		if legal.MaximumAge != nil || *legal.MinimumAge != 18 || legal.EligibilityDescription != "Adults identified as presumed victims." ||
			len(legal.Capacities) != 0 || legal.Organization.Description != "NGO in Brussels, BE" {
			t.Fatalf("legal %+v", legal)
		}
		if got := attributeCodes(legal); !slices.Equal(got, []string{"category/legal"}) {
			t.Fatalf("legal attributes %v", got)
		}
		port := findService(t, services, w.port.ID)
		if port.Status != "temporarily closed" || port.Schedules[0].ByDay != "SA" || !strings.Contains(port.Schedules[0].Description, "next day") {
			t.Fatalf("port %+v", port)
		}
		var orgs []hsds.Organization
		if err := json.Unmarshal(organizations, &orgs); err != nil {
			t.Fatal(err)
		}
		for _, o := range orgs {
			if o.ID == w.Police.ID.String() {
				t.Fatal("the police unit runs no service and is not in the directory")
			}
		}
	})

	t.Run("ErrUnauthenticated", func(t *testing.T) {
		anon := context.Background()
		_, err := w.hsds.Export(anon, t.TempDir())
		code(t, err, referral.CodeUnauthenticated)
		_, err = w.hsds.Services(anon, 1, 10)
		code(t, err, referral.CodeUnauthenticated)
		_, err = w.hsds.Service(anon, w.legal.ID)
		code(t, err, referral.CodeUnauthenticated)
		_, err = w.hsds.Organizations(anon, 1, 10)
		code(t, err, referral.CodeUnauthenticated)
		_, err = w.hsds.Import(anon, services)
		code(t, err, referral.CodeUnauthenticated)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := w.hsds.Service(as(w.Officer), uuid.Must(uuid.NewV7()))
		code(t, err, referral.CodeNotFound)
		_, err = w.hsds.Organization(as(w.Officer), w.Police.ID)
		code(t, err, referral.CodeNotFound)
		o, err := w.hsds.Organization(as(w.Officer), w.ngo.ID)
		if err != nil || o.Name != "Juristes Solidaires" {
			t.Fatalf("organization %+v %v", o, err)
		}
	})
}

func findService(t *testing.T, services []byte, id uuid.UUID) hsds.Service {
	t.Helper()
	var list []hsds.Service
	if err := json.Unmarshal(services, &list); err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if s.ID == id.String() {
			return s
		}
	}
	t.Fatalf("service %s not exported", id)
	return hsds.Service{}
}

// attributeCodes lists a service's attributes as term code[=label:value].
func attributeCodes(s hsds.Service) []string {
	var out []string
	for _, a := range s.Attributes {
		c := a.TaxonomyTerm.Code
		if a.Value != "" {
			c += "=" + a.Label + ":" + a.Value
		}
		out = append(out, c)
	}
	return out
}

func TestHSDSTaxonomy(t *testing.T) {
	// Partners store these IDs: they must never change.
	if got := hsds.TaxonomyID.String(); got != "f676e59f-6160-51ba-8287-304a23838397" {
		t.Errorf("taxonomy id %s", got)
	}
	if got := hsds.UnitBedID.String(); got != "221cfb46-fe15-5ed3-8db1-ad54be796f91" {
		t.Errorf("bed id %s", got)
	}
	if got := hsds.UnitFamilyRoomID.String(); got != "24b6c451-9c4a-5883-9e2b-2ecb8ec06720" {
		t.Errorf("family room id %s", got)
	}
	terms := hsds.TaxonomyTerms()
	ids, codes := map[string]bool{}, map[string]bool{}
	for _, term := range terms {
		if ids[term.ID] || codes[term.Code] || term.Name == "" || term.Description == "" {
			t.Errorf("term %+v repeated or unnamed", term)
		}
		ids[term.ID], codes[term.Code] = true, true
		if term.Code == "category/shelter" && term.ID != "16e247e8-e2a8-58f6-b20e-776fe32e009e" {
			t.Errorf("category/shelter id %s", term.ID)
		}
	}
	for _, c := range referral.Categories {
		if !codes["category/"+string(c)] {
			t.Errorf("no term for category %s", c)
		}
	}
	for _, e := range referral.ExploitationTypes {
		if !codes["exploitation/"+e] {
			t.Errorf("no term for exploitation type %s", e)
		}
	}
	for _, k := range referral.OrganisationKinds {
		if !codes["organisation_kind/"+string(k)] {
			t.Errorf("no term for organisation kind %s", k)
		}
	}
}

func TestHSDSImportOfficialExamples(t *testing.T) {
	full := readFile(t, filepath.Join(hsdsFiles, "examples/service_full.json"))
	list := readFile(t, filepath.Join(hsdsFiles, "examples/service_list.json"))
	exampleID := uuid.MustParse("ac148810-d857-441c-9679-408f346de14b")
	exampleOrg := uuid.MustParse("d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610")

	t.Run("ExamplesAreValid", func(t *testing.T) {
		// The validator accepts what the specification calls valid.
		validate(t, serviceSchema, full, "service_full.json")
		validate(t, pageSchema, list, "service_list.json")
		var page struct{ Contents json.RawMessage }
		if err := json.Unmarshal(list, &page); err != nil {
			t.Fatal(err)
		}
		validateEach(t, serviceListSchema, page.Contents, "service_list.json contents")
	})

	e := newEnv(t)
	t.Run("Full", func(t *testing.T) {
		res, err := e.hsds.Import(system, full)
		if err != nil || res.Records != 1 || res.Created != 1 || res.Failed != 0 || res.OrganisationsCreated != 1 {
			t.Fatalf("import %+v %v", res, err)
		}
		for _, want := range []string{"coordinates_invalid", "unit_unknown", "time_zone_fallback", "attributes_other_taxonomy"} {
			if !hasWarning(res, want) {
				t.Errorf("no %s warning in %v", want, res.Warnings)
			}
		}
		for _, w := range res.Warnings {
			t.Log(w)
		}
		s, err := e.svc.Service(system, exampleID)
		if err != nil {
			t.Fatal(err)
		}
		if s.OrganisationID != exampleOrg || s.Name != "Community Counselling" || s.Category != referral.CategoryOther ||
			!slices.Equal(s.Languages, []string{"ur"}) || *s.MinAge != 12 || *s.MaxAge != 100 || s.City != "MyCity" ||
			s.Region != "MyState" || s.Country != "US" || s.Address != "1-30 Main Street, MyVillage" || s.PostalCode != "ABC 1234" ||
			s.Latitude != nil || s.Longitude != nil || s.Phone != "+44 1234 234567" || s.Email != "email@example.com" ||
			!s.Interpreter || !s.Active || !s.Accepting || s.OpenAlways || len(s.Capacity) != 0 ||
			!reflect.DeepEqual(s.OpeningHours, []referral.OpeningHours{{Day: 4, Opens: "10:00", Closes: "18:00"}, {Day: 5, Opens: "10:00", Closes: "18:00"}}) ||
			!strings.HasPrefix(s.Conditions, "This service is intended for all people aged 12") {
			t.Fatalf("imported %+v", s)
		}
		o, err := e.svc.Organisation(system, exampleOrg)
		if err != nil || o.Name != "Example Organization Inc." || o.Kind != referral.KindNGO || o.Country != "US" || o.TimeZone != "UTC" {
			t.Fatalf("organisation %+v %v", o, err)
		}
	})
	t.Run("ListIsTheSameServiceUnchanged", func(t *testing.T) {
		// service_list.json holds the same service without its nested data: a partial record
		// changes only what it carries, here nothing.
		res, err := e.hsds.Import(system, list)
		if err != nil || res.Records != 1 || res.Unchanged != 1 || res.Failed != 0 {
			t.Fatalf("import %+v %v", res, err)
		}
		s, _ := e.svc.Service(system, exampleID)
		if s.City != "MyCity" || len(s.OpeningHours) != 2 {
			t.Fatalf("a partial record erased data: %+v", s)
		}
	})
	t.Run("Idempotent", func(t *testing.T) {
		res, err := e.hsds.Import(system, full)
		if err != nil || res.Unchanged != 1 || res.Created+res.Updated != 0 || res.OrganisationsCreated != 0 {
			t.Fatalf("second import %+v %v", res, err)
		}
		if n, m := countAudit(t, e, "service.create"), countAudit(t, e, "service.update"); n != 1 || m != 0 {
			t.Fatalf("audit: %d creates, %d updates", n, m)
		}
	})
	t.Run("ListAlone", func(t *testing.T) {
		fresh := newEnv(t)
		res, err := fresh.hsds.ImportWith(system, list, hsds.ImportOptions{DefaultCountry: "NL"})
		if err != nil || res.Created != 1 || res.Failed != 0 || !hasWarning(res, "city_missing") || !hasWarning(res, "country_fallback") {
			t.Fatalf("import %+v %v", res, err)
		}
		s, _ := fresh.svc.Service(system, exampleID)
		o, _ := fresh.svc.Organisation(system, exampleOrg)
		if s.City != "—" || s.Country != "NL" || o.Country != "NL" || o.TimeZone != "Europe/Amsterdam" || *s.MinAge != 12 {
			t.Fatalf("service %+v organisation %+v", s, o)
		}
	})
}

func hasWarning(res hsds.ImportResult, code string) bool {
	for _, w := range res.Warnings {
		if w.Code == code {
			return true
		}
	}
	return false
}

func TestHSDSImportBadInput(t *testing.T) {
	e := newEnv(t)
	for _, doc := range []string{"", "not json", `"a string"`, `{"contents": 5}`, "\xff\xfe"} {
		_, err := e.hsds.Import(system, []byte(doc))
		code(t, err, referral.CodeInvalid)
	}
	good := `{"id": "019a0000-0000-7000-8000-0000000000a1", "name": "Drop-in", "status": "active",
		"organization": {"id": "019a0000-0000-7000-8000-0000000000b1", "name": "Drop-in NGO", "description": "x"},
		"service_at_locations": [{"id": "x", "location": {"id": "y", "location_type": "physical",
			"addresses": [{"id": "z", "address_1": "Main 1", "city": "Ghent", "state_province": "", "postal_code": "9000", "country": "be", "address_type": "physical"}]}}],
		"languages": [{"id": "l", "code": "zh-HK"}, {"id": "m", "code": "!!"}],
		"schedules": [{"id": "s", "freq": "MONTHLY", "byday": "2MO", "opens_at": "09:00", "closes_at": "12:00"}],
		"description": "Line one\nline two"}`
	doc := `[` + good + `, {"id": "019a0000-0000-7000-8000-0000000000a2", "name": 5}, {"name": "no id"},
		{"id": "019a0000-0000-7000-8000-0000000000a3", "name": "Orphan", "status": "active"}]`
	res, err := e.hsds.Import(system, []byte(doc))
	if err != nil || res.Records != 4 || res.Created != 1 || res.Failed != 3 || len(res.Failures) != 3 {
		t.Fatalf("import %+v %v", res, err)
	}
	if !hasWarning(res, "language_unknown") || !hasWarning(res, "schedule_unsupported") {
		t.Fatalf("warnings %v", res.Warnings)
	}
	s, err := e.svc.Service(system, uuid.MustParse("019a0000-0000-7000-8000-0000000000a1"))
	if err != nil || s.Country != "BE" || s.City != "Ghent" || !slices.Equal(s.Languages, []string{"yue"}) ||
		s.Description != "Line one line two" || len(s.OpeningHours) != 0 {
		t.Fatalf("imported %+v %v", s, err)
	}
	field(t, res.Failures[0].Err, "name", "error.field.type")
	field(t, res.Failures[1].Err, "id", "error.field.required")
	field(t, res.Failures[2].Err, "organization", "error.user.organisation")
}

func TestHSDSRoundTrip(t *testing.T) {
	w := newHSDSWorld(t)
	dir, _ := export(t, w.hsds)
	services := readFile(t, filepath.Join(dir, hsds.ServicesFile))
	organizations := readFile(t, filepath.Join(dir, hsds.OrganizationsFile))

	// Into a fresh database: everything is created, with the same IDs.
	other := newEnv(t)
	res, err := other.hsds.Import(system, services)
	if err != nil || res.Created != 3 || res.OrganisationsCreated != 3 || res.Failed != 0 || len(res.Warnings) != 0 {
		t.Fatalf("import %+v %v", res, err)
	}
	dir2, _ := export(t, other.hsds)
	services2 := readFile(t, filepath.Join(dir2, hsds.ServicesFile))
	organizations2 := readFile(t, filepath.Join(dir2, hsds.OrganizationsFile))
	// Free beds are Harbour's own count (the first database has a bed held); all else matches.
	if a, b := withoutKeys(t, services, "available"), withoutKeys(t, services2, "available"); !reflect.DeepEqual(a, b) {
		t.Fatalf("services differ after the round trip:\n%s\n---\n%s", services, services2)
	}
	if !bytes.Equal(organizations, organizations2) {
		t.Fatalf("organizations differ:\n%s\n---\n%s", organizations, organizations2)
	}
	s, err := other.svc.Service(system, w.shelter.ID)
	if err != nil || !s.Confidential || s.Address != "" || s.Latitude != nil || s.City != "Brussels" ||
		s.Capacity[referral.UnitBed] != 6 || s.NameI18n["zh-Hans"] != "莲花妇女庇护所" || !s.OpenAlways {
		t.Fatalf("imported shelter %+v %v", s, err)
	}
	o, err := other.svc.Organisation(system, w.ShelterOrg.ID)
	if err != nil || o.Kind != referral.KindShelter || o.Name != w.ShelterOrg.Name || o.TimeZone != "Europe/Brussels" {
		t.Fatalf("organisation %+v %v", o, err)
	}

	// Again, and back into the first database: nothing changes, and the confidential shelter
	// keeps the address its export left out.
	for _, env := range []*env{other, w.env} {
		res, err = env.hsds.Import(system, services)
		if err != nil || res.Unchanged != 3 || res.Created+res.Updated+res.Failed != 0 {
			t.Fatalf("re-import %+v %v", res, err)
		}
	}
	s, err = w.svc.Service(system, w.shelter.ID)
	if err != nil || s.Address != "Rue Secrète 1" || s.PostalCode != "1070" || s.Latitude == nil {
		t.Fatalf("the import erased the confidential address: %+v %v", s, err)
	}

	// An org admin may import only their own organisation's services.
	res, err = w.hsds.Import(as(w.OtherAdmin), services)
	if err != nil || res.Unchanged != 1 || res.Failed != 2 {
		t.Fatalf("import by another organisation's admin %+v %v", res, err)
	}
	for _, f := range res.Failures {
		code(t, f.Err, referral.CodeForbidden)
	}

	// A change made at the source reaches the copy as an update.
	if _, err := w.svc.UpdateService(system, w.legal.ID, referral.ServiceInput{Languages: &[]string{"en"},
		OpeningHours: &[]referral.OpeningHours{}, OpenAlways: ptr(true), Phone: ptr("+32 2 555 99 99")}); err != nil {
		t.Fatal(err)
	}
	dir3, _ := export(t, w.hsds)
	res, err = other.hsds.Import(system, readFile(t, filepath.Join(dir3, hsds.ServicesFile)))
	if err != nil || res.Updated != 1 || res.Unchanged != 2 {
		t.Fatalf("import of the change %+v %v", res, err)
	}
	legal, _ := other.svc.Service(system, w.legal.ID)
	if !slices.Equal(legal.Languages, []string{"en"}) || !legal.OpenAlways || len(legal.OpeningHours) != 0 || legal.Phone != "+32 2 555 99 99" {
		t.Fatalf("legal after update %+v", legal)
	}
}

// withoutKeys decodes JSON and drops every member with one of the names.
func withoutKeys(t *testing.T, doc []byte, names ...string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, n := range names {
				delete(x, n)
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(v)
	return v
}

func TestHSDSPaging(t *testing.T) {
	w := newHSDSWorld(t)
	ctx := as(w.Officer)
	check := func(page, size int, want hsds.Page[hsds.Service]) hsds.Page[hsds.Service] {
		t.Helper()
		p, err := w.hsds.Services(ctx, page, size)
		if err != nil {
			t.Fatal(err)
		}
		got := p
		got.Contents = nil
		if want.Contents = nil; !reflect.DeepEqual(got, want) {
			t.Fatalf("page(%d, %d) = %+v, want %+v", page, size, got, want)
		}
		b, _ := json.Marshal(p)
		validate(t, pageSchema, b, "page")
		var raw struct{ Contents json.RawMessage }
		_ = json.Unmarshal(b, &raw)
		if string(raw.Contents) == "null" {
			t.Fatal("contents is null, want an array")
		}
		validateEach(t, serviceSchema, raw.Contents, "page contents")
		if len(p.Contents) != p.Size {
			t.Fatalf("size %d, contents %d", p.Size, len(p.Contents))
		}
		return p
	}
	p1 := check(1, 2, hsds.Page[hsds.Service]{TotalItems: 3, TotalPages: 2, PageNumber: 1, Size: 2, FirstPage: true})
	p2 := check(2, 2, hsds.Page[hsds.Service]{TotalItems: 3, TotalPages: 2, PageNumber: 2, Size: 1, LastPage: true})
	check(3, 2, hsds.Page[hsds.Service]{TotalItems: 3, TotalPages: 2, PageNumber: 3, LastPage: true, Empty: true})
	check(1<<62, 500, hsds.Page[hsds.Service]{TotalItems: 3, TotalPages: 1, PageNumber: 1 << 62, LastPage: true, Empty: true})
	all := check(0, 0, hsds.Page[hsds.Service]{TotalItems: 3, TotalPages: 1, PageNumber: 1, Size: 3, FirstPage: true, LastPage: true})
	check(1, 100000, hsds.Page[hsds.Service]{TotalItems: 3, TotalPages: 1, PageNumber: 1, Size: 3, FirstPage: true, LastPage: true})
	var ids []string
	for _, s := range append(p1.Contents, p2.Contents...) {
		ids = append(ids, s.ID)
	}
	for i, s := range all.Contents {
		if ids[i] != s.ID {
			t.Fatalf("pages are not in one order: %v vs %v", ids, all.Contents)
		}
	}
	// Paging through an officer's eyes still hides the confidential address.
	for _, s := range all.Contents {
		if a := s.ServiceAtLocations[0].Location.Addresses[0]; s.ID == w.shelter.ID.String() && a.Address1 != "" {
			t.Fatal("confidential address in a page")
		}
	}

	orgs, err := w.hsds.Organizations(ctx, 2, 2)
	if err != nil || orgs.TotalItems != 3 || orgs.TotalPages != 2 || orgs.Size != 1 || !orgs.LastPage || orgs.FirstPage {
		t.Fatalf("organizations page %+v %v", orgs, err)
	}
	if far, err := w.hsds.Organizations(ctx, 1<<62, 2); err != nil || !far.Empty || len(far.Contents) != 0 {
		t.Fatalf("organizations far page %+v %v", far, err)
	}
	b, _ := json.Marshal(orgs)
	validate(t, pageSchema, b, "organizations page")

	empty, err := newEnv(t).hsds.Services(system, 1, 10)
	if err != nil || empty.TotalItems != 0 || empty.TotalPages != 0 || !empty.Empty || !empty.FirstPage || !empty.LastPage || empty.Contents == nil {
		t.Fatalf("empty directory %+v %v", empty, err)
	}
}
