-- Append fetch attempts (view batch_fetches). An attempt already logged, i.e. the same
-- (url, fetched_at, run_id), is skipped, so recording the same frame twice adds nothing.
INSERT INTO fetch_log BY NAME
SELECT f.*
FROM batch_fetches AS f
WHERE NOT EXISTS (
    SELECT 1
    FROM fetch_log AS l
    WHERE l.url = f.url
      AND l.fetched_at = f.fetched_at
      AND l.run_id IS NOT DISTINCT FROM f.run_id
);
