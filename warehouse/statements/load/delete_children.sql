-- Child and derived rows of the articles a load writes (view load_plan: 'insert' and 'update') go, to be
-- replaced by insert_children.sql. An inserted article has none unless a killed load left some behind
-- (DuckDB can recover rows of a load killed in its commit): deleting by the article's key first means
-- such rows are replaced, never doubled.
DELETE FROM article_sections
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action <> 'unchanged');

DELETE FROM article_categories
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action <> 'unchanged');

DELETE FROM article_links
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action <> 'unchanged');

DELETE FROM entity_mentions
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action <> 'unchanged');

DELETE FROM article_terms
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action <> 'unchanged');

DELETE FROM article_signatures
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action <> 'unchanged');

DELETE FROM article_lsh_bands
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action <> 'unchanged');
