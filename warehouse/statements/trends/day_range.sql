-- First and last day with articles (of one source, or of all when $source is NULL).
SELECT min(day), max(day) FROM daily_totals WHERE $source IS NULL OR source_id = $source;
