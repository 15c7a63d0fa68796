-- Articles using each term, and its occurrences, per (day, source), keyed (day, source_id, term).
-- Recomputed from article_terms for the (day, source) keys a load touched. Feeds rising_terms().
CREATE TABLE daily_term_counts (
    day       DATE    NOT NULL,
    source_id VARCHAR,
    term      VARCHAR NOT NULL,
    ngram     TINYINT NOT NULL,
    articles  BIGINT  NOT NULL,
    mentions  BIGINT  NOT NULL
);
