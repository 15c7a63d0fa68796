-- Conditional-request state of discovery documents (feeds, sitemaps, listing pages, robots.txt):
-- one row per URL, replaced after each fetch that returned a body.
CREATE TABLE url_state (
    url             VARCHAR     NOT NULL,
    source_id       VARCHAR     NOT NULL,
    kind            VARCHAR     NOT NULL,  -- feed / sitemap / listing / robots
    etag            VARCHAR,
    last_modified   VARCHAR,               -- the server's HTTP date, sent back verbatim
    body_sha256     VARCHAR,               -- catches servers whose validators never change
    children        VARCHAR[],             -- a sitemap index's sitemaps, reused on 304
    body_text       VARCHAR,               -- robots.txt only: parsed again on 304
    last_status     INTEGER,
    last_fetched_at TIMESTAMPTZ NOT NULL
);
