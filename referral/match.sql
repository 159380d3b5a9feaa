-- Ranks services for one person's needs (see docs/matching.md). Parameters:
--  $1 latitude, $2 longitude (NULL when unknown), $3 search radius in metres, $4 categories,
--  $5 gender ('' = not recorded), $6 treated as a minor, $7 age (NULL = unknown), $8 children,
--  $9 exploitation types, $10 cities to avoid (lower case), $11/$12 coordinates of places to
--  avoid, $13 their radius in metres, $14 her first language, $15 her other languages,
--  $16 beds she needs, $17 needs a bed tonight, $18 now, $19 results per category,
--  $20 country bounding the search when there are no coordinates ('' = anywhere).
WITH here AS (
    SELECT CASE WHEN $1::float8 IS NULL THEN NULL ELSE ll_to_earth($1::float8, $2::float8) END AS point
),
candidates AS (
    SELECT s.id, s.category, s.languages, s.interpreter, s.exploitation_types, s.accepts_children,
           s.accepts_minors, s.max_age, s.response_minutes, s.confidential,
           CASE WHEN h.point IS NULL OR s.point IS NULL THEN NULL ELSE earth_distance(h.point, s.point) END AS distance
    FROM services s
    JOIN organisations o ON o.id = s.organisation_id
    CROSS JOIN here h
    WHERE s.active AND s.accepting AND o.active
      AND s.category = ANY ($4::text[])
      -- Near her: the GiST index on the point finds these.
      AND (h.point IS NULL OR (s.point IS NOT NULL AND earth_box(h.point, $3::float8) @> s.point))
      AND ($20::text = '' OR h.point IS NOT NULL OR s.country = $20::text)
      -- Hard rules: who the service can take.
      AND ($5::text = '' OR s.genders = '[]'::jsonb OR jsonb_exists(s.genders, $5::text))
      AND (NOT $6::bool OR s.accepts_minors)
      AND ($7::int IS NULL OR ((s.min_age IS NULL OR s.min_age <= $7::int) AND (s.max_age IS NULL OR s.max_age >= $7::int)))
      AND (NOT $6::bool OR $7::int IS NOT NULL OR s.min_age IS NULL OR s.min_age < 18)
      AND ($8::int = 0 OR s.category <> 'shelter' OR s.accepts_children)
      AND (cardinality($9::text[]) = 0 OR s.exploitation_types = '[]'::jsonb OR jsonb_exists_any(s.exploitation_types, $9::text[]))
      -- Never near where she must not go.
      AND NOT (lower(s.city) = ANY ($10::text[]))
      AND NOT EXISTS (
          SELECT 1 FROM unnest($11::float8[], $12::float8[]) AS avoid(lat, lon)
          WHERE s.point IS NOT NULL AND earth_distance(ll_to_earth(avoid.lat, avoid.lon), s.point) < $13::float8)
),
free AS (
    SELECT c.id,
           (SELECT COALESCE(sum(total), 0) FROM service_capacity WHERE service_id = c.id AND unit = 'bed')
         - (SELECT COALESCE(sum(places), 0) FROM holds WHERE service_id = c.id AND unit = 'bed'
                AND status IN ('active', 'confirmed') AND expires_at > $18::timestamptz)
         - (SELECT COALESCE(sum(places), 0) FROM placements WHERE service_id = c.id AND unit = 'bed' AND status = 'present') AS beds,
           (SELECT COALESCE(sum(total), 0) FROM service_capacity WHERE service_id = c.id AND unit = 'family_room')
         - (SELECT COALESCE(sum(places), 0) FROM holds WHERE service_id = c.id AND unit = 'family_room'
                AND status IN ('active', 'confirmed') AND expires_at > $18::timestamptz)
         - (SELECT COALESCE(sum(places), 0) FROM placements WHERE service_id = c.id AND unit = 'family_room' AND status = 'present') AS families
    FROM candidates c
    WHERE c.category = 'shelter'
),
scored AS (
    SELECT c.*, f.beds, f.families,
           (c.category = 'shelter' AND ((f.beds >= $16::int) OR ($8::int > 0 AND f.families >= 1))) AS fits,
           CASE WHEN jsonb_exists(c.languages, $14::text) THEN 35
                WHEN jsonb_exists_any(c.languages, $15::text[]) THEN 20
                WHEN c.interpreter THEN 10 ELSE 0 END AS s_language,
           CASE WHEN c.distance IS NULL THEN 0 ELSE greatest(0, 25 * (1 - c.distance / 200000.0)) END AS s_distance,
           CASE WHEN cardinality($9::text[]) > 0 AND jsonb_exists_any(c.exploitation_types, $9::text[]) THEN 10 ELSE 0 END
         + CASE WHEN $8::int > 0 AND c.accepts_children THEN 5
                WHEN $6::bool AND c.max_age IS NOT NULL AND c.max_age < 18 THEN 5 ELSE 0 END AS s_specialism,
           CASE WHEN c.response_minutes IS NULL THEN 0 WHEN c.response_minutes <= 30 THEN 10
                WHEN c.response_minutes <= 120 THEN 7 WHEN c.response_minutes <= 1440 THEN 3 ELSE 0 END AS s_response
    FROM candidates c
    LEFT JOIN free f ON f.id = c.id
),
ranked AS (
    SELECT *,
           CASE WHEN category = 'shelter' AND fits THEN 10 + least(5, greatest(0, beds - $16::int)) ELSE 0 END AS s_capacity,
           row_number() OVER (PARTITION BY category ORDER BY
               s_language + s_distance + s_specialism + s_response
               + CASE WHEN category = 'shelter' AND fits THEN 10 + least(5, greatest(0, beds - $16::int)) ELSE 0 END DESC,
               distance NULLS LAST, id) AS rank
    FROM scored
    -- A shelter with no bed for her tonight cannot help tonight.
    WHERE NOT ($17::bool AND category = 'shelter' AND NOT fits)
)
SELECT id, category, distance, beds, families, languages, exploitation_types, interpreter, accepts_children,
       max_age IS NOT NULL AND max_age < 18 AS for_minors, confidential, response_minutes, s_language, s_specialism,
       s_language + s_distance + s_capacity + s_specialism + s_response AS score
FROM ranked
WHERE rank <= $19::int
ORDER BY category, rank
