-- One row per category label of an article, keyed (article_id, position).
-- Mirrors transforms.normalise.CATEGORIES_SCHEMA.
CREATE TABLE article_categories (
    article_id  VARCHAR  NOT NULL,
    position    SMALLINT NOT NULL,
    label       VARCHAR,
    label_clean VARCHAR,
    url         VARCHAR,
    slug        VARCHAR
);
