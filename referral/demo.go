package referral

import (
	"context"
	"errors"
	"slices"

	"github.com/google/uuid"
)

// DemoPassword is the password of every demo account. Demo data loads only into an empty
// embedded database, never into one named by DATABASE_URL, unless asked for with `harbour demo`.
const DemoPassword = "harbour-demo-2026"

// DemoSignIn is one demo account, printed at start so people can try each role.
type DemoSignIn struct {
	Role  Role
	Email string
}

type demoOrg struct {
	id             string
	name           string
	kind           OrganisationKind
	country        string
	firstResponder bool // marked one by one (Spain's specialised police units)
}

type demoUser struct {
	id, org, email, name string
	role                 Role
}

// The demo set is fictional: a police unit in Brussels after an action day, two shelters (the
// Brussels one with Mandarin- and Wenzhounese-speaking staff), legal, medical and counselling
// NGOs, a Brussels specialised centre and the Immigration Office (Belgium's NRM: the centre
// starts it once the police referred her, the Office decides), and the platform's own
// administration; their services are in demo_services.go. For the other jurisdictions, what each
// path needs: the UK's police and Single Competent Authority (the default jurisdiction), the
// Dutch police, labour inspectorate and IND, a German police unit, specialised counselling centre
// and foreigners' authority, and a Spanish specialised police unit and Government Delegation.
var (
	demoOrgs = []demoOrg{
		{"019a0000-0000-7000-8000-000000000001", "Brussels Police – Anti-Trafficking Unit", KindPolice, "BE", false},
		{"019a0000-0000-7000-8000-000000000002", "Maison Lotus Shelter Brussels", KindShelter, "BE", false},
		{"019a0000-0000-7000-8000-000000000003", "Huis Haven Shelter Antwerp", KindShelter, "BE", false},
		{"019a0000-0000-7000-8000-000000000004", "Juristes Solidaires Legal Aid", KindNGO, "BE", false},
		{"019a0000-0000-7000-8000-000000000005", "Medisch Centrum Noord Outreach", KindNGO, "BE", false},
		{"019a0000-0000-7000-8000-000000000006", "Espace Écoute Counselling", KindNGO, "BE", false},
		{"019a0000-0000-7000-8000-000000000007", "Immigration Office – Office des Étrangers (demo)", KindCompetentAuthority, "BE", false},
		{"019a0000-0000-7000-8000-000000000008", "Harbour Administration", KindOther, "BE", false},
		{"019a0000-0000-7000-8000-000000000009", "Metropolitan Police – Modern Slavery Unit (demo)", KindPolice, "GB", false},
		{"019a0000-0000-7000-8000-00000000000a", "Single Competent Authority (demo)", KindCompetentAuthority, "GB", false},
		{"019a0000-0000-7000-8000-00000000000b", "Centre Passerelle – specialised centre Brussels (demo)", KindSpecialisedCentre, "BE", false},
		{"019a0000-0000-7000-8000-00000000000c", "Politie Rotterdam – AVIM (demo)", KindPolice, "NL", false},
		{"019a0000-0000-7000-8000-00000000000d", "Nederlandse Arbeidsinspectie (demo)", KindLabourInspectorate, "NL", false},
		{"019a0000-0000-7000-8000-00000000000e", "IND – Immigratie- en Naturalisatiedienst (demo)", KindCompetentAuthority, "NL", false},
		{"019a0000-0000-7000-8000-00000000000f", "LKA Berlin – Menschenhandel (demo)", KindPolice, "DE", false},
		{"019a0000-0000-7000-8000-000000000010", "Fachberatungsstelle Berlin (demo)", KindSpecialisedCentre, "DE", false},
		{"019a0000-0000-7000-8000-000000000011", "Ausländerbehörde Berlin (demo)", KindCompetentAuthority, "DE", false},
		{"019a0000-0000-7000-8000-000000000012", "Policía Nacional – UCRIF Barcelona (demo)", KindPolice, "ES", true},
		{"019a0000-0000-7000-8000-000000000013", "Delegación del Gobierno en Cataluña (demo)", KindCompetentAuthority, "ES", false},
	}
	demoUsers = []demoUser{
		{"019a0000-0000-7000-8000-000000000101", "019a0000-0000-7000-8000-000000000001", "officer@demo.harbour.test", "Lucas Janssens", RoleOfficer},
		{"019a0000-0000-7000-8000-000000000102", "019a0000-0000-7000-8000-000000000002", "shelter@demo.harbour.test", "王丽 (Wang Li)", RoleShelterStaff},
		{"019a0000-0000-7000-8000-000000000103", "019a0000-0000-7000-8000-000000000004", "caseworker@demo.harbour.test", "Sophie Dubois", RoleCaseworker},
		{"019a0000-0000-7000-8000-000000000104", "019a0000-0000-7000-8000-000000000007", "decision@demo.harbour.test", "Pieter De Smet", RoleDecisionMaker},
		{"019a0000-0000-7000-8000-000000000105", "019a0000-0000-7000-8000-000000000001", "orgadmin@demo.harbour.test", "Anna Peeters", RoleOrgAdmin},
		{"019a0000-0000-7000-8000-000000000106", "019a0000-0000-7000-8000-000000000008", "admin@demo.harbour.test", "Harbour Admin", RoleAdmin},
		{"019a0000-0000-7000-8000-000000000107", "019a0000-0000-7000-8000-000000000009", "officer.uk@demo.harbour.test", "Grace Okafor", RoleOfficer},
		{"019a0000-0000-7000-8000-000000000108", "019a0000-0000-7000-8000-00000000000a", "decision.uk@demo.harbour.test", "James Whitfield", RoleDecisionMaker},
		{"019a0000-0000-7000-8000-000000000109", "019a0000-0000-7000-8000-00000000000b", "centre@demo.harbour.test", "Inès Lambert", RoleCaseworker},
		{"019a0000-0000-7000-8000-00000000010a", "019a0000-0000-7000-8000-00000000000c", "officer.nl@demo.harbour.test", "Daan de Vries", RoleOfficer},
		{"019a0000-0000-7000-8000-00000000010b", "019a0000-0000-7000-8000-00000000000d", "inspector.nl@demo.harbour.test", "Fatima el Amrani", RoleOfficer},
		{"019a0000-0000-7000-8000-00000000010c", "019a0000-0000-7000-8000-00000000000e", "decision.nl@demo.harbour.test", "Sanne Bakker", RoleDecisionMaker},
		{"019a0000-0000-7000-8000-00000000010d", "019a0000-0000-7000-8000-00000000000f", "officer.de@demo.harbour.test", "Jonas Weber", RoleOfficer},
		{"019a0000-0000-7000-8000-00000000010e", "019a0000-0000-7000-8000-000000000010", "centre.de@demo.harbour.test", "Lea Schneider", RoleCaseworker},
		{"019a0000-0000-7000-8000-00000000010f", "019a0000-0000-7000-8000-000000000011", "decision.de@demo.harbour.test", "Mehmet Yılmaz", RoleDecisionMaker},
		{"019a0000-0000-7000-8000-000000000110", "019a0000-0000-7000-8000-000000000012", "officer.es@demo.harbour.test", "Lucía Fernández", RoleOfficer},
		{"019a0000-0000-7000-8000-000000000111", "019a0000-0000-7000-8000-000000000013", "decision.es@demo.harbour.test", "Javier Moreno", RoleDecisionMaker},
	}
)

