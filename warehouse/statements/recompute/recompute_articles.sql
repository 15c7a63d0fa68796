-- The article columns mentions, terms and signatures are derived from, for the ids in view recompute_ids.
SELECT article_id, published_day, source_id, headline_clean, body_text
FROM articles
WHERE article_id IN (SELECT article_id FROM recompute_ids)
ORDER BY article_id;
