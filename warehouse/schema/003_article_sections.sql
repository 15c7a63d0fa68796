-- One row per section of an article, keyed (article_id, section_index); replaced as a whole
-- whenever the article's content changes. Mirrors transforms.normalise.SECTIONS_SCHEMA.
CREATE TABLE article_sections (
    article_id      VARCHAR  NOT NULL,
    section_index   SMALLINT NOT NULL,
    heading         VARCHAR,
    heading_clean   VARCHAR,
    section_number  SMALLINT,
    paragraphs      VARCHAR[],
    text_clean      VARCHAR,
    paragraph_count SMALLINT,
    word_count      INTEGER
);
