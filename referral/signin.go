package referral

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// SignInResult is a successful sign-in: the session token for the cookie, and who signed in.
type SignInResult struct {
	Token    string
	Identity Identity
}

// SignIn checks an e-mail and password and opens a session. Every attempt is audited; repeated
// failures for the account or the client address are slowed, then refused for a while. The error
// for a wrong password and an unknown account is the same, so accounts cannot be discovered.
func (d *Domain) SignIn(ctx context.Context, email, password string) (SignInResult, error) {
	email = normalEmail(email)
	now := d.Now()
	policy := d.cfg.Throttle
	keys := policy.keys(email, RequestFrom(ctx).ClientAddr)
	rows, err := d.throttleRows(ctx, keys)
	if err != nil {
		return SignInResult{}, err
	}
	if refusal := policy.refusal(rows, keys, now); refusal != nil {
		return SignInResult{}, d.refused(ctx, now, refusal)
	}

	var row identityRow
	found := identities(d.db.WithContext(ctx)).Take(&row, "email = ?", email).Error == nil
	u := row.User
	hash := d.dummyHash()
	if found {
		hash = u.PasswordHash
	}
	if !passwordMatches(password, hash) || !found || !u.Active || !row.Organisation.Active {
		return SignInResult{}, d.signInFailed(ctx, keys, u, found)
	}
	id := row.identity()
	var res SignInResult
	err = d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		if err := policy.forgetAccount(tx, keys); err != nil {
			return err
		}
		token, err := d.createSession(tx, now, u.ID)
		if err != nil {
			return err
		}
		res = SignInResult{Token: token, Identity: id}
		return appendAudit(ctx, tx, now, id.Actor(), auditEntry{Action: "signin.succeeded", RecordType: "user", RecordID: u.ID.String()})
	})
	return res, err
}

// signInFailed counts the failure and audits it, naming the account only when it exists.
func (d *Domain) signInFailed(ctx context.Context, keys []throttleKey, u User, found bool) error {
	result := error(Errorf(CodeUnauthenticated, "error.signin.failed", nil))
	err := d.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		locked, err := d.cfg.Throttle.recordFailure(tx, keys, now)
		if err != nil {
			return err
		}
		if locked {
			result = lockedError(d.cfg.Throttle.LockFor)
		}
		recordID, reason := "", "unknown_account"
		if found {
			recordID, reason = u.ID.String(), "password"
			if !u.Active {
				reason = "inactive"
			}
		}
		return appendAudit(ctx, tx, now, Actor{}, auditEntry{Action: "signin.failed", RecordType: "user",
			RecordID: recordID, Detail: Detail{"reason": reason}})
	})
	if err != nil {
		return err
	}
	return result
}

// refused audits an attempt the throttle turned away, and returns the refusal.
func (d *Domain) refused(ctx context.Context, now time.Time, refusal error) error {
	err := d.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return appendAudit(ctx, tx, now, Actor{}, auditEntry{Action: "signin.refused", RecordType: "user"})
	})
	if err != nil {
		return err
	}
	return refusal
}
