package referral

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// APIToken lets a program act as a user through the API. Only a hash of the token is stored;
// the token itself is shown once, when created.
type APIToken struct {
	ID         uuid.UUID  `json:"id" gorm:"primaryKey"`
	UserID     uuid.UUID  `json:"user_id"`
	Name       string     `json:"name"`
	TokenHash  []byte     `json:"-"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// tokenPrefix marks Harbour tokens so secret scanners and people can recognise them.
const tokenPrefix = "hbt_"

// CreateToken makes a new API token for a user and returns it with the secret, which is never
// shown again. People create tokens for themselves; the server's command line for anyone.
func (d *Domain) CreateToken(ctx context.Context, userID uuid.UUID, name string) (APIToken, string, error) {
	a := ActorFrom(ctx)
	var p Problems
	name = cleanText(&p, "name", name, false, 100)
	if err := p.Err(); err != nil {
		return APIToken{}, "", err
	}
	var t APIToken
	var secret string
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		u, err := loadUser(tx, userID)
		if err != nil {
			return err
		}
		if err := Authorize(a, ActTokenCreate, Target{OrganisationID: u.OrganisationID, UserID: u.ID}); err != nil {
			return err
		}
		var hash []byte
		secret, hash = randomToken(tokenPrefix)
		t = APIToken{ID: newID(), UserID: u.ID, Name: name, TokenHash: hash, Prefix: secret[:len(tokenPrefix)+6], CreatedAt: now}
		if err := tx.Create(&t).Error; err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "token.create", RecordType: "api_token", RecordID: t.ID.String(),
			Detail: Detail{"user_id": u.ID.String()}})
	})
	return t, secret, err
}

// TokenIdentity returns who holds an API token. Revoked tokens, and tokens of deactivated users
// or organisations, are unauthenticated.
func (d *Domain) TokenIdentity(ctx context.Context, secret string) (Identity, error) {
	db := d.db.WithContext(ctx)
	usable := db.Model(&APIToken{}).Select("id, user_id, last_used_at AS used_at").
		Where("token_hash = ? AND revoked_at IS NULL", hashToken(secret))
	row, err := credentialIdentity(db, usable)
	if err != nil {
		return Identity{}, err
	}
	if now := d.Now(); row.touchDue(now) {
		if err := db.Model(&APIToken{ID: row.CredentialID}).Update("last_used_at", now).Error; err != nil {
			return Identity{}, err
		}
	}
	id := row.identity()
	id.TokenID = row.CredentialID
	return id, nil
}

// ListTokens returns a user's tokens, newest first.
func (d *Domain) ListTokens(ctx context.Context, userID uuid.UUID) ([]APIToken, error) {
	u, err := loadUser(d.db.WithContext(ctx), userID)
	if err != nil {
		return nil, err
	}
	if err := authorizeVisible(ActorFrom(ctx), ActTokenRead, Target{OrganisationID: u.OrganisationID, UserID: u.ID}); err != nil {
		return nil, err
	}
	var out []APIToken
	return out, d.db.WithContext(ctx).Where("user_id = ?", userID).Order("created_at DESC").Find(&out).Error
}

// RevokeToken stops a token from working. Revoking twice is not an error.
func (d *Domain) RevokeToken(ctx context.Context, id uuid.UUID) (APIToken, error) {
	a := ActorFrom(ctx)
	var t APIToken
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		if err := tx.First(&t, "id = ?", id).Error; err != nil {
			return notFound(err)
		}
		u, err := loadUser(tx, t.UserID)
		if err != nil {
			return err
		}
		if err := authorizeVisible(a, ActTokenRevoke, Target{OrganisationID: u.OrganisationID, UserID: u.ID}); err != nil {
			return err
		}
		if t.RevokedAt != nil {
			return nil
		}
		t.RevokedAt = &now
		if err := tx.Model(&t).Update("revoked_at", now).Error; err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "token.revoke", RecordType: "api_token", RecordID: t.ID.String()})
	})
	return t, err
}
