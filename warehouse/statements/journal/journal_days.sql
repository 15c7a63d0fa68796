-- The (day, source) keys the interrupted loads were recomputing.
SELECT DISTINCT u.d.day AS day, u.d.source_id AS source_id FROM load_journal, unnest(days) AS u(d);
