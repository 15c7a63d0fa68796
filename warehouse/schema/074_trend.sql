-- The trend macro again, with dedupe := false: true counts each story once, leaving out the
-- articles that are near-copies of an earlier one (article_duplicates), from the counts and the
-- denominators alike (the daily aggregates' unique_* columns). Replaces 020_trend.sql.
-- trend(entity_names, grain, start_day, end_day, source := NULL, dedupe := false): per period and entity, the
-- articles mentioning it, its mentions, all articles of the period and the share of them that
-- mention it. grain: 'day' | 'week' (ISO, from Monday) | 'month' | 'quarter' | 'year'. Periods
-- are cut to [start_day, end_day] (period_start/period_end say how much of one is covered);
-- every period of the range appears, with share NULL when it has no articles at all.
-- Reads only the daily aggregates, never entity_mentions.
--   SELECT * FROM trend(['china', 'russia', 'north korea'], 'week', DATE '2026-08-01', DATE '2026-10-31');
--   SELECT * FROM trend(['china'], 'month', DATE '2026-08-01', DATE '2026-10-31', dedupe := true);
CREATE OR REPLACE MACRO trend(entity_names, grain, start_day, end_day, source := NULL, dedupe := false) AS TABLE
WITH
wanted AS (SELECT entity_id, name FROM resolve_entities(entity_names)),
periods AS (
    SELECT CAST(date_trunc(grain, r.d) AS DATE) AS period,
           CAST(min(r.d) AS DATE) AS period_start,
           CAST(max(r.d) AS DATE) AS period_end
    FROM range(CAST(CAST(start_day AS DATE) AS TIMESTAMP),
               CAST(CAST(end_day AS DATE) AS TIMESTAMP) + INTERVAL 1 DAY,
               INTERVAL 1 DAY) AS r(d)
    GROUP BY 1
),
totals AS (
    SELECT CAST(date_trunc(grain, day) AS DATE) AS period, sum(CASE WHEN dedupe THEN unique_articles ELSE articles END) AS total_articles
    FROM daily_totals
    WHERE day BETWEEN CAST(start_day AS DATE) AND CAST(end_day AS DATE)
      AND (source IS NULL OR source_id = source)
    GROUP BY 1
),
counts AS (
    SELECT CAST(date_trunc(grain, day) AS DATE) AS period, entity_id,
           sum(CASE WHEN dedupe THEN unique_articles ELSE articles END) AS articles,
           sum(CASE WHEN dedupe THEN unique_mentions ELSE mentions END) AS mentions
    FROM daily_entity_counts
    WHERE day BETWEEN CAST(start_day AS DATE) AND CAST(end_day AS DATE)
      AND entity_id IN (SELECT entity_id FROM wanted)
      AND (source IS NULL OR source_id = source)
    GROUP BY 1, 2
)
SELECT
    p.period,
    p.period_start,
    p.period_end,
    w.entity_id,
    w.name AS entity,
    CAST(coalesce(c.articles, 0) AS BIGINT) AS articles,
    CAST(coalesce(c.mentions, 0) AS BIGINT) AS mentions,
    CAST(coalesce(t.total_articles, 0) AS BIGINT) AS total_articles,
    CASE WHEN t.total_articles > 0 THEN CAST(coalesce(c.articles, 0) AS DOUBLE) / t.total_articles END AS share
FROM periods AS p
CROSS JOIN wanted AS w
LEFT JOIN totals AS t ON t.period = p.period
LEFT JOIN counts AS c ON c.period = p.period AND c.entity_id = w.entity_id
ORDER BY p.period, w.name;
