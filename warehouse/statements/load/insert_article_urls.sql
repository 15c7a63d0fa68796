-- Every URL the batch saw its articles under (view batch_urls, article ids already resolved by
-- warehouse/identity.py), the new ones only: a URL keeps the article and time it was first seen.
INSERT INTO article_urls (url, article_id, url_key, kind, first_seen)
SELECT b.url, b.article_id, b.url_key, b.kind, current_timestamp
FROM batch_urls AS b
WHERE NOT EXISTS (SELECT 1 FROM article_urls AS u WHERE u.url = b.url);
