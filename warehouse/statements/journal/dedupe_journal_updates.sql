-- Articles an interrupted load was replacing keep their committed version; of their child rows, the
-- first stored per key stays (rows of the new version DuckDB may have recovered were appended after).
DELETE FROM article_sections WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY article_id, section_index ORDER BY rowid) AS n
    FROM article_sections WHERE article_id IN (SELECT unnest(updated) FROM load_journal)) WHERE n > 1);

DELETE FROM article_categories WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY article_id, position ORDER BY rowid) AS n
    FROM article_categories WHERE article_id IN (SELECT unnest(updated) FROM load_journal)) WHERE n > 1);

DELETE FROM article_links WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY article_id, position ORDER BY rowid) AS n
    FROM article_links WHERE article_id IN (SELECT unnest(updated) FROM load_journal)) WHERE n > 1);

DELETE FROM entity_mentions WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY article_id, entity_id, section_index ORDER BY rowid) AS n
    FROM entity_mentions WHERE article_id IN (SELECT unnest(updated) FROM load_journal)) WHERE n > 1);

DELETE FROM article_terms WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY article_id, term ORDER BY rowid) AS n
    FROM article_terms WHERE article_id IN (SELECT unnest(updated) FROM load_journal)) WHERE n > 1);

DELETE FROM article_signatures WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY article_id ORDER BY rowid) AS n
    FROM article_signatures WHERE article_id IN (SELECT unnest(updated) FROM load_journal)) WHERE n > 1);

DELETE FROM article_lsh_bands WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY article_id, band ORDER BY rowid) AS n
    FROM article_lsh_bands WHERE article_id IN (SELECT unnest(updated) FROM load_journal)) WHERE n > 1);

DELETE FROM search_docs WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY article_id ORDER BY rowid) AS n
    FROM search_docs WHERE article_id IN (SELECT unnest(updated) FROM load_journal)) WHERE n > 1);

-- Postings of no current doc: those of the interrupted load (DuckDB may recover them, and the reload
-- would add the same rows again), and those of replaced versions, which searches ignore anyway.
DELETE FROM search_postings WHERE doc NOT IN (SELECT doc FROM search_docs);
