-- `newswire check`: rows that break the warehouse's row invariants, counted per table. 'orphans': child
-- and derived rows whose article is not in articles. 'duplicate keys': rows beyond the first with the
-- same natural key (the keys of warehouse/COLUMNS.md). A healthy warehouse gives 0 everywhere.
SELECT 'orphans' AS invariant, 'article_sections' AS table_name, count(*) AS row_count
FROM article_sections AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id)
UNION ALL SELECT 'orphans', 'article_categories', count(*)
FROM article_categories AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id)
UNION ALL SELECT 'orphans', 'article_links', count(*)
FROM article_links AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id)
UNION ALL SELECT 'orphans', 'entity_mentions', count(*)
FROM entity_mentions AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id)
UNION ALL SELECT 'orphans', 'article_terms', count(*)
FROM article_terms AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id)
UNION ALL SELECT 'orphans', 'article_versions', count(*)
FROM article_versions AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id)
UNION ALL SELECT 'orphans', 'article_signatures', count(*)
FROM article_signatures AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id)
UNION ALL SELECT 'orphans', 'article_lsh_bands', count(*)
FROM article_lsh_bands AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id)
UNION ALL SELECT 'orphans', 'article_duplicates', count(*)
FROM article_duplicates AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id)
UNION ALL SELECT 'orphans', 'article_urls', count(*)
FROM article_urls AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id)
UNION ALL SELECT 'orphans', 'search_docs', count(*)
FROM search_docs AS c WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.article_id = c.article_id)
UNION ALL SELECT 'duplicate keys', 'search_docs', count(*) - count(DISTINCT article_id) FROM search_docs
UNION ALL SELECT 'duplicate keys', 'search_postings', count(*) - count(DISTINCT (term, doc)) FROM search_postings
UNION ALL SELECT 'duplicate keys', 'articles', count(*) - count(DISTINCT article_id) FROM articles
UNION ALL SELECT 'duplicate keys', 'article_sections', count(*) - count(DISTINCT (article_id, section_index))
FROM article_sections
UNION ALL SELECT 'duplicate keys', 'article_categories', count(*) - count(DISTINCT (article_id, position))
FROM article_categories
UNION ALL SELECT 'duplicate keys', 'article_links', count(*) - count(DISTINCT (article_id, position))
FROM article_links
UNION ALL SELECT 'duplicate keys', 'entity_mentions', count(*) - count(DISTINCT (article_id, entity_id, section_index))
FROM entity_mentions
UNION ALL SELECT 'duplicate keys', 'article_terms', count(*) - count(DISTINCT (article_id, term)) FROM article_terms
UNION ALL SELECT 'duplicate keys', 'article_versions', count(*) - count(DISTINCT (article_id, content_hash, superseded_at))
FROM article_versions
UNION ALL SELECT 'duplicate keys', 'article_signatures', count(*) - count(DISTINCT article_id) FROM article_signatures
UNION ALL SELECT 'duplicate keys', 'article_lsh_bands', count(*) - count(DISTINCT (article_id, band)) FROM article_lsh_bands
UNION ALL SELECT 'duplicate keys', 'article_duplicates', count(*) - count(DISTINCT article_id) FROM article_duplicates
UNION ALL SELECT 'duplicate keys', 'article_urls', count(*) - count(DISTINCT url) FROM article_urls
UNION ALL SELECT 'duplicate keys', 'entities', count(*) - count(DISTINCT entity_id) FROM entities
UNION ALL SELECT 'duplicate keys', 'lexicon_state', greatest(count(*) - 1, 0) FROM lexicon_state
UNION ALL SELECT 'duplicate keys', 'daily_totals', count(*) - count(DISTINCT (day, source_id)) FROM daily_totals
UNION ALL SELECT 'duplicate keys', 'daily_entity_counts', count(*) - count(DISTINCT (day, source_id, entity_id))
FROM daily_entity_counts
UNION ALL SELECT 'duplicate keys', 'daily_entity_pairs', count(*) - count(DISTINCT (day, source_id, entity_a, entity_b))
FROM daily_entity_pairs
UNION ALL SELECT 'duplicate keys', 'daily_term_counts', count(*) - count(DISTINCT (day, source_id, term))
FROM daily_term_counts
UNION ALL SELECT 'duplicate keys', 'url_state', count(*) - count(DISTINCT url) FROM url_state
UNION ALL SELECT 'duplicate keys', 'discovered_urls', count(*) - count(DISTINCT url) FROM discovered_urls
UNION ALL SELECT 'duplicate keys', 'ingest_partitions', count(*) - count(DISTINCT (day, source_id)) FROM ingest_partitions
UNION ALL SELECT 'duplicate keys', 'fetch_log', count(*) - count(DISTINCT (url, fetched_at, run_id)) FROM fetch_log
UNION ALL SELECT 'duplicate keys', 'schema_migrations', count(*) - count(DISTINCT version) FROM schema_migrations;
