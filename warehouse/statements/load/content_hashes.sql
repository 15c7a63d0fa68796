-- Current content hash of the given articles, to tell which ones a load will change.
SELECT article_id, content_hash FROM articles WHERE article_id IN (SELECT unnest($ids))
