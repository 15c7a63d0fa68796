-- Changed articles (view load_plan, action 'update') get the batch's content. Rows whose
-- content_hash is unchanged are not touched at all, so a repeated load leaves the table identical;
-- first_seen_at never changes. New articles are appended by insert_articles.sql.
-- current_timestamp is the transaction's start time: one value for the whole load.
MERGE INTO articles AS t
USING (
    SELECT * FROM batch_articles
    WHERE article_id IN (SELECT article_id FROM load_plan WHERE action = 'update')
) AS s
ON t.article_id = s.article_id
WHEN MATCHED AND t.content_hash IS DISTINCT FROM s.content_hash THEN UPDATE SET
    url = s.url,
    canonical_url = s.canonical_url,
    source_id = s.source_id,
    title = s.title,
    title_clean = s.title_clean,
    headline = s.headline,
    headline_clean = s.headline_clean,
    language = s.language,
    published_at = s.published_at,
    updated_at = s.updated_at,
    published_day = s.published_day,
    day_source = s.day_source,
    page_kind = s.page_kind,
    page_kind_reason = s.page_kind_reason,
    authors = s.authors,
    keywords = s.keywords,
    word_count = s.word_count,
    body_text = s.body_text,
    body_clean = s.body_clean,
    seed_text = s.seed_text,
    content_hash = s.content_hash,
    extractor_version = s.extractor_version,
    last_loaded_at = current_timestamp;
