-- Every article URL discovery found, with the date hint its source gave and its fetch fate.
CREATE TABLE discovered_urls (
    url           VARCHAR     NOT NULL,   -- canonicalised
    source_id     VARCHAR     NOT NULL,
    via           VARCHAR     NOT NULL,   -- feed / sitemap / listing (first seen through)
    date_hint     TIMESTAMPTZ,            -- feed pubDate, sitemap lastmod, news:publication_date, URL date
    hint_source   VARCHAR,                -- pubDate / lastmod / news:publication_date / url
    first_seen_at TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    last_outcome  VARCHAR,                -- null until fetched; then ok / soft / hard / transient
    attempts      INTEGER     NOT NULL DEFAULT 0
);
