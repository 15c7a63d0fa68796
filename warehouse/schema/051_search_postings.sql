-- The inverted index: one row per (term, doc) with the term's occurrences in the headline and the
-- body and its word positions (headline negative, body from 0; transforms/search_text.py rule 6).
-- Each load appends its rows sorted by term, so a term's rows sit in one stretch of each load's
-- rows and DuckDB's min/max statistics skip the rest.
CREATE TABLE search_postings (
    term      VARCHAR   NOT NULL,
    doc       BIGINT    NOT NULL,
    head_tf   INTEGER   NOT NULL,
    body_tf   INTEGER   NOT NULL,
    positions INTEGER[] NOT NULL
);
