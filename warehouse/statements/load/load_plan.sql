-- What load_batch does with each article of the batch (view batch_articles, one row per article_id):
-- 'insert' when the warehouse lacks it, 'update' when its content_hash differs, else 'unchanged'.
SELECT
    b.article_id,
    CASE
        WHEN a.article_id IS NULL THEN 'insert'
        WHEN a.content_hash IS DISTINCT FROM b.content_hash THEN 'update'
        ELSE 'unchanged'
    END AS action
FROM batch_articles AS b
LEFT JOIN articles AS a ON a.article_id = b.article_id;
