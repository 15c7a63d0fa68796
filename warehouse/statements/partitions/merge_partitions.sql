-- Upsert partition rows from view batch_partitions; the article count is read off the
-- warehouse itself, so it is true whatever run loaded the articles. A 'pending' row (a day
-- that merely received articles from a nightly run) never replaces a row of another status.
MERGE INTO ingest_partitions AS t
USING (
    SELECT p.* REPLACE (
        (SELECT count(*) FROM articles AS a WHERE a.published_day = p.day AND a.source_id = p.source_id)::INTEGER
        AS articles)
    FROM batch_partitions AS p
) AS s
ON t.day = s.day AND t.source_id = s.source_id
WHEN MATCHED AND (s.status <> 'pending' OR t.status = 'pending') THEN UPDATE SET
    status = s.status, mode = s.mode, pages_fetched = s.pages_fetched, articles = s.articles,
    articles_new = s.articles_new, articles_updated = s.articles_updated,
    articles_unchanged = s.articles_unchanged, failures = s.failures, failure_reasons = s.failure_reasons,
    flow_run_id = s.flow_run_id, extractor_version = s.extractor_version,
    started_at = coalesce(s.started_at, t.started_at), finished_at = s.finished_at, note = s.note
WHEN NOT MATCHED THEN INSERT BY NAME;
