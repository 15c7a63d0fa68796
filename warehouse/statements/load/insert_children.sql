-- Child and derived rows of the inserted and updated articles. The changed_* views hold only
-- those articles' rows: load_batch keeps the rows of articles load_plan marks 'insert' or
-- 'update' (children of unchanged articles are left alone). Runs after the articles are written.
INSERT INTO article_sections BY NAME SELECT * FROM changed_sections;

INSERT INTO article_categories BY NAME SELECT * FROM changed_categories;

INSERT INTO article_links BY NAME SELECT * FROM changed_links;

INSERT INTO entity_mentions BY NAME SELECT * FROM changed_mentions;

INSERT INTO article_terms BY NAME SELECT * FROM changed_terms;

INSERT INTO article_signatures BY NAME SELECT * FROM changed_signatures;

INSERT INTO article_lsh_bands BY NAME SELECT * FROM changed_bands;
