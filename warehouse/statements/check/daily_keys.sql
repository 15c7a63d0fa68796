-- The (day, source) keys whose daily aggregates `newswire check` recomputes: every key from $start to
-- $end (NULL: no bound) that the articles or any aggregate table holds, and every key for which an
-- aggregate table holds a natural key twice (wherever it is).
WITH keys AS (
    SELECT published_day AS day, source_id FROM articles WHERE published_day IS NOT NULL
    UNION SELECT day, source_id FROM daily_totals
    UNION SELECT day, source_id FROM daily_entity_counts
    UNION SELECT day, source_id FROM daily_entity_pairs
    UNION SELECT day, source_id FROM daily_term_counts
)
SELECT day, source_id FROM keys
WHERE ($start IS NULL OR day >= $start) AND ($end IS NULL OR day <= $end)
UNION SELECT day, source_id FROM daily_totals GROUP BY day, source_id HAVING count(*) > 1
UNION SELECT day, source_id FROM daily_entity_counts GROUP BY day, source_id, entity_id HAVING count(*) > 1
UNION SELECT day, source_id FROM daily_entity_pairs GROUP BY day, source_id, entity_a, entity_b HAVING count(*) > 1
UNION SELECT day, source_id FROM daily_term_counts GROUP BY day, source_id, term HAVING count(*) > 1;
