SELECT day, source_id, status, mode, pages_fetched, articles, articles_new, articles_updated,
       articles_unchanged, failures, failure_reasons, note, flow_run_id
FROM ingest_partitions
WHERE day BETWEEN $start AND $end
ORDER BY day, source_id
