-- Journal rows of loads that died before committing (read under the writer lock: no load is running).
SELECT load_id, flow_run_id, mode, started_at, recompute_all, len(inserted) AS inserted, len(updated) AS updated,
       len(days) AS days
FROM load_journal
ORDER BY started_at;
