-- Closing the loop on referrals: when each referral must be answered by, alerts people get
-- (in the app, and by e-mail without personal details), what each person chooses to get, and
-- the mark that a hold's shelter was told it is about to lapse.

-- +goose Up
-- An unanswered referral is due by respond_by: the service's response window (a day when the
-- service names none) from when it was sent, or from when the referrer answered a question.
ALTER TABLE referrals ADD COLUMN respond_by timestamptz;
UPDATE referrals r SET respond_by = r.updated_at + make_interval(mins => coalesce(s.response_minutes, 1440))
    FROM services s WHERE s.id = r.service_id;
ALTER TABLE referrals ALTER COLUMN respond_by SET NOT NULL;
CREATE INDEX referrals_due_idx ON referrals (respond_by) WHERE status = 'sent';

-- When the shelter was told a hold is about to lapse: told once.
ALTER TABLE holds ADD COLUMN lapse_alerted_at timestamptz;
CREATE INDEX holds_lapse_idx ON holds (expires_at) WHERE status IN ('active', 'confirmed') AND lapse_alerted_at IS NULL;

-- One alert for one person. It names records (a referral, a hold, a suggested service) and the
-- person's short reference at most: never her name. email is whether and how it was mailed.
CREATE TABLE notifications (
    id                   uuid PRIMARY KEY,
    user_id              uuid NOT NULL REFERENCES users (id),
    kind                 text NOT NULL,
    action               text NOT NULL DEFAULT '',
    referral_id          uuid REFERENCES referrals (id),
    hold_id              uuid REFERENCES holds (id),
    suggested_service_id uuid REFERENCES services (id),
    reference            text NOT NULL DEFAULT '',
    urgent               boolean NOT NULL DEFAULT false,
    email                text NOT NULL DEFAULT 'none' CHECK (email IN ('none', 'due', 'sent', 'failed')),
    email_attempts       integer NOT NULL DEFAULT 0,
    email_after          timestamptz,
    created_at           timestamptz NOT NULL,
    read_at              timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_mail_idx ON notifications (email_after) WHERE email = 'due';
-- An escalation is raised once per record and person, however many instances run the job.
CREATE UNIQUE INDEX notifications_once_idx ON notifications (user_id, kind, coalesce(referral_id, hold_id))
    WHERE kind IN ('referral_overdue', 'hold_lapsing');

-- What each person chooses to be told, and in which language (their interface language when
-- empty). A person without a row gets every kind, in the app and by e-mail.
CREATE TABLE notification_settings (
    user_id    uuid PRIMARY KEY REFERENCES users (id),
    kinds      jsonb NOT NULL,    -- ["referral_received", ...]
    email      boolean NOT NULL DEFAULT true,
    language   text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE notification_settings;
DROP TABLE notifications;
DROP INDEX holds_lapse_idx;
ALTER TABLE holds DROP COLUMN lapse_alerted_at;
DROP INDEX referrals_due_idx;
ALTER TABLE referrals DROP COLUMN respond_by;
