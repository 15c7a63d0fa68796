-- The co_mentions macro again, with dedupe := false: true counts each story once, leaving out the
-- articles that are near-copies of an earlier one (article_duplicates), from the counts and the
-- denominators alike (the daily aggregates' unique_* columns). Replaces 021_co_mentions.sql.
-- co_mentions(a, b, grain, start_day := NULL, end_day := NULL, source := NULL, dedupe := false): per period,
-- the articles mentioning a, b, and both, all articles, and the shares. a and b are names as
-- resolve_entities() takes them ('russia', 'North Korea'). Periods without articles are left
-- out; the range defaults to all days stored. Reads only the daily aggregates.
--   SELECT * FROM co_mentions('russia', 'north korea', 'month');
CREATE OR REPLACE MACRO co_mentions(a, b, grain, start_day := NULL, end_day := NULL, source := NULL, dedupe := false) AS TABLE
WITH
ea AS (SELECT entity_id, name FROM resolve_entities([a]) ORDER BY entity_id LIMIT 1),
eb AS (SELECT entity_id, name FROM resolve_entities([b]) ORDER BY entity_id LIMIT 1),
pair AS (
    SELECT ea.entity_id AS id_a, eb.entity_id AS id_b, ea.name AS name_a, eb.name AS name_b,
           least(ea.entity_id, eb.entity_id) AS low_id, greatest(ea.entity_id, eb.entity_id) AS high_id
    FROM ea CROSS JOIN eb
),
bounds AS (
    SELECT coalesce(CAST(start_day AS DATE), (SELECT min(day) FROM daily_totals)) AS first_day,
           coalesce(CAST(end_day AS DATE), (SELECT max(day) FROM daily_totals)) AS last_day
),
totals AS (
    SELECT CAST(date_trunc(grain, t.day) AS DATE) AS period, sum(CASE WHEN dedupe THEN t.unique_articles ELSE t.articles END) AS total_articles
    FROM daily_totals AS t CROSS JOIN bounds
    WHERE t.day BETWEEN bounds.first_day AND bounds.last_day AND (source IS NULL OR t.source_id = source)
    GROUP BY 1
),
singles AS (
    SELECT CAST(date_trunc(grain, c.day) AS DATE) AS period,
           sum(CASE WHEN dedupe THEN c.unique_articles ELSE c.articles END) FILTER (WHERE c.entity_id = pair.id_a) AS articles_a,
           sum(CASE WHEN dedupe THEN c.unique_articles ELSE c.articles END) FILTER (WHERE c.entity_id = pair.id_b) AS articles_b
    FROM daily_entity_counts AS c CROSS JOIN pair CROSS JOIN bounds
    WHERE c.entity_id IN (pair.id_a, pair.id_b)
      AND c.day BETWEEN bounds.first_day AND bounds.last_day AND (source IS NULL OR c.source_id = source)
    GROUP BY 1
),
boths AS (
    SELECT CAST(date_trunc(grain, p.day) AS DATE) AS period, sum(CASE WHEN dedupe THEN p.unique_articles ELSE p.articles END) AS articles_both
    FROM daily_entity_pairs AS p CROSS JOIN pair CROSS JOIN bounds
    WHERE p.entity_a = pair.low_id AND p.entity_b = pair.high_id
      AND p.day BETWEEN bounds.first_day AND bounds.last_day AND (source IS NULL OR p.source_id = source)
    GROUP BY 1
)
SELECT
    t.period,
    pair.name_a AS entity_a,
    pair.name_b AS entity_b,
    CAST(coalesce(s.articles_a, 0) AS BIGINT) AS articles_a,
    CAST(coalesce(s.articles_b, 0) AS BIGINT) AS articles_b,
    CAST(coalesce(x.articles_both, 0) AS BIGINT) AS articles_both,
    CAST(t.total_articles AS BIGINT) AS total_articles,
    CAST(coalesce(x.articles_both, 0) AS DOUBLE) / t.total_articles AS share_both,
    CAST(coalesce(x.articles_both, 0) AS DOUBLE) / nullif(s.articles_a, 0) AS share_of_a,
    CAST(coalesce(x.articles_both, 0) AS DOUBLE) / nullif(s.articles_b, 0) AS share_of_b
FROM totals AS t
CROSS JOIN pair
LEFT JOIN singles AS s ON s.period = t.period
LEFT JOIN boths AS x ON x.period = t.period
ORDER BY t.period;
