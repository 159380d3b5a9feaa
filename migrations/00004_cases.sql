-- Operations (a raid or action day), cases (one identified person each) and her consents,
-- recorded by frontline officers, often offline: IDs are chosen by the device, so a retried
-- upload finds the record it already made.

-- +goose Up
CREATE TABLE operations (
    id              uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),   -- the lead organisation
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    day             date NOT NULL,
    area            text NOT NULL DEFAULT '',
    created_by      uuid REFERENCES users (id),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX operations_organisation_idx ON operations (organisation_id, day DESC);

-- A person, as she is recorded at first contact. Only the organisation and the reference are
-- required; everything else can come later. Names are personal data: they are read only through
-- the domain, which audits every read.
CREATE TABLE cases (
    id                 uuid PRIMARY KEY,
    reference          text NOT NULL UNIQUE,                        -- HB-XXXX-XX, Crockford base32
    organisation_id    uuid NOT NULL REFERENCES organisations (id), -- who recorded her
    operation_id       uuid REFERENCES operations (id),
    created_by         uuid REFERENCES users (id),
    language           text NOT NULL DEFAULT '',                    -- cmn, wuu, yue… (dialect as its own code)
    other_languages    jsonb NOT NULL DEFAULT '[]',
    gender             text NOT NULL DEFAULT '' CHECK (gender IN ('', 'female', 'male', 'other')),
    age                integer CHECK (age BETWEEN 0 AND 120),
    birth_date         date,
    appears_minor      boolean NOT NULL DEFAULT false,
    nationality        text NOT NULL DEFAULT '',                    -- ISO 3166-1 alpha-2
    name_original      text NOT NULL DEFAULT '',                    -- as she gives it, in any script
    name_latin         text NOT NULL DEFAULT '',
    interpreter_needed boolean NOT NULL DEFAULT false,
    needs              jsonb NOT NULL DEFAULT '[]',                 -- bed_tonight, urgent_medical, …
    children           integer NOT NULL DEFAULT 0 CHECK (children BETWEEN 0 AND 12),
    exploitation_types jsonb NOT NULL DEFAULT '[]',
    indicators         jsonb NOT NULL DEFAULT '[]',
    found_at           text NOT NULL DEFAULT '',                    -- where she was found
    found_city         text NOT NULL DEFAULT '',
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX cases_operation_idx ON cases (operation_id, created_at);
CREATE INDEX cases_organisation_idx ON cases (organisation_id, created_at DESC);

-- Her answers to the consent questions, as she gave them: what was asked (scope, the text's
-- version, the language it was shown in), her answer, who recorded it and when. Never changed:
-- withdrawing is a new record answering "no", and the latest record of a scope is what holds.
CREATE TABLE consents (
    id              uuid PRIMARY KEY,
    case_id         uuid NOT NULL REFERENCES cases (id),
    scope           text NOT NULL CHECK (scope IN ('support', 'share', 'nrm')),
    given           boolean NOT NULL,
    organisations   jsonb NOT NULL DEFAULT '[]',                 -- share: the organisations named to her
    language        text NOT NULL,                               -- the language the question was shown in
    text_version    text NOT NULL,
    organisation_id uuid NOT NULL REFERENCES organisations (id), -- who recorded it
    recorded_by     uuid REFERENCES users (id),
    recorded_at     timestamptz NOT NULL
);
CREATE INDEX consents_case_idx ON consents (case_id, scope, recorded_at DESC);

-- +goose StatementBegin
CREATE FUNCTION consents_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'consents are append-only: withdraw with a new record' USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER consents_no_change BEFORE UPDATE OR DELETE ON consents
    FOR EACH ROW EXECUTE FUNCTION consents_append_only();

-- +goose Down
DROP TABLE consents;
DROP FUNCTION consents_append_only();
DROP TABLE cases;
DROP TABLE operations;
