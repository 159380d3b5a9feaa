package referral_test

import (
	"testing"

	"github.com/harbour-nrm/harbour/referral"
)

func TestUsers(t *testing.T) {
	e := newEnv(t)
	police := e.org(t, "Police", referral.KindPolice)
	shelter := e.org(t, "Shelter", referral.KindShelter)
	orgAdmin := e.user(t, police, "orgadmin@example.org", referral.RoleOrgAdmin)
	shelterAdmin := e.user(t, shelter, "shelteradmin@example.org", referral.RoleOrgAdmin)

	newUser := func(email string, org referral.Organisation, roles ...referral.Role) referral.UserInput {
		return referral.UserInput{OrganisationID: org.ID, Email: ptr(email), Name: ptr("王芳"), Roles: &roles, Password: ptr(testPassword)}
	}

	t.Run("OrgAdminCreatesInOwnOrganisation", func(t *testing.T) {
		u, created, err := e.svc.CreateUser(as(orgAdmin), newUser("Officer.One@Example.org", police, referral.RoleOfficer))
		if err != nil || !created {
			t.Fatal(err)
		}
		if u.Email != "officer.one@example.org" || !u.MustChangePassword {
			t.Fatalf("user = %+v", u)
		}
	})
	t.Run("ErrOtherOrganisation", func(t *testing.T) {
		_, _, err := e.svc.CreateUser(as(shelterAdmin), newUser("x@example.org", police, referral.RoleOfficer))
		code(t, err, referral.CodeForbidden)
	})
	t.Run("ErrRoleNotForKind", func(t *testing.T) {
		_, _, err := e.svc.CreateUser(as(orgAdmin), newUser("y@example.org", police, referral.RoleShelterStaff))
		field(t, err, "roles", "error.user.role_kind")
	})
	t.Run("ErrOrgAdminCannotGrantAdmin", func(t *testing.T) {
		platform := e.org(t, "Platform", referral.KindOther)
		platformAdmin := e.user(t, platform, "padmin@example.org", referral.RoleOrgAdmin)
		_, _, err := e.svc.CreateUser(as(platformAdmin), newUser("z@example.org", platform, referral.RoleAdmin))
		field(t, err, "roles", "error.user.role_admin")
	})
	t.Run("ErrInvalidInput", func(t *testing.T) {
		in := newUser("not an email", police)
		in.Password = ptr("short")
		_, _, err := e.svc.CreateUser(as(orgAdmin), in)
		field(t, err, "email", "error.user.email")
		field(t, err, "roles", "error.user.roles_required")
		field(t, err, "password", "error.password.too_short")
	})
	t.Run("ErrEmailTaken", func(t *testing.T) {
		_, _, err := e.svc.CreateUser(as(orgAdmin), newUser("ORGADMIN@example.org", police, referral.RoleOfficer))
		field(t, err, "email", "error.user.email_taken")
	})
	t.Run("ErrSelfLockout", func(t *testing.T) {
		_, err := e.svc.UpdateUser(as(orgAdmin), orgAdmin.ID, referral.UserInput{Active: ptr(false)})
		field(t, err, "active", "error.user.self_deactivate")
		_, err = e.svc.UpdateUser(as(orgAdmin), orgAdmin.ID, referral.UserInput{Roles: &[]referral.Role{referral.RoleOfficer}})
		field(t, err, "roles", "error.user.self_demote")
	})
	t.Run("ReadAndListScopedToOrganisation", func(t *testing.T) {
		_, err := e.svc.User(as(shelterAdmin), orgAdmin.ID)
		code(t, err, referral.CodeNotFound)
		_, err = e.svc.ListUsers(as(shelterAdmin), police.ID)
		code(t, err, referral.CodeForbidden)
		users, err := e.svc.ListUsers(as(orgAdmin), police.ID)
		if err != nil || len(users) != 2 {
			t.Fatalf("users = %d, %v", len(users), err)
		}
		officer := users[0]
		if officer.Email == "orgadmin@example.org" {
			officer = users[1]
		}
		_, err = e.svc.ListUsers(as(officer), police.ID)
		code(t, err, referral.CodeForbidden)
		if _, err := e.svc.User(as(officer), officer.ID); err != nil {
			t.Fatalf("reading oneself: %v", err)
		}
	})
	t.Run("DeactivationEndsSessions", func(t *testing.T) {
		u := e.user(t, police, "leaver@example.org", referral.RoleOfficer)
		res, err := e.svc.SignIn(t.Context(), "leaver@example.org", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.UpdateUser(as(orgAdmin), u.ID, referral.UserInput{Active: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.SessionIdentity(t.Context(), res.Token)
		code(t, err, referral.CodeUnauthenticated)
	})
}
