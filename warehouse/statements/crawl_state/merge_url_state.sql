-- Upsert discovery-document state from view batch_url_state (one row per url, already deduplicated).
MERGE INTO url_state AS t
USING batch_url_state AS s
ON t.url = s.url
WHEN MATCHED THEN UPDATE SET
    source_id = s.source_id, kind = s.kind, etag = s.etag, last_modified = s.last_modified,
    body_sha256 = s.body_sha256, children = s.children, body_text = s.body_text,
    last_status = s.last_status, last_fetched_at = s.last_fetched_at
WHEN NOT MATCHED THEN INSERT BY NAME;
