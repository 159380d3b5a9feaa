-- The service directory, bed holds and placements, and a small gazetteer for "where she is now".

-- +goose Up
-- Distances are computed in PostgreSQL, on an indexed point per service; btree_gist lets one
-- GiST index hold the category beside the point, so each category is one index scan.
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Matching tests thousands of services per request; JSON arrays are slow to test, so services
-- carry generated copies: the languages as text[], genders and forms of exploitation as bits in
-- the order of referral.Genders and referral.ExploitationTypes (a test keeps the two equal).
-- +goose StatementBegin
CREATE FUNCTION harbour_text_array(j jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT jsonb_array_elements_text(j))
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION harbour_bits(j jsonb, vocabulary text[]) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT COALESCE(bit_or(1 << (array_position(vocabulary, e) - 1)), 0)::integer
    FROM jsonb_array_elements_text(j) AS e
    WHERE array_position(vocabulary, e) IS NOT NULL
$$;
-- +goose StatementEnd

CREATE TABLE service_categories (
    code  text PRIMARY KEY,
    sort  integer NOT NULL
);
INSERT INTO service_categories (code, sort) VALUES
    ('shelter', 1), ('legal', 2), ('medical', 3), ('counselling', 4), ('interpretation', 5), ('return', 6), ('other', 99);

CREATE TABLE services (
    id                  uuid PRIMARY KEY,
    organisation_id     uuid NOT NULL REFERENCES organisations (id),
    category            text NOT NULL REFERENCES service_categories (code),
    name                text NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 200),
    name_i18n           jsonb NOT NULL DEFAULT '{}',        -- translations of the name, by language
    description         text NOT NULL DEFAULT '',
    description_i18n    jsonb NOT NULL DEFAULT '{}',
    languages           jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(languages) = 'array'),  -- spoken by staff: ISO 639-3 for Chinese varieties, BCP 47 otherwise
    interpreter         boolean NOT NULL DEFAULT false,     -- can arrange an interpreter
    genders             jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(genders) = 'array'),      -- empty: everyone
    min_age             integer CHECK (min_age BETWEEN 0 AND 120),
    max_age             integer CHECK (max_age BETWEEN 0 AND 120),
    accepts_minors      boolean NOT NULL DEFAULT false,
    accepts_children    boolean NOT NULL DEFAULT false,     -- a parent with children
    exploitation_types  jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(exploitation_types) = 'array'),  -- empty: all
    language_codes      text[] GENERATED ALWAYS AS (harbour_text_array(languages)) STORED,
    gender_bits         integer GENERATED ALWAYS AS (harbour_bits(genders, ARRAY['female', 'male', 'other'])) STORED,
    exploitation_bits   integer GENERATED ALWAYS AS (harbour_bits(exploitation_types, ARRAY['sexual', 'labour', 'criminal',
                            'domestic_servitude', 'organ_removal', 'forced_marriage', 'illegal_adoption', 'surrogacy', 'other'])) STORED,
    conditions          text NOT NULL DEFAULT '',
    address             text NOT NULL DEFAULT '',
    postal_code         text NOT NULL DEFAULT '',
    city                text NOT NULL CHECK (btrim(city) <> ''),
    region              text NOT NULL DEFAULT '',
    country             text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    latitude            double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude           double precision CHECK (longitude BETWEEN -180 AND 180),
    confidential        boolean NOT NULL DEFAULT false,
    -- The point distances are measured from. A confidential shelter's is rounded to 0.1°
    -- (about 10 km), so that distances, however often asked, never reveal where it is.
    point               earth GENERATED ALWAYS AS (CASE
                            WHEN latitude IS NULL OR longitude IS NULL THEN NULL
                            WHEN confidential THEN ll_to_earth(round(latitude::numeric, 1)::float8, round(longitude::numeric, 1)::float8)
                            ELSE ll_to_earth(latitude, longitude) END) STORED,
    open_always         boolean NOT NULL DEFAULT false,
    opening_hours       jsonb NOT NULL DEFAULT '[]',        -- [{"day":1..7,"opens":"09:00","closes":"17:00"}], in the organisation's zone
    accepting           boolean NOT NULL DEFAULT true,      -- takes referrals now
    response_minutes    integer CHECK (response_minutes > 0),
    hold_minutes        integer NOT NULL DEFAULT 240 CHECK (hold_minutes BETWEEN 15 AND 2880),
    phone               text NOT NULL DEFAULT '',
    email               text NOT NULL DEFAULT '',
    active              boolean NOT NULL DEFAULT true,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    CHECK (min_age IS NULL OR max_age IS NULL OR min_age <= max_age),
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX services_category_point_idx ON services USING gist (category, point) WHERE active AND accepting;
CREATE INDEX services_category_idx ON services (category, country) WHERE active AND accepting;
CREATE INDEX services_organisation_idx ON services (organisation_id);
CREATE INDEX services_city_idx ON services (lower(city));
-- Matching leaves out the services of inactive organisations; they are few, and found here.
CREATE INDEX organisations_inactive_idx ON organisations (id) WHERE NOT active;

