-- What the search index is built from: the keys and clean texts of one part of the stored
-- articles ($part of $parts, split by a hash of article_id), so a rebuild holds one part at a time.
SELECT article_id, content_hash, published_day, source_id, language, headline_clean, body_clean
FROM articles
WHERE hash(article_id) % $parts = $part;
