-- Referrals: a person referred by one organisation to one service of another. Intake creates
-- them in state "sent"; the lifecycle (answers, follow-up, expiry) builds on this table.

-- +goose Up
CREATE TABLE referrals (
    id                   uuid PRIMARY KEY,
    case_id              uuid NOT NULL REFERENCES cases (id),
    service_id           uuid NOT NULL REFERENCES services (id),
    from_organisation_id uuid NOT NULL REFERENCES organisations (id),  -- the referrer
    to_organisation_id   uuid NOT NULL REFERENCES organisations (id),  -- runs the service
    hold_id              uuid REFERENCES holds (id),
    created_by           uuid REFERENCES users (id),
    status               text NOT NULL CHECK (status IN ('sent', 'accepted', 'declined', 'info_requested',
                                                         'in_progress', 'completed', 'withdrawn', 'expired')),
    urgent               boolean NOT NULL DEFAULT false,
    note                 text NOT NULL DEFAULT '',
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL
);
CREATE INDEX referrals_case_idx ON referrals (case_id, created_at);
CREATE INDEX referrals_to_idx ON referrals (to_organisation_id, status, created_at);
CREATE INDEX referrals_from_idx ON referrals (from_organisation_id, created_at);

-- +goose Down
DROP TABLE referrals;
