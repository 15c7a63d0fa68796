-- query_trend again, counting on search_articles() (093): it needs which articles match, not their
-- scores or matched positions. Replaces 056_query_trend.sql; the same answers.
-- query_trend(queries, grain, start_day, end_day, source := NULL, dedupe := false): per period and
-- query, the articles matching it, all articles of the period and the share (as trend() does for
-- entities). Every period of the range appears, with 0 articles when nothing matched and share NULL
-- when the period has no articles at all. dedupe := true counts each story once: articles listed in
-- article_duplicates leave the numerator and the denominator alike.
--   SELECT * FROM query_trend(['sanctions', '"north korea" AND missile'], 'week', DATE '2026-08-01', DATE '2026-10-31');
CREATE OR REPLACE MACRO query_trend(queries, grain, start_day, end_day, source := NULL, dedupe := false) AS TABLE
WITH
periods AS (
    SELECT CAST(date_trunc(grain, r.d) AS DATE) AS period,
           CAST(min(r.d) AS DATE) AS period_start,
           CAST(max(r.d) AS DATE) AS period_end
    FROM range(CAST(CAST(start_day AS DATE) AS TIMESTAMP),
               CAST(CAST(end_day AS DATE) AS TIMESTAMP) + INTERVAL 1 DAY,
               INTERVAL 1 DAY) AS r(d)
    GROUP BY 1
),
asked AS (
    SELECT r.i AS query_no, queries[r.i] AS query FROM range(1, len(queries) + 1) AS r(i)
),
totals AS (
    SELECT period, sum(articles) AS total_articles
    FROM (
        SELECT CAST(date_trunc(grain, day) AS DATE) AS period, articles
        FROM daily_totals
        WHERE day BETWEEN CAST(start_day AS DATE) AND CAST(end_day AS DATE)
          AND (source IS NULL OR source_id = source)
        UNION ALL
        SELECT CAST(date_trunc(grain, a.published_day) AS DATE), -1
        FROM articles AS a
        WHERE dedupe
          AND a.published_day BETWEEN CAST(start_day AS DATE) AND CAST(end_day AS DATE)
          AND (source IS NULL OR a.source_id = source)
          AND a.article_id IN (SELECT article_id FROM article_duplicates)
    )
    GROUP BY period
),
counts AS (
    SELECT query_no, CAST(date_trunc(grain, day) AS DATE) AS period, count(*) AS articles
    FROM search_articles(queries, start_day := start_day, end_day := end_day, source := source, dedupe := dedupe)
    GROUP BY ALL
)
SELECT
    p.period,
    p.period_start,
    p.period_end,
    q.query_no,
    q.query,
    CAST(coalesce(c.articles, 0) AS BIGINT) AS articles,
    CAST(coalesce(t.total_articles, 0) AS BIGINT) AS total_articles,
    CASE WHEN t.total_articles > 0 THEN CAST(coalesce(c.articles, 0) AS DOUBLE) / t.total_articles END AS share
FROM periods AS p
CROSS JOIN asked AS q
LEFT JOIN totals AS t ON t.period = p.period
LEFT JOIN counts AS c ON c.period = p.period AND c.query_no = q.query_no
ORDER BY p.period, q.query_no;
