package referral

import (
	"context"
	"errors"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// User is a person who signs in to Harbour, a member of one organisation.
type User struct {
	ID                 uuid.UUID `json:"id" gorm:"primaryKey"`
	OrganisationID     uuid.UUID `json:"organisation_id"`
	Email              string    `json:"email"`
	Name               string    `json:"name"`
	Language           string    `json:"language"`
	PasswordHash       string    `json:"-"`
	MustChangePassword bool      `json:"must_change_password"`
	Active             bool      `json:"active"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
	Roles              []Role    `json:"roles" gorm:"-"`
}

type userRole struct {
	UserID uuid.UUID `gorm:"primaryKey"`
	Role   Role      `gorm:"primaryKey"`
}

func (userRole) TableName() string { return "user_roles" }

// UserInput is what an administrator sets when creating or editing a user. On update, nil fields
// are left as they are; the password is set only on create (see ResetPassword).
type UserInput struct {
	ID             uuid.UUID // chosen by the client on create (optional)
	OrganisationID uuid.UUID // create only
	Email          *string
	Name           *string
	Language       *string
	Roles          *[]Role
	Active         *bool
	Password       *string // create only
}

// applyUser validates the input into u against its organisation o.
func (d *Domain) applyUser(in UserInput, u *User, o Organisation, a Actor, creating bool) error {
	var p Problems
	if in.Email != nil || creating {
		u.Email = cleanEmail(&p, deref(in.Email))
	}
	if in.Name != nil || creating {
		u.Name = cleanText(&p, "name", deref(in.Name), true, 200)
	}
	if in.Language != nil {
		u.Language = d.cleanLanguage(&p, *in.Language)
	}
	if in.Roles != nil || creating {
		u.Roles = checkRoles(&p, deref(in.Roles), o, a)
	}
	if in.Active != nil {
		u.Active = *in.Active
	} else if creating {
		u.Active = true
	}
	if creating {
		checkPassword(&p, "password", deref(in.Password), u.Email)
	}
	if !creating && u.ID == a.UserID {
		// Nobody may lock themselves out: an admin keeps their admin roles and stays active.
		if !u.Active {
			p.Add("active", "error.user.self_deactivate", nil)
		}
		for _, r := range []Role{RoleAdmin, RoleOrgAdmin} {
			if a.Has(r) && !slices.Contains(u.Roles, r) {
				p.Add("roles", "error.user.self_demote", nil)
				break
			}
		}
	}
	return p.Err()
}

// cleanLanguage checks an interface language chosen by a user: one of Config.Languages, or ""
// to negotiate per request.
func (d *Domain) cleanLanguage(p *Problems, s string) string {
	s = cleanCode(s)
	if s != "" && !slices.Contains(d.cfg.Languages, s) {
		p.Add("language", "error.user.language", nil)
	}
	return s
}

// normalEmail is how e-mail addresses are stored and looked up: folded to ASCII width, trimmed,
// lower case.
func normalEmail(s string) string { return strings.ToLower(cleanCode(s)) }

func cleanEmail(p *Problems, s string) string {
	s = normalEmail(s)
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || len(s) > 254 {
		p.Add("email", "error.user.email", nil)
	}
	return s
}

// checkRoles returns the distinct valid roles; at least one, each allowed for the kind of the
// organisation, and admin only when granted by an admin (or the system).
func checkRoles(p *Problems, in []Role, o Organisation, a Actor) []Role {
	var out []Role
	for _, r := range in {
		r = Role(cleanCode(string(r)))
		switch {
		case !r.Valid():
			p.Add("roles", "error.user.role_unknown", map[string]any{"Role": string(r)})
		case !slices.Contains(RolesFor(o.Kind), r):
			p.Add("roles", "error.user.role_kind", map[string]any{"Role": string(r)})
		case r == RoleAdmin && !a.Has(RoleAdmin) && !a.IsSystem():
			p.Add("roles", "error.user.role_admin", nil)
		case !slices.Contains(out, r):
			out = append(out, r)
		}
	}
	if len(out) == 0 && !p.Has("roles") {
		p.Add("roles", "error.user.roles_required", nil)
	}
	sortRoles(out)
	return out
}

// sortRoles puts roles in the order of Roles.
func sortRoles(rs []Role) {
	slices.SortFunc(rs, func(x, y Role) int { return slices.Index(Roles, x) - slices.Index(Roles, y) })
}

// CreateUser creates a user in an organisation. A user created by another person must choose a
// new password at first sign-in; one created on the server's command line need not.
func (d *Domain) CreateUser(ctx context.Context, in UserInput) (User, bool, error) {
	a := ActorFrom(ctx)
	// Authorize before looking the organisation up, so nobody learns which IDs exist.
	if err := Authorize(a, ActUserCreate, Target{OrganisationID: in.OrganisationID}); err != nil {
		return User{}, false, err
	}
	var o Organisation
	if err := d.db.WithContext(ctx).First(&o, "id = ?", in.OrganisationID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return User{}, false, fieldError("organisation_id", "error.user.organisation", nil)
		}
		return User{}, false, err
	}
	u := User{ID: in.ID, OrganisationID: o.ID, MustChangePassword: !a.IsSystem()}
	if err := d.applyUser(in, &u, o, a, true); err != nil {
		return User{}, false, err
	}
	if u.ID == uuid.Nil {
		u.ID = newID()
	}
	hash, err := d.hashPassword(*in.Password)
	if err != nil {
		return User{}, false, err
	}
	u.PasswordHash = hash
	created := false
	err = d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		if existing, err := loadUser(tx, u.ID); err == nil {
			// A retry repeats the request exactly, password included.
			if !sameUser(existing, u) || !passwordMatches(*in.Password, existing.PasswordHash) {
				return Errorf(CodeConflict, "error.id_conflict", nil)
			}
			u = existing
			return nil
		}
		u.CreatedAt, u.UpdatedAt = now, now
		if err := tx.Omit("Roles").Create(&u).Error; err != nil {
			return duplicate(err, "email", "error.user.email_taken")
		}
		if err := saveRoles(tx, u); err != nil {
			return err
		}
		created = true
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "user.create", RecordType: "user", RecordID: u.ID.String(),
			Detail: Detail{"organisation_id": o.ID.String(), "roles": joinRoles(u.Roles)}})
	})
	return u, created, err
}

func sameUser(a, b User) bool {
	return a.OrganisationID == b.OrganisationID && a.Email == b.Email && a.Name == b.Name &&
		a.Language == b.Language && slices.Equal(a.Roles, b.Roles)
}

func saveRoles(tx *gorm.DB, u User) error {
	if err := tx.Where("user_id = ?", u.ID).Delete(&userRole{}).Error; err != nil {
		return err
	}
	rows := make([]userRole, len(u.Roles))
	for i, r := range u.Roles {
		rows[i] = userRole{UserID: u.ID, Role: r}
	}
	return tx.Create(&rows).Error
}

func joinRoles(rs []Role) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return strings.Join(out, ",")
}

// rolesColumn selects, with users, their roles joined by commas (role codes hold none).
const rolesColumn = "(SELECT string_agg(role, ',') FROM user_roles WHERE user_id = users.id) AS role_codes"

// parseRoles reads the roles rolesColumn selected.
func parseRoles(codes string) []Role {
	var out []Role
	for c := range strings.SplitSeq(codes, ",") {
		if c != "" {
			out = append(out, Role(c))
		}
	}
	sortRoles(out)
	return out
}

// userRow is a user read with their roles in the same query (usersWithRoles).
type userRow struct {
	User
	RoleCodes string
}

func (userRow) TableName() string { return "users" }

func (r userRow) user() User {
	r.User.Roles = parseRoles(r.RoleCodes)
	return r.User
}

// usersWithRoles selects userRows; callers add the conditions.
func usersWithRoles(db *gorm.DB) *gorm.DB {
	return db.Model(&userRow{}).Select("users.*", rolesColumn)
}

// loadUser reads a user with their roles.
func loadUser(tx *gorm.DB, id uuid.UUID) (User, error) {
	var r userRow
	if err := usersWithRoles(tx).Take(&r, "id = ?", id).Error; err != nil {
		return User{}, notFound(err)
	}
	return r.user(), nil
}

// UpdateUser changes a user's e-mail, name, language, roles or whether they may sign in.
// Deactivating a user ends their sessions at once.
func (d *Domain) UpdateUser(ctx context.Context, id uuid.UUID, in UserInput) (User, error) {
	a := ActorFrom(ctx)
	var u User
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		var err error
		if u, err = loadUser(tx, id); err != nil {
			return err
		}
		if err := authorizeChange(a, ActUserRead, ActUserUpdate, Target{OrganisationID: u.OrganisationID, UserID: u.ID}); err != nil {
			return err
		}
		var o Organisation
		if err := tx.First(&o, "id = ?", u.OrganisationID).Error; err != nil {
			return err
		}
		before := u
		before.Roles = slices.Clone(u.Roles)
		if err := d.applyUser(in, &u, o, a, false); err != nil {
			return err
		}
		return d.saveUserChanges(ctx, tx, now, a, before, u)
	})
	return u, err
}

func (d *Domain) saveUserChanges(ctx context.Context, tx *gorm.DB, now time.Time, a Actor, before, u User) error {
	changed := userChanges(before, u)
	if len(changed) == 0 {
		return nil
	}
	u.UpdatedAt = now
	if err := tx.Omit("Roles").Save(&u).Error; err != nil {
		return duplicate(err, "email", "error.user.email_taken")
	}
	if !slices.Equal(before.Roles, u.Roles) {
		if err := saveRoles(tx, u); err != nil {
			return err
		}
	}
	if !u.Active {
		if err := tx.Where("user_id = ?", u.ID).Delete(&Session{}).Error; err != nil {
			return err
		}
	}
	return appendAudit(ctx, tx, now, a, auditEntry{Action: "user.update", RecordType: "user", RecordID: u.ID.String(),
		Detail: Detail{"fields": strings.Join(changed, ",")}})
}

func userChanges(a, b User) []string {
	return changedFields([]fieldChange{
		{"email", a.Email == b.Email}, {"name", a.Name == b.Name}, {"language", a.Language == b.Language},
		{"roles", slices.Equal(a.Roles, b.Roles)}, {"active", a.Active == b.Active},
	})
}

// User returns one user the actor may see.
func (d *Domain) User(ctx context.Context, id uuid.UUID) (User, error) {
	u, err := loadUser(d.db.WithContext(ctx), id)
	if err != nil {
		return u, err
	}
	return visible(ctx, ActUserRead, Target{OrganisationID: u.OrganisationID, UserID: u.ID}, u)
}

// UserByEmail returns the user with this e-mail, for commands run on the server.
func (d *Domain) UserByEmail(ctx context.Context, email string) (User, error) {
	var r userRow
	if err := usersWithRoles(d.db.WithContext(ctx)).Take(&r, "email = ?", normalEmail(email)).Error; err != nil {
		return User{}, notFound(err)
	}
	u := r.user()
	return visible(ctx, ActUserRead, Target{OrganisationID: u.OrganisationID, UserID: u.ID}, u)
}

// ListUsers returns the users of one organisation, by name. Another organisation's list is
// not found, unless the actor is an admin.
func (d *Domain) ListUsers(ctx context.Context, orgID uuid.UUID) ([]User, error) {
	a := ActorFrom(ctx)
	if _, err := d.Organisation(ctx, orgID); err != nil {
		return nil, err
	}
	if err := Authorize(a, ActUserList, Target{OrganisationID: orgID}); err != nil {
		return nil, err
	}
	var rows []userRow
	if err := usersWithRoles(d.db.WithContext(ctx)).Where("organisation_id = ?", orgID).Order("lower(name), email").Find(&rows).Error; err != nil {
		return nil, err
	}
	users := make([]User, len(rows))
	for i, r := range rows {
		users[i] = r.user()
	}
	return users, nil
}
