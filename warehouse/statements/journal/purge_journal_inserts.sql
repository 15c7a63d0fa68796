-- Articles an interrupted load was inserting were absent before it, and it never committed: any row of
-- theirs DuckDB recovered is not a committed row. All go; the batch, still staged, loads them again.
DELETE FROM articles WHERE article_id IN (SELECT unnest(inserted) FROM load_journal);

DELETE FROM article_sections WHERE article_id IN (SELECT unnest(inserted) FROM load_journal);

DELETE FROM article_categories WHERE article_id IN (SELECT unnest(inserted) FROM load_journal);

DELETE FROM article_links WHERE article_id IN (SELECT unnest(inserted) FROM load_journal);

DELETE FROM entity_mentions WHERE article_id IN (SELECT unnest(inserted) FROM load_journal);

DELETE FROM article_terms WHERE article_id IN (SELECT unnest(inserted) FROM load_journal);

DELETE FROM article_versions WHERE article_id IN (SELECT unnest(inserted) FROM load_journal);

DELETE FROM article_signatures WHERE article_id IN (SELECT unnest(inserted) FROM load_journal);

DELETE FROM article_lsh_bands WHERE article_id IN (SELECT unnest(inserted) FROM load_journal);

DELETE FROM article_duplicates WHERE article_id IN (SELECT unnest(inserted) FROM load_journal);

DELETE FROM article_urls WHERE article_id IN (SELECT unnest(inserted) FROM load_journal);

DELETE FROM search_docs WHERE article_id IN (SELECT unnest(inserted) FROM load_journal);
