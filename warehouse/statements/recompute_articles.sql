-- The article columns mentions and terms are derived from, for the ids in view recompute_ids.
SELECT article_id, published_day, source_id, headline_clean
FROM articles
WHERE article_id IN (SELECT article_id FROM recompute_ids)
ORDER BY article_id;
