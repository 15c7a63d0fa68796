-- The top_entities macro again, with dedupe := false: true counts each story once, leaving out the
-- articles that are near-copies of an earlier one (article_duplicates), from the counts and the
-- denominators alike (the daily aggregates' unique_* columns). Replaces 023_top_entities.sql.
-- top_entities(start_day, end_day, entity_kind := NULL, source := NULL, top_n := 20, dedupe := false): the
-- entities mentioned in the most articles between two days (inclusive), with their mentions and
-- share of all articles; entity_kind narrows to 'country', 'person', 'organisation' or 'place'.
-- Reads only the daily aggregates.
--   SELECT * FROM top_entities(DATE '2026-09-01', DATE '2026-09-30', entity_kind := 'person');
CREATE OR REPLACE MACRO top_entities(start_day, end_day, entity_kind := NULL, source := NULL, top_n := 20,
                                   dedupe := false) AS TABLE
WITH
total AS (
    SELECT sum(CASE WHEN dedupe THEN unique_articles ELSE articles END) AS all_articles
    FROM daily_totals
    WHERE day BETWEEN CAST(start_day AS DATE) AND CAST(end_day AS DATE)
      AND (source IS NULL OR source_id = source)
),
counts AS (
    SELECT entity_id, sum(CASE WHEN dedupe THEN unique_articles ELSE articles END) AS articles,
           sum(CASE WHEN dedupe THEN unique_mentions ELSE mentions END) AS mentions
    FROM daily_entity_counts
    WHERE day BETWEEN CAST(start_day AS DATE) AND CAST(end_day AS DATE)
      AND (source IS NULL OR source_id = source)
    GROUP BY entity_id
)
SELECT
    CAST(rank() OVER (ORDER BY c.articles DESC) AS INTEGER) AS rank,
    e.entity_id,
    e.name AS entity,
    e.kind,
    CAST(c.articles AS BIGINT) AS articles,
    CAST(c.mentions AS BIGINT) AS mentions,
    CAST(c.articles AS DOUBLE) / t.all_articles AS share
FROM counts AS c
JOIN entities AS e ON e.entity_id = c.entity_id
CROSS JOIN total AS t
WHERE entity_kind IS NULL OR e.kind = entity_kind
ORDER BY rank, e.name
LIMIT top_n;
