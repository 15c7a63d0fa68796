-- Every (day, source) key the daily aggregates can hold: those of stored articles and those
-- already aggregated (so keys left without articles are emptied). For a full rebuild.
SELECT DISTINCT published_day AS day, source_id FROM articles WHERE published_day IS NOT NULL
UNION
SELECT day, source_id FROM daily_totals;
