package demo

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
)

// Password is the password of every demo account. Demo data loads only into an empty
// embedded database, never into one named by DATABASE_URL, unless asked for with `harbour demo`.
const Password = "harbour-demo-2026"

// SignIn is one demo account, printed at start so people can try each role.
type SignIn struct {
	Role  referral.Role
	Email string
}

type org struct {
	id             string
	name           string
	kind           referral.OrganisationKind
	country        string
	firstResponder bool // marked one by one (Spain's specialised police units)
}

type user struct {
	id, org, email, name string
	role                 referral.Role
}

// The demo set is fictional: a police unit in Brussels after an action day, two shelters (the
// Brussels one with Mandarin- and Wenzhounese-speaking staff), legal, medical and counselling
// NGOs, a Brussels specialised centre and the Immigration Office (Belgium's NRM: the centre
// starts it once the police referred her, the Office decides), and the platform's own
// administration; their services are in services.go. For the other jurisdictions, what each
// path needs: the UK's police and Single Competent Authority (the default jurisdiction), the
// Dutch police, labour inspectorate and IND, a German police unit, specialised counselling centre
// and foreigners' authority, and a Spanish specialised police unit and Government Delegation.
var (
	orgs = []org{
		{"019a0000-0000-7000-8000-000000000001", "Brussels Police – Anti-Trafficking Unit", referral.KindPolice, "BE", false},
		{"019a0000-0000-7000-8000-000000000002", "Maison Lotus Shelter Brussels", referral.KindShelter, "BE", false},
		{"019a0000-0000-7000-8000-000000000003", "Huis Haven Shelter Antwerp", referral.KindShelter, "BE", false},
		{"019a0000-0000-7000-8000-000000000004", "Juristes Solidaires Legal Aid", referral.KindNGO, "BE", false},
		{"019a0000-0000-7000-8000-000000000005", "Medisch Centrum Noord Outreach", referral.KindNGO, "BE", false},
		{"019a0000-0000-7000-8000-000000000006", "Espace Écoute Counselling", referral.KindNGO, "BE", false},
		{"019a0000-0000-7000-8000-000000000007", "Immigration Office – Office des Étrangers (demo)", referral.KindCompetentAuthority, "BE", false},
		{"019a0000-0000-7000-8000-000000000008", "Harbour Administration", referral.KindOther, "BE", false},
		{"019a0000-0000-7000-8000-000000000009", "Metropolitan Police – Modern Slavery Unit (demo)", referral.KindPolice, "GB", false},
		{"019a0000-0000-7000-8000-00000000000a", "Single Competent Authority (demo)", referral.KindCompetentAuthority, "GB", false},
		{"019a0000-0000-7000-8000-00000000000b", "Centre Passerelle – specialised centre Brussels (demo)", referral.KindSpecialisedCentre, "BE", false},
		{"019a0000-0000-7000-8000-00000000000c", "Politie Rotterdam – AVIM (demo)", referral.KindPolice, "NL", false},
		{"019a0000-0000-7000-8000-00000000000d", "Nederlandse Arbeidsinspectie (demo)", referral.KindLabourInspectorate, "NL", false},
		{"019a0000-0000-7000-8000-00000000000e", "IND – Immigratie- en Naturalisatiedienst (demo)", referral.KindCompetentAuthority, "NL", false},
		{"019a0000-0000-7000-8000-00000000000f", "LKA Berlin – Menschenhandel (demo)", referral.KindPolice, "DE", false},
		{"019a0000-0000-7000-8000-000000000010", "Fachberatungsstelle Berlin (demo)", referral.KindSpecialisedCentre, "DE", false},
		{"019a0000-0000-7000-8000-000000000011", "Ausländerbehörde Berlin (demo)", referral.KindCompetentAuthority, "DE", false},
		{"019a0000-0000-7000-8000-000000000012", "Policía Nacional – UCRIF Barcelona (demo)", referral.KindPolice, "ES", true},
		{"019a0000-0000-7000-8000-000000000013", "Delegación del Gobierno en Cataluña (demo)", referral.KindCompetentAuthority, "ES", false},
	}
	users = []user{
		{"019a0000-0000-7000-8000-000000000101", "019a0000-0000-7000-8000-000000000001", "officer@demo.harbour.test", "Lucas Janssens", referral.RoleOfficer},
		{"019a0000-0000-7000-8000-000000000102", "019a0000-0000-7000-8000-000000000002", "shelter@demo.harbour.test", "王丽 (Wang Li)", referral.RoleShelterStaff},
		{"019a0000-0000-7000-8000-000000000103", "019a0000-0000-7000-8000-000000000004", "caseworker@demo.harbour.test", "Sophie Dubois", referral.RoleCaseworker},
		{"019a0000-0000-7000-8000-000000000104", "019a0000-0000-7000-8000-000000000007", "decision@demo.harbour.test", "Pieter De Smet", referral.RoleDecisionMaker},
		{"019a0000-0000-7000-8000-000000000105", "019a0000-0000-7000-8000-000000000001", "orgadmin@demo.harbour.test", "Anna Peeters", referral.RoleOrgAdmin},
		{"019a0000-0000-7000-8000-000000000106", "019a0000-0000-7000-8000-000000000008", "admin@demo.harbour.test", "Harbour Admin", referral.RoleAdmin},
		{"019a0000-0000-7000-8000-000000000107", "019a0000-0000-7000-8000-000000000009", "officer.uk@demo.harbour.test", "Grace Okafor", referral.RoleOfficer},
		{"019a0000-0000-7000-8000-000000000108", "019a0000-0000-7000-8000-00000000000a", "decision.uk@demo.harbour.test", "James Whitfield", referral.RoleDecisionMaker},
		{"019a0000-0000-7000-8000-000000000109", "019a0000-0000-7000-8000-00000000000b", "centre@demo.harbour.test", "Inès Lambert", referral.RoleCaseworker},
		{"019a0000-0000-7000-8000-00000000010a", "019a0000-0000-7000-8000-00000000000c", "officer.nl@demo.harbour.test", "Daan de Vries", referral.RoleOfficer},
		{"019a0000-0000-7000-8000-00000000010b", "019a0000-0000-7000-8000-00000000000d", "inspector.nl@demo.harbour.test", "Fatima el Amrani", referral.RoleOfficer},
		{"019a0000-0000-7000-8000-00000000010c", "019a0000-0000-7000-8000-00000000000e", "decision.nl@demo.harbour.test", "Sanne Bakker", referral.RoleDecisionMaker},
		{"019a0000-0000-7000-8000-00000000010d", "019a0000-0000-7000-8000-00000000000f", "officer.de@demo.harbour.test", "Jonas Weber", referral.RoleOfficer},
		{"019a0000-0000-7000-8000-00000000010e", "019a0000-0000-7000-8000-000000000010", "centre.de@demo.harbour.test", "Lea Schneider", referral.RoleCaseworker},
		{"019a0000-0000-7000-8000-00000000010f", "019a0000-0000-7000-8000-000000000011", "decision.de@demo.harbour.test", "Mehmet Yılmaz", referral.RoleDecisionMaker},
		{"019a0000-0000-7000-8000-000000000110", "019a0000-0000-7000-8000-000000000012", "officer.es@demo.harbour.test", "Lucía Fernández", referral.RoleOfficer},
		{"019a0000-0000-7000-8000-000000000111", "019a0000-0000-7000-8000-000000000013", "decision.es@demo.harbour.test", "Javier Moreno", referral.RoleDecisionMaker},
	}
)