-- Capacity by unit: beds, family rooms. "placed" counts the places taken by people staying,
-- kept in step with placements under this row's lock (check-in and check-out take it), so free
-- beds are known without counting placements — matching reads thousands of shelters at once.
CREATE TABLE service_capacity (
    service_id  uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    unit        text NOT NULL CHECK (unit IN ('bed', 'family_room')),
    total       integer NOT NULL CHECK (total BETWEEN 0 AND 10000),
    placed      integer NOT NULL DEFAULT 0 CHECK (placed >= 0),
    PRIMARY KEY (service_id, unit)
);

-- A bed held for a person for a while. Open holds (active or confirmed, not yet expired) and
-- present placements count against capacity; the capacity row's lock orders concurrent holds.
CREATE TABLE holds (
    id               uuid PRIMARY KEY,
    service_id       uuid NOT NULL REFERENCES services (id),
    unit             text NOT NULL CHECK (unit IN ('bed', 'family_room')),
    places           integer NOT NULL DEFAULT 1 CHECK (places BETWEEN 1 AND 20),
    organisation_id  uuid NOT NULL REFERENCES organisations (id),   -- who holds it
    created_by       uuid REFERENCES users (id),
    case_id          uuid,
    reference        text NOT NULL DEFAULT '',                      -- the person's short reference, never a name
    status           text NOT NULL CHECK (status IN ('active', 'confirmed', 'released', 'expired', 'checked_in')),
    expires_at       timestamptz NOT NULL,
    ended_at         timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX holds_open_idx ON holds (service_id, unit, expires_at) WHERE status IN ('active', 'confirmed');
CREATE INDEX holds_expiry_idx ON holds (expires_at) WHERE status IN ('active', 'confirmed');
CREATE INDEX holds_organisation_idx ON holds (organisation_id, created_at);

CREATE TABLE placements (
    id              uuid PRIMARY KEY,
    service_id      uuid NOT NULL REFERENCES services (id),
    unit            text NOT NULL CHECK (unit IN ('bed', 'family_room')),
    places          integer NOT NULL DEFAULT 1 CHECK (places BETWEEN 1 AND 20),
    hold_id         uuid UNIQUE REFERENCES holds (id),
    organisation_id uuid REFERENCES organisations (id),             -- who referred, when known
    case_id         uuid,
    reference       text NOT NULL DEFAULT '',
    status          text NOT NULL CHECK (status IN ('present', 'left')),
    checked_in_at   timestamptz NOT NULL,
    checked_in_by   uuid REFERENCES users (id),
    checked_out_at  timestamptz,
    checked_out_by  uuid REFERENCES users (id),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX placements_present_idx ON placements (service_id, unit) WHERE status = 'present';

-- Places people name ("Brussels"), to measure distances from when no coordinates are known.
CREATE TABLE places (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL,
    country    text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    latitude   double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude  double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180)
);
CREATE UNIQUE INDEX places_name_key ON places (lower(name), country);

-- +goose Down
DROP TABLE places;
DROP INDEX organisations_inactive_idx;
DROP TABLE placements;
DROP TABLE holds;
DROP TABLE service_capacity;
DROP TABLE services;
DROP TABLE service_categories;
DROP FUNCTION harbour_bits(jsonb, text[]);
DROP FUNCTION harbour_text_array(jsonb);
DROP EXTENSION btree_gist;
DROP EXTENSION earthdistance;
DROP EXTENSION cube;
