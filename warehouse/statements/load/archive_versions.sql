-- Before an article's content is replaced (load_plan action 'update'), keep the stored version
-- in article_versions. Runs before merge_articles.sql, in the same transaction.
INSERT INTO article_versions BY NAME
SELECT
    a.article_id, a.content_hash, a.url, a.canonical_url, a.source_id, a.title, a.headline,
    a.published_at, a.updated_at, a.published_day, a.word_count, a.body_text, a.seed_text,
    a.extractor_version,
    a.last_loaded_at AS loaded_at,
    current_timestamp AS superseded_at
FROM articles AS a
WHERE a.article_id IN (SELECT article_id FROM load_plan WHERE action = 'update');
