-- Every step of a referral, as a timeline both sides see: who, when, what, why. A step's ID may
-- be chosen by the device, so a retried step is taken once.

-- +goose Up
CREATE TABLE referral_events (
    id              uuid PRIMARY KEY,
    referral_id     uuid NOT NULL REFERENCES referrals (id),
    action          text NOT NULL,
    from_status     text NOT NULL,
    to_status       text NOT NULL,
    reason_code     text NOT NULL DEFAULT '',
    note            text NOT NULL DEFAULT '',
    organisation_id uuid REFERENCES organisations (id),
    actor_user_id   uuid REFERENCES users (id),
    at              timestamptz NOT NULL
);
CREATE INDEX referral_events_referral_idx ON referral_events (referral_id, at, id);

-- +goose Down
DROP TABLE referral_events;
