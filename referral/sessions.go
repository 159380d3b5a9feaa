package referral

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
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
	usable := db.Model(&Session{}).Select("id, user_id, last_seen_at AS used_at").
		Where("token_hash = ? AND expires_at > ? AND last_seen_at > ?", hashToken(token), now, now.Add(-d.cfg.SessionIdle))
	row, err := credentialIdentity(db, usable)
	if err != nil {
		return Identity{}, err
	}
	if row.touchDue(now) {
		if err := db.Model(&Session{ID: row.CredentialID}).Update("last_seen_at", now).Error; err != nil {
			return Identity{}, err
		}
	}
	id := row.identity()
	id.SessionID = row.CredentialID
	return id, nil
}

// identityRow is who is acting, read in one query: the user with their roles and organisation
// and, for a request, the session or API token presented.
type identityRow struct {
	User
	RoleCodes    string       // see rolesColumn
	Organisation Organisation `gorm:"foreignKey:OrganisationID"`
	CredentialID uuid.UUID
	UsedAt       *time.Time // when the credential was last used (nil: never)
}

func (identityRow) TableName() string { return "users" }

// identities selects identityRows, with these further columns; callers add the conditions.
func identities(db *gorm.DB, columns ...string) *gorm.DB {
	return db.Model(&identityRow{}).Joins("Organisation").Select(append([]string{"users.*", rolesColumn}, columns...))
}

// credentialIdentity reads who presented a session or API token. usable selects the id, user_id
// and used_at of the credential if it may still be used. An unusable credential, and one whose
// user or organisation is inactive, is unauthenticated.
func credentialIdentity(db, usable *gorm.DB) (identityRow, error) {
	var row identityRow
	err := identities(db, "c.id AS credential_id", "c.used_at").
		Joins("JOIN (?) c ON c.user_id = users.id", usable).Take(&row).Error
	if err != nil || !row.Active || !row.Organisation.Active {
		return row, unauthenticated(err)
	}
	return row, nil
}

// touchDue reports whether the credential's last use should be recorded: at most once per
// touchEvery, to spare a write on every request.
func (r identityRow) touchDue(now time.Time) bool {
	return r.UsedAt == nil || now.Sub(*r.UsedAt) >= touchEvery
}

func (r identityRow) identity() Identity {
	u := r.User
	u.Roles = parseRoles(r.RoleCodes)
	return Identity{User: u, Organisation: r.Organisation}
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
		res := tx.Clauses(clause.Returning{}).Where("token_hash = ?", hashToken(token)).Delete(&sess)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error // none deleted: already gone, and signing out twice is not an error
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
