-- Child rows of inserted and updated articles (view load_plan) are replaced as a whole;
-- children of unchanged articles are left alone. Runs after load_plan.sql, in the same transaction.
DELETE FROM article_sections
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action <> 'unchanged');

INSERT INTO article_sections BY NAME
SELECT * FROM batch_sections
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action <> 'unchanged');

DELETE FROM article_categories
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action <> 'unchanged');

INSERT INTO article_categories BY NAME
SELECT * FROM batch_categories
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action <> 'unchanged');

DELETE FROM article_links
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action <> 'unchanged');

INSERT INTO article_links BY NAME
SELECT * FROM batch_links
WHERE article_id IN (SELECT article_id FROM load_plan WHERE action <> 'unchanged');
