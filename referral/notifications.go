package referral

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// NotificationKind is what an alert is about. Each person chooses which kinds they get.
type NotificationKind string

// The kinds of alert.
const (
	// NoteReferralReceived tells the receiving organisation's staff a referral is waiting.
	NoteReferralReceived NotificationKind = "referral_received"
	// NoteReferralUpdated tells the other side of a referral it moved (Action says how).
	NoteReferralUpdated NotificationKind = "referral_updated"
	// NoteReferralOverdue tells the referrer nobody answered in time, with the next best match.
	NoteReferralOverdue NotificationKind = "referral_overdue"
	// NoteHoldLapsing tells the shelter a bed held there is about to lapse.
	NoteHoldLapsing NotificationKind = "hold_lapsing"
	// NoteNRMUpdated tells the parties of an NRM record a step was taken (Action names it): a
	// new referral for the competent authority, a decision for the first responder.
	NoteNRMUpdated NotificationKind = "nrm_updated"
	// NoteNRMDeadline reminds the parties of an NRM record that a date is near (Action
	// "reminder"), or tells them a decision is overdue ("overdue").
	NoteNRMDeadline NotificationKind = "nrm_deadline"
)

// NotificationKinds lists every kind, in the order settings show them.
var NotificationKinds = []NotificationKind{NoteReferralReceived, NoteReferralUpdated, NoteReferralOverdue, NoteHoldLapsing,
	NoteNRMUpdated, NoteNRMDeadline}

// Email states of a notification.
const (
	emailNone   = "none"
	emailDue    = "due"
	emailSent   = "sent"
	emailFailed = "failed"
)

// LiveChannel is the PostgreSQL channel a notification's user ID is announced on when it is
// committed, so every app instance can tell that user's open pages at once.
const LiveChannel = "harbour_notifications"

// Notification is one alert for one person. It names records and at most the person's short
// reference, never her name; its text is the kind and action, translated when shown.
type Notification struct {
	ID                 uuid.UUID        `json:"id" gorm:"primaryKey"`
	UserID             uuid.UUID        `json:"-"`
	Kind               NotificationKind `json:"kind"`
	Action             string           `json:"action"` // a referral's step, for referral_updated
	ReferralID         *uuid.UUID       `json:"referral_id"`
	HoldID             *uuid.UUID       `json:"hold_id"`
	SuggestedServiceID *uuid.UUID       `json:"suggested_service_id"` // the next best match, for referral_overdue
	NRMRecordID        *uuid.UUID       `json:"nrm_record_id"`
	Reference          string           `json:"reference"`
	Urgent             bool             `json:"urgent"`
	Email              string           `json:"-"`
	EmailAttempts      int              `json:"-"`
	EmailAfter         *time.Time       `json:"-"`
	CreatedAt          time.Time        `json:"created_at"`
	ReadAt             *time.Time       `json:"read_at"`
}

// NotificationSettings are what a person chooses to be told, and in which language e-mails
// come (their interface language when empty).
type NotificationSettings struct {
	UserID    uuid.UUID          `json:"-" gorm:"primaryKey"`
	Kinds     []NotificationKind `json:"kinds" gorm:"serializer:json"`
	Email     bool               `json:"email"`
	Language  string             `json:"language"`
	UpdatedAt time.Time          `json:"-"`
}

// defaultSettings is what a person gets before choosing: everything, in the app and by e-mail.
func defaultSettings(user uuid.UUID) NotificationSettings {
	return NotificationSettings{UserID: user, Kinds: slices.Clone(NotificationKinds), Email: true}
}

