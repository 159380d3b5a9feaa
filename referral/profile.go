package referral

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// ProfileInput is what people may change about themselves.
type ProfileInput struct {
	Name     *string
	Language *string
}

// UpdateProfile changes the signed-in user's own name or interface language.
func (d *Domain) UpdateProfile(ctx context.Context, in ProfileInput) (User, error) {
	a := ActorFrom(ctx)
	if a.UserID == uuid.Nil {
		return User{}, ErrUnauthenticated
	}
	var u User
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		var err error
		if u, err = loadUser(tx, a.UserID); err != nil {
			return err
		}
		before := u
		var p Problems
		if in.Name != nil {
			u.Name = cleanText(&p, "name", *in.Name, true, 200)
		}
		if in.Language != nil {
			u.Language = d.cleanLanguage(&p, *in.Language)
		}
		if err := p.Err(); err != nil {
			return err
		}
		return d.saveUserChanges(ctx, tx, now, a, before, u)
	})
	return u, err
}

// ChangePassword sets a new password for the signed-in user after checking the current one.
// Their other sessions end; the current one stays.
func (d *Domain) ChangePassword(ctx context.Context, current, next string, keepSession uuid.UUID) error {
	a := ActorFrom(ctx)
	if a.UserID == uuid.Nil {
		return ErrUnauthenticated
	}
	u, err := loadUser(d.db.WithContext(ctx), a.UserID)
	if err != nil {
		return err
	}
	var p Problems
	if !passwordMatches(current, u.PasswordHash) {
		p.Add("current_password", "error.password.wrong", nil)
	}
	checkPassword(&p, "new_password", next, u.Email)
	if current == next && !p.Has("new_password") {
		p.Add("new_password", "error.password.unchanged", nil)
	}
	if err := p.Err(); err != nil {
		return err
	}
	return d.setPassword(ctx, a, u, next, false, keepSession)
}

// ResetPassword gives a user a new temporary password, to be changed at their next sign-in, and
// ends all their sessions. For administrators of the user's organisation.
func (d *Domain) ResetPassword(ctx context.Context, userID uuid.UUID, temporary string) error {
	a := ActorFrom(ctx)
	u, err := loadUser(d.db.WithContext(ctx), userID)
	if err != nil {
		return err
	}
	if err := authorizeChange(a, ActUserRead, ActUserUpdate, Target{OrganisationID: u.OrganisationID, UserID: u.ID}); err != nil {
		return err
	}
	var p Problems
	checkPassword(&p, "password", temporary, u.Email)
	if err := p.Err(); err != nil {
		return err
	}
	return d.setPassword(ctx, a, u, temporary, !a.IsSystem(), uuid.Nil)
}

func (d *Domain) setPassword(ctx context.Context, a Actor, u User, password string, mustChange bool, keepSession uuid.UUID) error {
	hash, err := d.hashPassword(password)
	if err != nil {
		return err
	}
	return d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		err := tx.Model(&User{}).Where("id = ?", u.ID).
			Updates(map[string]any{"password_hash": hash, "must_change_password": mustChange, "updated_at": now}).Error
		if err != nil {
			return err
		}
		if err := tx.Where("user_id = ? AND id <> ?", u.ID, keepSession).Delete(&Session{}).Error; err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "user.password", RecordType: "user", RecordID: u.ID.String()})
	})
}
