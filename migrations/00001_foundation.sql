-- Foundation: organisations, users and roles, sessions, API tokens, sign-in throttling, audit trail.

-- +goose Up
CREATE TABLE organisations (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 200),
    kind        text NOT NULL CHECK (kind IN ('police', 'shelter', 'ngo', 'competent_authority', 'other')),
    country     text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    time_zone   text NOT NULL CHECK (time_zone <> ''),
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
-- Two organisations with names differing only in case would confuse every picker.
CREATE UNIQUE INDEX organisations_name_key ON organisations (lower(name));

-- The closed list of roles; user_roles refers to it so a typo can never grant nothing silently.
CREATE TABLE roles (
    code text PRIMARY KEY
);
INSERT INTO roles (code) VALUES
    ('officer'), ('shelter_staff'), ('caseworker'), ('decision_maker'), ('org_admin'), ('admin');

CREATE TABLE users (
    id                    uuid PRIMARY KEY,
    organisation_id       uuid NOT NULL REFERENCES organisations (id),
    email                 text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    name                  text NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 200),
    language              text NOT NULL DEFAULT '',  -- '' means: negotiate per request
    password_hash         text NOT NULL,
    must_change_password  boolean NOT NULL DEFAULT false,
    active                boolean NOT NULL DEFAULT true,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_organisation_idx ON users (organisation_id);

CREATE TABLE user_roles (
    user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role     text NOT NULL REFERENCES roles (code),
    PRIMARY KEY (user_id, role)
);

-- Server-side sessions: the cookie holds a random token, the table only its SHA-256,
-- so a copy of the database cannot be used to sign in.
CREATE TABLE sessions (
    id            uuid PRIMARY KEY,
    token_hash    bytea NOT NULL UNIQUE,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          text NOT NULL DEFAULT '',
    token_hash    bytea NOT NULL UNIQUE,
    prefix        text NOT NULL,
    created_at    timestamptz NOT NULL,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- Failed sign-ins per account (keyed by a hash of the e-mail, so no address is stored)
-- and per client address.
CREATE TABLE signin_throttle (
    key               text PRIMARY KEY,
    failures          integer NOT NULL,
    first_failure_at  timestamptz NOT NULL,
    last_failure_at   timestamptz NOT NULL,
    locked_until      timestamptz
);

-- The audit trail. Each event's hash covers its fields and the previous event's hash;
-- audit_chain holds the head, and its row lock orders concurrent appends.
CREATE TABLE audit_events (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at                     timestamptz NOT NULL,
    actor_user_id          uuid,
    actor_organisation_id  uuid,
    actor_system           text NOT NULL DEFAULT '',
    action                 text NOT NULL,
    record_type            text NOT NULL DEFAULT '',
    record_id              text NOT NULL DEFAULT '',
    request_id             text NOT NULL DEFAULT '',
    client_addr            text NOT NULL DEFAULT '',
    detail                 jsonb NOT NULL DEFAULT '{}',
    prev_hash              bytea NOT NULL,
    hash                   bytea NOT NULL UNIQUE
);
CREATE INDEX audit_events_org_idx ON audit_events (actor_organisation_id, id);
CREATE INDEX audit_events_record_idx ON audit_events (record_type, record_id, id);

CREATE TABLE audit_chain (
    id         integer PRIMARY KEY CHECK (id = 1),
    head_id    bigint NOT NULL,
    head_hash  bytea NOT NULL
);
INSERT INTO audit_chain (id, head_id, head_hash) VALUES (1, 0, '\x'::bytea);

-- +goose StatementBegin
CREATE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- +goose Down
DROP TABLE audit_chain;
DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
DROP TABLE signin_throttle;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE user_roles;
DROP TABLE users;
DROP TABLE roles;
DROP TABLE organisations;
