-- The article ids the interrupted loads were replacing (their committed version is still stored).
SELECT DISTINCT unnest(updated) AS article_id FROM load_journal ORDER BY 1;
