-- The partitions of the last $days days that have any: (day, source_id, status, articles), newest day first.
WITH last_days AS (
    SELECT DISTINCT day FROM ingest_partitions ORDER BY day DESC LIMIT $days
)
SELECT p.day, p.source_id, p.status, p.articles
FROM ingest_partitions AS p
JOIN last_days USING (day)
ORDER BY p.day DESC, p.source_id;