// notify raises n for each of users who chose its kind, in tx: committed with the change it
// announces, or not at all. Those who chose e-mail get one (sent later by DeliverMail); every
// instance's open pages for them hear of it on commit (LiveChannel). An escalation raised
// before for the same record and person is not raised again.
func notify(tx *gorm.DB, now time.Time, users []uuid.UUID, n Notification) error {
	if len(users) == 0 {
		return nil
	}
	var rows []recipient
	err := tx.Raw(`SELECT u.id, coalesce(s.email, true) AS email FROM users u
		LEFT JOIN notification_settings s ON s.user_id = u.id
		WHERE u.id IN ? AND u.active AND (s.user_id IS NULL OR jsonb_exists(s.kinds, ?))
		ORDER BY u.id`, users, string(n.Kind)).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return err
	}
	out := make([]Notification, 0, len(rows))
	for _, r := range rows {
		m := n
		m.ID, m.UserID, m.CreatedAt, m.Email = newID(), r.ID, now, emailNone
		if r.Email {
			m.Email, m.EmailAfter = emailDue, &now
		}
		out = append(out, m)
	}
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&out)
	if res.Error != nil {
		return res.Error
	}
	ids := column(rows, func(r recipient) string { return r.ID.String() })
	return tx.Exec("SELECT pg_notify(?, u) FROM unnest(string_to_array(?, ',')) u", LiveChannel, strings.Join(ids, ",")).Error
}

// recipient is a person an alert is for, and whether they get it by e-mail too.
type recipient struct {
	ID    uuid.UUID
	Email bool
}

// membersOf lists the active people of the organisations who hold any of the roles.
func membersOf(tx *gorm.DB, orgs []uuid.UUID, roles ...Role) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	if len(orgs) == 0 {
		return ids, nil
	}
	err := tx.Raw(`SELECT DISTINCT u.id FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE u.organisation_id IN ? AND u.active AND r.role IN ?`, orgs, roles).Scan(&ids).Error
	return ids, err
}

// staffOf lists the active people of organisations who answer referrals there.
func staffOf(tx *gorm.DB, orgs ...uuid.UUID) ([]uuid.UUID, error) {
	return membersOf(tx, orgs, RoleShelterStaff, RoleCaseworker)
}

// senderOr lists who hears of what someone of an organisation sent: that person while they are
// active, otherwise the organisation's officers and caseworkers.
func senderOr(tx *gorm.DB, by *uuid.UUID, org uuid.UUID) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	if by != nil {
		if err := tx.Raw(`SELECT id FROM users WHERE id = ? AND active`, *by).Scan(&ids).Error; err != nil || len(ids) > 0 {
			return ids, err
		}
	}
	return membersOf(tx, []uuid.UUID{org}, RoleOfficer, RoleCaseworker)
}

// referrersOf lists who hears of a referral's answers: the person who sent it (senderOr).
func referrersOf(tx *gorm.DB, r Referral) ([]uuid.UUID, error) {
	return senderOr(tx, r.CreatedBy, r.FromOrganisationID)
}

// notifyStep tells the other side of a referral it took a step.
func notifyStep(tx *gorm.DB, now time.Time, r Referral, action ReferralAction, by side) error {
	var users []uuid.UUID
	var err error
	kind := NoteReferralUpdated
	switch {
	case action == ActionSend:
		kind = NoteReferralReceived
		users, err = staffOf(tx, r.ToOrganisationID)
	case by == receiverSide:
		users, err = referrersOf(tx, r)
	default:
		users, err = staffOf(tx, r.ToOrganisationID)
	}
	if err != nil {
		return err
	}
	ref, err := caseRef(tx, r.CaseID)
	if err != nil {
		return err
	}
	return notify(tx, now, users, Notification{Kind: kind, Action: string(action), ReferralID: &r.ID, Reference: ref, Urgent: r.Urgent})
}

// caseRef is a person's short reference.
func caseRef(tx *gorm.DB, caseID uuid.UUID) (string, error) {
	var ref string
	err := tx.Raw(`SELECT reference FROM cases WHERE id = ?`, caseID).Scan(&ref).Error
	return ref, err
}

