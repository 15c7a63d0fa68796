-- The story key of every URL under which a stored article is known (article_urls: fetched,
-- asked for, same-site canonical), so that no rendition of a stored story is fetched again.
SELECT DISTINCT url_key FROM article_urls
