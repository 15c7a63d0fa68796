-- One row per link listed by an article (kind 'related' = "Also Read:"), keyed (article_id, position).
-- Mirrors transforms.normalise.LINKS_SCHEMA.
CREATE TABLE article_links (
    article_id  VARCHAR  NOT NULL,
    position    SMALLINT NOT NULL,
    kind        VARCHAR  NOT NULL,
    title       VARCHAR,
    title_clean VARCHAR,
    url         VARCHAR
);
