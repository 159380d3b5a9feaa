package referral

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"time"

	"gorm.io/gorm"
)

// ThrottlePolicy slows and then refuses repeated failed sign-ins, per account and per client
// address. Addresses get more room because a police station's phones may share one.
type ThrottlePolicy struct {
	Window      time.Duration // failures are forgotten after this long without another
	AccountFree int           // failures for an account before each next try must wait
	AccountLock int           // failures for an account that lock it
	AddrFree    int           // the same for one client address
	AddrLock    int
	BaseDelay   time.Duration // the first wait, doubled with each further failure
	MaxDelay    time.Duration
	LockFor     time.Duration
}

// DefaultThrottlePolicy returns Harbour's limits: three free tries per account, then waits of
// 2 s, 4 s, 8 s …, and a 15-minute lock at the tenth failure.
func DefaultThrottlePolicy() ThrottlePolicy {
	return ThrottlePolicy{
		Window: 15 * time.Minute, AccountFree: 3, AccountLock: 10, AddrFree: 20, AddrLock: 100,
		BaseDelay: 2 * time.Second, MaxDelay: time.Minute, LockFor: 15 * time.Minute,
	}
}

type signinThrottle struct {
	Key            string `gorm:"primaryKey"`
	Failures       int
	FirstFailureAt time.Time
	LastFailureAt  time.Time
	LockedUntil    *time.Time
}

func (signinThrottle) TableName() string { return "signin_throttle" }

// throttleKey is one thing being counted: an account (by a hash of its e-mail, so the table
// never holds an address that has no account) or a client address.
type throttleKey struct {
	key        string
	free, lock int
}

func (p ThrottlePolicy) keys(email, addr string) []throttleKey {
	sum := sha256.Sum256([]byte(email))
	keys := []throttleKey{{"account:" + hex.EncodeToString(sum[:]), p.AccountFree, p.AccountLock}}
	if addr != "" {
		keys = append(keys, throttleKey{"addr:" + addr, p.AddrFree, p.AddrLock})
	}
	return keys
}

// delay is how long to wait after the n-th failure before trying again.
func (p ThrottlePolicy) delay(n, free int) time.Duration {
	if n < free {
		return 0
	}
	d := time.Duration(float64(p.BaseDelay) * math.Pow(2, float64(n-free)))
	if d > p.MaxDelay || d <= 0 {
		return p.MaxDelay
	}
	return d
}

// refusal returns an error when the keys may not try now: locked, or asked to wait.
func (p ThrottlePolicy) refusal(rows map[string]signinThrottle, keys []throttleKey, now time.Time) error {
	for _, k := range keys {
		r, ok := rows[k.key]
		switch {
		case !ok:
			continue
		case r.LockedUntil != nil && r.LockedUntil.After(now):
			return lockedError(r.LockedUntil.Sub(now))
		case now.Sub(r.LastFailureAt) > p.Window:
			continue // the failures are forgotten
		}
		if wait := r.LastFailureAt.Add(p.delay(r.Failures, k.free)).Sub(now); wait > 0 {
			return &Error{Code: CodeTooManyRequests, MessageID: "error.signin.slow_down",
				Data: map[string]any{"Count": int(math.Ceil(wait.Seconds()))}, RetryAfter: wait}
		}
	}
	return nil
}

func lockedError(d time.Duration) error {
	return &Error{Code: CodeTooManyRequests, MessageID: "error.signin.locked",
		Data: map[string]any{"Count": int(math.Ceil(d.Minutes()))}, RetryAfter: d}
}

func (d *Domain) throttleRows(ctx context.Context, keys []throttleKey) (map[string]signinThrottle, error) {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.key
	}
	var rows []signinThrottle
	if err := d.db.WithContext(ctx).Where("key IN ?", names).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]signinThrottle, len(rows))
	for _, r := range rows {
		out[r.Key] = r
	}
	return out, nil
}

// recordFailure counts a failure for every key in one statement each (safe when several
// instances count at once) and reports whether any key is now locked.
func (p ThrottlePolicy) recordFailure(tx *gorm.DB, keys []throttleKey, now time.Time) (locked bool, err error) {
	for _, k := range keys {
		var failures int
		err := tx.Raw(`INSERT INTO signin_throttle (key, failures, first_failure_at, last_failure_at)
			VALUES (@key, 1, @now, @now)
			ON CONFLICT (key) DO UPDATE SET
				failures = CASE WHEN signin_throttle.last_failure_at < @forget THEN 1 ELSE signin_throttle.failures + 1 END,
				first_failure_at = CASE WHEN signin_throttle.last_failure_at < @forget THEN @now ELSE signin_throttle.first_failure_at END,
				last_failure_at = @now,
				locked_until = CASE WHEN signin_throttle.locked_until > @now THEN signin_throttle.locked_until END
			RETURNING failures`,
			map[string]any{"key": k.key, "now": now, "forget": now.Add(-p.Window)}).Scan(&failures).Error
		if err != nil {
			return false, err
		}
		if failures >= k.lock {
			locked = true
			if err := tx.Model(&signinThrottle{}).Where("key = ?", k.key).
				Updates(map[string]any{"locked_until": now.Add(p.LockFor), "failures": 0}).Error; err != nil {
				return false, err
			}
		}
	}
	return locked, nil
}

func (p ThrottlePolicy) forgetAccount(tx *gorm.DB, keys []throttleKey) error {
	return tx.Where("key = ?", keys[0].key).Delete(&signinThrottle{}).Error
}
