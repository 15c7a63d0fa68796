-- Generated from warehouse/schema by warehouse.lake.analyst_macros_sql(); do not edit (tests/test_lake.py checks it is current).
-- The warehouse's macros for a DuckDB 1.5.5 CLI attached to the lake (README, Warehouse on DuckLake):
--   newswire warehouse analyst > lake.sql && duckdb -init lake.sql
-- (LOADs the extensions from the installed wheels, ATTACH ... AS wh, USE wh, .read this file).
-- Left out (they call newswire's Python functions; use `newswire sql`): search_matches, search, kwic, search_articles, query_trend
CREATE OR REPLACE TEMP MACRO resolve_entities(names) AS TABLE
SELECT e.entity_id, e.name, e.kind
FROM entities AS e
WHERE list_has_any(
    list_transform(names, lambda x: lower(trim(x))),
    list_concat([lower(e.entity_id), lower(e.name)], list_transform(e.aliases, lambda x: lower(x)))
);

CREATE OR REPLACE TEMP MACRO search_verdict(rpn, mask) AS
    list_reduce(
        list_transform(rpn, lambda op: {'op': op, 'hit': op >= 0 AND ((mask >> greatest(op, 0)) & 1) = 1,
                                        'st': CAST([] AS BOOLEAN[])}),
        lambda acc, x: {'op': 0, 'hit': false, 'st': CASE
            WHEN x.op >= 0 THEN list_append(acc.st, x.hit)
            WHEN x.op = -3 THEN list_append(acc.st[1:len(acc.st) - 1], NOT acc.st[len(acc.st)])
            WHEN x.op = -1 THEN list_append(acc.st[1:len(acc.st) - 2], acc.st[len(acc.st) - 1] AND acc.st[len(acc.st)])
            ELSE list_append(acc.st[1:len(acc.st) - 2], acc.st[len(acc.st) - 1] OR acc.st[len(acc.st)])
        END},
        {'op': 0, 'hit': false, 'st': CAST([] AS BOOLEAN[])}).st[1];

CREATE OR REPLACE TEMP MACRO trend(entity_names, grain, start_day, end_day, source := NULL, dedupe := false) AS TABLE
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

CREATE OR REPLACE TEMP MACRO co_mentions(a, b, grain, start_day := NULL, end_day := NULL, source := NULL, dedupe := false) AS TABLE
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

CREATE OR REPLACE TEMP MACRO rising_terms(on_day, window_days, min_articles := 3, baseline_windows := 4, source := NULL,
                                   dedupe := false) AS TABLE
WITH
recent_total AS (
    SELECT coalesce(sum(CASE WHEN dedupe THEN unique_articles ELSE articles END), 0) AS articles
    FROM daily_totals
    WHERE day BETWEEN CAST(on_day AS DATE) - (window_days - 1) AND CAST(on_day AS DATE)
      AND (source IS NULL OR source_id = source)
),
baseline_total AS (
    SELECT coalesce(sum(CASE WHEN dedupe THEN unique_articles ELSE articles END), 0) AS articles
    FROM daily_totals
    WHERE day BETWEEN CAST(on_day AS DATE) - window_days * (baseline_windows + 1) + 1
                  AND CAST(on_day AS DATE) - window_days
      AND (source IS NULL OR source_id = source)
),
recent AS (
    SELECT term, ngram, sum(CASE WHEN dedupe THEN unique_articles ELSE articles END) AS articles
    FROM daily_term_counts
    WHERE day BETWEEN CAST(on_day AS DATE) - (window_days - 1) AND CAST(on_day AS DATE)
      AND (source IS NULL OR source_id = source)
    GROUP BY term, ngram
    HAVING sum(CASE WHEN dedupe THEN unique_articles ELSE articles END) >= min_articles
),
baseline AS (
    SELECT term, ngram, sum(CASE WHEN dedupe THEN unique_articles ELSE articles END) AS articles
    FROM daily_term_counts
    WHERE day BETWEEN CAST(on_day AS DATE) - window_days * (baseline_windows + 1) + 1
                  AND CAST(on_day AS DATE) - window_days
      AND (source IS NULL OR source_id = source)
      AND term IN (SELECT term FROM recent)
    GROUP BY term, ngram
)
SELECT
    r.term,
    r.ngram,
    CAST(r.articles AS BIGINT) AS recent_articles,
    CAST(coalesce(b.articles, 0) AS BIGINT) AS baseline_articles,
    CAST(rt.articles AS BIGINT) AS recent_total,
    CAST(bt.articles AS BIGINT) AS baseline_total,
    CAST(r.articles AS DOUBLE) / nullif(rt.articles, 0) AS recent_rate,
    CAST(coalesce(b.articles, 0) AS DOUBLE) / nullif(bt.articles, 0) AS baseline_rate,
    ((r.articles + 1.0) / (rt.articles + 1.0)) / ((coalesce(b.articles, 0) + 1.0) / (bt.articles + 1.0)) AS ratio
FROM recent AS r
LEFT JOIN baseline AS b ON b.term = r.term AND b.ngram = r.ngram
CROSS JOIN recent_total AS rt
CROSS JOIN baseline_total AS bt
ORDER BY ratio DESC, recent_articles DESC, r.term;

CREATE OR REPLACE TEMP MACRO top_entities(start_day, end_day, entity_kind := NULL, source := NULL, top_n := 20,
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
