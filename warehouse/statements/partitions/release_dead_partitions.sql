-- Partitions left 'running' by a run that is no longer alive ($live: the flow run ids of the runs
-- holding their staging folders, $own: this run's) go back to 'pending', saying which run was killed,
-- so a backfill with only_missing redoes them. Returns what it changed.
UPDATE ingest_partitions
SET status = 'pending',
    note = 'flow run ' || coalesce(flow_run_id, '?') || ' was killed while it worked on this partition'
WHERE status = 'running'
  AND flow_run_id IS DISTINCT FROM $own
  AND NOT coalesce(list_contains($live, flow_run_id), false)
RETURNING day, source_id, flow_run_id;
