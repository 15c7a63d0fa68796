-- URLs discovered earlier whose story was never stored: not fetched yet, or failed transiently
-- fewer than $max_attempts times. Hard and soft failures are not retried.
SELECT d.url, d.via, d.date_hint, d.hint_source
FROM discovered_urls AS d
WHERE d.source_id = $source_id
  AND (d.last_outcome IS NULL OR (d.last_outcome = 'transient' AND d.attempts < $max_attempts))
  AND NOT EXISTS (SELECT 1 FROM article_urls AS u WHERE u.url_key = story_key(d.url))
