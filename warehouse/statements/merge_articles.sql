-- Upsert the batch into articles. Rows whose content_hash is unchanged are not touched at all,
-- so a repeated load leaves the table identical. first_seen_at is set once, on insert.
-- current_timestamp is the transaction's start time: one value for the whole load.
MERGE INTO articles AS t
USING batch_articles AS s
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
    authors = s.authors,
    word_count = s.word_count,
    body_text = s.body_text,
    body_clean = s.body_clean,
    seed_text = s.seed_text,
    content_hash = s.content_hash,
    extractor_version = s.extractor_version,
    last_loaded_at = current_timestamp
WHEN NOT MATCHED THEN INSERT (
    article_id, url, canonical_url, source_id, title, title_clean, headline, headline_clean,
    language, published_at, updated_at, published_day, authors, word_count, body_text,
    body_clean, seed_text, content_hash, extractor_version, first_seen_at, last_loaded_at
) VALUES (
    s.article_id, s.url, s.canonical_url, s.source_id, s.title, s.title_clean, s.headline,
    s.headline_clean, s.language, s.published_at, s.updated_at, s.published_day, s.authors,
    s.word_count, s.body_text, s.body_clean, s.seed_text, s.content_hash, s.extractor_version,
    current_timestamp, current_timestamp
);
