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
	id      string
	name    string
	kind    OrganisationKind
	country string
}

type demoUser struct {
	id, org, email, name string
	role                 Role
}

// The demo set is fictional: a police unit in Brussels after an action day, two shelters (the
// Brussels one with Mandarin- and Wenzhounese-speaking staff), legal, medical and counselling
// NGOs, a competent authority, and the platform's own administration; their services are in
// demo_services.go. A London police unit and the UK's Single Competent Authority show the UK's
// NRM, the default jurisdiction.
var (
	demoOrgs = []demoOrg{
		{"019a0000-0000-7000-8000-000000000001", "Brussels Police – Anti-Trafficking Unit", KindPolice, "BE"},
		{"019a0000-0000-7000-8000-000000000002", "Maison Lotus Shelter Brussels", KindShelter, "BE"},
		{"019a0000-0000-7000-8000-000000000003", "Huis Haven Shelter Antwerp", KindShelter, "BE"},
		{"019a0000-0000-7000-8000-000000000004", "Juristes Solidaires Legal Aid", KindNGO, "BE"},
		{"019a0000-0000-7000-8000-000000000005", "Medisch Centrum Noord Outreach", KindNGO, "BE"},
		{"019a0000-0000-7000-8000-000000000006", "Espace Écoute Counselling", KindNGO, "BE"},
		{"019a0000-0000-7000-8000-000000000007", "National Referral Authority (demo)", KindCompetentAuthority, "BE"},
		{"019a0000-0000-7000-8000-000000000008", "Harbour Administration", KindOther, "BE"},
		// England & Wales, for the UK's NRM (the default jurisdiction): a first responder and
		// the Single Competent Authority.
		{"019a0000-0000-7000-8000-000000000009", "Metropolitan Police – Modern Slavery Unit (demo)", KindPolice, "GB"},
		{"019a0000-0000-7000-8000-00000000000a", "Single Competent Authority (demo)", KindCompetentAuthority, "GB"},
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
	}
)

// LoadDemo loads the demo data set. It is idempotent: records already there (even if edited
// since) are left alone. It returns the demo sign-ins.
func (d *Domain) LoadDemo(ctx context.Context) ([]DemoSignIn, error) {
	ctx = WithActor(ctx, SystemActor("demo"))
	for _, o := range demoOrgs {
		in := OrganisationInput{ID: uuid.MustParse(o.id), Name: &o.name, Kind: &o.kind, Country: &o.country}
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
