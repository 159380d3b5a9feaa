package referral

import (
	"context"
	"strings"
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
func (s *Domain) SignIn(ctx context.Context, email, password string) (SignInResult, error) {
	email = strings.ToLower(cleanCode(email))
	now := s.Now()
	policy := s.cfg.Throttle
	keys := policy.keys(email, RequestFrom(ctx).ClientAddr)
	rows, err := s.throttleRows(ctx, keys)
	if err != nil {
		return SignInResult{}, err
	}
	if refusal := policy.refusal(rows, keys, now); refusal != nil {
		return SignInResult{}, s.refused(ctx, now, refusal)
	}

	var u User
	found := s.db.WithContext(ctx).First(&u, "email = ?", email).Error == nil
	hash := s.dummyHash()
	if found {
		hash = u.PasswordHash
	}
	if !passwordMatches(password, hash) || !found || !u.Active {
		return SignInResult{}, s.signInFailed(ctx, keys, u, found)
	}
	id, err := s.identity(s.db.WithContext(ctx), u.ID)
	if err != nil {
		return SignInResult{}, s.signInFailed(ctx, keys, u, found)
	}
	var res SignInResult
	err = s.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		if err := policy.forgetAccount(tx, keys); err != nil {
			return err
		}
		token, err := s.createSession(tx, now, u.ID)
		if err != nil {
			return err
		}
		res = SignInResult{Token: token, Identity: id}
		return appendAudit(ctx, tx, now, id.Actor(), auditEntry{Action: "signin.succeeded", RecordType: "user", RecordID: u.ID.String()})
	})
	return res, err
}

// signInFailed counts the failure and audits it, naming the account only when it exists.
func (s *Domain) signInFailed(ctx context.Context, keys []throttleKey, u User, found bool) error {
	result := error(Errorf(CodeUnauthenticated, "error.signin.failed", nil))
	err := s.inTx(ctx, func(tx *gorm.DB, now time.Time) error {
		locked, err := s.cfg.Throttle.recordFailure(tx, keys, now)
		if err != nil {
			return err
		}
		if locked {
			result = lockedError(s.cfg.Throttle.LockFor)
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
func (s *Domain) refused(ctx context.Context, now time.Time, refusal error) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return appendAudit(ctx, tx, now, Actor{}, auditEntry{Action: "signin.refused", RecordType: "user"})
	})
	if err != nil {
		return err
	}
	return refusal
}
