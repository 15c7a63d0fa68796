-- (day, source) keys from $start to $end (NULL: no bound) that hold articles but have no
-- ingest_partitions row, although the README promises one for every day that receives articles.
SELECT a.published_day AS day, a.source_id, count(*) AS articles
FROM articles AS a
WHERE a.published_day IS NOT NULL AND a.source_id IS NOT NULL
  AND ($start IS NULL OR a.published_day >= $start) AND ($end IS NULL OR a.published_day <= $end)
  AND NOT EXISTS (SELECT 1 FROM ingest_partitions AS p WHERE p.day = a.published_day AND p.source_id = a.source_id)
GROUP BY a.published_day, a.source_id
ORDER BY 1, 2;
