-- The stored day (and how it was chosen) of the batch's undated articles (view batch_undated)
-- that are stored already.
SELECT a.article_id, a.published_day, a.day_source
FROM articles AS a
WHERE a.article_id IN (SELECT article_id FROM batch_undated) AND a.published_day IS NOT NULL;
