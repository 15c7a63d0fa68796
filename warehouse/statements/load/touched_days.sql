-- The (day, source) keys whose daily aggregates a load changes: the stored and the new key of
-- every updated article, and the key of every inserted one (view load_plan). Articles without a
-- published_day are in no daily aggregate. Runs before merge_articles.sql, in the same transaction.
SELECT published_day AS day, source_id
FROM articles
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action = 'update')
  AND published_day IS NOT NULL
UNION
SELECT published_day AS day, source_id
FROM batch_articles
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action <> 'unchanged')
  AND published_day IS NOT NULL;
