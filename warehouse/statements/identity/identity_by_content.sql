-- Stored articles of the same source with exactly the text of a batch article (view
-- batch_articles) under another id: the same story found under another URL.
SELECT b.article_id, a.article_id
FROM batch_articles AS b
JOIN articles AS a
  ON a.content_hash = b.content_hash AND a.source_id IS NOT DISTINCT FROM b.source_id
WHERE a.article_id <> b.article_id;