// Notifications lists the signed-in person's latest alerts, newest first, and how many are
// unread.
func (d *Domain) Notifications(ctx context.Context, limit int) ([]Notification, int, error) {
	a := ActorFrom(ctx)
	if a.UserID == uuid.Nil {
		return nil, 0, ErrUnauthenticated
	}
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	db := d.db.WithContext(ctx)
	out := []Notification{}
	if err := db.Where("user_id = ?", a.UserID).Order("created_at DESC, id DESC").Limit(limit).Find(&out).Error; err != nil {
		return nil, 0, err
	}
	n, err := d.Unread(ctx)
	return out, n, err
}

// Unread counts the signed-in person's unread alerts (the badge).
func (d *Domain) Unread(ctx context.Context) (int, error) {
	a := ActorFrom(ctx)
	if a.UserID == uuid.Nil {
		return 0, nil
	}
	var n int64
	err := d.db.WithContext(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", a.UserID).Count(&n).Error
	return int(n), err
}

// Notification returns one of the signed-in person's alerts and marks it read: opening it is
// reading it. Anyone else's is not found.
func (d *Domain) Notification(ctx context.Context, id uuid.UUID) (Notification, error) {
	a := ActorFrom(ctx)
	var n Notification
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		if err := tx.First(&n, "id = ? AND user_id = ?", id, a.UserID).Error; err != nil {
			return notFound(err)
		}
		if n.ReadAt == nil {
			n.ReadAt = &now
			return tx.Model(&n).Update("read_at", now).Error
		}
		return nil
	})
	return n, err
}

// MarkNotificationsRead marks all the signed-in person's alerts read.
func (d *Domain) MarkNotificationsRead(ctx context.Context) error {
	a := ActorFrom(ctx)
	if a.UserID == uuid.Nil {
		return ErrUnauthenticated
	}
	return d.db.WithContext(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", a.UserID).
		Update("read_at", d.Now()).Error
}

// MyNotificationSettings returns what the signed-in person chose (everything, by default).
func (d *Domain) MyNotificationSettings(ctx context.Context) (NotificationSettings, error) {
	a := ActorFrom(ctx)
	if a.UserID == uuid.Nil {
		return NotificationSettings{}, ErrUnauthenticated
	}
	var s NotificationSettings
	if err := d.db.WithContext(ctx).Where("user_id = ?", a.UserID).Limit(1).Find(&s).Error; err != nil {
		return s, err
	}
	if s.UserID == uuid.Nil {
		return defaultSettings(a.UserID), nil
	}
	return s, nil
}

// SaveNotificationSettings replaces what the signed-in person chooses to be told. The language
// is an interface language, or empty for the one they use.
func (d *Domain) SaveNotificationSettings(ctx context.Context, in NotificationSettings) (NotificationSettings, error) {
	a := ActorFrom(ctx)
	if a.UserID == uuid.Nil {
		return NotificationSettings{}, ErrUnauthenticated
	}
	var p Problems
	if i := slices.IndexFunc(in.Kinds, func(k NotificationKind) bool { return !slices.Contains(NotificationKinds, k) }); i >= 0 {
		p.Add("kinds", "error.service.value", map[string]any{"Value": string(in.Kinds[i])})
	}
	// In the one order, once each.
	kinds := slices.DeleteFunc(slices.Clone(NotificationKinds), func(k NotificationKind) bool { return !slices.Contains(in.Kinds, k) })
	in.Language = d.cleanLanguage(&p, in.Language)
	if err := p.Err(); err != nil {
		return NotificationSettings{}, err
	}
	s := NotificationSettings{UserID: a.UserID, Kinds: kinds, Email: in.Email, Language: in.Language}
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		s.UpdatedAt = now
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&s).Error; err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, a, auditEntry{Action: "notifications.settings", RecordType: "user", RecordID: a.UserID.String()})
	})
	return s, err
}

// Mail is an e-mail to send for a notification: to whom, in which language, about what. It
// carries no personal details of the person referred, and none may be added to it.
type Mail struct {
	NotificationID uuid.UUID
	To             string
	Language       string // a staff language code, or "" for the default
	Kind           NotificationKind
	Action         string
	Urgent         bool
}

