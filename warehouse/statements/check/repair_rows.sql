-- `newswire check --repair`: orphans go, and of rows sharing a natural key the first stored one stays
-- (a key is duplicated when a load's rows were appended twice; the first copy is the committed one).
-- Runs in the repair's transaction, before the daily aggregates are recomputed.
DELETE FROM article_sections AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id);
DELETE FROM article_categories AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id);
DELETE FROM article_links AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id);
DELETE FROM entity_mentions AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id);
DELETE FROM article_terms AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id);
DELETE FROM article_versions AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id);
DELETE FROM article_signatures AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id);
DELETE FROM article_lsh_bands AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id);
DELETE FROM article_duplicates AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id);
DELETE FROM article_urls AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id);
DELETE FROM search_docs AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id);
DELETE FROM search_docs WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY article_id ORDER BY rowid) AS n FROM search_docs) WHERE n > 1);
DELETE FROM search_postings WHERE doc NOT IN (SELECT doc FROM search_docs);
DELETE FROM search_postings WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY term, doc ORDER BY rowid) AS n FROM search_postings) WHERE n > 1);

DELETE FROM articles WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY article_id ORDER BY rowid) AS n FROM articles) WHERE n > 1);
DELETE FROM article_sections WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY article_id, section_index ORDER BY rowid) AS n
    FROM article_sections) WHERE n > 1);
DELETE FROM article_categories WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY article_id, position ORDER BY rowid) AS n
    FROM article_categories) WHERE n > 1);
DELETE FROM article_links WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY article_id, position ORDER BY rowid) AS n
    FROM article_links) WHERE n > 1);
DELETE FROM entity_mentions WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY article_id, entity_id, section_index ORDER BY rowid) AS n
    FROM entity_mentions) WHERE n > 1);
DELETE FROM article_terms WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY article_id, term ORDER BY rowid) AS n
    FROM article_terms) WHERE n > 1);
DELETE FROM article_versions WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY article_id, content_hash, superseded_at ORDER BY rowid) AS n
    FROM article_versions) WHERE n > 1);
DELETE FROM article_signatures WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY article_id ORDER BY rowid) AS n FROM article_signatures) WHERE n > 1);
DELETE FROM article_lsh_bands WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY article_id, band ORDER BY rowid) AS n FROM article_lsh_bands)
    WHERE n > 1);
DELETE FROM article_duplicates WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY article_id ORDER BY rowid) AS n FROM article_duplicates) WHERE n > 1);
DELETE FROM article_urls WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY url ORDER BY rowid) AS n FROM article_urls) WHERE n > 1);
DELETE FROM entities WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY entity_id ORDER BY rowid) AS n FROM entities) WHERE n > 1);
DELETE FROM lexicon_state WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (ORDER BY computed_at DESC, rowid DESC) AS n FROM lexicon_state) WHERE n > 1);
DELETE FROM url_state WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY url ORDER BY last_fetched_at DESC, rowid DESC) AS n
    FROM url_state) WHERE n > 1);
DELETE FROM discovered_urls WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY url ORDER BY rowid) AS n FROM discovered_urls) WHERE n > 1);
DELETE FROM ingest_partitions WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY day, source_id ORDER BY finished_at DESC NULLS LAST, rowid DESC) AS n
    FROM ingest_partitions) WHERE n > 1);
DELETE FROM fetch_log WHERE rowid IN (SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY url, fetched_at, run_id ORDER BY rowid) AS n FROM fetch_log)
    WHERE n > 1);
