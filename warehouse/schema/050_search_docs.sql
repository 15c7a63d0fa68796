-- The search index's articles: one row per article (its current version), keyed (doc) and
-- (article_id). doc numbers the version in search_postings: sha256(article_id, content_hash), so a
-- version has the same number whatever order loads come in (transforms/search_text.py doc_number).
-- An updated article gets a new doc; the postings of its old one, joining no row here, are ignored
-- until the next rebuild (newswire recompute) drops them. day, source_id and language are copies of the article's (for filters);
-- head_len and body_len count its words in the headline and body (BM25's length normalisation).
-- Maintained by warehouse/search_index.py inside every load's transaction.
CREATE TABLE search_docs (
    doc        BIGINT  NOT NULL,
    article_id VARCHAR NOT NULL,
    day        DATE,
    source_id  VARCHAR,
    language   VARCHAR,
    head_len   INTEGER NOT NULL,
    body_len   INTEGER NOT NULL
);
