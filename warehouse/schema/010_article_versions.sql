-- Earlier versions of edited articles: when a load finds new content for an article_id, the row
-- it replaces in articles is copied here first (same transaction). Append-only; the current
-- version stays in articles. Columns explained in warehouse/COLUMNS.md.
CREATE TABLE article_versions (
    article_id        VARCHAR     NOT NULL,
    content_hash      VARCHAR     NOT NULL,
    url               VARCHAR     NOT NULL,
    canonical_url     VARCHAR,
    source_id         VARCHAR,
    title             VARCHAR,
    headline          VARCHAR,
    published_at      TIMESTAMPTZ,
    updated_at        TIMESTAMPTZ,
    published_day     DATE,
    word_count        INTEGER,
    body_text         VARCHAR,
    seed_text         VARCHAR,
    extractor_version VARCHAR,
    loaded_at         TIMESTAMPTZ NOT NULL,  -- when this version was written to articles
    superseded_at     TIMESTAMPTZ NOT NULL   -- when the load that replaced it ran
);
