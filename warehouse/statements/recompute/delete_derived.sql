-- Mentions and terms of the articles in view recompute_ids, before they are derived again.
DELETE FROM entity_mentions WHERE article_id IN (SELECT article_id FROM recompute_ids);

DELETE FROM article_terms WHERE article_id IN (SELECT article_id FROM recompute_ids);
