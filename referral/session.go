package referral

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Session is a signed-in browser. The cookie holds a random token; only its hash is stored.
type Session struct {
	ID         uuid.UUID `gorm:"primaryKey"`
	TokenHash  []byte
	UserID     uuid.UUID
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// Identity is who a session or API token belongs to, as loaded for one request.
type Identity struct {
	User         User
	Organisation Organisation
	SessionID    uuid.UUID // zero when signed in with an API token
	TokenID      uuid.UUID // zero when signed in with a session
}

// Actor returns the identity as the actor that authorization decides about.
func (i Identity) Actor() Actor {
	return Actor{UserID: i.User.ID, OrganisationID: i.User.OrganisationID, Roles: i.User.Roles}
}

// touchEvery limits writes: a session's last-seen time is refreshed at most once a minute.
const touchEvery = time.Minute

func randomToken(prefix string) (token string, hash []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

func (d *Domain) createSession(tx *gorm.DB, now time.Time, userID uuid.UUID) (string, error) {
	token, hash := randomToken("")
	sess := Session{ID: newID(), TokenHash: hash, UserID: userID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(d.cfg.SessionLifetime)}
	return token, tx.Create(&sess).Error
}

// SessionIdentity returns who holds the session token, refreshing its idle timer. An unknown,
// idle or expired session, or one whose user or organisation was deactivated, is unauthenticated.
func (d *Domain) SessionIdentity(ctx context.Context, token string) (Identity, error) {
	now := d.Now()
	db := d.db.WithContext(ctx)
	var sess Session
	err := db.Where("token_hash = ? AND expires_at > ? AND last_seen_at > ?",
		hashToken(token), now, now.Add(-d.cfg.SessionIdle)).First(&sess).Error
	if err != nil {
		return Identity{}, unauthenticated(err)
	}
	id, err := d.identity(db, sess.UserID)
	if err != nil {
		return Identity{}, err
	}
	id.SessionID = sess.ID
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		if err := db.Model(&sess).Update("last_seen_at", now).Error; err != nil {
			return Identity{}, err
		}
	}
	return id, nil
}

func (d *Domain) identity(db *gorm.DB, userID uuid.UUID) (Identity, error) {
	var id Identity
	u, err := loadUser(db, userID)
	if err != nil || !u.Active {
		return id, unauthenticated(err)
	}
	if err := db.First(&id.Organisation, "id = ?", u.OrganisationID).Error; err != nil || !id.Organisation.Active {
		return id, unauthenticated(err)
	}
	id.User = u
	return id, nil
}

// unauthenticated maps "not found" to the unauthenticated error and keeps real failures.
func unauthenticated(err error) error {
	if err == nil || err == gorm.ErrRecordNotFound || err == ErrNotFound {
		return ErrUnauthenticated
	}
	return err
}

// SignOut ends the session holding this token.
func (d *Domain) SignOut(ctx context.Context, token string) error {
	return d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		var sess Session
		if err := tx.Where("token_hash = ?", hashToken(token)).First(&sess).Error; err != nil {
			return nil // already gone: signing out twice is not an error
		}
		if err := tx.Delete(&sess).Error; err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, ActorFrom(ctx), auditEntry{Action: "signout", RecordType: "user", RecordID: sess.UserID.String()})
	})
}

// DeleteExpiredSessions removes sessions that can no longer be used; run periodically.
func (d *Domain) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	now := d.Now()
	res := d.db.WithContext(ctx).Where("expires_at <= ? OR last_seen_at <= ?", now, now.Add(-d.cfg.SessionIdle)).Delete(&Session{})
	return res.RowsAffected, res.Error
}