// mailAttempts is how often an e-mail is tried before it is given up (the alert stays in the app).
const mailAttempts = 5

// DeliverMail hands due e-mails to send one by one, each under a row lock taken with SKIP
// LOCKED, so that however many instances deliver at once each e-mail is sent once. A failed
// send is tried again later (1, 2, 4, 8 minutes), then given up. It returns how many were sent.
func (d *Domain) DeliverMail(ctx context.Context, send func(context.Context, Mail) error) (int, error) {
	sent := 0
	for range 100 {
		found, ok, err := d.deliverOne(ctx, send)
		if err != nil || !found {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// deliverOne sends the e-mail due first, if any, and records how it went.
func (d *Domain) deliverOne(ctx context.Context, send func(context.Context, Mail) error) (found, sent bool, err error) {
	err = d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		var row struct {
			Notification
			To       string
			Language string
		}
		err := tx.Raw(`SELECT n.*, u.email AS "to", coalesce(nullif(s.language, ''), u.language) AS language
			FROM notifications n JOIN users u ON u.id = n.user_id
			LEFT JOIN notification_settings s ON s.user_id = n.user_id
			WHERE n.email = 'due' AND n.email_after <= ?
			ORDER BY n.email_after LIMIT 1 FOR UPDATE OF n SKIP LOCKED`, now).Scan(&row).Error
		if err != nil || row.ID == uuid.Nil {
			return err
		}
		found = true
		serr := send(ctx, Mail{NotificationID: row.ID, To: row.To, Language: row.Language, Kind: row.Kind, Action: row.Action, Urgent: row.Urgent})
		if serr == nil {
			sent = true
			return tx.Model(&row.Notification).Update("email", emailSent).Error
		}
		d.log.Warn("e-mail not sent", "notification", row.ID.String(), "attempt", row.EmailAttempts+1, "error", serr.Error())
		next := map[string]any{"email_attempts": row.EmailAttempts + 1, "email_after": now.Add(time.Minute << row.EmailAttempts)}
		if row.EmailAttempts+1 >= mailAttempts {
			next["email"] = emailFailed
		}
		return tx.Model(&row.Notification).Updates(next).Error
	})
	return found, sent, err
}

// NotificationsSince lists the signed-in person's latest 100 alerts raised since t, oldest
// first: what a live page may not have shown yet.
func (d *Domain) NotificationsSince(ctx context.Context, t time.Time) ([]Notification, error) {
	a := ActorFrom(ctx)
	out := []Notification{}
	err := d.db.WithContext(ctx).Where("user_id = ? AND created_at >= ?", a.UserID, t).
		Order("created_at DESC, id DESC").Limit(100).Find(&out).Error
	slices.Reverse(out)
	return out, err
}

// MessageID is the message that says what the alert is about, e.g.
// "notification.referral_updated.accept"; MessageData gives its data.
func (n Notification) MessageID() string {
	if n.Kind == NoteReferralUpdated || n.Kind == NoteNRMDeadline {
		return "notification." + string(n.Kind) + "." + n.Action
	}
	return "notification." + string(n.Kind)
}

// MessageData is the data of MessageID's message: the person's reference.
func (n Notification) MessageData() map[string]any {
	if n.Kind == NoteNRMUpdated {
		return map[string]any{"Reference": n.Reference, "Step": n.Action}
	}
	return map[string]any{"Reference": n.Reference}
}

// Link is where the alert leads: the referral, or the hold.
func (n Notification) Link() string {
	switch {
	case n.ReferralID != nil:
		return "/referrals/" + n.ReferralID.String()
	case n.HoldID != nil:
		return "/holds/" + n.HoldID.String()
	case n.NRMRecordID != nil:
		return "/nrm/" + n.NRMRecordID.String()
	}
	return "/notifications"
}

// Wants reports whether the person chose to be told of kind k.
func (s NotificationSettings) Wants(k NotificationKind) bool { return slices.Contains(s.Kinds, k) }
