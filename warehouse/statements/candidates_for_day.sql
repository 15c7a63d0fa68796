-- Article URLs of one source whose date hint falls within a day of $day (UTC): hints name
-- the publisher's local day, which can be the UTC day before or after. With $include_stored
-- false, only those not stored yet (by URL or canonical URL).
SELECT d.url
FROM discovered_urls AS d
WHERE d.source_id = $source_id
  AND d.date_hint::DATE BETWEEN $day - INTERVAL 1 DAY AND $day + INTERVAL 1 DAY
  AND ($include_stored OR NOT EXISTS (
        SELECT 1 FROM articles AS a WHERE a.url = d.url OR a.canonical_url = d.url))
ORDER BY d.url
