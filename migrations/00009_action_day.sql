-- The action day without seams: the organisations each jurisdiction's NRM needs to start it
-- (Belgium's and Germany's specialised centres, the Netherlands' labour inspectorate), and how
-- a stay at a shelter ended.

-- +goose Up
ALTER TABLE organisations DROP CONSTRAINT organisations_kind_check;
ALTER TABLE organisations ADD CONSTRAINT organisations_kind_check CHECK (kind IN ('police', 'shelter', 'ngo',
    'specialised_centre', 'labour_inspectorate', 'competent_authority', 'other'));

-- Why she left: the outcome the shelter chose at check-out, and a note for "other".
ALTER TABLE placements ADD COLUMN outcome text NOT NULL DEFAULT ''
    CHECK (outcome IN ('', 'moved_shelter', 'own_accommodation', 'returned_home', 'left_without_notice', 'other'));
ALTER TABLE placements ADD COLUMN outcome_note text NOT NULL DEFAULT '';

-- Homes count what waits for each organisation: its open holds and what it sent.
CREATE INDEX referrals_from_open_idx ON referrals (from_organisation_id) WHERE status IN ('sent', 'info_requested');
CREATE INDEX cases_needs_bed_idx ON cases (organisation_id, created_at DESC) WHERE needs @> '["bed_tonight"]';

-- +goose Down
DROP INDEX cases_needs_bed_idx;
DROP INDEX referrals_from_open_idx;
ALTER TABLE placements DROP COLUMN outcome_note;
ALTER TABLE placements DROP COLUMN outcome;
UPDATE organisations SET kind = 'ngo' WHERE kind IN ('specialised_centre', 'labour_inspectorate');
ALTER TABLE organisations DROP CONSTRAINT organisations_kind_check;
ALTER TABLE organisations ADD CONSTRAINT organisations_kind_check CHECK (kind IN ('police', 'shelter', 'ngo',
    'competent_authority', 'other'));
