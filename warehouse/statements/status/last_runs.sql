-- The last $runs flow runs that recorded partitions: what they were (mode), when they finished, and
-- how many partitions they left complete, failed, running or pending.
SELECT flow_run_id, any_value(mode) AS mode, max(finished_at) AS finished_at,
       count(*) FILTER (WHERE status = 'complete') AS complete,
       count(*) FILTER (WHERE status = 'failed') AS failed,
       count(*) FILTER (WHERE status = 'running') AS running,
       count(*) FILTER (WHERE status = 'pending') AS pending,
       sum(coalesce(articles_new, 0)) AS articles_new
FROM ingest_partitions
WHERE flow_run_id IS NOT NULL
GROUP BY flow_run_id
ORDER BY max(coalesce(finished_at, started_at)) DESC NULLS LAST
LIMIT $runs;
