package web

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// usersData lists an organisation's users.
type usersData struct {
	Organisation referral.Organisation
	Users        []referral.User
}

// userForm is the data of the user form: the roles this organisation's users may hold and,
// when editing, the user.
type userForm struct {
	Organisation referral.Organisation
	Roles        []referral.Role
	User         *referral.User
}

func (s *Site) usersPage(c echo.Context) error {
	o, err := s.organisationParam(c)
	if err != nil {
		return err
	}
	users, err := s.deps.Domain.ListUsers(c.Request().Context(), o.ID)
	if err != nil {
		return err
	}
	p := s.newPage(c, "users.title", usersData{Organisation: o, Users: users})
	s.notice(c, p)
	return s.render(c, http.StatusOK, "users", p)
}

// userFormPage prepares the user form of organisation o: a new user when u is nil.
func (s *Site) userFormPage(c echo.Context, o referral.Organisation, u *referral.User) *page {
	title := "users.new"
	if u != nil {
		title = "users.edit"
	}
	return s.newPage(c, title, userForm{Organisation: o, Roles: referral.RolesFor(o.Kind), User: u})
}

func (s *Site) newUserPage(c echo.Context) error {
	o, err := s.organisationParam(c)
	if err != nil {
		return err
	}
	if err := authorize(c, referral.ActUserCreate, referral.Target{OrganisationID: o.ID}); err != nil {
		return err
	}
	p := s.userFormPage(c, o, nil)
	p.Form.Values["id"] = newID()
	return s.render(c, http.StatusOK, "user", p)
}

func userInput(c echo.Context) referral.UserInput {
	email, name, lang := c.FormValue("email"), c.FormValue("name"), c.FormValue("language")
	params, _ := c.FormParams()
	roles := make([]referral.Role, 0, len(params["roles"]))
	for _, r := range params["roles"] {
		roles = append(roles, referral.Role(r))
	}
	return referral.UserInput{Email: &email, Name: &name, Language: &lang, Roles: &roles}
}

func (s *Site) createUser(c echo.Context) error {
	o, err := s.organisationParam(c)
	if err != nil {
		return err
	}
	in := userInput(c)
	in.ID, _ = uuid.Parse(c.FormValue("id"))
	in.OrganisationID = o.ID
	password := c.FormValue("password")
	in.Password = &password
	u, _, err := s.deps.Domain.CreateUser(c.Request().Context(), in)
	if err != nil {
		p := s.userFormPage(c, o, nil)
		p.Form.fill(c, "id", "email", "name", "language", "roles")
		keepID(p.Form)
		return s.refused(c, "user", p, err)
	}
	return c.Redirect(http.StatusSeeOther, "/organisations/"+u.OrganisationID.String()+"/users?notice=saved")
}

func (s *Site) userParam(c echo.Context) (referral.User, referral.Organisation, error) {
	id, err := idParam(c)
	if err != nil {
		return referral.User{}, referral.Organisation{}, err
	}
	ctx := c.Request().Context()
	u, err := s.deps.Domain.User(ctx, id)
	if err != nil {
		return u, referral.Organisation{}, err
	}
	if err := authorize(c, referral.ActUserUpdate, referral.Target{OrganisationID: u.OrganisationID, UserID: u.ID}); err != nil {
		return u, referral.Organisation{}, err
	}
	o, err := s.deps.Domain.Organisation(ctx, u.OrganisationID)
	return u, o, err
}

func (s *Site) userPage(c echo.Context) error {
	u, o, err := s.userParam(c)
	if err != nil {
		return err
	}
	p := s.userFormPage(c, o, &u)
	p.Form.Values = userValues(u)
	s.notice(c, p)
	return s.render(c, http.StatusOK, "user", p)
}

func (s *Site) updateUser(c echo.Context) error {
	u, o, err := s.userParam(c)
	if err != nil {
		return err
	}
	in := userInput(c)
	active := c.FormValue("active") == "on"
	in.Active = &active
	if _, err := s.deps.Domain.UpdateUser(c.Request().Context(), u.ID, in); err != nil {
		p := s.userFormPage(c, o, &u)
		p.Form.fill(c, "email", "name", "language", "roles", "active")
		return s.refused(c, "user", p, err)
	}
	return c.Redirect(http.StatusSeeOther, "/users/"+u.ID.String()+"?notice=saved")
}

// resetPassword gives the user a temporary password, to be replaced at their next sign-in. A
// refused one comes back on the user's page, the user form showing what is saved.
func (s *Site) resetPassword(c echo.Context) error {
	u, o, err := s.userParam(c)
	if err != nil {
		return err
	}
	if err := s.deps.Domain.ResetPassword(c.Request().Context(), u.ID, c.FormValue("password")); err != nil {
		p := s.userFormPage(c, o, &u)
		p.Form.Values = userValues(u)
		return s.refused(c, "user", p, err)
	}
	return c.Redirect(http.StatusSeeOther, "/users/"+u.ID.String()+"?notice=saved")
}

// userValues fills the user form from the saved user.
func userValues(u referral.User) map[string]string {
	v := map[string]string{"email": u.Email, "name": u.Name, "language": u.Language, "roles": multiValue(u.Roles)}
	if u.Active {
		v["active"] = "on"
	}
	return v
}
