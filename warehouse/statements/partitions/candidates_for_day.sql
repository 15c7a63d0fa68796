-- Article URLs of one source whose date hint falls within a day of $day (UTC): hints name
-- the publisher's local day, which can be the UTC day before or after. With $include_stored
-- false, only those whose story is not stored yet (by story key, any rendition).
SELECT d.url, d.via, d.date_hint, d.hint_source
FROM discovered_urls AS d
WHERE d.source_id = $source_id
  AND d.date_hint::DATE BETWEEN $day - INTERVAL 1 DAY AND $day + INTERVAL 1 DAY
  AND ($include_stored OR NOT EXISTS (
        SELECT 1 FROM article_urls AS u WHERE u.url_key = story_key(d.url)))
ORDER BY d.url
