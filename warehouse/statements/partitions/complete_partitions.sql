SELECT day, source_id FROM ingest_partitions
WHERE status = 'complete' AND day BETWEEN $start AND $end
