-- Record discovered URLs from view batch_discovered: new ones are inserted, known ones get a
-- new last_seen_at and keep their first date hint unless they had none.
MERGE INTO discovered_urls AS t
USING batch_discovered AS s
ON t.url = s.url
WHEN MATCHED THEN UPDATE SET
    last_seen_at = s.seen_at,
    date_hint = coalesce(t.date_hint, s.date_hint),
    hint_source = CASE WHEN t.date_hint IS NULL THEN s.hint_source ELSE t.hint_source END
WHEN NOT MATCHED THEN INSERT (url, source_id, via, date_hint, hint_source, first_seen_at, last_seen_at, attempts)
    VALUES (s.url, s.source_id, s.via, s.date_hint, s.hint_source, s.seen_at, s.seen_at, 0);