// Load loads the demo data set through the domain's public API, as the system. It is
// idempotent: records already there (even if edited since) are left alone. It returns the demo
// sign-ins.
func Load(ctx context.Context, d *referral.Domain) ([]SignIn, error) {
	ctx = referral.WithActor(ctx, referral.SystemActor("demo"))
	for _, o := range orgs {
		in := referral.OrganisationInput{ID: uuid.MustParse(o.id), Name: &o.name, Kind: &o.kind, Country: &o.country, FirstResponder: &o.firstResponder}
		if _, _, err := d.CreateOrganisation(ctx, in); err != nil && referral.ErrorCode(err) != referral.CodeConflict {
			return nil, err
		}
	}
	if err := loadServices(ctx, d); err != nil {
		return nil, err
	}
	password := Password
	for _, u := range users {
		roles := []referral.Role{u.role}
		in := referral.UserInput{ID: uuid.MustParse(u.id), OrganisationID: uuid.MustParse(u.org), Email: &u.email,
			Name: &u.name, Roles: &roles, Password: &password}
		if _, _, err := d.CreateUser(ctx, in); err != nil && referral.ErrorCode(err) != referral.CodeConflict && !isEmailTaken(err) {
			return nil, err
		}
	}
	if err := loadNRMHistory(ctx, d); err != nil {
		return nil, err
	}
	return SignIns(ctx, d)
}

// SignIns lists the demo accounts still present and active.
func SignIns(ctx context.Context, d *referral.Domain) ([]SignIn, error) {
	ctx = referral.WithActor(ctx, referral.SystemActor("demo"))
	var out []SignIn
	for _, u := range users {
		switch found, err := d.User(ctx, uuid.MustParse(u.id)); {
		case referral.ErrorCode(err) == referral.CodeNotFound:
		case err != nil:
			return nil, err
		case found.Active:
			out = append(out, SignIn{Role: u.role, Email: u.email})
		}
	}
	return out, nil
}

func isEmailTaken(err error) bool {
	var e *referral.Error
	return errors.As(err, &e) && len(e.Fields) == 1 && e.Fields[0].MessageID == "error.user.email_taken"
}
