-- Stored articles known under a story key of the batch (view batch_urls): the batch article, the
-- stored one, how the batch knows that URL (fetched / requested / canonical) and the stored
-- article's clean headline (warehouse/identity.py merges a canonical match only when it agrees).
SELECT DISTINCT b.article_id, u.article_id, b.kind, a.headline_clean
FROM batch_urls AS b
JOIN article_urls AS u ON u.url_key = b.url_key
JOIN articles AS a ON a.article_id = u.article_id;
