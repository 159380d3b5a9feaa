package api

import (
	"encoding/json"
	"log/slog"
	"maps"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/harbour-nrm/harbour/referral"
	"github.com/harbour-nrm/harbour/referral/stats"
	"github.com/labstack/echo/v4"
	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel"
	"github.com/prometheus/client_golang/prometheus"
)

// openAPIMethods are the keys of a path item that name operations.
var openAPIMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// openAPIOperation is what these tests read of an operation.
type openAPIOperation struct {
	OperationID string                     `json:"operationId"`
	Parameters  []json.RawMessage          `json:"parameters"`
	Responses   map[string]json.RawMessage `json:"responses"`
}

// openAPISpec parses the embedded document, failing the test if it is not JSON.
func openAPISpec(t *testing.T) (doc map[string]any, ops map[string]openAPIOperation) {
	t.Helper()
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	var raw struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDocument, &raw); err != nil {
		t.Fatalf("openapi.json paths: %v", err)
	}
	ops = map[string]openAPIOperation{}
	for path, item := range raw.Paths {
		for key, v := range item {
			if !slices.Contains(openAPIMethods, key) {
				continue // parameters, summary, description, servers
			}
			var op openAPIOperation
			if err := json.Unmarshal(v, &op); err != nil {
				t.Fatalf("%s %s: %v", key, path, err)
			}
			ops[strings.ToUpper(key)+" "+path] = op
		}
	}
	return doc, ops
}

var echoParam = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

// documentedRoutes returns the server's real routes that the document must describe, as
// "METHOD /openapi/{path}". The server is built without a database: New only stores the
// service, bundle and database for the handlers, which no request here reaches.
func documentedRoutes(t *testing.T) map[string]bool {
	t.Helper()
	srv := New(DefaultConfig(), Deps{Registry: prometheus.NewRegistry(), Log: slog.New(slog.DiscardHandler)})
	out := map[string]bool{}
	for _, r := range srv.Echo.Routes() {
		if r.Method == echo.RouteNotFound || strings.HasSuffix(r.Path, "/*") {
			continue // echo's catch-alls for group middleware, not endpoints
		}
		switch {
		case strings.HasPrefix(r.Path, "/api/v1/"), r.Path == "/healthz", r.Path == "/readyz", r.Path == "/metrics":
		default:
			continue
		}
		out[r.Method+" "+echoParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	if len(out) == 0 {
		t.Fatal("the server registered no routes")
	}
	return out
}

func TestOpenAPIVersion(t *testing.T) {
	doc, _ := openAPISpec(t)
	if v := doc["openapi"]; v != "3.1.0" {
		t.Fatalf("openapi = %v, want 3.1.0", v)
	}
}

// TestOpenAPIMatchesRoutes keeps the document and the route table equal, both ways.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	_, ops := openAPISpec(t)
	routes := documentedRoutes(t)
	for _, r := range slices.Sorted(maps.Keys(routes)) {
		if _, ok := ops[r]; !ok {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for _, o := range slices.Sorted(maps.Keys(ops)) {
		if !routes[o] {
			t.Errorf("openapi.json describes %s, which the server does not route", o)
		}
	}
}

func TestOpenAPIOperations(t *testing.T) {
	doc, ops := openAPISpec(t)
	ids := map[string]string{}
	for _, key := range slices.Sorted(maps.Keys(ops)) {
		op := ops[key]
		if op.OperationID == "" {
			t.Errorf("%s has no operationId", key)
		} else if prev, dup := ids[op.OperationID]; dup {
			t.Errorf("operationId %q is used by %s and %s", op.OperationID, prev, key)
		} else {
			ids[op.OperationID] = key
		}
		success := false
		for status := range op.Responses {
			if len(status) == 3 && status[0] == '2' {
				success = true
			}
		}
		if !success {
			t.Errorf("%s has no 2xx response", key)
		}
	}

	// Every {name} in a path is declared as a path parameter, on the path item or the operation.
	paths, _ := doc["paths"].(map[string]any)
	for path, v := range paths {
		item, _ := v.(map[string]any)
		declared := openAPIPathParams(t, doc, item["parameters"])
		for _, m := range openAPIMethods {
			op, ok := item[m].(map[string]any)
			if !ok {
				continue
			}
			all := append(slices.Clone(declared), openAPIPathParams(t, doc, op["parameters"])...)
			for _, name := range regexp.MustCompile(`\{([^}]+)\}`).FindAllStringSubmatch(path, -1) {
				if !slices.Contains(all, name[1]) {
					t.Errorf("%s %s: path parameter %q is not declared", strings.ToUpper(m), path, name[1])
				}
			}
		}
	}
}

// openAPIPathParams returns the names of the path parameters in a parameters list.
func openAPIPathParams(t *testing.T, doc map[string]any, list any) []string {
	var out []string
	params, _ := list.([]any)
	for _, p := range params {
		m, _ := p.(map[string]any)
		if r, ok := m["$ref"].(string); ok {
			m, _ = openAPIResolve(doc, r).(map[string]any)
		}
		if m["in"] == "path" {
			name, _ := m["name"].(string)
			out = append(out, name)
		}
	}
	return out
}

// TestOpenAPIRefsResolve checks that every $ref points at an existing components entry.
func TestOpenAPIRefsResolve(t *testing.T) {
	doc, _ := openAPISpec(t)
	n := 0
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["$ref"].(string); ok {
				n++
				if !strings.HasPrefix(r, "#/components/") {
					t.Errorf("%s: $ref %q is not a components entry", at, r)
				} else if openAPIResolve(doc, r) == nil {
					t.Errorf("%s: $ref %q does not resolve", at, r)
				}
			}
			for k, e := range v {
				walk(at+"/"+k, e)
			}
		case []any:
			for _, e := range v {
				walk(at+"[]", e)
			}
		}
	}
	walk("#", doc)
	if n == 0 {
		t.Fatal("no $ref found: the document does not use components")
	}
}

// openAPIResolve follows a local JSON pointer ("#/a/b"), or returns nil.
func openAPIResolve(doc map[string]any, ref string) any {
	frag, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil
	}
	var cur any = doc
	for _, tok := range strings.Split(frag, "/") {
		tok, err := url.PathUnescape(tok)
		if err != nil {
			return nil
		}
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		if cur, ok = m[tok]; !ok {
			return nil
		}
	}
	return cur
}

