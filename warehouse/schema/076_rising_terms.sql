-- The rising_terms macro again, with dedupe := false: true counts each story once, leaving out the
-- articles that are near-copies of an earlier one (article_duplicates), from the counts and the
-- denominators alike (the daily aggregates' unique_* columns). Replaces 022_rising_terms.sql.
-- rising_terms(on_day, window_days, min_articles := 3, baseline_windows := 4, source := NULL,
-- dedupe := false):
-- terms used in more articles lately than before. Recent window: the window_days days ending
-- on on_day; baseline: the baseline_windows * window_days days just before it. A term needs
-- min_articles articles in the recent window (support). rate = articles using the term / all
-- articles in the window (daily_totals); ratio = recent rate / baseline rate, each with one
-- article added to the counts (add-one smoothing), so a term new in the recent window gets a
-- large but finite ratio. Reads only daily_term_counts and daily_totals.
--   SELECT * FROM rising_terms(DATE '2026-10-25', 7) LIMIT 20;
CREATE OR REPLACE MACRO rising_terms(on_day, window_days, min_articles := 3, baseline_windows := 4, source := NULL,
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