// LoadDemo loads the demo data set. It is idempotent: records already there (even if edited
// since) are left alone. It returns the demo sign-ins.
func (d *Domain) LoadDemo(ctx context.Context) ([]DemoSignIn, error) {
	ctx = WithActor(ctx, SystemActor("demo"))
	for _, o := range demoOrgs {
		in := OrganisationInput{ID: uuid.MustParse(o.id), Name: &o.name, Kind: &o.kind, Country: &o.country, FirstResponder: &o.firstResponder}
		if _, _, err := d.CreateOrganisation(ctx, in); err != nil && ErrorCode(err) != CodeConflict {
			return nil, err
		}
	}
	if err := d.loadDemoServices(ctx); err != nil {
		return nil, err
	}
	password := DemoPassword
	for _, u := range demoUsers {
		roles := []Role{u.role}
		in := UserInput{ID: uuid.MustParse(u.id), OrganisationID: uuid.MustParse(u.org), Email: &u.email,
			Name: &u.name, Roles: &roles, Password: &password}
		if _, _, err := d.CreateUser(ctx, in); err != nil && ErrorCode(err) != CodeConflict && !isEmailTaken(err) {
			return nil, err
		}
	}
	if err := d.loadDemoNRMHistory(ctx); err != nil {
		return nil, err
	}
	return d.DemoSignIns(ctx)
}

// DemoSignIns lists the demo accounts still present.
func (d *Domain) DemoSignIns(ctx context.Context) ([]DemoSignIn, error) {
	var active []uuid.UUID
	err := d.db.WithContext(ctx).Model(&User{}).Where("id IN ? AND active", column(demoUsers, func(u demoUser) string { return u.id })).
		Pluck("id", &active).Error
	if err != nil {
		return nil, err
	}
	var out []DemoSignIn
	for _, u := range demoUsers {
		if slices.Contains(active, uuid.MustParse(u.id)) {
			out = append(out, DemoSignIn{Role: u.role, Email: u.email})
		}
	}
	return out, nil
}

// IsEmpty reports whether no organisation exists yet (a fresh database).
func (d *Domain) IsEmpty(ctx context.Context) (bool, error) {
	var n int64
	err := d.db.WithContext(ctx).Model(&Organisation{}).Limit(1).Count(&n).Error
	return n == 0, err
}

func isEmailTaken(err error) bool {
	var e *Error
	return errors.As(err, &e) && len(e.Fields) == 1 && e.Fields[0].MessageID == "error.user.email_taken"
}
