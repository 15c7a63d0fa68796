-- Unigram and bigram counts per article, keyed (article_id, term); stop words excluded.
-- Maintained like entity_mentions. Mirrors transforms.normalise.TERMS_SCHEMA.
CREATE TABLE article_terms (
    article_id    VARCHAR  NOT NULL,
    published_day DATE,
    source_id     VARCHAR,
    term          VARCHAR  NOT NULL,
    ngram         TINYINT  NOT NULL,  -- 1 or 2
    mentions      INTEGER  NOT NULL
);
