-- Stored articles of one source published on $day (UTC): the URLs they were fetched from, with
-- the date hint discovery found each with (for re-extraction's publication-day fallbacks).
SELECT a.url, d.date_hint, d.hint_source
FROM articles AS a
LEFT JOIN discovered_urls AS d ON d.url = a.url
WHERE a.source_id = $source_id AND a.published_day = $day
ORDER BY a.url
