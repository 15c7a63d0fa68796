-- One row per article (article_id = first 16 hex of sha256(canonical_url or url)).
-- Columns mirror transforms.normalise.ARTICLES_SCHEMA, plus load bookkeeping at the end.
-- No PRIMARY KEY/UNIQUE on purpose: loads keep article_id unique themselves (warehouse/load.py).
CREATE TABLE articles (
    article_id        VARCHAR     NOT NULL,
    url               VARCHAR     NOT NULL,
    canonical_url     VARCHAR,
    source_id         VARCHAR,
    title             VARCHAR,
    title_clean       VARCHAR,
    headline          VARCHAR,
    headline_clean    VARCHAR,
    language          VARCHAR,
    published_at      TIMESTAMPTZ,
    updated_at        TIMESTAMPTZ,
    published_day     DATE,
    authors           VARCHAR[],
    word_count        INTEGER,
    body_text         VARCHAR,
    body_clean        VARCHAR,
    seed_text         VARCHAR,
    content_hash      VARCHAR     NOT NULL,
    extractor_version VARCHAR,
    first_seen_at     TIMESTAMPTZ NOT NULL,
    last_loaded_at    TIMESTAMPTZ NOT NULL
);
