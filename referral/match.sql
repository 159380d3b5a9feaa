-- Ranks services for one person's needs (see docs/matching.md). Parameters:
--  $1 latitude, $2 longitude (0, 0 when unknown), $3 whether they are known, $4 categories and
--  $5 the search radius in metres for each, $6 her gender as a bit (0 = not recorded), $7 treated
--  as a minor, $8 age (NULL = unknown), $9 children, $10 her forms of exploitation as bits (0 = not
--  recorded), $11 cities to avoid (lower case), $12/$13 coordinates of places to avoid, $14 their radius in metres, $15 her first
--  language, $16 her other languages, $17 beds she needs, $18 needs a bed tonight, $19 now,
--  $20 results per category, $21 country bounding the search when there are no coordinates.
--
-- Built for a large directory and for plans prepared once: her point is computed once (OFFSET 0
-- keeps it from being folded into every row); each category is one scan of the (category, point)
-- GiST index within its own radius, ranked on its own with a bounded (top-N) sort; a shelter's
-- free beds are read only for shelters (its capacity counters and its open holds, two index
-- probes); only narrow columns are ranked and what the winners' cards show is read at the end.
-- Without coordinates every radius spans the globe.
SELECT top.id, top.category, top.distance, top.beds, top.families, s.languages, s.exploitation_types, s.interpreter,
       s.accepts_children, s.max_age IS NOT NULL AND s.max_age < 18 AS for_minors, s.confidential, s.response_minutes,
       top.s_language, top.s_specialism, top.score,
       -- What a result card shows (never an address: GET /services/{id} gives it to who may see it).
       s.organisation_id, o.name, o.time_zone, s.name, s.name_i18n, s.city, s.region, s.country, s.phone, s.email,
       s.open_always, s.opening_hours, s.hold_minutes
FROM (SELECT ll_to_earth($1::float8, $2::float8) AS point,
             ARRAY(SELECT id FROM organisations WHERE NOT active) AS inactive OFFSET 0) h
CROSS JOIN unnest($4::text[], $5::float8[]) WITH ORDINALITY AS want(category, radius, ord)
CROSS JOIN LATERAL ( -- the best of one category
    SELECT c.id, c.category, c.distance, c.s_language, c.s_specialism, c.free[1] AS beds, c.free[2] AS families,
           c.s_language + c.s_distance + c.s_specialism + c.s_response
         + CASE WHEN (c.free[1] >= $17::int OR ($9::int > 0 AND c.free[2] >= 1)) IS TRUE
                THEN 10 + least(5, greatest(0, c.free[1] - $17::int)) ELSE 0 END AS score
    FROM (
        SELECT s.id, s.category, d.distance,
               CASE WHEN s.category = 'shelter' THEN (
                   SELECT ARRAY[COALESCE(sum(cap.total - cap.placed - held.places) FILTER (WHERE cap.unit = 'bed'), 0),
                                COALESCE(sum(cap.total - cap.placed - held.places) FILTER (WHERE cap.unit = 'family_room'), 0)]::int[]
                   FROM service_capacity cap
                   CROSS JOIN LATERAL (SELECT COALESCE(sum(places), 0) AS places FROM holds
                       WHERE holds.service_id = cap.service_id AND holds.unit = cap.unit
                         AND holds.status IN ('active', 'confirmed') AND holds.expires_at > $19::timestamptz) held
                   WHERE cap.service_id = s.id) END AS free,
               CASE WHEN $15::text = ANY (s.language_codes) THEN 35
                    WHEN s.language_codes && $16::text[] THEN 20
                    WHEN s.interpreter THEN 10 ELSE 0 END AS s_language,
               CASE WHEN d.distance IS NULL THEN 0 ELSE greatest(0, 25 * (1 - d.distance / 200000.0)) END AS s_distance,
               CASE WHEN s.exploitation_bits & $10::int <> 0 THEN 10 ELSE 0 END
             + CASE WHEN $9::int > 0 AND s.accepts_children THEN 5
                    WHEN $7::bool AND s.max_age IS NOT NULL AND s.max_age < 18 THEN 5 ELSE 0 END AS s_specialism,
               CASE WHEN s.response_minutes IS NULL THEN 0 WHEN s.response_minutes <= 30 THEN 10
                    WHEN s.response_minutes <= 120 THEN 7 WHEN s.response_minutes <= 1440 THEN 3 ELSE 0 END AS s_response
        FROM services s
        CROSS JOIN LATERAL (SELECT CASE WHEN $3::bool
            THEN 2 * earth() * asin(least(1.0, cube_distance(h.point, s.point) / (2 * earth()))) END AS distance) d
        WHERE s.category = want.category AND s.active AND s.accepting
          -- Near her, within each category's radius (and the country without coordinates).
          AND earth_box(h.point, want.radius) @> s.point AND cube_distance(h.point, s.point) <= want.radius
          AND ($3::bool OR $21::text = '' OR s.country = $21::text)
          AND s.organisation_id <> ALL (h.inactive)
          -- Hard rules: who the service can take.
          AND ($6::int = 0 OR s.gender_bits = 0 OR s.gender_bits & $6::int <> 0)
          AND (NOT $7::bool OR s.accepts_minors)
          AND ($8::int IS NULL OR ((s.min_age IS NULL OR s.min_age <= $8::int) AND (s.max_age IS NULL OR s.max_age >= $8::int)))
          AND (NOT $7::bool OR $8::int IS NOT NULL OR s.min_age IS NULL OR s.min_age < 18)
          AND ($9::int = 0 OR s.category <> 'shelter' OR s.accepts_children)
          AND ($10::int = 0 OR s.exploitation_bits = 0 OR s.exploitation_bits & $10::int <> 0)
          -- Never near where she must not go.
          AND NOT (lower(s.city) = ANY ($11::text[]))
          AND (cardinality($12::float8[]) = 0 OR NOT EXISTS (
              SELECT 1 FROM unnest($12::float8[], $13::float8[]) AS avoid(lat, lon)
              WHERE cube_distance(ll_to_earth(avoid.lat, avoid.lon), s.point) < $14::float8))
        OFFSET 0 -- score from the computed columns, never recomputing the beds subquery
    ) c
    -- A shelter with no bed for her tonight cannot help tonight.
    WHERE NOT ($18::bool AND c.category = 'shelter' AND (c.free[1] >= $17::int OR ($9::int > 0 AND c.free[2] >= 1)) IS NOT TRUE)
    ORDER BY score DESC, c.distance NULLS LAST, c.id
    LIMIT $20::int
) top
JOIN services s ON s.id = top.id
JOIN organisations o ON o.id = s.organisation_id
ORDER BY want.ord, top.score DESC, top.distance NULLS LAST, top.id
