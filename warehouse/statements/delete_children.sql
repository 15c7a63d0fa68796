-- Child and derived rows of updated articles (view load_plan) go, to be replaced by
-- insert_children.sql. Inserted articles have none, so this runs only when a load updates some.
DELETE FROM article_sections
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action = 'update');

DELETE FROM article_categories
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action = 'update');

DELETE FROM article_links
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action = 'update');

DELETE FROM entity_mentions
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action = 'update');

DELETE FROM article_terms
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action = 'update');

DELETE FROM article_signatures
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action = 'update');

DELETE FROM article_lsh_bands
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action = 'update');
