-- Record discovered URLs from view batch_discovered: new ones are inserted, known ones get a
-- new last_seen_at, and their date hint is replaced only by a better one (hint_priority: transforms.feeds.hint_rank).
MERGE INTO discovered_urls AS t
USING batch_discovered AS s
ON t.url = s.url
WHEN MATCHED THEN UPDATE SET
    last_seen_at = s.seen_at,
    date_hint = CASE WHEN s.date_hint IS NOT NULL
                      AND (t.date_hint IS NULL OR hint_priority(s.hint_source) < hint_priority(t.hint_source))
                     THEN s.date_hint ELSE t.date_hint END,
    hint_source = CASE WHEN s.date_hint IS NOT NULL
                        AND (t.date_hint IS NULL OR hint_priority(s.hint_source) < hint_priority(t.hint_source))
                       THEN s.hint_source ELSE t.hint_source END
WHEN NOT MATCHED THEN INSERT (url, source_id, via, date_hint, hint_source, first_seen_at, last_seen_at, attempts)
    VALUES (s.url, s.source_id, s.via, s.date_hint, s.hint_source, s.seen_at, s.seen_at, 0);
