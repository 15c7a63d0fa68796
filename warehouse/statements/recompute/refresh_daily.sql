-- Recompute the daily aggregates for exactly the (day, source) keys in view touched, from the
-- base tables, so that a rerun or a backfill of a day gives the same numbers as a fresh load.
-- The unique_* columns count only articles that are not near-copies (article_duplicates).
-- Runs inside the load's (or the recompute's) transaction.
DELETE FROM daily_totals AS d
WHERE EXISTS (SELECT 1 FROM touched AS t WHERE t.day = d.day AND t.source_id IS NOT DISTINCT FROM d.source_id);

DELETE FROM daily_entity_counts AS d
WHERE EXISTS (SELECT 1 FROM touched AS t WHERE t.day = d.day AND t.source_id IS NOT DISTINCT FROM d.source_id);

DELETE FROM daily_entity_pairs AS d
WHERE EXISTS (SELECT 1 FROM touched AS t WHERE t.day = d.day AND t.source_id IS NOT DISTINCT FROM d.source_id);

DELETE FROM daily_term_counts AS d
WHERE EXISTS (SELECT 1 FROM touched AS t WHERE t.day = d.day AND t.source_id IS NOT DISTINCT FROM d.source_id);

INSERT INTO daily_totals (day, source_id, articles, words, unique_articles)
SELECT a.published_day, a.source_id, count(*), coalesce(sum(a.word_count), 0),
       count(*) FILTER (WHERE d.article_id IS NULL)
FROM articles AS a
JOIN touched AS t ON a.published_day = t.day AND a.source_id IS NOT DISTINCT FROM t.source_id
LEFT JOIN article_duplicates AS d ON d.article_id = a.article_id
GROUP BY a.published_day, a.source_id;

INSERT INTO daily_entity_counts (day, source_id, entity_id, articles, mentions, unique_articles, unique_mentions)
SELECT m.published_day, m.source_id, m.entity_id, count(DISTINCT m.article_id), sum(m.mentions),
       count(DISTINCT m.article_id) FILTER (WHERE d.article_id IS NULL),
       coalesce(sum(m.mentions) FILTER (WHERE d.article_id IS NULL), 0)
FROM entity_mentions AS m
JOIN touched AS t ON m.published_day = t.day AND m.source_id IS NOT DISTINCT FROM t.source_id
LEFT JOIN article_duplicates AS d ON d.article_id = m.article_id
GROUP BY m.published_day, m.source_id, m.entity_id;

INSERT INTO daily_entity_pairs (day, source_id, entity_a, entity_b, articles, unique_articles)
WITH present AS (
    SELECT DISTINCT m.article_id, m.published_day, m.source_id, m.entity_id, d.article_id IS NULL AS is_unique
    FROM entity_mentions AS m
    JOIN touched AS t ON m.published_day = t.day AND m.source_id IS NOT DISTINCT FROM t.source_id
    LEFT JOIN article_duplicates AS d ON d.article_id = m.article_id
)
SELECT x.published_day, x.source_id, x.entity_id, y.entity_id, count(*), count(*) FILTER (WHERE x.is_unique)
FROM present AS x
JOIN present AS y ON y.article_id = x.article_id AND x.entity_id < y.entity_id
GROUP BY x.published_day, x.source_id, x.entity_id, y.entity_id;

INSERT INTO daily_term_counts (day, source_id, term, ngram, articles, mentions, unique_articles, unique_mentions)
SELECT a.published_day, a.source_id, a.term, a.ngram, count(*), sum(a.mentions),
       count(*) FILTER (WHERE d.article_id IS NULL),
       coalesce(sum(a.mentions) FILTER (WHERE d.article_id IS NULL), 0)
FROM article_terms AS a
JOIN touched AS t ON a.published_day = t.day AND a.source_id IS NOT DISTINCT FROM t.source_id
LEFT JOIN article_duplicates AS d ON d.article_id = a.article_id
GROUP BY a.published_day, a.source_id, a.term, a.ngram;
