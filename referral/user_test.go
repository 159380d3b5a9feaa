package referral_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/harbour-nrm/harbour/referral"
)

func TestUsers(t *testing.T) {
	e := newEnv(t)
	police := e.Org(t, "Police", referral.KindPolice)
	shelter := e.Org(t, "Shelter", referral.KindShelter)
	orgAdmin := e.User(t, police, "orgadmin@example.org", referral.RoleOrgAdmin)
	shelterAdmin := e.User(t, shelter, "shelteradmin@example.org", referral.RoleOrgAdmin)

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
	t.Run("ErrOrganisationExistenceHidden", func(t *testing.T) {
		// Whether an organisation exists is not revealed to someone who may not create in it.
		_, _, err := e.svc.CreateUser(as(shelterAdmin), newUser("x@example.org", referral.Organisation{ID: newUUID()}, referral.RoleOfficer))
		code(t, err, referral.CodeForbidden)
		_, err = e.svc.ListUsers(as(shelterAdmin), newUUID())
		code(t, err, referral.CodeNotFound)
	})
	t.Run("ErrRetryWithOtherPassword", func(t *testing.T) {
		in := newUser("retry@example.org", police, referral.RoleOfficer)
		in.ID = newUUID()
		if _, _, err := e.svc.CreateUser(as(orgAdmin), in); err != nil {
			t.Fatal(err)
		}
		if _, created, err := e.svc.CreateUser(as(orgAdmin), in); err != nil || created {
			t.Fatalf("exact retry: created=%v %v", created, err)
		}
		in.Password = ptr("a different long password")
		_, _, err := e.svc.CreateUser(as(orgAdmin), in)
		code(t, err, referral.CodeConflict)
	})
	t.Run("ErrRoleNotForKind", func(t *testing.T) {
		_, _, err := e.svc.CreateUser(as(orgAdmin), newUser("y@example.org", police, referral.RoleShelterStaff))
		field(t, err, "roles", "error.user.role_kind")
	})
	t.Run("ErrOrgAdminCannotGrantAdmin", func(t *testing.T) {
		platform := e.Org(t, "Platform", referral.KindOther)
		platformAdmin := e.User(t, platform, "padmin@example.org", referral.RoleOrgAdmin)
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
		code(t, err, referral.CodeNotFound)
		users, err := e.svc.ListUsers(as(orgAdmin), police.ID)
		if err != nil || len(users) != 3 {
			t.Fatalf("users = %d, %v", len(users), err)
		}
		var officer referral.User
		for _, u := range users {
			if u.Email == "officer.one@example.org" {
				officer = u
			}
		}
		_, err = e.svc.ListUsers(as(officer), police.ID)
		code(t, err, referral.CodeForbidden)
		if _, err := e.svc.User(as(officer), officer.ID); err != nil {
			t.Fatalf("reading oneself: %v", err)
		}
	})
	t.Run("DeactivationEndsSessions", func(t *testing.T) {
		u := e.User(t, police, "leaver@example.org", referral.RoleOfficer)
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

func newUUID() uuid.UUID { return uuid.Must(uuid.NewV7()) }
