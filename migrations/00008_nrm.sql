-- National Referral Mechanism records: a person's referral to the competent authority, its
-- decisions with their clocks, and anonymous Duty to Notify reports. The jurisdiction's rules
-- (states, steps, who takes them, periods, holidays) are data in referral/nrm; the state kept
-- here is derived from the events and cached for queues and sweeps.

-- +goose Up
-- Organisations that are first responders one by one (named NGOs, local authorities), beyond
-- the kinds their jurisdiction counts as first responders (police).
ALTER TABLE organisations ADD COLUMN first_responder boolean NOT NULL DEFAULT false;

CREATE TABLE nrm_records (
    id                    uuid PRIMARY KEY,
    case_id               uuid NOT NULL UNIQUE REFERENCES cases (id),
    kind                  text NOT NULL CHECK (kind IN ('nrm', 'dtn')),     -- dtn: only a mark that the report was made
    jurisdiction          text NOT NULL,
    organisation_id       uuid NOT NULL REFERENCES organisations (id),      -- the first responder that submitted
    submitted_by          uuid REFERENCES users (id),
    submitted_at          timestamptz NOT NULL,
    submitted_on          date NOT NULL,                                    -- the day, in the jurisdiction
    state                 text NOT NULL,
    awaiting              text NOT NULL DEFAULT '',                         -- the decision owed (rg, cg…), '' for none
    next_timer            text NOT NULL DEFAULT '',                         -- the date that matters next …
    next_on               date,                                             -- … its day
    next_at               timestamptz,                                      -- … and the moment that day ends there
    overdue               boolean NOT NULL DEFAULT false,                   -- an owed decision is past its day
    reminded_on           date,                                             -- next_on when its reminder went out
    overdue_alerted_on    date,                                             -- next_on when its overdue alert went out
    -- What the statistics count, fixed at submission. Never a name.
    exploitation_type     text NOT NULL DEFAULT 'not_specified',
    age_group             text NOT NULL DEFAULT 'unknown' CHECK (age_group IN ('adult', 'child', 'unknown')),
    gender                text NOT NULL DEFAULT 'unknown',
    nationality           text NOT NULL DEFAULT 'unknown',
    exploitation_location text NOT NULL DEFAULT 'unknown' CHECK (exploitation_location IN ('domestic', 'overseas', 'both', 'unknown')),
    referrer_kind         text NOT NULL DEFAULT '',
    -- The referral for the competent authority: personal data, read only through the domain,
    -- which audits every read. Empty for a dtn mark.
    person                jsonb,                                            -- her details as they stood at submission (NULL for a dtn mark)
    account               text NOT NULL DEFAULT '',                         -- what happened, in her words or the officer's
    exploitation_place    text NOT NULL DEFAULT '',
    crime_reference       text NOT NULL DEFAULT '',
    local_authority       text NOT NULL DEFAULT '',                         -- for a child
    safe_contact          text NOT NULL DEFAULT '',
    police_contact        boolean NOT NULL DEFAULT false,                   -- she agrees the police may contact her
    contact_phone         text NOT NULL DEFAULT '',                         -- the first responder's work phone
    updated_at            timestamptz NOT NULL
);
CREATE INDEX nrm_records_queue_idx ON nrm_records (jurisdiction, next_on) WHERE awaiting <> '';
CREATE INDEX nrm_records_due_idx ON nrm_records (next_on) WHERE next_on IS NOT NULL;
CREATE INDEX nrm_records_submitted_idx ON nrm_records (jurisdiction, submitted_on) WHERE kind = 'nrm';

-- Every step of a record: who took it, on which day it counts from, with the decision's
-- outcome and reasons. Never changed or deleted.
CREATE TABLE nrm_events (
    id              uuid PRIMARY KEY,
    record_id       uuid NOT NULL REFERENCES nrm_records (id),
    transition      text NOT NULL,
    from_state      text NOT NULL,
    to_state        text NOT NULL,
    decision        text NOT NULL DEFAULT '',      -- rg, cg, disqualification… ('' for other steps)
    outcome         text NOT NULL DEFAULT '',      -- positive, negative, disqualified…
    reasons         text NOT NULL DEFAULT '',
    decided_on      date NOT NULL,                 -- the day it counts from, in the jurisdiction
    actor_user_id   uuid REFERENCES users (id),
    organisation_id uuid REFERENCES organisations (id),
    at              timestamptz NOT NULL
);
CREATE INDEX nrm_events_record_idx ON nrm_events (record_id, at, id);
CREATE INDEX nrm_events_decided_idx ON nrm_events (decided_on) WHERE decision <> '';

-- +goose StatementBegin
CREATE FUNCTION nrm_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'NRM events are append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER nrm_events_no_change BEFORE UPDATE OR DELETE ON nrm_events
    FOR EACH ROW EXECUTE FUNCTION nrm_events_append_only();

-- Duty to Notify: an adult who did not agree to an NRM referral, reported without anything
-- that identifies her. No case, no name, no birth date, no place more precise than the
-- country, and only the day: nothing leads back to her record.
CREATE TABLE dtn_reports (
    id                    uuid PRIMARY KEY,
    jurisdiction          text NOT NULL,
    organisation_id       uuid NOT NULL REFERENCES organisations (id),      -- the reporting first responder
    reported_on           date NOT NULL,
    exploitation_types    jsonb NOT NULL DEFAULT '[]',
    exploitation_location text NOT NULL DEFAULT 'unknown' CHECK (exploitation_location IN ('domestic', 'overseas', 'both', 'unknown')),
    gender                text NOT NULL DEFAULT 'unknown',
    nationality           text NOT NULL DEFAULT 'unknown',
    referrer_kind         text NOT NULL DEFAULT ''
);
CREATE INDEX dtn_reports_reported_idx ON dtn_reports (jurisdiction, reported_on);

-- Alerts about an NRM record.
ALTER TABLE notifications ADD COLUMN nrm_record_id uuid REFERENCES nrm_records (id);

-- +goose Down
ALTER TABLE notifications DROP COLUMN nrm_record_id;
DROP TABLE dtn_reports;
DROP TABLE nrm_events;
DROP FUNCTION nrm_events_append_only();
DROP TABLE nrm_records;
ALTER TABLE organisations DROP COLUMN first_responder;
