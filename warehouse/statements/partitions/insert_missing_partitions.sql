-- Write the partition rows missing_partitions.sql finds: 'pending' (a backfill still visits the day),
-- with the day's article count and a note saying where the row came from ($mode, $run_id, $note).
INSERT INTO ingest_partitions BY NAME
SELECT a.published_day AS day, a.source_id, 'pending' AS status, $mode AS mode, count(*)::INTEGER AS articles,
       $run_id AS flow_run_id, current_timestamp AS finished_at, $note AS note
FROM articles AS a
WHERE a.published_day IS NOT NULL AND a.source_id IS NOT NULL
  AND ($start IS NULL OR a.published_day >= $start) AND ($end IS NULL OR a.published_day <= $end)
  AND NOT EXISTS (SELECT 1 FROM ingest_partitions AS p WHERE p.day = a.published_day AND p.source_id = a.source_id)
GROUP BY a.published_day, a.source_id;
