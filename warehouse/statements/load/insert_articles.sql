-- New articles (view load_plan, action 'insert': an anti-join of the batch against articles)
-- are appended. first_seen_at and last_loaded_at are the transaction's start time.
INSERT INTO articles BY NAME
SELECT b.*, current_timestamp AS first_seen_at, current_timestamp AS last_loaded_at
FROM batch_articles AS b
WHERE b.article_id IN (SELECT article_id FROM load_plan WHERE action = 'insert');