// TestOpenAPIMetaSchema validates the document against the official OpenAPI 3.1 schema, which
// libopenapi embeds (no network), and builds libopenapi's model of it, which resolves every
// reference.
func TestOpenAPIMetaSchema(t *testing.T) {
	cfg := datamodel.NewDocumentConfiguration()
	cfg.Logger = slog.New(slog.DiscardHandler) // what goes wrong is reported below
	d, err := libopenapi.NewDocumentWithConfiguration(openAPIDocument, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if v := d.GetSpecInfo().Version; v != "3.1.0" {
		t.Fatalf("libopenapi reads version %q", v)
	}
	if ok, errs := schema_validation.ValidateOpenAPIDocument(d); !ok {
		for _, e := range errs {
			t.Errorf("%s: %s (line %d)", e.Message, e.Reason, e.SpecLine)
			for _, f := range e.SchemaValidationErrors {
				t.Errorf("  %s at %s (line %d): %s", f.KeywordLocation, f.FieldPath, f.Line, f.Reason)
			}
		}
	}
	if _, err := d.BuildV3Model(); err != nil {
		t.Errorf("building the model: %v", err)
	}
}

// TestOpenAPISchemasMatchStructs keeps each schema's properties equal to the JSON names of the
// Go type it describes, and, for response bodies, its required list equal to the fields that are
// always written (those without omitempty).
func TestOpenAPISchemasMatchStructs(t *testing.T) {
	doc, _ := openAPISpec(t)
	for _, c := range []struct {
		schema   string
		v        any
		response bool
	}{
		{"Problem", Problem{}, true},
		{"FieldProblem", FieldProblem{}, true},
		{"Organisation", organisationView{}, true},
		{"User", userView{}, true},
		{"Me", meResponse{}, true},
		{"APIToken", tokenView{}, true},
		{"TokenCreated", tokenCreated{}, true},
		{"AuditEvent", auditEventView{}, true},
		{"AuditVerification", referral.AuditVerification{}, true},
		{"OrganisationRequest", organisationRequest{}, false},
		{"UserRequest", userRequest{}, false},
		{"ProfileRequest", profileRequest{}, false},
		{"PasswordRequest", passwordRequest{}, false},
		{"TokenRequest", tokenRequest{}, false},
		{"Service", serviceView{}, true},
		{"OpeningHours", referral.OpeningHours{}, true},
		{"Hold", holdView{}, true},
		{"HeldBed", heldBedView{}, true},
		{"Placement", placementView{}, true},
		{"Occupancy", occupancyView{}, true},
		{"UnitOccupancy", referral.UnitOccupancy{}, true},
		{"Match", matchView{}, true},
		{"ServiceCard", referral.ServiceCard{}, true},
		{"Operation", operationView{}, true},
		{"OperationRequest", operationRequest{}, false},
		{"Board", boardView{}, true},
		{"BoardEntry", referral.BoardEntry{}, true},
		{"Case", caseView{}, true},
		{"CaseRequest", caseRequest{}, false},
		{"Consent", consentView{}, true},
		{"ConsentRequest", consentRequest{}, false},
		{"Referral", referralView{}, true},
		{"ReferralItem", referralItemView{}, true},
		{"Notification", notificationView{}, true},
		{"NotificationSettings", notificationSettingsView{}, true},
		{"NotificationSettingsRequest", notificationSettingsRequest{}, false},
		{"Snapshot", referral.Snapshot{}, true},
		{"ReferralEvent", referralEventView{}, true},
		{"SharedPerson", sharedPersonView{}, true},
		{"StepRequest", stepRequest{}, false},
		{"SnapshotService", referral.SnapshotService{}, true},
		{"ReferralRequest", referralRequest{}, false},
		{"Reason", reasonView{}, true},
		{"Place", placeView{}, true},
		{"ServiceRequest", serviceRequest{}, false},
		{"ServiceCreateRequest", serviceRequest{}, false},
		{"HoldRequest", holdRequest{}, false},
		{"PlacementRequest", placementRequest{}, false},
		{"CheckInRequest", checkInRequest{}, false},
		{"MatchRequest", matchRequest{}, false},
		{"MatchLocation", matchRequest{}.Location, false},
		{"MatchResponse", matchResponse{}, true},
		{"NRMView", nrmView{}, true},
		{"NRMRecord", nrmRecordView{}, true},
		{"NRMEvent", nrmEventView{}, true},
		{"NRMNext", referral.NRMNext{}, true},
		{"NRMBrief", referral.NRMBrief{}, true},
		{"NRMQueueItem", referral.NRMQueueItem{}, true},
		{"NRMRequest", nrmRequest{}, false},
		{"NRMStepRequest", nrmStepRequest{}, false},
		{"Stats", referral.Stats{}, true},
		{"StatsTable", stats.Table{}, true},
		{"StatsRow", stats.Row{}, true},
		{"StatsCell", stats.Cell{}, true},
		{"StatsTimes", stats.Times{}, true},
		{"CheckOutRequest", checkOutRequest{}, false},
	} {
		s, ok := openAPIResolve(doc, "#/components/schemas/"+c.schema).(map[string]any)
		if !ok {
			t.Errorf("no schema %s", c.schema)
			continue
		}
		props, required := map[string]bool{}, map[string]bool{}
		openAPICollect(doc, s, props, required)
		fields, always := map[string]bool{}, map[string]bool{}
		jsonFields(reflect.TypeOf(c.v), fields, always)
		if a, b := slices.Sorted(maps.Keys(props)), slices.Sorted(maps.Keys(fields)); !slices.Equal(a, b) {
			t.Errorf("schema %s has properties %v; %T has JSON fields %v", c.schema, a, c.v, b)
		}
		if a, b := slices.Sorted(maps.Keys(required)), slices.Sorted(maps.Keys(always)); c.response && !slices.Equal(a, b) {
			t.Errorf("schema %s requires %v; %T always writes %v", c.schema, a, c.v, b)
		}
	}
}

// TestOpenAPIEnumsMatchVocabulary keeps the document's enums equal to the domain's values.
func TestOpenAPIEnumsMatchVocabulary(t *testing.T) {
	doc, _ := openAPISpec(t)
	for _, c := range []struct {
		schema string
		values []string
	}{
		{"Category", enumStrings(referral.Categories...)},
		{"Unit", enumStrings(referral.Units...)},
		{"Gender", referral.Genders},
		{"ExploitationType", referral.ExploitationTypes},
		{"Role", enumStrings(referral.Roles...)},
		{"HoldStatus", enumStrings(referral.HoldActive, referral.HoldConfirmed, referral.HoldReleased, referral.HoldExpired, referral.HoldCheckedIn)},
		{"PlacementStatus", enumStrings(referral.PlacementPresent, referral.PlacementLeft)},
		{"Need", referral.Needs},
		{"ReferralAction", enumStrings(referral.ReferralActions...)},
		{"NotificationKind", enumStrings(referral.NotificationKinds...)},
		{"DeclineReason", referral.DeclineReasons},
		{"ConsentScope", enumStrings(referral.ConsentScopes...)},
		{"Indicator", referral.Indicators},
		{"CaseStatus", enumStrings(referral.CaseRecorded, referral.CaseReferred, referral.CaseBedHeld, referral.CasePlaced)},
		{"ReferralStatus", enumStrings(referral.ReferralSent, referral.ReferralAccepted, referral.ReferralDeclined, referral.ReferralInfoRequested,
			referral.ReferralInProgress, referral.ReferralCompleted, referral.ReferralWithdrawn, referral.ReferralExpired)},
	} {
		s, ok := openAPIResolve(doc, "#/components/schemas/"+c.schema).(map[string]any)
		if !ok {
			t.Errorf("no schema %s", c.schema)
			continue
		}
		var enum []string
		list, _ := s["enum"].([]any)
		for _, v := range list {
			e, _ := v.(string)
			enum = append(enum, e)
		}
		if a, b := slices.Sorted(slices.Values(enum)), slices.Sorted(slices.Values(c.values)); !slices.Equal(a, b) {
			t.Errorf("schema %s has enum %v; the domain has %v", c.schema, a, b)
		}
	}
}

func enumStrings[T ~string](v ...T) []string {
	out := make([]string, len(v))
	for i, e := range v {
		out[i] = string(e)
	}
	return out
}

// openAPICollect gathers a schema's properties and required names, through $ref and allOf.
func openAPICollect(doc map[string]any, s map[string]any, props, required map[string]bool) {
	if r, ok := s["$ref"].(string); ok {
		if t, ok := openAPIResolve(doc, r).(map[string]any); ok {
			openAPICollect(doc, t, props, required)
		}
	}
	if all, ok := s["allOf"].([]any); ok {
		for _, e := range all {
			if m, ok := e.(map[string]any); ok {
				openAPICollect(doc, m, props, required)
			}
		}
	}
	if p, ok := s["properties"].(map[string]any); ok {
		for k := range p {
			props[k] = true
		}
	}
	if r, ok := s["required"].([]any); ok {
		for _, k := range r {
			required[k.(string)] = true
		}
	}
}

// jsonFields lists the JSON names encoding/json writes for a struct type, and which of them it
// always writes, following embedded structs.
func jsonFields(t reflect.Type, fields, always map[string]bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			jsonFields(f.Type, fields, always)
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = true
		if !slices.Contains(strings.Split(opts, ","), "omitempty") {
			always[name] = true
		}
	}
}
